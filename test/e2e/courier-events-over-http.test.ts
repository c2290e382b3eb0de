/**
 * Courier events belong to a parcel of a case and to that parcel's carrier: an event signed by
 * one carrier for another carrier's parcel is refused, whatever parcel the case follows — the
 * shipment it was opened about, the return the customer sent, or what the warehouse sent out.
 */
import { Client, Connection } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { buildApp } from '../../api/app.js';
import { apiTemporalConnection } from '../../api/temporal-connection.js';
import { createRepositories } from '../../db/repositories.js';
import { usePlatform } from './platform-harness.js';

const SECRETS = { SF: 'sf-events-secret-1', YTO: 'yto-events-secret-1' };
const pt = usePlatform({ COURIER_SECRETS: `SF=${SECRETS.SF},YTO=${SECRETS.YTO}` });
const order = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '茶', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 });
let n = 0;

async function push(carrier: keyof typeof SECRETS, trackingNumber: string, code = 'IN_TRANSIT', at = Date.now(), eventId = `ev-${++n}`) {
  const raw = JSON.stringify({ trackingNumber, code, at, eventId });
  return pt.call('POST', `/v1/couriers/${carrier}/events`, undefined, raw, { 'x-signature': sign(SECRETS[carrier], raw, Math.floor(Date.now() / 1000)) });
}

const courierEvents = async (caseId: string) =>
  (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'COURIER_EVENT').map((e: { actor: string }) => e.actor);

/**
 * A lost-parcel case over HTTP whose parcel `lost` the courier reported lost, re-shipped as `sent`:
 * the case follows `sent` (RESHIPPED). Its case id.
 */
async function lostAndReshipped(o: { orderId: string; customerId: string; lost: string; sent: string; unitPriceMinor: number }): Promise<string> {
  const { caseId, token } = await lostAndChoosing(o);
  expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
  await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_RESHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: o.sent })).status).toBe(200);
  await pt.until(caseId, pt.keys.AGENT, 'RESHIPPED');
  return caseId;
}

/** A lost-parcel case given up as lost in transit (claimed), its customer asked to choose: the case and the customer's token. */
async function lostAndChoosing(o: { orderId: string; customerId: string; lost: string; unitPriceMinor: number }): Promise<{ caseId: string; token: string }> {
  pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: o.lost }, { at: Date.now() - 86_400_000, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
  const lostOrder = { orderId: o.orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '茶', quantity: 1, unitPriceMinor: o.unitPriceMinor, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: o.unitPriceMinor };
  const { caseId } = (await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: o.customerId, locale: 'zh-CN' }, order: lostOrder, shipment: { carrier: 'SF', trackingNumber: o.lost, shippedAt: Date.now() - 5 * 86_400_000 }, lines: [{ sku: 'TEA', quantity: 1 }] })).body;
  await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH_CONFIRMATION');
  expect((await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNumber: o.lost })).status).toBe(200);
  const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: o.customerId })).body.token;
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
  return { caseId, token };
}

describe('courier events', () => {
  it('for the shipment a case was opened about: its carrier only', async () => {
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o1'), shipment: { carrier: 'SF', trackingNumber: 'SFEVENT0001' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    expect(opened.status).toBe(201);
    const forged = await push('YTO', 'SFEVENT0001');
    expect(forged).toMatchObject({ status: 409, body: { error: 'CARRIER_MISMATCH', problems: [{ field: 'body.trackingNumber' }] } });
    expect(await push('SF', 'SFEVENT0001')).toMatchObject({ status: 202, body: { accepted: true, matched: true, duplicate: false } });
    expect(await courierEvents(opened.body.caseId)).toEqual(['courier:SF']);
  });

  it('tracking numbers are one spelling: a warehouse report and a courier event spelt otherwise name the same parcel', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'ev-o9', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o9'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    // Typed at the packing desk in lower case with spaces; the courier's callback names the label.
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'sf event 0009' })).status).toBe(200);
    const following = await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    expect(following.timeline.find((e: { kind: string }) => e.kind === 'SHIPPED' || e.kind === 'RESHIPPED')?.data).toMatchObject({ outboundTracking: 'SFEVENT0009' });
    expect(await push('SF', 'SFEVENT0009')).toMatchObject({ status: 202, body: { matched: true } });
    // And the other way round: a courier's callback spelt with spaces and lower case.
    expect(await push('SF', ' sfevent\u30000009 ')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await courierEvents(caseId)).toEqual(['courier:SF', 'courier:SF']);
  });

  it("a carrier named as people write it (顺丰, 圆通速递) is stored as its code, so the carrier's own events match", async () => {
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o7'), shipment: { carrier: '顺丰', trackingNumber: 'SFEVENT0007' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    expect(opened.status).toBe(201);
    expect(await push('SF', 'SFEVENT0007')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await courierEvents(opened.body.caseId)).toEqual(['courier:SF']);

    pt.platform.simulators.warehouse!.setOrder({ orderId: 'ev-o8', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o8'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    // A carrier no table knows, by a name: refused with the field and what to send instead; nothing lands.
    const unknown = await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: '小件快递', trackingNumber: 'YTEVENT0008' });
    expect(unknown).toMatchObject({ status: 400, body: { field: 'body.carrier', problems: [{ field: 'body.carrier', reason: expect.stringContaining("must be a carrier's code") }] } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: '圆通速递', trackingNumber: 'YTEVENT0008' })).status).toBe(200);
    const following = await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    expect(following.timeline.find((e: { kind: string }) => e.kind === 'SHIPPED' || e.kind === 'RESHIPPED')?.data).toMatchObject({ carrier: 'YTO', outboundTracking: 'YTEVENT0008' });
    expect(await push('YTO', 'YTEVENT0008')).toMatchObject({ status: 202, body: { matched: true } });
  });

  it("a carrier's own status word (已签收) delivers the parcel as DELIVERED does; 签收失败 does not", async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'ev-o10', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o10'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFEVENT0010' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    // A failed delivery only contains the word: recorded, and the case still follows the parcel.
    const failedAt = Date.now() - 60_000;
    expect(await push('SF', 'SFEVENT0010', '签收失败', failedAt)).toMatchObject({ status: 202, body: { matched: true } });
    const signedAt = Date.now();
    expect(await push('SF', 'SFEVENT0010', ' 已签收 ', signedAt)).toMatchObject({ status: 202, body: { matched: true } });
    // Delivered by the second event: had the first counted, the case would be delivered at its time.
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED')).toMatchObject({ actor: 'courier:SF', data: { deliveredAt: signedAt } });
    // What the workflow was told: the word it does not know as sent, the one it knows as its code.
    const inputs = await pt.db.caseInput.findMany({ where: { caseId, kind: 'courierEvent' }, orderBy: { seq: 'asc' }, select: { arg: true } });
    expect(inputs.map((i) => (i.arg as { code: string }).code)).toEqual(['签收失败', 'DELIVERED']);
  });

  it('a delivery dated before the case that sent the parcel again was opened is of an earlier parcel under that number: refused among its inputs, not on its timeline; the case still follows its parcel', async () => {
    const caseId = await lostAndReshipped({ orderId: 'ev-o21', customerId: 'cust-ev21', lost: 'SFSTALE01', sent: 'SFSTALE02', unitPriceMinor: 5_000 });
    const before = await courierEvents(caseId);
    const stale = Date.now() - 3 * 86_400_000;
    expect(await push('SF', 'SFSTALE02', 'DELIVERED', stale, 'stale-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    // The carrier retries it: recognised, nothing recorded twice.
    expect(await push('SF', 'SFSTALE02', 'DELIVERED', stale, 'stale-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: true } });
    const refused = await pt.db.caseInput.findMany({ where: { caseId, kind: 'courierEvent' }, select: { outcome: true, reason: true } });
    expect(refused).toEqual([{ outcome: 'REFUSED', reason: expect.stringContaining('an earlier parcel under the same number') }]);
    // Not on the timeline: the customer would read a delivery days before their parcel left.
    expect(await courierEvents(caseId)).toEqual(before);
    // The parcel's own delivery: taken.
    const signedAt = Date.now();
    expect(await push('SF', 'SFSTALE02', 'DELIVERED', signedAt, 'real-1')).toMatchObject({ status: 202 });
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED')).toMatchObject({ data: { deliveredAt: signedAt } });
  });

  it("a re-shipment reported under a mistyped number is corrected while followed: the right parcel's events reach the case, the mistyped one's no longer do", async () => {
    const caseId = await lostAndReshipped({ orderId: 'ev-o31', customerId: 'cust-ev31', lost: 'SFFIX0001', sent: 'SFFIX0O02', unitPriceMinor: 5_000 });
    const correction = (key: string, body: Record<string, unknown>) => pt.call('POST', `/v1/cases/${caseId}/parcel-correction`, key, body);
    const right = { carrier: 'SF', trackingNumber: 'sf fix 0002', previousTrackingNumber: 'SFFIX0O02' };
    // Not the storefront's to correct; the number being corrected is required, and must be the one followed.
    expect((await correction(pt.keys.STOREFRONT, right)).status).toBe(403);
    expect(await correction(pt.keys.WAREHOUSE, { carrier: 'SF', trackingNumber: 'SFFIX0002' })).toMatchObject({ status: 400, body: { problems: [expect.objectContaining({ field: 'body.previousTrackingNumber' })] } });
    expect(await correction(pt.keys.WAREHOUSE, { ...right, previousTrackingNumber: 'SFFIX0003' })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', message: 'the case follows SF SFFIX0O02, not SFFIX0003: correct the parcel it follows', problems: [{ field: 'body.previousTrackingNumber' }] } });
    // Another open case's parcel is no correction.
    expect(await correction(pt.keys.WAREHOUSE, { ...right, trackingNumber: 'SFFIX0001' })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT' } });
    // The number corrected is written as any tracking number may be (as pasted from a message: lower case, spaces).
    expect(await correction(pt.keys.WAREHOUSE, { ...right, by: 'wh-desk-2', previousTrackingNumber: 'sf fix 0o02' })).toMatchObject({ status: 200, body: { caseId, stage: 'RESHIPPED' } });
    // Sent again (a retry after a timeout): answered as taken.
    expect(await correction(pt.keys.WAREHOUSE, right)).toMatchObject({ status: 200, body: { caseId } });
    // The clerk who corrected it, as a re-shipment names its packer (the desk's key names no person).
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'FOLLOWED_PARCEL_CORRECTED')).toMatchObject({ actor: 'warehouse:wh-desk-2', data: { carrier: 'SF', outboundTracking: 'SFFIX0002', previousOutboundTracking: 'SFFIX0O02' } });
    // The mistyped number is nobody's parcel now; the right one is the case's.
    expect(await push('SF', 'SFFIX0O02', 'DELIVERED')).toMatchObject({ status: 202, body: { matched: false } });
    const signedAt = Date.now();
    expect(await push('SF', 'SFFIX0002', 'DELIVERED', signedAt)).toMatchObject({ status: 202, body: { matched: true } });
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED')).toMatchObject({ data: { deliveredAt: signedAt } });
    await pt.until(caseId, pt.keys.AGENT, 'RESOLVED');
    expect(await correction(pt.keys.AGENT, { ...right, trackingNumber: 'SFFIX0004', previousTrackingNumber: 'SFFIX0002' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: `case ${caseId}'s parcel SF SFFIX0002 was delivered: nothing is followed any more to correct` } });
    // A retry of the correction that arrives after the delivery is still answered as taken.
    expect(await correction(pt.keys.WAREHOUSE, right)).toMatchObject({ status: 200, body: { caseId } });
  });

  it('corrected to a number another case follows under another carrier: a parcel of its own (carriers number their parcels each), and each carrier\'s events reach its own case', async () => {
    const other = await lostAndReshipped({ orderId: 'ev-o32', customerId: 'cust-ev32', lost: 'SFFIX1001', sent: 'SFFIX1002', unitPriceMinor: 5_000 });
    const caseId = await lostAndReshipped({ orderId: 'ev-o33', customerId: 'cust-ev33', lost: 'SFFIX2001', sent: 'SFFIX2O02', unitPriceMinor: 5_000 });
    expect(await pt.call('POST', `/v1/cases/${caseId}/parcel-correction`, pt.keys.AGENT, { carrier: 'YTO', trackingNumber: 'SFFIX1002', previousTrackingNumber: 'SFFIX2O02' })).toMatchObject({ status: 200 });
    await pt.untilStep(caseId, pt.keys.AGENT, 'FOLLOWED_PARCEL_CORRECTED');
    expect(await push('YTO', 'SFFIX1002', 'IN_TRANSIT')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await courierEvents(caseId)).toEqual(['courier:YTO']);
    expect(await push('SF', 'SFFIX1002', 'IN_TRANSIT')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await courierEvents(other)).toEqual(['courier:SF']);
  });

  it('the parcel a lost-parcel case gave up as lost, delivered after all while its re-shipment travels: the case is escalated with why, once, and its claim withdrawn', async () => {
    const caseId = await lostAndReshipped({ orderId: 'ev-o34', customerId: 'cust-ev34', lost: 'SFFOUND01', sent: 'SFFOUND02', unitPriceMinor: 5_000 });
    const signedAt = Date.now();
    expect(await push('SF', 'SFFOUND01', 'IN_TRANSIT', signedAt - 60_000, 'found-0')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await push('SF', 'SFFOUND01', 'DELIVERED', signedAt, 'found-1')).toMatchObject({ status: 202, body: { matched: true } });
    const escalated = await pt.untilStep(caseId, pt.keys.AGENT, 'ESCALATED');
    expect(escalated).toMatchObject({ actor: 'courier:SF', data: { reason: expect.stringContaining('(SF SFFOUND01) was delivered after all') } });
    expect(escalated.data.reason).toContain('the goods were sent again: the customer may now have the goods twice; its courier claim, if still open, is withdrawn');
    // The same as data, for a screen in the reader's language and time zone.
    expect(escalated.data.about).toEqual({ code: 'LOST_PARCEL_DELIVERED', carrier: 'SF', trackingNumber: 'SFFOUND01', deliveredAt: signedAt, done: 'SENT_AGAIN' });
    // The carrier's retry: nothing twice.
    expect(await push('SF', 'SFFOUND01', 'DELIVERED', signedAt, 'found-1')).toMatchObject({ status: 202, body: { duplicate: true } });
    const view = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(view).toMatchObject({ escalated: true, stage: 'RESHIPPED' });
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'ESCALATED')).toHaveLength(1);
    // The courier claim filed when it was given up as lost is withdrawn: the shop may not be paid for a parcel that arrived.
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_WITHDRAWN')).toMatchObject({ data: { parcelFound: 'DELIVERED', foundAt: signedAt, foundBy: 'SF' } });
    expect(pt.platform.simulators.courier!.claims.filter((c) => c.trackingNumber === 'SFFOUND01').map((c) => c.status)).toEqual(['WITHDRAWN']);
  });

  it('the parcel given up as lost, delivered while its customer still chooses and its claim is being filed: the case waits for an agent to confirm with them, the choice is refused meanwhile, the agent closes it (nothing sent, nothing refunded), and the claim is withdrawn once filed', async () => {
    // The carrier's claims desk is slow: the claim is still being filed when the parcel turns up.
    const courier = pt.platform.simulators.courier!;
    let open!: () => void;
    const filing = new Promise<void>((resolve) => (open = resolve));
    const fileClaim = courier.fileClaim.bind(courier);
    courier.fileClaim = async (c) => (await filing, fileClaim(c));
    let caseId: string, token: string, signedAt: number;
    try {
      ({ caseId, token } = await lostAndChoosing({ orderId: 'ev-o36', customerId: 'cust-ev36', lost: 'SFFOUND03', unitPriceMinor: 5_000 }));
      signedAt = Date.now();
      expect(await push('SF', 'SFFOUND03', 'DELIVERED', signedAt, 'found-3')).toMatchObject({ status: 202, body: { matched: true } });
      expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.map((e: { kind: string }) => e.kind)).not.toContain('CLAIM_FILED');
    } finally {
      courier.fileClaim = fileClaim;
      open();
    }
    const wait = await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED_AFTER_LOSS');
    expect(wait).toMatchObject({ data: { carrier: 'SF', trackingNumber: 'SFFOUND03', deliveredAt: signedAt } });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    // The escalation says what the agent is to see to: nothing was sent again yet.
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'ESCALATED')).toMatchObject({ actor: 'courier:SF', data: { reason: expect.stringContaining('nothing was sent again or refunded yet') } });
    const refused = await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' });
    expect(refused.status).toBe(409);
    const view = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(view.waitingFor).toMatchObject({ party: 'AGENT', command: `POST /v1/cases/${caseId}/resolution` });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CLOSE', note: 'the customer confirmed they have it' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'CLOSED');
    const closed = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(closed).toMatchObject({ status: 'CLOSED', refundedAmountMinor: 0 });
    expect(closed.timeline.map((e: { kind: string }) => e.kind)).not.toContain('RESHIPPED');
    // Its claim is withdrawn as for any parcel found (it outlives the case).
    await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_WITHDRAWN');
    expect(pt.platform.simulators.courier!.claims.filter((c) => c.trackingNumber === 'SFFOUND03').map((c) => c.status)).toEqual(['WITHDRAWN']);
  });

  it('a lost parcel whose claim the carrier paid turns up: the case gets an escalated step to pay the carrier back, once', async () => {
    const caseId = await lostAndReshipped({ orderId: 'ev-o35', customerId: 'cust-ev35', lost: 'SFPAID01', sent: 'SFPAID02', unitPriceMinor: 5_000 });
    await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_FILED');
    const claim = pt.platform.simulators.courier!.claims.find((c) => c.trackingNumber === 'SFPAID01')!;
    pt.platform.simulators.courier!.resolveClaim(claim.claimId, 'PAID');
    await pt.skip(8 * 86_400); // the claim's next follow-up hears the payment
    await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_PAID');
    const signedAt = Date.now();
    expect(await push('SF', 'SFPAID01', 'DELIVERED', signedAt, 'paid-1')).toMatchObject({ status: 202, body: { matched: true } });
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_PAID_PARCEL_FOUND')).toMatchObject({ actor: 'courier:SF', data: { claimId: claim.claimId, recoveredMinor: 5_000, parcelFound: 'DELIVERED', foundAt: signedAt } });
    expect(await push('SF', 'SFPAID01', 'DELIVERED', signedAt, 'paid-1')).toMatchObject({ status: 202, body: { duplicate: true } });
    const view = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(view.escalated).toBe(true);
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'CLAIM_PAID_PARCEL_FOUND')).toHaveLength(1);
  });

  it("a tracking inquiry's parcel is the order's own: its delivery dated before the customer asked is taken", async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'ev-o22', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o22'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFEVENT0022' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    const signedAt = Date.now() - 3 * 3_600_000;
    expect(await push('SF', 'SFEVENT0022', 'DELIVERED', signedAt)).toMatchObject({ status: 202, body: { matched: true } });
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED')).toMatchObject({ data: { deliveredAt: signedAt } });
  });

  it('for a parcel nobody follows: accepted, matched to nothing', async () => {
    expect(await push('SF', 'SFNOBODY0001')).toMatchObject({ status: 202, body: { matched: false } });
  });

  it('dated ahead (a day, not a few minutes of clock skew): refused, naming body.at', async () => {
    expect(await push('SF', 'SFNOBODY0002', 'DELIVERED', Date.now() + 86_400_000)).toMatchObject({ status: 400, body: { field: 'body.at', message: expect.stringContaining('is in the future') } });
    expect((await push('SF', 'SFNOBODY0002', 'DELIVERED', Date.now() + 60_000)).status).toBe(202);
  });

  it('dated in epoch seconds (1970 as milliseconds): refused, naming body.at and the likely mistake', async () => {
    const seconds = Math.floor(Date.now() / 1000);
    expect(await push('SF', 'SFNOBODY0003', 'DELIVERED', seconds)).toMatchObject({ status: 400, body: { field: 'body.at', message: expect.stringContaining(`${seconds} looks like seconds`) } });
  });

  it('an event id sent again: the same event is a duplicate; another event under it is refused, not dropped', async () => {
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o10'), shipment: { carrier: 'SF', trackingNumber: 'SFEVENT0010' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    expect(opened.status).toBe(201);
    const at = Date.now() - 60_000;
    expect(await push('SF', 'SFEVENT0010', 'OUT_FOR_DELIVERY', at, 'reused-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    expect(await push('SF', 'sf event 0010', 'OUT_FOR_DELIVERY', at, 'reused-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: true } });
    expect(await push('SF', 'SFEVENT0010', 'DELIVERED', at + 1000, 'reused-1')).toMatchObject({ status: 409, body: { error: 'EVENT_ID_REUSED', field: 'body.eventId' } });
    expect(await courierEvents(opened.body.caseId)).toEqual(['courier:SF']);
  });

  it("event ids need only be unique per parcel: a carrier numbering each waybill's events reuses them for a case's other parcel", async () => {
    const caseId = await lostAndReshipped({ orderId: 'ev-o11', customerId: 'cust-ev', lost: 'SFPERWB01', sent: 'SFPERWB02', unitPriceMinor: 50_000 });
    const at = Date.now() - 60_000;
    expect(await push('SF', 'SFPERWB01', 'IN_TRANSIT', at, 'waybill-event-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    // The new parcel's first event under the same id: its own, and it delivers the goods sent again.
    expect(await push('SF', 'SFPERWB02', 'DELIVERED', at + 1000, 'waybill-event-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'DELIVERED')).toMatchObject({ actor: 'courier:SF', data: { deliveredAt: at + 1000 } });
    // Within one parcel an id still names one event.
    expect(await push('SF', 'SFPERWB02', 'DELIVERED', at + 1000, 'waybill-event-1')).toMatchObject({ status: 202, body: { duplicate: true } });
    expect(await push('SF', 'SFPERWB02', 'RETURNING', at + 2000, 'waybill-event-1')).toMatchObject({ status: 409, body: { error: 'EVENT_ID_REUSED' } });
  });

  it('an event recorded before ids counted per parcel (under carrier and id alone) is still a duplicate when the carrier retries it', async () => {
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o12'), shipment: { carrier: 'SF', trackingNumber: 'SFLEGACY01' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    const caseId = opened.body.caseId as string;
    const at = Date.now() - 60_000;
    await pt.db.caseEvent.create({ data: { caseId, stepKey: 'courier:SF:legacy-1', kind: 'COURIER_EVENT', actor: 'courier:SF', data: { carrier: 'SF', trackingNumber: 'SFLEGACY01', code: 'IN_TRANSIT', at, eventId: 'legacy-1' } } });
    expect(await push('SF', 'SFLEGACY01', 'IN_TRANSIT', at, 'legacy-1')).toMatchObject({ status: 202, body: { matched: true, duplicate: true } });
    expect(await courierEvents(caseId)).toEqual(['courier:SF']);
    expect(await push('SF', 'SFLEGACY01', 'DELIVERED', at + 1000, 'legacy-1')).toMatchObject({ status: 409, body: { error: 'EVENT_ID_REUSED' } });
  });

  it('for what the warehouse sent out (carrier codes compared without case)', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'ev-o2', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o2'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'yto', trackingNumber: 'YTEVENT0002' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    expect((await push('SF', 'YTEVENT0002')).status).toBe(409);
    expect(await push('YTO', 'YTEVENT0002')).toMatchObject({ status: 202, body: { matched: true } });
    // The callback URL may spell the code in lower case: the same carrier, its events recorded under its code.
    const raw = JSON.stringify({ trackingNumber: 'YTEVENT0002', code: 'in_transit', at: Date.now(), eventId: `ev-${++n}` });
    expect(await pt.call('POST', '/v1/couriers/yto/events', undefined, raw, { 'x-signature': sign(SECRETS.YTO, raw, Math.floor(Date.now() / 1000)) })).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    expect(await courierEvents(caseId)).toEqual(['courier:YTO', 'courier:YTO']);
  });

  it("another case's parcel is not sent again: its events would end this case's wait", async () => {
    const inquiry = async (orderId: string) => {
      pt.platform.simulators.warehouse!.setOrder({ orderId, status: 'PACKED' });
      const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order(orderId), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
      await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
      return caseId as string;
    };
    const first = await inquiry('ev-o3');
    const second = await inquiry('ev-o4');
    expect((await pt.call('POST', `/v1/cases/${first}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'YTO', trackingNumber: 'YTEVENT0003' })).status).toBe(200);
    await pt.until(first, pt.keys.AGENT, 'FOLLOWING');
    const clash = await pt.call('POST', `/v1/cases/${second}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'yto', trackingNumber: 'YTEVENT0003' });
    expect(clash).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining(`a parcel of case ${first}`) } });
    expect((await pt.call('GET', `/v1/cases/${second}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DISPATCH');
    // The same number at another carrier is another parcel.
    expect((await pt.call('POST', `/v1/cases/${second}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'YTEVENT0003' })).status).toBe(200);
  });

  it('an event that reached the timeline but not the workflow (Temporal away) is sent to the workflow when the carrier retries it', async () => {
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-ev', locale: 'zh-CN' }, order: order('ev-o20'), shipment: { carrier: 'SF', trackingNumber: 'SFEVENT0020' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    const { caseId } = opened.body;
    // The same database and secrets, but a Temporal that is not there.
    const nowhere = Connection.lazy(apiTemporalConnection('127.0.0.1:1'));
    const away = await buildApp({ repos: createRepositories(pt.db), temporal: new Client({ connection: nowhere }), courierSecrets: SECRETS });
    try {
      const raw = JSON.stringify({ trackingNumber: 'SFEVENT0020', code: 'IN_TRANSIT', at: Date.now(), eventId: 'ev-away' });
      const sent = await away.inject({ method: 'POST', url: '/v1/couriers/SF/events', headers: { 'content-type': 'application/json', 'x-signature': sign(SECRETS.SF, raw, Math.floor(Date.now() / 1000)) }, payload: raw });
      expect(sent.statusCode).toBe(503);
      expect(await courierEvents(caseId)).toEqual(['courier:SF']);
      // The carrier retries once Temporal answers: not a duplicate to drop, the workflow is told now.
      const retried = await pt.call('POST', '/v1/couriers/SF/events', undefined, raw, { 'x-signature': sign(SECRETS.SF, raw, Math.floor(Date.now() / 1000)) });
      expect(retried).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
      const told = await pt.call('GET', `/v1/cases/${caseId}/inputs`, pt.keys.SUPERVISOR);
      expect(told.body.inputs.filter((i: { kind: string }) => i.kind === 'courierEvent')).toEqual([expect.objectContaining({ outcome: 'ACCEPTED', arg: expect.objectContaining({ trackingNumber: 'SFEVENT0020', code: 'IN_TRANSIT' }) })]);
      // And a retry after that is the duplicate it looks like; the timeline holds the event once.
      expect(await pt.call('POST', '/v1/couriers/SF/events', undefined, raw, { 'x-signature': sign(SECRETS.SF, raw, Math.floor(Date.now() / 1000)) })).toMatchObject({ status: 202, body: { duplicate: true } });
      expect(await courierEvents(caseId)).toEqual(['courier:SF']);
    } finally {
      await away.close();
      await nowhere.close();
    }
  });
});
