/** The figures over HTTP: order counts from the storefront, figures for supervisors and admins, and every refusal. */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { clearOfShanghaiMidnight, MIDNIGHT_HOOK_TIMEOUT_MS, shanghaiToday } from '../support/shop-day.js';

const pt = usePlatform();
// Cases opened here are read back as today's: not within minutes of midnight in Shanghai.
beforeAll(() => clearOfShanghaiMidnight(), MIDNIGHT_HOOK_TIMEOUT_MS);

/** Today in Beijing, the demo merchant's zone. */
const today = shanghaiToday;

describe('figures over HTTP', () => {
  it("the storefront reports orders; a supervisor reads today's figures from the cases opened", async () => {
    for (const i of [1, 2]) {
      await pt.db.case.create({
        data: { id: `fig-${i}`, merchantId: 'demo-merchant', type: i === 1 ? 'COMPLAINT' : 'RETURN_AND_REFUND', stage: 'OPENED', orderId: `o${i}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-fig-${i}`, resolvedAt: i === 2 ? new Date() : null },
      });
    }
    expect(await pt.call('PUT', `/v1/order-counts/${today()}`, pt.keys.STOREFRONT, { orders: 400 })).toMatchObject({ status: 200, body: { orders: 400 } });
    expect((await pt.call('PUT', `/v1/order-counts/${today()}`, pt.keys.STOREFRONT, { orders: 500 })).status).toBe(200); // corrected later the same day
    const res = await pt.call('GET', `/v1/figures?from=${today()}`, pt.keys.SUPERVISOR);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ merchantId: 'demo-merchant', timeZone: 'Asia/Shanghai' });
    expect(res.body.rows).toEqual([expect.objectContaining({ period: today(), cases: 2, resolved: 1, resolutionPct: 50, complaints: 1, orders: 500, complaintPermille: 2, satisfactionPct: null, onTimePct: 100 })]);
    const byType = await pt.call('GET', `/v1/figures?from=${today()}&by=type&grain=month`, pt.keys.SUPERVISOR);
    expect(byType.body.rows.map((r: { key: string }) => r.key)).toEqual(['COMPLAINT', 'RETURN_AND_REFUND']);
    const admin = await pt.call('GET', `/v1/figures?from=${today()}&by=merchant`, pt.keys.ADMIN);
    expect(admin.body.rows).toEqual([expect.objectContaining({ key: 'demo-merchant', cases: 2 })]);
  });

  it('refuses bad periods, wrong roles and bad counts with the field', async () => {
    expect(await pt.call('GET', '/v1/figures?from=2026-02-30', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.from' } });
    expect(await pt.call('GET', '/v1/figures?from=2026-03-10&to=2026-03-01', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    // The same day twice: `to` is not counted, and the answer says how to ask for that one day.
    expect(await pt.call('GET', '/v1/figures?from=2026-03-10&to=2026-03-10', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to', message: expect.stringContaining('from=2026-03-10&to=2026-03-11 is that one day') } });
    expect(await pt.call('GET', '/v1/register?from=2026-03-10&to=2026-03-10', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to', message: expect.stringContaining('the day after the last one counted') } });
    expect(await pt.call('GET', '/v1/figures?from=2024-01-01&to=2026-01-01', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await pt.call('GET', '/v1/figures?from=2026-03-01&grain=year', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/grain/) } });
    expect(await pt.call('GET', '/v1/figures?from=2026-03-01&by=merchant', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.by' } });
    // Another merchant's figures from a merchant's key: refused, not answered with the key's own as if asked.
    expect(await pt.call('GET', '/v1/figures?from=2026-03-01&merchantId=other-shop', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.merchantId', message: expect.stringContaining('only admins choose the merchant') } });
    expect((await pt.call('GET', '/v1/figures?from=2026-03-01&merchantId=demo-merchant', pt.keys.SUPERVISOR)).status).toBe(200);
    expect((await pt.call('GET', '/v1/figures?from=2026-03-01', pt.keys.AGENT)).status).toBe(403);
    expect((await pt.call('GET', '/v1/figures?from=2026-03-01', undefined)).status).toBe(401);
    expect(await pt.call('PUT', '/v1/order-counts/2026-03-01', pt.keys.STOREFRONT, { orders: -1 })).toMatchObject({ status: 400, body: { field: 'body.orders' } });
    expect(await pt.call('PUT', '/v1/order-counts/yesterday', pt.keys.STOREFRONT, { orders: 1 })).toMatchObject({ status: 400 });
    expect((await pt.call('PUT', '/v1/order-counts/2026-03-01', pt.keys.WAREHOUSE, { orders: 1 })).status).toBe(403);
    expect(await pt.call('PUT', '/v1/budgets/2026-03', pt.keys.SUPERVISOR, { amountMinor: 5_000_000, currency: 'CNY' })).toMatchObject({ status: 200, body: { period: '2026-03', amountMinor: 5_000_000 } });
    expect(await pt.call('PUT', '/v1/budgets/2026-13', pt.keys.SUPERVISOR, { amountMinor: 1, currency: 'CNY' })).toMatchObject({ status: 400 });
    expect(await pt.call('PUT', '/v1/budgets/2026-03', pt.keys.SUPERVISOR, { amountMinor: 1, currency: 'XXX' })).toMatchObject({ status: 400, body: { field: 'body.currency' } });
    // Another currency than the merchant's would replace the month's budget with one no cost view reads: refused, the budget kept.
    expect(await pt.call('PUT', '/v1/budgets/2026-03', pt.keys.SUPERVISOR, { amountMinor: 1, currency: 'USD' })).toMatchObject({ status: 400, body: { field: 'body.currency', message: expect.stringContaining("must be CNY, the merchant's currency") } });
    expect(await pt.call('GET', '/v1/costs?period=2026-03', pt.keys.SUPERVISOR)).toMatchObject({ status: 200, body: { currency: 'CNY', budgetMinor: 5_000_000 } });
    expect((await pt.call('PUT', '/v1/budgets/2026-03', pt.keys.AGENT, { amountMinor: 1, currency: 'CNY' })).status).toBe(403);
  });
});

describe('costs over HTTP', () => {
  it("a month's costs against the budget, and one case's", async () => {
    const month = today().slice(0, 7);
    await pt.db.ledgerEntry.create({ data: { caseId: 'fig-2', kind: 'REFUND', amountMinor: -4_000n, currency: 'CNY', lines: [], idempotencyKey: 'cost-1' } });
    await pt.call('PUT', `/v1/budgets/${month}`, pt.keys.SUPERVISOR, { amountMinor: 10_000, currency: 'CNY' });
    const costs = await pt.call('GET', `/v1/costs?period=${month}`, pt.keys.SUPERVISOR);
    expect(costs).toMatchObject({ status: 200, body: { period: month, currency: 'CNY', otherCurrencies: [], refundsMinor: 4_000, netMinor: 4_000, budgetMinor: 10_000, remainingMinor: 6_000, overBudget: false } });
    // A refund in another currency the same month: the CNY total says it is not the whole month.
    await pt.db.ledgerEntry.create({ data: { caseId: 'fig-1', kind: 'REFUND', amountMinor: -1_999n, currency: 'USD', lines: [], idempotencyKey: 'cost-usd-1' } });
    expect((await pt.call('GET', `/v1/costs?period=${month}`, pt.keys.SUPERVISOR)).body).toMatchObject({ currency: 'CNY', otherCurrencies: ['USD'], refundsMinor: 4_000 });
    expect((await pt.call('GET', `/v1/costs?period=${month}&currency=USD`, pt.keys.SUPERVISOR)).body).toMatchObject({ currency: 'USD', otherCurrencies: ['CNY'], refundsMinor: 1_999 });
    expect(await pt.call('GET', '/v1/cases/fig-2/costs', pt.keys.AGENT)).toMatchObject({ status: 200, body: { caseId: 'fig-2', refundsMinor: 4_000 } });
    expect(await pt.call('GET', '/v1/costs?period=2026-13', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/period/) } });
    expect((await pt.call('GET', `/v1/costs?period=${month}`, pt.keys.AGENT)).status).toBe(403);
  });
});

describe('the daily register over HTTP', () => {
  const raw = (path: string, key: string) => fetch(`${pt.platform.apiUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });

  it('as JSON, CSV and XLSX, in Chinese or English', async () => {
    const json = await pt.call('GET', `/v1/register?from=${today()}`, pt.keys.SUPERVISOR);
    expect(json.status).toBe(200);
    expect(json.body.rows.map((r: { caseId: string }) => r.caseId).sort()).toEqual(['fig-1', 'fig-2']);
    expect(json.body).toMatchObject({ total: 2, next: null });
    // By pages: one row each, the second page after the first's cursor, then none.
    const first = await pt.call('GET', `/v1/register?from=${today()}&limit=1`, pt.keys.SUPERVISOR);
    expect(first.body).toMatchObject({ total: 2, rows: [json.body.rows[0]], next: expect.any(String) });
    const second = await pt.call('GET', `/v1/register?from=${today()}&limit=1&after=${first.body.next}`, pt.keys.SUPERVISOR);
    expect(second.body).toMatchObject({ total: 2, rows: [json.body.rows[1]], next: null });
    // The per-type fields are in the JSON too (null where the case type does not have them).
    expect(Object.keys(json.body.rows[0])).toEqual(expect.arrayContaining(['customerHandle', 'items', 'wrongItems', 'damageDegree', 'rootCause', 'fault', 'remedy']));
    // The file names the agent as the console does: by the name of their key, not its id.
    const agent = (await pt.db.apiCredential.findFirst({ where: { role: 'AGENT', merchantId: 'demo-merchant', revokedAt: null }, select: { id: true, label: true } }))!;
    expect(agent.label).toBeTruthy();
    await pt.db.case.update({ where: { id: 'fig-1' }, data: { assigneeId: agent.id } });
    const csv = await raw(`/v1/register?from=${today()}&format=csv&lang=en`, pt.keys.AGENT);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="register-demo-merchant-${today()}.csv"`);
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // the BOM Excel needs for UTF-8
    const lines = bytes.subarray(3).toString('utf8').split('\r\n');
    expect(lines[0]).toBe('Date,Case,Type,Order,Customer,Opened,Stage at end of day,Steps that day,Status,Agent,Late,Escalated,Closed,Customer handle,SKU (quantity),Sent instead (quantity),Damage degree,Root cause,Fault,Remedy,Type code,Stage code,Status code,Step codes');
    expect(lines.filter(Boolean)).toHaveLength(3);
    const agentColumn = lines[0]!.split(',').indexOf('Agent');
    expect(lines.slice(1).filter(Boolean).map((l) => l.split(',')[agentColumn]).sort()).toEqual(['', agent.label].sort());
    expect(bytes.toString('utf8')).not.toContain(agent.id);
    const xlsx = await raw(`/v1/register?from=${today()}&format=xlsx`, pt.keys.SUPERVISOR);
    expect(xlsx.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx.arrayBuffer()) as never);
    expect(book.getWorksheet('每日售后登记表')!.rowCount).toBe(3);
  });

  it('ends with today: a range reaching past it stops there (no open case repeated on days to come); a from after today is refused', async () => {
    const later = (days: number) => new Date(Date.parse(`${today()}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    const month = await pt.call('GET', `/v1/register?from=${today()}&to=${later(20)}`, pt.keys.SUPERVISOR);
    expect(month.body).toMatchObject({ from: today(), to: later(1), total: 2 });
    expect(month.body.rows.map((r: { day: string }) => r.day)).toEqual([today(), today()]);
    const csv = await raw(`/v1/register?from=${today()}&to=${later(20)}&format=csv`, pt.keys.SUPERVISOR);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="register-demo-merchant-${today()}.csv"`);
    expect(await pt.call('GET', `/v1/register?from=${later(2)}`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.from', message: expect.stringContaining('has not come yet') } });
  });

  it('refuses long ranges, bad formats and roles outside customer service', async () => {
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&to=2026-03-01', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&format=pdf', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/format/) } });
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&limit=0', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.limit' } });
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&limit=5001', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.limit' } });
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&after=bm9wZQ', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.after', message: expect.stringMatching(/not a cursor/) } });
    // The files hold every row: paging them is refused, not ignored.
    expect(await pt.call('GET', '/v1/register?from=2026-01-01&format=csv&limit=10', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.limit' } });
    expect((await pt.call('GET', '/v1/register?from=2026-01-01', pt.keys.WAREHOUSE)).status).toBe(403);
    expect((await pt.call('GET', '/v1/register?from=2026-01-01', pt.keys.STOREFRONT)).status).toBe(403);
  });
});
