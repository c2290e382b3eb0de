import { describe, expect, it } from 'vitest';
import { orderDisagreements, type OrderSnapshot } from '../../domain/index.js';

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
