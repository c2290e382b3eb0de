/** The figures over HTTP: order counts from the storefront, figures for supervisors and admins, and every refusal. */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { httpClient } from '../e2e/client.js';

let platform: Platform;
let drop: () => Promise<void>;
let db: Db;

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  platform = await startPlatform(loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: '.data/test-figures' }), { timeSkipping: true });
  db = createPrisma(t.url);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await platform?.stop();
  await drop?.();
});

const { call } = httpClient(() => platform.apiUrl);
const keys = () => platform.keys as Record<string, string>;
/** Today in Beijing, the demo merchant's zone. */
const today = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);

describe('figures over HTTP', () => {
  it("the storefront reports orders; a supervisor reads today's figures from the cases opened", async () => {
    for (const i of [1, 2]) {
      await db.case.create({
        data: { id: `fig-${i}`, merchantId: 'demo-merchant', type: i === 1 ? 'COMPLAINT' : 'RETURN_AND_REFUND', stage: 'OPENED', orderId: `o${i}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-fig-${i}`, resolvedAt: i === 2 ? new Date() : null },
      });
    }
    expect(await call('PUT', `/v1/order-counts/${today()}`, keys().STOREFRONT, { orders: 400 })).toMatchObject({ status: 200, body: { orders: 400 } });
    expect((await call('PUT', `/v1/order-counts/${today()}`, keys().STOREFRONT, { orders: 500 })).status).toBe(200); // corrected later the same day
    const res = await call('GET', `/v1/figures?from=${today()}`, keys().SUPERVISOR);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ merchantId: 'demo-merchant', timeZone: 'Asia/Shanghai' });
    expect(res.body.rows).toEqual([expect.objectContaining({ period: today(), cases: 2, resolved: 1, resolutionPct: 50, complaints: 1, orders: 500, complaintPermille: 2, satisfactionPct: null, onTimePct: 100 })]);
    const byType = await call('GET', `/v1/figures?from=${today()}&by=type&grain=month`, keys().SUPERVISOR);
    expect(byType.body.rows.map((r: { key: string }) => r.key)).toEqual(['COMPLAINT', 'RETURN_AND_REFUND']);
    const admin = await call('GET', `/v1/figures?from=${today()}&by=merchant`, keys().ADMIN);
    expect(admin.body.rows).toEqual([expect.objectContaining({ key: 'demo-merchant', cases: 2 })]);
  });

  it('refuses bad periods, wrong roles and bad counts with the field', async () => {
    expect(await call('GET', '/v1/figures?from=2026-02-30', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.from' } });
    expect(await call('GET', '/v1/figures?from=2026-03-10&to=2026-03-01', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await call('GET', '/v1/figures?from=2024-01-01&to=2026-01-01', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await call('GET', '/v1/figures?from=2026-03-01&grain=year', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/grain/) } });
    expect(await call('GET', '/v1/figures?from=2026-03-01&by=merchant', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.by' } });
    expect((await call('GET', '/v1/figures?from=2026-03-01', keys().AGENT)).status).toBe(403);
    expect((await call('GET', '/v1/figures?from=2026-03-01', undefined)).status).toBe(401);
    expect(await call('PUT', '/v1/order-counts/2026-03-01', keys().STOREFRONT, { orders: -1 })).toMatchObject({ status: 400, body: { field: 'body.orders' } });
    expect(await call('PUT', '/v1/order-counts/yesterday', keys().STOREFRONT, { orders: 1 })).toMatchObject({ status: 400 });
    expect((await call('PUT', '/v1/order-counts/2026-03-01', keys().WAREHOUSE, { orders: 1 })).status).toBe(403);
    expect(await call('PUT', '/v1/budgets/2026-03', keys().SUPERVISOR, { amountMinor: 5_000_000, currency: 'CNY' })).toMatchObject({ status: 200, body: { period: '2026-03', amountMinor: 5_000_000 } });
    expect(await call('PUT', '/v1/budgets/2026-13', keys().SUPERVISOR, { amountMinor: 1, currency: 'CNY' })).toMatchObject({ status: 400 });
    expect(await call('PUT', '/v1/budgets/2026-03', keys().SUPERVISOR, { amountMinor: 1, currency: 'XXX' })).toMatchObject({ status: 400, body: { field: 'body.currency' } });
    expect((await call('PUT', '/v1/budgets/2026-03', keys().AGENT, { amountMinor: 1, currency: 'CNY' })).status).toBe(403);
  });
});

describe('costs over HTTP', () => {
  it("a month's costs against the budget, and one case's", async () => {
    const month = today().slice(0, 7);
    await db.ledgerEntry.create({ data: { caseId: 'fig-2', kind: 'REFUND', amountMinor: -4_000n, currency: 'CNY', lines: [], idempotencyKey: 'cost-1' } });
    await call('PUT', `/v1/budgets/${month}`, keys().SUPERVISOR, { amountMinor: 10_000, currency: 'CNY' });
    const costs = await call('GET', `/v1/costs?period=${month}`, keys().SUPERVISOR);
    expect(costs).toMatchObject({ status: 200, body: { period: month, currency: 'CNY', refundsMinor: 4_000, netMinor: 4_000, budgetMinor: 10_000, remainingMinor: 6_000, overBudget: false } });
    expect(await call('GET', '/v1/cases/fig-2/costs', keys().AGENT)).toMatchObject({ status: 200, body: { caseId: 'fig-2', refundsMinor: 4_000 } });
    expect(await call('GET', '/v1/costs?period=2026-13', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/period/) } });
    expect((await call('GET', `/v1/costs?period=${month}`, keys().AGENT)).status).toBe(403);
  });
});

describe('the daily register over HTTP', () => {
  const raw = (path: string, key: string) => fetch(`${platform.apiUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

  it('as JSON, CSV and XLSX, in Chinese or English', async () => {
    const json = await call('GET', `/v1/register?from=${today()}`, keys().SUPERVISOR);
    expect(json.status).toBe(200);
    expect(json.body.rows.map((r: { caseId: string }) => r.caseId).sort()).toEqual(['fig-1', 'fig-2']);
    const csv = await raw(`/v1/register?from=${today()}&format=csv&lang=en`, keys().AGENT);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="register-demo-merchant-${today()}.csv"`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Date,Case,Type,Order,Customer,Opened,Stage at end of day,Steps that day,Status,Agent,Late,Escalated,Closed');
    expect(lines.filter(Boolean)).toHaveLength(3);
    const xlsx = await raw(`/v1/register?from=${today()}&format=xlsx`, keys().SUPERVISOR);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as never);
    expect(book.getWorksheet('每日售后登记表')!.rowCount).toBe(3);
  });

  it('refuses long ranges, bad formats and roles outside customer service', async () => {
    expect(await call('GET', '/v1/register?from=2026-01-01&to=2026-03-01', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await call('GET', '/v1/register?from=2026-01-01&format=pdf', keys().SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/format/) } });
    expect((await call('GET', '/v1/register?from=2026-01-01', keys().WAREHOUSE)).status).toBe(403);
    expect((await call('GET', '/v1/register?from=2026-01-01', keys().STOREFRONT)).status).toBe(403);
  });
});
