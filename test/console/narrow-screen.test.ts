/**
 * A phone's screen (390 px wide, in Chinese): no page of the console is wider than the screen —
 * tables scroll inside their own box, long ids wrap — so nothing sits out of reach to the right.
 * The warehouse's task list was 509 px wide: its actions column's hidden name (.sr-only, positioned)
 * escaped the table's scrolling box; a failure names the elements that stick out.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const PHONE = { width: 390, height: 844 };

let browser: Browser;
let returnCase: string;

/** How wide the page is beyond the screen, and the widest elements that stick out (to name in a failure). */
async function overflow(page: Page): Promise<{ width: number; culprits: string[] }> {
  // Layout settles after data arrives: give charts and tables a moment to draw.
  await page.waitForTimeout(300);
  return page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    // An element inside a box that scrolls sideways is clipped by it, unless it is positioned out of it.
    const clipped = (e: Element) => {
      if (['absolute', 'fixed'].includes(getComputedStyle(e).position)) return false;
      for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) if (getComputedStyle(up).overflowX !== 'visible') return true;
      return false;
    };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && !clipped(e))
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.split(' ').join('.')}` : ''} → ${Math.round(e.getBoundingClientRect().right)}`)
      .slice(0, 12);
    return { width, culprits };
  });
}

async function expectFits(page: Page, where: string): Promise<void> {
  const { width, culprits } = await overflow(page);
  expect(width, `${where} is ${width} px wide at 390 px: ${culprits.join(', ')}`).toBeLessThanOrEqual(PHONE.width);
}

run('the console on a phone (390 px, Chinese)', () => {
  beforeAll(async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-SO-NARROW-1', locale: 'zh-CN' },
      order: mugAndTeaOrder('SO-NARROW-1', Date.now(), 1),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    returnCase = opened.body.caseId as string;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-SO-NARROW-1' })).body.token;
    await pt.until(returnCase, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${returnCase}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFNARROW0001' })).status).toBe(200);
    await pt.until(returnCase, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    browser = await launch();
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it("an agent's queue and case page fit the screen", async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: PHONE });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.locator(`[data-testid="queue-row"][data-case-id="${returnCase}"]`).first().waitFor(WAIT);
    await photograph(page, 'narrow-1-queue');
    await expectFits(page, 'the queue');
    await page.goto(consoleUrl(pt, `/cases/${returnCase}`));
    await page.getByTestId('timeline').waitFor(WAIT);
    await photograph(page, 'narrow-2-case');
    await expectFits(page, 'the case page');
    await cp.context.close();
  });

  it("the warehouse's page fits the screen", async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: PHONE });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!, 'API 密钥');
    await page.locator(`[data-testid="task-row"][data-case-id="${returnCase}"]`).first().waitFor(WAIT);
    await photograph(page, 'narrow-3-warehouse');
    await expectFits(page, 'the warehouse page');
    await cp.context.close();
  });

  it("the supervisor's pages fit the screen", async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: PHONE });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!, 'API 密钥');
    await page.goto(consoleUrl(pt, '/supervisor'));
    await page.getByTestId('figures').waitFor(WAIT);
    await page.getByTestId('breaching').or(page.getByTestId('breaching-empty')).first().waitFor(WAIT);
    await photograph(page, 'narrow-4-supervisor');
    await expectFits(page, 'the supervisor dashboard');
    await page.goto(consoleUrl(pt, '/what-if'));
    await page.locator('main h1').waitFor(WAIT);
    await photograph(page, 'narrow-5-what-if');
    await expectFits(page, 'the what-if page');
    await cp.context.close();
  });

  it("the admin's page fits the screen", async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: PHONE });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.ADMIN!, 'API 密钥');
    await page.goto(consoleUrl(pt, '/admin'));
    await page.locator('#admin-merchants option[value="demo-merchant"]').waitFor({ state: 'attached', ...WAIT });
    await page.waitForTimeout(1000);
    await photograph(page, 'narrow-6-admin');
    await expectFits(page, 'the admin page');
    await cp.context.close();
  });
});
