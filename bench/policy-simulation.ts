// The policy what-if at the size of a month (not a test; prints figures):
//
//   npm run bench:policy-simulation                  (BENCH_CASES=1000)
//   BENCH_CASES=200 npm run bench:policy-simulation  (quick)
//
// BENCH_CASES recorded return cases opened over 30 days (60 to 30 days ago, so every input of a
// case is in the past, as in a real month's history), in the shape the API records them
// (CaseInput: the opening as the workflow input with its policy version, then each update and
// signal with its offset), from a seeded mix of what happens to returns:
//
//   45 %  inside the window: approved by policy, shipped on day 1–4, scanned 2–3 days later,
//         inspected within hours, refunded; half answer the revisit
//   15 %  outside the window (delivered 9–14 days before): an agent rejects within hours
//   10 %  outside the window: an agent approves; shipped, scanned, inspected, refunded
//   20 %  inside the window, approved, never shipped
//   10 %  inside the window, shipped on day 6 (late for a 5-day deadline), refunded
//
// The simulator (simulation/engine.ts, as the worker's job runs it) replays them under the
// current policy (the baseline run) and under a candidate (15-day no-reason window, 5 days to
// ship). Printed: both runs' time, time per case, the same two runs again on the warm simulator
// (not the goal: a job starts its simulator cold), the memory of the simulator's process (its dev
// servers, workers and cases: RSS, peak sampled every 250 ms; with BENCH_IN_PROCESS=1 it runs in
// this process, and the heap is printed too) and what the candidate changed. Goal (issue
// 15): both runs in < 60 s for 1,000 cases.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { TimedInput } from '../domain/case-inputs.js';
import { defaultPolicy } from '../domain/policy.js';
import { compareRuns } from '../simulation/report.js';
import { startSimulator, startSimulatorProcess, type RecordedCase, type Simulator } from '../simulation/index.js';
import { report, type Result } from './support/results.js';

const CASES = Number(process.env.BENCH_CASES ?? 1000);
const CONCURRENCY = process.env.BENCH_CONCURRENCY ? Number(process.env.BENCH_CONCURRENCY) : undefined;
const SHARDS = Number(process.env.BENCH_SHARDS ?? 4);
if (!Number.isInteger(CASES) || CASES < 1 || (CONCURRENCY !== undefined && !(CONCURRENCY > 0))) {
  console.error('BENCH_CASES and BENCH_CONCURRENCY: positive integers');
  process.exit(2);
}
const DAY = 86_400_000;
const HOUR = 3_600_000;
const GOAL_SECONDS = 60 * (CASES / 1000);
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

Runtime.install({ logger: new DefaultLogger('ERROR') });

/** mulberry32: the same month every run. */
function random(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rnd = random(15);
const between = (lo: number, hi: number) => lo + rnd() * (hi - lo);

function recordedReturn(n: number, periodStart: number): RecordedCase {
  const caseId = `bench-${n}`;
  const workflowId = `case-${caseId}`;
  const openedAt = Math.round(periodStart + rnd() * 30 * DAY);
  const roll = rnd();
  const kind = roll < 0.45 ? 'refunded' : roll < 0.6 ? 'agentRejects' : roll < 0.7 ? 'agentApproves' : roll < 0.9 ? 'neverShips' : 'shipsLate';
  const outsideWindow = kind === 'agentRejects' || kind === 'agentApproves';
  const deliveredAt = openedAt - Math.round((outsideWindow ? between(9, 14) : between(1, 5)) * DAY);
  const timeline: TimedInput[] = [];
  const input = (afterMs: number, via: 'UPDATE' | 'SIGNAL', kind: string, arg: unknown) => timeline.push({ afterMs: Math.round(afterMs), via, kind, workflowId, arg, outcome: 'ACCEPTED', reason: null });
  let at = 0;
  if (outsideWindow) {
    at = between(1, 6) * HOUR;
    input(at, 'UPDATE', 'propose', { by: { kind: 'agent', id: 'agent-1' }, decision: kind === 'agentRejects' ? 'REJECT' : 'APPROVE', reason: 'bench' });
  }
  if (kind === 'refunded' || kind === 'agentApproves' || kind === 'shipsLate') {
    const tracking = `SFB${String(n).padStart(6, '0')}`;
    at = kind === 'shipsLate' ? 6 * DAY + between(1, 10) * HOUR : at + between(1, 4) * DAY;
    input(at, 'UPDATE', 'submitReturnShipment', { carrier: 'SF', trackingNumber: tracking });
    at += between(2, 3) * DAY;
    input(at, 'SIGNAL', 'arrivalScanned', { trackingNumber: tracking, scannedBy: 'dock-1', scannedAt: openedAt + at });
    at += between(1, 6) * HOUR;
    input(at, 'UPDATE', 'reportInspection', { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] });
    // The revisit comes 3 days after the refund; half the customers answer within a day.
    if (rnd() < 0.5) input(at + 3 * DAY + between(2, 20) * HOUR, 'UPDATE', 'answerRevisit', { score: 4 + Math.round(rnd()), comment: 'ok' });
  }
  return {
    caseId,
    workflowType: 'returnAndRefund',
    openedAt,
    opening: {
      caseId,
      merchantId: 'bench-merchant',
      policy: { policyVersion: 1 },
      order: {
        orderId: `bo-${n}`,
        currency: 'CNY',
        items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }],
        shippingFeeMinor: 0,
        paidTotalMinor: 6666,
        shippedAt: deliveredAt - 2 * DAY,
        deliveredAt,
      },
      request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }], evidenceUrls: [] },
      customer: { id: `bc-${n}`, locale: 'zh-CN' },
      openedAt,
      returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州市余杭区 1 号仓' },
    },
    timeline,
  };
}

const periodStart = Date.now() - 60 * DAY;
const cases = Array.from({ length: CASES }, (_, n) => recordedReturn(n, periodStart));
const policy = defaultPolicy(1);
const candidate = { ...policy, version: 2, rules: { ...policy.rules, noReasonReturnDays: 15, customerShipReturnDays: 5 } };

// As the platform's job runs it: in a process of its own (BENCH_IN_PROCESS=1: in this one).
const IN_PROCESS = process.env.BENCH_IN_PROCESS === '1';
let peakRss = 0;
let peakHeap = 0;
let childPid: number | undefined;
/** The simulator process's resident set (VmRSS), or 0 once it is gone. */
function childRss(pid: number): number {
  try {
    const kib = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return Number(kib ?? 0) * 1024;
  } catch {
    return 0;
  }
}
const sampler = setInterval(() => {
  if (childPid !== undefined) return void (peakRss = Math.max(peakRss, childRss(childPid)));
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
}, 250);
const MiB = 1024 * 1024;

console.log(`policy what-if: ${CASES} recorded returns over 30 days, ${SHARDS} shards, ${IN_PROCESS ? 'in this process' : 'in a process of its own'}, load ${load()}`);
const t0 = performance.now();
let simulator: Simulator;
if (IN_PROCESS) simulator = await startSimulator({ shards: SHARDS });
else ({ pid: childPid } = simulator = await startSimulatorProcess({ shards: SHARDS }));
const t1 = performance.now();
const options = CONCURRENCY ? { concurrency: CONCURRENCY } : {};
const baseline = await simulator.run(cases, { policy }, options);
const t2 = performance.now();
const what = await simulator.run(cases, { policy: candidate }, options);
const t3 = performance.now();
// The same two runs again on the now warm simulator: how much of the first pair was warming up
// (each shard's workflow thread compiling the bundle's code, the server's first calls).
await simulator.run(cases, { policy }, options);
await simulator.run(cases, { policy: candidate }, options);
const t4 = performance.now();
await simulator.close();
clearInterval(sampler);

const result = compareRuns(baseline, what, { rules: { noReasonReturnDays: 15, customerShipReturnDays: 5 } });
// BENCH_DUMP=file: the per-case rows, to compare two runs of the bench (the replay is deterministic).
if (process.env.BENCH_DUMP) (await import('node:fs')).writeFileSync(process.env.BENCH_DUMP, JSON.stringify(result.rows, null, 1));
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const both = t3 - t1;
const total = (name: string) => result.totals.find((t) => t.name === name)!;
console.log(`start-up (dev server, worker, workflow bundle): ${seconds(t1 - t0)} s; baseline ${seconds(t2 - t1)} s, candidate ${seconds(t3 - t2)} s; load ${load()}`);
console.log(`baseline: ${baseline.filter((r) => r.diverged).length} diverged (a faithful replay has none), ${result.counts.unfinished.baseline} unfinished`);
console.log(`candidate: ${result.counts.changed} cases changed, ${result.counts.diverged} diverged, ${result.counts.assumed} assumed; approved ${total('approvedMinor').difference} minor, refunded ${total('refundedMinor').difference} minor more`);
const results: Result[] = [
  {
    figure: `policy what-if, ${CASES} recorded returns over 30 days: baseline + candidate run`,
    measured: `${seconds(both)} s (${(both / (2 * CASES)).toFixed(1)} ms per case run; start-up ${seconds(t1 - t0)} s)`,
    ratio: `candidate/baseline ${((t3 - t2) / (t2 - t1)).toFixed(2)}`,
    goal: `< ${GOAL_SECONDS} s`,
    pass: both / 1000 < GOAL_SECONDS,
  },
  {
    figure: 'policy what-if: the same two runs again, on the warm simulator',
    measured: `${seconds(t4 - t3)} s (${((t4 - t3) / (2 * CASES)).toFixed(1)} ms per case run)`,
    ratio: `${((t4 - t3) / both).toFixed(2)} of the first pair`,
  },
  {
    figure: `policy what-if: peak memory of the simulator's process (dev servers, workers, simulated cases)`,
    measured: `RSS ${(peakRss / MiB).toFixed(0)} MiB${IN_PROCESS ? `, heap ${(peakHeap / MiB).toFixed(0)} MiB` : ''}`,
  },
];
report(results, 'Policy what-if');
