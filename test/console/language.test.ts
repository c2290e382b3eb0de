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
let lostParcel: string;

/** The words the lost-parcel timeline showed in English (or as humanized identifiers) in the Chinese console. */
const ENGLISH_ON_LOST_PARCEL = ['Outbound tracking', 'Verify dispatch', 'Dispatched', 'Tracking no', 'No trace', 'Internal', 'Never received', 'Compensate', 'Responsible person', 'Remedy', 'Choice answered', 'Lostparcelcause', 'Internal accountability', 'Trace', 'Courier', 'Options', 'Accountable', 'Task', 'Cause'];

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
    // A lost parcel the courier has no trace of: internal, the responsible person answers; the customer chooses a refund.
    const lost = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, {
      customer: { id: 'cust-SO-LANG-3', locale: 'zh-CN' },
      order: mugAndTeaOrder('SO-LANG-3', Date.now(), 1),
      shipment: { carrier: 'SF', trackingNumber: 'SFLANGLOST3', shippedAt: Date.now() - 5 * 86_400_000 },
      lines: [{ sku: 'MUG', quantity: 1 }],
    });
    expect(lost.status, JSON.stringify(lost.body)).toBe(201);
    lostParcel = lost.body.caseId as string;
    await pt.until(lostParcel, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH_CONFIRMATION');
    expect((await pt.call('POST', `/v1/cases/${lostParcel}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNo: 'SFLANGLOST3' })).status).toBe(200);
    const lostToken = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-SO-LANG-3' })).body.token;
    await pt.until(lostParcel, lostToken, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${lostParcel}/remedy-choice`, lostToken, { remedy: 'REFUND' })).status).toBe(200);
    await pt.until(lostParcel, lostToken, 'RESOLVED');
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
    await page.getByTestId('timeline').getByText('无理由退货期限').first().waitFor(WAIT);
    await noCodes(page, 'the case page (zh)');
    await photograph(page, 'language-2-case-zh');

    // Switched: at once, without a reload, and remembered.
    await page.getByLabel('语言').selectOption('en');
    await page.getByTestId('case-stage').getByText('Awaiting the return shipment').waitFor(WAIT);
    await page.getByTestId('timeline').getByText('No-reason return window').first().waitFor(WAIT);
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

  it('a lost parcel\'s timeline in Chinese names every step, rule and value', async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.goto(consoleUrl(pt, `/cases/${lostParcel}`));
    const timeline = page.getByTestId('timeline');
    await timeline.getByText('丢件原因').first().waitFor(WAIT);
    // Resolved, the revisit still to come: not "the case has ended".
    await page.getByText('暂无需处理：已解决，系统将按时发起满意度回访。').waitFor(WAIT);
    await timeline.getByText('顾客已选择').first().waitFor(WAIT);
    await noCodes(page, 'the lost-parcel case page (zh)');
    const text = await timeline.innerText();
    for (const english of ENGLISH_ON_LOST_PARCEL) expect(text, `"${english}" on the lost-parcel timeline (zh)`).not.toMatch(new RegExp(`\\b${english}\\b`, 'i'));
    await photograph(page, 'language-5-lost-parcel-zh');
    await page.getByLabel('语言').selectOption('en');
    await timeline.getByText('Cause of the loss').first().waitFor(WAIT);
    expect(await timeline.innerText()).not.toContain('Lostparcelcause');
    await noCodes(page, 'the lost-parcel case page (en)');
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

  it('an address the console has no page for says so in the reader\'s language, inside the console, with the way back', async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.goto(consoleUrl(pt, '/nonsense'));
    await page.getByTestId('error-title').getByText('页面不存在').waitFor(WAIT);
    await page.getByTestId('session-who').waitFor(WAIT);
    await page.getByRole('link', { name: '返回待办队列' }).click();
    await page.getByTestId('queue').waitFor(WAIT);
    await cp.context.close();
  });
});
