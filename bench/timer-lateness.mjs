// Timer wake lateness of the dev server (not a test; prints figures and a pass/fail against 1 s).
//
//   npm run bench:timers                     (builds the server first; runs under tsx for worker/tuning.ts)
//   BENCH_TIMERS=10000 BENCH_BACKLOG=2000 BENCH_STARTS_PER_SEC=50 node --import tsx bench/timer-lateness.mjs
//
// BENCH_TIMERS workflows (`wakeAt`) each run their first task and sleep until one common due time.
// In the 2 s before it, BENCH_BACKLOG new workflows (`newcomer`) are started on the same task queue
// (a queue of first tasks in front of the timers), and from then on BENCH_STARTS_PER_SEC more per
// second until every timer's workflow has completed. One worker in this process, caching
// BENCH_CACHE runs (unset: the SDK's default, sized by the heap, as the platform's worker runs);
// BENCH_WFT_SLOTS and BENCH_WFT_POLLS set its workflow task slots and pollers (unset: the SDK's 40
// and 10). Lateness of a timer = start time of the workflow task that delivers its
// TimerFired minus its due time (TimerStarted time + duration), read from each history. The goal:
// p99 ≤ 1 s. BENCH_SERVER_BIN runs another build of the server (before/after figures).
import { spawn } from 'node:child_process';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { CASE_WORKER_TUNING } from '../worker/tuning.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = process.env.BENCH_SERVER_BIN ?? path.resolve(HERE, '../devserver/bin/temporal-dev.js');
const TIMERS = Number(process.env.BENCH_TIMERS ?? 10000);
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 2000);
const STARTS_PER_SEC = Number(process.env.BENCH_STARTS_PER_SEC ?? 50);
const CACHE = process.env.BENCH_CACHE === undefined ? undefined : Number(process.env.BENCH_CACHE);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 900);
// BENCH_WORKER=platform (default): the worker as the platform runs its case worker (worker/tuning.ts:
// two workflow threads, 300 workflow task slots, no stack traces in the sandbox); sdk: the SDK's defaults.
const WORKER = process.env.BENCH_WORKER ?? 'platform';
if (WORKER !== 'platform' && WORKER !== 'sdk') throw new Error(`BENCH_WORKER must be platform or sdk, got ${JSON.stringify(WORKER)}`);
const GOAL_MS = 1000;

Runtime.install({ logger: new DefaultLogger('ERROR') });
const deadline = Date.now() + MAX_SECONDS * 1000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const check = () => {
  if (Date.now() > deadline) throw new Error(`benchmark time limit reached (BENCH_MAX_SECONDS=${MAX_SECONDS})`);
};

let child;
process.on('exit', () => child?.kill('SIGKILL'));

async function startServer() {
  const port = await new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port: p } = s.address();
      s.close(() => resolve(p));
    });
  });
  child = spawn(process.execPath, [BIN, '--port', String(port), '--ip', '127.0.0.1', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      return { address, connection: await Connection.connect({ address, connectTimeout: 500 }) };
    } catch {
      await sleep(100);
    }
  }
  throw new Error('server did not answer within 10 s of spawn');
}

/** Runs `job(i)` for i < count with at most `limit` in flight. */
async function pool(count, limit, job) {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => {
    while (next < count) {
      check();
      await job(next++);
    }
  }));
}

const eventMs = (e) => Number(e.eventTime.seconds) * 1000 + Math.floor((e.eventTime.nanos ?? 0) / 1e6);
const durMs = (d) => Number(d?.seconds ?? 0) * 1000 + Math.floor((d?.nanos ?? 0) / 1e6);

/** [fire lateness, wake lateness, wake task completed] of the run's timer, from its history. */
function lateness(history) {
  const events = history.events ?? [];
  const started = events.find((e) => e.timerStartedEventAttributes);
  const fired = events.findIndex((e) => e.timerFiredEventAttributes);
  const wake = events.slice(fired).find((e) => e.workflowTaskStartedEventAttributes);
  const woken = events.slice(fired).find((e) => e.workflowTaskCompletedEventAttributes);
  if (!started || fired < 0 || !wake || !woken) throw new Error('history without a fired timer and the task after it');
  const due = eventMs(started) + durMs(started.timerStartedEventAttributes.startToFireTimeout);
  return [eventMs(events[fired]) - due, eventMs(wake) - due, eventMs(woken) - due];
}

try {
  console.log(`# timer wake lateness — ${os.cpus().length} CPUs, Node ${process.version}; ${fmt(TIMERS)} timers due at once, ${fmt(BACKLOG)} new workflows started in the 2 s before, then ${STARTS_PER_SEC}/s; worker cache ${CACHE ?? "the SDK default (by heap size)"}, ${WORKER === 'platform' ? 'as the platform runs it (worker/tuning.ts, no stack traces)' : 'SDK defaults'}; server ${BIN}`);
  const server = await startServer();
  const client = new Client({ connection: server.connection });
  const platform = WORKER === 'platform';
  const bundle = await bundleWorkflowCode({
    workflowsPath: path.join(HERE, 'bench-workflows.ts'),
    preloadModules: platform ? [path.resolve(HERE, '../worker/no-stack-traces.ts')] : [],
    logger: new DefaultLogger('ERROR'),
  });
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const worker = await Worker.create({ connection: nativeConnection, taskQueue: 'timers', workflowBundle: bundle, maxCachedWorkflows: CACHE, ...(platform ? CASE_WORKER_TUNING : {}), ...(process.env.BENCH_WFT_SLOTS ? { maxConcurrentWorkflowTaskExecutions: Number(process.env.BENCH_WFT_SLOTS) } : {}), ...(process.env.BENCH_WFT_POLLS ? { maxConcurrentWorkflowTaskPolls: Number(process.env.BENCH_WFT_POLLS) } : {}) });
  const result = await worker.runUntil(async () => {
    // Long enough to start every timer workflow and run its first task (measured ~300 first tasks/s here).
    const due = Date.now() + 10_000 + TIMERS * 8;
    let t0 = Date.now();
    await pool(TIMERS, 100, (i) => client.workflow.start('wakeAt', { taskQueue: 'timers', workflowId: `wake-${i}`, args: [due] }));
    for (;;) {
      const { count } = await client.workflow.count(`WorkflowType = 'wakeAt' AND ExecutionStatus = 'Running' AND HistoryLength < 5`);
      if (count === 0) break;
      check();
      await sleep(500);
    }
    console.log(`  ${fmt(TIMERS)} timers armed in ${fmt((Date.now() - t0) / 1000, 1)} s; due in ${fmt((due - Date.now()) / 1000, 1)} s`);
    if (Date.now() > due - 3000) console.log('  warning: less than 3 s left before the due time; the backlog is started late');
    await sleep(Math.max(0, due - 2000 - Date.now()));
    // The backlog of new workflows, then a steady trickle until every timer's workflow completed.
    t0 = Date.now();
    let started = 0;
    await pool(BACKLOG, 100, () => client.workflow.start('newcomer', { taskQueue: 'timers', workflowId: `new-${started++}` }));
    console.log(`  ${fmt(BACKLOG)} new workflows started in ${fmt((Date.now() - t0) / 1000, 1)} s`);
    let done = false;
    const trickle = (async () => {
      while (!done) {
        const tick = Date.now();
        await Promise.all(Array.from({ length: Math.max(1, Math.round(STARTS_PER_SEC / 10)) }, () => client.workflow.start('newcomer', { taskQueue: 'timers', workflowId: `new-${started++}` })));
        await sleep(Math.max(0, 100 - (Date.now() - tick)));
      }
    })();
    for (;;) {
      const { count } = await client.workflow.count(`WorkflowType = 'wakeAt' AND ExecutionStatus = 'Running'`);
      if (count === 0) break;
      check();
      await sleep(500);
    }
    done = true;
    await trickle;
    console.log(`  every timer's workflow completed ${fmt((Date.now() - due) / 1000, 1)} s after the due time; ${fmt(started)} new workflows started meanwhile`);
    return { started };
  });
  await nativeConnection.close();
  const fire = [];
  const wake = [];
  const woken = [];
  await pool(TIMERS, 50, async (i) => {
    const history = await client.workflow.getHandle(`wake-${i}`).fetchHistory();
    const [f, w, c] = lateness(history);
    fire.push(f);
    wake.push(w);
    woken.push(c);
  });
  for (const figures of [fire, wake, woken]) figures.sort((a, b) => a - b);
  const { count: firstDone } = await client.workflow.count(`WorkflowType = 'newcomer' AND HistoryLength >= 5`);
  console.log('\n| figure | p50 | p99 | max |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| timer fired after its due time | ${fmt(pct(fire, 50))} ms | ${fmt(pct(fire, 99))} ms | ${fmt(fire.at(-1))} ms |`);
  console.log(`| workflow task started after the timer's due time | ${fmt(pct(wake, 50))} ms | ${fmt(pct(wake, 99))} ms | ${fmt(wake.at(-1))} ms |`);
  // Started is the goal's figure (the server's schedule-to-start); completed shows whether a task
  // was started only to wait inside the worker for a free thread.
  console.log(`| workflow task completed after the timer's due time | ${fmt(pct(woken, 50))} ms | ${fmt(pct(woken, 99))} ms | ${fmt(woken.at(-1))} ms |`);
  console.log(`\nnew workflows whose first task ran by the end: ${fmt(firstDone)} of ${fmt(result.started)}`);
  const pass = pct(wake, 99) <= GOAL_MS;
  console.log(`${pass ? 'PASS' : 'FAIL'}: p99 wake lateness ${fmt(pct(wake, 99))} ms ${pass ? '≤' : '>'} goal ${GOAL_MS} ms`);
  // For npm run bench (bench/run-all.ts): one machine-readable line per figure.
  console.log(`RESULT\t${JSON.stringify({ figure: `timer's workflow task started after its due time, p99 (${fmt(TIMERS)} due at once, new starts meanwhile)`, measured: `${fmt(pct(wake, 99))} ms`, ratio: `p50 ${fmt(pct(wake, 50))} ms; task completed p99 ${fmt(pct(woken, 99))} ms; server fired p99 ${fmt(pct(fire, 99))} ms`, goal: `≤ ${GOAL_MS} ms`, pass })}`);
  await server.connection.close();
  child.kill('SIGTERM');
  process.exit(0);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  child?.kill('SIGKILL');
  process.exit(1);
}
