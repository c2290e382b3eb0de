import { describe, expect, it } from 'vitest';
import { goodsAlreadyClaimed, goodsOfCase, orderDisagreements, stillHoldsGoods, type OrderSnapshot } from '../../domain/index.js';

const order: OrderSnapshot = {
  orderId: 'SO-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG-01', name: '马克杯', quantity: 2, unitPriceMinor: 3_900, unitCostMinor: 1_200 },
    { sku: 'TEA-01', name: '茶叶', quantity: 1, unitPriceMinor: 12_800, unitCostMinor: 6_000 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 21_400,
};

describe('orderDisagreements: every case of an order carries the order its first case recorded', () => {
  it('the same order, its items in another order, its times filled in later, names and costs changed: no disagreement', () => {
    const later = { ...order, items: [{ ...order.items[1]!, name: 'Tea', unitCostMinor: 6_500 }, order.items[0]!], shippedAt: 1, deliveredAt: 2 };
    expect(orderDisagreements(order, later)).toEqual([]);
  });

  it('paid more, in another currency, with other shipping: each field named with both values', () => {
    expect(orderDisagreements(order, { ...order, paidTotalMinor: 113_600, currency: 'USD', shippingFeeMinor: 0 })).toEqual([
      { field: 'order.currency', reason: `is "USD"; the order's earlier case recorded "CNY"` },
      { field: 'order.paidTotalMinor', reason: `is 113600; the order's earlier case recorded 21400` },
      { field: 'order.shippingFeeMinor', reason: `is 0; the order's earlier case recorded 800` },
    ]);
  });

  it('other goods: a changed quantity or price, a line more or less', () => {
    const items = [{ ...order.items[0]!, quantity: 3 }, { sku: 'LAMP', name: '灯', quantity: 1, unitPriceMinor: 9_900, unitCostMinor: 0 }];
    expect(orderDisagreements(order, { ...order, items })).toEqual([
      { field: 'order.items', reason: "differ from the order's earlier case: MUG-01 3 × 3900 here, MUG-01 2 × 3900 there; no TEA-01 here, TEA-01 1 × 12800 there; LAMP 1 × 9900 here, no LAMP there" },
    ]);
  });
});

describe('goodsOfCase: the goods a case is about, from its recorded request', () => {
  it('lines, missing lines, the item ordered in place of a wrong one, the whole order, or none', () => {
    expect(goodsOfCase('RETURN_AND_REFUND', { lines: [{ sku: 'MUG-01', quantity: 2, reason: 'DEFECTIVE' }] }, order)).toEqual([{ sku: 'MUG-01', quantity: 2, reason: 'DEFECTIVE' }]);
    expect(goodsOfCase('MISSING_ITEMS', { missing: [{ sku: 'TEA-01', quantity: 1 }] }, order)).toEqual([{ sku: 'TEA-01', quantity: 1 }]);
    expect(goodsOfCase('WRONG_ITEM', { orderedSku: 'MUG-01', arrivedBarcode: '69' }, order)).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
    expect(goodsOfCase('REFUND_NOT_SHIPPED', { reason: 'NO_LONGER_WANTED' }, order)).toEqual([{ sku: 'MUG-01', quantity: 2 }, { sku: 'TEA-01', quantity: 1 }]);
    expect(goodsOfCase('DELAY', { shipment: {} }, order)).toEqual([]);
    expect(goodsOfCase('COMPLAINT', {}, order)).toEqual([]);
    // A return approved in part holds what the agent approved (domain/goods-lines.ts); no approval: the request.
    const asked = { lines: [{ sku: 'MUG-01', quantity: 2, reason: 'NO_REASON' }, { sku: 'TEA-01', quantity: 1, reason: 'NO_REASON' }] };
    expect(goodsOfCase('RETURN_AND_REFUND', asked, order, [{ sku: 'MUG-01', quantity: 1 }])).toEqual([{ sku: 'MUG-01', quantity: 1 }]);
    expect(goodsOfCase('RETURN_AND_REFUND', asked, order, undefined)).toEqual(asked.lines);
    expect(goodsOfCase('QUALITY_PROBLEM', { lines: [{ sku: 'MUG-01', quantity: 2 }] }, order, undefined)).toEqual([{ sku: 'MUG-01', quantity: 2 }]);
  });
});

describe('stillHoldsGoods: which earlier cases hold their goods against the order', () => {
  it('those not yet resolved; once resolved — waiting for its revisit, reopened or closed — none', () => {
    expect(stillHoldsGoods({ status: 'WAITING_CUSTOMER', resolved: false })).toBe(true);
    expect(stillHoldsGoods({ status: 'OPEN', resolved: false })).toBe(true);
    expect(stillHoldsGoods({ status: 'RESOLVED', resolved: true })).toBe(false);
    expect(stillHoldsGoods({ status: 'WAITING_CUSTOMER', resolved: true })).toBe(false); // its revisit
    expect(stillHoldsGoods({ status: 'OPEN', resolved: true })).toBe(false); // reopened by an unhappy revisit
    expect(stillHoldsGoods({ status: 'CLOSED', resolved: false })).toBe(false); // rejected, never sent
  });
  it('a return that refunded something holds its goods for good: they are back at the shop, not with the customer', () => {
    expect(stillHoldsGoods({ type: 'RETURN_AND_REFUND', status: 'RESOLVED', resolved: true, refundedAmountMinor: 6_666 })).toBe(true);
    expect(stillHoldsGoods({ type: 'RETURN_AND_REFUND', status: 'CLOSED', resolved: true, refundedAmountMinor: 6_666 })).toBe(true);
    // Closed without a refund (rejected, never sent, nothing refunded): the goods are still the customer's.
    expect(stillHoldsGoods({ type: 'RETURN_AND_REFUND', status: 'CLOSED', resolved: false, refundedAmountMinor: 0 })).toBe(false);
    // An exchange handed the customer goods again.
    expect(stillHoldsGoods({ type: 'EXCHANGE_RESHIPMENT', status: 'RESOLVED', resolved: true, refundedAmountMinor: 0 })).toBe(false);
  });
  it('so does every case whose refund paid for the goods themselves; not one whose refund may be a discount for keeping them', () => {
    // Missing, lost, the goods ordered in place of a wrong item, a refunded order: refunded once, not claimed again.
    for (const type of ['MISSING_ITEMS', 'LOST_PARCEL', 'WRONG_ITEM', 'REFUND_NOT_SHIPPED', 'REFUND_SHIPPED']) {
      expect(stillHoldsGoods({ type, status: 'RESOLVED', resolved: true, refundedAmountMinor: 1_500 }), type).toBe(true);
      // Re-shipped instead: the customer has the goods, free for another case.
      expect(stillHoldsGoods({ type, status: 'RESOLVED', resolved: true, refundedAmountMinor: 0 }), type).toBe(false);
    }
    // A discount for keeping goods with a fault: the customer has them.
    for (const type of ['QUALITY_PROBLEM', 'TRANSIT_DAMAGE']) {
      expect(stillHoldsGoods({ type, status: 'RESOLVED', resolved: true, refundedAmountMinor: 1_500 }), type).toBe(false);
    }
    // An exchange or re-shipment refunded instead (no unit in stock) holds them; one closed with only the paid difference back does not (the old goods were kept).
    expect(stillHoldsGoods({ type: 'EXCHANGE_RESHIPMENT', status: 'RESOLVED', resolved: true, refundedAmountMinor: 1_500 })).toBe(true);
    expect(stillHoldsGoods({ type: 'EXCHANGE_RESHIPMENT', status: 'CLOSED', resolved: false, refundedAmountMinor: 3_000 })).toBe(false);
  });
});

describe('goodsAlreadyClaimed: no more of a SKU than was ordered, counting the other cases', () => {
  it('the same two mugs asked again while a case holds them: refused, naming the case', () => {
    expect(goodsAlreadyClaimed(order, [{ sku: 'MUG-01', quantity: 2 }], [{ caseId: 'c1', goods: [{ sku: 'MUG-01', quantity: 2 }] }])).toEqual([
      { sku: 'MUG-01', reason: '2 × MUG-01 asked, but 2 of the 2 ordered are already in case c1 (2)', caseIds: ['c1'] },
    ]);
  });

  it('the mug the first case left, or another SKU: free', () => {
    expect(goodsAlreadyClaimed(order, [{ sku: 'MUG-01', quantity: 1 }], [{ caseId: 'c1', goods: [{ sku: 'MUG-01', quantity: 1 }] }])).toEqual([]);
    expect(goodsAlreadyClaimed(order, [{ sku: 'TEA-01', quantity: 1 }], [{ caseId: 'c1', goods: [{ sku: 'MUG-01', quantity: 2 }] }])).toEqual([]);
    expect(goodsAlreadyClaimed(order, [{ sku: 'MUG-01', quantity: 2 }], [])).toEqual([]);
  });

  it('held by two cases together', () => {
    const others = [{ caseId: 'c1', goods: [{ sku: 'MUG-01', quantity: 1 }] }, { caseId: 'c2', goods: [{ sku: 'MUG-01', quantity: 1 }, { sku: 'TEA-01', quantity: 1 }] }];
    expect(goodsAlreadyClaimed(order, [{ sku: 'MUG-01', quantity: 1 }], others)).toEqual([{ sku: 'MUG-01', reason: '1 × MUG-01 asked, but 2 of the 2 ordered are already in case c1 (1), case c2 (1)', caseIds: ['c1', 'c2'] }]);
  });
});
