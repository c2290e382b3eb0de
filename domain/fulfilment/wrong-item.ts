/**
 * 错货 / 错发 — wrong item (003 §三, 004 §二.4, docs/after-sales.md §4): first the barcode of what arrived
 * against the order; then the value rule of 003 §三.3 — the wrong item's value against the return
 * shipping — and the documents of 003 §三.4. The shop pays shipping both ways (004 §二.4).
 */
import { ruleReason } from '../decision-reasons.js';
import { decision, type Decision } from '../policy.js';
import { validateOrder, type OrderSnapshot, type Problem } from '../return-refund.js';
import { checkAmount, checkText, isWhole, paidValueMinor, refundableMinor, refundableValueMinor, validateOrderLines, type SkuQuantity } from './common.js';
import { blankReturn, expenseNote, orderLines, outboundNote, outboundReversal, returnNote, type CaseDocument, type DocumentLine } from './documents.js';
import type { FulfilmentPolicy } from './rules.js';

/** A wrong-item opening: the order as any case's, and the SKU the customer ordered one of its items (the API at opening, the workflow on start). */
export function validateWrongItemOpening(order: OrderSnapshot, orderedSku: string): Problem[] {
  const problems = validateOrder(order);
  if (!order.items.some((i) => i.sku === orderedSku)) problems.push({ field: 'orderedSku', reason: `${orderedSku} is not part of order ${order.orderId}` });
  return problems;
}

/**
 * 003 §三.1: ask for the barcode of what arrived. The ordered SKU's barcode → the customer
 * ordered this (顾客拍错了): explain and close. Another known barcode → a wrong item. Unknown →
 * photos, outbound record and weight decide (003 §三.2).
 */
export function checkArrivedBarcode(policy: FulfilmentPolicy, orderedSku: string, arrivedBarcode: string, barcodes: Record<string, string>): Decision {
  const code = arrivedBarcode.trim();
  const arrivedSku = Object.keys(barcodes).find((sku) => barcodes[sku] === code);
  const values = { orderedSku, orderedBarcode: barcodes[orderedSku], arrivedBarcode: code, arrivedSku };
  if (!code) return decision(policy, 'wrongItemBarcode', values, 'NEEDS_EVIDENCE');
  if (arrivedSku === orderedSku) return decision(policy, 'wrongItemBarcode', values, 'EXPLAIN_AND_CLOSE');
  return decision(policy, 'wrongItemBarcode', values, arrivedSku === undefined ? 'NEEDS_EVIDENCE' : 'WRONG_ITEM');
}

/** Goods that arrived but were not ordered (or more than ordered): catalogue price and cost. */
export interface ArrivedItem {
  sku: string;
  name?: string;
  quantity: number;
  unitPriceMinor: number;
  unitCostMinor: number;
}

export interface WrongItemCase {
  /** Ordered, not received (may be empty when something extra arrived). */
  shortShipped: SkuQuantity[];
  /** Received, not ordered. */
  overShipped: ArrivedItem[];
  /** What sending the wrong goods back would cost (minor units). */
  returnShippingCostMinor: number;
  alreadyRefundedMinor: number;
}

export function validateWrongItemCase(order: OrderSnapshot, c: WrongItemCase): Problem[] {
  const problems = c.shortShipped?.length ? validateOrderLines(order, c.shortShipped, 'shortShipped') : [];
  if (!c.overShipped?.length) problems.push({ field: 'overShipped', reason: 'must not be empty: name what arrived instead' });
  (c.overShipped ?? []).forEach((item, i) => {
    const f = `overShipped[${i}]`;
    problems.push(...checkText(item.sku, `${f}.sku`, 100));
    if (c.shortShipped?.some((s) => s.sku === item.sku)) problems.push({ field: `${f}.sku`, reason: `${item.sku} cannot be both short- and over-shipped` });
    if (c.overShipped.findIndex((o) => o.sku === item.sku) < i) problems.push({ field: `${f}.sku`, reason: `${item.sku} appears twice` });
    if (!isWhole(item.quantity, 1)) problems.push({ field: `${f}.quantity`, reason: 'must be a whole number ≥ 1' });
    problems.push(...checkAmount(item.unitPriceMinor, `${f}.unitPriceMinor`), ...checkAmount(item.unitCostMinor, `${f}.unitCostMinor`));
  });
  problems.push(...checkAmount(c.returnShippingCostMinor, 'returnShippingCostMinor'), ...checkAmount(c.alreadyRefundedMinor, 'alreadyRefundedMinor'));
  return problems;
}

const arrivedValue = (items: ArrivedItem[], basis: 'COST' | 'PRICE') => items.reduce((s, i) => s + i.quantity * (basis === 'COST' ? i.unitCostMinor : i.unitPriceMinor), 0);

/**
 * The value rule (003 §三.3 错发的商品和运费比较): worth MORE than the return shipping → ask the
 * customer to return it for an exchange or refund; worth the same or less → returning it costs
 * more than it saves, so offer a discount (折价) for keeping it instead of what was ordered: the
 * price paid for the missing goods minus the price of what arrived, never below 0 nor above
 * what is still refundable. Value at cost or price as policy says (wrongItemValueBasis). A discount
 * that comes to nothing (what arrived sells for as much as what is missing, nothing is missing, or
 * nothing is left to refund) is NO_DISCOUNT: declining it would always serve the customer better, so
 * there is nothing to ask them (docs/after-sales.md §4).
 */
export function decideWrongItemValue(policy: FulfilmentPolicy, order: OrderSnapshot, c: WrongItemCase): Decision {
  const problems = validateWrongItemCase(order, c);
  if (problems.length) return decision(policy, 'validWrongItemCase', { problems }, 'INVALID');
  const basis = policy.rules.wrongItemValueBasis;
  const valueMinor = arrivedValue(c.overShipped, basis);
  const values = { wrongItemValueMinor: valueMinor, wrongItemValueBasis: basis, returnShippingCostMinor: c.returnShippingCostMinor, shopPaysShippingBothWays: true, currency: order.currency };
  if (valueMinor > c.returnShippingCostMinor) return decision(policy, 'wrongItemValue', { ...values, options: ['EXCHANGE', 'RETURN_REFUND'] }, 'RETURN_OR_EXCHANGE');
  const missingPaidMinor = paidValueMinor(order, c.shortShipped);
  const discountMinor = Math.min(Math.max(0, missingPaidMinor - arrivedValue(c.overShipped, 'PRICE')), refundableMinor(order, c.alreadyRefundedMinor));
  return decision(policy, 'wrongItemValue', { ...values, missingPaidMinor, discountMinor, ifRefused: 'GIFT' }, discountMinor > 0 ? 'OFFER_DISCOUNT' : 'NO_DISCOUNT');
}

/**
 * The customer does not want the wrong item at a discount (003 §三.3 如果顾客说不需要): they keep it
 * as a gift (赠送) and the missing goods are re-shipped — or refunded — at once.
 */
export function decideDiscountRefused(policy: FulfilmentPolicy, order: OrderSnapshot, c: WrongItemCase, wants: 'RESHIP' | 'REFUND'): Decision {
  const problems = validateWrongItemCase(order, c);
  if (problems.length) return decision(policy, 'validWrongItemCase', { problems }, 'INVALID');
  const gift = c.overShipped.map((o) => ({ sku: o.sku, quantity: o.quantity }));
  if (wants === 'RESHIP' && !c.shortShipped.length) return decision(policy, 'wrongItemGift', { gift, reason: ruleReason('wrongItemGift') }, 'GIFT');
  const refundMinor = refundableValueMinor(order, c.shortShipped, c.alreadyRefundedMinor);
  return decision(policy, 'wrongItemGift', { gift, reship: wants === 'RESHIP' ? c.shortShipped : [], refundMinor: wants === 'REFUND' ? refundMinor : 0, currency: order.currency }, wants === 'RESHIP' ? 'GIFT_AND_RESHIP' : 'GIFT_AND_REFUND');
}

export type WrongItemResolution =
  | { kind: 'EXCHANGE' }
  | { kind: 'RETURN_REFUND'; refundMinor: number }
  | { kind: 'DISCOUNT'; discountMinor: number }
  | { kind: 'GIFT_RESHIP' }
  | { kind: 'GIFT_REFUND'; refundMinor: number };

/**
 * The documents of 003 §三.4. Always first the reversal of the original outbound: short-shipped
 * lines negative, over-shipped positive (also for a discount, where the seed names only the
 * expense note — the wrong goods did leave the shelf, and the stock must say so). Returned
 * over-shipment → return note; exchange → new outbound; discount → expense note; gift → blank
 * return turned into an expense note at cost; a refund for goods never received → expense note.
 */
export function wrongItemDocuments(order: OrderSnapshot, c: WrongItemCase, resolution: WrongItemResolution): CaseDocument[] {
  const problems = validateWrongItemCase(order, c);
  if (problems.length) throw new RangeError(`invalid wrong-item case: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
  const over: DocumentLine[] = c.overShipped.map((o) => ({ sku: o.sku, quantity: o.quantity, unitCostMinor: o.unitCostMinor }));
  const docs = [outboundReversal([...orderLines(order, c.shortShipped, -1), ...over])];
  // Money back to the customer (refund or discount) never exceeds what is still refundable.
  const refund = (amountMinor: number, purpose: 'REFUND' | 'DISCOUNT' = 'REFUND') => {
    const left = refundableMinor(order, c.alreadyRefundedMinor);
    if (checkAmount(amountMinor, 'amountMinor').length || amountMinor > left) throw new RangeError(`${purpose} ${amountMinor} must be a whole number from 0 to the ${left} still refundable`);
    return expenseNote(purpose, amountMinor);
  };
  switch (resolution.kind) {
    case 'EXCHANGE':
      return [...docs, returnNote(over), ...(c.shortShipped.length ? [outboundNote(orderLines(order, c.shortShipped))] : [])];
    case 'RETURN_REFUND':
      return [...docs, returnNote(over), refund(resolution.refundMinor)];
    case 'DISCOUNT':
      return [...docs, refund(resolution.discountMinor, 'DISCOUNT')];
    case 'GIFT_RESHIP':
    case 'GIFT_REFUND': {
      const gift = [blankReturn(over), expenseNote('GIFT', arrivedValue(c.overShipped, 'COST'))];
      if (resolution.kind === 'GIFT_REFUND') return [...docs, ...gift, refund(resolution.refundMinor)];
      return [...docs, ...gift, ...(c.shortShipped.length ? [outboundNote(orderLines(order, c.shortShipped))] : [])];
    }
  }
}
