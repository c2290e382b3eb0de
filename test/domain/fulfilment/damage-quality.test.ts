import { describe, expect, it } from 'vitest';
import {
  damageClaimMinor,
  damageLiability,
  decideMinorDamageRefund,
  decideQualityAnswer,
  decideQualityFirstStep,
  decideSevereDamage,
  minorDamageRefundCap,
  orderProfitMinor,
  qualityDiscountMinor,
  repairCostMinor,
  validateDamageReport,
  validateRefundAmount,
  validateRepairRecord,
  type RepairRecord,
} from '../../../domain/fulfilment/index.js';
import { order, policy, withRules } from './fixtures.js';

const lamp = [{ sku: 'LAMP', quantity: 1 }];
// Profit: 3 × (33.33 − 12.00) + (1500 − 900) + 2 × (5 − 1) = 671.99.
const PROFIT = 67_199;

describe('transit damage (003 §四, 004 §二.2)', () => {
  it('the register: customer handle, SKU, degree, and photos first', () => {
    expect(validateDamageReport(order, { customerHandle: 'tb_小王', lines: lamp, degree: 'MINOR', photoUrls: ['https://img.example.com/1.jpg'] })).toEqual([]);
    expect(validateDamageReport(order, { customerHandle: ' ', lines: [{ sku: 'LAMP', quantity: 2 }], degree: 'BROKEN' as never, photoUrls: [] }).map((p) => p.field)).toEqual([
      'customerHandle',
      'lines[0].quantity',
      'degree',
      'photoUrls',
    ]);
    expect(validateDamageReport(order, { customerHandle: 'x', lines: lamp, degree: 'SEVERE', photoUrls: ['file:///a.jpg'] })).toEqual([{ field: 'photoUrls[0]', reason: 'must be an http(s) URL' }]);
  });
  it("the order's profit, never below 0", () => {
    expect(orderProfitMinor(order)).toBe(PROFIT);
    expect(orderProfitMinor({ ...order, items: [{ sku: 'A', name: 'a', quantity: 1, unitPriceMinor: 100, unitCostMinor: 300 }] })).toBe(0);
  });
  it('the minor-damage cap: profit, return shipping, or the lower — and what is still refundable', () => {
    expect(minorDamageRefundCap(policy, order, 1500, 0).capMinor).toBe(1500);
    expect(minorDamageRefundCap(withRules({ minorDamageCap: 'ORDER_PROFIT' }), order, 1500, 0).capMinor).toBe(PROFIT);
    expect(minorDamageRefundCap(withRules({ minorDamageCap: 'RETURN_SHIPPING' }), order, 99_999, 0).capMinor).toBe(99_999);
    expect(minorDamageRefundCap(withRules({ minorDamageCap: 'LOWER_OF_BOTH' }), order, 99_999, 0).capMinor).toBe(PROFIT);
    expect(minorDamageRefundCap(policy, order, 1500, order.paidTotalMinor - 700).capMinor).toBe(700);
  });
  it('a proposal at the cap is approved, one minor unit above goes to an agent; a reminder to inspect on signing', () => {
    expect(decideMinorDamageRefund(policy, order, 1500, 1500, 0)).toEqual({
      rule: 'minorDamageCap',
      policyVersion: 7,
      outcome: 'APPROVE',
      values: { minorDamageCap: 'LOWER_OF_BOTH', orderProfitMinor: PROFIT, returnShippingCostMinor: 1500, refundableMinor: order.paidTotalMinor, proposedMinor: 1500, capMinor: 1500, remindInspectOnSigning: true, currency: 'CNY' },
    });
    expect(decideMinorDamageRefund(policy, order, 1501, 1500, 0).outcome).toBe('NEEDS_AGENT');
  });
  it('refunds above what was paid, negative amounts and bad shipping are named', () => {
    expect(decideMinorDamageRefund(policy, order, order.paidTotalMinor + 1, 1500, 0).values.problems).toEqual([
      { field: 'proposedMinor', reason: `${order.paidTotalMinor + 1} is more than the ${order.paidTotalMinor} still refundable (paid ${order.paidTotalMinor}, refunded before 0)` },
    ]);
    expect(decideMinorDamageRefund(policy, order, -1, -1, -1)).toMatchObject({ outcome: 'INVALID', values: { problems: [{ field: 'proposedMinor' }, { field: 'alreadyRefundedMinor' }, { field: 'returnShippingCostMinor' }] } });
    expect(validateRefundAmount(order, 100, order.paidTotalMinor - 100)).toEqual([]);
    expect(validateRefundAmount(order, 101, order.paidTotalMinor - 100)[0].field).toBe('refundMinor');
  });
  it('severe: return; otherwise partial if the goods are of use, full if not', () => {
    expect(decideSevereDamage(policy, true, false, 'TRANSPORT')).toMatchObject({ rule: 'severeDamage', outcome: 'RETURN', values: { returnShippingPaidBy: 'SHOP' } });
    expect(decideSevereDamage(policy, false, true, 'UNKNOWN')).toMatchObject({ outcome: 'PARTIAL_REFUND', values: { returnShippingPaidBy: 'NEGOTIATED' } });
    expect(decideSevereDamage(policy, false, false, 'CUSTOMER').outcome).toBe('FULL_REFUND');
  });
  it('the courier is asked for what the damage cost the shop: a kept item’s refund, else what was paid', () => {
    const severe = { degree: 'SEVERE' as const, returnPossible: false, goodsUsable: true };
    expect(damageClaimMinor(order, lamp, { degree: 'MINOR', returnPossible: true, goodsUsable: true, proposedRefundMinor: 20_000 })).toBe(20_000);
    expect(damageClaimMinor(order, lamp, { ...severe, partialRefundMinor: 90_000 })).toBe(90_000);
    // Comes back, or is of no use: the whole price; never more than that, and a kept item refunded nothing is still worth its price.
    expect(damageClaimMinor(order, lamp, { ...severe, returnPossible: true, partialRefundMinor: 90_000 })).toBe(150_000);
    expect(damageClaimMinor(order, lamp, { ...severe, goodsUsable: false })).toBe(150_000);
    expect(damageClaimMinor(order, lamp, { ...severe, partialRefundMinor: 200_000 })).toBe(150_000);
    expect(damageClaimMinor(order, lamp, { ...severe, partialRefundMinor: 0 })).toBe(150_000);
  });

  it('the cause decides who pays', () => {
    expect(damageLiability('TRANSPORT')).toMatchObject({ bearer: 'COURIER', courierClaim: true, remedy: 'CLAIM_AND_RESOLVE' });
    expect(damageLiability('PRODUCT_DEFECT')).toMatchObject({ bearer: 'SHOP', courierClaim: false, shopPaysShippingBothWays: true, remedy: 'FREE_EXCHANGE_OR_REPAIR' });
    expect(damageLiability('CUSTOMER')).toMatchObject({ bearer: 'CUSTOMER', shopPaysShippingBothWays: false, customerFee: 'NEGOTIATED', remedy: 'NEGOTIATE' });
    expect(damageLiability('UNKNOWN')).toMatchObject({ bearer: 'TO_BE_INSPECTED', remedy: 'INSPECT' });
  });
});

describe('quality problem (003 §五, 004 §三.4)', () => {
  it('the discount: percent of what was paid, rounded down, capped, never above refundable', () => {
    expect(qualityDiscountMinor(policy, order, [{ sku: 'MUG', quantity: 1 }], 0)).toBe(333);
    expect(qualityDiscountMinor(policy, order, lamp, 0)).toBe(1000);
    expect(qualityDiscountMinor(withRules({ qualityDiscountMaxMinor: 15_000 }), order, lamp, 0)).toBe(15_000);
    expect(qualityDiscountMinor(policy, order, lamp, order.paidTotalMinor - 10)).toBe(10);
  });
  it('misuse first: misuse → the customer’s, unconfirmed → ask, none → offer the discount', () => {
    expect(decideQualityFirstStep(policy, order, lamp, 'MISUSE', 0)).toMatchObject({ rule: 'qualityMisuseCheck', outcome: 'CUSTOMER_CAUSED' });
    expect(decideQualityFirstStep(policy, order, lamp, 'UNCONFIRMED', 0).outcome).toBe('ASK_CUSTOMER');
    expect(decideQualityFirstStep(policy, order, lamp, 'NO_MISUSE', 0)).toEqual({
      rule: 'qualityDiscount',
      policyVersion: 7,
      outcome: 'OFFER_DISCOUNT',
      values: { misuse: 'NO_MISUSE', affectedPaidMinor: 150_000, qualityDiscountPercent: 10, qualityDiscountMaxMinor: 1000, discountMinor: 1000, currency: 'CNY' },
    });
    // A discount that comes to nothing is no offer: a merchant offering none, an order refunded in full.
    expect(decideQualityFirstStep(withRules({ qualityDiscountPercent: 0 }), order, lamp, 'NO_MISUSE', 0)).toMatchObject({ outcome: 'NO_DISCOUNT', values: { discountMinor: 0 } });
    expect(decideQualityFirstStep(policy, order, lamp, 'NO_MISUSE', order.paidTotalMinor).outcome).toBe('NO_DISCOUNT');
    expect(decideQualityFirstStep(policy, order, [{ sku: 'NOPE', quantity: 1 }], 'NO_MISUSE', 0).outcome).toBe('INVALID');
    expect(decideQualityFirstStep(policy, order, lamp, 'NO_MISUSE', -5).outcome).toBe('INVALID');
  });
  it('accepted → the discount is refunded; insisting → free return or exchange, repair where there is a department', () => {
    expect(decideQualityAnswer(policy, true, true).outcome).toBe('DISCOUNT_REFUND');
    expect(decideQualityAnswer(policy, false, false)).toMatchObject({ rule: 'qualityInsists', outcome: 'FREE_RETURN_EXCHANGE', values: { shopPaysShippingBothWays: true, options: ['EXCHANGE', 'RETURN_REFUND'] } });
    expect(decideQualityAnswer(policy, false, true).values.options).toEqual(['REPAIR', 'EXCHANGE', 'RETURN_REFUND']);
  });
  it('a repair record names fault cause, method and parts', () => {
    const record: RepairRecord = { sku: 'LAMP', faultCause: '开关接触不良', method: '更换开关', parts: [{ partNo: 'SW-01', quantity: 2, unitCostMinor: 150 }], labourCostMinor: 2000, working: true };
    expect(validateRepairRecord(order, record)).toEqual([]);
    expect(validateRepairRecord(order, { ...record, parts: [] })).toEqual([]);
    expect(repairCostMinor(record)).toBe(2300);
    // A repair that could not fix the goods is recorded too (the case then goes to an agent); "working" must say yes or no.
    expect(validateRepairRecord(order, { ...record, working: false })).toEqual([]);
    // Of the goods the case is about: another item of the order is not this case's to repair.
    expect(validateRepairRecord(order, record, [{ sku: 'LAMP' }])).toEqual([]);
    expect(validateRepairRecord(order, { ...record, sku: 'MUG' }, [{ sku: 'LAMP' }])).toEqual([{ field: 'sku', reason: 'MUG is not among the goods this case is about (LAMP)' }]);
    const bad = { sku: 'NOPE', faultCause: '', method: ' ', parts: [{ partNo: '', quantity: 0, unitCostMinor: -1 }], labourCostMinor: -1, working: 'no' as unknown as boolean };
    expect(validateRepairRecord(order, bad).map((p) => p.field)).toEqual(['sku', 'faultCause', 'method', 'labourCostMinor', 'parts[0].partNo', 'parts[0].quantity', 'parts[0].unitCostMinor', 'working']);
    expect(validateRepairRecord(order, { ...record, parts: undefined as never })).toEqual([{ field: 'parts', reason: 'must be a list (empty when no part was changed)' }]);
  });
});
