/**
 * Vitest reporter (registered in vitest.config.ts): under CI=true a skipped or todo test fails the
 * run, with a message naming each one. A suite that skips tests — `it.skip`, `describe.skip`,
 * `it.todo`, `ctx.skip()`, or tests left unrun because their beforeAll failed — has not shown
 * that the code works, and in CI nobody reads the yellow count.
 *
 * Off outside CI (skipping while working on something is fine) and when a test name filter
 * (`-t`) is given on purpose.
 */
import type { Reporter, TestModule, TestRunEndReason, Vitest } from 'vitest/node';

export default class SkipsFailUnderCi implements Reporter {
  private vitest: Vitest | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(testModules: ReadonlyArray<TestModule>, _errors: unknown, reason: TestRunEndReason): void {
    if (process.env.CI !== 'true' || reason === 'interrupted') return;
    if (this.vitest?.config.testNamePattern) {
      process.stderr.write('\n[skips-fail-under-ci] a test name filter (-t) is active: skipped tests are not checked\n');
      return;
    }
    const skipped: string[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const result = test.result();
        if (result.state !== 'skipped' && test.options.mode !== 'skip' && test.options.mode !== 'todo') continue;
        const why = test.options.mode === 'todo' ? 'todo' : test.options.mode === 'skip' ? 'skipped' : 'not run (a hook or the file failed before it)';
        const note = result.state === 'skipped' && result.note ? `: ${result.note}` : '';
        skipped.push(`  ${module.relativeModuleId} > ${test.fullName} — ${why}${note}`);
      }
    }
    if (!skipped.length) return;
    process.exitCode = 1;
    process.stderr.write(
      `\n\x1b[31mFAIL\x1b[39m CI=true and ${skipped.length} test(s) did not run; under CI a skipped or todo test fails the run:\n${skipped.join('\n')}\n\n`,
    );
  }
}
