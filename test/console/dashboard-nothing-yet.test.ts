/**
 * The supervisor dashboard of a shop in its first days: cases, but no revisit answered, no order
 * counts reported, no root cause recorded, no budget. Each figure with nothing to draw says why, the
 * Pareto says it has nothing without drawing empty axes, and the supervisor sets the month's budget
 * where the dashboard says there is none.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { clearOfShanghaiMonthEnd, MONTH_END_HOOK_TIMEOUT_MS } from '../support/shop-day.js';
import { browserAvailable, consoleUrl, launch, openConsole, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

run('the supervisor dashboard with nothing yet to count', () => {
  beforeAll(async () => {
    await clearOfShanghaiMonthEnd();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: 'cust-first', locale: 'en' }, order: mugAndTeaOrder('SO-FIRST-1', Date.now(), 1), lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    await pt.until(opened.body.caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    browser = await launch();
  }, 180_000 + MONTH_END_HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('says why a figure is empty, and draws no empty Pareto', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, '/supervisor'));
    await page.locator('[data-figure="satisfaction"]').getByTestId('figure-none').getByText('No revisit was answered in this period yet').waitFor(WAIT);
    await page.locator('[data-figure="complaints"]').getByTestId('figure-none').getByText('No order counts were reported for this period').waitFor(WAIT);
    // A case was opened: resolution and on-time have something to draw.
    expect(await page.locator('[data-figure="resolution"]').getByTestId('figure-none').count()).toBe(0);
    await page.getByTestId('pareto-empty').waitFor(WAIT);
    await page.getByTestId('refunds-attention').getByText('No refund was sent back or has been pending at the bank for over 7 days.').waitFor(WAIT);
    expect(await page.locator('[data-chart="pareto"]').count()).toBe(0);
    await cp.context.close();
  });

  it('the supervisor sets the month\'s budget where it says there is none', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, '/supervisor'));
    const breakdown = page.getByTestId('cost-breakdown');
    await breakdown.getByText('No budget set').waitFor(WAIT);
    const form = page.getByTestId('budget-form');
    await form.getByLabel('Amount (CNY)').fill('12.345');
    await form.getByRole('button', { name: 'Save the budget' }).click();
    await form.locator('#budget-amount-error').waitFor(WAIT);
    await form.getByLabel('Amount (CNY)').fill('5,000');
    await form.getByRole('button', { name: 'Save the budget' }).click();
    await form.getByText('Budget saved.').waitFor(WAIT);
    await breakdown.getByText('CN¥5,000.00').first().waitFor(WAIT);
    const month = new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 7);
    expect((await pt.call('GET', `/v1/costs?period=${month}`, pt.keys.SUPERVISOR)).body).toMatchObject({ budgetMinor: 500_000 });
    await cp.context.close();
  });
});
