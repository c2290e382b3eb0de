/**
 * The four figures on hand-made cases whose right answers are worked out here, in the merchant's
 * time zone, by day, week and month, by type, agent, carrier and merchant — with the edge cases:
 * no revisits (satisfaction null, not 0), zero orders (complaint rate null), a case reopened after
 * its revisit (its latest answer counts), a case opened just before local midnight.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { figuresOf } from '../../domain/index.js';
import { createPrisma, type Db } from '../../db/client.js';
import { businessFigures } from '../../db/figures.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;
const TZ = 'Asia/Shanghai';

let n = 0;
/** A case opened at a Beijing wall time. */
async function aCase(merchantId: string, beijing: string, over: Record<string, unknown> = {}) {
  const id = `f${++n}`;
  await db.case.create({
    data: {
      id,
      merchantId,
      type: 'RETURN_AND_REFUND',
      stage: 'CLOSED',
      orderId: `o${n}`,
      orderSnapshot: {},
      request: {},
      customerId: 'c',
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `case-${id}`,
      createdAt: new Date(`${beijing}+08:00`),
      ...over,
    },
  });
}

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.createMany({ data: [{ id: 'tea', name: 'Tea shop', defaultCurrency: 'CNY' }, { id: 'cup', name: 'Cup shop', defaultCurrency: 'CNY' }] });
  const resolved = new Date('2026-03-05T00:00:00Z');
  // Tea shop, Monday 2 March 2026 (Beijing): four cases.
  await aCase('tea', '2026-03-02T09:00:00', { resolvedAt: resolved, satisfaction: 5, assigneeId: 'ann', carrier: 'SF' }); // satisfied, on time
  await aCase('tea', '2026-03-02T10:00:00', { resolvedAt: resolved, satisfaction: 2, late: true, assigneeId: 'ann', carrier: 'SF' }); // unsatisfied, late
  await aCase('tea', '2026-03-02T11:00:00', { type: 'COMPLAINT', assigneeId: 'bob', carrier: 'YTO' }); // open complaint
  await aCase('tea', '2026-03-02T23:59:00', { resolvedAt: resolved, satisfaction: 4, complaint: true, assigneeId: 'bob' }); // still Monday in Beijing (15:59 UTC); its complaint is a COMPLAINT case of its own
  // Reopened after an unsatisfied revisit, answered 4 the second time: the latest answer is what the row keeps.
  await aCase('tea', '2026-03-03T08:00:00', { resolvedAt: resolved, satisfaction: 4, type: 'MISSING_ITEMS', assigneeId: 'ann' });
  // Tuesday 00:30 Beijing is Monday 16:30 UTC: a Tuesday case.
  await aCase('tea', '2026-03-03T00:30:00', { late: true, type: 'MISSING_ITEMS' });
  // The next week, nothing revisited yet.
  await aCase('tea', '2026-03-10T12:00:00', { resolvedAt: resolved });
  // Outside the period, and another merchant.
  await aCase('tea', '2026-04-01T12:00:00', { resolvedAt: resolved, satisfaction: 5 });
  await aCase('cup', '2026-03-02T12:00:00', { type: 'COMPLAINT', late: true });
  await db.orderCount.createMany({
    data: [
      { merchantId: 'tea', day: new Date('2026-03-02'), orders: 1000 },
      { merchantId: 'tea', day: new Date('2026-03-03'), orders: 500 },
      { merchantId: 'cup', day: new Date('2026-03-02'), orders: 250 },
      // No orders reported for the tea shop in the week of 9 March.
    ],
  });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

const march = { from: '2026-03-01', to: '2026-04-01', timeZone: TZ };

describe('the business figures', () => {
  it('by local day: Monday has 4 cases (one at 23:59), Tuesday 2 (one at 00:30)', async () => {
    const rows = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'day', by: 'none' });
    expect(rows.map((r) => [r.period, r.cases])).toEqual([
      ['2026-03-02', 4],
      ['2026-03-03', 2],
      ['2026-03-10', 1],
    ]);
    // Monday: resolved 3 of 4 = 75 %; on time 3 of 4 = 75 %; revisited 3, satisfied 2 (5 and 4) = 66.67 %;
    // complaints: the COMPLAINT case only (a case marked as complained about is counted through its complaint case), 1 of 1,000 orders = 1 ‰.
    expect(rows[0]).toMatchObject({ cases: 4, resolved: 3, onTime: 3, revisited: 3, satisfied: 2, complaints: 1, orders: 1000, resolutionPct: 75, onTimePct: 75, satisfactionPct: 66.67, complaintPermille: 1 });
    // Tuesday: the reopened case's latest answer (4) counts: 1 of 1 revisited satisfied; no complaints of 500 orders.
    expect(rows[1]).toMatchObject({ cases: 2, resolved: 1, onTime: 1, revisited: 1, satisfied: 1, satisfactionPct: 100, resolutionPct: 50, onTimePct: 50, complaints: 0, orders: 500, complaintPermille: 0 });
    // No revisit yet and no orders reported: those figures are unknown, not zero.
    expect(rows[2]).toMatchObject({ cases: 1, revisited: 0, satisfactionPct: null, orders: 0, complaintPermille: null, resolutionPct: 100 });
  });

  it('by ISO week and by month', async () => {
    const weeks = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'week', by: 'none' });
    expect(weeks.map((r) => [r.period, r.cases, r.orders, r.complaintPermille])).toEqual([
      ['2026-03-02', 6, 1500, 0.67], // 1 complaint / 1,500 orders
      ['2026-03-09', 1, 0, null],
    ]);
    const months = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'month', by: 'none' });
    // March: 7 cases; resolved 5 → 71.43 %; late 2 → on time 71.43 %; revisited 4, satisfied 3 → 75 %.
    expect(months).toEqual([expect.objectContaining({ period: '2026-03-01', cases: 7, resolved: 5, onTime: 5, revisited: 4, satisfied: 3, resolutionPct: 71.43, onTimePct: 71.43, satisfactionPct: 75, orders: 1500 })]);
  });

  it('broken down by type, agent, carrier and merchant', async () => {
    const byType = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'month', by: 'type' });
    expect(byType.map((r) => [r.key, r.cases])).toEqual([
      ['COMPLAINT', 1],
      ['MISSING_ITEMS', 2],
      ['RETURN_AND_REFUND', 4],
    ]);
    const byAgent = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'month', by: 'agent' });
    expect(byAgent.map((r) => [r.key, r.cases, r.satisfactionPct])).toEqual([
      [null, 2, null], // unassigned
      ['ann', 3, 66.67], // 5, 2, 4
      ['bob', 2, 100], // 4
    ]);
    const byCarrier = await businessFigures(db, { ...march, merchantId: 'tea', grain: 'month', by: 'carrier' });
    expect(byCarrier.find((r) => r.key === 'SF')).toMatchObject({ cases: 2, onTimePct: 50 });
    const byMerchant = await businessFigures(db, { ...march, grain: 'month', by: 'merchant' });
    expect(byMerchant.map((r) => [r.key, r.cases, r.orders, r.complaintPermille])).toEqual([
      ['cup', 1, 250, 4],
      ['tea', 7, 1500, 0.67],
    ]);
  });

  it('the formulas: nothing to divide by is null; rounding to two decimals', () => {
    expect(figuresOf({ cases: 0, resolved: 0, onTime: 0, revisited: 0, satisfied: 0, complaints: 0, orders: 0 })).toEqual({ satisfactionPct: null, resolutionPct: null, complaintPermille: null, onTimePct: null });
    expect(figuresOf({ cases: 3, resolved: 1, onTime: 2, revisited: 3, satisfied: 2, complaints: 1, orders: 3 })).toEqual({ satisfactionPct: 66.67, resolutionPct: 33.33, complaintPermille: 333.33, onTimePct: 66.67 });
  });

  it('the figures read the local days\' rollups by their key, not the cases', async () => {
    await db.$executeRawUnsafe('SET enable_seqscan = off'); // the table is tiny here; ask the planner what it would use on a big one
    const plan = await db.$queryRawUnsafe<Array<{ 'QUERY PLAN': string }>>(
      `EXPLAIN SELECT sum("cases") FROM "FigureDay" r WHERE r."zone" = 'Asia/Shanghai' AND r."dim" = 'none' AND r."merchantId" = 'tea' AND r."day" >= '2026-03-01' AND r."day" < '2026-04-01'`,
    );
    expect(plan.map((p) => p['QUERY PLAN']).join('\n')).toMatch(/FigureDay_pkey/);
  });
});
