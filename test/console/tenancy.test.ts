/**
 * One merchant's agent never sees another merchant's cases in the console: not in the queue, not by
 * searching its order id, not by opening its page by id (the same answer as a case that does not
 * exist), and not through the live feed when that case changes.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const B = 'console-tenant-b';

let browser: Browser;
let agentB: string;
let caseA: string;
let caseB: string;

async function openReturn(key: string, orderId: string) {
  const opened = await pt.call('POST', '/v1/returns', key, {
    customer: { id: `cust-${orderId}`, locale: 'en' },
    order: mugAndTeaOrder(orderId, Date.now(), 1),
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  await pt.until(opened.body.caseId, key === pt.keys.STOREFRONT ? pt.keys.AGENT! : agentB, 'AWAITING_RETURN_SHIPMENT');
  return opened.body.caseId as string;
}

run('tenancy in the console', () => {
  beforeAll(async () => {
    const admin = pt.keys.ADMIN!;
    expect((await pt.call('PUT', `/v1/admin/merchants/${B}`, admin, { name: 'Shop B', defaultCurrency: 'CNY', returnAddress: { name: 'B returns', phone: '021-00000000', address: 'Shanghai' } })).status).toBeLessThan(300);
    const keyOf = async (role: string) => (await pt.call('POST', '/v1/admin/keys', admin, { role, merchantId: B, label: `console tenancy ${role}` })).body.key as string;
    agentB = await keyOf('AGENT');
    const storefrontB = await keyOf('STOREFRONT');
    caseA = await openReturn(pt.keys.STOREFRONT!, 'SO-TENANT-A-CONSOLE');
    caseB = await openReturn(storefrontB, 'SO-TENANT-B-CONSOLE');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it("merchant B's agent sees B's case and never A's", async () => {
    // A's agent sees A's case (so it is there to be seen).
    const a = await openConsole(browser);
    await signIn(a, pt, pt.keys.AGENT!);
    await a.page.locator(`[data-testid="queue-row"][data-case-id="${caseA}"]`).waitFor(WAIT);
    await a.context.close();

    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, agentB);
    await page.getByTestId('session-who').getByText('Shop B').waitFor(WAIT);
    await page.locator(`[data-testid="queue-row"][data-case-id="${caseB}"]`).waitFor(WAIT);
    expect(await page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')))).toEqual([caseB]);
    await page.getByTestId('live-status').and(page.locator('[data-connected="true"]')).waitFor(WAIT);

    // A's case changes (a note, an escalation): B's queue shows nothing of it.
    expect((await pt.call('POST', `/v1/cases/${caseA}/escalations`, pt.keys.AGENT, { reason: 'customer called twice' })).status).toBe(202);
    expect((await pt.call('POST', `/v1/cases/${caseB}/notes`, agentB, { text: 'B only' })).status).toBe(201);
    await photograph(page, 'tenancy-1-queue-b');
    expect(await page.locator(`[data-case-id="${caseA}"]`).count()).toBe(0);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('SO-TENANT-A-CONSOLE');

    // Searching A's order id or case id finds nothing.
    for (const q of ['SO-TENANT-A-CONSOLE', caseA]) {
      await page.getByLabel('Search by order id, case id, tracking number or customer id').fill(q);
      await page.getByLabel('Search by order id, case id, tracking number or customer id').press('Enter');
      // Finished cases searched too: still nothing of A's.
      await page.getByText(`No case, open or finished, matches “${q}”.`).waitFor(WAIT);
    }

    // Opening A's case by its id: the same answer as for a case that does not exist.
    await page.goto(consoleUrl(pt, `/cases/${caseA}`));
    await page.getByText('This case does not exist or is not yours to see.').waitFor(WAIT);
    expect(await page.evaluate(() => document.body.innerText)).not.toContain('SO-TENANT-A-CONSOLE');
    await photograph(page, 'tenancy-2-case-a-refused');
    await page.goto(consoleUrl(pt, '/cases/no-such-case-0000'));
    await page.getByText('This case does not exist or is not yours to see.').waitFor(WAIT);
    await cp.context.close();
  });
});
