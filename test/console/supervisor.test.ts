/**
 * The supervisor dashboard in a real headless Chromium against the whole platform: cases opened and
 * driven through the API (missing items refunded and revisited, wrong items closed, a complaint and
 * a quality problem left open), root causes recorded, the day's orders and the month's budget set.
 * A supervisor signs in and sees the four figure charts, costs against budget and the root-cause
 * Pareto drawn from exactly what the API answers for the same query (the charts' `data-series`),
 * in English and Chinese; downloads the register (the file is the API's CSV, header and rows).
 */
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { clearOfShanghaiMonthEnd, MONTH_END_HOOK_TIMEOUT_MS } from '../support/shop-day.js';
import { PATIENCE_MS, waitUntil } from '../support/wait.js';
import { browserAvailable, consoleUrl, expectKeyKeptSafe, launch, openConsole, photograph, signIn, visibleCodes, WAIT, type ConsolePage } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

/** The demo merchant's day (Asia/Shanghai). */
const shanghaiDay = (at: string | number) => new Date(new Date(at).getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
const shanghaiToday = () => shanghaiDay(Date.now());
/**
 * The day the cases were seeded on, which the expectations are about: a run that passes midnight in
 * Shanghai (16:00 UTC) after seeding still finds them on that day (a CI run did, and failed).
 */
let seedDay: string | undefined;
const today = () => seedDay ?? shanghaiToday();
const FIGURES = [
  ['figure-satisfaction', 'satisfactionPct'],
  ['figure-resolution', 'resolutionPct'],
  ['figure-complaints', 'complaintPermille'],
  ['figure-on-time', 'onTimePct'],
] as const;

let browser: Browser;
let cp: ConsolePage;
let page: Page;

const order = (suffix: string) => ({
  orderId: `sup-${suffix}`,
  currency: 'CNY',
  items: [{ sku: 'TEA-07', name: '龙井茶 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 }],
  shippingFeeMinor: 0,
  paidTotalMinor: 3_000,
  shippedAt: Date.now() - 4 * 86_400_000,
  deliveredAt: Date.now() - 86_400_000,
});
const customer = { id: 'cust-sup', locale: 'zh-CN' };
const TARGETS = { satisfactionTargetPct: 90, resolutionTargetPct: 95, complaintTargetPermille: 2, onTimeTargetPct: 98 };
const TARGET_OF: Record<string, number> = { satisfactionPct: 90, resolutionPct: 95, complaintPermille: 2, onTimePct: 98 };

async function seed(): Promise<void> {
  seedDay = shanghaiToday();
  const ok = (status: number, what: string) => expect(status, what).toBeLessThan(300);
  // The revisit right after the refund, so satisfaction has answers without moving the clock; the four targets.
  ok((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { revisitAfterDays: 0, ...TARGETS } })).status, 'policy');

  const missing: string[] = [];
  for (const n of [1, 2]) {
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer, order: order(`mi-${n}`), missing: [{ sku: 'TEA-07', quantity: 1 }] });
    ok(opened.status, 'missing items');
    missing.push(opened.body.caseId);
  }
  const wrong: string[] = [];
  for (const n of [1, 2]) {
    const opened = await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer, order: order(`wi-${n}`), orderedSku: 'TEA-07', arrivedBarcode: '6901', barcodes: { 'TEA-07': '6901' } });
    ok(opened.status, 'wrong item');
    wrong.push(opened.body.caseId);
  }
  ok((await pt.call('POST', '/v1/complaints', pt.keys.AGENT, { customer, order: order('cp'), category: 'SERVICE_ATTITUDE', description: '客服态度差', channel: 'PHONE' })).status, 'complaint');
  ok((await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, { customer, order: order('qp'), lines: [{ sku: 'TEA-07', quantity: 1 }], description: '茶叶受潮' })).status, 'quality');

  // The cases go on side by side: each waits for its own steps.
  const scores = [5, 3];
  await Promise.all([
    ...missing.map(async (caseId, i) => {
      await pt.until(caseId, pt.keys.AGENT, 'AWAITING_WAREHOUSE_CHECK');
      ok((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk', stockCount: [{ sku: 'TEA-07', systemQuantity: 10, countedQuantity: 11 }], unitWeightsGrams: { 'TEA-07': 120 } })).status, 'warehouse check');
      await pt.until(caseId, pt.keys.AGENT, 'AWAITING_REVISIT');
      ok((await pt.call('POST', `/v1/cases/${caseId}/revisit`, pt.keys.STOREFRONT, { score: scores[i] })).status, 'revisit');
    }),
    ...wrong.map((caseId) => pt.until(caseId, pt.keys.AGENT, 'CLOSED')),
  ]);

  // Root causes (002): two pickers, a label, a missort by the carrier.
  const picker = { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: '拣货员 周强', improvement: '出库前逐件扫码', warehouse: 'HZ-1', sku: 'TEA-07', carrier: 'SF' };
  ok((await pt.call('POST', `/v1/cases/${missing[0]}/root-cause`, pt.keys.AGENT, picker)).status, 'root cause');
  ok((await pt.call('POST', `/v1/cases/${wrong[0]}/root-cause`, pt.keys.AGENT, picker)).status, 'root cause');
  ok((await pt.call('POST', `/v1/cases/${wrong[1]}/root-cause`, pt.keys.AGENT, { category: 'WAREHOUSE', subCause: 'LABEL', responsiblePerson: 'clerk', improvement: 'relabel bin 4', warehouse: 'HZ-1' })).status, 'root cause');
  ok((await pt.call('POST', `/v1/cases/${missing[1]}/root-cause`, pt.keys.AGENT, { category: 'TRANSPORT', subCause: 'MISSORT', carrier: 'YTO' })).status, 'root cause');

  ok((await pt.call('PUT', `/v1/order-counts/${today()}`, pt.keys.STOREFRONT, { orders: 400 })).status, 'orders');
  ok((await pt.call('PUT', `/v1/budgets/${today().slice(0, 7)}`, pt.keys.SUPERVISOR, { amountMinor: 100_000, currency: 'CNY' })).status, 'budget');
}

/** A chart's data as drawn: its container's `data-series`, once the chart has rendered. */
async function chartData(id: string, ready: (data: any) => boolean = () => true): Promise<any> {
  return waitUntil(`the chart ${id} to be drawn`, async () => {
    const el = page.locator(`[data-chart="${id}"]`);
    if ((await el.count()) === 0 || (await el.locator('svg').count()) === 0) return undefined;
    const data = JSON.parse((await el.getAttribute('data-series')) ?? 'null');
    return data && ready(data) ? data : undefined;
  });
}

/** The dashboard's period and breakdown form, and the range it asks for. */
const filters = () => page.getByRole('form', { name: 'Period and breakdown' });
async function period(): Promise<{ from: string; to: string }> {
  return { from: await filters().getByLabel('From').inputValue(), to: await filters().getByLabel('Until (not included)').inputValue() };
}

const api = async (path: string) => {
  const res = await pt.call('GET', path, pt.keys.SUPERVISOR);
  expect(res.status, path).toBe(200);
  return res.body;
};

run('the supervisor dashboard', () => {
  beforeAll(async () => {
    await clearOfShanghaiMonthEnd();
    await seed();
    browser = await launch();
    cp = await openConsole(browser);
    page = cp.page;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.getByTestId('session-who').waitFor(WAIT);
  }, 4 * PATIENCE_MS + MONTH_END_HOOK_TIMEOUT_MS); // several waits one after another, each up to the patience of one

  afterAll(async () => {
    await browser?.close();
  });

  it("draws the four figures by day from what /v1/figures answers, each with the policy's target line", async () => {
    await page.goto(consoleUrl(pt, '/supervisor'));
    await page.getByRole('heading', { name: 'Supervisor dashboard' }).waitFor(WAIT);
    const { from, to } = await period();
    const expected = await api(`/v1/figures?from=${from}&to=${to}&grain=day&by=none`);
    expect(expected.rows.length).toBeGreaterThan(0);
    const todays = expected.rows.find((r: { period: string }) => r.period === today());
    // What was seeded: six cases, one complaint per 400 orders, one of two revisits satisfied.
    expect(todays).toMatchObject({ cases: 6, complaints: 1, orders: 400, complaintPermille: 2.5, revisited: 2, satisfied: 1, satisfactionPct: 50 });
    // The axis has every day of the range (30 by default); a day the API has no row for is a gap.
    const days = Array.from({ length: 30 }, (_, i) => new Date(Date.parse(`${from}T00:00:00Z`) + i * 86_400_000).toISOString().slice(0, 10));
    // Ending with the console's today (the day before "until"), which holds the seeded day.
    expect(days.at(-1)).toBe(new Date(Date.parse(`${to}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10));
    expect(days).toContain(today());
    const onDay = (day: string) => expected.rows.find((r: { period: string }) => r.period === day);
    for (const [id, field] of FIGURES) {
      // The target line comes with the policy, which may be read after the figures: waited for too.
      const drawn = await chartData(id, (d) => d.periods.length === days.length && d.target !== null);
      expect(drawn, id).toEqual({ figure: field, periods: days, series: [{ key: null, data: days.map((d) => onDay(d)?.[field] ?? null) }], target: TARGET_OF[field] });
    }
    // The figures' words, not field names.
    for (const title of ['Customer satisfaction', 'Resolution rate', 'Complaints per 1,000 orders', 'On-time rate']) await page.locator('[data-chart] svg').getByText(title).first().waitFor(WAIT);
  });

  it('by week and by case type, still exactly the API’s rows', async () => {
    await filters().getByLabel('Per', { exact: true }).selectOption('week');
    await filters().getByLabel('Break down by').selectOption('type');
    const { from, to } = await period();
    const expected = await api(`/v1/figures?from=${from}&to=${to}&grain=week&by=type`);
    const keys = [...new Set(expected.rows.map((r: { key: string }) => r.key))];
    expect(keys).toEqual(expect.arrayContaining(['MISSING_ITEMS', 'WRONG_ITEM', 'COMPLAINT', 'QUALITY_PROBLEM']));
    const drawn = await chartData('figure-resolution', (d) => d.series.length === keys.length);
    expect(drawn.series.map((s: { key: string }) => s.key)).toEqual(keys);
    for (const s of drawn.series as Array<{ key: string; data: Array<number | null> }>) {
      expect(s.data).toEqual(drawn.periods.map((p: string) => expected.rows.find((r: { period: string; key: string }) => r.period === p && r.key === s.key)?.resolutionPct ?? null));
    }
    // Case types in words in the legend.
    await page.locator('[data-chart="figure-resolution"] svg').getByText('Missing items').first().waitFor(WAIT);
    await filters().getByLabel('Per', { exact: true }).selectOption('day');
    await filters().getByLabel('Break down by').selectOption('none');
  });

  it('a period the API would refuse is said next to the dates, in the reader\'s words, and no old charts stay under it', async () => {
    const { from, to } = await period();
    await page.getByTestId('figures').waitFor(WAIT);
    await filters().getByLabel('From').fill(to);
    await filters().getByLabel('Until (not included)').fill(from);
    await filters().locator('#sup-to-error').getByText('Until must be a later day than From.').waitFor(WAIT);
    await page.getByTestId('figures').waitFor({ state: 'detached', ...WAIT });
    // The root causes too: nothing asked, so no refusal in the API's words beside a "nothing recorded" (a trial saw both).
    const causes = page.locator('section', { has: page.locator('#pareto-title') });
    await causes.getByTestId('pareto-range').getByText('Until must be a later day than From.').waitFor(WAIT);
    expect(await causes.getByTestId('pareto-empty').count()).toBe(0);
    expect(await causes.innerText()).not.toMatch(/querystring|must be after from/);
    const outOfOrder = cp.urls.filter((u) => u.includes('/v1/root-causes')).map((u) => new URL(u).searchParams).filter((q) => !(Date.parse(q.get('to')!) > Date.parse(q.get('from')!)));
    expect(outOfOrder.map(String)).toEqual([]);
    await filters().getByLabel('From').fill('2024-01-01');
    await filters().getByLabel('Until (not included)').fill(to);
    await filters().locator('#sup-to-error').getByText('At most 400 days at a time: choose a shorter period.').waitFor(WAIT);
    await filters().getByLabel('From').fill(from);
    await page.getByTestId('figures').waitFor(WAIT);
    expect(await filters().locator('#sup-to-error').count()).toBe(0);
  });

  it('draws the root-cause Pareto biggest first with the cumulative share from the API’s shares', async () => {
    const { from, to } = await period();
    const expected = await api(`/v1/root-causes?from=${from}&to=${to}&by=category`);
    expect(expected.rows).toEqual([
      { key: 'PEOPLE', cases: 2, share: 50 },
      { key: 'TRANSPORT', cases: 1, share: 25 },
      { key: 'WAREHOUSE', cases: 1, share: 25 },
    ]);
    const drawn = await chartData('pareto', (d) => d.keys.length === 3);
    expect(drawn).toEqual({ by: 'category', keys: ['PEOPLE', 'TRANSPORT', 'WAREHOUSE'], cases: [2, 1, 1], share: [50, 25, 25], cumulative: [50, 75, 100] });
    await page.locator('[data-chart="pareto"] svg').getByText('People', { exact: true }).first().waitFor(WAIT);

    await page.getByLabel('Count by').selectOption('subCause');
    const bySub = await api(`/v1/root-causes?from=${from}&to=${to}&by=subCause`);
    const drawnSub = await chartData('pareto', (d) => d.by === 'subCause');
    expect(drawnSub.keys).toEqual(bySub.rows.map((r: { key: string }) => r.key));
    expect(drawnSub.cases).toEqual(bySub.rows.map((r: { cases: number }) => r.cases));
    // Long causes wrap under the bars; the chart's table has them whole.
    const pareto = page.locator('figure', { has: page.locator('[data-chart="pareto"]') });
    await pareto.getByText('Show the data as a table').click();
    await pareto.getByRole('table').getByText('Shipper chose the wrong goods').waitFor(WAIT);
  });

  it('draws cost per month against the budget from /v1/costs', async () => {
    const month = today().slice(0, 7);
    const expected = await api(`/v1/costs?period=${month}`);
    expect(expected).toMatchObject({ budgetMinor: 100_000, refundsMinor: 3_000 });
    const drawn = await chartData('costs', (d) => d.periods.at(-1) === month);
    expect(drawn.periods).toHaveLength(6);
    expect(drawn.net.at(-1)).toBe(expected.netMinor);
    expect(drawn.budget.at(-1)).toBe(100_000);
    expect(drawn.currency).toBe('CNY');
    await page.getByTestId('cost-breakdown').getByText('Within budget').waitFor(WAIT);
    // The month's ledger, to reconcile these costs: the API's CSV of the month's local days, every entry.
    const next = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 1)).toISOString().slice(0, 10);
    const ledger = await api(`/v1/ledger?from=${month}-01&to=${next}&limit=5000`);
    expect(ledger.entries.length).toBeGreaterThan(0);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('ledger-csv').click()]);
    expect(download.suggestedFilename()).toBe(`ledger-demo-merchant-${month}-01_${next}.csv`);
    const lines = readFileSync((await download.path())!).subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('bookedAt,id,caseId,caseType,orderId,kind,currency,amountMinor,reference,stock,lines,bookedAtLocal,amount');
    // Every entry the API listed a moment before (a case still running may book one more meanwhile).
    const ids = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    expect(ledger.entries.filter((e: { id: string }) => !ids.has(e.id))).toEqual([]);
    await page.getByTestId('ledger-file').waitFor(WAIT);
  });

  it('lists the register and downloads it as the API’s CSV, header and rows', async () => {
    const expected = await api(`/v1/register?from=${today()}&to=${new Date(Date.parse(today()) + 86_400_000).toISOString().slice(0, 10)}`);
    expect(expected.rows.length).toBeGreaterThanOrEqual(6);
    await page.getByTestId('register-count').getByText(`${expected.total} rows`).waitFor(WAIT);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download CSV' }).click()]);
    expect(download.suggestedFilename()).toBe(`register-demo-merchant-${today()}.csv`);
    const bytes = readFileSync((await download.path())!);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.subarray(3).toString('utf8').split('\r\n').filter(Boolean);
    expect(lines[0]).toBe('Date,Case,Type,Order,Customer,Opened,Stage at end of day,Steps that day,Status,Agent,Late,Escalated,Closed,Customer handle,SKU (quantity),Sent instead (quantity),Damage degree,Root cause,Fault,Remedy,Type code,Stage code,Status code,Step codes');
    expect(lines).toHaveLength(expected.rows.length + 1);
    await page.getByTestId('register-file').waitFor(WAIT);

    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Excel (XLSX)' }).click()]);
    expect(xlsx.suggestedFilename()).toBe(`register-demo-merchant-${today()}.xlsx`);
    expect(readFileSync((await xlsx.path())!).subarray(0, 2).toString('latin1')).toBe('PK'); // a zip: the workbook
    await page.getByRole('heading', { name: 'Cases breaching today' }).waitFor(WAIT);
    // Every open case still owed its solution by the end of today is listed, whatever it waits for
    // meanwhile (the warehouse, the customer), not only those whose status is OPEN: one more case,
    // waiting for the warehouse's check (before 18:00 in Shanghai its deadline is today).
    const waiting = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer, order: order('mi-waiting'), missing: [{ sku: 'TEA-07', quantity: 1 }] });
    expect(waiting.status).toBe(201);
    await pt.until(waiting.body.caseId, pt.keys.AGENT, 'AWAITING_WAREHOUSE_CHECK');
    // Assigned: the supervisor reads who has it by name, not by key id (GET /v1/agents' label).
    const agent = ((await pt.call('GET', '/v1/agents', pt.keys.SUPERVISOR)).body.items as Array<{ id: string; label: string }>).find((a) => a.label === 'development agent key')!;
    expect((await pt.call('POST', `/v1/cases/${waiting.body.caseId}/assignment`, pt.keys.SUPERVISOR, { agentId: agent.id })).status).toBe(202);
    await pt.untilStep(waiting.body.caseId, pt.keys.AGENT!, 'ASSIGNED');
    await page.reload();
    await page.getByRole('heading', { name: 'Cases breaching today' }).waitFor(WAIT);
    type Row = { id: string; status: string; late: boolean; solutionDueAt: string | null; solutionGivenAt: string | null };
    const owed = ((await api('/v1/cases?open=true&limit=100')).items as Row[]).filter((c) => !c.late && !c.solutionGivenAt && c.solutionDueAt && shanghaiDay(c.solutionDueAt) <= today());
    for (const c of owed) await page.locator(`[data-testid="breaching"] tr[data-case="${c.id}"]`).waitFor(WAIT);
    // With who has it, by name, and the order it is about (what the customer and the agents quote):
    // in the register whatever the hour, and among the cases breaching today when it is owed today
    // (opened after 18:00 in Shanghai, it is owed the next business day).
    const rows = [page.getByTestId('register').locator('tr', { hasText: waiting.body.caseId })];
    if (owed.some((c) => c.id === waiting.body.caseId)) rows.push(page.locator(`[data-testid="breaching"] tr[data-case="${waiting.body.caseId}"]`));
    for (const row of rows) {
      await row.getByText(agent.label, { exact: true }).waitFor(WAIT);
      await row.getByText('order sup-mi-waiting', { exact: true }).waitFor(WAIT);
    }
    await photograph(page, 'supervisor-dashboard-en');
  });

  it('in Chinese: the figures, causes and case types in words of the language', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '主管看板' }).waitFor(WAIT);
    await page.locator('[data-chart="figure-satisfaction"] svg').getByText('客户满意度').first().waitFor(WAIT);
    await page.getByLabel('统计维度').selectOption('category');
    await page.locator('[data-chart="pareto"] svg').getByText('人员原因').first().waitFor(WAIT);
    await page.getByTestId('register').getByText('少货').first().waitFor(WAIT);
    // No code shows anywhere on the page (the chart's tables opened too), and the key stayed out of every URL and log.
    expect(await visibleCodes(page)).toEqual([]);
    const text = await page.locator('main').innerText();
    for (const code of ['PEOPLE', 'TRANSPORT', 'RESOLVED', 'CLOSED', 'satisfactionPct']) expect(text).not.toContain(code);
    await expectKeyKeptSafe(cp, pt.keys.SUPERVISOR!);
    // The charts run under the console's CSP (no eval, no inline script): no error, no refusal.
    expect(cp.logs.filter((l) => l.startsWith('pageerror') || /Content Security Policy/i.test(l))).toEqual([]);
    await photograph(page, 'supervisor-dashboard-zh');
    await page.getByTestId('language').selectOption('en');
  });

  it("the Pareto's title stays clear of its axes' names and the plot at common widths, in both languages", async () => {
    await page.goto(consoleUrl(pt, '/supervisor'));
    for (const [lang, title] of [['zh-CN', '原因分析（帕累托图）'], ['en', 'Root causes (Pareto)']] as const) {
      await page.getByTestId('language').selectOption(lang);
      for (const width of [1024, 1280, 1366, 1440, 1920]) {
        await page.setViewportSize({ width, height: 900 });
        const svg = page.locator('[data-chart="pareto"] svg');
        await svg.getByText(title, { exact: true }).first().waitFor(WAIT);
        await page.waitForTimeout(300); // the chart redraws on the resize
        const overlaps = await svg.evaluate((el, heading) => {
          const texts = [...el.querySelectorAll('text')].filter((t) => t.textContent?.trim());
          const titleBox = texts.find((t) => t.textContent?.trim() === heading)?.getBoundingClientRect();
          if (!titleBox) return ['no title'];
          const cross = (b: DOMRect) => b.left < titleBox.right && b.right > titleBox.left && b.top < titleBox.bottom && b.bottom > titleBox.top;
          return texts.filter((t) => t.textContent?.trim() !== heading && cross(t.getBoundingClientRect())).map((t) => t.textContent!.trim());
        }, title);
        expect(overlaps, `texts over the Pareto's title at ${width}px (${lang})`).toEqual([]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.getByTestId('language').selectOption('en');
  });

  it('an admin compares merchants, and sees one merchant’s figures with its targets’ policy', async () => {
    const admin = await openConsole(browser);
    try {
      await signIn(admin, pt, pt.keys.ADMIN!);
      await admin.page.getByTestId('session-who').waitFor(WAIT);
      await admin.page.goto(consoleUrl(pt, '/supervisor'));
      const form = admin.page.getByRole('form', { name: 'Period and breakdown' });
      await form.getByLabel('Break down by').selectOption('merchant');
      const from = await form.getByLabel('From').inputValue();
      const to = await form.getByLabel('Until (not included)').inputValue();
      const expected = (await pt.call('GET', `/v1/figures?from=${from}&to=${to}&grain=day&by=merchant`, pt.keys.ADMIN)).body;
      const drawn = await waitUntil('the on-time chart by merchant', async () => {
        const d = JSON.parse((await admin.page.locator('[data-chart="figure-on-time"]').getAttribute('data-series')) ?? 'null');
        return d?.series.length && d.series[0].key ? d : undefined;
      });
      expect(drawn.series.map((x: { key: string }) => x.key)).toEqual([...new Set(expected.rows.map((r: { key: string }) => r.key))]);
      // Costs, causes and the register are the merchant's supervisors' (the API answers their keys only).
      await admin.page.getByText('Costs, root causes and the register are kept per merchant').waitFor(WAIT);
      await form.getByLabel('Merchant').fill('demo-merchant');
      await form.getByLabel('Break down by').selectOption('none');
      await admin.page.getByText('Targets from policy version 2.').waitFor(WAIT);
      await photograph(admin.page, 'supervisor-dashboard-admin');
    } finally {
      await admin.context.close();
    }
  });
});
