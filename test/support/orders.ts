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
