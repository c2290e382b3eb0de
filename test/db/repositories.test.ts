/**
 * The repositories against a real Postgres (a migrated database of this file's own): idempotency of
 * every write a retried activity or request may repeat, projection ordering, list filters and paging,
 * and that the list filters are served by the indexes.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrismaClient } from '../../generated/prisma/client.js';
import { createRepositorySet, hashKey, IdempotencyConflict, type NewCase, type RepositorySet } from '../../db/repositories/index.js';
import { openTestDatabase } from '../../db/test-database.js';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: RepositorySet;

const newCase = (id: string, extra: Partial<NewCase> = {}): NewCase => ({
  id,
  merchantId: 'm1',
  type: 'RETURN_AND_REFUND',
  orderId: `order-${id}`,
  orderSnapshot: { lines: [{ sku: 'TEA-1', quantity: 2, unitPriceMinor: 1990 }] },
  customerId: 'cust-1',
  currency: 'CNY',
  requestedAmountMinor: 3980,
  policyVersion: 1,
  workflowId: `case-${id}`,
  ...extra,
});

beforeAll(async () => {
  db = await openTestDatabase();
  repos = createRepositorySet(db.prisma);
  await db.prisma.merchant.create({ data: { id: 'm1', name: '茶叶小店', defaultCurrency: 'CNY' } });
});

afterAll(async () => {
  await db?.drop();
});

describe('cases', () => {
  it('create is idempotent on the case id; another case claiming the same workflow id is refused', async () => {
    const first = await repos.cases.create(newCase('c-create'));
    const again = await repos.cases.create(newCase('c-create'));
    expect(first.created).toBe(true);
    expect(again).toEqual({ case: first.case, created: false });
    expect(first.case).toMatchObject({ id: 'c-create', status: 'OPEN', stage: 'OPENED', requestedAmountMinor: 3980n, projectionVersion: 0 });
    expect(first.case).not.toHaveProperty('orderSnapshot'); // explicit select: the summary leaves the snapshot out
    await expect(repos.cases.create(newCase('c-other', { workflowId: 'case-c-create' }))).rejects.toBeInstanceOf(IdempotencyConflict);
    expect(await db.prisma.case.count({ where: { id: { in: ['c-create', 'c-other'] } } })).toBe(1);
  });

  it('a projection applies only when its version is newer than the stored one', async () => {
    await repos.cases.create(newCase('c-proj'));
    expect(await repos.cases.project({ id: 'c-proj', version: 2, stage: 'AWAITING_ARRIVAL', status: 'WAITING_WAREHOUSE' })).toBe(true);
    expect(await repos.cases.project({ id: 'c-proj', version: 1, stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' })).toBe(false); // late retry of an older step
    expect(await repos.cases.project({ id: 'c-proj', version: 2, stage: 'SOMETHING_ELSE' })).toBe(false);
    expect(await repos.cases.project({ id: 'c-proj', version: 3, status: 'RESOLVED', refundedAmountMinor: 3980, resolvedAt: new Date('2026-03-01T08:00:00Z') })).toBe(true);
    expect(await repos.cases.get('c-proj')).toMatchObject({ stage: 'AWAITING_ARRIVAL', status: 'RESOLVED', refundedAmountMinor: 3980n, projectionVersion: 3 });
    expect(await repos.cases.project({ id: 'no-such-case', version: 1 })).toBe(false);
  });

  it('lists by the agent filters, newest first, in pages that neither overlap nor skip', async () => {
    const base = Date.parse('2026-05-01T00:00:00Z');
    for (let i = 0; i < 7; i++) {
      await repos.cases.create(newCase(`c-list-${i}`, { customerId: 'cust-list', createdAt: new Date(base + Math.floor(i / 2) * 60_000) })); // pairs share a createdAt
    }
    await repos.cases.project({ id: 'c-list-1', version: 1, assigneeId: 'agent-9', status: 'WAITING_CUSTOMER', late: true });
    await repos.cases.project({ id: 'c-list-4', version: 1, assigneeId: 'agent-9', status: 'OPEN' });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repos.cases.list({ customerId: 'cust-list', limit: 3, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['c-list-6', 'c-list-5', 'c-list-4', 'c-list-3', 'c-list-2', 'c-list-1', 'c-list-0']);

    const ids = async (f: Parameters<RepositorySet['cases']['list']>[0]) => (await repos.cases.list(f)).items.map((c) => c.id);
    expect(await ids({ assigneeId: 'agent-9' })).toEqual(['c-list-4', 'c-list-1']);
    expect(await ids({ assigneeId: 'agent-9', status: 'OPEN' })).toEqual(['c-list-4']);
    expect(await ids({ merchantId: 'm1', status: ['WAITING_CUSTOMER', 'RESOLVED'], customerId: 'cust-list' })).toEqual(['c-list-1']);
    expect(await ids({ merchantId: 'm1', late: true })).toEqual(['c-list-1']);
    expect(await ids({ customerId: 'cust-list', createdFrom: new Date(base + 60_000), createdBefore: new Date(base + 120_000) })).toEqual(['c-list-3', 'c-list-2']);
    await expect(repos.cases.list({ cursor: 'not-a-cursor' })).rejects.toThrow();
  });
});

describe('timeline', () => {
  it('the same stepKey appended twice (or concurrently) is one row, and the retry gets that row back', async () => {
    await repos.cases.create(newCase('c-tl'));
    const step = { caseId: 'c-tl', stepKey: 'return:arrived', kind: 'ARRIVED', actor: 'warehouse', data: { weightGrams: 850 } };
    const first = await repos.timeline.append(step);
    const retry = await repos.timeline.append({ ...step, data: { weightGrams: 999 } });
    expect(first.created).toBe(true);
    expect(retry).toEqual({ event: first.event, created: false });
    const racing = await Promise.all(Array.from({ length: 5 }, () => repos.timeline.append({ ...step, stepKey: 'refund:decided', decision: { rule: 'refundOfWhatCameBack', policyVersion: 1 } })));
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(racing.map((r) => r.event.id)).size).toBe(1);
    expect((await repos.timeline.list('c-tl')).map((e) => e.stepKey)).toEqual(['return:arrived', 'refund:decided']);
  });

  it('a duplicate step inside a transaction does not poison the transaction', async () => {
    await repos.cases.create(newCase('c-tx'));
    await repos.timeline.append({ caseId: 'c-tx', stepKey: 'opened', kind: 'OPENED' });
    await db.prisma.$transaction(async (tx) => {
      const r = createRepositorySet(tx as unknown as PrismaClient);
      expect((await r.timeline.append({ caseId: 'c-tx', stepKey: 'opened', kind: 'OPENED' })).created).toBe(false);
      expect(await r.cases.project({ id: 'c-tx', version: 1, stage: 'AWAITING_DECISION' })).toBe(true);
    });
    expect((await repos.cases.get('c-tx'))?.stage).toBe('AWAITING_DECISION');
  });
});

describe('ledger', () => {
  it('the same idempotency key books one entry and returns the same result; a different entry under that key is refused', async () => {
    await repos.cases.create(newCase('c-ledger'));
    const refund = { caseId: 'c-ledger', kind: 'REFUND' as const, amountMinor: -3980, currency: 'CNY', lines: [{ sku: 'TEA-1', quantity: 2 }], reference: 'pay_r_1', idempotencyKey: 'c-ledger:refund' };
    const first = await repos.ledger.append(refund);
    const retry = await repos.ledger.append(refund);
    expect(first.created).toBe(true);
    expect(retry).toEqual({ entry: first.entry, created: false });
    const racing = await Promise.all(Array.from({ length: 5 }, () => repos.ledger.append({ ...refund, kind: 'RETURN_NOTE', amountMinor: 0, idempotencyKey: 'c-ledger:return-note' })));
    expect(racing.filter((r) => r.created)).toHaveLength(1);
    await expect(repos.ledger.append({ ...refund, amountMinor: -1 })).rejects.toBeInstanceOf(IdempotencyConflict);
    expect((await repos.ledger.list('c-ledger')).map((e) => e.idempotencyKey)).toEqual(['c-ledger:refund', 'c-ledger:return-note']);
  });

  it('sums the refunds of a case per currency and cannot be edited through Prisma either', async () => {
    await repos.cases.create(newCase('c-sum'));
    await repos.ledger.append({ caseId: 'c-sum', kind: 'REFUND', amountMinor: -1000, currency: 'CNY', idempotencyKey: 'c-sum:r1' });
    await repos.ledger.append({ caseId: 'c-sum', kind: 'REFUND', amountMinor: -250n, currency: 'CNY', idempotencyKey: 'c-sum:r2' });
    const note = await repos.ledger.append({ caseId: 'c-sum', kind: 'EXPENSE_NOTE', amountMinor: -300, currency: 'CNY', idempotencyKey: 'c-sum:expense' });
    expect(await repos.ledger.refundedPerCurrency('c-sum')).toEqual([{ currency: 'CNY', refundedMinor: 1250n }]);
    expect(await repos.ledger.refundedPerCurrency('c-nothing')).toEqual([]);
    await expect(db.prisma.ledgerEntry.update({ where: { id: note.entry.id }, data: { amountMinor: 0n } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.ledgerEntry.deleteMany({ where: { caseId: 'c-sum' } })).rejects.toThrow(/append-only/);
  });
});

describe('policies', () => {
  it('publishes numbered versions, returns the latest or a given one, and numbers concurrent publications apart', async () => {
    await db.prisma.merchant.create({ data: { id: 'm-pol', name: 'Policy shop', defaultCurrency: 'CNY' } });
    expect(await repos.policies.latest('m-pol')).toBeNull();
    const businessHours = { timeZone: 'Asia/Shanghai', workingDays: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00', holidays: ['2026-10-01'], makeUpWorkingDays: ['2026-09-27'] };
    const v1 = await repos.policies.create('m-pol', { rules: { returnShipDays: 7 }, businessHours });
    const v2 = await repos.policies.create('m-pol', { rules: { returnShipDays: 10 }, businessHours });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await repos.policies.latest('m-pol')).toEqual(v2);
    expect((await repos.policies.get('m-pol', 1))?.rules).toEqual({ returnShipDays: 7 });
    expect(await repos.policies.get('m-pol', 9)).toBeNull();
    const racing = await Promise.all([3, 4, 5].map((days) => repos.policies.create('m-pol', { rules: { returnShipDays: days }, businessHours })));
    expect(racing.map((p) => p.version).sort()).toEqual([3, 4, 5]);
  });
});

describe('credentials', () => {
  it('returns the plain key once, stores only its hash, finds live keys and forgets revoked ones', async () => {
    const { credential, key } = await repos.credentials.create({ role: 'CUSTOMER', label: 'storefront session', merchantId: 'm1', customerId: 'cust-1' });
    expect(key).toMatch(/^customer_[A-Za-z0-9_-]{32}$/);
    const stored = await db.prisma.apiCredential.findUniqueOrThrow({ where: { id: credential.id }, select: { keyHash: true } });
    expect(stored.keyHash).toBe(hashKey(key));
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(await repos.credentials.findByKey(key)).toEqual(credential);
    expect(await repos.credentials.findByKey(`${key}x`)).toBeNull();
    await repos.credentials.revoke(credential.id);
    expect(await repos.credentials.findByKey(key)).toBeNull();
    expect((await repos.credentials.create({ role: 'COURIER', label: 'SF callbacks' })).credential.role).toBe('COURIER');
  });
});

describe('idempotency records', () => {
  it('a key is claimed once; the claim is answered or released by its holder only; a retry reads the answer', async () => {
    expect(await repos.idempotency.get('agent:1', 'k1')).toBeNull();
    const claim = { principal: 'agent:1', key: 'k1', requestHash: 'a'.repeat(64), leaseMs: 60_000 };
    const first = await repos.idempotency.claim(claim);
    const racing = await repos.idempotency.claim({ ...claim, requestHash: 'b'.repeat(64) });
    expect(first.claimed).toBe(true);
    expect(racing).toMatchObject({ claimed: false, record: { requestHash: 'a'.repeat(64), status: null } });
    const token = first.claimed ? first.token : '';
    expect(await repos.idempotency.finish({ principal: 'agent:1', key: 'k1', token: 'not-the-holder', status: 500, responseBody: {} })).toBe(false);
    expect(await repos.idempotency.finish({ principal: 'agent:1', key: 'k1', token, status: 201, responseBody: { id: 'c-1' } })).toBe(true);
    expect(await repos.idempotency.claim(claim)).toMatchObject({ claimed: false, record: { status: 201, responseBody: { id: 'c-1' } } });
    expect(await repos.idempotency.get('agent:2', 'k1')).toBeNull(); // keys are per principal

    const failing = await repos.idempotency.claim({ ...claim, key: 'k2' });
    await repos.idempotency.release({ principal: 'agent:1', key: 'k2', token: failing.claimed ? failing.token : '' });
    expect((await repos.idempotency.claim({ ...claim, key: 'k2' })).claimed).toBe(true); // released: the retry runs
    expect(await repos.idempotency.purgeBefore(new Date(Date.now() + 60_000))).toBe(2);
  });
});

describe('list filters use the indexes', () => {
  it('EXPLAIN of the queries the repository sends shows an index scan on the matching index', async () => {
    // A table big enough that Postgres prefers an index: 6,000 cases of 20 merchants.
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Merchant" (id, name, "defaultCurrency") SELECT 'bulk-' || i, 'Shop ' || i, 'CNY' FROM generate_series(0, 19) i`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Case" (id, "merchantId", type, status, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "assigneeId", late, "createdAt", "updatedAt")
      SELECT 'bulk-case-' || i, 'bulk-' || (i % 20),
             (enum_range(NULL::"CaseType"))[1 + i % 12], (enum_range(NULL::"CaseStatus"))[1 + (i / 20) % 9],
             'OPENED', 'order-' || i, '{}', '{}', 'bulk-cust-' || (i % 1500), 'CNY', 1, 'case-bulk-' || i,
             'agent-' || (i % 60), i % 50 = 0, now() - i * interval '1 minute', now()
      FROM generate_series(1, 6000) i`);
    await db.prisma.$executeRawUnsafe('ANALYZE "Case"');

    const queries: Array<{ query: string; params: string }> = [];
    const logging = new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url }), log: [{ emit: 'event', level: 'query' }] });
    logging.$on('query', (e) => queries.push(e));
    const planOf = async (filter: Parameters<RepositorySet['cases']['list']>[0]) => {
      queries.length = 0;
      await createRepositorySet(logging).cases.list(filter);
      const { query, params } = queries.find((q) => q.query.includes('FROM "public"."Case"'))!;
      const client = new pg.Client({ connectionString: db.url });
      await client.connect();
      try {
        return (await client.query(`EXPLAIN ${query}`, JSON.parse(params))).rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await client.end();
      }
    };
    try {
      const usesIndex = (index: string) => new RegExp(`(Index Scan|Index Scan Backward|Index Only Scan|Bitmap Index Scan) (using|on) "${index}"`);
      expect(await planOf({ merchantId: 'bulk-3', status: 'OPEN' })).toMatch(usesIndex('Case_merchantId_status_createdAt_idx'));
      expect(await planOf({ merchantId: 'bulk-3', type: 'WRONG_ITEM' })).toMatch(usesIndex('Case_merchantId_type_createdAt_idx'));
      expect(await planOf({ merchantId: 'bulk-3', late: true })).toMatch(usesIndex('Case_merchantId_late_createdAt_idx'));
      expect(await planOf({ assigneeId: 'agent-7', status: 'WAITING_CUSTOMER' })).toMatch(usesIndex('Case_assigneeId_status_idx'));
      expect(await planOf({ customerId: 'bulk-cust-42' })).toMatch(usesIndex('Case_customerId_createdAt_idx'));
    } finally {
      await logging.$disconnect();
    }
  });
});
