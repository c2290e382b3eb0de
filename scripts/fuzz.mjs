#!/usr/bin/env node
/** `npm run fuzz -- --runs N`: the API fuzz test (test/fuzz) with N hostile requests instead of the suite's 300. */
import { spawnSync } from 'node:child_process';

const at = process.argv.indexOf('--runs');
const runs = at >= 0 ? Number(process.argv[at + 1]) : 10_000;
if (!Number.isInteger(runs) || runs < 1) {
  console.error('usage: npm run fuzz -- [--runs N]   (N a positive whole number; default 10000)');
  process.exit(2);
}
const run = spawnSync('npx', ['vitest', 'run', 'test/fuzz'], { stdio: 'inherit', env: { ...process.env, FUZZ_RUNS: String(runs) } });
process.exit(run.status ?? 1);
