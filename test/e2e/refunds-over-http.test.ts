/**
 * Refunds only (仅退款) end to end over HTTP, with the warehouse system and the courier simulated.
 * Before shipping: refunded at once when nothing was picked; the merchant's silence refunds after
 * 24 hours; a shipped order is intercepted and refunded once back, as after shipping. After shipping: intercepted, scanned back in,
 * inspected, refunded. Bad input names the field.
 */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();

let seq = 0;

function request(reason = 'NO_LONGER_WANTED', customerId = 'cust-r1') {
  const orderId = `ro-${++seq}`;
  return {
    orderId,
    body: {
      customer: { id: customerId, locale: 'zh-CN' },
      order: { orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 800, paidTotalMinor: 10_800 },
      reason,
    },
  };
}

describe('refund before shipping over HTTP', () => {
  it('nothing picked yet: the order is cancelled in the warehouse and everything paid goes back', async () => {
    const r = request();
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'NOT_PICKED' });
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body);
    expect(opened.status).toBe(201);
    const resolved = await pt.until(opened.body.caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved).toMatchObject({ type: 'REFUND_NOT_SHIPPED', refundedAmountMinor: 10_800 });
    expect(pt.platform.simulators.warehouse!.cancellations).toEqual([expect.objectContaining({ orderId: r.orderId, idempotencyKey: `${opened.body.caseId}:cancel-order` })]);
    expect(pt.platform.simulators.payment!.refunds).toEqual(expect.arrayContaining([expect.objectContaining({ orderId: r.orderId, amountMinor: 10_800 })]));
  });

  it('the same order sent three times at once: refunded once in all, not once per case', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-race');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'NOT_PICKED' });
    const sent = await Promise.all([1, 2, 3].map(() => pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)));
    // One opens; the others are the same request sent again, answered with that case (within one API
    // process the openings of an order run one at a time). API processes side by side could open all
    // three: the money then still goes out once, under the order's refund lock (test/activities/case-activities.test.ts).
    expect(sent.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const opened = sent.filter((a) => a.status === 201);
    for (const again of sent.filter((a) => a.status === 200)) expect(again.body.caseId).toBe(opened[0]!.body.caseId);
    const cases = await Promise.all(opened.map((o) => pt.until(o.body.caseId, pt.keys.AGENT, 'RESOLVED')));
    expect(cases.reduce((sum, c) => sum + Number(c.refundedAmountMinor), 0)).toBe(10_800);
    expect(pt.platform.simulators.payment!.refunds.filter((p) => p.orderId === r.orderId).reduce((sum, p) => sum + p.amountMinor, 0)).toBe(10_800);
    // The cases granted nothing book no refund of 0 and tell nobody "0.00 refunded".
    const ids = opened.map((o) => o.body.caseId as string);
    const refunds = await pt.db.ledgerEntry.findMany({ where: { caseId: { in: ids }, kind: 'REFUND' }, select: { amountMinor: true } });
    expect(refunds.map((e) => Number(e.amountMinor))).toEqual([-10_800]);
    const paidCase = ids[cases.findIndex((c) => Number(c.refundedAmountMinor) > 0)]!;
    const refundMessages = () => pt.platform.simulators.notifier!.sent.filter((m) => m.template === 'refundIssued' && ids.some((id) => m.idempotencyKey.startsWith(id)));
    await waitUntil('the refund message to go out', () => refundMessages().some((m) => m.idempotencyKey.startsWith(paidCase)));
    expect(refundMessages().map((m) => m.params.amountMinor)).toEqual([10_800]);
    // Each resolution says what its case came to: one refunded, the others found nothing left.
    const outcomes = cases.map((c) => c.timeline.find((e: { kind: string }) => e.kind === 'RESOLVED')?.decision?.outcome);
    expect(outcomes.sort()).toEqual(['REFUNDED', ...Array(opened.length - 1).fill('NOTHING_LEFT')].sort());
  });

  it('a later case of the order for another customer is refused: the order is its customer\'s', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-owner');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'PICKED' });
    expect((await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).status).toBe(201);
    const stranger = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, customer: { id: 'cust-other', locale: 'zh-CN' } });
    expect(stranger).toMatchObject({ status: 409, body: { error: 'ORDER_CONFLICT', field: 'body.customer.id' } });
    expect(stranger.body.message).toContain('cust-owner');
  });

  it('a later case of the order saying it was paid more, or in another currency, is refused: the first case\'s order holds', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-conflict');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'PICKED' });
    const first = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body);
    expect(first.status).toBe(201);
    const inflated = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, order: { ...r.body.order, paidTotalMinor: 100_000, currency: 'USD', items: [{ ...r.body.order.items[0]!, unitPriceMinor: 49_600 }] } });
    expect(inflated.status).toBe(409);
    expect(inflated.body).toMatchObject({ error: 'ORDER_CONFLICT', field: 'body.order.currency' });
    expect(inflated.body.message).toContain(first.body.caseId);
    expect(inflated.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.order.currency', 'body.order.paidTotalMinor', 'body.order.items']);
    // Nothing was opened by it. The same order as recorded is the same order: for another reason its
    // goods are the first case's while it runs; for the same one, it is that case asked again.
    const other = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, reason: 'OTHER' });
    expect(other).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', field: 'body.order' } });
    expect(await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).toMatchObject({ status: 200, body: { caseId: first.body.caseId } });
    const cases = await pt.db.case.findMany({ where: { orderId: r.orderId }, select: { id: true } });
    expect(cases.map((c) => c.id)).toEqual([first.body.caseId]);
  });

  it('the customer withdraws the refund while the merchant decides: closed WITHDRAWN over HTTP, nothing cancelled or refunded, told the order ships', async () => {
    const r = request('OTHER', 'cust-withdraw');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'PICKED' });
    const { caseId } = (await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_MERCHANT');
    expect(await pt.call('POST', `/v1/cases/${caseId}/withdrawal`, pt.keys.STOREFRONT, { reason: '不退了，照常发货吧' })).toMatchObject({ status: 200, body: { stage: 'CLOSED', status: 'CLOSED' } });
    const closed = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body;
    expect(closed).toMatchObject({ closeReason: 'WITHDRAWN', refundedAmountMinor: 0, names: { closeReason: '顾客撤销申请' } });
    expect(pt.platform.simulators.payment!.refunds.filter((p) => p.orderId === r.orderId)).toEqual([]);
    const told = await waitUntil('the withdrawal told', () => pt.platform.simulators.notifier!.sent.find((m) => m.template === 'refundRequestWithdrawn' && m.idempotencyKey.startsWith(caseId)));
    expect(told.text).toContain('订单将照常为您发货');
  });

  it('picked, and the merchant says nothing for 24 hours: refunded, the picked goods back in stock', async () => {
    const r = request('OTHER', 'cust-r2');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'PICKED', outboundId: 'ob-55' });
    const { caseId } = (await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_MERCHANT');
    // The agent's answer is checked by the workflow before it lands: a refusal needs a reason (a
    // 400 naming the field: what the answer says is wrong, not when it came).
    expect(await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'REJECT' })).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body.reason', problems: [{ field: 'body.reason', reason: 'a refusal needs a reason' }] } });
    await pt.skip(24 * 3600 + 60);
    const resolved = await pt.until(caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved.timeline.find((e: { kind: string }) => e.kind === 'MERCHANT_SILENT').decision).toMatchObject({ rule: 'merchantAnswerHours', outcome: 'REFUND' });
    expect(await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true, amountMinor: true, reference: true }, orderBy: { id: 'asc' } })).toEqual([
      { kind: 'OUTBOUND_REVERSAL', amountMinor: 0n, reference: 'ob-55' },
      { kind: 'REFUND', amountMinor: -10_800n, reference: expect.any(String) },
    ]);
  });

  it('already shipped: the courier is asked to bring it back; the warehouse scans it in by its label, inspects it, and it is refunded', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-r3');
    pt.platform.simulators.warehouse!.ship(r.orderId, 'SF', 'SF4242');
    const { caseId } = (await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).body;
    const intercepting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    expect(intercepting).toMatchObject({ type: 'REFUND_NOT_SHIPPED', returnTrackingNumber: 'SF4242', refundedAmountMinor: 0 });
    expect(intercepting.timeline.map((s: { kind: string }) => s.kind)).toEqual(expect.arrayContaining(['DISPATCH_CHECKED', 'FOUND_SHIPPED', 'INTERCEPT_FILED', 'INTERCEPTION_REQUESTED']));
    expect(pt.platform.simulators.courier!.intercepts).toEqual(expect.arrayContaining([expect.objectContaining({ trackingNumber: 'SF4242', idempotencyKey: `${caseId}:intercept` })]));
    const told = () => pt.platform.simulators.notifier!.sent.find((m) => m.template === 'shippedInterceptionRefundBy' && m.text?.includes('SF4242'));
    await waitUntil('the shippedInterceptionRefundBy message naming SF4242', told, { state: () => `sent: ${pt.platform.simulators.notifier!.sent.map((m) => m.template).join(', ')}` });
    // A refund before shipping takes an arrival scan once it awaits its parcel back (before, 409: its type took none).
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SF4242', scannedBy: 'dock-3' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp-2', lines: [{ sku: 'TEA', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ type: 'REFUND_NOT_SHIPPED', refundedAmountMinor: 10_800 });
    expect(pt.platform.simulators.warehouse!.cancellations.filter((c) => c.orderId === r.orderId)).toEqual([]);
  });

  it('already shipped and refused at the door before the customer asked: the parcel signed in at the shop is awaited and scanned in by its label', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-r7');
    pt.platform.simulators.warehouse!.ship(r.orderId, 'SF', 'SF4343');
    const parcel = { carrier: 'SF', trackingNumber: 'SF4343' };
    pt.platform.simulators.courier!.addTrackingEvent(parcel, { at: Date.now() - 7_200_000, code: 'REFUSED', description: 'refused by the recipient' }, 'RETURNING');
    pt.platform.simulators.courier!.markDelivered(parcel, Date.now() - 3_600_000);
    const { caseId } = (await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).body;
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    expect(waiting.timeline.map((s: { kind: string }) => s.kind)).toEqual(expect.arrayContaining(['FOUND_SHIPPED', 'PARCEL_TURNED_BACK']));
    expect(waiting.returnTrackingNumber).toBe('SF4343');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SF4343', scannedBy: 'dock-4' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
  });

  it('a refund before shipping that has not found its order shipped takes no arrival scan: 409, as before', async () => {
    const r = request('OTHER', 'cust-r5');
    pt.platform.simulators.warehouse!.setOrder({ orderId: r.orderId, status: 'PICKED' });
    const { caseId } = (await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, r.body)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_MERCHANT');
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock-3' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
  });

  it('bad input names the field; only the storefront opens one', async () => {
    const r = request();
    expect(await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, reason: 'BORED' })).toMatchObject({ status: 400, body: { field: 'body.reason' } });
    expect(await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, order: { ...r.body.order, currency: 'XYZ' } })).toMatchObject({ status: 400, body: { field: 'body.order.currency' } });
    expect((await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.AGENT, r.body)).status).toBe(403);
    // An order the request says has shipped, or arrived, is pointed to the endpoint that takes it: never refunded with the goods out.
    const shipped = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, order: { ...r.body.order, shippedAt: Date.now() - 4 * 86_400_000 } });
    expect(shipped).toMatchObject({ status: 400, body: { field: 'body.order.shippedAt', message: expect.stringContaining('POST /v1/refunds-after-shipping') } });
    const delivered = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { ...r.body, order: { ...r.body.order, shippedAt: Date.now() - 4 * 86_400_000, deliveredAt: Date.now() - 2 * 86_400_000 } });
    expect(delivered).toMatchObject({ status: 400, body: { field: 'body.order.deliveredAt', message: expect.stringContaining('POST /v1/returns') } });
  });
});

describe('refund after shipping over HTTP', () => {
  it('a parcel not back in time is refunded and claimed from the courier as lost; scanned in after all, the claim is withdrawn', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-r6');
    const body = { ...r.body, reason: 'changed my mind', shipment: { carrier: 'SF', trackingNumber: 'SFLATE01' } };
    const { caseId } = (await pt.call('POST', '/v1/refunds-after-shipping', pt.keys.STOREFRONT, body)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    await pt.skip(3 * 86_400 + 60); // the interception's days: refunded, the parcel still awaited
    await pt.untilStep(caseId, pt.keys.AGENT, 'AWAITING_RESTOCK');
    await pt.skip(10 * 86_400 + 60); // the arrival's days: claimed as lost on its way back
    await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_FILED');
    expect(pt.platform.simulators.courier!.claims.filter((c) => c.trackingNumber === 'SFLATE01').map((c) => c.status)).toEqual(['FILED']);
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFLATE01', scannedBy: 'dock-7' })).status).toBe(202);
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'CLAIM_WITHDRAWN')).toMatchObject({ data: { parcelFound: 'SCANNED_IN', foundBy: 'dock-7' } });
    expect(pt.platform.simulators.courier!.claims.filter((c) => c.trackingNumber === 'SFLATE01').map((c) => c.status)).toEqual(['WITHDRAWN']);
  });

  it('intercepted, scanned back in by the warehouse, inspected and refunded', async () => {
    const r = request('NO_LONGER_WANTED', 'cust-r4');
    const body = { ...r.body, reason: 'changed my mind', shipment: { carrier: 'SF', trackingNumber: 'SFBACK01' } };
    const { caseId } = (await pt.call('POST', '/v1/refunds-after-shipping', pt.keys.STOREFRONT, body)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    expect(pt.platform.simulators.courier!.intercepts).toEqual(expect.arrayContaining([expect.objectContaining({ trackingNumber: 'SFBACK01', idempotencyKey: `${caseId}:intercept` })]));
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFBACK01', scannedBy: 'dock-2' })).status).toBe(202);
    const back = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_INSPECTION');
    // The clerk who scanned it in, on the step; a second scan is told so instead of "recorded" again.
    expect(back.timeline.find((s: { kind: string }) => s.kind === 'PARCEL_BACK')).toMatchObject({ actor: 'warehouse:dock-2' });
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFBACK01', scannedBy: 'dock-5' })).toMatchObject({ status: 202, body: { stage: 'AWAITING_INSPECTION', alreadyArrived: { by: 'dock-2' } } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp-1', lines: [{ sku: 'TEA', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ type: 'REFUND_SHIPPED', refundedAmountMinor: 10_800 });
    expect(await pt.call('POST', '/v1/refunds-after-shipping', pt.keys.STOREFRONT, { ...body, shipment: { carrier: 'SF' } })).toMatchObject({ status: 400, body: { field: 'body.shipment.trackingNumber' } });
  });
});
