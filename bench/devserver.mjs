// Benchmark of the Temporal-compatible dev server (not a test; prints figures).
//
//   npm run bench:devserver                                     (builds the server first)
//   BENCH_REPS=3 BENCH_N=1000 BENCH_CONCURRENCY=100 BENCH_OPEN=10000,100000 node bench/devserver.mjs
//   BENCH_REPS=1 BENCH_N=300 BENCH_OPEN=2000 node bench/devserver.mjs            (quick run, ~1 min)
//
// 1. Throughput with one worker: workflows (one activity + one 100 ms timer) started and
//    completed per second; baselines in the same run and server process: bare unary round trips
//    (GetSystemInfo) per second, and starts per second with no worker polling the task queue.
// 2. Memory: the server's resident set (VmRSS of its own process) per open workflow waiting on
//    a timer, with 10,000 and 100,000 open workflows, over a baseline after start-up and warm-up.
//
// The server runs in a process of its own (so its RSS is its own and it does not share the event
// loop with the client and the worker), listening on 127.0.0.1 only; it is killed on every way out.
// Every request loop is bounded in count and by BENCH_MAX_SECONDS.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// BENCH_SERVER_BIN runs another build of the server (e.g. a copy made before a change) for before/after figures.
const BIN = process.env.BENCH_SERVER_BIN ?? path.resolve(HERE, '../devserver/bin/temporal-dev.js');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const OPEN = (process.env.BENCH_OPEN ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const OPEN_CONCURRENCY = Number(process.env.BENCH_OPEN_CONCURRENCY ?? 200);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 1800);
if (![REPS, N, CONCURRENCY, OPEN_CONCURRENCY, MAX_SECONDS].every((n) => Number.isInteger(n) && n > 0) || OPEN.some((n) => !Number.isInteger(n)) || OPEN.some((n, i) => i > 0 && n <= OPEN[i - 1])) {
  console.error('BENCH_REPS, BENCH_N, BENCH_CONCURRENCY, BENCH_OPEN_CONCURRENCY, BENCH_MAX_SECONDS: positive integers; BENCH_OPEN: increasing integers, comma-separated');
  process.exit(2);
}

Runtime.install({ logger: new DefaultLogger('ERROR') });
const started = Date.now();
const deadline = started + MAX_SECONDS * 1000;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const secondsSince = (t0) => (Date.now() - t0) / 1000;
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ');

// ---------------------------------------------------------------- server process

/** Every server process this run spawned, killed on any way out (error, Ctrl-C, exit). */
const servers = new Set();
const killAll = () => {
  for (const child of servers) child.kill('SIGKILL');
};
process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}
/** Lines the server wrote to stderr (warnings and errors; it runs with --log-level warn). */
let serverLogLines = 0;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().on('error', reject).listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const nodeArgs = process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...nodeArgs, BIN, '--port', String(port), '--ip', '127.0.0.1', '--log-level', 'warn'], { stdio: ['ignore', 'inherit', 'pipe'] });
  servers.add(child);
  child.once('exit', () => servers.delete(child));
  child.stderr.setEncoding('utf8');
  let partial = '';
  child.stderr.on('data', (chunk) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      serverLogLines++;
      process.stderr.write(`[server] ${line}\n`);
    }
  });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited at start-up (${child.exitCode ?? child.signalCode})`);
    try {
      const c = await Connection.connect({ address, connectTimeout: 500 });
      return { child, address, connection: c };
    } catch {
      await sleep(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error('server did not answer within 10 s of spawn');
}

/** SIGTERM (so a profiled server can write its profile), SIGKILL if it lingers. */
async function stopServer(server) {
  await server.connection.close().catch(() => {});
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

function rssKiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]);
}

/** A short settle, then the median of 5 samples 200 ms apart (GC cannot be forced in another process). */
async function rssMedian(pid) {
  await sleep(1000);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssKiB(pid));
    await sleep(200);
  }
  return median(samples);
}

// ---------------------------------------------------------------- load generation

/** Runs `count` jobs with at most `limit` in flight; returns jobs per second. */
async function rate(count, limit, job) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error(`benchmark time limit reached (BENCH_MAX_SECONDS=${MAX_SECONDS})`);
        await job(next++);
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

const bundle = await bundleWorkflowCode({ workflowsPath: path.join(HERE, 'bench-workflows.ts'), logger: new DefaultLogger('ERROR') });

/** One worker (in this process) on `taskQueue` while `fn` runs. */
async function withWorker(address, taskQueue, fn, options = {}) {
  const nativeConnection = await NativeConnection.connect({ address });
  try {
    const worker = await Worker.create({
      connection: nativeConnection,
      taskQueue,
      workflowBundle: bundle,
      activities: { touch: async (n) => n },
      maxCachedWorkflows: 1000,
      ...options,
    });
    return await worker.runUntil(fn());
  } finally {
    await nativeConnection.close();
  }
}

// ---------------------------------------------------------------- throughput

async function throughput() {
  console.log(`throughput: ${REPS} repetitions × ${fmt(N)} workflows, ${CONCURRENCY} in flight (fresh server process per repetition)`);
  const rows = { rpc: [], starts: [], completed: [] };
  for (let rep = 0; rep < REPS; rep++) {
    const t0 = Date.now();
    const server = await startServer();
    try {
      const client = new Client({ connection: server.connection });
      // warm-up: JIT, the worker's bundle load, connections
      await withWorker(server.address, 'warm', () =>
        Promise.all(Array.from({ length: 50 }, (_, i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: 'warm', workflowId: `warm-${rep}-${i}`, args: [i] }))),
      );
      rows.rpc.push(await rate(N * 2, CONCURRENCY, () => server.connection.workflowService.getSystemInfo({})));
      rows.starts.push(await rate(N, CONCURRENCY, (i) => client.workflow.start('oneActivityOneTimer', { taskQueue: `idle-${rep}`, workflowId: `idle-${rep}-${i}`, args: [i] })));
      rows.completed.push(
        await withWorker(server.address, `tp-${rep}`, () =>
          rate(N, CONCURRENCY, (i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: `tp-${rep}`, workflowId: `tp-${rep}-${i}`, args: [i] })),
        ),
      );
      console.log(
        `  rep ${rep + 1}: round trips ${fmt(rows.rpc[rep])}/s, starts ${fmt(rows.starts[rep])}/s, completed ${fmt(rows.completed[rep], 1)}/s` +
          ` (${fmt(secondsSince(t0), 1)} s, load ${load()})`,
      );
    } finally {
      await stopServer(server);
    }
  }
  return rows;
}

// ---------------------------------------------------------------- memory per open workflow

async function memory() {
  const results = [];
  const server = await startServer();
  try {
    const client = new Client({ connection: server.connection });
    const idle = await rssMedian(server.child.pid);
    await withWorker(server.address, 'warm', () =>
      Promise.all(Array.from({ length: 100 }, (_, i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: 'warm', workflowId: `mwarm-${i}`, args: [i] }))),
    );
    const base = await rssMedian(server.child.pid);
    console.log(`memory: server RSS idle after start-up ${fmt(idle / 1024, 1)} MiB; after 100 warm-up workflows (baseline) ${fmt(base / 1024, 1)} MiB`);
    let open = 0;
    for (const target of OPEN) {
      const t0 = Date.now();
      let startSeconds = 0;
      await withWorker(
        server.address,
        'open',
        async () => {
          const startRate = await rate(target - open, OPEN_CONCURRENCY, (i) => client.workflow.start('waitOnTimer', { taskQueue: 'open', workflowId: `open-${open + i}` }));
          startSeconds = secondsSince(t0);
          console.log(`  started ${fmt(target - open)} more in ${fmt(startSeconds, 1)} s (${fmt(startRate)}/s while the worker ran their first tasks)`);
          // Every workflow has run its first task and is waiting on its timer once its history holds
          // WorkflowTaskCompleted and TimerStarted: started, scheduled, started, completed, timer = 5 events.
          // The count scans every run on the server's one thread, so poll no more than 1/5 of the time.
          for (;;) {
            const q0 = Date.now();
            const { count } = await client.workflow.count(`WorkflowType = 'waitOnTimer' AND ExecutionStatus = 'Running' AND HistoryLength < 5`);
            if (count === 0) break;
            if (Date.now() > deadline) throw new Error(`benchmark time limit reached (BENCH_MAX_SECONDS=${MAX_SECONDS}) with ${count} workflows before their timer`);
            await sleep(Math.max(500, 4 * (Date.now() - q0)));
          }
        },
        { maxCachedWorkflows: 200 },
      );
      const { count: running } = await client.workflow.count(`WorkflowType = 'waitOnTimer' AND ExecutionStatus = 'Running'`);
      if (running !== target) throw new Error(`expected ${target} open workflows, the server counts ${running}`);
      open = target;
      const seconds = secondsSince(t0);
      const rss = await rssMedian(server.child.pid);
      results.push({ open, rss, base, perWorkflow: (rss - base) / open, seconds });
      console.log(
        `  ${fmt(open)} open, every one waiting on its timer: RSS ${fmt(rss / 1024, 1)} MiB, ${fmt((rss - base) / open, 2)} KiB per open workflow` +
          ` (reached in ${fmt(seconds, 1)} s: ${fmt(startSeconds, 1)} s starting, ${fmt(seconds - startSeconds, 1)} s more until every timer was started; load ${load()})`,
      );
    }
  } finally {
    await stopServer(server);
  }
  return results;
}

// ---------------------------------------------------------------- run and summary

try {
  const machine = `${os.cpus().length} CPUs (${os.cpus()[0]?.model?.trim()}), ${fmt(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
  console.log(`# temporal-dev benchmark — ${machine}; load average at start ${load()}`);
  const rows = await throughput();
  const mem = OPEN.length ? await memory() : [];

  const m = { rpc: median(rows.rpc), starts: median(rows.starts), completed: median(rows.completed) };
  const range = (xs, d = 0) => (xs.length > 1 ? ` (${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})` : '');
  console.log(`\nMachine: ${machine}. Medians of ${REPS} repetitions (range in brackets), ${fmt(N)} workflows, ${CONCURRENCY} in flight.\n`);
  console.log('| figure | median | ÷ round trips | ÷ starts |');
  console.log('| --- | --- | --- | --- |');
  console.log(`| baseline: bare unary round trips (GetSystemInfo) | ${fmt(m.rpc)}/s${range(rows.rpc)} | 1 | |`);
  console.log(`| baseline: workflow starts, no worker polling | ${fmt(m.starts)}/s${range(rows.starts)} | ${fmt(m.starts / m.rpc, 3)} | 1 |`);
  console.log(`| workflows started and completed (1 activity + 1 timer, one worker) | ${fmt(m.completed, 1)}/s${range(rows.completed, 1)} | ${fmt(m.completed / m.rpc, 3)} | ${fmt(m.completed / m.starts, 3)} |`);
  if (mem.length) {
    console.log(`\nServer resident memory (VmRSS of its process; baseline after start-up and 100 warm-up workflows: ${fmt(mem[0].base / 1024, 1)} MiB):\n`);
    console.log('| open workflows waiting on a timer | RSS | per open workflow over the baseline | time to open them (this step) |');
    console.log('| --- | --- | --- | --- |');
    for (const r of mem) console.log(`| ${fmt(r.open)} | ${fmt(r.rss / 1024, 1)} MiB | ${fmt(r.perWorkflow, 2)} KiB | ${fmt(r.seconds, 0)} s |`);
  }
  // For npm run bench (bench/run-all.ts): one machine-readable line per figure.
  const result = (r) => console.log(`RESULT\t${JSON.stringify(r)}`);
  result({ figure: 'dev server: workflows completed (1 activity + 1 timer, one worker)', measured: `${fmt(m.completed, 1)}/s`, ratio: `${fmt(m.completed / m.starts, 3)} of bare starts (${fmt(m.starts)}/s)` });
  for (const r of mem) result({ figure: `dev server memory per open toy workflow (${fmt(r.open)} open)`, measured: `${fmt(r.perWorkflow, 2)} KiB`, ratio: `RSS ${fmt(r.rss / 1024, 1)} MiB over a ${fmt(mem[0].base / 1024, 1)} MiB baseline` });
  console.log(`\n(total benchmark time ${fmt(secondsSince(started), 0)} s; load average at end ${load()}; server stderr lines: ${serverLogLines})`);
  process.exit(0);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  killAll();
  process.exit(1);
}
