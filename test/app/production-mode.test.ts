/**
 * `npm start` in production mode (NODE_ENV=production): one shop running the platform for real on
 * one machine, embedded Postgres and dev server as in development, but nothing development-only —
 * no demo shop, no development keys (none written to DATA_DIR), no simulator controls; the shop is
 * set up with the operator's own admin key.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { DEV_KEYS_FILE } from '../../app/dev-keys.js';
import { DEMO_MERCHANT, startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase } from '../../db/test-database.js';
import { httpClient } from '../e2e/client.js';

let platform: Platform;
let drop: () => Promise<void>;
let db: Db;
const dataDir = mkdtempSync(path.join(tmpdir(), 'production-mode-'));

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  const config = loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: dataDir, COURIER_SECRETS: 'SF=sf-production-secret-1', SIMULATORS: 'all', WORKER_METRICS_ADDRESS: 'off' }, { mode: 'production' });
  expect(config.mode).toBe('production');
  platform = await startPlatform(config, { timeSkipping: true });
  db = createPrisma(t.url);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await platform?.stop();
  await drop?.();
  rmSync(dataDir, { recursive: true, force: true });
});

const { call } = httpClient(() => platform.apiUrl);

describe('npm start in production mode', () => {
  it('makes no demo shop and no development key, and offers no simulator controls; the operator’s admin key sets up the shop', async () => {
    expect(platform.keys).toEqual({});
    expect(existsSync(path.join(dataDir, DEV_KEYS_FILE))).toBe(false);
    expect(await db.merchant.findUnique({ where: { id: DEMO_MERCHANT } })).toBeNull();
    expect(await db.apiCredential.count()).toBe(0);
    expect((await call('GET', '/ready', undefined)).body).toMatchObject({ database: 'ok', temporal: 'ok' });

    // What `npm run keys -- create --role ADMIN` does.
    const issued = await createRepositories(db).credentials.issue({ role: 'ADMIN', label: 'first-admin' });
    if (!('key' in issued)) throw new Error(issued.problem.reason);
    const admin = issued.key;
    expect((await call('PUT', '/v1/admin/merchants/tea-shop', admin, { name: '茶叶店', defaultCurrency: 'CNY' })).status).toBe(201);
    // The simulators run (SIMULATORS=all) but are not steered over the API in production.
    expect((await call('GET', '/v1/simulators/courier/traces?carrier=SF&trackingNumber=SF1', admin)).status).toBe(404);
  });
});
