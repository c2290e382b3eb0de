/**
 * The console on cases whose solution has been given, and on the way in: a finished case (one in
 * its satisfaction revisit, one closed) and an open one whose solution was given (a return waiting
 * for its parcel) show whether the same-day solution was on time, never a
 * countdown to a deadline that no longer runs; a search finds closed cases too and says what it
 * searched; a link to a case opened while signed out comes back to that case after signing in —
 * and only to a page of the console, never to another site.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder, oneLineOrder } from '../support/orders.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;
let revisitCase: string;
let closedCase: string;
let shipmentCase: string;

/** A missing-items case taken through the warehouse check to its revisit (the solution given, the case still open). */
async function missingItemsInRevisit(orderId: string): Promise<string> {
  const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, {
    customer: { id: `cust-${orderId}`, locale: 'en' },
    order: oneLineOrder(orderId, { sku: 'TEA-07', name: 'Longjing tea 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 }, { shippedDaysAgo: 4 }),
    missing: [{ sku: 'TEA-07', quantity: 1 }],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const caseId = opened.body.caseId as string;
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_WAREHOUSE_CHECK');
  const check = await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk', stockCount: [{ sku: 'TEA-07', systemQuantity: 10, countedQuantity: 11 }], unitWeightsGrams: { 'TEA-07': 120 } });
  expect(check.status, JSON.stringify(check.body)).toBeLessThan(300);
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_REVISIT');
  return caseId;
}

/** A return the policy approves at once (delivered, within the no-reason window): its solution given, it waits for the customer's parcel. */
async function returnAwaitingShipment(orderId: string): Promise<string> {
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: `cust-${orderId}`, locale: 'en' },
    order: mugAndTeaOrder(orderId, Date.now(), 1),
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const caseId = opened.body.caseId as string;
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
  return caseId;
}

/** Signs in on the sign-in page the console sent the person to (not a fresh one: that would drop where they were going). */
async function signInHere(page: Page, key: string): Promise<void> {
  const field = page.getByLabel('API key');
  await field.waitFor(WAIT);
  await field.fill(key);
  await field.press('Enter');
  await page.waitForFunction(() => !location.pathname.endsWith('/sign-in'), undefined, WAIT);
}

run('the console on finished cases and deep links', () => {
  beforeAll(async () => {
    // The revisit right after the solution, so a case reaches it without moving the clock.
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { revisitAfterDays: 0 } })).status).toBeLessThan(300);
    [revisitCase, closedCase, shipmentCase] = await Promise.all([missingItemsInRevisit('SO-FIN-REVISIT'), missingItemsInRevisit('SO-FIN-CLOSED'), returnAwaitingShipment('SO-FIN-SHIP')]);
    expect((await pt.call('POST', `/v1/cases/${closedCase}/revisit`, pt.keys.STOREFRONT, { score: 5 })).status).toBeLessThan(300);
    await pt.until(closedCase, pt.keys.AGENT!, 'CLOSED');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('a case whose solution was given shows it on time, not a countdown: in the queue and on its page', async () => {
    const cp = await openConsole(browser, { timezoneId: 'UTC' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    const row = page.locator(`[data-testid="queue-row"][data-case-id="${revisitCase}"]`);
    await row.waitFor(WAIT);
    await row.getByTestId('solution-outcome').getByText('On time').waitFor(WAIT);
    // Under "Next deadline", said to be the solution's: no deadline runs any more.
    expect(await row.getByTestId('queue-solution-due').innerText()).toBe('Solution: On time');
    // Open and waiting for the customer's parcel, its solution given at opening: the row counts down
    // to the customer's deadline (the next one, the queue's order) with the solution "On time" under
    // it, though the queue's rows carry no timeline (the case's solutionGivenAt says so).
    const shipping = page.locator(`[data-testid="queue-row"][data-case-id="${shipmentCase}"]`);
    await shipping.getByTestId('queue-solution-due').getByTestId('solution-outcome').getByText('On time').waitFor(WAIT);
    expect(await shipping.getByTestId('queue-due').getByTestId('countdown').count()).toBe(1);
    expect(await shipping.getByTestId('queue-due-what').innerText()).toBe('Waiting: The customer');

    await page.goto(consoleUrl(pt, `/cases/${closedCase}`));
    const due = page.getByTestId('solution-due');
    await due.getByTestId('solution-outcome').getByText('On time').waitFor(WAIT);
    expect(await due.getByTestId('countdown').count()).toBe(0);
    expect(await page.getByTestId('countdown').count()).toBe(0);
    // Its time says which zone it is in (the deadline's explanation speaks of the shop's, each of its times naming it).
    expect(await due.innerText()).toMatch(/\d{2}:\d{2} (UTC|GMT[+-][\d:]+)/);
    const shopTimes = await page.getByTestId('deadline-explanation').innerText();
    expect(shopTimes.match(/\d{2}:\d{2} GMT\+8/g), shopTimes).toHaveLength(2);
    expect(shopTimes).not.toContain('UTC');
    // Stage and status both say "Closed": said once.
    expect(await page.locator('.stage-line').getByText('Closed', { exact: true }).count()).toBe(1);
    await photograph(page, 'finished-1-closed-case');
    await cp.context.close();
    // A reader in the shop's own zone reads every time alike: nothing to say.
    const local = await openConsole(browser, { timezoneId: 'Asia/Shanghai' });
    await signIn(local, pt, pt.keys.AGENT!);
    await local.page.goto(consoleUrl(pt, `/cases/${closedCase}`));
    const explained = local.page.getByTestId('deadline-explanation');
    await explained.waitFor(WAIT);
    expect(await explained.innerText()).not.toContain('shop’s local times');
    await local.context.close();
  });

  it('a search by order id finds a closed case and says what it searched', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    const search = page.getByLabel('Search by order id, case id, tracking number or customer id');
    await search.fill('SO-FIN-CLOSED');
    await search.press('Enter');
    await page.locator(`[data-testid="queue-row"][data-case-id="${closedCase}"]`).getByText('Closed').first().waitFor(WAIT);
    await photograph(page, 'finished-2-search-closed');

    await search.fill('SO-FIN-NOWHERE');
    await search.press('Enter');
    await page.getByTestId('queue').getByText('No case, open or finished, matches “SO-FIN-NOWHERE”.').waitFor(WAIT);

    // Without a search: finished cases on request, and the Stage filter can pick the closed ones.
    await page.getByRole('button', { name: 'Clear search' }).click();
    await page.getByLabel('Stage').selectOption({ label: 'Closed' });
    await page.locator(`[data-testid="queue-row"][data-case-id="${closedCase}"]`).waitFor(WAIT);
    await page.getByLabel('Stage').selectOption({ label: 'All' });
    await page.locator(`[data-testid="queue-row"][data-case-id="${closedCase}"]`).waitFor({ state: 'detached', ...WAIT });
    await page.getByLabel('Finished cases too').check();
    await page.locator(`[data-testid="queue-row"][data-case-id="${closedCase}"]`).waitFor(WAIT);
    await cp.context.close();
  });

  it("the queue's filters, search and sort are in its address: a reload or a shared link keeps them, back undoes them one by one", async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    const rowOf = (caseId: string) => page.locator(`[data-testid="queue-row"][data-case-id="${caseId}"]`);
    const query = () => Object.fromEntries(new URL(page.url()).searchParams);
    await rowOf(shipmentCase).waitFor(WAIT);
    expect(query()).toEqual({});

    await page.getByLabel('Stage').selectOption({ label: 'Closed' });
    await rowOf(closedCase).waitFor(WAIT);
    await page.getByLabel('Finished cases too').check();
    await page.getByLabel('Sort by').selectOption({ label: 'Newest first' });
    await page.waitForFunction(() => location.search.includes('sort=newest'), undefined, WAIT);
    expect(query()).toEqual({ stage: 'CLOSED', finished: '1', sort: 'newest' });

    // Reloaded: the same filters, chosen in the form, and the same list.
    await page.reload();
    await rowOf(closedCase).waitFor(WAIT);
    expect(await page.getByLabel('Stage').inputValue()).toBe('CLOSED');
    expect(await page.getByLabel('Finished cases too').isChecked()).toBe(true);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('newest');
    expect(await rowOf(shipmentCase).count()).toBe(0);
    // The table says the order it is in (a trial read "the most urgent first" over the newest).
    expect(await page.getByTestId('queue-caption').textContent()).toBe('Open and finished cases, the newest first');

    // The link, opened by someone else: the same list.
    const other = await openConsole(browser);
    await signIn(other, pt, pt.keys.AGENT!);
    await other.page.goto(page.url());
    await other.page.locator(`[data-testid="queue-row"][data-case-id="${closedCase}"]`).waitFor(WAIT);
    expect(await other.page.getByLabel('Stage').inputValue()).toBe('CLOSED');
    expect(await other.page.locator(`[data-testid="queue-row"][data-case-id="${shipmentCase}"]`).count()).toBe(0);
    await other.context.close();

    // Back: one choice at a time, the form and the list following.
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('sort='), undefined, WAIT);
    expect(await page.getByLabel('Sort by').inputValue()).toBe('urgency');
    await page.goBack();
    await page.waitForFunction(() => !location.search.includes('finished='), undefined, WAIT);
    expect(await page.getByLabel('Finished cases too').isChecked()).toBe(false);
    await page.goBack();
    await rowOf(shipmentCase).waitFor(WAIT);
    expect(await page.getByLabel('Stage').inputValue()).toBe('');
    expect(query()).toEqual({});

    // A search too: kept in the address, and in its box after a reload.
    const search = page.getByLabel('Search by order id, case id, tracking number or customer id');
    await search.fill('SO-FIN-CLOSED');
    await search.press('Enter');
    await page.waitForFunction(() => location.search.includes('q=SO-FIN-CLOSED'), undefined, WAIT);
    await page.reload();
    await rowOf(closedCase).waitFor(WAIT);
    expect(await search.inputValue()).toBe('SO-FIN-CLOSED');
    expect(await rowOf(shipmentCase).count()).toBe(0);
    await cp.context.close();
  });

  it('a link to a case opened while signed out comes back to it after signing in', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await page.goto(consoleUrl(pt, `/cases/${closedCase}`));
    await signInHere(page, pt.keys.AGENT!);
    await page.getByTestId('case-stage').waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe(`/console/cases/${closedCase}`);
    await cp.context.close();
  });

  it('never leaves the console after signing in, whatever the sign-in link says', async () => {
    for (const next of ['https://evil.example/', '//evil.example/x', '/\\evil.example/x', 'javascript:alert(1)', 'https:/evil.example/x']) {
      const cp = await openConsole(browser);
      const { page } = cp;
      await page.goto(`${consoleUrl(pt, '/sign-in')}?next=${encodeURIComponent(next)}`);
      await signInHere(page, pt.keys.AGENT!);
      await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
      const at = new URL(page.url());
      expect(at.origin, next).toBe(new URL(pt.platform.apiUrl).origin);
      expect(at.pathname, next).toBe('/console/');
      await cp.context.close();
    }
  });
});
