/**
 * A refund the customer's bank sent back, on the case page: the agent sees how much came back and
 * why, pays it again with one button, and the page follows the case to the payment made (the form
 * gone, the step named in the reader's language).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { askProviderNow, otherCaseRefunded, pendingRefund, returnedRefund } from '../support/returned-refund.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

run('paying again a refund the bank sent back', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('offers it on the case page, pays it once, and the page shows it paid', async () => {
    const { caseId, refundId } = await returnedRefund(pt, 'SO-CONSOLE-RETURNED');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    // The queue's worklist of refunds sent back lists the case, resolved as it is.
    await page.goto(consoleUrl(pt, '/'));
    await page.getByLabel('Refund sent back only').check();
    await page.waitForURL(/refundReturned=1/, WAIT);
    await expect.poll(() => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id'))), WAIT).toEqual([caseId]);
    // The row says why it is there, not only that the case is escalated.
    expect(await page.locator('[data-testid="queue-row"]').getByTestId('flag-refund-returned').innerText()).toBe('Refund sent back');
    // The worklist lists finished cases too, and the choice says so rather than reading unticked.
    const finished = page.getByTestId('queue-finished');
    expect([await finished.isChecked(), await finished.isDisabled()]).toEqual([true, true]);
    await page.getByLabel('Refund sent back only').uncheck();
    await expect.poll(() => finished.isDisabled(), WAIT).toBe(false);
    expect(await finished.isChecked()).toBe(false);
    await page.getByLabel('Refund sent back only').check();
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('refund-again-form');
    await form.getByRole('heading', { name: 'Refund sent back by the bank' }).waitFor(WAIT);
    const hint = await form.innerText();
    expect(hint).toContain('¥108.00');
    expect(hint).toContain(`${refundId}: Account closed`);
    await page.getByTestId('timeline').getByText('Refund sent back by the bank').waitFor(WAIT);
    // The documents say where each refund's money is (read after the case: waited for, as CI's busy run showed none yet).
    await expect.poll(() => page.getByTestId('bank-status').allInnerTexts(), WAIT).toEqual(['Sent back by the bank']);
    // What the case waits for, reopened by its workflow on hearing of it: an agent to pay the money again, then to resolve it.
    await expect.poll(() => page.getByTestId('waiting-for').innerText(), WAIT).toContain('to pay again the refund the customer’s bank sent back (CN¥108.00), then resolve the case');
    // Escalated for money still to pay: a call to act, not history; the refunded figure says what is owed.
    expect(await page.getByTestId('flag-escalated').innerText()).toBe('Escalated');
    expect(await page.getByTestId('refund-owed-note').innerText()).toContain('CN¥108.00 was sent back by the customer’s bank and is owed');
    // Resolving it again waits for the money: CONTINUE is not offered yet, closing is.
    await page.getByTestId('resolution-pay-first').waitFor(WAIT);
    const resolution = page.getByTestId('resolution-form');
    expect([await resolution.locator('option[value="CONTINUE"]').isDisabled(), await resolution.locator('option[value="CLOSE"]').isDisabled()]).toEqual([true, false]);
    // Closing is possible, and says it pays nothing.
    await resolution.locator('#r-action').selectOption('CLOSE');
    expect(await page.getByTestId('resolution-close-owed').innerText()).toContain('Closing does not pay the refund the customer’s bank sent back (CN¥108.00)');
    await photograph(page, 'refund-again-1-offered');

    await form.getByLabel('What the customer confirmed (for the staff, optional)').fill('New card confirmed on the phone');
    // Money goes out on a second, explicit yes: cancelled, nothing was paid.
    await form.getByRole('button', { name: 'Pay the refund again' }).click();
    await form.getByText('Pay CN¥108.00 again to the customer’s original payment method?').waitFor(WAIT);
    await form.getByRole('button', { name: 'Cancel' }).click();
    expect(pt.platform.simulators.payment!.refunds).toHaveLength(1);
    await form.getByRole('button', { name: 'Pay the refund again' }).click();
    await form.getByRole('button', { name: 'Yes, pay it again' }).click();
    await page.getByText('Paying it again: the timeline shows it once paid').waitFor(WAIT);
    await page.getByTestId('timeline').getByText('Refund paid again').waitFor(WAIT);
    // Paid: nothing more to offer for it, nothing owed; the reopened case is the agent's to resolve.
    await expect.poll(() => page.getByTestId('refund-again-form').count(), WAIT).toBe(0);
    expect(await page.getByTestId('refund-owed-note').count()).toBe(0);
    expect(await page.getByTestId('waiting-for').innerText()).not.toContain('pay again');
    expect(await page.getByTestId('resolution-pay-first').count()).toBe(0);
    expect(await resolution.locator('option[value="CONTINUE"]').isDisabled()).toBe(false);
    const paid = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'REFUND_PAID_AGAIN');
    expect(paid).toEqual([expect.objectContaining({ data: expect.objectContaining({ note: 'New card confirmed on the phone', amountMinor: 10_800 }) })]);
    await expect.poll(() => page.getByTestId('bank-status').allInnerTexts(), WAIT).toEqual(['Sent back by the bank', 'Paid']);
    // In Chinese too.
    await page.getByLabel('Language').selectOption('zh-CN');
    await page.getByTestId('timeline').getByText('已重新退款').waitFor(WAIT);
    // The agent sees no Temporal link; the platform's operator finds the payment's own workflow from its step.
    expect(await page.getByTestId('step-temporal-link').count()).toBe(0);
    await cp.context.close();
    const admin = await openConsole(browser);
    await signIn(admin, pt, pt.keys.ADMIN!);
    await admin.page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const step = admin.page.getByTestId('timeline').locator('li[data-kind="REFUND_PAID_AGAIN"]');
    expect(await step.getByTestId('step-temporal-link').getAttribute('href', WAIT)).toBe(`${pt.platform.temporalUi!.url}/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="refund-again-${caseId}-${refundId}"`)}`);
    await admin.context.close();
  });

  it('lists a refund pending at the bank over a week, and the case page says why it is escalated', async () => {
    const { caseId, stepKey } = await pendingRefund(pt, 'SO-CONSOLE-PENDING-LONG', 'en');
    await pt.db.$executeRaw`UPDATE "RefundHold" SET "createdAt" = now() - interval '8 days' WHERE "stepKey" = ${stepKey}`;
    await askProviderNow(pt, stepKey);
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, '/'));
    await page.getByLabel('Refund pending at the bank over 7 days only').check();
    await page.waitForURL(/refundPendingLong=1/, WAIT);
    const listed = () => page.locator('[data-testid="queue-row"]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-case-id')));
    await expect.poll(listed, WAIT).toEqual([caseId]);
    // The supervisors' dashboard counts it (the first test's refund was paid again: none owed) and links to the worklist.
    await page.goto(consoleUrl(pt, '/supervisor'));
    const refunds = page.getByTestId('refunds-attention');
    await refunds.getByTestId('refunds-pending-long').getByText('Cases with a refund pending at the bank for over 7 days, to ask the payment provider about: 1').waitFor(WAIT);
    expect(await refunds.getByTestId('refunds-returned').innerText()).toBe('Cases with a refund sent back by the customer’s bank, to pay again: 0');
    await refunds.getByTestId('refunds-pending-long').click();
    await page.waitForURL(/refundPendingLong=1/, WAIT);
    await expect.poll(listed, WAIT).toEqual([caseId]);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    await expect.poll(() => page.getByTestId('escalation').innerText(), WAIT).toContain('Refund pending at the bank over 7 days');
    expect(await page.getByTestId('waiting-for').innerText()).toContain('to ask the payment provider about the refund still pending at the customer’s bank since');
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(() => page.getByTestId('escalation').innerText(), WAIT).toContain('退款超过7天未到账');
    expect(await page.getByTestId('timeline').innerText()).not.toContain('Pending since');
    await photograph(page, 'refund-pending-long');
    await cp.context.close();
  });

  it('says beforehand that the order has less left and what paying again will pay', async () => {
    const { caseId, orderId } = await returnedRefund(pt, 'SO-CONSOLE-CAPPED', 'en');
    // Meanwhile another case of the order refunded 103.00 of its 108.00 (as its own hold would record it).
    await otherCaseRefunded(pt, caseId, orderId, 10_300);
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('refund-again-form');
    await form.getByTestId('refund-again-cut').getByText('CN¥5.00 will be paid, not CN¥108.00').waitFor(WAIT);
    await form.getByRole('button', { name: 'Pay the refund again' }).click();
    await form.getByText('Pay CN¥5.00 again to the customer’s original payment method?').waitFor(WAIT);
    await photograph(page, 'refund-again-cut');
    await form.getByRole('button', { name: 'Yes, pay it again' }).click();
    await page.getByTestId('timeline').getByText('Refund paid again').waitFor(WAIT);
    expect(pt.platform.simulators.payment!.refunds.filter((r) => r.orderId === orderId).map((r) => r.amountMinor)).toEqual([10_800, 500]);
    await cp.context.close();
  });
});
