/**
 * 质量问题 — quality problem (003 §五, 004 §三.4, docs/after-sales.md §6): first rule out misuse; offer a
 * small discount; a customer who insists gets a free return or exchange (包邮退换); where a
 * repair department exists, it records fault cause, method and parts.
 */
import { decision, type Decision } from '../policy.js';
import type { OrderSnapshot, Problem } from '../return-refund.js';
import { checkAmount, checkText, isWhole, paidValueMinor, refundableMinor, validateOrderLines, type SkuQuantity } from './common.js';
import type { FulfilmentPolicy } from './rules.js';

/** What the agent established with the customer (003 §五.1 首先要和顾客确认是否使用不当). */
export type MisuseFinding = 'NO_MISUSE' | 'MISUSE' | 'UNCONFIRMED';

/**
 * The discount offered first (003 §五.2 折扣几元钱): qualityDiscountPercent of what the affected
 * goods were paid, rounded down to a minor unit, capped at qualityDiscountMaxMinor and at what is
 * still refundable.
 */
export function qualityDiscountMinor(policy: FulfilmentPolicy, order: OrderSnapshot, lines: SkuQuantity[], alreadyRefundedMinor: number): number {
  const r = policy.rules;
  const byPercent = Math.floor((paidValueMinor(order, lines) * r.qualityDiscountPercent) / 100);
  return Math.min(byPercent, r.qualityDiscountMaxMinor, refundableMinor(order, alreadyRefundedMinor));
}

/**
 * The first step: misuse → the customer's own damage, negotiated like customer-caused transit
 * damage (004 §二.2); not yet confirmed → ask the customer before anything is offered; no misuse
 * → offer the discount (NO_DISCOUNT when it comes to nothing).
 */
export function decideQualityFirstStep(policy: FulfilmentPolicy, order: OrderSnapshot, lines: SkuQuantity[], misuse: MisuseFinding, alreadyRefundedMinor: number): Decision {
  const problems = [...validateOrderLines(order, lines, 'lines'), ...checkAmount(alreadyRefundedMinor, 'alreadyRefundedMinor')];
  if (problems.length) return decision(policy, 'validQualityCase', { problems }, 'INVALID');
  if (misuse === 'MISUSE') return decision(policy, 'qualityMisuseCheck', { misuse, customerFee: 'NEGOTIATED' }, 'CUSTOMER_CAUSED');
  if (misuse !== 'NO_MISUSE') return decision(policy, 'qualityMisuseCheck', { misuse }, 'ASK_CUSTOMER');
  const r = policy.rules;
  const discountMinor = qualityDiscountMinor(policy, order, lines, alreadyRefundedMinor);
  const values = { misuse, affectedPaidMinor: paidValueMinor(order, lines), qualityDiscountPercent: r.qualityDiscountPercent, qualityDiscountMaxMinor: r.qualityDiscountMaxMinor, discountMinor, currency: order.currency };
  // A discount of nothing (the merchant offers none, nothing left to refund) is no offer: straight to the free return or exchange.
  return decision(policy, 'qualityDiscount', values, discountMinor > 0 ? 'OFFER_DISCOUNT' : 'NO_DISCOUNT');
}

/**
 * The customer's answer to the discount: accepted → refund the discount only (an expense note,
 * 003 §五.4.1); insists on a return → free return or exchange, the shop pays shipping both ways
 * (003 §五.3 包邮退换) — through repair first when the merchant has a repair department and the
 * customer wants an exchange.
 */
export function decideQualityAnswer(policy: FulfilmentPolicy, acceptsDiscount: boolean, hasRepairDepartment: boolean): Decision {
  if (acceptsDiscount) return decision(policy, 'qualityDiscount', { acceptsDiscount }, 'DISCOUNT_REFUND');
  const options = hasRepairDepartment ? ['REPAIR', 'EXCHANGE', 'RETURN_REFUND'] : ['EXCHANGE', 'RETURN_REFUND'];
  return decision(policy, 'qualityInsists', { acceptsDiscount, shopPaysShippingBothWays: true, options }, 'FREE_RETURN_EXCHANGE');
}

export interface RepairPart {
  partNo: string;
  name?: string;
  quantity: number;
  unitCostMinor: number;
}

/** 004 §三.4: 故障原因、維修方法、更換的零部件 — recorded for every repair. */
export interface RepairRecord {
  sku: string;
  faultCause: string;
  method: string;
  parts: RepairPart[];
  labourCostMinor: number;
  /** Repaired and working (正常使用) before it goes back; false: the repair could not fix it. */
  working: boolean;
}

/** `caseLines`: the goods the case is about (the repair is of one of them), when known. */
export function validateRepairRecord(order: OrderSnapshot, record: RepairRecord, caseLines?: ReadonlyArray<{ sku: string }>): Problem[] {
  const problems: Problem[] = [];
  if (!order.items.some((i) => i.sku === record.sku)) problems.push({ field: 'sku', reason: `${record.sku} is not part of order ${order.orderId}` });
  else if (caseLines && !caseLines.some((l) => l.sku === record.sku)) problems.push({ field: 'sku', reason: `${record.sku} is not among the goods this case is about (${caseLines.map((l) => l.sku).join(', ')})` });
  problems.push(...checkText(record.faultCause, 'faultCause'), ...checkText(record.method, 'method'), ...checkAmount(record.labourCostMinor, 'labourCostMinor'));
  if (!Array.isArray(record.parts)) problems.push({ field: 'parts', reason: 'must be a list (empty when no part was changed)' });
  (Array.isArray(record.parts) ? record.parts : []).forEach((p, i) => {
    problems.push(...checkText(p.partNo, `parts[${i}].partNo`, 100));
    if (!isWhole(p.quantity, 1)) problems.push({ field: `parts[${i}].quantity`, reason: 'must be a whole number ≥ 1' });
    problems.push(...checkAmount(p.unitCostMinor, `parts[${i}].unitCostMinor`));
  });
  // Not working after the repair: recorded too, and the case goes to an agent (a replacement or a refund instead).
  if (typeof record.working !== 'boolean') problems.push({ field: 'working', reason: 'must be true (the goods work again) or false (the repair could not fix them: an agent then decides on a replacement or a refund)' });
  return problems;
}

/** What the repair cost: parts at cost plus labour (for the case's cost ledger, 004 §七). */
export const repairCostMinor = (record: RepairRecord) => record.labourCostMinor + record.parts.reduce((s, p) => s + p.quantity * p.unitCostMinor, 0);
