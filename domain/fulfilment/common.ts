/**
 * Checks shared by the fulfilment rules: lines of an order, amounts in minor units, refunds
 * never above what is still refundable. Problems name the field, like validateReturnRequest.
 */
import { orderLineProblems, validateOrder, type InspectedLine, type OrderSnapshot, type Problem } from '../return-refund.js';

export const DAY_MS = 86_400_000;
export const HOUR_MS = 3_600_000;

export interface SkuQuantity {
  sku: string;
  quantity: number;
}

export const isWhole = (v: unknown, minimum = 0): v is number => Number.isSafeInteger(v) && (v as number) >= minimum;

/** A whole number of minor units ≥ 0, or a problem naming the field. */
export function checkAmount(value: unknown, field: string): Problem[] {
  return isWhole(value, 0) ? [] : [{ field, reason: `must be a whole number of minor units ≥ 0, got ${JSON.stringify(value)}` }];
}

/** Lines that refer to an order (orderLineProblems), the order itself validated first. */
export function validateOrderLines(order: OrderSnapshot, lines: SkuQuantity[] | undefined, field = 'lines'): Problem[] {
  return [...validateOrder(order), ...orderLineProblems(order, lines, field)];
}

/** What the lines were paid (price per unit after discounts × quantity); unknown SKUs count 0. */
export function paidValueMinor(order: OrderSnapshot, lines: SkuQuantity[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * (order.items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0), 0);
}

/**
 * A refund's lines for goods paid back (and the shipping fee when it is), in the shape a return's
 * refund books (domain/return-refund.ts RefundLine): each with its amount, and a negative CAP line
 * when less was paid than they come to (the order's other cases refunded first) — so the lines sum
 * to the refund, which finance reconciles line by line.
 */
export function goodsRefundLines(order: OrderSnapshot, lines: SkuQuantity[], paidMinor: number, o: { shipping?: boolean } = {}): Array<{ kind: 'GOODS' | 'SHIPPING' | 'CAP'; sku: string; quantity: number; unitPriceMinor: number; amountMinor: number }> {
  const out = lines.map((l) => {
    const unitPriceMinor = order.items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0;
    return { kind: 'GOODS' as const, sku: l.sku, quantity: l.quantity, unitPriceMinor, amountMinor: unitPriceMinor * l.quantity };
  });
  const withShipping = o.shipping && order.shippingFeeMinor > 0 ? [...out, { kind: 'SHIPPING' as const, sku: 'SHIPPING', quantity: 1, unitPriceMinor: order.shippingFeeMinor, amountMinor: order.shippingFeeMinor }] : out;
  const cut = withShipping.reduce((s, l) => s + l.amountMinor, 0) - paidMinor;
  return cut > 0 ? [...withShipping, { kind: 'CAP' as const, sku: 'CAP', quantity: 1, unitPriceMinor: -cut, amountMinor: -cut }] : withShipping;
}

/** The same lines at cost. */
export function costValueMinor(order: OrderSnapshot, lines: SkuQuantity[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * (order.items.find((i) => i.sku === l.sku)?.unitCostMinor ?? 0), 0);
}

/**
 * Whether a refund of goods gives the order's shipping fee back too (a lost parcel's; a quality
 * problem's under the policy's shopFaultRefundsShipping): when no earlier case of the order gave it
 * back, and this refund leaves none of the order's goods unpaid — every unit of the order in `lines`,
 * or the rest refunded by the order's earlier cases (a split shipment whose two parcels were both
 * lost: the second gives it back). One parcel of a split shipment, or some of a SKU's units, gives it
 * back no more: the other parcel's case would have given it back again.
 */
export function refundGivesShippingBack(order: OrderSnapshot, lines: readonly SkuQuantity[], earlier: { amountMinor: number; shippingRefunded: boolean }): boolean {
  if (earlier.shippingRefunded) return false;
  const refunded = new Map<string, number>();
  for (const l of lines) refunded.set(l.sku, (refunded.get(l.sku) ?? 0) + l.quantity);
  if (order.items.every((i) => (refunded.get(i.sku) ?? 0) >= i.quantity)) return true;
  const goodsMinor = paidValueMinor(order, order.items);
  return goodsMinor > 0 && paidValueMinor(order, [...lines]) + earlier.amountMinor >= goodsMinor;
}

/** What can still be refunded on the order: paid minus refunded before, never below 0. */
export function refundableMinor(order: OrderSnapshot, alreadyRefundedMinor: number): number {
  return Math.max(0, order.paidTotalMinor - alreadyRefundedMinor);
}

/** What refunding the lines would pay: their paid value (paidValueMinor), as far as the order has money left after `alreadyRefundedMinor`. */
export function refundableValueMinor(order: OrderSnapshot, lines: SkuQuantity[], alreadyRefundedMinor: number): number {
  return Math.min(paidValueMinor(order, lines), refundableMinor(order, alreadyRefundedMinor));
}

/** A refund must be a whole amount ≥ 0 and at most what was paid and not yet refunded. */
export function validateRefundAmount(order: OrderSnapshot, amountMinor: unknown, alreadyRefundedMinor: unknown, field = 'refundMinor'): Problem[] {
  const problems = [...checkAmount(amountMinor, field), ...checkAmount(alreadyRefundedMinor, 'alreadyRefundedMinor')];
  if (problems.length) return problems;
  const left = refundableMinor(order, alreadyRefundedMinor as number);
  if ((amountMinor as number) > left) {
    problems.push({ field, reason: `${amountMinor} is more than the ${left} still refundable (paid ${order.paidTotalMinor}, refunded before ${alreadyRefundedMinor})` });
  }
  return problems;
}

/** A required text (a reason, a name, a cause): present and not blank. */
export function checkText(value: unknown, field: string, max = 500): Problem[] {
  if (typeof value !== 'string' || !value.trim()) return [{ field, reason: 'is required' }];
  return value.length > max ? [{ field, reason: `must be at most ${max} characters` }] : [];
}

/**
 * The ordered goods that did not come back whole from a parcel the courier brought back (an
 * intercepted order): the order's quantity less what came back in order (OK). What the courier is
 * claimed for.
 */
export function notBackWhole(order: OrderSnapshot, inspected: InspectedLine[]): SkuQuantity[] {
  return order.items
    .map((item) => ({ sku: item.sku, quantity: item.quantity - inspected.filter((l) => l.sku === item.sku && l.condition === 'OK').reduce((sum, l) => sum + l.receivedQuantity, 0) }))
    .filter((l) => l.quantity > 0);
}
