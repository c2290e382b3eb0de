#!/usr/bin/env node
/**
 * src/lib/api/schema.d.ts from the API's OpenAPI document: the document is built from the app's
 * own route schemas (scripts/openapi-document.ts, run with the platform's tsx, no server needed),
 * then openapi-typescript writes the types. The generated file is committed, so a build needs
 * neither the platform's dependencies nor this step; run `npm run types` after an API change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT = path.resolve(HERE, '..');
const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
const doc = spawnSync(tsx, [path.join(HERE, 'scripts/openapi-document.ts')], { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
if (doc.status !== 0) {
  process.stderr.write(`${doc.stderr}\ncould not build the OpenAPI document (is the platform installed: npm ci at the root?)\n`);
  process.exit(1);
}
const dir = mkdtempSync(path.join(tmpdir(), 'console-openapi-'));
try {
  const json = path.join(dir, 'openapi.json');
  writeFileSync(json, doc.stdout);
  const out = path.join(HERE, 'src/lib/api/schema.d.ts');
  const gen = spawnSync(path.join(HERE, 'node_modules/.bin/openapi-typescript'), [json, '-o', out], { cwd: HERE, stdio: 'inherit' });
  process.exit(gen.status ?? 1);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
