/**
 * A RESOLVED case in the console: the agent finds no escalation form that would leave the case where
 * it is, but a "Reopen with a supervisor" form that says what it does; sent, the page shows the case
 * back with an agent, escalated, its timeline naming the step in the reader's language.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { resolvedDelay } from '../support/resolved-delay.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

run('the console on a resolved case', () => {
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
    expect(await form.getByTestId('escalate-hint').innerText()).toContain('reopens it to an agent');
    await form.getByLabel('Reason').fill('The customer called: the compensation has not arrived');
    await form.getByRole('button', { name: 'Reopen and escalate' }).click();
    // The page follows the case to the agent's wait; the escalate form is the open case's now.
    await page.getByTestId('timeline').getByText('Reopened on an escalation').waitFor(WAIT);
    await form.getByRole('heading', { name: 'Escalate to a supervisor' }).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true });
    await photograph(page, 'reopen-resolved-1-reopened');
    await cp.context.close();
  });
});
