/** A lost parcel over HTTP: the warehouse confirms dispatch, the courier's trace says lost, a claim starts, the customer is refunded at once. */
import { describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';
import { waitUntil } from '../support/wait.js';

const pt = usePlatform();
const order = { orderId: 'lpo-1', currency: 'CNY', items: [{ sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 }], shippingFeeMinor: 1_000, paidTotalMinor: 26_000 };

describe('a lost parcel over HTTP', () => {
  it('lost in transit: claim filed on its own, refund without waiting for it', async () => {
    // The merchant's own contract with SF: 60 days to claim.
    await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { fulfilment: { carriers: { SF: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } });
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SFLOST99' }, { at: Date.now() - 86_400_000, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
    const opened = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'cust-lp', locale: 'en' }, order, shipment: { carrier: 'SF', trackingNumber: 'SFLOST99', shippedAt: Date.now() - 5 * 86_400_000 }, lines: [{ sku: 'LAMP', quantity: 1 }] });
    expect(opened.body.policyVersion).toBe(2);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-lp' })).body.token;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH_CONFIRMATION');
    // Dispatched without the tracking number: refused, not taken and silently dropped (found by the crash drill).
    expect(await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true })).toMatchObject({ status: 400, body: { field: 'body.trackingNumber', message: expect.stringContaining('tracking number') } });
    // trackingNumber, as every other body names it; its first name trackingNo is still taken, but not both disagreeing.
    expect(await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNumber: 'SFLOST99', trackingNo: 'SFLOST90' })).toMatchObject({ status: 400, body: { field: 'body.trackingNumber', message: expect.stringContaining('SFLOST90') } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNumber: 'SFLOST99', proofUrls: ['https://evidence.example.com/handover.jpg'] })).status).toBe(200);
    expect((await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE')).offer).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'] });
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'LOST_PARCEL', refundedAmountMinor: 26_000 });
    expect(pt.platform.simulators.courier!.claims).toEqual([expect.objectContaining({ trackingNumber: 'SFLOST99', amountMinor: 25_000 })]);
    const filed = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.find((e: { kind: string }) => e.kind === 'CLAIM_FILED');
    expect(filed.decision).toMatchObject({ values: { claimWindowDays: 60, contractSource: 'CONTRACT' } });
    expect(await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, shipment: { carrier: 'SF', trackingNumber: 'SFLOST98', shippedAt: Date.now() - 86_400_000 }, lines: [{ sku: 'LAMP', quantity: 2 }] })).toMatchObject({ status: 400, body: { field: 'body.lines[0].quantity' } });
    // Shipped in epoch seconds: read as January 1970 its claim window had closed before it opened, and no claim was filed.
    const seconds = Math.floor(Date.now() / 1000) - 86_400;
    const inSeconds = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, shipment: { carrier: 'SF', trackingNumber: 'SFLOST98', shippedAt: seconds }, lines: [{ sku: 'LAMP', quantity: 1 }] });
    expect(inSeconds).toMatchObject({ status: 400, body: { field: 'body.shipment.shippedAt', message: expect.stringContaining(`${seconds} looks like seconds`) } });
  });

  it("re-shipped under a tracking number of its own; the warehouse's number for the lost parcel is the one traced", async () => {
    // The storefront had SFLOST97; the warehouse's dispatch record says the parcel left as SFLOST97W.
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SFLOST97W' }, { at: Date.now() - 86_400_000, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
    const { caseId } = (await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'cust-lp2', locale: 'en' }, order: { ...order, orderId: 'lpo-2' }, shipment: { carrier: 'SF', trackingNumber: 'SFLOST97', shippedAt: Date.now() - 5 * 86_400_000 }, lines: [{ sku: 'LAMP', quantity: 1 }] })).body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-lp2' })).body.token;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH_CONFIRMATION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNo: 'SFLOST97W' })).status).toBe(200);
    const choosing = await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    // Lost in transit, as the courier's trace of SFLOST97W says: no trace of SFLOST97 would have blamed a person.
    expect(choosing.timeline.find((e: { kind: string }) => e.kind === 'CAUSE_DECIDED')).toMatchObject({ data: { trace: 'EXCEPTION' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
    // A second tap: the case as it is; the other choice after it is refused (the first stands).
    expect(await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).toMatchObject({ status: 200, body: { caseId } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('took another answer before (CHOICE_ANSWERED at') } });
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_RESHIPMENT');
    // The lost parcel's number again, either of them: its late DELIVERED (found at the hub) would end the wait for the new one.
    for (const lost of ['SFLOST97', 'SFLOST97W']) {
      expect(await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'sf', trackingNumber: lost })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('the parcel this case is about') } });
    }
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFRESHIP97' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'RESHIPPED');
    // The scanner retries its report, the carrier named as people write it: the case as it is; another parcel is refused.
    expect(await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: '顺丰', trackingNumber: 'sfreship97' })).toMatchObject({ status: 200, body: { stage: 'RESHIPPED' } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFRESHIP98' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'RESHIPPED')).toHaveLength(1);
  });

  it("the parcel's times must be possible, and a parcel another customer's open case is about is not theirs to report lost", async () => {
    const shippedAt = Date.now() - 5 * 86_400_000;
    const theirs = { ...order, orderId: 'lpo-3', shippedAt };
    const open = (customerId: string, o: typeof theirs, shipment: Record<string, unknown>) =>
      pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: customerId, locale: 'en' }, order: o, shipment: { carrier: 'YTO', trackingNumber: 'YT5550000001', shippedAt, ...shipment }, lines: [{ sku: 'LAMP', quantity: 1 }] });
    expect(await open('cust-lp3', theirs, { etaAt: shippedAt - 60_000 })).toMatchObject({ status: 400, body: { field: 'body.shipment.etaAt', message: expect.stringContaining('before the parcel left') } });
    expect(await open('cust-lp3', theirs, { shippedAt: Date.now() + 86_400_000 })).toMatchObject({ status: 400, body: { field: 'body.shipment.shippedAt', message: expect.stringContaining('in the future') } });
    const first = await open('cust-lp3', theirs, {});
    expect(first.status).toBe(201);
    // Another customer's order on the same parcel: refused, naming the case (both were refunded in full).
    expect(await open('cust-lp4', { ...theirs, orderId: 'lpo-4' }, { trackingNumber: 'yt 555 000 0001' })).toMatchObject({
      status: 409,
      body: { error: 'PARCEL_CONFLICT', field: 'body.shipment.trackingNumber', message: expect.stringContaining(first.body.caseId) },
    });
    // The same customer's other order, shipped in the same parcel: taken.
    expect((await open('cust-lp3', { ...theirs, orderId: 'lpo-5' }, {})).status).toBe(201);
    // Another carrier's parcel of that number is another parcel.
    expect((await open('cust-lp4', { ...theirs, orderId: 'lpo-4' }, { carrier: 'ZTO' })).status).toBe(201);
  });

  it('the warehouse record names another carrier: the parcel is traced, followed and claimed with it', async () => {
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'JD', trackingNumber: 'JD0000000009' }, { at: Date.now() - 86_400_000, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
    const opened = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'cust-lp6', locale: 'en' }, order: { ...order, orderId: 'lpo-6' }, shipment: { carrier: 'YTO', trackingNumber: 'YT5550000002', shippedAt: Date.now() - 5 * 86_400_000 }, lines: [{ sku: 'LAMP', quantity: 1 }] });
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH_CONFIRMATION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, carrier: '京东', trackingNumber: 'JD0000000009' })).status).toBe(200);
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-lp6' })).body.token;
    const choosing = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_CUSTOMER_CHOICE');
    expect(choosing.timeline.find((e: { kind: string }) => e.kind === 'DISPATCH_CONFIRMED')).toMatchObject({ data: { carrier: 'JD', originalTracking: 'JD0000000009', reportedCarrier: 'YTO', reportedTrackingNumber: 'YT5550000002' } });
    // JD's trace said lost: lost in transit, and JD is claimed from.
    expect(choosing.timeline.find((e: { kind: string }) => e.kind === 'CAUSE_DECIDED')).toMatchObject({ data: { trace: 'EXCEPTION' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).status).toBe(200);
    await pt.until(caseId, token, 'RESOLVED');
    expect(await waitUntil('the claim filed', () => pt.platform.simulators.courier!.claims.find((c) => c.trackingNumber === 'JD0000000009'))).toMatchObject({ carrier: 'JD' });
    expect(await pt.db.caseParcel.findMany({ where: { caseId }, select: { carrier: true, trackingNumber: true }, orderBy: { trackingNumber: 'asc' } })).toEqual([
      { carrier: 'JD', trackingNumber: 'JD0000000009' },
      { carrier: 'YTO', trackingNumber: 'YT5550000002' },
    ]);
  });
});
