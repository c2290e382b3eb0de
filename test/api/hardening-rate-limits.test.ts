/**
 * Rate limits: per API key for authenticated callers, per IP for callers without a valid key,
 * per carrier and IP for courier callbacks; a 429 in the one error shape with Retry-After and the
 * rate-limit headers. Health, readiness and the documentation are never limited. Only an
 * authenticated caller's Idempotency-Key is stored.
 *
 * Each test sends from IP addresses of its own (`remoteAddress`), so the buckets do not mix.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
const keys: Record<string, string> = {};
const PER_KEY = 5;
const ANONYMOUS = 3;
const SECRETS = { SF: 'sf-rate-secret-1234', YTO: 'yto-rate-secret-123' };

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-rl', 'Shop');
  for (const name of ['a', 'b', 'c', 'd']) keys[name] = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-rl', label: `agent ${name}` })).key;
  keys.storefront = (await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-rl', label: 'storefront' })).key;
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: SECRETS, rateLimits: { perKeyPerMinute: PER_KEY, anonymousPerMinute: ANONYMOUS } });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

const get = (url: string, ip: string, key?: string) => app.inject({ method: 'GET', url, remoteAddress: ip, headers: key ? { authorization: `Bearer ${key}` } : {} });

function courierEvent(carrier: 'SF' | 'YTO', ip: string, eventId: string, headers: Record<string, string> = {}, asWritten: string = carrier) {
  const body = JSON.stringify({ trackingNumber: `${carrier}-UNKNOWN-1`, code: 'IN_TRANSIT', at: Date.now(), eventId });
  return app.inject({
    method: 'POST',
    url: `/v1/couriers/${asWritten}/events`,
    remoteAddress: ip,
    headers: { 'content-type': 'application/json', 'x-signature': sign(SECRETS[carrier], body, Math.floor(Date.now() / 1000)), ...headers },
    payload: body,
  });
}

function expectLimited(res: Awaited<ReturnType<typeof get>>, limit: number) {
  expect(res.statusCode).toBe(429);
  const body = res.json() as { error: string; message: string; problems: unknown[] };
  expect(body).toEqual({ error: 'RATE_LIMITED', message: expect.stringMatching(/^too many requests: retry in \d+ s$/), problems: [] });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
  expect(res.headers['x-ratelimit-limit']).toBe(String(limit));
  expect(res.headers['x-ratelimit-remaining']).toBe('0');
  expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
}

describe('rate limits', () => {
  it('the N+1st request without a key in a minute is a 429 with Retry-After; health and docs stay open', async () => {
    const ip = '10.0.0.1';
    for (let i = 0; i < ANONYMOUS; i++) {
      const res = await get('/v1/cases', ip);
      expect(res.statusCode).toBe(401);
      expect(res.headers['x-ratelimit-remaining']).toBe(String(ANONYMOUS - 1 - i));
    }
    expectLimited(await get('/v1/cases', ip), ANONYMOUS);
    // Unknown routes count as anonymous as well.
    expectLimited(await get('/v1/nowhere', ip), ANONYMOUS);
    for (let i = 0; i < ANONYMOUS + 2; i++) {
      expect((await get('/health', ip)).statusCode).toBe(200);
      expect((await get('/docs/json', ip)).statusCode).toBe(200);
    }
    // Another address has its own allowance.
    expect((await get('/v1/cases', '10.0.0.2')).statusCode).toBe(401);
  });

  it('requests with an unknown key count as anonymous, and a valid key from the same address still works', async () => {
    const ip = '10.0.1.1';
    for (let i = 0; i < ANONYMOUS; i++) {
      const refused = await get('/v1/cases', ip, `agent_wrong_${i}`);
      expect(refused.statusCode).toBe(401);
      // Its headers are the address's counter, which it was counted against: not the key's allowance.
      expect(refused.headers['x-ratelimit-limit']).toBe(String(ANONYMOUS));
      expect(refused.headers['x-ratelimit-remaining']).toBe(String(ANONYMOUS - 1 - i));
    }
    expectLimited(await get('/v1/cases', ip, 'agent_wrong_again'), ANONYMOUS);
    expectLimited(await get('/v1/cases', ip), ANONYMOUS);
    const keyed = await get('/v1/cases', ip, keys.c);
    expect(keyed.statusCode).toBe(200);
    expect(keyed.headers['x-ratelimit-limit']).toBe(String(PER_KEY));
  });

  it('a keyed client under its limit is not limited; the limit is per key, wherever the requests come from', async () => {
    for (let i = 0; i < PER_KEY; i++) {
      const res = await get('/v1/cases', `10.0.2.${i}`, keys.a);
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe(String(PER_KEY));
      expect(res.headers['x-ratelimit-remaining']).toBe(String(PER_KEY - 1 - i));
    }
    expectLimited(await get('/v1/cases', '10.0.2.99', keys.a), PER_KEY);
    // Two keys do not share a limit, even from one address.
    for (let i = 0; i < PER_KEY; i++) expect((await get('/v1/cases', '10.0.2.0', keys.b)).statusCode).toBe(200);
    expectLimited(await get('/v1/cases', '10.0.2.0', keys.b), PER_KEY);
  });

  it('courier callbacks: per carrier and address, with the key limit', async () => {
    // The URL may spell the code in lower case: the same carrier, the same allowance (not the anonymous one).
    for (let i = 0; i < PER_KEY; i++) expect((await courierEvent('SF', '10.0.3.1', `e-${i}`, {}, i % 2 ? 'sf' : 'SF')).statusCode).toBe(202);
    expectLimited(await courierEvent('SF', '10.0.3.1', 'e-over'), PER_KEY);
    expectLimited(await courierEvent('SF', '10.0.3.1', 'e-over-lower', {}, 'sf'), PER_KEY);
    expect((await courierEvent('YTO', '10.0.3.1', 'e-yto')).statusCode).toBe(202);
    expect((await courierEvent('SF', '10.0.3.2', 'e-other-ip')).statusCode).toBe(202);
    // They do not use up the address's anonymous allowance.
    expect((await get('/v1/cases', '10.0.3.1')).statusCode).toBe(401);
    // A carrier that is not configured gets no allowance of its own: its callers are anonymous.
    for (let i = 0; i < ANONYMOUS; i++) {
      const res = await app.inject({ method: 'POST', url: `/v1/couriers/NOPE${i}/events`, remoteAddress: '10.0.3.3', headers: { 'content-type': 'application/json' }, payload: '{}' });
      expect(res.statusCode).toBe(404);
    }
    expectLimited(await app.inject({ method: 'POST', url: '/v1/couriers/NOPE9/events', remoteAddress: '10.0.3.3', headers: { 'content-type': 'application/json' }, payload: '{}' }), ANONYMOUS);
  });

  it('only authenticated requests get idempotency records: an anonymous Idempotency-Key is ignored', async () => {
    const res = await courierEvent('YTO', '10.0.4.1', 'e-idem', { 'idempotency-key': 'courier-key-0001' });
    expect(res.statusCode).toBe(202);
    const again = await courierEvent('YTO', '10.0.4.1', 'e-idem-2', { 'idempotency-key': 'courier-key-0001' });
    expect(again.statusCode).toBe(202);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await t.prisma.idempotencyRecord.count({ where: { principal: { startsWith: 'anonymous:' } } })).toBe(0);
    // A keyed POST still gets its record.
    const token = await app.inject({ method: 'POST', url: '/v1/customer-tokens', remoteAddress: '10.0.4.2', headers: { authorization: `Bearer ${keys.storefront}`, 'idempotency-key': 'token-key-0001' }, payload: { customerId: 'cust-1' } });
    expect(token.statusCode).toBe(201);
    expect(await t.prisma.idempotencyRecord.count({ where: { key: 'token-key-0001' } })).toBe(1);
  });

  it('without configured limits the defaults apply (1200 per key per minute)', async () => {
    const plain = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} });
    try {
      const res = await plain.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.0.5.1', headers: { authorization: `Bearer ${keys.d}` } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('1200');
      expect((await plain.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.0.5.1' })).headers['x-ratelimit-limit']).toBe('60');
    } finally {
      await plain.close();
    }
  });
});
