/**
 * GET /v1/cases/:caseId shows the order the case was opened with (the console's case page draws
 * its lines from it): to every role that may read the case — a customer only their own — with
 * prices and times, never the merchant's unit costs; a row written without a snapshot reads null.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';

let api: ReadModelApi;
let t: ReadModelApi['t'];
let app: ReadModelApi['app'];
const keys: Record<string, { id: string; key: string }> = {};

const SHIPPED = Date.UTC(2026, 10, 23, 8, 20);
const DELIVERED = Date.UTC(2026, 10, 25, 3, 5);
const ORDER = {
  orderId: 'SO-ORDER-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG-01', name: '陶瓷马克杯', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
    { sku: 'TEA-07', name: '西湖龙井', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6200 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 21400,
  shippedAt: SHIPPED,
  deliveredAt: DELIVERED,
};

async function aCase(id: string, orderSnapshot: object, merchantId = 'shop-a') {
  await t.prisma.case.create({
    data: { id, merchantId, type: 'RETURN_AND_REFUND', stage: 'AWAITING_DECISION', orderId: 'SO-ORDER-1', orderSnapshot, request: {}, customerId: 'cust-1', currency: 'CNY', policyVersion: 1, workflowId: `wf-${id}` },
  });
}

beforeAll(async () => {
  api = await openReadModelApi();
  ({ t, app } = api);
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  await repos.ensureMerchant('shop-b', 'Shop B');
  for (const [name, role, merchantId] of [
    ['agent', 'AGENT', 'shop-a'],
    ['supervisor', 'SUPERVISOR', 'shop-a'],
    ['warehouse', 'WAREHOUSE', 'shop-a'],
    ['storefront', 'STOREFRONT', 'shop-a'],
    ['admin', 'ADMIN', undefined],
    ['agentB', 'AGENT', 'shop-b'],
  ] as const) {
    keys[name] = await repos.createCredential({ role, merchantId, label: name });
  }
  keys.customer = await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-1', label: 'token' });
  keys.otherCustomer = await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-2', label: 'token' });
  await aCase('order-full', ORDER);
  await aCase('order-none', {});
});

afterAll(() => api?.close());

async function get(url: string, who: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys[who]!.key}` } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}

describe('the order on GET /v1/cases/:caseId', () => {
  const expected = {
    orderId: 'SO-ORDER-1',
    currency: 'CNY',
    items: [
      { sku: 'MUG-01', name: '陶瓷马克杯', quantity: 2, unitPriceMinor: 3900 },
      { sku: 'TEA-07', name: '西湖龙井', quantity: 1, unitPriceMinor: 12800 },
    ],
    shippingFeeMinor: 800,
    paidTotalMinor: 21400,
    shippedAt: new Date(SHIPPED).toISOString(),
    deliveredAt: new Date(DELIVERED).toISOString(),
  };

  it('every role that may read the case sees the order snapshot, prices but no unit costs', async () => {
    for (const who of ['agent', 'supervisor', 'warehouse', 'storefront', 'admin', 'customer']) {
      const res = await get('/v1/cases/order-full', who);
      expect(res.status, who).toBe(200);
      expect(res.body.order, who).toEqual(expected);
      expect(JSON.stringify(res.body), who).not.toContain('unitCostMinor');
    }
  });

  it('another customer, or another merchant’s agent, sees nothing of it', async () => {
    expect((await get('/v1/cases/order-full', 'otherCustomer')).status).toBe(404);
    expect((await get('/v1/cases/order-full', 'agentB')).status).toBe(404);
  });

  it('an order without shipping times has them null; a row written without a snapshot reads null', async () => {
    await aCase('order-unshipped', { ...ORDER, shippedAt: undefined, deliveredAt: undefined });
    expect((await get('/v1/cases/order-unshipped', 'agent')).body.order).toEqual({ ...expected, shippedAt: null, deliveredAt: null });
    const none = await get('/v1/cases/order-none', 'agent');
    expect(none.status).toBe(200);
    expect(none.body.order).toBeNull();
  });

  it('is in the OpenAPI document as a typed object, not an open one', async () => {
    const doc = JSON.parse((await app.inject({ method: 'GET', url: '/docs/json' })).body);
    const schema = doc.paths['/v1/cases/{caseId}'].get.responses['200'].content['application/json'].schema;
    const order = JSON.stringify(schema.properties.order);
    for (const field of ['orderId', 'currency', 'items', 'unitPriceMinor', 'shippingFeeMinor', 'paidTotalMinor', 'shippedAt', 'deliveredAt']) expect(order).toContain(`"${field}"`);
    expect(order).not.toContain('unitCostMinor');
  });
});
