/**
 * A customer complains to an agent about a case (on the phone): the agent records it from the case's
 * page, the platform opens a linked complaint case, and the page links to it; the same case
 * complained about again is a repeat. What the form needs is asked for at its fields.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { followedDelay } from '../support/resolved-delay.js';
import { closedAtNoon } from '../support/shop-hours.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

run('recording a complaint from a case page', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('opens a linked complaint case, names it a repeat the second time, and asks for what is missing at its field', async () => {
    // An urgent complaint is answered sooner than the solution deadline only when its hours end
    // first: the shop closed now (due about twelve hours away), and no skip of the server's clock
    // (the workflow counts the urgent hours on it), so the page says so at any hour of any day.
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { businessHours: closedAtNoon() })).status).toBe(201);
    const caseId = await followedDelay(pt, 'SO-CONSOLE-COMPLAINT', 'ZTCOMPLAIN1');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('complaint-form');
    await form.getByRole('heading', { name: 'Record a complaint' }).waitFor(WAIT);
    // Nothing chosen or said: asked at the fields, nothing sent.
    await form.getByRole('button', { name: 'Open the complaint' }).click();
    await form.locator('#cp-description-error').getByText('This field is required.').waitFor(WAIT);
    expect(await form.locator('#cp-category-error').innerText()).toBe('Choose a category.');
    expect((await pt.call('GET', `/v1/cases?type=COMPLAINT`, pt.keys.AGENT)).body.items).toEqual([]);

    await form.getByLabel('What it is about').selectOption({ label: 'Logistics' });
    await form.getByLabel('What the customer said').fill('Called twice; the compensation still has not arrived.');
    expect(await form.getByLabel('How they complained').inputValue()).toBe('PHONE');
    await form.getByLabel(/They threaten/).check();
    await form.getByRole('button', { name: 'Open the complaint' }).click();
    const link = form.getByTestId('complaint-opened').getByRole('link');
    await link.waitFor(WAIT);
    const complaintId = (await link.innerText()).replace('Open complaint ', '');
    const complaint = await pt.until(complaintId, pt.keys.AGENT!, 'AWAITING_RESOLUTION');
    expect(complaint).toMatchObject({ type: 'COMPLAINT', orderId: 'SO-CONSOLE-COMPLAINT' });
    const openedStep = complaint.timeline.find((e: { kind: string }) => e.kind === 'OPENED');
    expect(openedStep.data).toMatchObject({ category: 'LOGISTICS', channel: 'PHONE', relatedCaseId: caseId });
    // A threat makes it urgent, escalated at once: the complaint's page will say the classification did it.
    expect(complaint.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED').decision).toMatchObject({ outcome: 'URGENT', values: { threatensEscalation: true, repeat: false } });
    expect(complaint).toMatchObject({ escalated: true, escalation: { kind: 'CLASSIFIED' } });
    await photograph(page, 'complaint-1-recorded');

    // The same case complained about again (another call, other words): a repeat.
    await form.getByLabel('What it is about').selectOption({ label: 'Service attitude' });
    await form.getByLabel('What the customer said').fill('Nobody called back as promised.');
    await form.getByRole('button', { name: 'Open the complaint' }).click();
    await form.getByTestId('complaint-opened').getByText('a repeat complaint, prioritised higher').waitFor(WAIT);
    expect(await form.getByTestId('complaint-opened').getByRole('link').innerText()).not.toContain(complaintId);

    // The first complaint's own page: why it is escalated, and the form is not offered on a complaint.
    await page.goto(consoleUrl(pt, `/cases/${complaintId}`));
    await page.getByTestId('escalation').getByText(/Why escalated: Classified → Urgent/).waitFor(WAIT);
    expect(await page.getByTestId('complaint-form').count()).toBe(0);
    // Its urgent answer time, read in Chinese too (the API's explanation is English for staff).
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByTestId('deadline-explanation').getByText(/投诉按优先级须更早答复：.+ 前。/).waitFor(WAIT);
    await page.getByLabel('语言').selectOption('en');
    // It links back to the case it is about.
    await page.getByTestId('timeline').getByTestId('related-case').click();
    await page.waitForURL(`**/cases/${caseId}`, WAIT);
    await cp.context.close();
  });
});
