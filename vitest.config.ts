import { defineConfig } from 'vitest/config';
import SkipsFailUnderCi from './test/support/skips-fail-under-ci.js';
import { TEST_TIMEOUT_MS } from './test/support/wait.js';

export default defineConfig({
  test: {
    // The dev server's own suite lives in its package (devserver/test) and runs here too.
    include: ['test/**/*.test.ts', 'devserver/test/**/*.test.ts'],
    // Temporal workers load a native addon and install process-wide signal handlers: one process per file.
    pool: 'forks',
    maxWorkers: 2,
    // Tests wait for conditions (test/support/wait.ts), each up to a generous limit: a test's own
    // limit stays above it so that the wait, not vitest, says what never happened.
    testTimeout: TEST_TIMEOUT_MS,
    hookTimeout: TEST_TIMEOUT_MS,
    // Installs the Temporal runtime with a WARN logger before any worker exists (no INFO logs in the output).
    setupFiles: ['test/support/temporal-runtime.setup.ts'],
    // Under CI=true a skipped or todo test fails the run.
    reporters: ['default', new SkipsFailUnderCi()],
  },
});
