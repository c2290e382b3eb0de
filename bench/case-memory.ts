// Dev server memory per open return-and-refund case (not a test; prints figures):
//
//   npm run bench:case-memory                              (BENCH_OPEN=10000)
//   BENCH_OPEN=10000,100000 npm run bench:case-memory      (the full target: 100,000 in ≤ 2 GB; cumulative)
//   BENCH_OPEN=2000 npm run bench:case-memory              (quick run)
//
// The server (devserver/bin/temporal-dev.js, the compiled build) runs in a process of its own, as
// in bench/devserver.mjs, so that its resident set (VmRSS) is its own. One worker in this process
// with the real workflow bundle and cheap in-memory activities (bench/support/case-activities.ts)
// opens BENCH_OPEN real return-and-refund cases (approved by policy), and each runs until its first
// wait for the customer, AWAITING_RETURN_SHIPMENT, with its last workflow task done. Figure: (RSS −
// baseline) / open cases, baseline = RSS after start-up and 100 warm-up cases. Goal: ≤ 20 KiB per
// open case (100,000 cases in ≤ 2 GB).
//
// BENCH_SERVER_NODE_ARGS passes Node flags to the server (e.g. `--heapsnapshot-signal=SIGUSR2`,
// `--cpu-prof`); BENCH_SERVER_BIN runs another build, for before/after figures.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { CheapCaseActivities } from './support/case-activities.js';
import { returnInput } from './support/case-input.js';
import { median, report, type Result } from './support/results.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// The server's executable, run through a wrapper that reports process.memoryUsage() on SIGUSR2
// (BENCH_SERVER_BIN, read by the wrapper, runs another build).
const WRAPPER = path.join(HERE, 'support/server-with-memory.mjs');
const OPEN = (process.env.BENCH_OPEN ?? '10000').split(',').map(Number);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 200);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 3600);
const GOAL_KIB = 20;
if (![CONCURRENCY, MAX_SECONDS, ...OPEN].every((n) => Number.isInteger(n) && n > 0) || OPEN.some((n, i) => i > 0 && n <= OPEN[i - 1]!)) {
  console.error('BENCH_CONCURRENCY, BENCH_MAX_SECONDS: positive integers; BENCH_OPEN: increasing integers, comma-separated');
  process.exit(2);
}
const TASK_QUEUE = 'bench-case-memory';
const started = Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');
const fmt = (n: number, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const overTime = () => Date.now() - started > MAX_SECONDS * 1000;

Runtime.install({ logger: new DefaultLogger('ERROR') });

// ---------------------------------------------------------------- the server, in a process of its own

let server: ChildProcess | undefined;
process.on('exit', () => server?.kill('SIGKILL'));
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server?.kill('SIGKILL');
    process.exit(130);
  });
}

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });

async function startServer(): Promise<{ address: string; connection: Connection }> {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  server = spawn(process.execPath, [...nodeArgs, '--expose-gc', WRAPPER, '--port', String(port), '--ip', '127.0.0.1', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'pipe'] });
  server.stderr!.setEncoding('utf8');
  let partial = '';
  server.stderr!.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop()!;
    for (const line of lines) {
      if (line.startsWith('MEMORY ')) for (const w of memoryWaiters.splice(0)) w(JSON.parse(line.slice(7)));
      else process.stderr.write(`[server] ${line}\n`);
    }
  });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 150; i++) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`server exited at start-up (${server.exitCode ?? server.signalCode})`);
    try {
      return { address, connection: await Connection.connect({ address, connectTimeout: 500 }) };
    } catch {
      await sleep(100);
    }
  }
  throw new Error('server did not answer within 15 s of spawn');
}

type Memory = { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
const memoryWaiters: Array<(m: Memory) => void> = [];
/** The server's process.memoryUsage() (bytes) after a full GC, through the wrapper's SIGUSR2 (after the RSS samples: the GC changes RSS). */
function serverMemory(): Promise<Memory> {
  const answer = new Promise<Memory>((resolve) => memoryWaiters.push(resolve));
  server!.kill('SIGUSR2');
  return answer;
}

const rssKiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
/** A short settle, then the median of 5 samples 200 ms apart (GC cannot be forced in another process). */
async function rssMedian(pid: number): Promise<number> {
  await sleep(1000);
  const samples: number[] = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssKiB(pid));
    await sleep(200);
  }
  return median(samples);
}

// ---------------------------------------------------------------- cases

async function pool(count: number, limit: number, job: (i: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        if (overTime()) throw new Error(`benchmark time limit reached (BENCH_MAX_SECONDS=${MAX_SECONDS})`);
        await job(next++);
      }
    }),
  );
}

const results: Result[] = [];
try {
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model?.trim()}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}`;
  console.log(`# case memory — ${machine}; load average at start ${load()}`);
  const { address, connection } = await startServer();
  const pid = server!.pid!;
  const client = new Client({ connection });
  await registerCaseSearchAttributes(connection, 'default');
  const bundle = await bundleWorkflowCode({ workflowsPath: path.join(HERE, 'case-workflows.ts'), logger: new DefaultLogger('ERROR') });
  const activities = new CheapCaseActivities();
  const nativeConnection = await NativeConnection.connect({ address });
  // A small cache: the cases wait for weeks, a real worker keeps few of them; the server's memory is what is measured.
  const worker = await Worker.create({ connection: nativeConnection, taskQueue: TASK_QUEUE, workflowBundle: bundle, activities, maxCachedWorkflows: 500 });

  let opened = 0;
  /** Opens `n` more cases and waits until each has reached AWAITING_RETURN_SHIPMENT. */
  const open = (n: number) =>
    pool(n, CONCURRENCY, async () => {
      const id = `mem-${++opened}`;
      const now = Date.now();
      await client.workflow.start('returnAndRefund', { taskQueue: TASK_QUEUE, workflowId: `case-${id}`, args: [returnInput(id, now)] });
      await activities.reached(id, 'AWAITING_RETURN_SHIPMENT');
      activities.forget(id);
    });
  /**
   * Every case settled at its first wait: its step written (recordSteps) and the workflow task
   * after that write done. The length of a settled case's history comes from the warm-up; a case
   * with a shorter one is still on its way.
   */
  let settledLength = 0;
  const untilSettled = async () => {
    for (;;) {
      const q0 = Date.now();
      const { count } = await client.workflow.count(`WorkflowType = 'returnAndRefund' AND ExecutionStatus = 'Running' AND HistoryLength < ${settledLength}`);
      if (count === 0) return;
      if (overTime()) throw new Error(`benchmark time limit reached with ${count} cases not settled`);
      // The count scans every run on the server's one thread: poll no more than 1/5 of the time.
      await sleep(Math.max(500, 4 * (Date.now() - q0)));
    }
  };

  await worker.runUntil(async () => {
    const idle = await rssMedian(pid);
    await open(100);
    // The warm-up cases' histories once nothing is pending: the length every settled case has.
    for (let i = 0; i < 100; i++) {
      const d = await client.workflow.getHandle('case-mem-1').describe();
      const raw = d.raw.pendingActivities?.length ?? 0;
      if (!raw && !d.raw.pendingWorkflowTask) {
        settledLength = d.historyLength;
        break;
      }
      await sleep(100);
    }
    if (!settledLength) throw new Error('the first warm-up case never settled');
    await untilSettled();
    // The baseline after a full GC (what start-up and warm-up left live), so that the figure does not count their garbage.
    const baseMem = await serverMemory();
    const base = await rssMedian(pid);
    console.log(`server RSS idle after start-up ${fmt(idle / 1024, 1)} MiB; after 100 warm-up cases (baseline) ${fmt(base / 1024, 1)} MiB; a settled case's history: ${settledLength} events`);
    for (const target of OPEN) {
      const t0 = Date.now();
      await open(target - (opened - 100));
      await untilSettled();
      const cases = opened - 100;
      const { count: running } = await client.workflow.count(`WorkflowType = 'returnAndRefund' AND ExecutionStatus = 'Running'`);
      if (running !== opened) throw new Error(`expected ${opened} open cases, the server counts ${running}`);
      const rss = await rssMedian(pid);
      const perCase = (rss - base) / cases;
      const mem = await serverMemory();
      const per = (k: keyof Memory) => fmt((mem[k] - baseMem[k]) / 1024 / cases, 1);
      const breakdown = `RSS right after a full GC ${per('rss')} KiB; V8 heap live ${per('heapUsed')} KiB, heap committed ${per('heapTotal')} KiB, Buffers ${per('arrayBuffers')} KiB, the rest of RSS ${fmt((mem.rss - mem.heapTotal - mem.external - (baseMem.rss - baseMem.heapTotal - baseMem.external)) / 1024 / cases, 1)} KiB`;
      console.log(`  ${fmt(cases)} cases open at AWAITING_RETURN_SHIPMENT (+100 warm-up): RSS ${fmt(rss / 1024, 1)} MiB, ${fmt(perCase, 2)} KiB per case (${fmt((Date.now() - t0) / 1000, 0)} s to open; load ${load()})`);
      console.log(`    per case, from the server's process.memoryUsage() over the baseline: ${breakdown}`);
      results.push({
        figure: `server RSS per open case, ${fmt(cases)} cases at their first wait`,
        measured: `${fmt(perCase, 1)} KiB (RSS ${fmt(rss / 1024, 0)} MiB)`,
        ratio: `baseline ${fmt(base / 1024, 1)} MiB`,
        goal: `≤ ${GOAL_KIB} KiB`,
        pass: perCase <= GOAL_KIB,
      });
      results.push({ figure: `of which (process.memoryUsage() over the baseline, per case)`, measured: breakdown });
    }
  });
  await nativeConnection.close();
  await connection.close();
  report(results, `Case memory (${machine}; load average at end ${load()}; ${fmt((Date.now() - started) / 1000)} s in all)`);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  process.exitCode = 1;
} finally {
  server?.kill('SIGKILL');
}
process.exit(process.exitCode ?? 0);
