// `npm run bench`: every benchmark, one after another (each in a process of its own), and one table
// of what they measured: figure, measured, ratio to its baseline from the same run, goal, pass/fail.
//   npm run bench                        quick sizes (about 10 minutes on a 2-core machine)
//   BENCH_SIZE=full npm run bench        the sizes (an hour or more; gigabytes of temp disk)
//   BENCH_ONLY=api,open-cost npm run bench
// Each benchmark prints its own table too; the lines starting RESULT are gathered here. A benchmark
// that fails is reported as such and the others still run. Needs the local Postgres (DATABASE_URL,
// default postgresql://postgres@127.0.0.1:5432/postgres).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Result } from './support/results.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZE = process.env.BENCH_SIZE === 'full' ? 'full' : 'quick';

interface Bench {
  name: string;
  command: string[];
  /** Environment for each size; the benchmark's own defaults are the full size. */
  quick: Record<string, string>;
  full?: Record<string, string>;
}

const tsx = [process.execPath, '--import', 'tsx'];
const BENCHES: Bench[] = [
  { name: 'open-cost', command: [...tsx, 'bench/open-cost.ts'], quick: { BENCH_CASES: '5' }, full: { BENCH_CASES: '20' } },
  { name: 'api', command: [...tsx, 'bench/api.ts'], quick: { BENCH_OPENS: '1500', BENCH_BARE: '1000', BENCH_SCANS: '50' } },
  { name: 'figures', command: [...tsx, 'bench/figures.ts'], quick: { BENCH_CASES: '20000', BENCH_REPS: '3', BENCH_BEFORE: '0' }, full: { BENCH_BEFORE: '0' } },
  { name: 'lifecycles', command: [...tsx, 'bench/case-lifecycles.ts'], quick: { BENCH_CASES: '200' } },
  { name: 'case-memory', command: [...tsx, 'bench/case-memory.ts'], quick: { BENCH_OPEN: '2000' }, full: { BENCH_OPEN: '100000' } },
  { name: 'policy-simulation', command: [...tsx, 'bench/policy-simulation.ts'], quick: { BENCH_CASES: '200' } },
  { name: 'console-queue', command: [...tsx, 'bench/console-queue.ts'], quick: {} },
  { name: 'queries', command: [...tsx, 'bench/queries.ts'], quick: { BENCH_ROUNDS: '3' } },
  { name: 'timers', command: [...tsx, 'bench/timer-lateness.mjs'], quick: { BENCH_TIMERS: '2000', BENCH_BACKLOG: '500' } },
  { name: 'devserver', command: [process.execPath, 'bench/devserver.mjs'], quick: { BENCH_REPS: '1', BENCH_N: '300', BENCH_OPEN: '2000' } },
  { name: 'devserver-restart', command: [process.execPath, 'bench/devserver-restart.mjs'], quick: { BENCH_CLOSED: '100000', BENCH_OPEN: '5000', BENCH_REPS: '1' } },
];

const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
const unknown = only?.filter((n) => !BENCHES.some((b) => b.name === n)) ?? [];
if (unknown.length) {
  console.error(`BENCH_ONLY: unknown benchmark ${unknown.join(', ')} (there are: ${BENCHES.map((b) => b.name).join(', ')})`);
  process.exit(2);
}

function run(b: Bench): Promise<{ results: Result[]; code: number | null; seconds: number }> {
  const t0 = performance.now();
  const env = { DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres', ...process.env, ...(SIZE === 'full' ? (b.full ?? {}) : b.quick) };
  const child = spawn(b.command[0]!, b.command.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const results: Result[] = [];
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    process.stdout.write(chunk);
    pending += chunk.toString();
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) if (line.startsWith('RESULT\t')) results.push(JSON.parse(line.slice(7)) as Result);
  });
  return new Promise((resolve) => child.on('exit', (code) => resolve({ results, code, seconds: (performance.now() - t0) / 1000 })));
}

const started = performance.now();
const loadAtStart = loadavg();
const rows: Array<Result & { bench: string }> = [];
for (const b of BENCHES.filter((x) => !only || only.includes(x.name))) {
  console.log(`\n=== ${b.name} (${SIZE}) ===`);
  const r = await run(b);
  rows.push(...r.results.map((x) => ({ ...x, bench: b.name })));
  if (r.code !== 0 || !r.results.length) rows.push({ bench: b.name, figure: '(benchmark did not finish)', measured: `exit ${r.code} after ${r.seconds.toFixed(0)} s`, pass: false });
}

const fmt = (l: number[]) => l.map((x) => x.toFixed(2)).join(' ');
console.log(`\n# All benchmarks (${SIZE} sizes, ${((performance.now() - started) / 60_000).toFixed(1)} min; load average at start ${fmt(loadAtStart)}, at the end ${fmt(loadavg())})\n`);
console.log('| benchmark | figure | measured | ratio / baseline | goal | |\n| --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.bench} | ${r.figure} | ${r.measured} | ${r.ratio ?? ''} | ${r.goal ?? ''} | ${r.pass === undefined ? '' : r.pass ? 'pass' : 'FAIL'} |`);
const judged = rows.filter((r) => r.pass !== undefined);
console.log(`\n${judged.filter((r) => r.pass).length} of ${judged.length} goals met`);
