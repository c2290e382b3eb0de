/**
 * One order, one set of facts. The storefront sends the order with every case it opens, and the
 * refund caps are worked out from it: what was paid, in which currency, for which goods. A later
 * case of the same order saying it was paid more, in another currency, or for other goods would
 * lift those caps (a 214.00 order refunded 1,000.00; refunds in USD not counted against the CNY
 * ones). So every case of an order must carry the order the first one did; only its shipping and
 * delivery times may be filled in later (a refund before shipping, then a return after delivery).
 * Pure (used by the API before a case opens).
 */
import type { OrderSnapshot, Problem } from './return-refund.js';

/** What `now` says differently from the order as an earlier case recorded it; empty when they agree. */
export function orderDisagreements(earlier: OrderSnapshot, now: OrderSnapshot): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['currency', 'paidTotalMinor', 'shippingFeeMinor'] as const) {
    if (earlier[field] !== now[field]) problems.push({ field: `order.${field}`, reason: `is ${JSON.stringify(now[field])}; the order's earlier case recorded ${JSON.stringify(earlier[field])}` });
  }
  const items = (o: OrderSnapshot) => new Map((o.items ?? []).map((i) => [i.sku, `${i.quantity} × ${i.unitPriceMinor}`]));
  const before = items(earlier);
  const after = items(now);
  const differ = [...new Set([...before.keys(), ...after.keys()])].filter((sku) => before.get(sku) !== after.get(sku));
  if (differ.length) {
    const say = (m: Map<string, string>, sku: string) => (m.has(sku) ? `${sku} ${m.get(sku)}` : `no ${sku}`);
    problems.push({ field: 'order.items', reason: `differ from the order's earlier case: ${differ.map((sku) => `${say(after, sku)} here, ${say(before, sku)} there`).join('; ')}` });
  }
  return problems;
}
