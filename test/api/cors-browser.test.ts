/**
 * CORS as a real browser does it (api/cors.ts): a shop's "my after-sales" page, served from its own
 * origin, calls the API with a customer token — a preflighted GET and a POST with an
 * Idempotency-Key, whose replay header the page reads. A page from an origin the API does not list
 * gets nothing (the browser refuses to hand it the answer). Chromium through playwright-core.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';
import { browserAvailable, launch } from '../ui/browser.js';

const run = browserAvailable() ? describe : describe.skip;

/** A shop's page: an empty document on its own origin, from which the test runs fetch(). */
function pageServer(): Promise<{ server: Server; origin: string }> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>我的售后</title>'));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let connection: Connection;
let app: FastifyInstance;
let apiUrl: string;
let browser: Browser;
let shop: Awaited<ReturnType<typeof pageServer>>;
let stranger: Awaited<ReturnType<typeof pageServer>>;
let token: string;

run('a shop’s page on another origin, in a browser', () => {
  beforeAll(async () => {
    [shop, stranger] = [await pageServer(), await pageServer()];
    t = await openTestDatabase();
    const repos = createRepositories(t.prisma);
    await repos.ensureMerchant('shop-web', 'Shop');
    await t.prisma.case.create({
      data: { id: 'case-web-1', merchantId: 'shop-web', type: 'RETURN_AND_REFUND', stage: 'AWAITING_DECISION', orderId: 'o-web', orderSnapshot: {}, request: {}, customerId: 'cust-web', currency: 'CNY', policyVersion: 1, workflowId: 'wf-case-web-1' },
    });
    token = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-web', customerId: 'cust-web', label: 'customer' })).key;
    connection = Connection.lazy({ address: '127.0.0.1:1' });
    app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} }, { corsOrigins: [shop.origin] });
    apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
    browser = await launch();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await connection?.close();
    await t?.drop();
    shop?.server.close();
    stranger?.server.close();
  });

  /** Runs fetch() in a page of `origin`: the status, the JSON and the replay header as the page can read them, or the browser's refusal. */
  async function fetchFrom(origin: string, path: string, init: { method?: string; body?: unknown; idempotencyKey?: string } = {}) {
    const page = await browser.newPage();
    try {
      await page.goto(origin);
      return await page.evaluate(
        async ({ url, token, init }) => {
          try {
            const headers: Record<string, string> = { authorization: `Bearer ${token}` };
            if (init.body !== undefined) headers['content-type'] = 'application/json';
            if (init.idempotencyKey) headers['idempotency-key'] = init.idempotencyKey;
            const res = await fetch(url, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}) });
            return { status: res.status, body: await res.json(), replayed: res.headers.get('idempotent-replayed'), requestId: res.headers.get('x-request-id') };
          } catch (err) {
            return { refused: String(err) };
          }
        },
        { url: `${apiUrl}${path}`, token, init },
      );
    } finally {
      await page.close();
    }
  }

  it('reads the customer’s cases with the token, and a refusal too', async () => {
    const list = await fetchFrom(shop.origin, '/v1/cases');
    expect(list).toMatchObject({ status: 200, body: { items: [expect.objectContaining({ id: 'case-web-1' })] }, requestId: expect.any(String) });
    const other = await fetchFrom(shop.origin, '/v1/cases/no-such-case');
    expect(other).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
  });

  it('sends a POST with an Idempotency-Key and reads that the retry was a replay', async () => {
    const body = { urls: ['https://evidence.example.com/web/crack.jpg'] };
    const first = await fetchFrom(shop.origin, '/v1/cases/case-web-1/evidence', { method: 'POST', body, idempotencyKey: 'web-tap-0001' });
    expect(first).toMatchObject({ status: 201, body: { caseId: 'case-web-1' }, replayed: null });
    const again = await fetchFrom(shop.origin, '/v1/cases/case-web-1/evidence', { method: 'POST', body, idempotencyKey: 'web-tap-0001' });
    expect(again).toMatchObject({ status: 201, replayed: 'true' });
  });

  it('gives a page from an origin the API does not list nothing', async () => {
    const refused = await fetchFrom(stranger.origin, '/v1/cases');
    expect(refused).toEqual({ refused: expect.stringContaining('Failed to fetch') });
  });
});
