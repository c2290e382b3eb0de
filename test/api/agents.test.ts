/**
 * Whom a case can be assigned to (GET /v1/agents): the merchant's live AGENT and SUPERVISOR keys,
 * by label, never a key or its hash; another merchant's, revoked and expired keys left out;
 * customers, storefronts and the warehouse refused. The assignment takes only those ids: any other
 * (a typo, a warehouse key, another merchant's agent, a revoked one) is a 400 on body.agentId that
 * points at GET /v1/agents, and a real one puts the case in that agent's queue ("mine").
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, hashKey } from '../../db/repositories.js';
import { usePlatform } from '../e2e/platform-harness.js';
import { PATIENCE_MS, waitUntil } from '../support/wait.js';

const pt = usePlatform();
const DAY = 86_400_000;
/** Keys made here (the platform's development keys are in pt.keys), by name. */
const made: Record<string, { id: string; key: string }> = {};
/** The ids of the platform's development keys, by role. */
const dev: Record<string, string> = {};

beforeAll(async () => {
  const repos = createRepositories(pt.db);
  await repos.ensureMerchant('shop-b', 'Shop B');
  const past = new Date(Date.now() - DAY);
  const future = new Date(Date.now() + 30 * DAY);
  for (const [name, role, merchantId, label, expiresAt] of [
    ['wangfang', 'AGENT', 'demo-merchant', '王芳', future],
    ['liming', 'SUPERVISOR', 'demo-merchant', '李明', undefined],
    ['aaron', 'AGENT', 'demo-merchant', 'Aaron', undefined],
    ['revoked', 'AGENT', 'demo-merchant', 'revoked agent', undefined],
    ['expired', 'AGENT', 'demo-merchant', 'expired agent', past],
    ['otherAgent', 'AGENT', 'shop-b', 'shop B agent', undefined],
    ['otherSupervisor', 'SUPERVISOR', 'shop-b', 'shop B supervisor', undefined],
  ] as const) {
    made[name] = await repos.createCredential({ role, merchantId, label, expiresAt });
  }
  await repos.credentials.revoke(made.revoked!.id);
  for (const role of ['AGENT', 'SUPERVISOR', 'WAREHOUSE', 'STOREFRONT']) dev[role] = (await repos.credential(pt.keys[role]!))!.id;
}, 60_000);

/** A return the policy cannot decide (the order is not delivered yet): it stays open, waiting for an agent. */
async function openCase(orderId: string): Promise<string> {
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: `cust-${orderId}`, locale: 'zh-CN' },
    order: { orderId, currency: 'CNY', items: [{ sku: 'MUG', name: '马克杯', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 0, paidTotalMinor: 3900, shippedAt: Date.now() - 3 * DAY },
    lines: [{ sku: 'MUG', quantity: 1, reason: 'DEFECTIVE' }],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  await pt.until(opened.body.caseId, pt.keys.AGENT!, 'AWAITING_DECISION');
  return opened.body.caseId;
}

describe('GET /v1/agents', () => {
  it("lists the merchant's live agents and supervisors by label: id, label and role, nothing else", async () => {
    const expected = [
      { id: made.aaron!.id, label: 'Aaron', role: 'AGENT' },
      { id: dev.AGENT!, label: 'development agent key', role: 'AGENT' },
      { id: dev.SUPERVISOR!, label: 'development supervisor key', role: 'SUPERVISOR' },
      { id: made.liming!.id, label: '李明', role: 'SUPERVISOR' },
      { id: made.wangfang!.id, label: '王芳', role: 'AGENT' },
    ].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    for (const who of ['AGENT', 'SUPERVISOR']) {
      const res = await pt.call('GET', '/v1/agents', pt.keys[who]);
      expect(res.status, who).toBe(200);
      // Exactly these: no warehouse, storefront or admin key, nobody of shop B, nobody revoked or expired.
      expect(res.body).toEqual({ merchantId: 'demo-merchant', items: expected });
    }
    // Its own merchant named: the same list.
    expect((await pt.call('GET', '/v1/agents?merchantId=demo-merchant', made.wangfang!.key)).body.items).toEqual(expected);
  });

  it("shows each merchant its own people only; another merchant's are a 404", async () => {
    expect(await pt.call('GET', '/v1/agents', made.otherAgent!.key)).toMatchObject({
      status: 200,
      body: {
        merchantId: 'shop-b',
        items: [
          { id: made.otherAgent!.id, label: 'shop B agent', role: 'AGENT' },
          { id: made.otherSupervisor!.id, label: 'shop B supervisor', role: 'SUPERVISOR' },
        ],
      },
    });
    expect(await pt.call('GET', '/v1/agents?merchantId=shop-b', pt.keys.SUPERVISOR)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('an admin names the merchant (without one: 400; an unknown one: 404)', async () => {
    expect((await pt.call('GET', '/v1/agents?merchantId=shop-b', pt.keys.ADMIN)).body.items.map((a: { id: string }) => a.id)).toEqual([made.otherAgent!.id, made.otherSupervisor!.id]);
    expect(await pt.call('GET', '/v1/agents', pt.keys.ADMIN)).toMatchObject({ status: 400, body: { field: 'querystring.merchantId' } });
    expect((await pt.call('GET', '/v1/agents?merchantId=no-such-shop', pt.keys.ADMIN)).status).toBe(404);
  });

  it('refuses customers, storefronts and the warehouse; a revoked or expired key is not let in', async () => {
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-agents' })).body.token as string;
    for (const key of [token, pt.keys.STOREFRONT, pt.keys.WAREHOUSE]) expect((await pt.call('GET', '/v1/agents', key)).status).toBe(403);
    for (const key of [made.revoked!.key, made.expired!.key]) expect((await pt.call('GET', '/v1/agents', key)).status).toBe(401);
  });

  it('never answers a key or its hash', async () => {
    const body = (await pt.call('GET', '/v1/agents', pt.keys.SUPERVISOR)).body;
    for (const item of body.items) expect(Object.keys(item).sort()).toEqual(['id', 'label', 'role']);
    const text = JSON.stringify(body);
    for (const k of [pt.keys.AGENT!, pt.keys.SUPERVISOR!, made.wangfang!.key, made.liming!.key]) {
      expect(text).not.toContain(k);
      expect(text).not.toContain(hashKey(k));
    }
  });
});

describe('POST /v1/cases/:caseId/assignment', () => {
  let caseId: string;
  beforeAll(async () => {
    caseId = await openCase('SO-AGENTS-1');
  }, PATIENCE_MS);

  it("refuses an id that is none of the case's merchant's live agents or supervisors, and says where to find them", async () => {
    const refused = {
      'a typo': 'wangfang',
      'an unknown id': randomUUID(),
      'a warehouse key': dev.WAREHOUSE!,
      'a storefront key': dev.STOREFRONT!,
      "another merchant's agent": made.otherAgent!.id,
      "another merchant's supervisor": made.otherSupervisor!.id,
      'a revoked agent': made.revoked!.id,
      'an expired agent': made.expired!.id,
    };
    for (const [what, agentId] of Object.entries(refused)) {
      for (const who of ['SUPERVISOR', 'ADMIN']) {
        const res = await pt.call('POST', `/v1/cases/${caseId}/assignment`, pt.keys[who], { agentId });
        expect(res, `${what} by ${who}`).toMatchObject({ status: 400, body: { field: 'body.agentId', problems: [{ field: 'body.agentId', reason: expect.stringContaining('GET /v1/agents?merchantId=demo-merchant') }] } });
      }
    }
    // Nothing reached the case.
    const c = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body;
    expect(c.assigneeId).toBeNull();
    expect(c.timeline.map((e: { kind: string }) => e.kind)).not.toContain('ASSIGNED');
  });

  it("takes one of the merchant's agents: the case is in that agent's queue", async () => {
    expect(await pt.call('POST', `/v1/cases/${caseId}/assignment`, pt.keys.SUPERVISOR, { agentId: made.wangfang!.id })).toMatchObject({ status: 202, body: { caseId } });
    await waitUntil('the assignment in the read model', async () => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body?.assigneeId === made.wangfang!.id || undefined);
    expect((await pt.call('GET', '/v1/cases?mine=true', made.wangfang!.key)).body.items.map((c: { id: string }) => c.id)).toEqual([caseId]);
    // A supervisor is one too, and an agent may take a case themselves.
    expect((await pt.call('POST', `/v1/cases/${caseId}/assignment`, pt.keys.ADMIN, { agentId: made.liming!.id })).status).toBe(202);
    expect((await pt.call('POST', `/v1/cases/${caseId}/assignment`, pt.keys.AGENT, { agentId: dev.AGENT })).status).toBe(202);
    await waitUntil('the agent’s own assignment in the read model', async () => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body?.assigneeId === dev.AGENT || undefined);
  });

  it("a key of another merchant cannot assign this merchant's case at all (404, as any case of another merchant)", async () => {
    expect((await pt.call('POST', `/v1/cases/${caseId}/assignment`, made.otherSupervisor!.key, { agentId: made.otherAgent!.id })).status).toBe(404);
  });
});
