/**
 * What the case workflow tests share: the project's time-skipping dev server (spawned by the
 * official testing API), one workflow bundle, a plain client (time moves only when a test says so,
 * `env.sleep`), and a worker per case on a task queue of its own, with the case's recording
 * activities. Call `useCaseEnvironment()` at the top of a test file.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll } from 'vitest';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { caseView } from '../../workflows/contract.js';
import type { RecordingActivities } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SERVER = path.resolve(HERE, '../../devserver/bin/temporal-dev.js');
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
  /** Waits (in real time) until the case's caseView query shows `stage`. */
  until(stage: string): Promise<void>;
  done: Promise<unknown>;
}

export function useCaseEnvironment(): CaseEnvironment {
  let bundle: WorkflowBundleWithSourceMap;
  const workers: Array<{ worker: Worker; running: Promise<void> }> = [];
  const ctx = {} as CaseEnvironment;

  beforeAll(async () => {
    ctx.env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: SERVER } } });
    bundle = await bundleWorkflowCode({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts') });
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
    const until = async (stage: string) => {
      for (let i = 0; i < 1200; i++) {
        if ((await handle.query(caseView)).stage === stage) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`never reached ${stage} (at ${(await handle.query(caseView)).stage}): ${rec.kinds().join(', ')}`);
    };
    return { rec, input, handle, until, done };
  };
  return ctx;
}

let seq = 0;
/** A case id unique within the test run. */
export const newCaseId = (prefix: string) => `${prefix}${++seq}-${Math.random().toString(36).slice(2, 8)}`;
