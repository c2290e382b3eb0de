// Benchmark of the Temporal-compatible dev server (not a test; prints figures).
//
//   npm run build && node bench/devserver.mjs
//   BENCH_REPS=3 BENCH_N=1000 BENCH_CONCURRENCY=100 BENCH_OPEN=10000,100000 node bench/devserver.mjs
//
// 1. Throughput with one worker: workflows (one activity + one 100 ms timer) started and
//    completed per second; baselines in the same run and server: bare unary round trips
//    (GetSystemInfo) per second, and starts per second with no worker.
// 2. Memory: the server's resident set (VmRSS of its own process) per open workflow waiting on
//    a timer, with 10,000 and 100,000 open workflows, over a baseline after start-up and warm-up.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(HERE, '../devserver/bin/temporal-dev.js');
const REPS = Number(process.env.BENCH_REPS ?? 3);
const N = Number(process.env.BENCH_N ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 100);
const OPEN = (process.env.BENCH_OPEN ?? '10000,100000').split(',').map(Number).filter((n) => n > 0);
const MAX_SECONDS = Number(process.env.BENCH_MAX_SECONDS ?? 1800);

Runtime.install({ logger: new DefaultLogger('ERROR') });
const started = Date.now();
const deadline = started + MAX_SECONDS * 1000;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n, d = 0) => n.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

async function startServer() {
  const port = await freePort();
  const child = spawn(process.execPath, [...(process.env.BENCH_SERVER_NODE_ARGS?.split(' ').filter(Boolean) ?? []), BIN, '--port', String(port), '--log-level', 'error'], { stdio: ['ignore', 'inherit', 'inherit'] });
  const address = `127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      const c = await Connection.connect({ address, connectTimeout: 500 });
      return { child, address, connection: c };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

/** SIGTERM (so a profiled server can write its profile), SIGKILL if it lingers. */
async function stopServer(child) {
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

async function rssMedian(pid) {
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(rssKiB(pid));
    await new Promise((r) => setTimeout(r, 200));
  }
  return median(samples);
}

/** Runs `count` jobs with at most `limit` in flight; returns jobs per second. */
async function rate(count, limit, job) {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(limit, count) }, async () => {
      while (next < count) {
        if (Date.now() > deadline) throw new Error('benchmark time limit reached');
        await job(next++);
      }
    }),
  );
  return count / ((performance.now() - t0) / 1000);
}

const bundle = await bundleWorkflowCode({ workflowsPath: path.join(HERE, 'bench-workflows.ts'), logger: new DefaultLogger('ERROR') });

async function withWorker(address, taskQueue, fn, options = {}) {
  const nativeConnection = await NativeConnection.connect({ address });
  const worker = await Worker.create({
    connection: nativeConnection,
    taskQueue,
    workflowBundle: bundle,
    activities: { touch: async (n) => n },
    maxCachedWorkflows: 1000,
    ...options,
  });
  try {
    return await worker.runUntil(fn());
  } finally {
    await nativeConnection.close();
  }
}

// ---------------------------------------------------------------- throughput
console.log(`# temporal-dev benchmark — ${os.cpus().length} CPUs (${os.cpus()[0]?.model}), Node ${process.version}`);
console.log(`throughput: ${REPS} repetitions × ${N} workflows, ${CONCURRENCY} in flight`);
const rows = { rpc: [], starts: [], completed: [] };
for (let rep = 0; rep < REPS; rep++) {
  const server = await startServer();
  try {
    const client = new Client({ connection: server.connection });
    // warm-up: JIT, bundles, connections
    await withWorker(server.address, 'warm', () => Promise.all(Array.from({ length: 50 }, (_, i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: 'warm', workflowId: `warm-${rep}-${i}`, args: [i] }))));
    rows.rpc.push(await rate(N * 2, CONCURRENCY, () => server.connection.workflowService.getSystemInfo({})));
    rows.starts.push(await rate(N, CONCURRENCY, (i) => client.workflow.start('oneActivityOneTimer', { taskQueue: `idle-${rep}`, workflowId: `idle-${rep}-${i}`, args: [i] })));
    rows.completed.push(
      await withWorker(server.address, `tp-${rep}`, () =>
        rate(N, CONCURRENCY, (i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: `tp-${rep}`, workflowId: `tp-${rep}-${i}`, args: [i] })),
      ),
    );
    console.log(`  rep ${rep + 1}: round trips ${fmt(rows.rpc[rep])}/s, starts ${fmt(rows.starts[rep])}/s, completed ${fmt(rows.completed[rep])}/s`);
  } finally {
    await server.connection.close();
    await stopServer(server.child);
  }
}

// ---------------------------------------------------------------- memory per open workflow
const memory = [];
if (OPEN.length) {
  const server = await startServer();
  try {
    const client = new Client({ connection: server.connection });
    await withWorker(server.address, 'warm', () => Promise.all(Array.from({ length: 100 }, (_, i) => client.workflow.execute('oneActivityOneTimer', { taskQueue: 'warm', workflowId: `mwarm-${i}`, args: [i] }))));
    const base = await rssMedian(server.child.pid);
    console.log(`memory: server RSS after start-up and 100 warm-up workflows: ${fmt(base / 1024, 1)} MiB`);
    let open = 0;
    for (const target of OPEN) {
      const t0 = Date.now();
      await withWorker(server.address, 'open', async () => {
        await rate(target - open, 200, (i) => client.workflow.start('waitOnTimer', { taskQueue: 'open', workflowId: `open-${open + i}` }));
        // Wait until every workflow has run its first task and is waiting on its timer.
        for (;;) {
          const { count } = await client.workflow.count(`WorkflowType = 'waitOnTimer' AND ExecutionStatus = 'Running' AND HistoryLength < 5`);
          if (count === 0) break;
          if (Date.now() > deadline) throw new Error('benchmark time limit reached');
          await new Promise((r) => setTimeout(r, 500));
        }
      }, { maxCachedWorkflows: 200 });
      open = target;
      const rss = await rssMedian(server.child.pid);
      memory.push({ open, rss, perWorkflow: (rss - base) / open, seconds: (Date.now() - t0) / 1000 });
      console.log(`  ${fmt(open)} open: RSS ${fmt(rss / 1024, 1)} MiB, ${fmt((rss - base) / open, 2)} KiB per open workflow (reached in ${fmt((Date.now() - t0) / 1000, 1)} s)`);
    }
  } finally {
    await server.connection.close();
    await stopServer(server.child);
  }
}

// ---------------------------------------------------------------- summary
const m = { rpc: median(rows.rpc), starts: median(rows.starts), completed: median(rows.completed) };
console.log('\n| figure | median | ratio |');
console.log('| --- | --- | --- |');
console.log(`| baseline: bare unary round trips (GetSystemInfo) | ${fmt(m.rpc)}/s | 1 |`);
console.log(`| baseline: workflow starts, no worker | ${fmt(m.starts)}/s | ${fmt(m.starts / m.rpc, 3)} of round trips |`);
console.log(`| workflows started and completed (1 activity + 1 timer, one worker) | ${fmt(m.completed)}/s | ${fmt(m.completed / m.starts, 3)} of starts |`);
for (const r of memory) console.log(`| server RSS per open workflow waiting on a timer, ${fmt(r.open)} open | ${fmt(r.perWorkflow, 2)} KiB | total ${fmt(r.rss / 1024, 1)} MiB |`);
console.log(`\n(total benchmark time ${fmt((Date.now() - started) / 1000, 0)} s)`);
process.exit(0);
