// Full 30-day return-and-refund lifecycles on the project's time-skipping dev server (not a test; prints figures):
//
//   npm run bench:lifecycles                               (BENCH_CASES=1000)
//   BENCH_CASES=200 BENCH_REPS=1 npm run bench:lifecycles  (quick run)
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/case-lifecycles.ts   (profile: the server runs in this process)
//
// One dev server in this process (time skipping, as the workflow tests run it:
// test/support/time-skipping-environment.ts), one worker with the real workflow bundle and cheap
// in-memory activities (bench/support/case-activities.ts; no Postgres — the target is the workflow
// engine), and a client driving every case through its commands as test/workflows/return-refund.test.ts
// does, BENCH_CONCURRENCY cases in flight at a time:
//
//   day 0   open → approved by policy → AWAITING_RETURN_SHIPMENT
//   day 2   the customer ships (update submitReturnShipment) → AWAITING_ARRIVAL
//   day 5   the warehouse scans the parcel (signal arrivalScanned) → AWAITING_INSPECTION
//   day 5⅙  inspection reported (update reportInspection) → refund, ledger → RESOLVED
//   day 30  the revisit (policy revisitAfterDays 25) → AWAITING_REVISIT; answered (update answerRevisit) → CLOSED_SATISFIED
//
// Virtual time is one clock for the whole server, so the cases move through their days together:
// every case is driven to the stage that waits, then time skips ahead (TestService
// UnlockTimeSkippingWithSleep, `env.sleep` in the tests) and the next command goes to every case.
// Time is locked otherwise, so no deadline fires while the client is between two commands.
//
// BENCH_WORKER=platform (default): the worker as the platform runs its case worker (worker/worker.ts,
// worker/workflow-bundle.ts): no stack per promise in the sandbox, two workflow threads; `sdk`: the
// SDK's defaults (stack traces captured for every promise, one workflow thread), as the figures
// before 2026-12-02 were measured.
//
// Baseline in the same run, server and worker: as many of the smallest workflow with the same long
// wait (one activity, then a 30-day timer: bench/case-workflows.ts), started, skipped through their
// 30 days and their results awaited. Goal (the issue): 1,000 lifecycles in < 60 s.
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, type WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: under tsx only the default export is there
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { InProcessTimeSkippingEnvironment } from '../test/support/time-skipping-environment.js';
import { answerRevisit, arrivalScanned, reportInspection, submitReturnShipment } from '../workflows/contract.js';
import { CheapCaseActivities } from './support/case-activities.js';
import { returnInput } from './support/case-input.js';
import { median, report, type Result } from './support/results.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const CASES = Number(process.env.BENCH_CASES ?? 1000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const GOAL_SECONDS = 60 * (CASES / 1000);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 900);
const WORKER = process.env.BENCH_WORKER ?? 'platform';
if (WORKER !== 'platform' && WORKER !== 'sdk') {
  console.error(`BENCH_WORKER must be platform or sdk, got ${JSON.stringify(WORKER)}`);
  process.exit(2);
}
const platform = WORKER === 'platform';
if (![CASES, REPS, CONCURRENCY, MAX_SECONDS].every((n) => Number.isInteger(n) && n > 0)) {
  console.error('BENCH_CASES, BENCH_REPS, BENCH_CONCURRENCY, BENCH_MAX_SECONDS: positive integers');
  process.exit(2);
}
const DAY = 86_400_000;
const HOUR = 3_600_000;
const TASK_QUEUE = 'bench-lifecycles';
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const started = Date.now();

Runtime.install({ logger: new DefaultLogger('ERROR') });

/** Runs `job` over `items` with at most `limit` in flight; every loop is bounded by BENCH_MAX_SECONDS. */
async function pool<T>(items: T[], limit: number, job: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        if (Date.now() - started > MAX_SECONDS * 1000) throw new Error(`benchmark time limit reached (BENCH_MAX_SECONDS=${MAX_SECONDS})`);
        await job(items[next++]!);
      }
    }),
  );
}

const env = await InProcessTimeSkippingEnvironment.start();
const client = new Client({ connection: env.connection });
await registerCaseSearchAttributes(env.connection, 'default');
const bundle = await bundleWorkflowCode({
  workflowsPath: path.join(HERE, 'case-workflows.ts'),
  preloadModules: platform ? [path.resolve(HERE, '../worker/no-stack-traces.ts')] : [],
  logger: new DefaultLogger('ERROR'),
});
const activities = new CheapCaseActivities();
const worker = await Worker.create({
  connection: env.nativeConnection,
  taskQueue: TASK_QUEUE,
  workflowBundle: bundle,
  activities,
  // Every open case stays in the worker's cache: an evicted case is replayed from its whole history at its next task.
  maxCachedWorkflows: CASES + 200,
  ...(platform ? { workflowThreadPoolSize: 2 } : {}),
});

let seq = 0;
let phaseLog: string[] = [];
const timed = async (name: string, fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  phaseLog.push(`${name} ${fmt((performance.now() - t0) / 1000, 1)} s`);
};

/** `n` cases from opening to their closing revisit; seconds. */
async function lifecycles(n: number): Promise<number> {
  const t0 = performance.now();
  phaseLog = [];
  const ids = Array.from({ length: n }, () => `bench-${++seq}`);
  const handles = new Map<string, WorkflowHandle>();
  const now = await env.currentTimeMs();
  await timed('open', () =>
    pool(ids, CONCURRENCY, async (id) => {
      handles.set(id, await client.workflow.start('returnAndRefund', { taskQueue: TASK_QUEUE, workflowId: `case-${id}`, args: [returnInput(id, now, { revisitAfterDays: 25 })] }));
      await activities.reached(id, 'AWAITING_RETURN_SHIPMENT');
    }),
  );
  await timed('2 days', () => env.sleep(2 * DAY));
  await timed('ship', () =>
    pool(ids, CONCURRENCY, async (id) => {
      await handles.get(id)!.executeUpdate(submitReturnShipment, { args: [{ carrier: 'SF', trackingNumber: `SF-${id}` }] });
      await activities.reached(id, 'AWAITING_ARRIVAL');
    }),
  );
  await timed('3 days', () => env.sleep(3 * DAY));
  const scannedAt = await env.currentTimeMs();
  await timed('arrive', () =>
    pool(ids, CONCURRENCY, async (id) => {
      await handles.get(id)!.signal(arrivalScanned, { trackingNumber: `SF-${id}`, scannedAt, scannedBy: 'scanner-1' });
      await activities.reached(id, 'AWAITING_INSPECTION');
    }),
  );
  await timed('4 hours', () => env.sleep(4 * HOUR));
  await timed('inspect', () =>
    pool(ids, CONCURRENCY, async (id) => {
      await handles.get(id)!.executeUpdate(reportInspection, { args: [{ by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] }] });
      await activities.reached(id, 'RESOLVED');
    }),
  );
  // The revisits fall due while time skips: each fires its timer and runs its workflow task, which
  // holds the clock until the case has asked its question (the server's work locks).
  await timed('25 days', () => env.sleep(25 * DAY + HOUR));
  await timed('revisit', () =>
    pool(ids, CONCURRENCY, async (id) => {
      await activities.reached(id, 'AWAITING_REVISIT');
      const handle = handles.get(id)!;
      await handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
      const outcome = await handle.result();
      if (outcome !== 'CLOSED_SATISFIED') throw new Error(`case ${id} ended ${String(outcome)}`);
      activities.forget(id);
    }),
  );
  return (performance.now() - t0) / 1000;
}

/** `n` of the baseline workflow (one activity, one 30-day timer): started, skipped through, results awaited; seconds. */
async function baseline(n: number): Promise<number> {
  const t0 = performance.now();
  phaseLog = [];
  const ids = Array.from({ length: n }, () => `base-${++seq}`);
  const handles: WorkflowHandle[] = [];
  await timed('start', () => pool(ids, CONCURRENCY, async (id) => handles.push(await client.workflow.start('activityThenMonth', { taskQueue: TASK_QUEUE, workflowId: id, args: [1] }))));
  // Every started workflow holds the clock until its timer is set (a scheduled task or activity is a work lock).
  await timed('30 days', () => env.sleep(30 * DAY + HOUR));
  await timed('results', () => pool(handles, CONCURRENCY, (h) => h.result()));
  return (performance.now() - t0) / 1000;
}

/** Events, workflow tasks, activities and timers in the history of one case (what each lifecycle costs the server and the worker). */
async function shapeOf(workflowId: string): Promise<string> {
  const events = (await client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
  const { EventType } = proto.temporal.api.enums.v1;
  const n = (t: number) => events.filter((e) => e.eventType === t).length;
  return `${events.length} events, ${n(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED)} workflow tasks, ${n(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)} activities, ${n(EventType.EVENT_TYPE_TIMER_STARTED)} timers, ${n(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)} updates, ${n(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)} signal`;
}

const results: Result[] = [];
try {
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model?.trim()}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
  console.log(`# case lifecycles — ${machine}; load average at start ${load()}`);
  console.log(`${fmt(CASES)} cases per repetition, ${CONCURRENCY} in flight, ${REPS} repetitions (baseline, then lifecycles); worker: ${WORKER}`);
  await worker.runUntil(async () => {
    // Warm-up: JIT, the bundle's first contexts, connections.
    await baseline(50);
    await lifecycles(50);
    const base: number[] = [];
    const life: number[] = [];
    for (let rep = 0; rep < REPS; rep++) {
      base.push(await baseline(CASES));
      const basePhases = phaseLog.join(', ');
      life.push(await lifecycles(CASES));
      console.log(
        `  rep ${rep + 1}: baseline ${fmt(base[rep]!, 1)} s (${basePhases}); lifecycles ${fmt(life[rep]!, 1)} s (${phaseLog.join(', ')}); load ${load()}`,
      );
    }
    // Closed runs stay for the namespace's retention (7 virtual days): the last case is still there.
    console.log(`  one lifecycle's history: ${await shapeOf(`case-bench-${seq}`)}`);
    const b = median(base);
    const l = median(life);
    const range = (xs: number[]) => (xs.length > 1 ? ` (${fmt(Math.min(...xs), 1)}–${fmt(Math.max(...xs), 1)})` : '');
    results.push({ figure: `baseline: ${fmt(CASES)} × (1 activity + 30-day timer), same server and worker`, measured: `${fmt(b, 1)} s${range(base)}`, ratio: '1' });
    results.push({
      figure: `${fmt(CASES)} return-and-refund lifecycles (open → … → revisit answered, 30 virtual days)`,
      measured: `${fmt(l, 1)} s${range(life)} = ${fmt(CASES / l, 1)}/s`,
      ratio: `${fmt(l / b, 2)} × baseline`,
      goal: `< ${fmt(GOAL_SECONDS)} s`,
      pass: l < GOAL_SECONDS,
    });
  });
  report(results, `Case lifecycles (${machine}; load average at end ${load()}; ${fmt((Date.now() - started) / 1000)} s in all)`);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  await env.teardown().catch(() => undefined);
}
process.exit(process.exitCode ?? 0);
