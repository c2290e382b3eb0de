/**
 * What the case workflow tests share: the project's time-skipping dev server (in this process,
 * under the official testing API: test/support/time-skipping-environment.ts), one workflow bundle,
 * a plain client (time moves only when a test says so, `env.sleep`), and a worker per case on a
 * task queue of its own, with the case's recording activities. Call `useCaseEnvironment()` at the
 * top of a test file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, DefaultLogger, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { caseView } from '../../workflows/contract.js';
import { createTimeSkippingEnvironment } from '../support/time-skipping-environment.js';
import { waitUntil } from '../support/wait.js';
import type { RecordingActivities } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export { createTimeSkippingEnvironment };

/** The workflows of every case type, bundled once per test file (the bundler's INFO report stays out of the output). */
export function bundleCaseWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflowCode({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts'), logger: new DefaultLogger('WARN') });
}
export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface CaseEnvironment {
  env: TestWorkflowEnvironment;
  client: Client;
  /** Starts `workflow` with `input` on its own worker; the worker stops when the workflow ends. */
  start<R extends RecordingActivities, I extends { caseId: string }>(workflow: string, input: I, rec: R): Promise<CaseRun<R, I>>;
}

export interface CaseRun<R, I> {
  rec: R;
  input: I;
  handle: WorkflowHandle;
  /** Waits until the case is at `stage` (caseView query) and the step that took it there is recorded. */
  until(stage: string): Promise<void>;
  done: Promise<unknown>;
}

export function useCaseEnvironment(): CaseEnvironment {
  let bundle: WorkflowBundleWithSourceMap;
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
  const ctx = {} as CaseEnvironment;

  beforeAll(async () => {
    ctx.env = await createTimeSkippingEnvironment();
    bundle = await bundleCaseWorkflows();
    ctx.client = new Client({ connection: ctx.env.connection });
    await registerCaseSearchAttributes(ctx.env.connection, 'default');
  }, 120_000);

  afterAll(async () => {
    for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await Promise.allSettled(workers.map((w) => w.running));
    await ctx.env?.teardown();
  });

  ctx.start = async (workflow, input, rec) => {
    const taskQueue = `q-${input.caseId}`;
    const worker = await Worker.create({ connection: ctx.env.nativeConnection, taskQueue, workflowBundle: bundle, activities: rec });
    const running = worker.run();
    workers.push({ worker, running });
    const handle = await ctx.client.workflow.start(workflow, { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    const done = handle.result().finally(() => worker.getState() === 'RUNNING' && worker.shutdown());
    // The workflow moves to a stage, then records the step in an activity: the query shows the
    // stage before the step is recorded. Wait for both, so that what the step did can be asserted.
    const until = async (stage: string) => {
      await waitUntil(
        `case ${input.caseId} to reach ${stage} and record it`,
        async () => rec.transitions.at(-1)?.stage === stage && (await handle.query(caseView)).stage === stage,
        { state: async () => `at ${(await handle.query(caseView)).stage}; steps ${rec.transitions.map((t) => `${t.kind}@${t.stage}`).join(', ')}` },
      );
    };
    return { rec, input, handle, until, done };
  };
  return ctx;
}

let seq = 0;
/** A case id unique within the test run. */
export const newCaseId = (prefix: string) => `${prefix}${++seq}-${Math.random().toString(36).slice(2, 8)}`;
