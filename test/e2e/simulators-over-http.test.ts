/**
 * The simulated providers' controls over HTTP (api/routes/simulators.ts): with only the API, an
 * admin sets what the warehouse system says of an order and what a carrier's tracking says of a
 * parcel, and the cases that ask see it. Bad input names the field; only the admin drives them.
 */
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories } from '../../db/repositories.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 });

describe('the simulated providers, driven over HTTP', () => {
  it('an order the warehouse shipped: a refund before shipping has the parcel it names brought back', async () => {
    expect(await pt.call('GET', '/v1/simulators/warehouse/orders/sim-1', pt.keys.ADMIN)).toMatchObject({ status: 200, body: { orderId: 'sim-1', status: 'NOT_PICKED' } });
    const set = await pt.call('PUT', '/v1/simulators/warehouse/orders/sim-1', pt.keys.ADMIN, { status: 'SHIPPED', carrier: '顺丰', trackingNumber: 'sf 1400 0000 0091' });
    expect(set).toMatchObject({ status: 200, body: { orderId: 'sim-1', status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF140000000091', outboundId: 'ob_sim-1', shippedAt: expect.any(Number) } });
    expect((await pt.call('GET', '/v1/simulators/warehouse/orders/sim-1', pt.keys.ADMIN)).body).toEqual(set.body);
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-sim', locale: 'en' }, order: order('sim-1'), reason: 'NO_LONGER_WANTED' });
    expect(opened.status).toBe(201);
    const intercepting = await pt.until(opened.body.caseId, pt.keys.AGENT, 'AWAITING_INTERCEPTED_PARCEL');
    expect(intercepting.timeline.find((e: { kind: string }) => e.kind === 'FOUND_SHIPPED')).toMatchObject({ data: { carrier: 'SF', trackingNumber: 'SF140000000091', shippedAt: set.body.shippedAt } });
    // The order's own parcel, now awaited back: the case row names it as the parcel coming back.
    expect(intercepting.returnTrackingNumber).toBe('SF140000000091');
  });

  it('an order picked: the merchant is asked first', async () => {
    expect((await pt.call('PUT', '/v1/simulators/warehouse/orders/sim-2', pt.keys.ADMIN, { status: 'PICKED' })).body).toMatchObject({ status: 'PICKED', outboundId: 'ob_sim-2' });
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-sim', locale: 'en' }, order: order('sim-2'), reason: 'NO_LONGER_WANTED' });
    await pt.until(opened.body.caseId, pt.keys.AGENT, 'AWAITING_MERCHANT');
  });

  it("a parcel's scans: a tracking inquiry reads them, a delivery dates the parcel", async () => {
    expect((await pt.call('GET', '/v1/simulators/courier/traces?carrier=SF&trackingNumber=SFSIM0001', pt.keys.ADMIN)).body).toEqual({ carrier: 'SF', trackingNumber: 'SFSIM0001', status: 'NO_TRACE', events: [] });
    const at = Date.now() - 3_600_000;
    expect((await pt.call('POST', '/v1/simulators/courier/tracking-events', pt.keys.ADMIN, { carrier: 'SF', trackingNumber: 'SFSIM0001', status: 'IN_TRANSIT', code: 'IN_TRANSIT', description: '快件已到达杭州转运中心', at: at - 86_400_000 })).status).toBe(200);
    const delivered = await pt.call('POST', '/v1/simulators/courier/tracking-events', pt.keys.ADMIN, { carrier: 'sf', trackingNumber: 'sfsim0001', status: 'DELIVERED', code: 'SIGNED', description: '签收人：王芳', location: '杭州', at });
    expect(delivered).toMatchObject({ status: 200, body: { carrier: 'SF', trackingNumber: 'SFSIM0001', status: 'DELIVERED', deliveredAt: at, events: [{ code: 'IN_TRANSIT' }, { code: 'SIGNED', location: '杭州' }] } });
    // Read back as a body names it: "顺丰" and the number in lower case with spaces are SF's SFSIM0001.
    expect((await pt.call('GET', `/v1/simulators/courier/traces?carrier=${encodeURIComponent('顺丰')}&trackingNumber=${encodeURIComponent('sfsim 0001')}`, pt.keys.ADMIN)).body).toMatchObject({ carrier: 'SF', trackingNumber: 'SFSIM0001', status: 'DELIVERED' });
    const opened = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, { customer: { id: 'cust-sim', locale: 'zh-CN' }, order: order('sim-3'), shipment: { carrier: 'SF', trackingNumber: 'SFSIM0001' }, promisedShipBy: Date.now() - 2 * 86_400_000, recipientName: '王芳' });
    const resolved = await pt.until(opened.body.caseId, pt.keys.AGENT, 'RESOLVED');
    expect(resolved.timeline.find((e: { kind: string }) => e.kind === 'TRACE_CLASSIFIED').decision).toMatchObject({ outcome: 'DELIVERED' });
  });

  it('bad input names the field; only the admin drives them', async () => {
    const put = (body: unknown) => pt.call('PUT', '/v1/simulators/warehouse/orders/sim-9', pt.keys.ADMIN, body);
    expect(await put({ status: 'LOST' })).toMatchObject({ status: 400, body: { field: 'body.status' } });
    expect(await put({ status: 'PICKED', trackingNumber: 'SF1400000000092', carrier: 'SF' })).toMatchObject({ status: 400, body: { field: 'body.carrier', message: expect.stringContaining('SHIPPED order only') } });
    expect(await put({ status: 'SHIPPED', trackingNumber: 'SF1400000000092' })).toMatchObject({ status: 400, body: { field: 'body.carrier' } });
    expect(await put({ status: 'SHIPPED', shippedAt: Date.now() + 86_400_000 })).toMatchObject({ status: 400, body: { field: 'body.shippedAt', message: expect.stringContaining('future') } });
    const scan = (body: Record<string, unknown>) => pt.call('POST', '/v1/simulators/courier/tracking-events', pt.keys.ADMIN, { carrier: 'SF', trackingNumber: 'SFSIM0009', status: 'IN_TRANSIT', code: 'IN_TRANSIT', description: 'x', ...body });
    expect(await scan({ status: 'NO_TRACE' })).toMatchObject({ status: 400, body: { field: 'body.status' } });
    expect(await scan({ description: ' ' })).toMatchObject({ status: 400, body: { field: 'body.description' } });
    expect(await scan({ at: Date.now() + 86_400_000 })).toMatchObject({ status: 400, body: { field: 'body.at' } });
    expect(await pt.call('GET', '/v1/simulators/courier/traces?carrier=SF', pt.keys.ADMIN)).toMatchObject({ status: 400, body: { field: 'querystring.trackingNumber' } });
    for (const role of ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR'] as const) expect((await put({ status: 'SHIPPED' })).status === 200 && (await pt.call('PUT', '/v1/simulators/warehouse/orders/sim-9', pt.keys[role], { status: 'SHIPPED' })).status).toBe(403);
    expect((await pt.call('GET', '/v1/simulators/warehouse/orders/sim-9', undefined)).status).toBe(401);
  });

  it('an API without the simulators (npm run api) has no controls, and its OpenAPI document names none', async () => {
    const app = await buildApp({ repos: createRepositories(pt.db), temporal: new Client({ connection: pt.temporal }), courierSecrets: {} });
    try {
      const headers = { authorization: `Bearer ${pt.keys.ADMIN}` };
      expect((await app.inject({ method: 'GET', url: '/v1/simulators/warehouse/orders/sim-1', headers })).statusCode).toBe(404);
      expect(Object.keys((await app.inject({ method: 'GET', url: '/docs/json' })).json().paths).filter((p) => p.startsWith('/v1/simulators'))).toEqual([]);
    } finally {
      await app.close();
    }
    const paths = Object.keys((await pt.call('GET', '/docs/json', undefined)).body.paths);
    expect(paths.filter((p) => p.startsWith('/v1/simulators')).sort()).toEqual([
      '/v1/simulators/courier/traces',
      '/v1/simulators/courier/tracking-events',
      '/v1/simulators/payment/refunds/{refundId}/settlement',
      '/v1/simulators/payment/settlement',
      '/v1/simulators/warehouse/orders/{orderId}',
    ]);
  });
});
