/** The order the return-and-refund tests and benchmarks return from: three mugs and a tea, shipped two days before delivery. */
import type { OrderSnapshot } from '../../domain/index.js';

const DAY = 86_400_000;

export function mugAndTeaOrder(orderId: string, now: number, deliveredDaysAgo: number): OrderSnapshot {
  return {
    orderId,
    currency: 'CNY',
    items: [
      { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
      { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 },
    ],
    shippingFeeMinor: 1000,
    paidTotalMinor: 3 * 3333 + 5000 + 1000,
    shippedAt: now - (deliveredDaysAgo + 2) * DAY,
    deliveredAt: now - deliveredDaysAgo * DAY,
  };
}

/** An order of one line, delivered yesterday: what the cases about one kind of goods are opened on. */
export function oneLineOrder(
  orderId: string,
  line: { sku: string; name: string; quantity?: number; unitPriceMinor: number; unitCostMinor: number },
  o: { shippingFeeMinor?: number; shippedDaysAgo?: number; now?: number } = {},
): OrderSnapshot {
  const now = o.now ?? Date.now();
  const quantity = line.quantity ?? 1;
  const shippingFeeMinor = o.shippingFeeMinor ?? 0;
  return {
    orderId,
    currency: 'CNY',
    items: [{ ...line, quantity }],
    shippingFeeMinor,
    paidTotalMinor: quantity * line.unitPriceMinor + shippingFeeMinor,
    shippedAt: now - (o.shippedDaysAgo ?? 3) * DAY,
    deliveredAt: now - DAY,
  };
}
