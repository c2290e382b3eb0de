/** A tracking inquiry over HTTP: the courier's trace answered — delivered to the recipient — and resolved; an urge past the promise shipped now. */
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '茶', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 });

describe('tracking inquiries over HTTP', () => {
  it('where is it: delivered to the recipient, answered and resolved', async () => {
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SFTRACK1' }, { at: Date.now() - 3_600_000, code: 'SIGNED', description: '签收人：王芳' }, 'DELIVERED');
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-tr', locale: 'zh-CN' }, order: order('tro-1'), shipment: { carrier: 'SF', trackingNumber: 'SFTRACK1' }, promisedShipBy: Date.now() - 86_400_000, recipientName: '王芳' });
    expect(opened.status).toBe(201);
    const resolved = await pt.until(opened.body.caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved.timeline.find((e: { kind: string }) => e.kind === 'TRACE_CLASSIFIED').decision).toMatchObject({ outcome: 'DELIVERED' });
  });

  it('hurry up, past the promise and not shipped: apology, the warehouse ships now', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'tro-2', status: 'PACKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-tr', locale: 'zh-CN' }, order: order('tro-2'), promisedShipBy: Date.now() - 3_600_000, recipientName: '王芳' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'YTO', trackingNumber: 'YTNOW001' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'FOLLOWING');
    expect(await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'zh-CN' }, order: order('tro-3'), promisedShipBy: 'tomorrow', recipientName: 'x' })).toMatchObject({ status: 400, body: { field: 'body.promisedShipBy' } });
  });

  it('where is my order, after it was refunded before shipping: told it was cancelled, nothing shipped', async () => {
    // Not picked yet: the refund before shipping cancels the order at the warehouse and refunds it.
    const refund = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-c', locale: 'en' }, order: order('tro-cancelled'), reason: 'ORDERED_BY_MISTAKE' });
    expect(refund.status).toBe(201);
    await pt.until(refund.body.caseId, pt.keys.AGENT, 'RESOLVED');
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-c', locale: 'en' }, order: order('tro-cancelled'), promisedShipBy: Date.now() - 86_400_000, recipientName: 'Wang Fang' })).body;
    const resolved = await pt.until(caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved.timeline.find((e: { kind: string }) => e.kind === 'URGE_CHECKED')).toMatchObject({ data: { dispatch: 'CANCELLED' }, decision: { outcome: 'ORDER_CANCELLED' } });
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>;
    expect(messages.map((m) => m.template)).not.toContain('urgeApology');
    expect(messages.find((m) => m.template === 'urgeOrderCancelled')?.text).toContain('tro-cancelled was cancelled and will not be shipped');
    // Nothing for the warehouse to pack.
    const tasks = (await pt.call('GET', '/v1/warehouse/tasks', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string }>;
    expect(tasks.filter((t) => t.caseId === caseId)).toEqual([]);
  });

  it('an order refunded before shipping while its tracking inquiry waits for the warehouse is not shipped', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'tro-both', status: 'PICKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-b', locale: 'en' }, order: order('tro-both'), promisedShipBy: Date.now() - 86_400_000, recipientName: 'Wang Fang' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    const packTask = async () => ((await pt.call('GET', '/v1/warehouse/tasks?task=PACK_RESHIPMENT', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string }>).find((t) => t.caseId === caseId);
    expect(await packTask()).toBeDefined();
    // The customer asks for the money back meanwhile: picked, so the merchant decides.
    const refund = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-b', locale: 'en' }, order: order('tro-both'), reason: 'ORDERED_BY_MISTAKE' });
    expect(refund.status).toBe(201);
    await pt.until(refund.body.caseId, pt.keys.AGENT, 'AWAITING_MERCHANT');
    const shipped = await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFBOTH001' });
    expect(shipped).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining(`being refunded before shipping (case ${refund.body.caseId})`) } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DISPATCH');
    // Not the warehouse's to pack while the refund is under way (a trial's list still said to ship it).
    expect(await packTask()).toBeUndefined();
    // The merchant approves the refund: the warehouse system cancels the order. When the warehouse's
    // time to ship is up the inquiry asks it again, and resolves as an order cancelled, not escalated.
    expect((await pt.call('POST', `/v1/cases/${refund.body.caseId}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await waitUntil('the order cancelled at the warehouse', async () => (await pt.call('GET', `/v1/cases/${refund.body.caseId}`, pt.keys.AGENT)).body.status !== 'OPEN' && pt.platform.simulators.warehouse!.fulfilmentOf('tro-both')?.status === 'CANCELLED');
    await pt.skip(5 * 3_600);
    const resolved = await pt.until(caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved.timeline.map((e: { kind: string }) => e.kind)).not.toContain('WAREHOUSE_TASK_LATE');
    expect(resolved.timeline.find((e: { kind: string }) => e.kind === 'ORDER_CANCELLED')).toBeDefined();
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string }>;
    expect(messages.map((m) => m.template)).toContain('urgeOrderCancelled');
  });

  it("an order whose refund before shipping found it shipped, and has it brought back: the inquiry's shipping report says so, not 'once cancelled'", async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'tro-left', status: 'PICKED' });
    const { caseId } = (await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-l', locale: 'en' }, order: order('tro-left'), promisedShipBy: Date.now() - 86_400_000, recipientName: 'Wang Fang' })).body;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_DISPATCH');
    pt.platform.simulators.warehouse!.ship('tro-left', 'SF', 'SFLEFT001');
    const refund = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-tr-l', locale: 'en' }, order: order('tro-left'), reason: 'ORDERED_BY_MISTAKE' });
    await pt.until(refund.body.caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    const shipped = await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFLEFT002' });
    expect(shipped).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining(`it had left already as SFLEFT001, which the courier is bringing back`) } });
    expect(shipped.body.message).not.toContain('cancelled');
  });
});
