/**
 * The queue and the case page count down to the same deadline: an urgent complaint must be handled
 * within the priority's few hours, long before the same-day solution deadline, and its case page
 * leads with that handling time (what the case waits for). The queue's row used to count down to
 * the solution deadline only (hours later); it now leads with the nearest of the two and says which.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const order = { orderId: 'qd-cp', currency: 'CNY', items: [{ sku: 'TEA-07', name: '龙井茶 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 }], shippingFeeMinor: 0, paidTotalMinor: 3_000, shippedAt: Date.now() - 4 * 86_400_000, deliveredAt: Date.now() - 86_400_000 };

let browser: Browser;
let complaint: string;

run('the queue and the case page name the same nearest deadline', () => {
  beforeAll(async () => {
    // Urgent complaints within one hour: before the day's solution deadline whenever this runs (but in the shop's last hour).
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { complaintUrgentHours: 1 } })).status).toBeLessThan(300);
    const opened = await pt.call('POST', '/v1/complaints', pt.keys.AGENT, { customer: { id: 'cust-qd', locale: 'zh-CN' }, order, category: 'PRIVACY', description: '快递员把我的地址发到了网上', channel: 'PHONE' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    complaint = opened.body.caseId;
    await pt.until(complaint, pt.keys.AGENT!, 'AWAITING_RESOLUTION');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("an urgent complaint's queue row counts down to the deadline its case page leads with", async () => {
    const c = (await pt.call('GET', `/v1/cases/${complaint}`, pt.keys.AGENT)).body;
    const waitAt: string = c.waitingFor.deadlineAt;
    expect(waitAt).toBeTruthy();
    const nearest = c.solutionDueAt && Date.parse(c.solutionDueAt) < Date.parse(waitAt) ? c.solutionDueAt : waitAt;

    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    const row = page.locator(`[data-testid="queue-row"][data-case-id="${complaint}"]`);
    await row.waitFor(WAIT);
    const queueDue = row.getByTestId('queue-due').getByTestId('countdown');
    expect(new Date((await queueDue.getAttribute('datetime'))!).getTime()).toBe(Date.parse(nearest));
    if (nearest === waitAt) {
      // Which deadline it is, and the solution's still in sight.
      await row.getByTestId('queue-due-what').getByText('当前等待客服').waitFor(WAIT);
      await row.getByTestId('queue-solution-due').getByText('当日解决时限').waitFor(WAIT);
    }
    await photograph(page, 'queue-deadline-zh');

    // The case page leads with the same deadline: what the case waits for.
    await page.goto(consoleUrl(pt, `/cases/${complaint}`));
    const waiting = page.locator('section[aria-labelledby="waiting-title"]');
    const lead = waiting.getByTestId('countdown').first();
    await lead.waitFor(WAIT);
    expect(new Date((await lead.getAttribute('datetime'))!).getTime()).toBe(Date.parse(waitAt));
    await cp.context.close();
  });
});
