/**
 * The case page as the case moves under the agent:
 * - a RESOLVED case offers a "Reopen with a supervisor" form that says what it does; sent, the page
 *   shows the case back with an agent, escalated, its timeline naming the step in the reader's language;
 * - a case that moved on before the agent's action reached it (another agent got there first, the
 *   live updates were down) is reloaded and the page says so, instead of keeping a stage and a form
 *   that are no longer the case's under an error that names stages in code.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { resolvedDelay } from '../support/resolved-delay.js';
import { waitUntil } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

run('the case page as the case moves', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('an agent reopens a resolved case with a supervisor from its page', async () => {
    const caseId = await resolvedDelay(pt, 'SO-CONSOLE-REOPEN', 'ZTREOPEN1');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('escalate-form');
    await form.getByRole('heading', { name: 'Reopen with a supervisor' }).waitFor(WAIT);
    // A delay asks for no money: nothing requested, not CN¥0.00.
    expect(await page.getByTestId('case-requested').innerText()).toBe('—');
    expect(await form.getByTestId('escalate-hint').innerText()).toContain('reopens it to an agent');
    // Not "finished": the form below still reopens it.
    expect(await page.getByTestId('no-actions').innerText()).toContain('reopen it with a supervisor below');
    await form.getByLabel('Reason').fill('The customer called: the compensation has not arrived');
    await form.getByRole('button', { name: 'Reopen and escalate' }).click();
    // The page follows the case to the agent's wait; the escalate form is the open case's now.
    await page.getByTestId('timeline').getByText('Reopened on an escalation').waitFor(WAIT);
    // The reason as the agent wrote it, also where an older step stored it behind its actor.
    const escalation = page.getByTestId('timeline').locator('li[data-kind="ESCALATED"]');
    expect(await escalation.locator('dd').first().innerText()).toBe('The customer called: the compensation has not arrived');
    await pt.db.caseEvent.create({ data: { caseId, stepKey: 'old-escalation', kind: 'ESCALATED', actor: 'agent:k-old', data: { reason: 'agent:k-old: asked twice already' } } });
    await page.reload();
    await page.getByTestId('timeline').getByText('asked twice already', { exact: true }).waitFor(WAIT);
    await form.getByRole('heading', { name: 'Escalate to a supervisor' }).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true });
    expect(await page.getByTestId('flag-escalated').innerText()).toBe('Escalated');
    // Why the badge says escalated: the agent's escalation, with the reason they gave.
    const why = page.getByTestId('escalation');
    await expect.poll(() => why.innerText(), WAIT).toContain('Why escalated');
    expect(await why.innerText()).toContain('The customer called: the compensation has not arrived');
    // Escalated once more: every reason is said, oldest first, each with when and by whom (the page
    // showed only the newer one).
    expect((await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: 'Called again: still nothing' })).status).toBe(202);
    const reasons = why.getByTestId('escalation-reason');
    await expect.poll(() => reasons.count(), WAIT).toBe(3);
    const said = await reasons.allInnerTexts();
    expect(said[0]).toContain('The customer called: the compensation has not arrived');
    expect(said[1]).toContain('asked twice already');
    expect(said[2]).toContain('Called again: still nothing');
    for (const line of said) expect(line).toMatch(/· .*\d{1,2}:\d{2}.* · (You|Agent)/);
    // A reopened case ends by being resolved again or closed: the words say so, no refund words.
    const offered = (await page.getByTestId('resolution-form').locator('#r-action option:not([disabled])').allInnerTexts()).map((o) => o.trim());
    expect(offered).toEqual(['Resolve it again (revisited later)', 'Close the case']);
    await photograph(page, 'reopen-resolved-1-reopened');
    // Clearing an escalation is a supervisor's: the agent is not offered it.
    expect(await page.getByTestId('de-escalate-form').count()).toBe(0);
    await cp.context.close();

    // The supervisor deals with it and clears it: the case leaves the escalated queue and waits on.
    const sup = await openConsole(browser);
    await signIn(sup, pt, pt.keys.SUPERVISOR!);
    await sup.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const clear = sup.page.getByTestId('de-escalate-form');
    await clear.waitFor(WAIT);
    // Escalating is the agents' way to a supervisor: not offered to one.
    expect(await sup.page.getByTestId('escalate-form').count()).toBe(0);
    await clear.getByLabel('What was done').fill('Called the customer: the compensation is on its way');
    await clear.getByRole('button', { name: 'Clear the escalation' }).click();
    await sup.page.getByTestId('timeline').getByText('Escalation dealt with').waitFor(WAIT);
    await waitUntil('the case no longer escalated', async () => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body.escalated === false);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body).toMatchObject({ stage: 'AWAITING_AGENT', escalated: false });
    await sup.page.getByTestId('de-escalate-form').waitFor({ ...WAIT, state: 'detached' });
    await sup.page.getByTestId('escalation').waitFor({ ...WAIT, state: 'detached' });
    await sup.context.close();
  });

  it('a resolved case that was escalated says so as history, not as a call to act', async () => {
    const caseId = await resolvedDelay(pt, 'SO-CONSOLE-WASESC', 'ZTWASESC1');
    // The read model keeps the flag once set (the figures count escalations): as a resolved case escalated on its way has it.
    await pt.db.case.update({ where: { id: caseId }, data: { escalated: true } });
    const cp = await openConsole(browser);
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await cp.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const flag = cp.page.getByTestId('flag-escalated');
    await flag.waitFor(WAIT);
    expect(await flag.innerText()).toBe('Was escalated');
    expect(await flag.getAttribute('class')).not.toContain('warn');
    await cp.context.close();
  });

  it("missing items the warehouse's records say were sent: going on is offered as the goodwill refund it is, with its amount", async () => {
    const order = { orderId: 'SO-CONSOLE-NOTSHORT', currency: 'CNY', items: [{ sku: 'CLIP', name: 'Hair clip', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 }], shippingFeeMinor: 0, paidTotalMinor: 4500, shippedAt: Date.now() - 3 * 86_400_000, deliveredAt: Date.now() - 86_400_000 };
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer: { id: 'cust-notshort', locale: 'zh-CN' }, order, missing: [{ sku: 'CLIP', quantity: 1 }] });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_WAREHOUSE_CHECK');
    expect((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-1', stockCount: [{ sku: 'CLIP', systemQuantity: 30, countedQuantity: 30 }] })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_AGENT');
    const cp = await openConsole(browser);
    await signIn(cp, pt, pt.keys.AGENT!);
    await cp.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const options = cp.page.getByTestId('resolution-form').locator('#r-action option:not([disabled])');
    await options.first().waitFor({ ...WAIT, state: 'attached' });
    expect((await options.allInnerTexts()).map((o) => o.trim())).toEqual([
      'Refund the missing items anyway, as goodwill (the warehouse’s records say they were sent): CN¥15.00',
      'Close the case',
    ]);
    await cp.context.close();
  });

  it('an action on a case that moved on meanwhile reloads the page and says why', async () => {
    // Not delivered yet: the policy cannot decide, an agent must.
    const order = { ...mugAndTeaOrder('SO-CONSOLE-MOVED', Date.now(), 0), deliveredAt: undefined };
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: 'cust-moved', locale: 'en' }, order, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DECISION');
    const cp = await openConsole(browser);
    const { page } = cp;
    // The live feed is down: the page learns of the change only from the refusal.
    await page.route('**/v1/case-changes', (route) => route.abort());
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('proposal-form');
    await form.waitFor(WAIT);
    // A colleague approves one of the two mugs meanwhile: the case now waits for the customer's consent.
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.SUPERVISOR, { decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }] })).status).toBe(200);
    await form.getByLabel('Reject').check();
    await form.getByLabel('Reason').fill('Not delivered yet');
    await form.getByRole('button', { name: 'Send the decision' }).click();
    // A rejection asks once before it is sent.
    await form.getByRole('button', { name: 'Reject and close the case' }).click();
    await page.getByTestId('case-moved-on').waitFor(WAIT);
    await page.getByTestId('case-stage').getByText('Awaiting the customer').waitFor(WAIT);
    expect(await page.getByTestId('proposal-form').count()).toBe(0);
    // Said until the next command is taken.
    await page.getByTestId('note-form').getByLabel('Note').fill('the customer will be called back');
    await page.getByTestId('note-form').getByRole('button', { name: 'Add the note' }).click();
    await page.getByTestId('case-moved-on').waitFor({ state: 'detached', ...WAIT });
    await photograph(page, 'case-moves-2-moved-on');
    await cp.context.close();
  });
});
