// Benchmark: dev server restart on a year of persisted cases (not a test; prints figures).
//
//   npm run bench:devserver-restart                         (builds the server first)
//   BENCH_CLOSED=100000 BENCH_OPEN=5000 node bench/devserver-restart.mjs      (quick run)
//
// Generates, in the store's own format (devserver/test/persistence-gen.mjs), a log of
// BENCH_CLOSED runs closed evenly over the last 365 days (each with a superseded record) and
// BENCH_OPEN open runs waiting on a timer: what a server that never compacted would hold after a
// year. Then, BENCH_REPS times on a fresh copy: the compiled server is started on it (its own
// process) and timed until it listens; the first start drops the runs past the 7-day retention and
// compacts. Baseline in the same run: reading the same file's bytes with a plain stream. Also timed:
// a restart on the compacted file (the steady state). Goal: restart on the year in ≤ 5 s.
import { spawn } from 'node:child_process';
import { copyFileSync, createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateLog } from '../devserver/test/persistence-gen.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
// BENCH_SERVER_BIN: another build of the server (before/after figures); BENCH_FORMAT: the log's
// events as `bytes` (what the server writes, default) or `objects` (logs from before histories were bytes).
const BIN = process.env.BENCH_SERVER_BIN ?? path.resolve(HERE, '../devserver/bin/temporal-dev.js');
const FORMAT = process.env.BENCH_FORMAT ?? 'bytes';
const CLOSED = Number(process.env.BENCH_CLOSED ?? 500_000);
const OPEN = Number(process.env.BENCH_OPEN ?? 20_000);
const REPS = Number(process.env.BENCH_REPS ?? 3);
const GOAL_S = 5;
if (![CLOSED, OPEN, REPS].every((n) => Number.isInteger(n) && n >= 0) || REPS < 1) {
  console.error('BENCH_CLOSED, BENCH_OPEN: integers ≥ 0; BENCH_REPS: integer ≥ 1');
  process.exit(2);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
};
const mib = (b) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
const sec = (ms) => `${(ms / 1000).toFixed(2)} s`;
const range = (xs) => `${sec(Math.min(...xs))}–${sec(Math.max(...xs))}`;

const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-restart-bench-'));
const children = new Set();
const cleanup = () => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
};
process.on('exit', cleanup);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(130));

/** Starts the server on `file`; resolves with the milliseconds until it listens, then kills it. */
function timeStart(file) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, 'server', 'start-dev', '--port', '0', '--db-filename', file, '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
    children.add(child);
    let out = '';
    child.stderr.on('data', (d) => {
      out += d;
      if (out.includes('listening on')) {
        const ms = performance.now() - t0;
        child.kill('SIGKILL');
        child.once('exit', () => {
          children.delete(child);
          resolve(ms);
        });
      }
    });
    child.once('exit', (code) => {
      if (!out.includes('listening on')) reject(new Error(`server exited with ${code}: ${out}`));
    });
  });
}

/**
 * Start-up with nothing to restore, the way the SDK spawns the server (`<port>
 * --enable-time-skipping`; it gives it 5 s): ms until the port accepts a connection, and until the
 * server reports itself ready ('listening on' is logged once the real handlers answer).
 */
async function timeEmptyStart() {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, String(port), '--enable-time-skipping', '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let out = '';
  let readyMs;
  child.stderr.on('data', (d) => {
    out += d;
    if (readyMs === undefined && out.includes('listening on')) readyMs = performance.now() - t0;
  });
  const accepts = () => new Promise((resolve) => net.connect(port, '127.0.0.1').once('connect', function () { this.destroy(); resolve(true); }).once('error', () => resolve(false)));
  while (!(await accepts())) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}: ${out}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  const portMs = performance.now() - t0;
  while (readyMs === undefined) await new Promise((r) => setTimeout(r, 5));
  child.kill('SIGKILL');
  await new Promise((r) => child.once('exit', r));
  children.delete(child);
  return { portMs, readyMs };
}

function timeRead(file) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    createReadStream(file, { highWaterMark: 16 * 1024 * 1024 })
      .on('data', (d) => (bytes += d.length))
      .on('error', reject)
      .on('end', () => resolve({ ms: performance.now() - t0, bytes }));
  });
}

const empties = [];
for (let i = 0; i < Math.max(REPS, 5); i++) empties.push(await timeEmptyStart());
const emptyPort = median(empties.map((e) => e.portMs));
const emptyReady = median(empties.map((e) => e.readyMs));
console.log(`start-up, nothing to restore: port accepts after ${sec(emptyPort)}, ready after ${sec(emptyReady)} (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);

const year = path.join(dir, 'year.db');
const work = path.join(dir, 'work.db');
console.log(`generating ${CLOSED.toLocaleString('en-US')} closed + ${OPEN.toLocaleString('en-US')} open runs (load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')})`);
let t = performance.now();
const now = Date.now();
const before = generateLog(year, { closed: CLOSED, open: OPEN, closedBefore: now, spanDays: 365, openFireAt: now + 30 * 86_400_000, prefix: 'bench', format: FORMAT });
console.log(`generated ${mib(before)} (events as ${FORMAT}) in ${sec(performance.now() - t)}; server ${BIN}`);

const reads = [];
const firsts = [];
const steady = [];
let after = 0;
for (let i = 0; i < REPS; i++) {
  copyFileSync(year, work);
  reads.push((await timeRead(work)).ms);
  firsts.push(await timeStart(work));
  after = statSync(work).size;
  steady.push(await timeStart(work));
  console.log(`rep ${i + 1}: read ${sec(reads.at(-1))}, restart on the year ${sec(firsts.at(-1))}, restart on the compacted file ${sec(steady.at(-1))}`);
}

const first = median(firsts);
console.log('');
console.log('| figure | median (range) |');
console.log('| --- | --- |');
console.log(`| baseline: read the year's ${mib(before)} with a plain stream | ${sec(median(reads))} (${range(reads)}) |`);
console.log(`| restart on the year (drops runs past retention, compacts) | ${sec(first)} (${range(firsts)}) |`);
console.log(`| restart on the compacted file | ${sec(median(steady))} (${range(steady)}) |`);
console.log(`| start-up with nothing to restore: port accepts / ready | ${sec(emptyPort)} / ${sec(emptyReady)} |`);
console.log(`| file size before → after compaction | ${mib(before)} → ${mib(after)} |`);
console.log('');
console.log(`${first <= GOAL_S * 1000 ? 'PASS' : 'FAIL'}: restart on a year of cases in ${sec(first)} (goal ≤ ${GOAL_S} s; ${(first / median(reads)).toFixed(2)}× the plain read)`);
// For npm run bench (bench/run-all.ts): one machine-readable line per figure.
const result = (r) => console.log(`RESULT\t${JSON.stringify(r)}`);
result({ figure: `dev server restart on a year (${CLOSED} closed + ${OPEN} open runs, never compacted)`, measured: sec(first), ratio: `${(first / median(reads)).toFixed(2)}× a plain read of the file`, goal: `≤ ${GOAL_S} s`, pass: first <= GOAL_S * 1000 });
result({ figure: 'dev server restart on the compacted file', measured: sec(median(steady)), goal: `≤ ${GOAL_S} s`, pass: median(steady) <= GOAL_S * 1000 });
result({ figure: 'dev server start-up, nothing to restore (port accepts / ready)', measured: `${sec(emptyPort)} / ${sec(emptyReady)}`, goal: 'ready < 0.5 s idle (the SDK gives 5 s)', pass: emptyReady < 500 });
result({ figure: 'dev server persistence before → after compaction', measured: `${mib(before)} → ${mib(after)}` });
