#!/usr/bin/env node
/**
 * Builds what the platform needs before it can run, and only what is out of date: the Prisma
 * client (generated from prisma/schema.prisma into generated/prisma), the dev server
 * (devserver/src compiled to devserver/dist), the Temporal Web UI (the ui/ package, its own
 * toolchain installed from its own lockfile, built to ui/build) and the console (the console/
 * package, likewise, built to console/build and served by the API at /console/). Runs before `npm start`, `npm run api|worker|…` and
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

const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const UI = path.join(ROOT, 'ui');
const CONSOLE = path.join(ROOT, 'console');

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
  {
    name: 'Temporal Web UI',
    inputs: ['ui/src', 'ui/static', 'ui/package.json', 'ui/package-lock.json', 'ui/svelte.config.js', 'ui/vite.config.js', 'ui/tailwind.config.js', 'ui/postcss.config.js'],
    output: 'ui/build',
    // Its toolchain (SvelteKit, Vite, Tailwind: ~300 packages) is installed only when its lockfile changed,
    // dev dependencies included also under NODE_ENV=production (npm start in production mode), which npm would leave out.
    steps: () => [
      ...(toolchainCurrent('ui') ? [] : [{ what: 'installing its toolchain (npm ci in ui/, once; about a minute)', cmd: NPM, args: ['ci', '--include=dev', '--no-audit', '--no-fund'], cwd: UI }]),
      { what: 'vite build', cmd: NPM, args: ['run', 'build'], cwd: UI },
    ],
    after: () => stampToolchain('ui'),
    progress: true,
    // Only for what serves or tests the UI (npm start, npm test, temporal:dev): --ui.
    onlyWith: '--ui',
  },
  {
    name: 'console',
    // domain/: the console shows the platform's own zh-CN / en names of its codes (console/src/lib/i18n/domain-names.ts).
    inputs: ['console/src', 'console/static', 'console/package.json', 'console/package-lock.json', 'console/svelte.config.js', 'console/vite.config.js', 'domain'],
    output: 'console/build',
    // Its toolchain (SvelteKit, Vite, ECharts: ~80 packages) is installed only when its lockfile changed.
    steps: () => [
      ...(toolchainCurrent('console') ? [] : [{ what: 'installing its toolchain (npm ci in console/, once; about half a minute)', cmd: NPM, args: ['ci', '--include=dev', '--no-audit', '--no-fund'], cwd: CONSOLE }]),
      { what: 'vite build', cmd: NPM, args: ['run', 'build'], cwd: CONSOLE },
    ],
    after: () => stampToolchain('console'),
    progress: true,
    // Only for what serves or tests the console (npm start, npm test): --console.
    onlyWith: '--console',
  },
];

/** Whether `pkg`/node_modules was installed from the lockfile that is there now. */
function toolchainCurrent(pkg) {
  const stamp = path.join(ROOT, pkg, 'node_modules/.lock-hash');
  return existsSync(stamp) && readFileSync(stamp, 'utf8') === hashOf([`${pkg}/package-lock.json`]);
}
const stampToolchain = (pkg) => writeFileSync(path.join(ROOT, pkg, 'node_modules/.lock-hash'), hashOf([`${pkg}/package-lock.json`]));

const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);

const quiet = process.argv.includes('--quiet');
for (const t of targets) {
  if (only ? !t.output.startsWith(only) : t.onlyWith && !process.argv.includes(t.onlyWith)) continue;
  const stamp = path.join(ROOT, t.output, '.inputs-hash');
  const want = hashOf(t.inputs);
  if (existsSync(stamp) && readFileSync(stamp, 'utf8') === want) continue;
  if (!quiet || t.progress) process.stderr.write(`building the ${t.name} (${t.output})…\n`);
  const steps = t.steps ? t.steps() : [{ cmd: t.command[0], args: t.command[1], cwd: ROOT }];
  for (const step of steps) {
    if (step.what) process.stderr.write(`  ${step.what}…\n`);
    const started = Date.now();
    const run = spawnSync(step.cmd, step.args, { cwd: step.cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    if (run.status !== 0) {
      process.stderr.write(`${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? String(run.error) : ''}\nbuilding the ${t.name} failed (${step.cmd} ${step.args.join(' ')} in ${path.relative(ROOT, step.cwd) || '.'})\n`);
      process.exit(1);
    }
    if (step.what) process.stderr.write(`  ${step.what}: done in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  t.after?.();
  writeFileSync(stamp, want);
}
