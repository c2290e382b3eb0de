/**
 * The agent's console in a real browser against the whole platform: signing in with the agent's
 * key, the work queue (a late case, most urgent first, with its countdown), the case page (the
 * automatic decision explained, what the case waits for) and proposing a solution there — the stage
 * changes on the page without a reload (the case-changes stream). A customer key cannot sign in.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { waitUntil } from '../support/wait.js';
import { browserAvailable, consoleUrl, expectKeyKeptSafe, KEY_STORAGE, launch, openConsole, photograph, signIn, WAIT, type ConsolePage } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const DAY = 86_400_000;

let browser: Browser;
let lateCase: string;

/** A return the policy cannot decide (the order is not delivered yet): it waits for an agent. */
async function openUndecidableReturn(orderId: string) {
  const now = Date.now();
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer: { id: `cust-${orderId}`, locale: 'en' },
    order: {
      orderId,
      currency: 'CNY',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 }],
      shippingFeeMinor: 1000,
      paidTotalMinor: 10_999,
      shippedAt: now - 3 * DAY,
    },
    lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }],
    evidenceUrls: ['https://evidence.example.com/console/crack.jpg'],
  });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  await pt.until(opened.body.caseId, pt.keys.AGENT!, 'AWAITING_DECISION');
  return opened.body.caseId as string;
}

run('the agent console', () => {
  beforeAll(async () => {
    lateCase = await openUndecidableReturn('SO-CONSOLE-LATE');
    // Past its same-day deadline on the dev server's clock: the case is late. Opened after the
    // shop's hours on a Friday, "same day" is Monday's: the skip is read off the case, not fixed.
    const opened = (await pt.call('GET', `/v1/cases/${lateCase}`, pt.keys.AGENT)).body;
    const openedAt = Date.parse(opened.timeline.find((s: { kind: string }) => s.kind === 'OPENED').at);
    await pt.skip(Math.ceil((Date.parse(opened.solutionDeadline.dueAt) - openedAt) / 1000) + 3_600);
    await waitUntil('the case to be late', async () => (await pt.call('GET', `/v1/cases/${lateCase}`, pt.keys.AGENT)).body?.late === true);
    // Opened on the wall clock, which the dev server's is now ahead of: this one too is late at once.
    await openUndecidableReturn('SO-CONSOLE-SECOND');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('signs in, finds the late case first in the queue, opens it and proposes; the stage changes without a reload', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe('/console/');

    const row = page.locator(`[data-testid="queue-row"][data-case-id="${lateCase}"]`);
    await row.waitFor(WAIT);
    // Most urgent first: the late case heads the queue, marked late, with a countdown to its deadline.
    // Most urgent first: late cases head the queue, then by solution deadline — as the server orders it.
    const order = (await pt.call('GET', '/v1/cases?order=urgency&open=true', pt.keys.AGENT)).body.items.map((c: { id: string }) => c.id);
    await expect.poll(() => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))), WAIT).toEqual(order);
    const lateFlags = await page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-late') === 'true'));
    expect(lateFlags).toEqual([...lateFlags].sort((a, b) => Number(b) - Number(a)));
    await row.getByText('Late', { exact: true }).waitFor(WAIT);
    await row.getByText('Awaiting a decision').waitFor(WAIT);
    expect(await row.locator('[data-testid="countdown"]').getAttribute('datetime')).toMatch(/^\d{4}-/);
    // The late filter keeps it; a search by order id finds exactly it.
    await page.getByLabel('Late only').check();
    await row.waitFor(WAIT);
    await page.getByLabel('Search by order id, case id, tracking number or customer id').fill('SO-CONSOLE-LATE');
    await page.getByLabel('Search by order id, case id, tracking number or customer id').press('Enter');
    await expect.poll(() => page.locator('[data-testid="queue-row"]').count(), WAIT).toBe(1);
    await photograph(page, 'agent-1-queue');

    await row.getByRole('link').click();
    await page.getByTestId('case-stage').getByText('Awaiting a decision').waitFor(WAIT);
    // The automatic decision explained: the rule, its values, the policy version.
    const decision = page.getByTestId('decision').filter({ hasText: 'Delivered before a return' });
    await decision.waitFor(WAIT);
    await decision.getByText('policy version 1').waitFor(WAIT);
    await page.getByTestId('waiting-for').getByText('an agent approves or rejects the request').waitFor(WAIT);
    // No link into the Temporal UI for a merchant's agent: it has no sign-in and shows every merchant's workflows (an ADMIN's is below).
    expect(await page.getByTestId('temporal-link').count()).toBe(0);
    await photograph(page, 'agent-2-case');

    // Without a reload from here on: a marker on the window survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    const form = page.getByTestId('proposal-form');
    // Sent with no choice: said; the message goes once a choice is made (a trial saw it stay beside the chosen button).
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.locator('#p-decision-error').getByText('Choose approve or reject.').waitFor(WAIT);
    await form.getByLabel('Reject').check();
    await form.locator('#p-decision-error').waitFor({ ...WAIT, state: 'detached' });
    // Validated in the form: a rejection needs a reason.
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.getByText('A rejection needs a reason the customer will read.').waitFor(WAIT);
    // With its reason, a rejection still asks before it closes the case: nothing is sent on the first press.
    await form.getByLabel('Reason').fill('the photos show wear from use');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.getByTestId('confirm-reject').getByText(/Rejecting closes the case/).waitFor(WAIT);
    await form.getByRole('button', { name: 'Reject and close the case' }).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${lateCase}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DECISION');
    await form.getByLabel('Reason').fill('');
    await form.getByLabel('Approve').check();
    await form.getByTestId('confirm-reject').waitFor({ ...WAIT, state: 'detached' });
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await page.getByTestId('case-stage').getByText('Awaiting the return shipment').waitFor(WAIT);
    await page.getByTestId('timeline').getByText('Return approved').waitFor(WAIT);
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    await photograph(page, 'agent-3-proposed');

    expect(await page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE)).toBe(pt.keys.AGENT);
    await expectKeyKeptSafe(cp, pt.keys.AGENT!);
    await cp.context.close();
  });

  it("links a case to its workflow in the Temporal UI for a platform operator (ADMIN) only, never for a merchant's staff", async () => {
    const href = `${pt.platform.temporalUi!.url}/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="case-${lateCase}"`)}`;
    const admin = await openConsole(browser);
    await signIn(admin, pt, pt.keys.ADMIN!);
    await admin.page.goto(consoleUrl(pt, `/cases/${lateCase}`));
    await admin.page.getByTestId('case-stage').waitFor(WAIT);
    // The platform's own Temporal UI (its port), the workflow found by id in the list (its page needs the run id).
    expect(await admin.page.getByTestId('temporal-link').getAttribute('href')).toBe(href);
    await admin.context.close();

    for (const role of ['AGENT', 'SUPERVISOR'] as const) {
      const cp = await openConsole(browser);
      await signIn(cp, pt, pt.keys[role]!);
      await cp.page.goto(consoleUrl(pt, `/cases/${lateCase}`));
      await cp.page.getByTestId('case-stage').waitFor(WAIT);
      await cp.page.getByTestId('timeline').waitFor(WAIT);
      expect(await cp.page.getByTestId('temporal-link').count(), role).toBe(0);
      expect(await cp.page.locator(`a[href^="${pt.platform.temporalUi!.url}"]`).count(), role).toBe(0);
      await cp.context.close();
    }
  });

  it('the queue follows a change made elsewhere without a reload', async () => {
    const cp: ConsolePage = await openConsole(browser);
    await signIn(cp, pt, pt.keys.AGENT!);
    const { page } = cp;
    await page.getByTestId('live-status').and(page.locator('[data-connected="true"]')).waitFor(WAIT);
    const fresh = await openUndecidableReturn('SO-CONSOLE-LIVE');
    await page.locator(`[data-testid="queue-row"][data-case-id="${fresh}"]`).waitFor(WAIT);
    expect((await pt.call('POST', `/v1/cases/${fresh}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: 'photos show wear from use' })).status).toBe(200);
    // Closed: it leaves the queue of open cases.
    await page.locator(`[data-testid="queue-row"][data-case-id="${fresh}"]`).waitFor({ state: 'detached', ...WAIT });
    await cp.context.close();
  });

  it('a customer key cannot sign in: the form shows the server’s refusal and keeps nothing', async () => {
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-SO-CONSOLE-LATE' })).body.token as string;
    for (const key of [token, pt.keys.STOREFRONT!]) {
      const cp = await openConsole(browser);
      await signIn(cp, pt, key);
      await cp.page.getByTestId('sign-in-error').getByText(/cannot sign in to the console/).waitFor(WAIT);
      expect(new URL(cp.page.url()).pathname).toBe('/console/sign-in');
      expect(await cp.page.evaluate((k) => sessionStorage.getItem(k), KEY_STORAGE)).toBeNull();
      await expectKeyKeptSafe(cp, key);
      await photograph(cp.page, key === token ? 'sign-in-refused-customer' : 'sign-in-refused-storefront');
      await cp.context.close();
    }
    // Straight to a page without a key: to the sign-in page.
    const cp = await openConsole(browser);
    await cp.page.goto(consoleUrl(pt, `/cases/${lateCase}`));
    await cp.page.getByLabel('API key').waitFor(WAIT);
    await cp.context.close();
  });

  it('a supervisor assigns a case by choosing the agent by name; the case page and the queue then name that agent', async () => {
    const made = await pt.call('POST', '/v1/admin/keys', pt.keys.ADMIN, { role: 'AGENT', merchantId: 'demo-merchant', label: '王芳' });
    expect(made.status).toBe(201);
    const caseId = await openUndecidableReturn('SO-CONSOLE-ASSIGN');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('assign-form');
    const choice = form.getByLabel('Assign to');
    await choice.waitFor(WAIT);
    // The merchant's agents and supervisors by name, the person signed in marked; nobody is chosen for a case nobody has.
    const options = await choice.locator('option:not([disabled])').allInnerTexts();
    expect(options).toEqual(expect.arrayContaining(['王芳', 'development agent key', 'development supervisor key (me) · Supervisor']));
    expect(await choice.inputValue()).toBe('');
    await page.getByTestId('case-assignee').getByText('Unassigned').waitFor(WAIT);

    await choice.selectOption({ label: '王芳' });
    await form.getByRole('button', { name: 'Assign' }).click();
    await page.getByTestId('case-assignee').getByText('王芳', { exact: true }).waitFor(WAIT);
    // Said as what happened: an assignment does not move the case on.
    expect(await form.getByTestId('form-ok').innerText()).toBe('Assigned.');
    // The note speaks the language chosen after it was said, as the page around it does.
    await page.getByTestId('language').selectOption('zh-CN');
    await form.getByTestId('form-ok').getByText('已指派。').waitFor(WAIT);
    await page.getByTestId('language').selectOption('en');
    await form.getByTestId('form-ok').getByText('Assigned.').waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body.assigneeId).toBe(made.body.id);
    const note = page.getByTestId('note-form');
    await note.getByLabel('Note').fill('customer prefers a call after 18:00');
    await note.getByRole('button', { name: 'Add the note' }).click();
    expect(await note.getByTestId('form-ok').innerText()).toBe('Note added to the timeline.');
    await page.getByTestId('timeline').locator('li[data-kind="ASSIGNED"]').getByText('王芳').waitFor(WAIT);
    // Opened again, the form starts at whoever has the case.
    await page.reload();
    await form.getByLabel('Assign to').waitFor(WAIT);
    expect(await form.getByLabel('Assign to').inputValue()).toBe(made.body.id);
    // In the queue too, by name; and the form in Chinese.
    await page.goto(consoleUrl(pt, `/?q=SO-CONSOLE-ASSIGN`));
    await page.locator(`[data-testid="queue-row"][data-case-id="${caseId}"]`).getByTestId('queue-assignee').getByText('王芳', { exact: true }).waitFor(WAIT);
    // The assignee filter picks the agent by name (it had wanted a key id no screen shows).
    await page.goto(consoleUrl(pt, '/'));
    await page.getByLabel('Assignee', { exact: true }).selectOption({ label: '王芳' });
    await page.waitForURL((u) => u.searchParams.get('assignee') === made.body.id, WAIT);
    await page.locator(`[data-testid="queue-row"][data-case-id="${caseId}"]`).waitFor(WAIT);
    expect(new Set(await page.getByTestId('queue-assignee').allInnerTexts())).toEqual(new Set(['王芳']));
    await page.getByTestId('language').selectOption('zh-CN');
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    await form.getByLabel('指派给').waitFor(WAIT);
    await form.getByRole('button', { name: '指派' }).waitFor(WAIT);
    await photograph(page, 'agent-assign-zh');
    await page.getByTestId('language').selectOption('en');
    await cp.context.close();

    // An admin's queue spans every merchant: the assignee is named with their merchant, not by key id.
    const admin = await openConsole(browser);
    await signIn(admin, pt, pt.keys.ADMIN!);
    await admin.page.goto(consoleUrl(pt, `/?q=SO-CONSOLE-ASSIGN`));
    const adminRow = admin.page.locator(`[data-testid="queue-row"][data-case-id="${caseId}"]`);
    await adminRow.getByTestId('queue-assignee').getByText('王芳 · demo-merchant', { exact: true }).waitFor(WAIT);
    // Whose case it is, assigned or not.
    expect(await adminRow.getByTestId('queue-merchant').innerText()).toBe('Merchant demo-merchant');
    await admin.page.goto(consoleUrl(pt, '/'));
    await admin.page.getByLabel('Assignee', { exact: true }).selectOption({ label: '王芳 · demo-merchant' });
    await admin.page.waitForURL((u) => u.searchParams.get('assignee') === made.body.id, WAIT);
    await admin.context.close();
  });

  it('approving only some lines sends every line as its field shows it, typed or not', async () => {
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-partial', locale: 'en' },
      order: {
        orderId: 'SO-CONSOLE-PARTIAL',
        currency: 'CNY',
        items: [
          { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
          { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 12_800, unitCostMinor: 6200 },
        ],
        shippingFeeMinor: 0,
        paidTotalMinor: 22_799,
        shippedAt: now - 3 * DAY,
      },
      lines: [
        { sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' },
        { sku: 'TEA', quantity: 1, reason: 'DEFECTIVE' },
      ],
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DECISION');

    const cp = await openConsole(browser);
    await signIn(cp, pt, pt.keys.AGENT!);
    await cp.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = cp.page.getByTestId('proposal-form');
    await form.getByLabel('Approve').check();
    await form.getByLabel('Approve only some of the lines').check();
    // Each quantity named by its product, not the SKU alone; the fields start at what was asked.
    expect(await form.getByLabel('Mug (MUG): how many to approve (2 asked)').inputValue()).toBe('2');
    // Sent unchanged, "only some" would approve everything: refused in the form, nothing sent.
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.getByText('Every quantity is what was asked, which approves the whole request').waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DECISION');
    // A line above what was asked, or not whole: said next to that line only, in the console's words, nothing sent.
    await form.locator('#p-line-TEA').fill('5');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.locator('#p-line-TEA-error').getByText('At most the 1 asked for.').waitFor(WAIT);
    expect(await form.locator('#p-line-TEA').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#p-line-MUG').getAttribute('aria-invalid')).toBeNull();
    expect(await form.locator('#p-line-MUG-error').count()).toBe(0);
    expect(await form.innerText()).not.toContain('Every quantity is what was asked');
    await form.locator('#p-line-TEA').fill('0.5');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await form.locator('#p-line-TEA-error').getByText('A whole number from 0 to 1.').waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_DECISION');
    await form.locator('#p-line-TEA').fill('1');
    await form.locator('#p-line-MUG').fill('1');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_CUSTOMER_CONSENT');
    // The API records the input after the workflow has answered: wait for the record, not the stage.
    const proposal = await waitUntil('the proposal recorded as an input', async () => {
      const inputs = (await pt.call('GET', `/v1/cases/${caseId}/inputs`, pt.keys.SUPERVISOR)).body.inputs as Array<{ kind: string; arg: { lines?: unknown } }> | undefined;
      return inputs?.find((i) => i.kind === 'propose');
    });
    expect(proposal.arg.lines).toEqual([
      { sku: 'MUG', quantity: 1 },
      { sku: 'TEA', quantity: 1 },
    ]);
    // The order's lines say what was approved where it is less than was asked; the rest as asked.
    const mug = cp.page.locator('[data-testid="order-line"][data-sku="MUG"]');
    await mug.getByTestId('order-line-approved').getByText('1 approved').waitFor(WAIT);
    expect(await cp.page.locator('[data-testid="order-line"][data-sku="TEA"]').getByTestId('order-line-approved').count()).toBe(0);
    // The timeline's decision says it approved only part of the request, not "Approved".
    await cp.page.locator('[data-testid="timeline"] li[data-kind="SOLUTION_PROPOSED"]').getByTestId('decision').getByText('Approved in part').waitFor(WAIT);
    await cp.context.close();

    // Accepted, sent and scanned in: the warehouse's inspection expects what was approved (1 mug), not the 2 asked.
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, pt.keys.AGENT, { accept: true })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: 'SFCONPART01' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFCONPART01', scannedBy: 'dock-1' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    const wh = await openConsole(browser);
    await signIn(wh, pt, pt.keys.WAREHOUSE!);
    await wh.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const lines = wh.page.getByTestId('inspection-form').getByTestId('inspection-line');
    await lines.first().waitFor(WAIT);
    expect((await lines.allInnerTexts()).map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual(['MUG 1', 'TEA 1']);
    await wh.context.close();
  });
});

