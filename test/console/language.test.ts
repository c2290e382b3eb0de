/**
 * Everything a person reads is in their language: the console starts in the browser's language
 * (zh* → Chinese), can be switched (and remembers it), and no page shows a platform code
 * (SHOUTING_SNAKE such as AWAITING_DECISION) instead of words — not the queue, the case page
 * with its timeline and decisions, the warehouse, nor the sign-in page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, visibleCodes, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;
let decided: string;
let waitingForArrival: string;

async function openReturn(orderId: string, over: Record<string, unknown> = {}) {
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: `cust-${orderId}`, locale: 'zh-CN' },
    order: mugAndTeaOrder(orderId, Date.now(), 1),
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    ...over,
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body.caseId as string;
}

async function noCodes(page: Page, where: string) {
  expect(await visibleCodes(page), `codes on ${where}`).toEqual([]);
}

run('the console in Chinese and English', () => {
  beforeAll(async () => {
    decided = await openReturn('SO-LANG-1');
    await pt.until(decided, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${decided}/notes`, pt.keys.AGENT, { text: '已电话联系顾客' })).status).toBe(201);
    waitingForArrival = await openReturn('SO-LANG-2');
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-SO-LANG-2' })).body.token;
    await pt.until(waitingForArrival, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${waitingForArrival}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFLANG0002' })).status).toBe(200);
    await pt.until(waitingForArrival, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('starts in Chinese for a Chinese browser, switches to English and back, and never shows a code', async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await page.goto(consoleUrl(pt, '/sign-in'));
    await page.getByLabel('API 密钥').waitFor(WAIT);
    await noCodes(page, 'the sign-in page (zh)');
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.getByRole('heading', { name: '待办队列' }).waitFor(WAIT);
    await page.locator(`[data-testid="queue-row"][data-case-id="${decided}"]`).getByText('待顾客寄回').waitFor(WAIT);
    await noCodes(page, 'the queue (zh)');
    await photograph(page, 'language-1-queue-zh');

    await page.goto(consoleUrl(pt, `/cases/${decided}`));
    await page.getByTestId('case-stage').getByText('待顾客寄回').waitFor(WAIT);
    await page.getByTestId('timeline').getByText('七天无理由退货').first().waitFor(WAIT);
    await noCodes(page, 'the case page (zh)');
    await photograph(page, 'language-2-case-zh');

    // Switched: at once, without a reload, and remembered.
    await page.getByLabel('语言').selectOption('en');
    await page.getByTestId('case-stage').getByText('Awaiting the return shipment').waitFor(WAIT);
    await page.getByTestId('timeline').getByText('7-day no-reason return').first().waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await noCodes(page, 'the case page (en)');
    await photograph(page, 'language-3-case-en');
    await page.goto(consoleUrl(pt, '/'));
    await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    await noCodes(page, 'the queue (en)');
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '待办队列' }).waitFor(WAIT);
    await cp.context.close();
  });

  it('the warehouse page in both languages shows no code', async () => {
    const cp = await openConsole(browser, { locale: 'en-GB' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    const row = page.locator(`[data-testid="task-row"][data-case-id="${waitingForArrival}"]`);
    await row.getByText('Receive the return').waitFor(WAIT);
    await noCodes(page, 'the warehouse (en)');
    await page.getByLabel('Language').selectOption('zh-CN');
    await row.getByText('退货收货').waitFor(WAIT);
    await noCodes(page, 'the warehouse (zh)');
    await photograph(page, 'language-4-warehouse-zh');
    await cp.context.close();
  });
});
