/**
 * GET /metrics for Prometheus: the request metrics by route pattern (never a URL with its ids),
 * the case gauges read from the read model at scrape time, without an API key, never rate
 * limited, and not in the OpenAPI document. The app is built on a test database; its Temporal
 * connection is lazy and never dialled.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
let agentKey: string;

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-metrics', 'Shop');
  agentKey = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-metrics', label: 'agent' })).key;
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  // One anonymous request a minute: scrapes must not count against it.
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {}, rateLimits: { perKeyPerMinute: 100, anonymousPerMinute: 1 } });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

const scrape = async () => {
  const res = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '10.9.0.1' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return res.body;
};

/** The value of one sample line, e.g. `name{a="1",b="2"} 3`; undefined when there is no such line. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = m[2]!.split(',');
    if (wanted.every((w) => have.includes(w)) && have.length === wanted.length) return Number(m[3]);
  }
  return undefined;
}

let n = 0;
async function insertCase(fields: { type: 'RETURN_AND_REFUND' | 'MISSING_ITEMS'; stage: string; status?: 'OPEN' | 'WAITING_CUSTOMER' | 'RESOLVED' | 'CLOSED'; late?: boolean; escalated?: boolean; stuck?: boolean }) {
  n += 1;
  await t.prisma.case.create({
    data: { id: `mc-${n}`, merchantId: 'shop-metrics', orderId: `o-${n}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-mc-${n}`, ...fields },
  });
}

describe('GET /metrics', () => {
  it('counts requests by method, route pattern and status — never the raw URL with its ids', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/cases/case-with-secret-id-42', headers: { authorization: `Bearer ${agentKey}` } });
    expect(res.statusCode).toBe(404);
    await app.inject({ method: 'GET', url: '/no/such/route/7' });
    const text = await scrape();
    expect(text).toContain('# TYPE http_requests_total counter');
    expect(sample(text, 'http_requests_total', { method: 'GET', route: '/v1/cases/:caseId', status_code: '404' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_count', { method: 'GET', route: '/v1/cases/:caseId', status_code: '404' })).toBe(1);
    expect(sample(text, 'http_request_duration_seconds_bucket', { le: '+Inf', method: 'GET', route: '/v1/cases/:caseId', status_code: '404' })).toBe(1);
    expect(sample(text, 'http_requests_total', { method: 'GET', route: 'unmatched', status_code: '404' })).toBe(1);
    expect(text).not.toContain('case-with-secret-id-42');
    expect(text).not.toContain('/no/such/route');
    // The process's own metrics come along.
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('reports open, late, escalated and stuck cases by type and stage, read from the database at each scrape', async () => {
    const before = await scrape();
    expect(before).toMatch(/^aftersales_read_model_up 1$/m);
    expect(before).not.toMatch(/^aftersales_cases_open\{/m);

    await insertCase({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' });
    await insertCase({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER', late: true, escalated: true });
    await insertCase({ type: 'MISSING_ITEMS', stage: 'AWAITING_WAREHOUSE_CHECK', stuck: true });
    // Resolved and waiting for its revisit: not open, but its failing side effect is still stuck.
    // As the workflow leaves it: resolved, then waiting for the customer's revisit answer.
    await insertCase({ type: 'MISSING_ITEMS', stage: 'AWAITING_REVISIT', status: 'WAITING_CUSTOMER', late: true, stuck: true });
    // Closed: in none of the gauges.
    await insertCase({ type: 'MISSING_ITEMS', stage: 'CLOSED', status: 'CLOSED', late: true, escalated: true, stuck: true });

    const text = await scrape();
    const ret = { type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT' };
    const check = { type: 'MISSING_ITEMS', stage: 'AWAITING_WAREHOUSE_CHECK' };
    const revisit = { type: 'MISSING_ITEMS', stage: 'AWAITING_REVISIT' };
    expect(text).toContain('# TYPE aftersales_cases_open gauge');
    expect([sample(text, 'aftersales_cases_open', ret), sample(text, 'aftersales_cases_late', ret), sample(text, 'aftersales_cases_escalated', ret), sample(text, 'aftersales_cases_stuck', ret)]).toEqual([2, 1, 1, 0]);
    expect([sample(text, 'aftersales_cases_open', check), sample(text, 'aftersales_cases_late', check), sample(text, 'aftersales_cases_stuck', check)]).toEqual([1, 0, 1]);
    expect([sample(text, 'aftersales_cases_open', revisit), sample(text, 'aftersales_cases_late', revisit), sample(text, 'aftersales_cases_stuck', revisit)]).toEqual([0, 0, 1]);
    expect(text).not.toMatch(/stage="CLOSED"/);

    // Read again at the next scrape: a case that closes leaves the gauges.
    await t.prisma.case.updateMany({ where: { stage: 'AWAITING_WAREHOUSE_CHECK' }, data: { status: 'CLOSED', stage: 'CLOSED' } });
    const after = await scrape();
    expect(sample(after, 'aftersales_cases_open', check)).toBeUndefined();
    expect(sample(after, 'aftersales_cases_open', ret)).toBe(2);
  });

  it('reports refunds pending at the bank (and over a week) and refunds sent back and owed, by currency', async () => {
    expect(await scrape()).not.toMatch(/^aftersales_refunds_pending\{/m);
    const hold = (stepKey: string, amountMinor: number, status: string | null, daysAgo = 0, currency = 'CNY') =>
      t.prisma.refundHold.create({ data: { stepKey, caseId: `c-${stepKey}`, merchantId: 'shop-metrics', orderId: `o-${stepKey}`, currency, amountMinor: BigInt(amountMinor), refundId: `rf-${stepKey}`, status, createdAt: new Date(Date.now() - daysAgo * 86_400_000) } });
    await hold('p1', 1_000, 'PENDING');
    await hold('p2', 2_000, 'PENDING', 8);
    await hold('p3', 700, 'PENDING', 9, 'USD');
    await hold('f1', 500, 'FAILED');
    // Sent back and paid again: owed no more.
    await hold('f2', 300, 'FAILED');
    await hold('f2:again', 300, 'SUCCEEDED');
    await hold('s1', 9_000, 'SUCCEEDED');
    await hold('n1', 9_000, null);
    const text = await scrape();
    const cny = { currency: 'CNY' };
    expect(['aftersales_refunds_pending', 'aftersales_refunds_pending_minor', 'aftersales_refunds_pending_over_week', 'aftersales_refunds_returned_owed', 'aftersales_refunds_returned_owed_minor'].map((m) => sample(text, m, cny))).toEqual([2, 3_000, 1, 1, 500]);
    expect([sample(text, 'aftersales_refunds_pending', { currency: 'USD' }), sample(text, 'aftersales_refunds_pending_over_week', { currency: 'USD' }), sample(text, 'aftersales_refunds_returned_owed', { currency: 'USD' })]).toEqual([1, 1, 0]);
  });

  it('needs no key, is never rate limited, and stays out of the OpenAPI document', async () => {
    // The anonymous allowance (1 a minute) is spent by the first plain request from this address…
    expect((await app.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.9.0.1' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/v1/cases', remoteAddress: '10.9.0.1' })).statusCode).toBe(429);
    // …while scrapes from it go on (scrape() has already run three times from this address).
    for (let i = 0; i < 3; i++) await scrape();
    const head = await app.inject({ method: 'HEAD', url: '/metrics', remoteAddress: '10.9.0.1' });
    expect(head.statusCode).toBe(200);
    expect(head.headers['x-ratelimit-limit']).toBeUndefined();
    const docs = await app.inject({ method: 'GET', url: '/docs/json' });
    expect(Object.keys(docs.json().paths as Record<string, unknown>)).not.toContain('/metrics');
  });
});
