/**
 * One order, one set of facts. The storefront sends the order with every case it opens, and the
 * refund caps are worked out from it: what was paid, in which currency, for which goods. A later
 * case of the same order saying it was paid more, in another currency, or for other goods would
 * lift those caps (a 214.00 order refunded 1,000.00; refunds in USD not counted against the CNY
 * ones). So every case of an order must carry the order the first one did; only its shipping and
 * delivery times may be filled in later (a refund before shipping, then a return after delivery).
 * Pure (used by the API before a case opens).
 */
import type { CaseType } from './case-types.js';
import { approvedOrAsked, goodsLines, type GoodsLine } from './goods-lines.js';
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

type Goods = GoodsLine[];

/** Where a case's goods sit in its opening body (for naming the field of a refusal). */
export const GOODS_FIELD: Partial<Record<CaseType, string>> = {
  RETURN_AND_REFUND: 'lines',
  QUALITY_PROBLEM: 'lines',
  TRANSIT_DAMAGE: 'lines',
  EXCHANGE_RESHIPMENT: 'lines',
  LOST_PARCEL: 'lines',
  MISSING_ITEMS: 'missing',
  WRONG_ITEM: 'orderedSku',
  REFUND_NOT_SHIPPED: 'order',
  REFUND_SHIPPED: 'order',
};

/**
 * The goods a case is about, from its recorded request: the lines returned, damaged, exchanged or
 * lost, the missing ones, the item ordered in place of a wrong one, the whole order for a refund of
 * the order; none for a delay, a tracking inquiry or a complaint. A return an agent approved in
 * part (`approved`: the lines of their decision) holds what they approved (`approvedOrAsked`): the
 * lines they refused stay with the customer, free for another case.
 */
export function goodsOfCase(type: CaseType, request: unknown, order: OrderSnapshot, approved?: unknown): Goods {
  const field = GOODS_FIELD[type];
  const r = (request ?? {}) as Record<string, unknown>;
  if (!field) return [];
  if (field === 'order') return (order.items ?? []).map((i) => ({ sku: i.sku, quantity: i.quantity }));
  if (field === 'orderedSku') return typeof r.orderedSku === 'string' ? [{ sku: r.orderedSku, quantity: 1 }] : [];
  return approvedOrAsked(approved, goodsLines(r[field]));
}

/**
 * The case types whose refund pays for the goods themselves, which the customer then no longer has
 * or never had: a return's (the goods came back, or were lost on their way), a missing item's or a
 * lost parcel's (never arrived), a wrong item's (the goods ordered never came), a refund of an order
 * (cancelled, or stopped on its way). And an exchange's or re-shipment's that was resolved with a
 * refund (no unit in stock: refunded instead, for goods that came back or never came); not one
 * closed with only a paid price difference back, whose customer kept the old goods. Not a quality
 * problem's or a transit damage's, whose refund may be a discount for keeping the goods: those leave
 * the goods with the customer.
 */
const REFUND_PAYS_FOR_GOODS: ReadonlySet<string> = new Set(['RETURN_AND_REFUND', 'MISSING_ITEMS', 'LOST_PARCEL', 'WRONG_ITEM', 'REFUND_NOT_SHIPPED', 'REFUND_SHIPPED']);
const refundedGoods = (c: { resolved: boolean; type?: string; refundedAmountMinor?: number }) =>
  (c.refundedAmountMinor ?? 0) > 0 && (REFUND_PAYS_FOR_GOODS.has(c.type ?? '') || (c.type === 'EXCHANGE_RESHIPMENT' && c.resolved));

/**
 * Whether an earlier case holds its goods against the order: while it has not been resolved — it
 * may yet take them back or pay for them. Once resolved (even while its revisit runs or after a
 * reopening), its goods are free again: an exchange or a re-shipment handed the customer goods
 * again, a partial approval or a discount left some with them, a rejection all of them; what was
 * refunded is then bounded by the order's money (refunds never exceed what was paid), not here.
 * Except a case that refunded the goods themselves (refundedGoods): the customer no longer
 * has them or never had them, so a second case about them would be paid twice while the order's
 * money lasted — a return's goods returned again would put units into stock the order never had
 * twice (found by a finance trial); a missing item claimed again was refunded again (found by a
 * review of the money paths).
 */
export const stillHoldsGoods = (c: { status: string; resolved: boolean; type?: string; refundedAmountMinor?: number }): boolean =>
  (!c.resolved && c.status !== 'RESOLVED' && c.status !== 'CLOSED') || refundedGoods(c);

/**
 * The same goods claimed twice: of each SKU a case asks about, no more than were ordered, counting
 * what the order's other unresolved cases hold (stillHoldsGoods). Two returns of the same two mugs,
 * sent one after the other, were both approved and refunded while the order's paid total still had
 * room.
 */
export function goodsAlreadyClaimed(order: OrderSnapshot, asked: Goods, others: Array<{ caseId: string; goods: Goods }>): Array<{ sku: string; reason: string; caseIds: string[] }> {
  const ordered = new Map<string, number>();
  for (const i of order.items ?? []) ordered.set(i.sku, (ordered.get(i.sku) ?? 0) + i.quantity);
  const problems: Array<{ sku: string; reason: string; caseIds: string[] }> = [];
  for (const sku of new Set(asked.map((l) => l.sku))) {
    const want = asked.filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0);
    const holders = others.map((o) => ({ caseId: o.caseId, n: o.goods.filter((l) => l.sku === sku).reduce((n, l) => n + l.quantity, 0) })).filter((h) => h.n > 0);
    const held = holders.reduce((n, h) => n + h.n, 0);
    const of = ordered.get(sku) ?? 0;
    if (held > 0 && want + held > of) {
      problems.push({ sku, reason: `${want} × ${sku} asked, but ${held} of the ${of} ordered are already in ${holders.map((h) => `case ${h.caseId} (${h.n})`).join(', ')}`, caseIds: holders.map((h) => h.caseId) });
    }
  }
  return problems;
}
