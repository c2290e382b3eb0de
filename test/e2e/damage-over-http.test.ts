/** Transit damage over HTTP: photos first, assessed as minor and within the cap, refunded; refusals named. */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = { orderId: 'tdo-1', currency: 'CNY', items: [{ sku: 'VASE', name: '花瓶', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 }], shippingFeeMinor: 0, paidTotalMinor: 25_000 };
const open = { customer: { id: 'cust-td', locale: 'zh-CN' }, order, customerHandle: 'tb_lily', lines: [{ sku: 'VASE', quantity: 1 }], degree: 'MINOR', photoUrls: ['https://evidence.example.com/crack.jpg'], shipment: { carrier: 'SF', trackingNumber: 'SFVASE01', shippedAt: Date.now() - 3 * 86_400_000 } };

describe('transit damage over HTTP', () => {
  it('photos first; minor within the cap: refunded', async () => {
    expect(await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, { ...open, photoUrls: [] })).toMatchObject({ status: 400, body: { field: 'body.photoUrls' } });
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, open);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ASSESSMENT');
    expect(waiting.evidence).toEqual([expect.objectContaining({ url: 'https://evidence.example.com/crack.jpg' })]);
    expect(await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: -1, returnPossible: true, goodsUsable: true })).toMatchObject({ status: 400, body: { field: 'body.returnShippingCostMinor' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor: 1_500, returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: true })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ type: 'TRANSIT_DAMAGE', refundedAmountMinor: 1_500 });
  });

  it('one of two cups damaged: a refund above what the cup cost is refused; above the cap, the agent is shown what going on pays', async () => {
    const cups = { orderId: 'tdo-cups', currency: 'CNY', items: [{ sku: 'CUP', name: '青瓷杯', quantity: 2, unitPriceMinor: 2_000, unitCostMinor: 800 }], shippingFeeMinor: 500, paidTotalMinor: 4_500 };
    const { caseId } = (await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, { ...open, customer: { id: 'cust-cups', locale: 'zh-CN' }, order: cups, lines: [{ sku: 'CUP', quantity: 1 }], shipment: { ...open.shipment, trackingNumber: 'SFCUPS01' } })).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ASSESSMENT');
    const assess = (proposedRefundMinor: number) => pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor, returnShippingCostMinor: 1_000, returnPossible: true, goodsUsable: true });
    expect(await assess(3_000)).toMatchObject({ status: 400, body: { field: 'body.proposedRefundMinor', message: expect.stringContaining('more than the 2000 paid for the damaged goods') } });
    // 1,800 is above the cap (the return shipping, 1,000, is less than the order's profit): an agent decides, shown what CONTINUE pays.
    expect((await assess(1_800)).status).toBe(200);
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    expect(waiting.agentRefunds).toEqual({ CONTINUE: 1_800 });
    // Past the cap only with a supervisor's word: the agent who proposed it cannot pay it on their own.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE' })).toMatchObject({ status: 403, body: { error: 'SUPERVISOR_REQUIRED', field: 'body.action' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ stage: 'AWAITING_AGENT', refundedAmountMinor: 0 });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.SUPERVISOR, { action: 'CONTINUE', note: 'a regular customer: approved' })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1_800 });
  });

  it('severe, sent back: the delivery\'s tracking number is not taken as the return\'s', async () => {
    const { caseId } = (await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, { ...open, customer: { id: 'cust-td2', locale: 'zh-CN' }, order: { ...order, orderId: 'tdo-2' }, degree: 'SEVERE', shipment: { ...open.shipment, trackingNumber: 'SFVASE02' } })).body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-td2' })).body.token;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ASSESSMENT');
    // The goods arrive before the case knows it wants them back: held, not taken as arrived and forgotten.
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: caseId, scannedBy: 'dock' })).toMatchObject({ status: 202, body: { stage: 'AWAITING_ASSESSMENT', held: { reason: 'NOT_ASKED_YET' } } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: false })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    expect(await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFVASE02' })).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('the parcel that brought the order') } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFVASEBACK02' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    // The box comes back empty: not refunded in full as it was, an agent decides, shown what each refund pays.
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFVASEBACK02', scannedBy: 'dock' })).status).toBe(202);
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }] })).status).toBe(200);
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    expect(waiting.agentRefunds).toEqual({ REFUND_RECEIVED: 0, REFUND_REQUESTED: 25_000 });
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE' })).toMatchObject({ status: 400, body: { field: 'body.action' } });
    // Refunding what came back pays nothing: the customer, told only that customer service looks into it, is told why.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_RECEIVED', note: 'empty box' })).toMatchObject({ status: 400, body: { field: 'body.customerMessage', message: expect.stringContaining('REFUND_RECEIVED refunds nothing here') } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_AGENT');
    const why = '退回的包裹是空的，没有可退款的商品；如有疑问请联系客服。';
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_RECEIVED', note: 'empty box', customerMessage: why })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0 });
    const told = await waitUntil('the agent’s words sent to the customer', async () => ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).find((m) => m.template === 'agentDecisionExplained'));
    expect(told.text).toContain(why);
  });

  it('a shop without handles (旺旺名) leaves it out; the shipment takes the order\'s shipped time; neither given is a 400 naming the field', async () => {
    const { customerHandle: _handle, ...withoutHandle } = open;
    const shippedAt = Date.now() - 3 * 86_400_000;
    const body = { ...withoutHandle, customer: { id: 'cust-td3', locale: 'zh-CN' }, order: { ...order, orderId: 'tdo-3', shippedAt }, shipment: { carrier: 'SF', trackingNumber: 'SFVASE03' } };
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, body);
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const row = await pt.db.case.findUniqueOrThrow({ where: { id: opened.body.caseId }, select: { request: true } });
    expect(row.request).toMatchObject({ customerHandle: 'cust-td3', shipment: { shippedAt } });
    await pt.until(opened.body.caseId, pt.keys.AGENT, 'AWAITING_ASSESSMENT');
    const { shippedAt: _orderShipped, ...unshipped } = body.order;
    expect(await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, { ...body, customer: { id: 'cust-td4', locale: 'zh-CN' }, order: { ...unshipped, orderId: 'tdo-4' } })).toMatchObject({ status: 400, body: { field: 'body.shipment.shippedAt', message: expect.stringContaining('is required when order.shippedAt is not given') } });
  });
});
