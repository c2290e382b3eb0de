/**
 * 运输破损 — transit damage (003 §四, 004 §二.2, docs/after-sales.md §5): photos first and the goods kept as
 * they are; minor damage → a partial refund under a cap; severe → return, or a partial / full
 * refund when neither return nor exchange is possible; the cause decides who pays.
 */
import { HTTP_URL_REASON } from '../evidence.js';
import { decision, type Decision } from '../policy.js';
import type { OrderSnapshot, Problem } from '../return-refund.js';
import { checkAmount, checkText, paidValueMinor, refundableMinor, validateOrderLines, validateRefundAmount, type SkuQuantity } from './common.js';
import type { FulfilmentPolicy } from './rules.js';

export type DamageDegree = 'MINOR' | 'SEVERE';
export const DAMAGE_DEGREES: readonly DamageDegree[] = ['MINOR', 'SEVERE'];

/** TRANSPORT: the courier's; PRODUCT_DEFECT: the goods' own fault; CUSTOMER: caused by the customer; UNKNOWN: not yet inspected. */
export type DamageCause = 'TRANSPORT' | 'PRODUCT_DEFECT' | 'CUSTOMER' | 'UNKNOWN';
export const DAMAGE_CAUSES: readonly DamageCause[] = ['TRANSPORT', 'PRODUCT_DEFECT', 'CUSTOMER', 'UNKNOWN'];

/** The register of 003 §四.4: 旺旺名 (the customer's shop handle), the SKU, the degree; plus the photos. */
export interface DamageReport {
  customerHandle: string;
  lines: SkuQuantity[];
  degree: DamageDegree;
  photoUrls: string[];
}

export function validateDamageReport(order: OrderSnapshot, report: DamageReport): Problem[] {
  const problems = [...checkText(report.customerHandle, 'customerHandle', 100), ...validateOrderLines(order, report.lines, 'lines')];
  if (!DAMAGE_DEGREES.includes(report.degree)) problems.push({ field: 'degree', reason: `must be one of ${DAMAGE_DEGREES.join(', ')}` });
  if (!report.photoUrls?.length) problems.push({ field: 'photoUrls', reason: 'photos of the damage come first (003 §四.1)' });
  (report.photoUrls ?? []).forEach((url, i) => {
    if (typeof url !== 'string' || !/^https?:\/\/[^\s/]+\S*$/.test(url)) problems.push({ field: `photoUrls[${i}]`, reason: HTTP_URL_REASON });
  });
  return problems;
}

/** 订单总利润: Σ (price paid − cost) × quantity over the whole order, never below 0. */
export function orderProfitMinor(order: OrderSnapshot): number {
  return Math.max(0, order.items.reduce((s, i) => s + i.quantity * (i.unitPriceMinor - i.unitCostMinor), 0));
}

/**
 * The cap of a minor-damage refund (003 §四.1 尽量不超过订单总利润或者退款运费): the order's
 * profit, the return shipping, or the lower of both, as policy names (minorDamageCap) — and never
 * more than is still refundable.
 */
export function minorDamageRefundCap(policy: FulfilmentPolicy, order: OrderSnapshot, returnShippingCostMinor: number, alreadyRefundedMinor: number): { capMinor: number; values: Record<string, unknown> } {
  const basis = policy.rules.minorDamageCap;
  const profit = orderProfitMinor(order);
  const byBasis = basis === 'ORDER_PROFIT' ? profit : basis === 'RETURN_SHIPPING' ? returnShippingCostMinor : Math.min(profit, returnShippingCostMinor);
  const refundable = refundableMinor(order, alreadyRefundedMinor);
  return { capMinor: Math.min(byBasis, refundable), values: { minorDamageCap: basis, orderProfitMinor: profit, returnShippingCostMinor, refundableMinor: refundable } };
}

/**
 * A proposed partial refund for minor damage: at or under the cap → APPROVE; above → an agent
 * (a return may cost less). Either way the customer is reminded that inspecting on signing
 * (签收验货) avoids this.
 */
export function decideMinorDamageRefund(policy: FulfilmentPolicy, order: OrderSnapshot, proposedMinor: number, returnShippingCostMinor: number, alreadyRefundedMinor: number): Decision {
  const problems = [...validateRefundAmount(order, proposedMinor, alreadyRefundedMinor, 'proposedMinor'), ...checkAmount(returnShippingCostMinor, 'returnShippingCostMinor')];
  if (problems.length) return decision(policy, 'validDamageRefund', { problems }, 'INVALID');
  const { capMinor, values } = minorDamageRefundCap(policy, order, returnShippingCostMinor, alreadyRefundedMinor);
  const all = { ...values, proposedMinor, capMinor, remindInspectOnSigning: true, currency: order.currency };
  return decision(policy, 'minorDamageCap', all, proposedMinor <= capMinor ? 'APPROVE' : 'NEEDS_AGENT');
}

/**
 * Severe damage (003 §四.2): the goods come back (who pays the return shipping follows the cause).
 * When neither return nor exchange is possible, minimise the loss: a partial refund if the goods
 * are still of use to the customer, a full refund if not.
 */
export function decideSevereDamage(policy: FulfilmentPolicy, returnPossible: boolean, goodsUsable: boolean, cause: DamageCause): Decision {
  const liability = damageLiability(cause);
  const values = { returnPossible, goodsUsable, cause, returnShippingPaidBy: liability.returnShippingPaidBy };
  if (returnPossible) return decision(policy, 'severeDamage', values, 'RETURN');
  return decision(policy, 'severeDamage', values, goodsUsable ? 'PARTIAL_REFUND' : 'FULL_REFUND');
}

/**
 * What the courier is asked for when it broke the goods: what the damage costs the shop as the
 * agent assessed it, never more. Goods the customer keeps with a partial refund cost that refund
 * (minor damage: the proposed one; severe but usable: the agreed one); goods that come back or are
 * unusable cost what was paid for them. Claiming the full value of goods the customer kept would
 * ask the courier for more than was lost.
 */
export function damageClaimMinor(order: OrderSnapshot, lines: SkuQuantity[], a: { degree: 'MINOR' | 'SEVERE'; returnPossible: boolean; goodsUsable: boolean; proposedRefundMinor?: number; partialRefundMinor?: number }): number {
  const value = paidValueMinor(order, lines);
  const kept = a.degree === 'MINOR' ? a.proposedRefundMinor : !a.returnPossible && a.goodsUsable ? a.partialRefundMinor : undefined;
  // A kept item with nothing refunded still had a value the courier damaged: claimed at that value.
  return kept !== undefined && kept > 0 ? Math.min(kept, value) : value;
}

export interface DamageLiability {
  /** Who bears the loss in the end. */
  bearer: 'COURIER' | 'SHOP' | 'CUSTOMER' | 'TO_BE_INSPECTED';
  courierClaim: boolean;
  /** Shipping both ways is the shop's (004 §二.2 承擔往返運費). */
  shopPaysShippingBothWays: boolean;
  returnShippingPaidBy: 'SHOP' | 'CUSTOMER' | 'NEGOTIATED';
  /** A repair fee or the like, agreed with the customer. */
  customerFee: 'NONE' | 'NEGOTIATED';
  remedy: 'CLAIM_AND_RESOLVE' | 'FREE_EXCHANGE_OR_REPAIR' | 'NEGOTIATE' | 'INSPECT';
}

/**
 * The cause decides who pays (004 §二.2): transport → the courier under the contract (the shop
 * resolves with the customer and claims); product defect → free exchange or repair, the shop pays
 * both ways; customer-caused → negotiate (e.g. a repair fee). Unknown → inspect first (on-site, or
 * sent back for testing), the return shipping negotiated meanwhile.
 */
export function damageLiability(cause: DamageCause): DamageLiability {
  switch (cause) {
    case 'TRANSPORT':
      return { bearer: 'COURIER', courierClaim: true, shopPaysShippingBothWays: true, returnShippingPaidBy: 'SHOP', customerFee: 'NONE', remedy: 'CLAIM_AND_RESOLVE' };
    case 'PRODUCT_DEFECT':
      return { bearer: 'SHOP', courierClaim: false, shopPaysShippingBothWays: true, returnShippingPaidBy: 'SHOP', customerFee: 'NONE', remedy: 'FREE_EXCHANGE_OR_REPAIR' };
    case 'CUSTOMER':
      return { bearer: 'CUSTOMER', courierClaim: false, shopPaysShippingBothWays: false, returnShippingPaidBy: 'CUSTOMER', customerFee: 'NEGOTIATED', remedy: 'NEGOTIATE' };
    case 'UNKNOWN':
      return { bearer: 'TO_BE_INSPECTED', courierClaim: false, shopPaysShippingBothWays: false, returnShippingPaidBy: 'NEGOTIATED', customerFee: 'NONE', remedy: 'INSPECT' };
  }
}
