/**
 * Rules of return and refund (退货退款, docs/after-sales.md §10; 001 §03, 003 §7): is the request valid, may
 * policy approve it alone, how much is refunded for what actually came back, and did what came
 * back match what was announced. Amounts are integer minor units of the order's currency.
 */
import { localDate, startOfLocalDate } from './business-calendar.js';
import { addMoney, compareMoney, isKnownCurrency, maxMoney, minMoney, money, multiplyMoney, subtractMoney, zeroMoney, type Money } from './money.js';
import { ruleReason } from './decision-reasons.js';
import { HTTP_URL_REASON } from './evidence.js';
import { decision, type Decision, type Policy } from './policy.js';

export interface OrderItem {
  sku: string;
  name: string;
  quantity: number;
  /** What the customer paid per unit, after discounts (minor units). */
  unitPriceMinor: number;
  unitCostMinor: number;
}

/** The order as it was when the case opened; cases never read the live order again. */
export interface OrderSnapshot {
  orderId: string;
  currency: string;
  items: OrderItem[];
  shippingFeeMinor: number;
  paidTotalMinor: number;
  shippedAt?: number;
  deliveredAt?: number;
}

export type ReturnReason = 'NO_REASON' | 'DEFECTIVE' | 'WRONG_ITEM' | 'DAMAGED' | 'NOT_AS_DESCRIBED' | 'OTHER';
export const RETURN_REASONS: readonly ReturnReason[] = ['NO_REASON', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED', 'OTHER'];
/** The shop is at fault: not bound by the no-reason window, and the shipping fee is refunded. */
export const SHOP_FAULT_REASONS: readonly ReturnReason[] = ['DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED'];
export const isShopFault = (reason: ReturnReason) => SHOP_FAULT_REASONS.includes(reason);

/** The item names of an order snapshot (as stored on the case) by SKU; items without a name are left out. */
export function itemNamesOf(orderSnapshot: unknown): Record<string, string> {
  const items = (orderSnapshot as { items?: unknown } | null)?.items;
  const names: Record<string, string> = {};
  if (Array.isArray(items)) for (const i of items) if (i && typeof i.sku === 'string' && typeof i.name === 'string' && i.name.trim()) names[i.sku] = i.name.trim();
  return names;
}

export interface ReturnLine {
  sku: string;
  quantity: number;
  reason: ReturnReason;
}

export interface ReturnRequest {
  lines: ReturnLine[];
  /** Photos / video of what arrived (002: evidence is kept with the case). */
  evidenceUrls?: string[];
}

/** At least one line is the shop's fault (OTHER is the customer's reason, like NO_REASON). */
export const isShopAtFault = (request: ReturnRequest) => request.lines.some((l) => isShopFault(l.reason));

/** OK: back in resalable order. DAMAGED_BY_CUSTOMER: arrived, not refunded. MISSING: announced, not in the parcel (counts as 0 received). */
export type ItemCondition = 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING';

export interface InspectedLine {
  sku: string;
  receivedQuantity: number;
  condition: ItemCondition;
}

export interface Problem {
  field: string;
  reason: string;
}

const isWhole = (v: unknown, minimum: number) => Number.isSafeInteger(v) && (v as number) >= minimum;

/**
 * What is wrong with a warehouse's inspection of goods sent back from `order`, every problem at
 * once: a SKU the order does not have, a count that is not a whole number ≥ 0, and more of a SKU
 * than the order ever held — that cannot have come back from it (5 typed for 2 booked three units
 * into stock that were never the shop's). A count that differs from the request within the order
 * is not a problem here: it goes to an agent (detectCountMismatch). `order` may be the goods a
 * case asked back instead, `held` then saying so ('the case asked back').
 */
export function inspectionProblems(order: { items: ReadonlyArray<{ sku: string; quantity: number }> }, lines: InspectedLine[], held = 'the order had'): Problem[] {
  const problems: Problem[] = [];
  const ordered = new Map<string, number>();
  for (const item of order.items) ordered.set(item.sku, (ordered.get(item.sku) ?? 0) + item.quantity);
  const received = new Map<string, { total: number; last: number }>();
  for (const [i, line] of lines.entries()) {
    if (!ordered.has(line.sku)) problems.push({ field: `lines[${i}].sku`, reason: held === 'the order had' ? `unknown SKU ${line.sku}` : `${line.sku} is not among the goods ${held}` });
    if (!isWhole(line.receivedQuantity, 0)) problems.push({ field: `lines[${i}].receivedQuantity`, reason: `receivedQuantity for ${line.sku} must be a whole number ≥ 0` });
    else if (line.condition !== 'MISSING') received.set(line.sku, { total: (received.get(line.sku)?.total ?? 0) + line.receivedQuantity, last: i });
  }
  for (const [sku, { total, last }] of received) {
    const most = ordered.get(sku);
    if (most !== undefined && total > most) problems.push({ field: `lines[${last}].receivedQuantity`, reason: `${total} of ${sku} received, but ${held} ${most}: count again` });
  }
  return problems;
}

export function validateOrder(order: OrderSnapshot): Problem[] {
  const problems: Problem[] = [];
  const bad = (field: string, reason: string) => problems.push({ field: `order.${field}`, reason });
  const minor = 'must be a whole number of minor units ≥ 0';
  if (!order.orderId) bad('orderId', 'is required');
  if (!isKnownCurrency(order.currency ?? '')) bad('currency', `must be a supported ISO-4217 code such as CNY, got ${JSON.stringify(order.currency)}`);
  if (!order.items?.length) bad('items', 'must not be empty');
  (order.items ?? []).forEach((item, i) => {
    if (!item.sku) bad(`items[${i}].sku`, 'is required');
    if (!isWhole(item.quantity, 1)) bad(`items[${i}].quantity`, 'must be a whole number ≥ 1');
    if (!isWhole(item.unitPriceMinor, 0)) bad(`items[${i}].unitPriceMinor`, minor);
    if (!isWhole(item.unitCostMinor, 0)) bad(`items[${i}].unitCostMinor`, minor);
  });
  if (!isWhole(order.shippingFeeMinor, 0)) bad('shippingFeeMinor', minor);
  if (!isWhole(order.paidTotalMinor, 0)) bad('paidTotalMinor', minor);
  const skus = (order.items ?? []).map((i) => i.sku);
  if (new Set(skus).size !== skus.length) bad('items', 'SKUs must be unique');
  if (order.deliveredAt !== undefined && order.shippedAt !== undefined && order.deliveredAt < order.shippedAt) bad('deliveredAt', 'is before shippedAt');
  return problems;
}

/** How far ahead of our clock another system's times may run (a storefront's or a carrier's clock may be a little fast). */
export const CLOCK_TOLERANCE_MS = 10 * 60_000;
/** A time another system says has happened, but which lies ahead of `now` by more than a fast clock explains. */
export const isAhead = (t: number, now: number): boolean => t > now + CLOCK_TOLERANCE_MS;

/**
 * The most an order may be worth, in minor units (10 billion of the currency's major unit): far
 * above any shop's order, and far below where sums of many orders lose integer precision.
 */
export const MAX_ORDER_MINOR = 1_000_000_000_000;

/**
 * What an opening refuses in an order's amounts beyond their form: goods worth more than
 * MAX_ORDER_MINOR, and a paid total above the goods and the shipping. Every refund is capped at the
 * paid total, so a paid total that was never paid would be refunded. Checked where a case opens,
 * not in the workflows (an order a running case holds is not judged again).
 */
export function orderAmountProblems(order: Pick<OrderSnapshot, 'items' | 'shippingFeeMinor' | 'paidTotalMinor'>): Problem[] {
  const goods = (order.items ?? []).reduce((sum, i) => sum + (isWhole(i.quantity, 1) && isWhole(i.unitPriceMinor, 0) ? i.quantity * i.unitPriceMinor : 0), 0);
  if (goods > MAX_ORDER_MINOR) return [{ field: 'order.items', reason: `the goods are worth more than ${MAX_ORDER_MINOR} minor units: check quantities and prices` }];
  const shipping = isWhole(order.shippingFeeMinor, 0) ? order.shippingFeeMinor : 0;
  if (isWhole(order.paidTotalMinor, 0) && order.paidTotalMinor > goods + shipping) {
    return [{ field: 'order.paidTotalMinor', reason: `is more than the goods and shipping (${goods + shipping}): an order pays no more than its goods and shipping — check the total, the items’ prices and the shipping fee` }];
  }
  return [];
}

/** No order the platform sees shipped before 2000: a time before it is a time in seconds, not milliseconds. */
export const EARLIEST_ORDER_MS = Date.UTC(2000, 0, 1);

/**
 * An order's shipping and delivery times must have happened when the case opens: a delivery "in
 * the future" would count as inside every day-based window (the no-reason window runs from it).
 */
export function validateOrderTimes(order: Pick<OrderSnapshot, 'shippedAt' | 'deliveredAt'>, now: number): Problem[] {
  const problems: Problem[] = [];
  for (const field of ['shippedAt', 'deliveredAt'] as const) {
    const t = order[field];
    if (t !== undefined && isAhead(t, now)) problems.push({ field: `order.${field}`, reason: Number.isNaN(new Date(t).getTime()) ? 'is not a time' : `is in the future (${new Date(t).toISOString()})` });
    // Seconds sent for milliseconds read as January 1970, and a week-old delivery as 56 years old.
    else if (t !== undefined && t < EARLIEST_ORDER_MS) problems.push({ field: `order.${field}`, reason: `reads as ${new Date(t).toISOString()}: send epoch milliseconds (${t} looks like seconds)` });
  }
  return problems;
}

/**
 * Lines that refer to an order, each of its goods: a known SKU, listed once, a whole quantity ≥ 1,
 * never more than ordered. `field` names the list (lines, missing …); an empty list is a problem.
 * `more`: a kind of case's own checks of a line (a return's reason, an exchange's replacement),
 * listed with that line's.
 */
export function orderLineProblems<L extends { sku: string; quantity: number }>(order: OrderSnapshot, lines: readonly L[] | undefined, field = 'lines', more?: (line: L, i: number) => Problem[]): Problem[] {
  if (!lines?.length) return [{ field, reason: 'must not be empty' }];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    const item = order.items?.find((it) => it.sku === line.sku);
    if (!item) problems.push({ field: `${field}[${i}].sku`, reason: `${line.sku} is not part of order ${order.orderId}` });
    else if (seen.has(line.sku)) problems.push({ field: `${field}[${i}].sku`, reason: `${line.sku} appears twice` });
    seen.add(line.sku);
    if (!isWhole(line.quantity, 1)) problems.push({ field: `${field}[${i}].quantity`, reason: 'must be a whole number ≥ 1' });
    else if (item && line.quantity > item.quantity) problems.push({ field: `${field}[${i}].quantity`, reason: `more than the ${item.quantity} ordered` });
    if (more) problems.push(...more(line, i));
  });
  return problems;
}

/** Every problem of a return request against its order: its lines (orderLineProblems), an unknown reason, bad evidence. */
export function validateReturnRequest(order: OrderSnapshot, request: ReturnRequest): Problem[] {
  const problems = [
    ...validateOrder(order),
    ...orderLineProblems(order, request.lines, 'lines', (line, i) => (RETURN_REASONS.includes(line.reason) ? [] : [{ field: `lines[${i}].reason`, reason: `must be one of ${RETURN_REASONS.join(', ')}` }])),
  ];
  (request.evidenceUrls ?? []).forEach((url, i) => {
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+\S*$/.test(url)) problems.push({ field: `evidenceUrls[${i}]`, reason: HTTP_URL_REASON });
  });
  return problems;
}

/** What the requested lines were paid: Σ quantity × price paid per unit (unknown SKUs count 0). */
export function requestValueMinor(order: OrderSnapshot, lines: Array<{ sku: string; quantity: number }>): number {
  return lines.reduce((sum, l) => sum + l.quantity * (order.items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0), 0);
}

/**
 * The same goods: per SKU the same total quantity, whatever the order of the lines (a SKU listed
 * twice counts its quantities together; a SKU totalling 0 is as good as absent). An approval with
 * the same lines as the request is a full approval, not a changed proposal.
 */
export function sameLines(a: ReadonlyArray<{ sku: string; quantity: number }>, b: ReadonlyArray<{ sku: string; quantity: number }>): boolean {
  const totals = new Map<string, number>();
  for (const l of a) totals.set(l.sku, (totals.get(l.sku) ?? 0) + l.quantity);
  for (const l of b) totals.set(l.sku, (totals.get(l.sku) ?? 0) - l.quantity);
  for (const difference of totals.values()) if (difference !== 0) return false;
  return true;
}

/**
 * End of the no-reason window: 24:00 (local, in the shop's time zone) of the n-th day after the
 * day of delivery — the way 七日无理由退货 is counted (from 签收次日). Delivered 2 March 15:00 with
 * 7 days → the window closes at 10 March 00:00.
 */
export function noReasonReturnDeadline(policy: Policy, deliveredAt: number): number {
  const tz = { timeZone: policy.businessHours.timeZone };
  const day = Date.parse(`${localDate(tz, deliveredAt)}T00:00:00Z`) + (policy.rules.noReasonReturnDays + 1) * 86_400_000;
  return startOfLocalDate(tz, new Date(day).toISOString().slice(0, 10));
}

/**
 * May policy approve the return alone? Shop-fault reasons always may (up to the amount limit);
 * the customer's own reasons (NO_REASON, OTHER) only inside the no-reason window. Outside it an
 * agent decides — or the request is rejected naming the rule, if the merchant's policy says so
 * and nothing in the request is the shop's fault.
 */
export interface ApprovalOptions {
  /**
   * How the no-reason window is counted. CALENDAR_DAYS (default): to local midnight, as the law
   * counts. ELAPSED_DAYS: n × 24 h from the delivery instant — the rule of the first version,
   * for workflows that must replay decisions made under it (choose it behind `patched()`).
   */
  noReasonWindow?: 'CALENDAR_DAYS' | 'ELAPSED_DAYS';
}

export function decideReturnApproval(policy: Policy, order: OrderSnapshot, request: ReturnRequest, now: number, options: ApprovalOptions = {}): Decision {
  const rules = policy.rules;
  const value = requestValueMinor(order, request.lines ?? []);
  const decide = (rule: string, outcome: 'APPROVE' | 'REJECT' | 'NEEDS_AGENT', values: Record<string, unknown>) =>
    decision(policy, rule, { ...values, requestValueMinor: value, currency: order.currency }, outcome);

  const problems = validateReturnRequest(order, request);
  if (problems.length) return decide('validReturnRequest', 'REJECT', { problems, reason: ruleReason('validReturnRequest') });
  if (order.deliveredAt === undefined) {
    return decide('deliveredBeforeReturn', 'NEEDS_AGENT', { shippedAt: order.shippedAt, reason: ruleReason('deliveredBeforeReturn') });
  }
  const deadline =
    options.noReasonWindow === 'ELAPSED_DAYS' ? order.deliveredAt + rules.noReasonReturnDays * 86_400_000 + 1 : noReasonReturnDeadline(policy, order.deliveredAt);
  const window = {
    deliveredAt: order.deliveredAt,
    daysSinceDelivery: Math.floor(Math.max(0, now - order.deliveredAt) / 8_640_000) / 10,
    noReasonReturnDays: rules.noReasonReturnDays,
    noReasonReturnDeadline: deadline,
    noReasonWindow: options.noReasonWindow ?? 'CALENDAR_DAYS',
  };
  const customerReasons = request.lines.filter((l) => !isShopFault(l.reason)).map((l) => l.sku);
  const shopFault = request.lines.filter((l) => isShopFault(l.reason)).map((l) => l.sku);

  if (customerReasons.length && now >= deadline) {
    // A request that is also the shop's fault is never rejected wholesale: an agent splits it.
    const outcome = rules.outsideWindowAction === 'REJECT' && !shopFault.length ? 'REJECT' : 'NEEDS_AGENT';
    return decide('noReasonReturnDays', outcome, { ...window, customerReasonSkus: customerReasons, shopFaultSkus: shopFault, outsideWindowAction: rules.outsideWindowAction, reason: ruleReason('noReasonReturnDays', window) });
  }
  const limit = autoApproveLimit(rules);
  if (limit !== undefined && value > limit) {
    return decide('autoApproveReturnMaxAmountMinor', 'NEEDS_AGENT', { autoApproveReturnMaxAmountMinor: limit, reason: ruleReason('autoApproveReturnMaxAmountMinor') });
  }
  return customerReasons.length ? decide('noReasonReturnDays', 'APPROVE', window) : decide('shopFaultReturn', 'APPROVE', { ...window, shopFaultSkus: shopFault });
}

/**
 * The auto-approve limit. Workflows started before the rule was renamed carry the old
 * `autoApproveMaxAmountMinor` (0 = no limit) in their input; reading it keeps their replay
 * deterministic.
 */
function autoApproveLimit(rules: Policy['rules']): number | undefined {
  if (rules.autoApproveReturnMaxAmountMinor !== undefined) return rules.autoApproveReturnMaxAmountMinor;
  const legacy = (rules as { autoApproveMaxAmountMinor?: unknown }).autoApproveMaxAmountMinor;
  return typeof legacy === 'number' && legacy > 0 ? legacy : undefined;
}

export interface Inspection {
  lines: InspectedLine[];
  /** Decided by the caller (usually `isShopAtFault(request)`, or an agent's finding). */
  shopAtFault: boolean;
  /** Refunded on this order before (earlier partial returns, price adjustments). */
  alreadyRefundedMinor: number;
  /** The shipping fee was refunded before; it is refunded at most once per order. */
  shippingAlreadyRefunded?: boolean;
  /**
   * The goods the return was approved for. Units beyond them that came back in good order are not
   * refunded (MORE_THAN_APPROVED): an agent who settles a count mismatch by "refund what came back"
   * refunded every sock of three when one was asked back, goods the customer may still claim in
   * another case. Left out, only the order's quantities bound the refund (cases before the patch).
   */
  approved?: ReadonlyArray<{ sku: string; quantity: number }>;
}

export interface RefundLine {
  kind: 'GOODS' | 'SHIPPING' | 'CAP';
  /** The SKU; 'SHIPPING' for the shipping fee, 'CAP' for the cut to what is still refundable. */
  sku: string;
  quantity: number;
  unitPriceMinor: number;
  amountMinor: number;
}

export interface ExcludedLine {
  sku: string;
  quantity: number;
  reason: 'DAMAGED_BY_CUSTOMER' | 'MISSING' | 'MORE_THAN_ORDERED' | 'MORE_THAN_APPROVED' | 'NOT_IN_ORDER';
}

export interface RefundComputation {
  amountMinor: number;
  currency: string;
  /** Sums to amountMinor (a CAP line, negative, when the total was cut). */
  breakdown: RefundLine[];
  /** What came back but is not refunded, and why. */
  excluded: ExcludedLine[];
  decision: Decision;
}

/**
 * A refund's lines as paid: the payment provider pays less than reckoned when the order's other
 * cases were paid at the same moment (it never pays more than the order has left). The cut goes on
 * the CAP line, so the ledger's lines still sum to the money that moved (two such returns each keep
 * their SHIPPING line, the CAP line taking off what was not paid).
 */
export function refundLinesPaid(refund: Pick<RefundComputation, 'amountMinor' | 'breakdown'>, paidMinor: number): RefundLine[] {
  const cut = refund.amountMinor - paidMinor;
  if (cut <= 0) return refund.breakdown.map((b) => ({ ...b }));
  const capMinor = (refund.breakdown.find((b) => b.kind === 'CAP')?.amountMinor ?? 0) - cut;
  return [...refund.breakdown.filter((b) => b.kind !== 'CAP').map((b) => ({ ...b })), { kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: capMinor, amountMinor: capMinor }];
}

/** The quantity of each SKU over lines that may name one several times. */
const quantitiesBySku = (lines: ReadonlyArray<{ sku: string; quantity: number }>) => {
  const by = new Map<string, number>();
  for (const l of lines) by.set(l.sku, (by.get(l.sku) ?? 0) + l.quantity);
  return by;
};

/**
 * How many of each inspected line go back into stock: the sellable (OK) ones and, given `approved`,
 * no more of a SKU than the return was approved for. The surplus is not refunded (computeRefund), so
 * it is still the customer's goods, held in the warehouse, not the shop's to sell.
 */
export function restockedQuantities(lines: ReadonlyArray<InspectedLine>, approved?: ReadonlyArray<{ sku: string; quantity: number }>): number[] {
  const left = approved && quantitiesBySku(approved);
  return lines.map((l) => {
    if (l.condition !== 'OK') return 0;
    if (!left) return l.receivedQuantity;
    const n = Math.min(l.receivedQuantity, left.get(l.sku) ?? 0);
    left.set(l.sku, (left.get(l.sku) ?? 0) - n);
    return n;
  });
}

/**
 * The refund for what actually came back in good order: OK units × price paid per unit, never
 * more units than ordered; the shipping fee too when the shop was at fault (and policy says so,
 * and it was not refunded before); and never more than paid minus what was already refunded.
 */
export function computeRefund(order: OrderSnapshot, inspection: Inspection, policy: Policy): RefundComputation {
  const c = order.currency;
  const okBySku = new Map<string, number>();
  const excluded: ExcludedLine[] = [];
  for (const line of inspection.lines) {
    if (!Number.isSafeInteger(line.receivedQuantity) || line.receivedQuantity < 0) throw new RangeError(`receivedQuantity of ${line.sku} must be a whole number ≥ 0`);
    if (line.receivedQuantity === 0) continue;
    if (!order.items.some((i) => i.sku === line.sku)) excluded.push({ sku: line.sku, quantity: line.receivedQuantity, reason: 'NOT_IN_ORDER' });
    else if (line.condition !== 'OK') excluded.push({ sku: line.sku, quantity: line.receivedQuantity, reason: line.condition });
    else okBySku.set(line.sku, (okBySku.get(line.sku) ?? 0) + line.receivedQuantity);
  }
  const breakdown: RefundLine[] = [];
  let goods = zeroMoney(c);
  const approved = inspection.approved && quantitiesBySku(inspection.approved);
  for (const item of order.items) {
    const ok = okBySku.get(item.sku) ?? 0;
    const ordered = Math.min(ok, item.quantity);
    if (ok > ordered) excluded.push({ sku: item.sku, quantity: ok - ordered, reason: 'MORE_THAN_ORDERED' });
    const quantity = approved ? Math.min(ordered, approved.get(item.sku) ?? 0) : ordered;
    if (ordered > quantity) excluded.push({ sku: item.sku, quantity: ordered - quantity, reason: 'MORE_THAN_APPROVED' });
    if (quantity === 0) continue;
    const amount = multiplyMoney(money(item.unitPriceMinor, c), quantity);
    breakdown.push({ kind: 'GOODS', sku: item.sku, quantity, unitPriceMinor: item.unitPriceMinor, amountMinor: amount.amountMinor });
    goods = addMoney(goods, amount);
  }
  // Shipping follows the goods: nothing good came back → nothing to refund for its carriage either.
  const refundsShipping = inspection.shopAtFault && policy.rules.shopFaultRefundsShipping && !inspection.shippingAlreadyRefunded && goods.amountMinor > 0;
  const shipping = money(refundsShipping ? order.shippingFeeMinor : 0, c);
  if (shipping.amountMinor > 0) breakdown.push({ kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: shipping.amountMinor, amountMinor: shipping.amountMinor });

  const already: Money = money(inspection.alreadyRefundedMinor, c);
  if (already.amountMinor < 0) throw new RangeError('alreadyRefundedMinor must be ≥ 0');
  const refundable = maxMoney(zeroMoney(c), subtractMoney(money(order.paidTotalMinor, c), already));
  const wanted = addMoney(goods, shipping);
  const amount = minMoney(wanted, refundable);
  const cut = subtractMoney(wanted, amount);
  if (compareMoney(cut, zeroMoney(c)) > 0) breakdown.push({ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -cut.amountMinor, amountMinor: -cut.amountMinor });

  return {
    amountMinor: amount.amountMinor,
    currency: c,
    breakdown,
    excluded,
    decision: decision(
      policy,
      'refundReceivedGoods',
      {
        goodsMinor: goods.amountMinor,
        shippingMinor: shipping.amountMinor,
        paidTotalMinor: order.paidTotalMinor,
        alreadyRefundedMinor: already.amountMinor,
        refundableMinor: refundable.amountMinor,
        cappedMinor: cut.amountMinor,
        shopAtFault: inspection.shopAtFault,
        shopFaultRefundsShipping: policy.rules.shopFaultRefundsShipping,
        excluded,
        currency: c,
      },
      amount.amountMinor > 0 ? 'REFUND' : 'NOTHING_TO_REFUND',
    ),
  };
}

export interface CountMismatch {
  sku: string;
  expected: number;
  received: number;
  /** SHORT: fewer than announced; OVER: more; UNEXPECTED: a SKU that was not announced at all. */
  kind: 'SHORT' | 'OVER' | 'UNEXPECTED';
}

/** What came back per SKU as counted: a damaged unit arrived and counts, a MISSING line counts none. */
function receivedBySku(inspected: InspectedLine[]): Map<string, number> {
  const received = new Map<string, number>();
  for (const l of inspected) received.set(l.sku, (received.get(l.sku) ?? 0) + (l.condition === 'MISSING' ? 0 : l.receivedQuantity));
  return received;
}

/**
 * Of the goods asked back, what came back as detectCountMismatch counts it (a MISSING line none, a
 * damaged unit one), never more of a SKU than was asked: what "refund what came back" pays for where
 * the refund is the goods' value (transit damage, a quality problem). Lines of nothing left out.
 */
export function receivedOfAsked(asked: ReadonlyArray<{ sku: string; quantity: number }>, inspected: InspectedLine[]): Array<{ sku: string; quantity: number }> {
  const received = receivedBySku(inspected);
  const out: Array<{ sku: string; quantity: number }> = [];
  for (const line of asked) {
    const left = received.get(line.sku) ?? 0;
    const quantity = Math.min(line.quantity, left);
    received.set(line.sku, left - quantity);
    if (quantity > 0) out.push({ sku: line.sku, quantity });
  }
  return out;
}

/** Of the goods asked back, those that came back in good order (condition OK): what a refund of "what came back in good order" pays for. */
export const inGoodOrderOfAsked = (asked: ReadonlyArray<{ sku: string; quantity: number }>, inspected: readonly InspectedLine[]): Array<{ sku: string; quantity: number }> =>
  receivedOfAsked(asked, inspected.filter((l) => l.condition === 'OK'));

/**
 * Lines where what arrived differs from what was announced (003 §7 数量有误 → the missing /
 * wrong-item procedure). Damaged items did arrive and count; MISSING lines count as 0.
 */
export function detectCountMismatch(request: { lines: ReadonlyArray<{ sku: string; quantity: number }> }, inspected: InspectedLine[]): CountMismatch[] {
  const expected = new Map<string, number>();
  for (const l of request.lines) expected.set(l.sku, (expected.get(l.sku) ?? 0) + l.quantity);
  const received = receivedBySku(inspected);
  const out: CountMismatch[] = [];
  for (const [sku, want] of expected) {
    const got = received.get(sku) ?? 0;
    if (got !== want) out.push({ sku, expected: want, received: got, kind: got < want ? 'SHORT' : 'OVER' });
  }
  for (const [sku, got] of received) if (!expected.has(sku) && got > 0) out.push({ sku, expected: 0, received: got, kind: 'UNEXPECTED' });
  return out;
}
