/**
 * GET /v1/cases by merchant: an admin's list spans every merchant unless `merchantId` picks one (the
 * supervisors' dashboard counts one merchant's cases, not the first page of everyone's); a
 * merchant's own key lists its own and may name only its own merchant.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';

let api: ReadModelApi;
const keys: Record<string, { id: string; key: string }> = {};

async function aCase(id: string, merchantId: string) {
  await api.t.prisma.case.create({
    data: { id, merchantId, type: 'RETURN_AND_REFUND', stage: 'AWAITING_DECISION', orderId: `SO-${id}`, orderSnapshot: {}, request: {}, customerId: 'cust-1', currency: 'CNY', policyVersion: 1, workflowId: `wf-${id}` },
  });
}

beforeAll(async () => {
  api = await openReadModelApi();
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  await repos.ensureMerchant('shop-b', 'Shop B');
  keys.admin = await repos.createCredential({ role: 'ADMIN', label: 'admin' });
  keys.supervisor = await repos.createCredential({ role: 'SUPERVISOR', merchantId: 'shop-a', label: 'supervisor' });
  keys.storefront = await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-a', label: 'storefront' });
  await aCase('list-a1', 'shop-a');
  await aCase('list-a2', 'shop-a');
  await aCase('list-b1', 'shop-b');
});

afterAll(() => api?.close());

async function ids(query: string, who: string) {
  const res = await api.app.inject({ method: 'GET', url: `/v1/cases${query}`, headers: { authorization: `Bearer ${keys[who]!.key}` } });
  const body = JSON.parse(res.body);
  return { status: res.statusCode, body, ids: res.statusCode === 200 ? (body.items as Array<{ id: string }>).map((c) => c.id).sort() : [] };
}

describe('GET /v1/cases by merchant', () => {
  it("an admin lists every merchant's cases, or the one merchant it names", async () => {
    expect((await ids('', 'admin')).ids).toEqual(['list-a1', 'list-a2', 'list-b1']);
    expect((await ids('?merchantId=shop-b', 'admin')).ids).toEqual(['list-b1']);
    expect((await ids('?merchantId=shop-a&open=true', 'admin')).ids).toEqual(['list-a1', 'list-a2']);
    expect(await ids('?merchantId=nobody', 'admin')).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    // A synced list may be scoped too (a case never changes merchant); what a sync returns at once depends on other transactions in flight.
    expect((await ids('?merchantId=shop-b&order=updated', 'admin')).status).toBe(200);
  });

  it("a merchant's key lists its own, may name its own merchant, and not another's", async () => {
    expect((await ids('', 'supervisor')).ids).toEqual(['list-a1', 'list-a2']);
    expect((await ids('?merchantId=shop-a', 'storefront')).ids).toEqual(['list-a1', 'list-a2']);
    const other = await ids('?merchantId=shop-b', 'supervisor');
    expect(other).toMatchObject({ status: 400, body: { field: 'querystring.merchantId', message: expect.stringContaining('only admins choose the merchant') } });
    expect(await ids('?merchantId=shop%20b', 'admin')).toMatchObject({ status: 400, body: { field: 'querystring.merchantId' } });
  });
});
