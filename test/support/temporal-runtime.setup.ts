/**
 * Vitest setup file (vitest.config.ts `setupFiles`): keeps the Temporal SDK's INFO logs — every
 * worker's state changes, "No Nexus services registered", bundles created — out of the test output.
 * Warnings and errors still show.
 *
 * `Runtime.install` works once per process and only before anything has used the runtime; vitest
 * runs every test file in a process of its own (pool 'forks'), and setup files run before the
 * file's imports, so this comes first. Only files that can start workers pay for loading the SDK.
 *
 * Levels: TEMPORAL_TEST_LOG=DEBUG|INFO|WARN|ERROR (default WARN). The dev server's own suite
 * (devserver/test, and test/devserver beside it) provokes worker warnings on purpose and keeps its
 * own default, ERROR (DEVSERVER_TEST_LOG, see devserver/test/README.md).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

const file = expect.getState().testPath ?? '';
const folder = (...parts: string[]) => `${path.sep}${parts.join(path.sep)}${path.sep}`;
const devserverSuite = [folder('test', 'devserver'), folder('devserver', 'test')].some((d) => file.includes(d));
const dirs = ['workflows', 'e2e', 'scripts', 'simulation'].map((d) => folder('test', d));

function startsWorkers(): boolean {
  if (devserverSuite || dirs.some((d) => file.includes(d))) return true;
  try {
    return /@temporalio\/(worker|testing)|platform-harness|startPlatform/.test(readFileSync(file, 'utf8'));
  } catch {
    return false;
  }
}

if (startsWorkers()) {
  const { DefaultLogger, Runtime } = await import('@temporalio/worker');
  type Level = ConstructorParameters<typeof DefaultLogger>[0];
  const level = ((devserverSuite ? process.env.DEVSERVER_TEST_LOG : process.env.TEMPORAL_TEST_LOG) ?? (devserverSuite ? 'ERROR' : 'WARN')) as Level;
  try {
    Runtime.install({ logger: new DefaultLogger(level) });
  } catch (err) {
    // Only when files share a process (vitest --no-isolate): the first file's runtime stays.
    if (!/already been (installed|instantiated)/.test(String(err))) throw err;
  }
}
