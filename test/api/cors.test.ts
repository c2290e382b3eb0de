/**
 * Cross-origin access (api/cors.ts): a shop's page on another origin calls the API with a customer
 * token. Listed origins get their preflight answered before the rate limiter (phones behind one
 * address would use up the anonymous allowance) and every answer, errors too, readable; an origin
 * not listed is told so on its preflight and gets no CORS headers. Configuration: CORS_ORIGINS.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

const SHOP = 'https://m.shop.example.cn';
const ANONYMOUS = 2;
let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let connection: Connection;
let listed: FastifyInstance;
let any: FastifyInstance;
let token: string;

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-cors', 'Shop');
  token = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-cors', customerId: 'cust-cors', label: 'customer' })).key;
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  const deps = { repos, temporal: new Client({ connection }), courierSecrets: {}, rateLimits: { perKeyPerMinute: 100, anonymousPerMinute: ANONYMOUS } };
  listed = await buildApp(deps, { corsOrigins: [SHOP] });
  any = await buildApp(deps, { corsOrigins: '*' });
});

afterAll(async () => {
  await listed?.close();
  await any?.close();
  await connection?.close();
  await t?.drop();
});

const preflight = (app: FastifyInstance, origin: string, ip: string) =>
  app.inject({ method: 'OPTIONS', url: '/v1/cases/abc/return-shipment', remoteAddress: ip, headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' } });

describe('CORS', () => {
  it('answers a listed origin’s preflight with what a page may send, however many come from one address', async () => {
    for (let n = 0; n < ANONYMOUS + 3; n++) {
      const res = await preflight(listed, SHOP, '10.9.0.1');
      expect(res.statusCode).toBe(204);
      expect(res.headers['access-control-allow-origin']).toBe(SHOP);
      expect(res.headers.vary).toContain('Origin');
      expect(String(res.headers['access-control-allow-headers']).toLowerCase().split(', ')).toEqual(expect.arrayContaining(['authorization', 'content-type', 'idempotency-key']));
      expect(res.headers['access-control-allow-methods']).toContain('POST');
      expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    }
    // The preflights used none of the address's anonymous allowance.
    expect((await listed.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.9.0.1' })).statusCode).toBe(401);
  });

  it('lets a listed origin read every answer, a refusal too, with the headers a page needs', async () => {
    const ok = await listed.inject({ method: 'GET', url: '/v1/cases', headers: { origin: SHOP, authorization: `Bearer ${token}` } });
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe(SHOP);
    expect(String(ok.headers['access-control-expose-headers'])).toMatch(/Idempotent-Replayed.*Retry-After.*X-Request-Id/);
    // A customer's cases on a shared phone or behind a caching proxy: never stored.
    expect(ok.headers['cache-control']).toBe('no-store');
    const refused = await listed.inject({ method: 'GET', url: '/v1/cases', headers: { origin: SHOP, authorization: 'Bearer expired-or-unknown' } });
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['access-control-allow-origin']).toBe(SHOP);
  });

  it('tells an origin not listed why on its preflight, and gives its requests no CORS headers', async () => {
    const res = await preflight(listed, 'https://evil.example.com', '10.9.0.2');
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ error: 'FORBIDDEN', message: expect.stringContaining('CORS_ORIGINS'), problems: [] });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const get = await listed.inject({ method: 'GET', url: '/v1/cases', headers: { origin: 'https://evil.example.com', authorization: `Bearer ${token}` } });
    expect(get.headers['access-control-allow-origin']).toBeUndefined();
    // No Origin at all (a server, curl): as before.
    expect((await listed.inject({ method: 'GET', url: '/health' })).headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers any origin with * when configured so', async () => {
    const res = await preflight(any, 'http://localhost:5173', '10.9.0.3');
    expect(res.statusCode).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('is configured by CORS_ORIGINS: any origin in development, none in production unless listed, and a malformed origin named', () => {
    const prod = { NODE_ENV: 'production', COURIER_SECRETS: 'SF=0123456789abcdef', SIMULATORS: 'all' };
    expect(loadConfig({}).corsOrigins).toBe('*');
    expect(loadConfig(prod).corsOrigins).toEqual([]);
    expect(loadConfig({ ...prod, CORS_ORIGINS: `${SHOP}, http://localhost:5173` }).corsOrigins).toEqual([SHOP, 'http://localhost:5173']);
    expect(() => loadConfig({ CORS_ORIGINS: `${SHOP}/` })).toThrow(/CORS_ORIGINS must list origins as scheme:\/\/host\[:port\].*"https:\/\/m\.shop\.example\.cn\/"/);
    expect(() => loadConfig({ CORS_ORIGINS: `*, ${SHOP}` })).toThrow(/\* stands alone/);
  });
});
