/**
 * What the case workflow tests share: the project's time-skipping dev server (in this process,
 * under the official testing API: test/support/time-skipping-environment.ts), one workflow bundle,
 * a plain client (time moves only when a test says so, `env.sleep`), and a worker per case on a
 * task queue of its own, with the case's recording activities. Call `useCaseEnvironment()` at the
 * top of a test file.
 */
import { defaultPolicy, type Policy } from '../../domain/index.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type WorkflowHandle } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, onTestFailed } from 'vitest';
import { registerCaseSearchAttributes } from '../../app/search-attributes.js';
import { caseWorkflowBundle } from '../../worker/workflow-bundle.js';
import { caseView } from '../../workflows/contract.js';
import { createTimeSkippingEnvironment } from '../support/time-skipping-environment.js';
import { waitUntil } from '../support/wait.js';
import type { RecordingActivities } from './recording-activities.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export { createTimeSkippingEnvironment };

/** The workflows of every case type as the worker bundles them, with stack traces (the SDK's default), once per test file; from the bundle cache when unchanged. */
export function bundleCaseWorkflows(): Promise<WorkflowBundleWithSourceMap> {
  return caseWorkflowBundle({ stackTraces: true });
}
/**
 * A shop open round the clock in a zone where it is about 06:00 at `now`: its same day ends some 18
 * hours on, whatever hour the test runs (deadlines that fall in the shop's last hour made tests flaky).
 */
export function roundTheClockShopAtSix(now: number, version: number): Policy {
  const ahead = (6 - new Date(now).getUTCHours() + 24) % 24;
  const offset = ahead > 14 ? ahead - 24 : ahead;
  const timeZone = offset === 0 ? 'Etc/GMT' : offset > 0 ? `Etc/GMT-${offset}` : `Etc/GMT+${-offset}`;
  const p = defaultPolicy();
  return { ...p, version, businessHours: { ...p.businessHours, timeZone, workingDays: [1, 2, 3, 4, 5, 6, 7], open: '00:00', close: '23:59' } };
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;

export interface CaseEnvironment {
  env: TestWorkflowEnvironment;
  client: Client;
  /** Starts `workflow` with `input` on its own worker; the worker stops when the workflow ends. */
  start<R extends RecordingActivities, I extends { caseId: string }>(workflow: string, input: I, rec: R): Promise<CaseRun<R, I>>;
  /** Polls the case's task queue again once it has ended (and its worker stopped), for a child it left running (a courier claim); stopped with the file. */
  serveAfter(run: CaseRun<RecordingActivities, { caseId: string }>): Promise<void>;
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
  const finished: Finished[] = [];
  const ctx = {} as CaseEnvironment;

  beforeAll(async () => {
    ctx.env = await createTimeSkippingEnvironment();
    bundle = await bundleCaseWorkflows();
    ctx.client = new Client({ connection: ctx.env.connection });
    await registerCaseSearchAttributes(ctx.env.connection, 'default');
  }, 120_000);

  // A test that fails half-way leaves its case (and a courier claim it started) running; their
  // timers would then fall due with no worker polling their queue and hold the time-skipping
  // server's clock for every later test of the file. Ended when the test fails, one failure stays
  // one failure (a passing test's cases are left as they are: ending them mid-task only adds noise).
  const endOnFailure = (handle: WorkflowHandle) =>
    onTestFailed(async () => {
      const open = await handle.describe().catch(() => undefined);
      if (open?.status.name !== 'RUNNING') return;
      for (const child of open.raw.pendingChildren ?? []) {
        if (child.workflowId) await ctx.client.workflow.getHandle(child.workflowId).terminate('the test failed with it running').catch(() => undefined);
      }
      await handle.terminate('the test failed with it running').catch(() => undefined);
    });

  afterAll(async () => {
    if (process.env.SAVE_HISTORIES === '1') await saveHistories(finished);
    for (const w of workers) if (w.worker.getState() === 'RUNNING') w.worker.shutdown();
    await Promise.allSettled(workers.map((w) => w.running));
    await ctx.env?.teardown();
  });

  const serve = async (taskQueue: string, rec: RecordingActivities) => {
    const worker = await Worker.create({ connection: ctx.env.nativeConnection, taskQueue, workflowBundle: bundle, activities: rec });
    const running = worker.run();
    workers.push({ worker, running });
    return worker;
  };
  ctx.serveAfter = async (run) => {
    await run.done.catch(() => undefined);
    await serve(`q-${run.input.caseId}`, run.rec);
  };

  ctx.start = async (workflow, input, rec) => {
    const taskQueue = `q-${input.caseId}`;
    const worker = await serve(taskQueue, rec);
    const handle = await ctx.client.workflow.start(workflow, { taskQueue, workflowId: `case-${input.caseId}`, args: [input] });
    endOnFailure(handle);
    const done = handle.result().finally(() => worker.getState() === 'RUNNING' && worker.shutdown());
    // Fetched as soon as the case ends: virtual time runs on, and the server may drop closed runs after their retention.
    if (process.env.SAVE_HISTORIES === '1') done.then(async (outcome) => finished.push({ workflow, history: await handle.fetchHistory(), outcome })).catch(() => undefined);
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

interface Finished {
  workflow: string;
  history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>>;
  outcome: unknown;
}

/** Cases of one file kept per case type: enough variety for the replay test, which stays quick. */
const HISTORIES_PER_TYPE = 4;

/**
 * SAVE_HISTORIES=1 saves the histories of the cases that ended, for the replay test (at most
 * HISTORIES_PER_TYPE per case type and file): test/workflows/histories/<type>-settled-NN-<outcome>.pb
 * (`settled`: recorded under the writer-settles-each-batch patch; `local`: before it, under
 * local-case-steps; `ops`: before that, under ops-search-attributes; `batched`: before that, under
 * batched-case-steps).
 * Binary protobuf: the SDK's historyToJSON trips over two protobufjs majors installed side by side.
 */
async function saveHistories(finished: Finished[]): Promise<void> {
  const dir = path.join(HERE, 'histories');
  mkdirSync(dir, { recursive: true });
  const counts = new Map<string, number>();
  for (const { workflow, history, outcome } of finished) {
    const n = (counts.get(workflow) ?? 0) + 1;
    if (n > HISTORIES_PER_TYPE) continue;
    counts.set(workflow, n);
    const type = workflow.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    const name = `${type}-settled-${String(n).padStart(2, '0')}-${String(outcome).replace(/[^\w]+/g, '_').slice(0, 40)}.pb`;
    writeFileSync(path.join(dir, name), temporal.api.history.v1.History.encode(history).finish());
  }
}

/**
 * SAVE_HISTORIES=1: saves one ended case's history as histories/<name>-<OUTCOME>.pb, for a path
 * the replay test must hold that the first cases of a file may not take (a patch's new branch).
 */
export async function saveHistory(run: { handle: WorkflowHandle; done: Promise<unknown> }, name: string): Promise<void> {
  if (process.env.SAVE_HISTORIES !== '1') return;
  const outcome = await run.done;
  writeFileSync(path.join(HERE, 'histories', `${name}-${String(outcome)}.pb`), temporal.api.history.v1.History.encode(await run.handle.fetchHistory()).finish());
}

let seq = 0;
/** A case id unique within the test run. */
export const newCaseId = (prefix: string) => `${prefix}${++seq}-${Math.random().toString(36).slice(2, 8)}`;
