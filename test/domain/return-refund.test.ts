import { describe, expect, it } from 'vitest';
import {
  computeRefund,
  refundLinesPaid,
  restockedQuantities,
  decideReturnApproval,
  defaultPolicy,
  detectCountMismatch,
  receivedOfAsked,
  inGoodOrderOfAsked,
  formatMoney,
  inspectionProblems,
  isShopAtFault,
  money,
  noReasonReturnDeadline,
  sameLines,
  validateOrderTimes,
  validateReturnRequest,
  type Inspection,
  type OrderSnapshot,
  type Policy,
  type ReturnRequest,
} from '../../domain/index.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);
// Delivered Monday 2 March 2026, 15:00 Beijing time.
const DELIVERED = at('2026-03-02T15:00:00+08:00');
const NOW = DELIVERED + 3 * DAY;
const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG', name: '马克杯', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
    { sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 150_000, unitCostMinor: 90_000 },
  ],
  shippingFeeMinor: 1000,
  paidTotalMinor: 3 * 3333 + 150_000 + 1000, // 1609.99
  shippedAt: DELIVERED - 2 * DAY,
  deliveredAt: DELIVERED,
};
const policy: Policy = defaultPolicy(4);
const withRules = (rules: Partial<Policy['rules']>): Policy => ({ ...policy, rules: { ...policy.rules, ...rules } });
const req = (...lines: ReturnRequest['lines']): ReturnRequest => ({ lines });
const inspection = (lines: Inspection['lines'], more: Partial<Inspection> = {}): Inspection => ({ lines, shopAtFault: false, alreadyRefundedMinor: 0, ...more });
const sumOf = (lines: Array<{ amountMinor: number }>) => lines.reduce((s, l) => s + l.amountMinor, 0);

describe('validateReturnRequest', () => {
  it('names the field and the reason of every problem', () => {
    const problems = validateReturnRequest(order, {
      lines: [
        { sku: 'MUG', quantity: 4, reason: 'NO_REASON' },
        { sku: 'NOPE', quantity: 1, reason: 'DEFECTIVE' },
        { sku: 'MUG', quantity: 1, reason: 'NO_REASON' },
        { sku: 'LAMP', quantity: 0, reason: 'BROKEN' as never },
        { sku: 'LAMP', quantity: 1.5, reason: 'OTHER' },
      ],
      evidenceUrls: ['https://img.example.com/a.jpg', 'file:///etc/passwd', 'http:// spaced'],
    });
    expect(problems).toEqual([
      { field: 'lines[0].quantity', reason: 'more than the 3 ordered' },
      { field: 'lines[1].sku', reason: 'NOPE is not part of order o-1' },
      { field: 'lines[2].sku', reason: 'MUG appears twice' },
      { field: 'lines[3].quantity', reason: 'must be a whole number ≥ 1' },
      { field: 'lines[3].reason', reason: 'must be one of NO_REASON, DEFECTIVE, WRONG_ITEM, DAMAGED, NOT_AS_DESCRIBED, OTHER' },
      { field: 'lines[4].sku', reason: 'LAMP appears twice' },
      { field: 'lines[4].quantity', reason: 'must be a whole number ≥ 1' },
      { field: 'evidenceUrls[1]', reason: 'must be an http(s) URL' },
      { field: 'evidenceUrls[2]', reason: 'must be an http(s) URL' },
    ]);
  });
  it('an empty request, and a bad order snapshot', () => {
    expect(validateReturnRequest(order, { lines: [] })).toEqual([{ field: 'lines', reason: 'must not be empty' }]);
    const bad = { ...order, currency: 'RMB', shippingFeeMinor: -5, paidTotalMinor: 10.5, deliveredAt: order.shippedAt! - 1 };
    expect(validateReturnRequest(bad, req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' })).map((p) => p.field)).toEqual([
      'order.currency',
      'order.shippingFeeMinor',
      'order.paidTotalMinor',
      'order.deliveredAt',
    ]);
    expect(validateReturnRequest(order, req({ sku: 'MUG', quantity: 3, reason: 'NO_REASON' }))).toEqual([]);
  });
});

describe('validateOrderTimes', () => {
  it('refuses a shipment or delivery later than now (beyond a storefront clock running 10 minutes fast)', () => {
    expect(validateOrderTimes(order, NOW)).toEqual([]);
    expect(validateOrderTimes({ deliveredAt: NOW + 10 * 60_000 }, NOW)).toEqual([]);
    expect(validateOrderTimes({ shippedAt: NOW + DAY, deliveredAt: NOW + 2 * DAY }, NOW)).toEqual([
      { field: 'order.shippedAt', reason: `is in the future (${new Date(NOW + DAY).toISOString()})` },
      { field: 'order.deliveredAt', reason: `is in the future (${new Date(NOW + 2 * DAY).toISOString()})` },
    ]);
    expect(validateOrderTimes({}, NOW)).toEqual([]);
  });

  it('refuses a time in seconds (it reads as January 1970), saying to send milliseconds', () => {
    const seconds = Math.floor((NOW - 3 * DAY) / 1000);
    expect(validateOrderTimes({ shippedAt: seconds, deliveredAt: NOW - DAY }, NOW)).toEqual([
      { field: 'order.shippedAt', reason: `reads as ${new Date(seconds).toISOString()}: send epoch milliseconds (${seconds} looks like seconds)` },
    ]);
    expect(validateOrderTimes({ shippedAt: Date.UTC(2000, 0, 1) }, NOW)).toEqual([]);
  });
});

describe('the no-reason window (七天无理由) is counted in days from the day after delivery', () => {
  it('delivered 2 March 15:00 → the window closes at 10 March 00:00, Beijing time', () => {
    expect(new Date(noReasonReturnDeadline(policy, DELIVERED)).toISOString()).toBe('2026-03-09T16:00:00.000Z');
    // Delivered late in the evening local time (still 2 March locally, 15:30 UTC): the same deadline.
    expect(noReasonReturnDeadline(policy, at('2026-03-02T23:30:00+08:00'))).toBe(at('2026-03-10T00:00:00+08:00'));
    // Delivered just after midnight locally (still 1 March in UTC): counted from 3 March.
    expect(noReasonReturnDeadline(policy, at('2026-03-02T00:10:00+08:00'))).toBe(at('2026-03-10T00:00:00+08:00'));
    expect(noReasonReturnDeadline(withRules({ noReasonReturnDays: 15 }), DELIVERED)).toBe(at('2026-03-18T00:00:00+08:00'));
  });
  it('the last millisecond is inside, the deadline itself outside', () => {
    const r = req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' });
    expect(decideReturnApproval(policy, order, r, at('2026-03-09T23:59:59.999+08:00')).outcome).toBe('APPROVE');
    expect(decideReturnApproval(policy, order, r, at('2026-03-10T00:00:00.000+08:00')).outcome).toBe('NEEDS_AGENT');
  });
  it('the first version counted 7 × 24 h from the delivery instant; workflows replaying it can ask for that', () => {
    const r = req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' });
    const elapsed = { noReasonWindow: 'ELAPSED_DAYS' as const };
    expect(decideReturnApproval(policy, order, r, DELIVERED + 7 * DAY, elapsed).outcome).toBe('APPROVE');
    expect(decideReturnApproval(policy, order, r, DELIVERED + 7 * DAY + 1, elapsed)).toMatchObject({ outcome: 'NEEDS_AGENT', values: { noReasonWindow: 'ELAPSED_DAYS' } });
    // The same instant is still inside the calendar-day window (it ends at local midnight).
    expect(decideReturnApproval(policy, order, r, DELIVERED + 7 * DAY + 1).outcome).toBe('APPROVE');
  });
});

describe('decideReturnApproval', () => {
  it('approves a no-reason return inside the window, with the values that decided', () => {
    const d = decideReturnApproval(policy, order, req({ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }), NOW);
    expect(d).toEqual({
      rule: 'noReasonReturnDays',
      policyVersion: 4,
      outcome: 'APPROVE',
      values: {
        deliveredAt: DELIVERED,
        daysSinceDelivery: 3,
        noReasonReturnDays: 7,
        noReasonReturnDeadline: at('2026-03-10T00:00:00+08:00'),
        noReasonWindow: 'CALENDAR_DAYS',
        requestValueMinor: 6666,
        currency: 'CNY',
      },
    });
  });
  it('outside the window: an agent decides, or a rejection naming the rule when the merchant says so', () => {
    const late = at('2026-03-12T10:00:00+08:00');
    const r = req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' });
    expect(decideReturnApproval(policy, order, r, late)).toMatchObject({ outcome: 'NEEDS_AGENT', rule: 'noReasonReturnDays' });
    const strict = withRules({ outsideWindowAction: 'REJECT' });
    expect(decideReturnApproval(strict, order, r, late)).toMatchObject({ outcome: 'REJECT', rule: 'noReasonReturnDays', values: { reason: 'more than 7 days since delivery' } });
    // OTHER is the customer's own reason: bound by the window like NO_REASON.
    expect(decideReturnApproval(strict, order, req({ sku: 'MUG', quantity: 1, reason: 'OTHER' }), late).outcome).toBe('REJECT');
    expect(decideReturnApproval(strict, order, req({ sku: 'MUG', quantity: 1, reason: 'OTHER' }), NOW).outcome).toBe('APPROVE');
  });
  it('shop-fault reasons are not bound by the window', () => {
    const months = DELIVERED + 90 * DAY;
    for (const reason of ['DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED'] as const) {
      expect(decideReturnApproval(withRules({ outsideWindowAction: 'REJECT' }), order, req({ sku: 'MUG', quantity: 1, reason }), months)).toMatchObject({
        outcome: 'APPROVE',
        rule: 'shopFaultReturn',
      });
    }
  });
  it('a late request mixing shop fault and no reason is never rejected wholesale: an agent splits it', () => {
    const mixed = req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }, { sku: 'LAMP', quantity: 1, reason: 'DEFECTIVE' });
    const d = decideReturnApproval(withRules({ outsideWindowAction: 'REJECT' }), order, mixed, DELIVERED + 30 * DAY);
    expect(d).toMatchObject({ outcome: 'NEEDS_AGENT', rule: 'noReasonReturnDays', values: { customerReasonSkus: ['MUG'], shopFaultSkus: ['LAMP'] } });
  });
  it('above the auto-approve amount an agent decides; at it, or without a limit, policy approves', () => {
    const limited = withRules({ autoApproveReturnMaxAmountMinor: 6666 });
    expect(decideReturnApproval(limited, order, req({ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }), NOW).outcome).toBe('APPROVE');
    expect(decideReturnApproval(limited, order, req({ sku: 'MUG', quantity: 3, reason: 'DEFECTIVE' }), NOW)).toMatchObject({
      outcome: 'NEEDS_AGENT',
      rule: 'autoApproveReturnMaxAmountMinor',
      values: { autoApproveReturnMaxAmountMinor: 6666, requestValueMinor: 9999 },
    });
    expect(decideReturnApproval(policy, order, req({ sku: 'LAMP', quantity: 1, reason: 'NO_REASON' }), NOW).outcome).toBe('APPROVE');
  });
  it('workflow input from before the rename still carries its limit (replay stays deterministic)', () => {
    const old = { ...policy, rules: { ...policy.rules, autoApproveMaxAmountMinor: 100_000 } } as Policy;
    expect(decideReturnApproval(old, order, req({ sku: 'LAMP', quantity: 1, reason: 'DEFECTIVE' }), NOW)).toMatchObject({
      outcome: 'NEEDS_AGENT',
      values: { autoApproveReturnMaxAmountMinor: 100_000 },
    });
    const unlimited = { ...policy, rules: { ...policy.rules, autoApproveMaxAmountMinor: 0 } } as Policy;
    expect(decideReturnApproval(unlimited, order, req({ sku: 'LAMP', quantity: 1, reason: 'DEFECTIVE' }), NOW).outcome).toBe('APPROVE');
  });
  it('an undelivered order goes to an agent; an invalid request is rejected with its problems', () => {
    expect(decideReturnApproval(policy, { ...order, deliveredAt: undefined }, req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }), NOW)).toMatchObject({
      outcome: 'NEEDS_AGENT',
      rule: 'deliveredBeforeReturn',
    });
    expect(decideReturnApproval(policy, order, req({ sku: 'MUG', quantity: 9, reason: 'NO_REASON' }), NOW)).toMatchObject({
      outcome: 'REJECT',
      rule: 'validReturnRequest',
      values: { problems: [{ field: 'lines[0].quantity', reason: 'more than the 3 ordered' }] },
    });
  });
  it('a delivery time after "now" (clock skew between systems) counts as just delivered', () => {
    expect(decideReturnApproval(policy, order, req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }), DELIVERED - DAY)).toMatchObject({ outcome: 'APPROVE', values: { daysSinceDelivery: 0 } });
  });
});

describe('computeRefund: what came back in good order, never more than paid', () => {
  it('worked example: 2 of 3 mugs at 33.33 with a 10.00 shipping fee, shop at fault → 76.66', () => {
    const r = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }], { shopAtFault: true }), policy);
    expect(r.amountMinor).toBe(7666);
    expect(formatMoney(money(r.amountMinor, r.currency), 'zh-CN')).toBe('¥76.66');
    expect(r.breakdown).toEqual([
      { kind: 'GOODS', sku: 'MUG', quantity: 2, unitPriceMinor: 3333, amountMinor: 6666 },
      { kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1000, amountMinor: 1000 },
    ]);
    expect(r.excluded).toEqual([]);
    expect(r.decision).toMatchObject({ rule: 'refundReceivedGoods', outcome: 'REFUND', policyVersion: 4, values: { goodsMinor: 6666, shippingMinor: 1000, cappedMinor: 0, currency: 'CNY' } });
  });
  it("booked as paid: a provider that paid less (the order's other case paid at the same moment) puts the cut on the CAP line", () => {
    const r = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }], { shopAtFault: true }), policy);
    const sum = (lines: Array<{ amountMinor: number }>) => lines.reduce((s, l) => s + l.amountMinor, 0);
    expect(refundLinesPaid(r, 7666)).toEqual(r.breakdown);
    const paid = refundLinesPaid(r, 6000);
    expect(sum(paid)).toBe(6000);
    expect(paid.at(-1)).toEqual({ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -1666, amountMinor: -1666 });
    // Cut already by the order's earlier refunds, then again: one CAP line with both.
    const capped = { amountMinor: 5000, breakdown: [...r.breakdown, { kind: 'CAP' as const, sku: 'CAP', quantity: 1, unitPriceMinor: -2666, amountMinor: -2666 }] };
    expect(refundLinesPaid(capped, 4000).filter((l) => l.kind === 'CAP')).toEqual([{ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -3666, amountMinor: -3666 }]);
    expect(sum(refundLinesPaid(capped, 4000))).toBe(4000);
  });
  it('the same return without shop fault: 66.66, no shipping', () => {
    const r = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }]), policy);
    expect(r.amountMinor).toBe(6666);
    expect(r.breakdown.map((b) => b.kind)).toEqual(['GOODS']);
  });
  it('shop at fault but the merchant does not refund shipping, or it was refunded before', () => {
    const lines = [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' as const }];
    expect(computeRefund(order, inspection(lines, { shopAtFault: true }), withRules({ shopFaultRefundsShipping: false })).amountMinor).toBe(3333);
    expect(computeRefund(order, inspection(lines, { shopAtFault: true, shippingAlreadyRefunded: true }), policy).amountMinor).toBe(3333);
  });
  it('damaged-by-customer and missing units are not refunded, and say why', () => {
    const r = computeRefund(
      order,
      inspection([
        { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
        { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        { sku: 'LAMP', receivedQuantity: 1, condition: 'MISSING' },
      ]),
      policy,
    );
    expect(r.amountMinor).toBe(3333);
    expect(r.excluded).toEqual([
      { sku: 'MUG', quantity: 1, reason: 'DAMAGED_BY_CUSTOMER' },
      { sku: 'LAMP', quantity: 1, reason: 'MISSING' },
    ]);
  });
  it('nothing good came back: nothing refunded, not even shipping when the shop was at fault', () => {
    const r = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 2, condition: 'DAMAGED_BY_CUSTOMER' }], { shopAtFault: true }), policy);
    expect(r).toMatchObject({ amountMinor: 0, breakdown: [], decision: { outcome: 'NOTHING_TO_REFUND' } });
  });
  it('never more units than ordered (also over several inspected lines), never SKUs that were not ordered', () => {
    const r = computeRefund(
      order,
      inspection([
        { sku: 'MUG', receivedQuantity: 2, condition: 'OK' },
        { sku: 'MUG', receivedQuantity: 2, condition: 'OK' },
        { sku: 'VASE', receivedQuantity: 1, condition: 'OK' },
      ]),
      policy,
    );
    expect(r.amountMinor).toBe(9999);
    expect(r.excluded).toEqual([
      { sku: 'VASE', quantity: 1, reason: 'NOT_IN_ORDER' },
      { sku: 'MUG', quantity: 1, reason: 'MORE_THAN_ORDERED' },
    ]);
  });
  it('never more units than the return was approved for: the surplus that came back in good order is left out as MORE_THAN_APPROVED', () => {
    // One mug asked back; three came back (a count mismatch an agent settled by "refund what came back").
    const lines = [{ sku: 'MUG', receivedQuantity: 3, condition: 'OK' as const }];
    const r = computeRefund(order, { ...inspection(lines), approved: [{ sku: 'MUG', quantity: 1 }] }, policy);
    expect(r.amountMinor).toBe(3333);
    expect(r.excluded).toEqual([{ sku: 'MUG', quantity: 2, reason: 'MORE_THAN_APPROVED' }]);
    expect(r.breakdown).toEqual([{ kind: 'GOODS', sku: 'MUG', quantity: 1, unitPriceMinor: 3333, amountMinor: 3333 }]);
    // A line not approved at all refunds nothing, and neither does its shipping.
    const lamp = computeRefund(order, { ...inspection([{ sku: 'LAMP', receivedQuantity: 1, condition: 'OK' }], { shopAtFault: true }), approved: [{ sku: 'MUG', quantity: 1 }] }, policy);
    expect(lamp).toMatchObject({ amountMinor: 0, breakdown: [], excluded: [{ sku: 'LAMP', quantity: 1, reason: 'MORE_THAN_APPROVED' }] });
    // Fewer back than approved: what came back, as before.
    expect(computeRefund(order, { ...inspection([{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }]), approved: [{ sku: 'MUG', quantity: 2 }] }, policy).amountMinor).toBe(3333);
  });
  it('restocks the sellable units, and no more of a SKU than was approved: the surplus is the customer\'s', () => {
    const lines = [
      { sku: 'MUG', receivedQuantity: 2, condition: 'OK' as const },
      { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' as const },
      { sku: 'MUG', receivedQuantity: 2, condition: 'OK' as const },
      { sku: 'LAMP', receivedQuantity: 1, condition: 'OK' as const },
    ];
    expect(restockedQuantities(lines)).toEqual([2, 0, 2, 1]);
    expect(restockedQuantities(lines, [{ sku: 'MUG', quantity: 3 }])).toEqual([2, 0, 1, 0]);
  });
  it('several partial refunds never add up to more than was paid', () => {
    // First return: 2 mugs, shop at fault → 76.66.
    const first = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }], { shopAtFault: true }), policy);
    // Second return: the last mug and the lamp; shipping was refunded already.
    const second = computeRefund(
      order,
      inspection(
        [
          { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
          { sku: 'LAMP', receivedQuantity: 1, condition: 'OK' },
        ],
        { shopAtFault: true, alreadyRefundedMinor: first.amountMinor, shippingAlreadyRefunded: true },
      ),
      policy,
    );
    expect(second.amountMinor).toBe(3333 + 150_000);
    expect(first.amountMinor + second.amountMinor).toBe(order.paidTotalMinor);
    // A third attempt finds nothing left to refund.
    const third = computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }], { alreadyRefundedMinor: order.paidTotalMinor }), policy);
    expect(third).toMatchObject({ amountMinor: 0, decision: { outcome: 'NOTHING_TO_REFUND', values: { refundableMinor: 0, cappedMinor: 3333 } } });
    expect(sumOf(third.breakdown)).toBe(0);
  });
  it('an order-level discount paid less than the lines: the cut shows as a CAP line and the breakdown still adds up', () => {
    const discounted = { ...order, paidTotalMinor: 9000 }; // 3 mugs for 90.00 with a coupon, free shipping
    const r = computeRefund(discounted, inspection([{ sku: 'MUG', receivedQuantity: 3, condition: 'OK' }], { alreadyRefundedMinor: 1000 }), policy);
    expect(r.amountMinor).toBe(8000);
    expect(r.breakdown.at(-1)).toEqual({ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -1999, amountMinor: -1999 });
    expect(sumOf(r.breakdown)).toBe(r.amountMinor);
    expect(r.decision.values).toMatchObject({ refundableMinor: 8000, cappedMinor: 1999 });
  });
  it('currencies without minor units (JPY)', () => {
    const yen: OrderSnapshot = { orderId: 'o-jp', currency: 'JPY', items: [{ sku: 'CUP', name: 'Cup', quantity: 2, unitPriceMinor: 1200, unitCostMinor: 500 }], shippingFeeMinor: 500, paidTotalMinor: 2900 };
    const r = computeRefund(yen, inspection([{ sku: 'CUP', receivedQuantity: 1, condition: 'OK' }], { shopAtFault: true }), policy);
    expect(r).toMatchObject({ amountMinor: 1700, currency: 'JPY' });
    expect(formatMoney(money(r.amountMinor, r.currency), 'en')).toBe('¥1,700');
  });
  it('refuses nonsense quantities and amounts instead of refunding them', () => {
    expect(() => computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: -1, condition: 'OK' }]), policy)).toThrow(RangeError);
    expect(() => computeRefund(order, inspection([{ sku: 'MUG', receivedQuantity: 1.5, condition: 'OK' }]), policy)).toThrow(RangeError);
    expect(() => computeRefund(order, inspection([], { alreadyRefundedMinor: -1 }), policy)).toThrow(RangeError);
    expect(() => computeRefund(order, inspection([], { alreadyRefundedMinor: 0.5 }), policy)).toThrow();
  });
  it('who is at fault follows the reasons: OTHER and NO_REASON are the customer\'s', () => {
    expect(isShopAtFault(req({ sku: 'MUG', quantity: 1, reason: 'OTHER' }))).toBe(false);
    expect(isShopAtFault(req({ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }, { sku: 'LAMP', quantity: 1, reason: 'WRONG_ITEM' }))).toBe(true);
  });
});

describe('inspectionProblems: what an inspection report cannot say of goods from this order', () => {
  it('names every problem at once: a SKU not in the order, a count that is not whole, more than the order held', () => {
    expect(
      inspectionProblems(order, [
        { sku: 'MUG', receivedQuantity: 2, condition: 'OK' },
        { sku: 'NOPE', receivedQuantity: 1, condition: 'OK' },
        { sku: 'LAMP', receivedQuantity: 1.5, condition: 'OK' },
        { sku: 'MUG', receivedQuantity: 2, condition: 'DAMAGED_BY_CUSTOMER' },
      ]),
    ).toEqual([
      { field: 'lines[1].sku', reason: 'unknown SKU NOPE' },
      { field: 'lines[2].receivedQuantity', reason: 'receivedQuantity for LAMP must be a whole number ≥ 0' },
      // 2 + 2 mugs of an order of 3: named at the line that went over.
      { field: 'lines[3].receivedQuantity', reason: '4 of MUG received, but the order had 3: count again' },
    ]);
  });

  it('takes every count within the order, more than the request included (a mismatch for an agent), and MISSING lines', () => {
    expect(inspectionProblems(order, [{ sku: 'MUG', receivedQuantity: 3, condition: 'OK' }, { sku: 'LAMP', receivedQuantity: 0, condition: 'MISSING' }])).toEqual([]);
    expect(inspectionProblems(order, [{ sku: 'LAMP', receivedQuantity: 5, condition: 'MISSING' }])).toEqual([]);
    expect(inspectionProblems(order, [{ sku: 'LAMP', receivedQuantity: 2, condition: 'OK' }])).toEqual([{ field: 'lines[0].receivedQuantity', reason: '2 of LAMP received, but the order had 1: count again' }]);
  });
});

describe('detectCountMismatch: what arrived against what was announced', () => {
  const announced = req({ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'LAMP', quantity: 1, reason: 'DEFECTIVE' });
  it('no mismatch when the counts agree, whatever the condition (damaged items did arrive)', () => {
    expect(
      detectCountMismatch(announced, [
        { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
        { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        { sku: 'LAMP', receivedQuantity: 1, condition: 'OK' },
      ]),
    ).toEqual([]);
  });
  it('short, missing, over and unexpected lines', () => {
    expect(
      detectCountMismatch(announced, [
        { sku: 'MUG', receivedQuantity: 3, condition: 'OK' },
        { sku: 'LAMP', receivedQuantity: 1, condition: 'MISSING' },
        { sku: 'VASE', receivedQuantity: 1, condition: 'OK' },
        { sku: 'CUP', receivedQuantity: 0, condition: 'OK' },
      ]),
    ).toEqual([
      { sku: 'MUG', expected: 2, received: 3, kind: 'OVER' },
      { sku: 'LAMP', expected: 1, received: 0, kind: 'SHORT' },
      { sku: 'VASE', expected: 0, received: 1, kind: 'UNEXPECTED' },
    ]);
    expect(detectCountMismatch(announced, [])).toEqual([
      { sku: 'MUG', expected: 2, received: 0, kind: 'SHORT' },
      { sku: 'LAMP', expected: 1, received: 0, kind: 'SHORT' },
    ]);
  });
});

describe('sameLines: an approval of the same goods as the request, in any order', () => {
  const requested = [
    { sku: 'MUG', quantity: 2 },
    { sku: 'LAMP', quantity: 1 },
  ];
  it('the same lines in the same or another order are the same', () => {
    expect(sameLines(requested, requested)).toBe(true);
    expect(sameLines([{ sku: 'LAMP', quantity: 1 }, { sku: 'MUG', quantity: 2 }], requested)).toBe(true);
    expect(sameLines(requested, [...requested].reverse())).toBe(true);
    expect(sameLines([], [])).toBe(true);
  });
  it('a SKU listed twice counts its quantities together', () => {
    expect(sameLines([{ sku: 'MUG', quantity: 1 }, { sku: 'LAMP', quantity: 1 }, { sku: 'MUG', quantity: 1 }], requested)).toBe(true);
    expect(sameLines([{ sku: 'MUG', quantity: 2 }, { sku: 'MUG', quantity: 2 }, { sku: 'LAMP', quantity: 1 }], requested)).toBe(false);
  });
  it('fewer units, a line left out, another SKU or an extra line are different goods', () => {
    expect(sameLines([{ sku: 'LAMP', quantity: 1 }, { sku: 'MUG', quantity: 1 }], requested)).toBe(false);
    expect(sameLines([{ sku: 'MUG', quantity: 2 }], requested)).toBe(false);
    expect(sameLines([{ sku: 'MUG', quantity: 2 }, { sku: 'VASE', quantity: 1 }], requested)).toBe(false);
    expect(sameLines([...requested, { sku: 'VASE', quantity: 1 }], requested)).toBe(false);
    expect(sameLines(requested, [...requested, { sku: 'VASE', quantity: 1 }])).toBe(false);
    expect(sameLines([], requested)).toBe(false);
  });
  it('a SKU totalling no units is as good as absent', () => {
    expect(sameLines([...requested, { sku: 'VASE', quantity: 0 }], requested)).toBe(true);
  });
});

describe('inGoodOrderOfAsked: what a refund of the goods back in good order pays for (an exchange or a repair whose goods came back wrong)', () => {
  it('only OK units count — not those the customer damaged, nor MISSING lines — and never more than was asked', () => {
    const asked = [{ sku: 'CUP', quantity: 2 }, { sku: 'LAMP', quantity: 1 }];
    expect(
      inGoodOrderOfAsked(asked, [
        { sku: 'CUP', receivedQuantity: 1, condition: 'OK' },
        { sku: 'CUP', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        { sku: 'LAMP', receivedQuantity: 0, condition: 'MISSING' },
      ]),
    ).toEqual([{ sku: 'CUP', quantity: 1 }]);
    expect(inGoodOrderOfAsked(asked, [{ sku: 'CUP', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }])).toEqual([]);
    expect(inGoodOrderOfAsked(asked, [{ sku: 'CUP', receivedQuantity: 3, condition: 'OK' }, { sku: 'LAMP', receivedQuantity: 1, condition: 'OK' }])).toEqual(asked);
  });
});

describe('receivedOfAsked: what of the goods asked back a refund of "what came back" pays for', () => {
  const asked = [
    { sku: 'MUG', quantity: 2 },
    { sku: 'LAMP', quantity: 1 },
  ];
  it('damaged units count, MISSING lines do not; a line of nothing is left out', () => {
    expect(
      receivedOfAsked(asked, [
        { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
        { sku: 'LAMP', receivedQuantity: 1, condition: 'MISSING' },
      ]),
    ).toEqual([{ sku: 'MUG', quantity: 1 }]);
  });
  it('never more than was asked, nor a SKU that was not; two lines of one SKU share what came back', () => {
    expect(receivedOfAsked(asked, [{ sku: 'MUG', receivedQuantity: 5, condition: 'OK' }, { sku: 'VASE', receivedQuantity: 1, condition: 'OK' }])).toEqual([{ sku: 'MUG', quantity: 2 }]);
    expect(receivedOfAsked([{ sku: 'MUG', quantity: 1 }, { sku: 'MUG', quantity: 2 }], [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }])).toEqual([{ sku: 'MUG', quantity: 1 }, { sku: 'MUG', quantity: 1 }]);
    expect(receivedOfAsked(asked, [])).toEqual([]);
  });
});
