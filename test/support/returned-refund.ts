/**
 * A refund sent back by the customer's bank, over HTTP: a refund before shipping (nothing picked)
 * paid as PENDING, then sent back by the payment simulator and heard by the worker's refund
 * follower. The platform has no clock to set: a check is made due by moving its time in the
 * database, then the follower is drained.
 */
import { expect } from 'vitest';
import type { PlatformUnderTest } from '../e2e/platform-harness.js';

export const holdOf = (pt: PlatformUnderTest, caseId: string) => pt.db.refundHold.findFirstOrThrow({ where: { caseId }, orderBy: { createdAt: 'asc' } });

/** Makes the refund's next check due now and lets the follower ask the provider. */
export async function askProviderNow(pt: PlatformUnderTest, stepKey: string): Promise<void> {
  await pt.db.$executeRaw`UPDATE "RefundHold" SET "checkAt" = now() WHERE "stepKey" = ${stepKey}`;
  await pt.platform.refundFollower.drain();
}

/** A refund before shipping of a whole order of 108.00 (two teas and the shipping fee). */
export const refundBeforeShipping = (orderId: string, locale: 'zh-CN' | 'en' = 'zh-CN') => ({
  customer: { id: `cust-${orderId}`, locale },
  order: { orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 800, paidTotalMinor: 10_800 },
  reason: 'NO_LONGER_WANTED',
});

/** A resolved refund before shipping of 108.00 whose refund is still PENDING at the bank (payments are held until `release`). */
export async function pendingRefund(pt: PlatformUnderTest, orderId: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const payment = pt.platform.simulators.payment!;
  pt.platform.simulators.warehouse!.setOrder({ orderId, status: 'NOT_PICKED' });
  payment.holdRefunds(true);
  const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, refundBeforeShipping(orderId, locale));
  expect(opened.status).toBe(201);
  const caseId = opened.body.caseId as string;
  await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED');
  const hold = await holdOf(pt, caseId);
  expect(hold).toMatchObject({ status: 'PENDING', refundId: expect.any(String) });
  return { caseId, orderId, refundId: hold.refundId!, stepKey: hold.stepKey, release: () => payment.holdRefunds(false) };
}

/**
 * The same refund sent back by the bank and heard: the case shows REFUND_RETURNED, and its workflow,
 * resting before the revisit, has reopened it to an agent. Payments are no longer held.
 */
export async function returnedRefund(pt: PlatformUnderTest, orderId: string, locale: 'zh-CN' | 'en' = 'zh-CN') {
  const pending = await pendingRefund(pt, orderId, locale);
  pending.release();
  await pt.platform.simulators.payment!.failRefund(pending.refundId, 'ACCOUNT_CLOSED');
  await askProviderNow(pt, pending.stepKey);
  await pt.untilStep(pending.caseId, pt.keys.AGENT!, 'REFUND_RETURNED');
  await pt.untilStep(pending.caseId, pt.keys.AGENT!, 'REOPENED_ON_REFUND_RETURNED');
  return pending;
}

/** Another case of the case's order has refunded `amountMinor` meanwhile, as its own hold records it: the order has that much less left. */
export async function otherCaseRefunded(pt: PlatformUnderTest, caseId: string, orderId: string, amountMinor: number): Promise<void> {
  const { merchantId } = await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { merchantId: true } });
  await pt.db.refundHold.create({ data: { stepKey: `other-${caseId}:refund`, caseId: `other-${caseId}`, merchantId, orderId, currency: 'CNY', amountMinor: BigInt(amountMinor), refundId: `rf_other_${caseId}`, status: 'SUCCEEDED' } });
}
