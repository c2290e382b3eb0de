/**
 * 少货 — missing items (003 §二, docs/after-sales.md §2). Three records are checked — the outbound record
 * (出库单底单), the parcel weight on the waybill (快递单称重) and the stock count (库存数量) — and
 * give a verdict; the remedy follows from the verdict and the value and weight of what is missing.
 */
import { decision, type Decision } from '../policy.js';
import type { OrderSnapshot, Problem } from '../return-refund.js';
import { checkAmount, isWhole, paidValueMinor, refundableMinor, validateOrderLines, type SkuQuantity } from './common.js';
import type { FulfilmentPolicy, FulfilmentRules } from './rules.js';

export interface StockCountLine {
  sku: string;
  /** What the stock system says is on the shelf after the shipment. */
  systemQuantity: number;
  /** What the warehouse counted. */
  countedQuantity: number;
}

export interface MissingItemsEvidence {
  /** Units the outbound record shows per SKU (a SKU not listed: 0). Absent: not looked up. */
  outboundRecord?: SkuQuantity[];
  /** Weight on the waybill, grams. */
  waybillWeightGrams?: number;
  /** Unit weight of every SKU of the order, grams, and the packaging. */
  unitWeightsGrams?: Record<string, number>;
  packagingWeightGrams?: number;
  stockCount?: StockCountLine[];
}

/** SHORT: this record shows the goods did not leave. COMPLETE: it shows they did. UNKNOWN: it cannot tell. */
export type CheckResult = 'SHORT' | 'COMPLETE' | 'UNKNOWN';
export interface Check {
  result: CheckResult;
  why: string;
  values: Record<string, unknown>;
}
export type MissingVerdict = 'CONFIRMED_SHORT' | 'NOT_SHORT' | 'UNVERIFIABLE';

/** The claim and its evidence: valid lines (≤ ordered), whole non-negative weights and counts. */
export function validateMissingItemsClaim(order: OrderSnapshot, claimed: SkuQuantity[], evidence: MissingItemsEvidence): Problem[] {
  const problems = validateOrderLines(order, claimed, 'claimed');
  const grams = (v: unknown, field: string) => (v === undefined || isWhole(v, 0) ? [] : [{ field, reason: `must be a whole number of grams ≥ 0, got ${JSON.stringify(v)}` }]);
  problems.push(...grams(evidence.waybillWeightGrams, 'evidence.waybillWeightGrams'), ...grams(evidence.packagingWeightGrams, 'evidence.packagingWeightGrams'));
  for (const [sku, w] of Object.entries(evidence.unitWeightsGrams ?? {})) problems.push(...grams(w, `evidence.unitWeightsGrams.${sku}`));
  (evidence.outboundRecord ?? []).forEach((l, i) => {
    if (!isWhole(l.quantity, 0)) problems.push({ field: `evidence.outboundRecord[${i}].quantity`, reason: 'must be a whole number ≥ 0' });
  });
  (evidence.stockCount ?? []).forEach((l, i) => {
    if (!isWhole(l.systemQuantity, 0)) problems.push({ field: `evidence.stockCount[${i}].systemQuantity`, reason: 'must be a whole number ≥ 0' });
    if (!isWhole(l.countedQuantity, 0)) problems.push({ field: `evidence.stockCount[${i}].countedQuantity`, reason: 'must be a whole number ≥ 0' });
  });
  return problems;
}

/** One result for several SKUs: all SHORT → SHORT, all COMPLETE → COMPLETE, otherwise UNKNOWN. */
const all = (results: CheckResult[]): CheckResult => (results.every((r) => r === 'SHORT') ? 'SHORT' : results.every((r) => r === 'COMPLETE') ? 'COMPLETE' : 'UNKNOWN');

/** 一查出库单底单: recorded ≤ ordered − claimed → SHORT; recorded ≥ ordered → COMPLETE (on paper only). */
export function checkOutboundRecord(order: OrderSnapshot, claimed: SkuQuantity[], record: SkuQuantity[] | undefined): Check {
  if (!record) return { result: 'UNKNOWN', why: 'the outbound record was not looked up', values: {} };
  const perSku = claimed.map((c) => {
    const ordered = order.items.find((i) => i.sku === c.sku)?.quantity ?? 0;
    const recorded = record.filter((r) => r.sku === c.sku).reduce((s, r) => s + r.quantity, 0);
    const result: CheckResult = recorded <= ordered - c.quantity ? 'SHORT' : recorded >= ordered ? 'COMPLETE' : 'UNKNOWN';
    return { sku: c.sku, ordered, recorded, claimed: c.quantity, result };
  });
  return { result: all(perSku.map((p) => p.result)), why: 'outbound record against the order', values: { perSku } };
}

/** The scale's tolerance for an expected weight: the larger of the fixed grams and the percentage. */
export const weightToleranceGrams = (rules: FulfilmentRules, expectedGrams: number) => Math.max(rules.weightToleranceGrams, Math.floor((expectedGrams * rules.weightTolerancePercent) / 100));

/**
 * 二看快递单称重: the waybill weight within tolerance of the full parcel → COMPLETE; within
 * tolerance of the parcel without the claimed goods → SHORT. The scale can tell only when the
 * missing goods weigh more than twice the tolerance (otherwise both ranges overlap).
 */
export function checkWaybillWeight(rules: FulfilmentRules, order: OrderSnapshot, claimed: SkuQuantity[], evidence: MissingItemsEvidence): Check {
  const w = evidence.unitWeightsGrams ?? {};
  const unweighed = order.items.filter((i) => !Object.hasOwn(w, i.sku)).map((i) => i.sku);
  if (evidence.waybillWeightGrams === undefined || unweighed.length) return { result: 'UNKNOWN', why: 'waybill weight or unit weights missing', values: { unweighed } };
  const expected = (evidence.packagingWeightGrams ?? 0) + order.items.reduce((s, i) => s + i.quantity * w[i.sku], 0);
  const missing = claimed.reduce((s, c) => s + c.quantity * (w[c.sku] ?? 0), 0);
  const tolerance = weightToleranceGrams(rules, expected);
  const waybill = evidence.waybillWeightGrams;
  const values = { waybillWeightGrams: waybill, expectedWeightGrams: expected, missingWeightGrams: missing, toleranceGrams: tolerance };
  if (missing <= 2 * tolerance) return { result: 'UNKNOWN', why: 'the missing goods are too light for the scale to tell', values };
  if (Math.abs(waybill - expected) <= tolerance) return { result: 'COMPLETE', why: 'the parcel weighed what the whole order weighs', values };
  if (Math.abs(waybill - (expected - missing)) <= tolerance) return { result: 'SHORT', why: 'the parcel weighed the order without the missing goods', values };
  return { result: 'UNKNOWN', why: 'the weight matches neither the whole order nor the order without the missing goods', values };
}

/** 三数库存数量: the missing units still on the shelf (counted − system ≥ claimed) → SHORT; count = system → COMPLETE. */
export function checkStockCount(claimed: SkuQuantity[], count: StockCountLine[] | undefined): Check {
  if (!count) return { result: 'UNKNOWN', why: 'the stock was not counted', values: {} };
  const perSku = claimed.map((c) => {
    const line = count.find((l) => l.sku === c.sku);
    const surplus = line ? line.countedQuantity - line.systemQuantity : undefined;
    const result: CheckResult = surplus === undefined ? 'UNKNOWN' : surplus >= c.quantity ? 'SHORT' : surplus === 0 ? 'COMPLETE' : 'UNKNOWN';
    return { sku: c.sku, claimed: c.quantity, surplus, result };
  });
  return { result: all(perSku.map((p) => p.result)), why: 'stock count against the stock system', values: { perSku } };
}

/**
 * The verdict of the three checks. CONFIRMED_SHORT: some check shows the goods did not leave and
 * none shows they did. NOT_SHORT: a physical check (weight or stock) shows they left and none
 * says otherwise — the paper record alone never proves a parcel complete. Anything else
 * (nothing conclusive, or checks that disagree) is UNVERIFIABLE.
 */
export function missingItemsVerdict(policy: FulfilmentPolicy, order: OrderSnapshot, claimed: SkuQuantity[], evidence: MissingItemsEvidence): { verdict: MissingVerdict; decision: Decision } {
  const problems = validateMissingItemsClaim(order, claimed, evidence);
  if (problems.length) return { verdict: 'UNVERIFIABLE', decision: decision(policy, 'validMissingItemsClaim', { problems }, 'INVALID') };
  const checks = {
    outboundRecord: checkOutboundRecord(order, claimed, evidence.outboundRecord),
    waybillWeight: checkWaybillWeight(policy.rules, order, claimed, evidence),
    stockCount: checkStockCount(claimed, evidence.stockCount),
  };
  const results = Object.values(checks).map((c) => c.result);
  const physicalComplete = checks.waybillWeight.result === 'COMPLETE' || checks.stockCount.result === 'COMPLETE';
  const verdict: MissingVerdict =
    results.includes('SHORT') && !results.includes('COMPLETE') ? 'CONFIRMED_SHORT' : !results.includes('SHORT') && physicalComplete ? 'NOT_SHORT' : 'UNVERIFIABLE';
  return { verdict, decision: decision(policy, 'missingItemsThreeChecks', { checks, claimed }, verdict) };
}

/**
 * The remedy (003 §二.4-5). Records show the parcel left complete → show the customer the
 * evidence (an agent; an opened parcel is a courier claim). Otherwise, small amount
 * (≤ smallAmountMaxMinor) AND small and light (≤ smallLightMaxWeightGrams, weights known) →
 * refund at once, confirmed or not; anything bigger → apologise, the customer chooses refund or
 * re-shipment. The refund never exceeds what is still refundable on the order.
 */
export function decideMissingItemsRemedy(
  policy: FulfilmentPolicy,
  order: OrderSnapshot,
  claimed: SkuQuantity[],
  verdict: MissingVerdict,
  evidence: Pick<MissingItemsEvidence, 'unitWeightsGrams'>,
  alreadyRefundedMinor: number,
): Decision {
  const problems = [...validateOrderLines(order, claimed, 'claimed'), ...checkAmount(alreadyRefundedMinor, 'alreadyRefundedMinor')];
  if (problems.length) return decision(policy, 'validMissingItemsClaim', { problems }, 'INVALID');
  const r = policy.rules;
  const valueMinor = paidValueMinor(order, claimed);
  const w = evidence.unitWeightsGrams ?? {};
  const weighed = claimed.every((c) => Object.hasOwn(w, c.sku));
  const weightGrams = weighed ? claimed.reduce((s, c) => s + c.quantity * w[c.sku], 0) : undefined;
  const refundMinor = Math.min(valueMinor, refundableMinor(order, alreadyRefundedMinor));
  const values = { verdict, valueMinor, weightGrams, refundMinor, smallAmountMaxMinor: r.smallAmountMaxMinor, smallLightMaxWeightGrams: r.smallLightMaxWeightGrams, currency: order.currency };
  if (verdict === 'NOT_SHORT') return decision(policy, 'missingItemsNotShort', values, 'EXPLAIN_WITH_EVIDENCE');
  if (valueMinor <= r.smallAmountMaxMinor && weightGrams !== undefined && weightGrams <= r.smallLightMaxWeightGrams) {
    return decision(policy, 'smallAmountMaxMinor', values, 'REFUND_NOW');
  }
  return decision(policy, 'missingItemsCustomerChooses', { ...values, options: ['REFUND', 'RESHIP'], apologise: true }, 'CUSTOMER_CHOOSES');
}
