/**
 * Keys over HTTP: admins create, list and revoke keys; a revoked or expired key is refused on its
 * next request; customer tokens expire after their lifetime and can be revoked by their shop.
 * The app is built with buildApp on a test database; its Temporal connection is lazy and never
 * dialled: these routes do not use it.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config.js';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
/** The API's clock (expiry instants are computed from it); the key check itself runs on the real clock. */
let clock = Date.now();
const keys: Record<string, { id: string; key: string }> = {};

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-a', 'Shop A');
  await repos.ensureMerchant('shop-b', 'Shop B');
  const make = async (name: string, role: 'ADMIN' | 'SUPERVISOR' | 'STOREFRONT' | 'AGENT', merchantId?: string) => {
    keys[name] = await repos.createCredential({ role, merchantId, label: `test ${name}` });
  };
  await make('admin', 'ADMIN');
  await make('otherAdmin', 'ADMIN');
  await make('supervisorA', 'SUPERVISOR', 'shop-a');
  await make('agentB', 'AGENT', 'shop-b');
  await make('storefrontA', 'STOREFRONT', 'shop-a');
  await make('storefrontB', 'STOREFRONT', 'shop-b');
  await t.prisma.case.create({
    data: { id: 'case-a1', merchantId: 'shop-a', type: 'RETURN_AND_REFUND', stage: 'OPENED', orderId: 'o1', orderSnapshot: {}, request: {}, customerId: 'cust-1', currency: 'CNY', policyVersion: 1, workflowId: 'wf-case-a1' },
  });
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {}, customerTokenTtlSeconds: 3600, now: () => clock });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

async function call(method: 'GET' | 'POST' | 'DELETE', url: string, key?: string, body?: unknown) {
  const res = await app.inject({ method, url, headers: key ? { authorization: `Bearer ${key}` } : {}, ...(body !== undefined ? { payload: body as object } : {}) });
  return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined, raw: res.body };
}

describe('admin keys', () => {
  it('a created key works at once, is shown once, and no listing holds a key or its hash', async () => {
    const created = await call('POST', '/v1/admin/keys', keys.admin!.key, { role: 'AGENT', merchantId: 'shop-a', label: 'desk 3' });
    expect(created).toMatchObject({ status: 201, body: { role: 'AGENT', merchantId: 'shop-a', label: 'desk 3', expiresAt: null, revokedAt: null } });
    expect(created.body.key).toMatch(/^agent_/);
    expect((await call('GET', '/v1/cases', created.body.key)).status).toBe(200);

    const { keyHash } = await t.prisma.apiCredential.findUniqueOrThrow({ where: { id: created.body.id }, select: { keyHash: true } });
    for (const url of ['/v1/admin/keys', '/v1/admin/keys?all=true', '/v1/admin/keys?merchantId=shop-a']) {
      const list = await call('GET', url, keys.admin!.key);
      expect(list.status).toBe(200);
      expect(list.body.items.map((k: { id: string }) => k.id)).toContain(created.body.id);
      for (const secret of [created.body.key, keyHash, keys.admin!.key]) expect(list.raw).not.toContain(secret);
      for (const item of list.body.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'label', 'merchantId', 'revokedAt', 'role']);
    }
    // Customer tokens are not keys: they stay out of the key listing.
    const token = await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1' });
    expect((await call('GET', '/v1/admin/keys?all=true', keys.admin!.key)).body.items.map((k: { id: string }) => k.id)).not.toContain(token.body.tokenId);
  });

  it('a revoked key is refused on its next request, and so is an expired one, with one message for unknown, expired and revoked', async () => {
    const created = await call('POST', '/v1/admin/keys', keys.admin!.key, { role: 'AGENT', merchantId: 'shop-a', label: 'leaving soon' });
    expect((await call('GET', '/v1/cases', created.body.key)).status).toBe(200);
    const revoked = await call('DELETE', `/v1/admin/keys/${created.body.id}`, keys.admin!.key);
    expect(revoked).toMatchObject({ status: 200, body: { id: created.body.id, role: 'AGENT', label: 'leaving soon' } });
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(revoked.raw).not.toContain(created.body.key);
    const refusedRevoked = await call('GET', '/v1/cases', created.body.key);
    expect(refusedRevoked.status).toBe(401);
    expect(refusedRevoked.body.message).toMatch(/unknown, expired or revoked/);

    const expired = await repos.credentials.create({ role: 'AGENT', merchantId: 'shop-a', label: 'expired', expiresAt: new Date(Date.now() - 1000) });
    const future = await repos.credentials.create({ role: 'AGENT', merchantId: 'shop-a', label: 'valid', expiresAt: new Date(Date.now() + 3_600_000) });
    expect((await call('GET', '/v1/cases', future.key)).status).toBe(200);
    const refusedExpired = await call('GET', '/v1/cases', expired.key);
    const refusedUnknown = await call('GET', '/v1/cases', 'agent_nosuchkey');
    expect(refusedExpired.status).toBe(401);
    // Nothing tells a caller whether the key ever existed.
    expect(refusedExpired.body).toEqual(refusedRevoked.body);
    expect(refusedUnknown.body).toEqual(refusedRevoked.body);

    // The listing shows live keys; all=true also the revoked and expired ones.
    const live = (await call('GET', '/v1/admin/keys', keys.admin!.key)).body.items.map((k: { id: string }) => k.id);
    const all = (await call('GET', '/v1/admin/keys?all=true', keys.admin!.key)).body.items.map((k: { id: string }) => k.id);
    expect(live).toContain(future.credential.id);
    expect(live).not.toContain(created.body.id);
    expect(live).not.toContain(expired.credential.id);
    expect(all).toEqual(expect.arrayContaining([created.body.id, expired.credential.id, future.credential.id]));
  });

  it('an admin cannot revoke its own key (409) but another admin can; unknown ids are 404', async () => {
    const own = await call('DELETE', `/v1/admin/keys/${keys.otherAdmin!.id}`, keys.otherAdmin!.key);
    expect(own).toMatchObject({ status: 409 });
    expect((await call('GET', '/v1/admin/keys', keys.otherAdmin!.key)).status).toBe(200);
    expect((await call('DELETE', '/v1/admin/keys/00000000-0000-0000-0000-000000000000', keys.admin!.key)).status).toBe(404);
    expect((await call('DELETE', `/v1/admin/keys/${keys.otherAdmin!.id}`, keys.admin!.key)).status).toBe(200);
    expect((await call('GET', '/v1/admin/keys', keys.otherAdmin!.key)).status).toBe(401);
  });

  it('an expiry is kept and enforced; bad requests are 400 naming the field', async () => {
    const expiresAt = new Date(clock + 90 * 86_400_000).toISOString();
    const created = await call('POST', '/v1/admin/keys', keys.admin!.key, { role: 'ADMIN', label: 'quarterly', expiresAt });
    expect(created).toMatchObject({ status: 201, body: { role: 'ADMIN', merchantId: null, expiresAt } });

    const bad: Array<[unknown, string]> = [
      [{ role: 'AGENT', label: 'x' }, 'body.merchantId'],
      [{ role: 'ADMIN', merchantId: 'shop-a', label: 'x' }, 'body.merchantId'],
      [{ role: 'AGENT', merchantId: 'no-such-shop', label: 'x' }, 'body.merchantId'],
      [{ role: 'AGENT', merchantId: 'shop-a', label: 'x', expiresAt: new Date(clock - 1000).toISOString() }, 'body.expiresAt'],
    ];
    for (const [body, field] of bad) expect(await call('POST', '/v1/admin/keys', keys.admin!.key, body)).toMatchObject({ status: 400, body: { field } });
    for (const body of [{ role: 'CUSTOMER', merchantId: 'shop-a', label: 'x' }, { role: 'AGENT', merchantId: 'shop-a', label: 'x', extra: 1 }, { role: 'AGENT', merchantId: 'shop-a', label: 'x', expiresAt: 'soon' }, { role: 'AGENT', merchantId: 'shop-a' }]) {
      expect((await call('POST', '/v1/admin/keys', keys.admin!.key, body)).status).toBe(400);
    }
  });

  it('a supervisor lists its own merchant keys and nothing more; other roles are refused', async () => {
    const list = await call('GET', '/v1/admin/keys?all=true', keys.supervisorA!.key);
    expect(list.status).toBe(200);
    expect(list.body.items.length).toBeGreaterThan(0);
    expect(new Set(list.body.items.map((k: { merchantId: string }) => k.merchantId))).toEqual(new Set(['shop-a']));
    expect((await call('GET', '/v1/admin/keys?merchantId=shop-b', keys.supervisorA!.key)).status).toBe(404);
    expect((await call('POST', '/v1/admin/keys', keys.supervisorA!.key, { role: 'AGENT', merchantId: 'shop-a', label: 'x' })).status).toBe(403);
    expect((await call('DELETE', `/v1/admin/keys/${keys.agentB!.id}`, keys.supervisorA!.key)).status).toBe(403);
    expect((await call('GET', '/v1/admin/keys', keys.agentB!.key)).status).toBe(403);
    expect((await call('GET', '/v1/admin/keys')).status).toBe(401);
    // Still alive: the supervisor's attempt changed nothing.
    expect((await call('GET', '/v1/cases', keys.agentB!.key)).status).toBe(200);
  });
});

describe('customer tokens', () => {
  const seeCase = (token: string) => call('GET', '/v1/cases/case-a1', token).then((r) => r.status);

  it('expire after ttlSeconds, or the configured default, counted from the API clock', async () => {
    clock = Date.UTC(2030, 0, 1);
    const defaulted = await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1' });
    expect(defaulted).toMatchObject({ status: 201, body: { customerId: 'cust-1', expiresAt: new Date(clock + 3600 * 1000).toISOString() } });
    const chosen = await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1', ttlSeconds: 120 });
    expect(chosen.body.expiresAt).toBe(new Date(clock + 120_000).toISOString());
    expect(await seeCase(chosen.body.token)).toBe(200);

    // Issued by a clock two days back with a one-hour life: already past on the real clock.
    clock = Date.now() - 2 * 86_400_000;
    const stale = await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1', ttlSeconds: 3600 });
    expect(stale.status).toBe(201);
    expect(await seeCase(stale.body.token)).toBe(401);
    clock = Date.now();

    for (const ttlSeconds of [59, 30 * 86_400 + 1, 1.5]) expect((await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1', ttlSeconds })).status).toBe(400);
  });

  it('are revoked by their own shop or an admin, at once; not by another shop or another role', async () => {
    const issue = async () => (await call('POST', '/v1/customer-tokens', keys.storefrontA!.key, { customerId: 'cust-1' })).body as { token: string; tokenId: string };
    const first = await issue();
    expect(await seeCase(first.token)).toBe(200);
    expect((await call('DELETE', `/v1/customer-tokens/${first.tokenId}`, keys.storefrontB!.key)).status).toBe(404);
    expect((await call('DELETE', `/v1/customer-tokens/${first.tokenId}`, keys.agentB!.key)).status).toBe(403);
    expect(await seeCase(first.token)).toBe(200);
    const revoked = await call('DELETE', `/v1/customer-tokens/${first.tokenId}`, keys.storefrontA!.key);
    expect(revoked).toMatchObject({ status: 200, body: { tokenId: first.tokenId, customerId: 'cust-1' } });
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect(await seeCase(first.token)).toBe(401);

    const second = await issue();
    expect((await call('DELETE', `/v1/customer-tokens/${second.tokenId}`, keys.admin!.key)).status).toBe(200);
    expect(await seeCase(second.token)).toBe(401);
    // A staff key is not a customer token, even for an admin.
    expect((await call('DELETE', `/v1/customer-tokens/${keys.agentB!.id}`, keys.admin!.key)).status).toBe(404);
    expect((await call('GET', '/v1/cases', keys.agentB!.key)).status).toBe(200);
  });

  it('a customer is signed out everywhere at once: their live tokens listed (never the tokens) and revoked by their shop; other customers and shops untouched', async () => {
    clock = Date.now();
    const issue = async (storefront: string, customerId: string) => (await call('POST', '/v1/customer-tokens', keys[storefront]!.key, { customerId })).body as { token: string; tokenId: string };
    const [phone, laptop, other, sameIdElsewhere] = [await issue('storefrontA', 'cust-out'), await issue('storefrontA', 'cust-out'), await issue('storefrontA', 'cust-stays'), await issue('storefrontB', 'cust-out')];
    const listed = await call('GET', '/v1/customer-tokens?customerId=cust-out', keys.storefrontA!.key);
    expect(listed).toMatchObject({ status: 200, body: { customerId: 'cust-out' } });
    expect(listed.body.items.map((i: { tokenId: string }) => i.tokenId)).toEqual([phone.tokenId, laptop.tokenId]);
    for (const secret of [phone.token, laptop.token]) expect(listed.raw).not.toContain(secret);
    expect((await call('GET', '/v1/customer-tokens?customerId=cust-out', keys.agentB!.key)).status).toBe(403);
    expect((await call('GET', '/v1/customer-tokens', keys.storefrontA!.key)).status).toBe(400);

    const out = await call('DELETE', '/v1/customer-tokens?customerId=cust-out', keys.storefrontA!.key);
    expect(out).toMatchObject({ status: 200, body: { customerId: 'cust-out', revokedAt: expect.any(String) } });
    expect([...out.body.revoked].sort()).toEqual([phone.tokenId, laptop.tokenId].sort());
    const status = (token: string) => call('GET', '/v1/cases', token).then((r) => r.status);
    expect([await status(phone.token), await status(laptop.token), await status(other.token), await status(sameIdElsewhere.token)]).toEqual([401, 401, 200, 200]);
    // Again: nothing more to revoke, nothing listed.
    expect((await call('DELETE', '/v1/customer-tokens?customerId=cust-out', keys.storefrontA!.key)).body.revoked).toEqual([]);
    expect((await call('GET', '/v1/customer-tokens?customerId=cust-out', keys.storefrontA!.key)).body.items).toEqual([]);
  });

  it('CUSTOMER_TOKEN_TTL_SECONDS defaults to a day and is validated', () => {
    expect(loadConfig({}).customerTokenTtlSeconds).toBe(86_400);
    expect(loadConfig({ CUSTOMER_TOKEN_TTL_SECONDS: '600' }).customerTokenTtlSeconds).toBe(600);
    for (const bad of ['30', '2592001', 'soon', '']) expect(() => loadConfig({ CUSTOMER_TOKEN_TTL_SECONDS: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ CUSTOMER_TOKEN_TTL_SECONDS: '30' })).toThrow(/CUSTOMER_TOKEN_TTL_SECONDS/);
  });
});
