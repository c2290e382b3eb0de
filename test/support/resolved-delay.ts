/**
 * A case RESOLVED over HTTP with the fewest calls: a delivery delay, the cause recorded, the parcel
 * delivered; its revisit is still days away (the policy's `revisitAfterDays`).
 */
import { expect } from 'vitest';
import type { PlatformUnderTest } from '../e2e/platform-harness.js';

export async function resolvedDelay(pt: PlatformUnderTest, orderId: string, trackingNumber: string): Promise<string> {
  const caseId = await followedDelay(pt, orderId, trackingNumber);
  pt.platform.simulators.courier!.markDelivered({ carrier: 'ZTO', trackingNumber });
  await pt.skip(86_400 + 60);
  await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED');
  return caseId;
}

/**
 * The same delay before its parcel arrives (FOLLOWING), without moving the server's clock: cases
 * opened afterwards start on the API's clock and the server's alike.
 */
export async function followedDelay(pt: PlatformUnderTest, orderId: string, trackingNumber: string): Promise<string> {
  const order = { orderId, currency: 'CNY', items: [{ sku: 'KETTLE', name: '水壶', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 800, paidTotalMinor: 20_800 };
  const opened = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { customer: { id: `cust-${orderId}`, locale: 'en' }, order, shipment: { carrier: 'ZTO', trackingNumber }, etaAt: Date.now() - 36 * 3_600_000 });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const caseId = opened.body.caseId as string;
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DELAY_CAUSE');
  expect((await pt.call('POST', `/v1/cases/${caseId}/delay-cause`, pt.keys.AGENT, { cause: 'LATE_DISPATCH' })).status).toBe(200);
  await pt.until(caseId, pt.keys.AGENT!, 'FOLLOWING');
  return caseId;
}
