/**
 * Complaints end to end over HTTP: a case turned into a complaint (a linked COMPLAINT case, the
 * second one a repeat and prioritised higher), resolved by a supervisor with its cause analysis,
 * counted in the complaint rate; and the refusals.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { httpClient } from './client.js';

let platform: Platform;
let drop: () => Promise<void>;
let db: Db;

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  platform = await startPlatform(loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: '.data/e2e-complaints' }), { timeSkipping: true });
  db = createPrisma(t.url);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await platform?.stop();
  await drop?.();
});

const { call, until } = httpClient(() => platform.apiUrl);
const keys = () => platform.keys as Record<string, string>;
const order = { orderId: 'cpo-1', currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 0, paidTotalMinor: 5000, shippedAt: Date.now() - 3 * 86_400_000, deliveredAt: Date.now() - 86_400_000 };

describe('complaints over HTTP', () => {
  it('a return turned into a complaint by the customer, twice; resolved with its cause; counted once each', async () => {
    const ret = await call('POST', '/v1/returns', keys().STOREFRONT, { customer: { id: 'cust-c1', locale: 'en' }, order, lines: [{ sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] });
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-c1' })).body.token;
    const first = await call('POST', `/v1/cases/${ret.body.caseId}/complaint`, token, { category: 'SERVICE_ATTITUDE', description: 'nobody answers my messages', channel: 'CHAT' });
    expect(first).toMatchObject({ status: 201, body: { relatedCaseId: ret.body.caseId, repeat: false } });
    const complaint = await until(first.body.caseId, token, 'AWAITING_RESOLUTION');
    expect(complaint).toMatchObject({ type: 'COMPLAINT', customerId: 'cust-c1' });
    expect(complaint.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED').decision).toMatchObject({ outcome: 'NORMAL' });
    const second = await call('POST', `/v1/cases/${ret.body.caseId}/complaint`, token, { category: 'SERVICE_ATTITUDE', description: 'still nothing' });
    expect(second.body.repeat).toBe(true);
    const repeat = await until(second.body.caseId, token, 'AWAITING_RESOLUTION');
    expect(repeat.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED').decision).toMatchObject({ outcome: 'HIGH' });

    // A resolution needs its cause analysis (400 from the schema) and is the staff's to give.
    expect(await call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, keys().SUPERVISOR, { plan: 'called back', improvement: 'x', shopAtFault: true })).toMatchObject({ status: 400, body: { field: 'body.cause' } });
    expect((await call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, token, { plan: 'p', cause: 'c', improvement: 'i', shopAtFault: true })).status).toBe(403);
    const resolved = await call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, keys().SUPERVISOR, { plan: 'called back and apologised', cause: 'chat queue unattended at night', improvement: 'night shift on the chat', shopAtFault: true });
    expect(resolved.status).toBe(200);
    const done = await until(first.body.caseId, token, 'RESOLVED');
    expect(done.timeline.find((e: { kind: string }) => e.kind === 'RESOLVED').data).toMatchObject({ cause: 'chat queue unattended at night', shopAtFault: true });
    expect(await call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, keys().SUPERVISOR, { plan: 'p', cause: 'c', improvement: 'i', shopAtFault: false })).toMatchObject({ status: 409 });

    const today = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
    await call('PUT', `/v1/order-counts/${today}`, keys().STOREFRONT, { orders: 1000 });
    const figures = await call('GET', `/v1/figures?from=${today}`, keys().SUPERVISOR);
    expect(figures.body.rows[0]).toMatchObject({ complaints: 2, orders: 1000, complaintPermille: 2 });
    expect(await db.case.findUnique({ where: { id: ret.body.caseId }, select: { complaint: true } })).toEqual({ complaint: true });
  });

  it('recorded by an agent from a phone call; bad input names the field; another customer cannot complain about the case', async () => {
    const opened = await call('POST', '/v1/complaints', keys().AGENT, { customer: { id: 'cust-c2', locale: 'zh-CN' }, order: { ...order, orderId: 'cpo-2' }, category: 'PRIVACY', description: 'my address was shown to another customer', channel: 'PHONE' });
    expect(opened.status).toBe(201);
    const c = await until(opened.body.caseId, keys().AGENT, 'AWAITING_RESOLUTION');
    expect(c).toMatchObject({ escalated: true });
    expect(await call('POST', '/v1/complaints', keys().AGENT, { customer: { id: 'x', locale: 'zh-CN' }, order, category: 'RUDE', description: 'x' })).toMatchObject({ status: 400, body: { field: 'body.category' } });
    expect((await call('POST', '/v1/complaints', keys().WAREHOUSE, { customer: { id: 'x', locale: 'zh-CN' }, order, category: 'OTHER', description: 'x' })).status).toBe(403);
    const stranger = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'someone-else' })).body.token;
    expect((await call('POST', `/v1/cases/${opened.body.caseId}/complaint`, stranger, { category: 'OTHER', description: 'x' })).status).toBe(404);
  });
});
