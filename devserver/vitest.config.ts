import { defineConfig } from 'vitest/config';

/**
 * The dev server's own suite (`npm test` here; the repository's `npm test` runs it too, through its
 * own config). Each file starts its own server and workers: the Temporal worker loads a native addon
 * and installs process-wide handlers, so one process per file.
 */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    // The tests wait for conditions (harness.ts `waitFor`) up to their own limits, below these.
    testTimeout: 150_000,
    hookTimeout: 150_000,
    // The SDK's logs at ERROR (DEVSERVER_TEST_LOG to change) before any worker exists.
    setupFiles: ['test/runtime.setup.ts'],
  },
});
