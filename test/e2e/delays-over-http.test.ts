/** A delivery delay over HTTP: opened by the storefront, the cause recorded by an agent (internal: compensated), followed until delivered. */
import { describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = { orderId: 'dlo-1', currency: 'CNY', items: [{ sku: 'KETTLE', name: '水壶', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 800, paidTotalMinor: 20_800 };

describe('a delivery delay over HTTP', () => {
  it('late by our fault: apology and compensation, then followed until the courier delivers', async () => {
    const opened = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { customer: { id: 'cust-dl', locale: 'zh-CN' }, order, shipment: { carrier: 'ZTO', trackingNumber: 'ZTLATE01' }, etaAt: Date.now() - 36 * 3_600_000 });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    // Waiting for an agent to record the courier's cause: open on the agents' side (as every agent wait is), not WAITING_COURIER.
    expect(await pt.until(caseId, pt.keys.AGENT, 'AWAITING_DELAY_CAUSE')).toMatchObject({ status: 'OPEN', waitingFor: { party: 'AGENT' } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/delay-cause`, pt.keys.AGENT, { cause: 'GREMLINS' })).toMatchObject({ status: 400, body: { field: 'body.cause' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/delay-cause`, pt.keys.WAREHOUSE, { cause: 'LATE_DISPATCH' })).status).toBe(403);
    expect((await pt.call('POST', `/v1/cases/${caseId}/delay-cause`, pt.keys.AGENT, { cause: 'LATE_DISPATCH', note: 'picked a day late' })).status).toBe(200);
    const following = await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    expect(following.timeline.find((e: { kind: string }) => e.kind === 'DELAY_CAUSE_RECORDED').decision).toMatchObject({ outcome: 'APOLOGISE_AND_COMPENSATE', values: { daysLate: 2, compensationMinor: 1_000 } });
    pt.platform.simulators.courier!.markDelivered({ carrier: 'ZTO', trackingNumber: 'ZTLATE01' });
    await pt.skip(86_400 + 60);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ type: 'DELAY', refundedAmountMinor: 1_000 });
    expect(await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true, amountMinor: true } })).toEqual([{ kind: 'REFUND', amountMinor: -1_000n }]);
  });

  it('a promised delivery before the order even shipped is refused: it was counted 31 days late and compensated at the maximum', async () => {
    const shippedAt = Date.now() - 5 * 86_400_000;
    const body = { customer: { id: 'cust-dl2', locale: 'en' }, order: { ...order, orderId: 'dlo-2', shippedAt }, shipment: { carrier: 'ZTO', trackingNumber: 'ZTLATE02' }, etaAt: Date.now() - 30 * 86_400_000 };
    const refused = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, body);
    expect(refused).toMatchObject({ status: 400, body: { field: 'body.etaAt', message: expect.stringContaining('before the order shipped') } });
    expect(await pt.db.case.count({ where: { orderId: 'dlo-2' } })).toBe(0);
    expect((await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { ...body, etaAt: shippedAt + 2 * 86_400_000 })).status).toBe(201);
  });
  it('a parcel on its way back to the shop: not promised to the customer, an agent takes it up', async () => {
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'ZTO', trackingNumber: 'ZTBACK03' }, { at: Date.now() - 3_600_000, code: 'RETURNING', description: '收件人拒收，退回寄件人' }, 'RETURNING');
    const opened = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { customer: { id: 'cust-dl3', locale: 'en' }, order: { ...order, orderId: 'dlo-3' }, shipment: { carrier: 'ZTO', trackingNumber: 'ZTBACK03' }, etaAt: Date.now() - 36 * 3_600_000 });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    expect(waiting.timeline.at(-1)).toMatchObject({ kind: 'PARCEL_TURNED_BACK' });
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>;
    expect(messages.find((m) => m.template === 'delayParcelTurnedBack')?.text).toContain('on its way back to our warehouse');
    expect(messages.map((m) => m.template)).not.toContain('delayExplained');
    // The staff's answer names the close by the agent's note, as their case view does.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CLOSE', note: 'refused by the customer: refunded in another case', customerMessage: 'As agreed on the phone, your order is refunded once the parcel is back.' })).toMatchObject({
      status: 200,
      body: { stage: 'CLOSED', closeReason: 'refused by the customer: refunded in another case', refundedAmountMinor: 0 },
    });
    await pt.until(caseId, pt.keys.AGENT, 'CLOSED');
  });
});
