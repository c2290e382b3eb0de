/**
 * The embedded database of a machine without Postgres (PGlite, Postgres 18 in WASM, behind a local
 * socket), started and migrated as the platform does it (app/platform.ts), persisted in its
 * directory across restarts. Slow (≈4 s: a new PGlite data directory runs initdb), so one test does it all.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { createPrisma } from '../../db/client.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { deployMigrations } from '../../db/migrations.js';
import { createRepositories } from '../../db/repositories.js';

const dataDir = mkdtempSync(path.join(os.tmpdir(), 'pglite-'));

afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** What the platform does without DATABASE_URL: start the embedded server, migrate, open a client. */
async function openEmbedded() {
  const server = await startEmbeddedPostgres(dataDir);
  const appliedMigrations = await deployMigrations(server.url);
  const prisma = createPrisma(server.url);
  return { prisma, appliedMigrations, close: async () => (await prisma.$disconnect(), await server.stop()) };
}

it('starts in a directory, migrates, keeps what was written across a restart, and already has every migration the second time', async () => {
  const first = await openEmbedded();
  try {
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

  const second = await openEmbedded();
  try {
    expect(second.appliedMigrations).toEqual([]);
    const repos = createRepositories(second.prisma);
    expect(await repos.caseById('c1')).toMatchObject({ type: 'WRONG_ITEM', workflowId: 'case-c1' });
    expect((await repos.documents('c1')).map((e) => [e.kind, e.amountMinor])).toEqual([['REFUND', -990n]]);
  } finally {
    await second.close();
  }
});
