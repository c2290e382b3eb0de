/**
 * The embedded database of a machine without Postgres (PGlite, Postgres 18 in WASM, behind a local
 * socket): migrated at start through the schema engine, persisted in its directory across restarts.
 * Slow (≈4 s: a new PGlite data directory runs initdb), so one test does it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../db/database.js';
import { createRepositories } from '../../db/repositories.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pglite-'));
const configuredUrl = process.env.DATABASE_URL;

afterAll(() => {
  if (configuredUrl !== undefined) process.env.DATABASE_URL = configuredUrl;
  rmSync(dataDir, { recursive: true, force: true });
});

it('starts in a directory, migrates, keeps what was written across a restart, and already has every migration the second time', async () => {
  delete process.env.DATABASE_URL; // this process only (one per test file): select the embedded database

  const first = await openDatabase({ dataDir });
  try {
    expect(first.embedded).toBe(true);
    expect(first.appliedMigrations.length).toBeGreaterThan(0);
    const repos = createRepositories(first.prisma);
    await first.prisma.merchant.create({ data: { id: 'm1', name: 'Shop', defaultCurrency: 'CNY' } });
    expect(
      await repos.openCase({
        id: 'c1',
        merchantId: 'm1',
        type: 'WRONG_ITEM',
        orderId: 'o1',
        orderSnapshot: {},
        request: {},
        customerId: 'cust',
        customerLocale: 'zh-CN',
        currency: 'CNY',
        requestedAmountMinor: 0,
        policyVersion: 1,
        workflowId: 'case-c1',
      }),
    ).toEqual({ created: true });
    await first.prisma.ledgerEntry.create({ data: { caseId: 'c1', kind: 'REFUND', amountMinor: -990n, currency: 'CNY', lines: [], idempotencyKey: 'c1:refund' } });
    // The trigger (a plpgsql body the stock adapter could not apply) works on PGlite too.
    await expect(first.prisma.ledgerEntry.deleteMany({})).rejects.toThrow(/append-only/);
  } finally {
    await first.close();
  }

  const second = await openDatabase({ dataDir });
  try {
    expect(second.appliedMigrations).toEqual([]);
    const repos = createRepositories(second.prisma);
    expect(await repos.caseById('c1')).toMatchObject({ type: 'WRONG_ITEM', workflowId: 'case-c1' });
    expect((await repos.documents('c1')).map((e) => [e.kind, e.amountMinor])).toEqual([['REFUND', -990n]]);
  } finally {
    await second.close();
  }
});
