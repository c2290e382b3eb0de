import { describe, expect, it } from 'vitest';
import {
  computeRefund,
  decideReturnApproval,
  defaultPolicy,
  detectCountMismatch,
  parsePolicy,
  revisitOutcome,
  validateReturnRequest,
  type OrderSnapshot,
} from '../../domain/index.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-22T12:00:00Z');
const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
    { sku: 'LAMP', name: 'Lamp', quantity: 1, unitPriceMinor: 150_000, unitCostMinor: 90_000 },
  ],
  shippingFeeMinor: 1000,
  paidTotalMinor: 3 * 3333 + 150_000 + 1000,
  shippedAt: NOW - 5 * DAY,
  deliveredAt: NOW - 3 * DAY,
};
const policy = { ...defaultPolicy(4) };

describe('return request validation', () => {
  it('names the field and the reason of every problem', () => {
    const problems = validateReturnRequest(order, {
      lines: [
        { sku: 'MUG', quantity: 4, reason: 'NO_REASON' },
        { sku: 'NOPE', quantity: 1, reason: 'DEFECTIVE' },
        { sku: 'MUG', quantity: 1, reason: 'NO_REASON' },
        { sku: 'LAMP', quantity: 0, reason: 'BROKEN' as never },
      ],
    });
    expect(problems).toEqual([
      { field: 'lines[0].quantity', reason: 'more than the 3 ordered' },
      { field: 'lines[1].sku', reason: 'NOPE is not part of order o-1' },
      { field: 'lines[2].sku', reason: 'MUG appears twice' },
      { field: 'lines[3].quantity', reason: 'must be a whole number ≥ 1' },
      { field: 'lines[3].reason', reason: 'must be one of NO_REASON, DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED, OTHER' },
    ]);
    expect(validateReturnRequest(order, { lines: [] })).toEqual([{ field: 'lines', reason: 'must not be empty' }]);
  });
});

describe('approval by policy', () => {
  it('approves a no-reason return inside the 7-day window, with the values that decided', () => {
    const d = decideReturnApproval(policy, order, { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }] }, NOW);
    expect(d).toMatchObject({ outcome: 'APPROVE', rule: 'noReasonReturnDays', policyVersion: 4, values: { daysSinceDelivery: 3, noReasonReturnDays: 7, requestValueMinor: 6666 } });
  });
  it('outside the window: an agent decides, or a rejection when the merchant says so', () => {
    const late = NOW + 5 * DAY;
    const req = { lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' as const }] };
    expect(decideReturnApproval(policy, order, req, late).outcome).toBe('NEEDS_AGENT');
    const strict = { ...policy, rules: { ...policy.rules, outsideWindowAction: 'REJECT' as const } };
    expect(decideReturnApproval(strict, order, req, late)).toMatchObject({ outcome: 'REJECT', values: { reason: 'more than 7 days since delivery' } });
  });
  it('shop-fault reasons are not bound by the window; large amounts need an agent', () => {
    const late = NOW + 30 * DAY;
    expect(decideReturnApproval(policy, order, { lines: [{ sku: 'MUG', quantity: 1, reason: 'DEFECTIVE' }] }, late)).toMatchObject({ outcome: 'APPROVE', rule: 'shopFaultReturn' });
    expect(decideReturnApproval(policy, order, { lines: [{ sku: 'LAMP', quantity: 1, reason: 'DEFECTIVE' }] }, NOW)).toMatchObject({ outcome: 'NEEDS_AGENT', rule: 'autoApproveMaxAmountMinor' });
  });
  it('an undelivered order goes to an agent', () => {
    expect(decideReturnApproval(policy, { ...order, deliveredAt: undefined }, { lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] }, NOW).outcome).toBe('NEEDS_AGENT');
  });
});

describe('refund of what came back', () => {
  it('2 of 3 mugs at 33.33 with a 10.00 shipping fee, shop at fault: 76.66', () => {
    const r = computeRefund(order, { lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }], shopAtFault: true, alreadyRefundedMinor: 0 }, policy);
    expect(r.amountMinor).toBe(2 * 3333 + 1000);
    expect(r.breakdown).toEqual([
      { sku: 'MUG', quantity: 2, unitPriceMinor: 3333, amountMinor: 6666 },
      { sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1000, amountMinor: 1000 },
    ]);
    expect(r.decision).toMatchObject({ rule: 'refundReceivedGoods', outcome: 'REFUND', values: { goodsMinor: 6666, shippingMinor: 1000 } });
  });
  it('no shipping without shop fault; damaged-by-customer and missing lines are not refunded', () => {
    const r = computeRefund(
      order,
      {
        lines: [
          { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
          { sku: 'LAMP', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        ],
        shopAtFault: false,
        alreadyRefundedMinor: 0,
      },
      policy,
    );
    expect(r.amountMinor).toBe(3333);
    const none = computeRefund(order, { lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'MISSING' }], shopAtFault: true, alreadyRefundedMinor: 0 }, policy);
    expect(none).toMatchObject({ amountMinor: 0, breakdown: [], decision: { outcome: 'NOTHING_TO_REFUND' } });
  });
  it('never more than ordered, never more than paid minus what was already refunded', () => {
    const more = computeRefund(order, { lines: [{ sku: 'MUG', receivedQuantity: 9, condition: 'OK' }], shopAtFault: false, alreadyRefundedMinor: 0 }, policy);
    expect(more.amountMinor).toBe(3 * 3333);
    const capped = computeRefund(order, { lines: [{ sku: 'LAMP', receivedQuantity: 1, condition: 'OK' }], shopAtFault: true, alreadyRefundedMinor: 150_000 }, policy);
    expect(capped.amountMinor).toBe(order.paidTotalMinor - 150_000);
  });
});

describe('count mismatch and revisit', () => {
  it('finds short, over and unexpected lines', () => {
    const req = { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' as const }] };
    expect(detectCountMismatch(req, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }])).toEqual([]);
    expect(detectCountMismatch(req, [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }])).toEqual([{ sku: 'MUG', expected: 2, received: 1 }]);
    expect(detectCountMismatch(req, [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }, { sku: 'LAMP', receivedQuantity: 1, condition: 'OK' }])).toEqual([
      { sku: 'LAMP', expected: 0, received: 1 },
    ]);
  });
  it('revisit: ≤ 2 reopens, ≥ 3 closes, silence is unanswered, nonsense is refused', () => {
    expect([1, 2, 3, 5].map(revisitOutcome)).toEqual(['REOPEN', 'REOPEN', 'SATISFIED', 'SATISFIED']);
    expect(revisitOutcome(undefined)).toBe('UNANSWERED');
    expect(() => revisitOutcome(6)).toThrow(RangeError);
  });
});

describe('policy as data', () => {
  it('fills defaults and rejects bad values with the field path', () => {
    expect(parsePolicy({ version: 2, rules: { noReasonReturnDays: 15 } }).policy?.rules).toMatchObject({ noReasonReturnDays: 15, customerShipReturnDays: 7 });
    const { problems } = parsePolicy({ version: 0, rules: { inspectionHours: -1, bogus: 1, outsideWindowAction: 'MAYBE', returnArrivalChaseAfterDays: 20 }, businessHours: { timeZone: 'Nowhere/City' } });
    expect(problems.map((p) => p.field)).toEqual([
      'version',
      'rules.inspectionHours',
      'rules.bogus',
      'rules.outsideWindowAction',
      'rules.returnArrivalChaseAfterDays',
      'businessHours.timeZone',
    ]);
  });
});
