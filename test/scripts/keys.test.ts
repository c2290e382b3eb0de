/**
 * `npm run keys` as an operator runs it: the real script under tsx, against a test database that
 * starts without any migration (the command applies them). The keys it prints are tried on the API
 * (buildApp + inject; the Temporal connection is lazy and never dialled).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase } from '../../db/test-database.js';
import { acquireDataDirLock } from '../../app/data-dir-lock.js';
import { publishEmbeddedUrl } from '../../app/embedded-database.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

let url: string;
let drop: () => Promise<void>;
let db: Db | undefined;
let app: FastifyInstance | undefined;
let connection: Connection | undefined;
const emptyDataDir = mkdtempSync(path.join(tmpdir(), 'keys-empty-'));
const embeddedDataDir = mkdtempSync(path.join(tmpdir(), 'keys-embedded-'));

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  url = t.url;
  drop = t.drop;
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await db?.$disconnect();
  await drop?.();
  rmSync(emptyDataDir, { recursive: true, force: true });
  rmSync(embeddedDataDir, { recursive: true, force: true });
});

function keys(args: string[], env: Record<string, string | undefined> = { DATABASE_URL: url }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const { DATABASE_URL: _inherited, ...base } = process.env;
    const child = spawn(TSX, ['scripts/keys.ts', ...args], { cwd: ROOT, env: { ...base, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const printed = (out: string, label: 'id' | 'key') => new RegExp(`^\\s*${label}\\s+(\\S+)$`, 'm').exec(out)?.[1] ?? '';

const database = () => (db ??= createPrisma(url));

/** The API on the same database, built once the command has migrated it. */
async function api(): Promise<FastifyInstance> {
  if (!app) {
    connection = Connection.lazy({ address: '127.0.0.1:1' });
    app = await buildApp({ repos: createRepositories(database()), temporal: new Client({ connection }), courierSecrets: {} });
  }
  return app;
}
const status = async (key: string, route = '/v1/admin/keys') => (await (await api()).inject({ method: 'GET', url: route, headers: { authorization: `Bearer ${key}` } })).statusCode;

describe('npm run keys', () => {
  it('--help prints the usage, without a database', async () => {
    const help = await keys(['--help'], {});
    expect(help.code).toBe(0);
    for (const part of ['create --role ROLE', 'list [--merchant ID] [--all]', 'revoke ID', 'STOREFRONT, WAREHOUSE, AGENT, SUPERVISOR, ADMIN']) expect(help.stdout).toContain(part);
  });

  it('creates an admin key on a fresh database (migrating it first) that works until it is revoked', async () => {
    const created = await keys(['create', '--role', 'ADMIN', '--label', 'first-admin']);
    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/applied migrations: .*credential_expiry/);
    const key = printed(created.stdout, 'key');
    const id = printed(created.stdout, 'id');
    expect(key).toMatch(/^admin_/);
    expect(await status(key)).toBe(200);

    const list = await keys(['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(new RegExp(`^${id}\\s+ADMIN\\s+-\\s+first-admin\\s`, 'm'));
    expect(list.stdout).not.toContain(key);
    const { keyHash } = await database().apiCredential.findUniqueOrThrow({ where: { id }, select: { keyHash: true } });
    expect(list.stdout).not.toContain(keyHash);

    const revoked = await keys(['revoke', id]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`revoked ${id}`);
    expect(await status(key)).toBe(401);
    expect((await keys(['list'])).stdout).not.toContain(id);
    expect((await keys(['list', '--all'])).stdout).toContain(id);
  });

  it('creates a merchant key with an expiry, listed for its merchant', async () => {
    await createRepositories(database()).ensureMerchant('shop-k', 'Shop K');
    const before = Date.now();
    const created = await keys(['create', '--role', 'AGENT', '--merchant', 'shop-k', '--expires', '90d']);
    expect(created.code).toBe(0);
    const key = printed(created.stdout, 'key');
    expect(await status(key, '/v1/cases')).toBe(200);
    const expires = Date.parse(/expires (\S+)\)/.exec(created.stdout)?.[1] ?? '');
    expect(expires).toBeGreaterThanOrEqual(before + 90 * 86_400_000);
    expect(expires).toBeLessThan(Date.now() + 90 * 86_400_000);
    const list = await keys(['list', '--merchant', 'shop-k']);
    expect(list.stdout).toMatch(new RegExp(`^${printed(created.stdout, 'id')}\\s+AGENT\\s+shop-k\\s+agent key\\s+\\S+\\s+${new Date(expires).toISOString()}\\s+-$`, 'm'));
    expect((await keys(['list', '--merchant', 'other-shop'])).stdout).not.toContain('shop-k');
  });

  const refusals = (): Array<[string[], RegExp, Record<string, string | undefined>?]> => [
      [['create', '--role', 'BOSS', '--merchant', 'shop-k'], /unknown role "BOSS"/],
      [['create', '--role', 'AGENT'], /AGENT keys need --merchant/],
      [['create', '--role', 'AGENT', '--merchant', 'no-such-shop'], /merchant "no-such-shop" does not exist/],
      [['create', '--role', 'ADMIN', '--merchant', 'shop-k'], /ADMIN keys belong to no merchant/],
      [['create', '--role', 'ADMIN', '--expires', 'soon'], /--expires must be like 90d/],
      [['create', '--role', 'ADMIN', '--expires', '2020-01-31T00:00:00Z'], /--expires 2020-01-31T00:00:00Z is in the past/],
      [['create', '--role', 'ADMIN', '--expires', '2099-01-31T00:00'], /--expires must be like/],
      [['create', '--role', 'ADMIN', '--bogus'], /Unknown option '--bogus'/],
      [['list', '--role', 'ADMIN'], /--role does not go with list/],
      [['revoke'], /revoke needs the key id/],
      [['revoke', '00000000-0000-0000-0000-000000000000'], /no key with id/],
      [['rotate'], /unknown command "rotate"/],
      [['list'], /DATABASE_URL is not set .* holds no embedded database yet: run npm start once, or set DATABASE_URL/, { DATA_DIR: emptyDataDir }],
  ];
  // Thirteen runs of the command one after another: each may take 20 s and more to start on a busy
  // 2-core machine (a CI run failed at a flat 120 s), so the limit grows with their number.
  it('refuses bad arguments with a non-zero exit and one line naming the reason', async () => {
    for (const [args, reason, env] of refusals()) {
      const run = await keys(args, env);
      expect(run.code, args.join(' ')).not.toBe(0);
      expect(run.stderr.trim(), args.join(' ')).toMatch(reason);
      expect(run.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(run.stdout).toBe('');
    }
  }, refusals().length * 45_000);

  it('without DATABASE_URL, uses the embedded database of DATA_DIR: opened itself when no platform runs, the running platform’s otherwise', async () => {
    // A DATA_DIR as npm start leaves it: the embedded Postgres's files (the tool applies the migrations).
    await (await startEmbeddedPostgres(path.join(embeddedDataDir, 'pg'))).stop();
    const created = await keys(['create', '--role', 'ADMIN', '--label', 'from the shell'], { DATA_DIR: embeddedDataDir });
    expect(created.stderr).toContain(`using the embedded Postgres in ${path.join(embeddedDataDir, 'pg')}`);
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/^created ADMIN key/);

    // The platform running: it holds the DATA_DIR and serves the same files; the tool goes through it.
    const lock = acquireDataDirLock(embeddedDataDir);
    const pg = await startEmbeddedPostgres(path.join(embeddedDataDir, 'pg'));
    const unpublish = publishEmbeddedUrl(embeddedDataDir, pg.url);
    try {
      const listed = await keys(['list'], { DATA_DIR: embeddedDataDir });
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stderr).toContain("using the running platform's embedded Postgres");
      expect(listed.stdout).toContain('from the shell');
    } finally {
      unpublish();
      await pg.stop();
      lock.release();
    }
  }, 180_000);
});

