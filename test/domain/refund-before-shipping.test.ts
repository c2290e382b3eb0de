import { describe, expect, it } from 'vitest';
import { decideRefundBeforeShipping, defaultPolicy, refundableMinor, refundOutcome, type OrderSnapshot } from '../../domain/index.js';

const policy = { ...defaultPolicy(), version: 4 };

describe('refund before shipping', () => {
  it('not picked and a clear reason: cancel and refund now', () => {
    expect(decideRefundBeforeShipping(policy, 'NOT_PICKED', 'NO_LONGER_WANTED')).toEqual({
      rule: 'refundBeforeShipping',
      values: { dispatchStatus: 'NOT_PICKED', reason: 'NO_LONGER_WANTED', merchantAnswerHours: 24 },
      policyVersion: 4,
      outcome: 'REFUND_NOW',
    });
  });

  it('picked or packed, or an unclear reason: the merchant answers within the hours, silence refunds', () => {
    expect(decideRefundBeforeShipping(policy, 'PICKED', 'NO_LONGER_WANTED').outcome).toBe('MERCHANT_DECIDES');
    expect(decideRefundBeforeShipping(policy, 'PACKED', 'DUPLICATE_ORDER').outcome).toBe('MERCHANT_DECIDES');
    expect(decideRefundBeforeShipping(policy, 'NOT_PICKED', 'OTHER')).toMatchObject({ rule: 'merchantAnswerHours', outcome: 'MERCHANT_DECIDES' });
  });

  it('shipped: not here; already cancelled: just refund', () => {
    expect(decideRefundBeforeShipping(policy, 'SHIPPED', 'NO_LONGER_WANTED')).toMatchObject({ rule: 'orderNotShipped', outcome: 'ALREADY_SHIPPED' });
    expect(decideRefundBeforeShipping(policy, 'CANCELLED', 'OTHER').outcome).toBe('REFUND_NOW');
  });

  it('refunds what is still refundable, never below zero', () => {
    const paid = (paidTotalMinor: number): OrderSnapshot => ({ orderId: 'o', currency: 'CNY', items: [{ sku: 'A', name: 'A', quantity: 1, unitPriceMinor: paidTotalMinor, unitCostMinor: 0 }], shippingFeeMinor: 0, paidTotalMinor });
    expect(refundableMinor(paid(15_999), 0)).toBe(15_999);
    expect(refundableMinor(paid(15_999), 5_000)).toBe(10_999);
    expect(refundableMinor(paid(1_000), 5_000)).toBe(0);
  });
});

describe('refundOutcome: what a refund came to against what was asked', () => {
  it('all of it, part of it, none of it', () => {
    expect(refundOutcome(13_800, 13_800)).toBe('REFUNDED');
    expect(refundOutcome(13_800, 5_000)).toBe('CAPPED');
    expect(refundOutcome(13_800, 0)).toBe('NOTHING_LEFT');
    expect(refundOutcome(0, 0)).toBe('NOTHING_LEFT');
  });
});
