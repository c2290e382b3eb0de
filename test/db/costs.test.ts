/**
 * The cost of after-sales from the ledger, on hand-made entries whose totals are worked out here:
 * refunds, replacement goods at cost, return logistics, compensation (gifts at cost), recovered
 * claims; documentary expense notes not counted twice; the month in the merchant's zone, one
 * currency, against the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { caseCosts, monthCosts } from '../../db/costs.js';
import { createTestDatabase } from '../../db/test-database.js';
import { ledgerCost } from '../../simulation/result.js';

let db: Db;
let drop: () => Promise<void>;
const bj = (s: string) => new Date(`${s}+08:00`);

async function aCase(id: string, merchantId = 'tea') {
  await db.case.create({ data: { id, merchantId, type: 'MISSING_ITEMS', stage: 'RESOLVED', orderId: `o-${id}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `case-${id}` } });
}
let k = 0;
const entry = (caseId: string, kind: 'REFUND' | 'EXPENSE_NOTE' | 'OUTBOUND' | 'OUTBOUND_REVERSAL' | 'CLAIM_RECOVERY' | 'RETURN_NOTE', amountMinor: number, lines: unknown[], at: string, currency = 'CNY') =>
  db.ledgerEntry.create({ data: { caseId, kind, amountMinor: BigInt(amountMinor), currency, lines: lines as never, idempotencyKey: `k${++k}`, createdAt: bj(at) } });

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.createMany({ data: [{ id: 'tea', name: 'Tea', defaultCurrency: 'CNY' }, { id: 'cup', name: 'Cup', defaultCurrency: 'CNY' }] });
  await aCase('A');
  await aCase('B');
  await aCase('C', 'cup');
  // A: refunded 50.00 (and the expense note documenting it), re-sent 2 units at 12.00 cost, paid 8.00 return postage, the carrier paid back 30.00.
  await entry('A', 'REFUND', -5000, [{ kind: 'GOODS', amountMinor: 5000 }], '2026-03-02T10:00:00');
  await entry('A', 'EXPENSE_NOTE', 0, [{ purpose: 'REFUND', amountMinor: 5000 }], '2026-03-02T10:00:01');
  await entry('A', 'OUTBOUND', 0, [{ sku: 'TEA', quantity: 2, unitCostMinor: 1200, stockDelta: -2 }], '2026-03-03T09:00:00');
  await entry('A', 'EXPENSE_NOTE', 0, [{ purpose: 'RETURN_SHIPPING', amountMinor: 800 }], '2026-03-03T09:00:01');
  await entry('A', 'RETURN_NOTE', 0, [{ sku: 'TEA', quantity: 1, stockDelta: 1 }], '2026-03-04T09:00:00');
  await entry('A', 'CLAIM_RECOVERY', 3000, [{ claimId: 'cl-1' }], '2026-03-20T09:00:00');
  // B: a gift (kept by the customer) at 4.00 cost; a refund in another currency; a refund booked on 1 April 00:30 Beijing (31 March UTC).
  await entry('B', 'EXPENSE_NOTE', 0, [{ purpose: 'GIFT', amountMinor: 400 }], '2026-03-10T12:00:00');
  await entry('B', 'REFUND', -700, [], '2026-03-10T12:00:00', 'USD');
  await entry('B', 'REFUND', -2000, [], '2026-04-01T00:30:00');
  // D: a delay compensated with 15.00 paid as a refund (its line says what it was for).
  await aCase('D');
  await entry('D', 'REFUND', -1500, [{ kind: 'COMPENSATION', daysLate: 3, amountMinor: 1500 }], '2026-05-12T12:00:00');
  // E: an exchange refunded instead for want of stock: the 300.00 pair came back into stock, and the
  // 30.00 the customer had paid for the dearer replacement went back to them (never the shop's money).
  await aCase('E');
  await entry('E', 'RETURN_NOTE', 0, [{ sku: 'SHOE', quantity: 1, stockDelta: 1 }], '2026-05-20T09:00:00');
  await entry('E', 'REFUND', -33_000, [{ kind: 'GOODS', amountMinor: 30_000 }, { kind: 'DIFFERENCE_RETURNED', amountMinor: 3_000 }], '2026-05-21T09:00:00');
  // F: an urgent exchange's loan product (50.00 at cost) lent and back in good order; G: one lent and back broken.
  await aCase('F');
  await entry('F', 'OUTBOUND', 0, [{ sku: 'SHOE-41', quantity: 1, unitCostMinor: 12_000, stockDelta: -1 }, { sku: 'LOAN', quantity: 1, unitCostMinor: 5_000, stockDelta: -1, loan: true }], '2026-06-01T09:00:00');
  await entry('F', 'RETURN_NOTE', 0, [{ sku: 'LOAN', quantity: 1, condition: 'OK', unitCostMinor: 5_000, stockDelta: 1, loan: true }], '2026-06-20T09:00:00');
  await aCase('G');
  await entry('G', 'OUTBOUND', 0, [{ sku: 'LOAN', quantity: 1, unitCostMinor: 5_000, stockDelta: -1, loan: true }], '2026-06-01T09:00:00');
  await entry('G', 'RETURN_NOTE', 0, [{ sku: 'LOAN', quantity: 1, condition: 'DAMAGED_BY_CUSTOMER', unitCostMinor: 5_000, stockDelta: 0, loan: true }], '2026-06-20T09:00:00');
  // H: a faulty kettle repaired for the customer: two parts at 15.00 and 40.00 of labour (the note's amount is 0: no money moved).
  await aCase('H');
  await entry('H', 'EXPENSE_NOTE', 0, [{ purpose: 'REPAIR', amountMinor: 7_000, parts: [{ name: 'lid', costMinor: 1_500 }, { name: 'seal', costMinor: 1_500 }], labourCostMinor: 4_000 }], '2026-06-05T09:00:00');
  // I: a re-shipment booked out (2 × 12.00) and put back unsent (the lost parcel turned up first);
  // J: an order cancelled before shipping, its own outbound reversed — never a cost of the case.
  await aCase('I');
  await entry('I', 'OUTBOUND', 0, [{ sku: 'TEA', quantity: 2, unitCostMinor: 1200, stockDelta: -2 }], '2026-06-07T09:00:00');
  await entry('I', 'OUTBOUND_REVERSAL', 0, [{ sku: 'TEA', quantity: -2, unitCostMinor: 1200, stockDelta: 2, unsent: true }], '2026-06-08T09:00:00');
  await aCase('J');
  await entry('J', 'OUTBOUND_REVERSAL', 0, [{ sku: 'TEA', quantity: -1, unitCostMinor: 1200, stockDelta: 1 }], '2026-06-08T09:00:00');
  // Another merchant.
  await entry('C', 'REFUND', -9999, [], '2026-03-05T12:00:00');
  await db.budget.create({ data: { merchantId: 'tea', period: '2026-03', amountMinor: 5000n, currency: 'CNY' } });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('after-sales costs', () => {
  it('per case: refunds + goods at cost + logistics + repairs + compensation − recovered', async () => {
    // 5,000 + 2 × 1,200 + 800 + 0 − 3,000 = 5,200 (the documentary expense note is not counted again).
    expect(await caseCosts(db, 'A')).toEqual({ refundsMinor: 5000, replacementGoodsMinor: 2400, logisticsMinor: 800, repairsMinor: 0, compensationMinor: 0, recoveredMinor: 3000, netMinor: 5200 });
    // B in all currencies and months: refunds 700 (USD) + 2,000, a 400 gift.
    expect(await caseCosts(db, 'B')).toMatchObject({ refundsMinor: 2700, compensationMinor: 400, netMinor: 3100 });
    // D: the money paid as compensation counts as compensation, not as a refund of goods.
    expect(await caseCosts(db, 'D')).toEqual({ refundsMinor: 0, replacementGoodsMinor: 0, logisticsMinor: 0, repairsMinor: 0, compensationMinor: 1500, recoveredMinor: 0, netMinor: 1500 });
    // E: the goods refunded are a cost; the customer's own difference paid back is not.
    expect(await caseCosts(db, 'E')).toMatchObject({ refundsMinor: 30_000, netMinor: 30_000 });
    // F: the replacement is a cost, the loan back in stock is not; G: the loan came back broken, a cost.
    expect(await caseCosts(db, 'F')).toMatchObject({ replacementGoodsMinor: 12_000, netMinor: 12_000 });
    expect(await caseCosts(db, 'G')).toMatchObject({ replacementGoodsMinor: 5_000, netMinor: 5_000 });
    // H: the repair's parts and labour are the shop's cost.
    expect(await caseCosts(db, 'H')).toMatchObject({ repairsMinor: 7_000, netMinor: 7_000 });
    // I: goods put back unsent cost nothing; J: an order's own outbound reversed is no gain either.
    expect(await caseCosts(db, 'I')).toMatchObject({ replacementGoodsMinor: 0, netMinor: 0 });
    expect(await caseCosts(db, 'J')).toMatchObject({ replacementGoodsMinor: 0, netMinor: 0 });
    expect(await caseCosts(db, 'nobody')).toEqual({ refundsMinor: 0, replacementGoodsMinor: 0, logisticsMinor: 0, repairsMinor: 0, compensationMinor: 0, recoveredMinor: 0, netMinor: 0 });
  });

  it('the policy what-if counts a simulated case by the same rules (simulation/result.ts ledgerCost)', async () => {
    // The what-if's totals (docs/policy-simulation.md) compare with these costs: a delay's
    // compensation counted as a refund there showed a compensation total of 0 for compensated delays.
    for (const caseId of ['A', 'B', 'D', 'E', 'F', 'G', 'H', 'I', 'J']) {
      const entries = await db.ledgerEntry.findMany({ where: { caseId }, orderBy: { createdAt: 'asc' } });
      const docs = entries.map((e) => ({ caseId, stepKey: e.idempotencyKey, kind: e.kind as 'REFUND', amountMinor: Number(e.amountMinor), currency: e.currency, lines: e.lines as Array<Record<string, unknown>> }));
      expect(ledgerCost(docs), caseId).toEqual(await caseCosts(db, caseId));
    }
  });

  it('per merchant and local month, in one currency, against the budget', async () => {
    const march = await monthCosts(db, { merchantId: 'tea', period: '2026-03', currency: 'CNY', timeZone: 'Asia/Shanghai' });
    // A's 5,200 + B's gift 400 = 5,600; B's USD refund and its 1 April refund are not March's CNY; cup's refund is not tea's.
    expect(march).toEqual({ refundsMinor: 5000, replacementGoodsMinor: 2400, logisticsMinor: 800, repairsMinor: 0, compensationMinor: 400, recoveredMinor: 3000, netMinor: 5600, currency: 'CNY', otherCurrencies: ['USD'], budgetMinor: 5000, remainingMinor: -600, overBudget: true });
    const april = await monthCosts(db, { merchantId: 'tea', period: '2026-04', currency: 'CNY', timeZone: 'Asia/Shanghai' });
    expect(april).toMatchObject({ refundsMinor: 2000, netMinor: 2000, budgetMinor: null, overBudget: null });
    // In UTC the 1 April 00:30 Beijing refund falls in March.
    expect((await monthCosts(db, { merchantId: 'tea', period: '2026-03', currency: 'CNY', timeZone: 'UTC' })).refundsMinor).toBe(7000);
  });
});
