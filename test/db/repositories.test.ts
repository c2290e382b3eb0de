/**
 * The API's repository (db/repositories.ts) against a real Postgres (a migrated database of this
 * file's own): a case opened once per id and per reference, the agents' list by its filters in
 * pages that neither overlap nor skip, each filter served by its index, and the parts the
 * repository is built from — the ledger as the API reads it (append-only), policy versions,
 * credentials and Idempotency-Key records. What the worker writes (steps, projections, ledger
 * documents, messages) is tested with its activities (test/activities/).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sql } from '../../db/client.js';
import { caseQueuePage, UnknownCursor, type CaseQueueFilter } from '../../db/case-queue.js';
import { createRepositories, hashKey, type Repositories } from '../../db/repositories.js';
import { createCredentialRepository } from '../../db/repositories/credentials.js';
import { createIdempotencyRepository } from '../../db/repositories/idempotency.js';
import { createPolicyRepository } from '../../db/repositories/policies.js';
import { openTestDatabase } from '../../db/test-database.js';
import { approvedLinesOf } from '../../domain/goods-lines.js';
import { waitUntil } from '../support/wait.js';

let db: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;

type NewCase = Parameters<Repositories['openCase']>[0];
const newCase = (id: string, extra: Partial<NewCase> = {}): NewCase => ({
  id,
  merchantId: 'm1',
  type: 'RETURN_AND_REFUND',
  orderId: `order-${id}`,
  orderSnapshot: { items: [{ sku: 'TEA-1', quantity: 2, unitPriceMinor: 1990 }] },
  request: { lines: [{ sku: 'TEA-1', quantity: 2 }] },
  customerId: 'cust-1',
  customerLocale: 'zh-CN',
  currency: 'CNY',
  requestedAmountMinor: 3980,
  policyVersion: 1,
  workflowId: `case-${id}`,
  ...extra,
});

beforeAll(async () => {
  db = await openTestDatabase();
  repos = createRepositories(db.prisma);
  await db.prisma.merchant.create({ data: { id: 'm1', name: '茶叶小店', defaultCurrency: 'CNY' } });
  await db.prisma.merchant.create({ data: { id: 'm2', name: 'Other shop', defaultCurrency: 'CNY' } });
});

afterAll(async () => {
  await db?.drop();
});

describe('opening a case', () => {
  it('writes the row once: the same id again answers the case it opened, a reference names one case per merchant, a taken workflow id is refused', async () => {
    expect(await repos.openCase(newCase('c-open'))).toEqual({ created: true });
    expect(await repos.openCase(newCase('c-open'))).toMatchObject({ created: false, existing: { id: 'c-open', workflowId: 'case-c-open', status: 'OPEN' } });
    expect(await repos.caseById('c-open')).toMatchObject({ id: 'c-open', stage: 'OPENED', requestedAmountMinor: 3980n });
    expect(await repos.caseById('c-open')).not.toHaveProperty('orderSnapshot'); // the summary leaves the snapshot out

    expect(await repos.openCase(newCase('c-ref-1', { reference: 'RMA-7', referenceHash: 'a'.repeat(64) }))).toEqual({ created: true });
    expect(await repos.openCase(newCase('c-ref-2', { reference: 'RMA-7', referenceHash: 'a'.repeat(64) }))).toMatchObject({ created: false, existing: { id: 'c-ref-1' } });
    expect(await repos.openCase(newCase('c-ref-3', { merchantId: 'm2', reference: 'RMA-7' }))).toEqual({ created: true }); // another merchant's RMA-7

    await expect(repos.openCase(newCase('c-taken', { workflowId: 'case-c-open' }))).rejects.toThrow(/its id is taken/);
    expect(await db.prisma.case.count({ where: { id: { in: ['c-ref-2', 'c-taken'] } } })).toBe(0);
  });

  it('with evidence, writes the row and its evidence together', async () => {
    expect(await repos.openCase(newCase('c-ev'), { urls: ['https://img.example/1.jpg', 'https://img.example/2.mp4'], kinds: ['photo', 'video'], addedBy: 'customer:cust-1' })).toEqual({ created: true });
    expect((await repos.evidence('c-ev')).map((e) => [e.url, e.kind])).toEqual([['https://img.example/1.jpg', 'photo'], ['https://img.example/2.mp4', 'video']]);
  });
});

describe("the agents' list", () => {
  it('by the agent filters, newest first, in pages that neither overlap nor skip; a cursor naming no case is refused', async () => {
    const base = Date.parse('2026-05-01T00:00:00Z');
    for (let i = 0; i < 7; i++) {
      await repos.openCase(newCase(`c-list-${i}`, { customerId: 'cust-list' }));
      await db.prisma.case.update({ where: { id: `c-list-${i}` }, data: { createdAt: new Date(base + Math.floor(i / 2) * 60_000) } }); // pairs share a createdAt
    }
    await db.prisma.case.update({ where: { id: 'c-list-1' }, data: { assigneeId: 'agent-9', status: 'WAITING_CUSTOMER', late: true } });
    await db.prisma.case.update({ where: { id: 'c-list-4' }, data: { assigneeId: 'agent-9' } });

    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await repos.listCases({ customerId: 'cust-list', limit: 3, cursor });
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['c-list-6', 'c-list-5', 'c-list-4', 'c-list-3', 'c-list-2', 'c-list-1', 'c-list-0']);

    const ids = async (f: Omit<CaseQueueFilter, 'limit'>) => (await repos.listCases({ limit: 50, ...f })).items.map((c) => c.id);
    expect(await ids({ assigneeId: 'agent-9' })).toEqual(['c-list-4', 'c-list-1']);
    expect(await ids({ assigneeId: 'agent-9', status: 'OPEN' })).toEqual(['c-list-4']);
    expect(await ids({ merchantId: 'm1', late: true })).toEqual(['c-list-1']);
    expect(await ids({ customerId: 'cust-list', createdFrom: new Date(base + 60_000), createdTo: new Date(base + 120_000) })).toEqual(['c-list-3', 'c-list-2']);
    expect(await ids({ customerId: 'cust-list', order: 'urgency', open: true })).toEqual(['c-list-1', 'c-list-0', 'c-list-2', 'c-list-3', 'c-list-4', 'c-list-5', 'c-list-6']); // late first, then by id
    await expect(repos.listCases({ limit: 3, cursor: 'not-a-case' })).rejects.toBeInstanceOf(UnknownCursor);
    await expect(repos.listCases({ merchantId: 'm2', limit: 3, cursor: 'c-list-3' })).rejects.toBeInstanceOf(UnknownCursor); // another merchant's case is no cursor
    // A cursor names its order: taken to another order it would page from the wrong place.
    const newestCursor = (await repos.listCases({ customerId: 'cust-list', limit: 2 })).nextCursor!;
    expect(newestCursor).toBe('newest.c-list-5');
    await expect(repos.listCases({ customerId: 'cust-list', limit: 2, order: 'urgency', cursor: newestCursor })).rejects.toMatchObject({ reason: expect.stringMatching(/^was handed out for order=newest/) });
    await expect(repos.listCases({ customerId: 'cust-list', limit: 2, order: 'updated', cursor: newestCursor })).rejects.toMatchObject({ reason: expect.stringMatching(/^was handed out for order=newest/) });
    const urgencyCursor = (await repos.listCases({ customerId: 'cust-list', order: 'urgency', open: true, limit: 2 })).nextCursor!;
    expect(urgencyCursor).toBe('urgency.c-list-0');
    await expect(repos.listCases({ customerId: 'cust-list', limit: 2, cursor: urgencyCursor })).rejects.toMatchObject({ reason: expect.stringMatching(/^was handed out for order=urgency/) });
    // The sync order holds back changes while any transaction of the cluster that could precede them
    // is in flight (other test files' too, on a busy machine): wait until these cases show, then page.
    const syncCursor = await waitUntil('these cases in the sync order', async () => (await repos.listCases({ customerId: 'cust-list', order: 'updated', limit: 2 })).nextCursor);
    await expect(repos.listCases({ customerId: 'cust-list', limit: 2, cursor: syncCursor })).rejects.toMatchObject({ reason: expect.stringMatching(/^was handed out for order=updated/) });
    // A bare case id (the cursors handed out before they named their order) still pages.
    expect(await ids({ customerId: 'cust-list', cursor: 'c-list-5' })).toEqual(['c-list-4', 'c-list-3', 'c-list-2', 'c-list-1', 'c-list-0']);
  });

  it('EXPLAIN of the statement each filter sends shows a scan of the matching index', async () => {
    // A table big enough that Postgres prefers an index: 6,000 cases of 20 merchants.
    await db.prisma.$executeRawUnsafe(`INSERT INTO "Merchant" (id, name, "defaultCurrency") SELECT 'bulk-' || i, 'Shop ' || i, 'CNY' FROM generate_series(0, 19) i`);
    await db.prisma.$executeRawUnsafe(`
      INSERT INTO "Case" (id, "merchantId", type, status, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "assigneeId", late, "solutionDueAt", "createdAt", "updatedAt")
      SELECT 'bulk-case-' || i, 'bulk-' || (i % 20),
             (enum_range(NULL::"CaseType"))[1 + i % 12], (enum_range(NULL::"CaseStatus"))[1 + (i / 20) % 9],
             'OPENED', 'order-' || i, '{}', '{}', 'bulk-cust-' || (i % 1500), 'CNY', 1, 'case-bulk-' || i,
             'agent-' || (i % 60), i % 50 = 0, now() + i * interval '1 minute', now() - i * interval '1 minute', now()
      FROM generate_series(1, 6000) i`);
    await db.prisma.$executeRawUnsafe('ANALYZE "Case"');
    await db.prisma.$executeRawUnsafe('ANALYZE "CaseChange"');

    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    // The statement the list sends for a filter, as it sends it, explained.
    const planOf = async (filter: Omit<CaseQueueFilter, 'limit'>) => {
      let sent: { text: string; values: unknown[] } | undefined;
      const recording: Sql = { query: async <R>(text: string, values: unknown[]) => ((sent = { text, values }), [] as R[]) };
      await caseQueuePage(recording, { limit: 50, ...filter }, 'c.id');
      return (await client.query(`EXPLAIN ${sent!.text}`, sent!.values)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
    };
    try {
      const usesIndex = (index: string) => new RegExp(`(Index Scan|Index Scan Backward|Index Only Scan|Bitmap Index Scan) (using|on) "${index}"`);
      expect(await planOf({ merchantId: 'bulk-3', status: 'OPEN' })).toMatch(usesIndex('Case_merchantId_status_createdAt_idx'));
      expect(await planOf({ merchantId: 'bulk-3', type: 'WRONG_ITEM' })).toMatch(usesIndex('Case_merchantId_type_createdAt_idx'));
      expect(await planOf({ merchantId: 'bulk-3', late: true })).toMatch(usesIndex('Case_merchantId_late_createdAt_idx'));
      expect(await planOf({ assigneeId: 'agent-7', status: 'WAITING_CUSTOMER' })).toMatch(usesIndex('Case_assigneeId_status_idx'));
      expect(await planOf({ customerId: 'bulk-cust-42' })).toMatch(usesIndex('Case_customerId_createdAt_idx'));
      expect(await planOf({ merchantId: 'bulk-3', open: true, order: 'urgency' })).toMatch(usesIndex('Case_open_urgency_idx'));
      // The sync order reads the merchant's change keys in order, from the cursor's key on.
      expect(await planOf({ merchantId: 'bulk-3', order: 'updated', cursor: '1000.bulk-case-3' })).toMatch(usesIndex('CaseChange_merchantId_seq_caseId_idx'));
    } finally {
      await client.end();
    }
  });
});

describe('the goods an agent approved', () => {
  it('reads in SQL, for many cases at once, what approvedLinesOf reads from one timeline', async () => {
    const approve = (lines: unknown, outcome = 'APPROVE', rule = 'agentDecision') => ({ kind: 'SOLUTION_PROPOSED', decision: { rule, outcome, values: { lines } } });
    const timelines: Record<string, Array<{ kind: string; decision?: unknown }>> = {
      'c-appr-part': [{ kind: 'OPENED' }, approve([{ sku: 'TEA-1', quantity: 1, reason: 'DEFECTIVE' }])],
      'c-appr-twice': [approve([{ sku: 'TEA-1', quantity: 2 }]), { kind: 'REOPENED' }, approve([{ sku: 'TEA-1', quantity: 1 }])],
      'c-appr-rejected-after': [approve([{ sku: 'TEA-1', quantity: 1 }]), approve([{ sku: 'TEA-1', quantity: 2 }], 'REJECT')],
      'c-appr-by-rule': [approve([{ sku: 'TEA-1', quantity: 2 }], 'APPROVE', 'noReasonReturnDays')],
      'c-appr-none': [{ kind: 'OPENED' }],
    };
    for (const [id, steps] of Object.entries(timelines)) {
      await repos.openCase(newCase(id));
      for (const [i, step] of steps.entries()) {
        await db.prisma.caseEvent.create({ data: { caseId: id, stepKey: `${i}:${step.kind}`, kind: step.kind, stage: 'X', actor: 'agent:a1', data: {}, ...(step.decision ? { decision: step.decision as object } : {}) } });
      }
    }
    const inSql = await repos.approvedLines(Object.keys(timelines));
    const bare = (lines: unknown) => (Array.isArray(lines) && lines.length ? lines.map((l: { sku: string; quantity: number }) => ({ sku: l.sku, quantity: l.quantity })) : null);
    for (const [id, steps] of Object.entries(timelines)) expect(bare(inSql.get(id)), id).toEqual(approvedLinesOf(steps));
    expect(approvedLinesOf(timelines['c-appr-twice']!)).toEqual([{ sku: 'TEA-1', quantity: 1 }]);
  });
});

describe('a claim a carrier decides', () => {
  it("is the carrier's own claim of that id, its newest: another carrier's of the same number is not it", async () => {
    const filed = async (caseId: string, carrier: string, at: string, claimedMinor: number) => {
      await repos.openCase(newCase(caseId));
      await db.prisma.caseEvent.create({ data: { caseId, stepKey: `${caseId}:claim`, kind: 'CLAIM_FILED', stage: 'X', actor: 'logistics:claim', at: new Date(at), data: { claimId: 'cl_7', carrier, trackingNumber: `${carrier}-${caseId}`, claimedMinor } } });
    };
    await filed('c-claim-sf-old', 'SF', '2026-03-01T10:00:00Z', 1_000);
    await filed('c-claim-zto', 'ZTO', '2026-03-05T10:00:00Z', 2_000);
    // The simulator numbers its claims from cl_1 again after a restart: the same carrier's newer cl_7.
    await filed('c-claim-sf-new', 'SF', '2026-03-03T10:00:00Z', 3_000);
    expect(await repos.filedClaim('cl_7', 'SF')).toMatchObject({ caseId: 'c-claim-sf-new', carrier: 'SF', claimedMinor: 3_000 });
    expect(await repos.filedClaim('cl_7', 'ZTO')).toMatchObject({ caseId: 'c-claim-zto', claimedMinor: 2_000 });
    expect(await repos.filedClaim('cl_7', 'YTO')).toBeNull();
  });
});

describe('the ledger as the API reads it', () => {
  it("lists a case's documents in booking order, only the kinds asked for, and cannot be edited through Prisma either", async () => {
    await repos.openCase(newCase('c-ledger'));
    const book = (kind: 'REFUND' | 'RETURN_NOTE' | 'EXPENSE_NOTE', amountMinor: bigint, key: string) =>
      db.prisma.ledgerEntry.create({ data: { caseId: 'c-ledger', kind, amountMinor, currency: 'CNY', lines: [], idempotencyKey: key }, select: { id: true } });
    await book('RETURN_NOTE', 0n, 'c-ledger:return-note');
    const refund = await book('REFUND', -3980n, 'c-ledger:refund');
    expect((await repos.documents('c-ledger')).map((e) => [e.kind, e.amountMinor])).toEqual([['RETURN_NOTE', 0n], ['REFUND', -3980n]]);
    expect((await repos.documents('c-ledger', ['REFUND'])).map((e) => e.idempotencyKey)).toEqual(['c-ledger:refund']);
    await expect(db.prisma.ledgerEntry.update({ where: { id: refund.id }, data: { amountMinor: 0n } })).rejects.toThrow(/append-only/);
    await expect(db.prisma.ledgerEntry.deleteMany({ where: { caseId: 'c-ledger' } })).rejects.toThrow(/append-only/);
  });
});

describe('policies', () => {
  it('publishes numbered versions, returns the latest or a given one, and numbers concurrent publications apart', async () => {
    const policies = createPolicyRepository(db.prisma);
    await db.prisma.merchant.create({ data: { id: 'm-pol', name: 'Policy shop', defaultCurrency: 'CNY' } });
    expect(await policies.latest('m-pol')).toBeNull();
    const businessHours = { timeZone: 'Asia/Shanghai', workingDays: [1, 2, 3, 4, 5], opens: '09:00', closes: '18:00', holidays: ['2026-10-01'], makeUpWorkingDays: ['2026-09-27'] };
    const v1 = await policies.create('m-pol', { rules: { returnShipDays: 7 }, businessHours });
    const v2 = await policies.create('m-pol', { rules: { returnShipDays: 10 }, businessHours });
    expect([v1.version, v2.version]).toEqual([1, 2]);
    expect(await policies.latest('m-pol')).toEqual(v2);
    expect((await policies.get('m-pol', 1))?.rules).toEqual({ returnShipDays: 7 });
    expect(await policies.get('m-pol', 9)).toBeNull();
    const racing = await Promise.all([3, 4, 5].map((days) => policies.create('m-pol', { rules: { returnShipDays: days }, businessHours })));
    expect(racing.map((p) => p.version).sort()).toEqual([3, 4, 5]);
  });
});

describe('credentials', () => {
  it('returns the plain key once, stores only its hash, finds live keys and forgets revoked ones', async () => {
    const credentials = createCredentialRepository(db.prisma);
    const { credential, key } = await credentials.create({ role: 'CUSTOMER', label: 'storefront session', merchantId: 'm1', customerId: 'cust-1' });
    expect(key).toMatch(/^customer_[A-Za-z0-9_-]{32}$/);
    const stored = await db.prisma.apiCredential.findUniqueOrThrow({ where: { id: credential.id }, select: { keyHash: true } });
    expect(stored.keyHash).toBe(hashKey(key));
    expect(JSON.stringify(credential)).not.toContain(key);
    expect(await credentials.findByKey(key)).toEqual(credential);
    expect(await credentials.findByKey(`${key}x`)).toBeNull();
    expect(await repos.credential(key)).toMatchObject({ role: 'CUSTOMER', merchantId: 'm1', customerId: 'cust-1' });
    await credentials.revoke(credential.id);
    expect(await credentials.findByKey(key)).toBeNull();
    expect(await repos.credential(key)).toBeNull();
    expect((await credentials.create({ role: 'COURIER', label: 'SF callbacks' })).credential.role).toBe('COURIER');
  });
});

describe('idempotency records', () => {
  it('a key is claimed once; the claim is answered or released by its holder only; a retry reads the answer', async () => {
    const idempotency = createIdempotencyRepository(db.prisma);
    expect(await idempotency.get('agent:1', 'k1')).toBeNull();
    const claim = { principal: 'agent:1', key: 'k1', requestHash: 'a'.repeat(64), leaseMs: 60_000 };
    const first = await idempotency.claim(claim);
    const racing = await idempotency.claim({ ...claim, requestHash: 'b'.repeat(64) });
    expect(first.claimed).toBe(true);
    expect(racing).toMatchObject({ claimed: false, record: { requestHash: 'a'.repeat(64), status: null } });
    const token = first.claimed ? first.token : '';
    expect(await idempotency.finish({ principal: 'agent:1', key: 'k1', token: 'not-the-holder', status: 500, responseBody: {} })).toBe(false);
    expect(await idempotency.finish({ principal: 'agent:1', key: 'k1', token, status: 201, responseBody: { id: 'c-1' } })).toBe(true);
    expect(await idempotency.claim(claim)).toMatchObject({ claimed: false, record: { status: 201, responseBody: { id: 'c-1' } } });
    expect(await idempotency.get('agent:2', 'k1')).toBeNull(); // keys are per principal

    const failing = await idempotency.claim({ ...claim, key: 'k2' });
    await idempotency.release({ principal: 'agent:1', key: 'k2', token: failing.claimed ? failing.token : '' });
    expect((await idempotency.claim({ ...claim, key: 'k2' })).claimed).toBe(true); // released: the retry runs
    expect(await idempotency.purgeBefore(new Date(Date.now() + 60_000))).toBe(2);
  });
});
