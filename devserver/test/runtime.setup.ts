/**
 * Vitest setup file: installs the Temporal runtime's logger before a test file's imports use the
 * runtime. The suite provokes worker warnings on purpose (failed tasks, unknown queries, shut-down
 * workers), so the default level is ERROR; DEVSERVER_TEST_LOG=WARN|INFO|DEBUG|TRACE shows more.
 */
import { ensureRuntime } from './harness.js';

ensureRuntime();
