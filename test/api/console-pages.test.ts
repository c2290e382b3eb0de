/**
 * The console's static files at /console/ (issue 13), from a small fake SvelteKit build in a
 * temporary folder: public and never rate limited, index.html for every path that is not a file,
 * the cache rules, and a Content-Security-Policy naming the inline bootstrap script by its hash.
 * Without a build, /console/ says how to make one. The API documentation keeps working beside it.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { inlineScriptHashes } from '../../api/routes/console-pages.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

const BOOTSTRAP = `\n\t\t\t{ __sveltekit_abc = { base: "/console" }; import("/console/_app/immutable/entry/start.js"); }\n\t\t`;
const INDEX = `<!doctype html><html><head><link rel="modulepreload" href="/console/_app/immutable/entry/start.js"><script type="module" src="/console/_app/immutable/entry/app.js"></script></head><body><div>Console</div><script>${BOOTSTRAP}</script></body></html>`;

const START_JS = `export const start = ${JSON.stringify('x'.repeat(2000))};\n`;

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let connection: Connection;
let built: FastifyInstance;
let unbuilt: FastifyInstance;
let dir: string;

beforeAll(async () => {
  t = await openTestDatabase();
  dir = mkdtempSync(path.join(tmpdir(), 'console-build-'));
  mkdirSync(path.join(dir, '_app/immutable/entry'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), INDEX);
  writeFileSync(path.join(dir, '_app/immutable/entry/start.js'), START_JS);
  // The build's precompressed forms (console/svelte.config.js `precompress`); app.js has none.
  writeFileSync(path.join(dir, '_app/immutable/entry/start.js.br'), brotliCompressSync(START_JS));
  writeFileSync(path.join(dir, '_app/immutable/entry/start.js.gz'), gzipSync(START_JS));
  writeFileSync(path.join(dir, '_app/immutable/entry/app.js'), 'export const app = 1;\n');
  writeFileSync(path.join(dir, 'favicon.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  const deps = { repos: createRepositories(t.prisma), temporal: new Client({ connection }), courierSecrets: {}, rateLimits: { perKeyPerMinute: 1000, anonymousPerMinute: 2 } };
  built = await buildApp(deps, { consoleDir: dir });
  unbuilt = await buildApp(deps, { consoleDir: path.join(dir, 'no-such-build') });
});

afterAll(async () => {
  await built?.close();
  await unbuilt?.close();
  await connection?.close();
  await t?.drop();
  rmSync(dir, { recursive: true, force: true });
});

const get = (app: FastifyInstance, url: string) => app.inject({ method: 'GET', url });

describe('the console build at /console/', () => {
  it('serves index.html without a key, revalidated, with a policy allowing exactly its inline script', async () => {
    const res = await get(built, '/console/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toBe(INDEX);
    expect(res.headers['cache-control']).toBe('no-cache');
    const hash = `'sha256-${createHash('sha256').update(BOOTSTRAP).digest('base64')}'`;
    expect(inlineScriptHashes(INDEX)).toEqual([hash]);
    const policy = String(res.headers['content-security-policy']);
    expect(policy.split('; ')).toEqual(
      expect.arrayContaining(["default-src 'self'", "img-src 'self' data: https: http:", "style-src 'self' 'unsafe-inline'", `script-src 'self' ${hash}`, "connect-src 'self'", "frame-ancestors 'none'"]),
    );
  });

  it('redirects /console to /console/', async () => {
    const res = await get(built, '/console');
    expect(res.statusCode).toBeGreaterThanOrEqual(301);
    expect(res.statusCode).toBeLessThan(400);
    expect(res.headers.location).toBe('/console/');
  });

  it('answers index.html for every path of the app that is not a file (the app routes in the browser)', async () => {
    for (const url of ['/console/cases/3f9c2a7d41b84e06a5d1', '/console/queue?mine=true', '/console/index.html']) {
      const res = await get(built, url);
      expect({ url, status: res.statusCode, body: res.body }).toEqual({ url, status: 200, body: INDEX });
    }
  });

  it('caches the content-hashed files for a year, the others not', async () => {
    const asset = await get(built, '/console/_app/immutable/entry/start.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    const icon = await get(built, '/console/favicon.png');
    expect(icon.statusCode).toBe(200);
    expect(icon.headers['cache-control']).toBe('no-cache');
    // A hashed file that is not there is a 404, never the page in its place.
    expect((await get(built, '/console/_app/immutable/entry/gone.js')).statusCode).toBe(404);
  });

  it('sends the precompressed form the browser accepts, the file itself to anyone else', async () => {
    const asked = (encoding?: string) => built.inject({ method: 'GET', url: '/console/_app/immutable/entry/start.js', headers: encoding ? { 'accept-encoding': encoding } : {} });
    const br = await asked('gzip, deflate, br');
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.rawPayload.length).toBeLessThan(START_JS.length / 10);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(START_JS);
    const gz = await asked('gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(START_JS);
    const plain = await asked();
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(START_JS);
    // A file the build did not compress goes as it is, whatever the browser accepts.
    const app = await built.inject({ method: 'GET', url: '/console/_app/immutable/entry/app.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(app.statusCode).toBe(200);
    expect(app.headers['content-encoding']).toBeUndefined();
    expect(app.body).toBe('export const app = 1;\n');
  });

  it('serves nothing outside the build', async () => {
    writeFileSync(path.join(dir, '..', `${path.basename(dir)}-secret.txt`), 'the content of a file beside the build');
    for (const url of [`/console/%2e%2e/${path.basename(dir)}-secret.txt`, `/console/..%2f${path.basename(dir)}-secret.txt`]) {
      const res = await get(built, url);
      expect(res.body).not.toContain('the content of a file beside the build');
    }
    rmSync(path.join(dir, '..', `${path.basename(dir)}-secret.txt`));
  });

  it('is never rate limited (a page load is many files), while the API keeps its anonymous limit', async () => {
    for (let i = 0; i < 6; i++) expect((await get(built, i % 2 ? '/console/' : '/console/_app/immutable/entry/start.js')).statusCode).toBe(200);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await get(built, '/v1/cases')).statusCode);
    expect(statuses).toContain(429);
  });

  it('keeps the API documentation working', async () => {
    expect((await get(unbuilt, '/docs/json')).statusCode).toBe(200);
    for (const app of [built, unbuilt]) {
      const ui = await get(app, '/docs/');
      expect(ui.statusCode).toBe(200);
      expect(ui.body).toMatch(/swagger/i);
      expect((await get(app, '/docs/static/swagger-ui.css')).statusCode).toBe(200);
    }
  });
});

describe('without a build', () => {
  it('answers 503 saying how to build the console', async () => {
    for (const url of ['/console/', '/console/cases/x']) {
      const res = await get(unbuilt, url);
      expect(res.statusCode).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.body).toContain('npm run console:build');
    }
  });
});
