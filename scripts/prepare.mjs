#!/usr/bin/env node
/**
 * Builds what the platform needs before it can run, and only what is out of date: the Prisma
 * client (generated from prisma/schema.prisma into generated/prisma) and the dev server
 * (devserver/src compiled to devserver/dist). Runs before `npm start`, `npm run api|worker|…` and
 * `npm test` (package.json pre-scripts), so a fresh clone needs nothing but `npm ci` first.
 *
 * "Out of date" is decided by a hash of the inputs' contents (not file times, which a fresh
 * checkout sets to the checkout time), kept in a stamp file next to the output. Plain Node with no
 * dependencies: it must run before anything else has been built.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const BIN = path.join(ROOT, 'node_modules/.bin');

/** Every file under `dir` (sorted, so the hash does not depend on directory order). */
function filesUnder(dir) {
  if (!existsSync(dir)) return [];
  if (statSync(dir).isFile()) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => filesUnder(path.join(dir, e.name)));
}

function hashOf(inputs) {
  const h = createHash('sha256');
  for (const file of inputs.flatMap((i) => filesUnder(path.join(ROOT, i)))) {
    h.update(path.relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  }
  return h.digest('hex');
}

const targets = [
  {
    name: 'Prisma client',
    inputs: ['prisma/schema.prisma', 'package-lock.json'],
    output: 'generated/prisma',
    command: [path.join(BIN, 'prisma'), ['generate']],
  },
  {
    name: 'dev server',
    inputs: ['devserver/src', 'devserver/tsconfig.json', 'package-lock.json'],
    output: 'devserver/dist',
    command: [path.join(BIN, 'tsc'), ['-p', 'devserver/tsconfig.json']],
  },
];

const quiet = process.argv.includes('--quiet');
for (const t of targets) {
  const stamp = path.join(ROOT, t.output, '.inputs-hash');
  const want = hashOf(t.inputs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) continue;
  if (!quiet) process.stderr.write(`building the ${t.name} (${t.output})…\n`);
  const [cmd, args] = t.command;
  const run = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (run.status !== 0) {
    process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}\nbuilding the ${t.name} failed (${cmd} ${args.join(' ')})\n`);
    process.exit(1);
  }
  writeFileSync(stamp, want);
}
