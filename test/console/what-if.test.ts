/**
 * The policy what-if in the console, in a real headless Chromium against the whole platform: a
 * return delivered 12 days ago is rejected by an agent (recorded as it happens); a supervisor edits
 * the candidate (a 15-day no-reason window), sees an invalid value refused next to its field, runs
 * it, watches it finish and compares — the charts draw exactly the totals the API reports, the
 * table shows the approval the longer window grants, a delay's compensation (paid as a refund) as
 * compensation, and the per-case table downloads as CSV.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, launch, openConsole, photograph, signIn, visibleCodes, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const DAY = 86_400_000;
const NO_REASON = 'No-reason return window (days after delivery)';

let browser: Browser;
let page: Page;
let rejectedCase: string;
let agentApprovedCase: string;
let delayCase: string;

run('the policy what-if page', () => {
  beforeAll(async () => {
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-what-if', locale: 'en' },
      order: { orderId: 'wi-o-1', currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }], shippingFeeMinor: 0, paidTotalMinor: 6666, shippedAt: now - 14 * DAY, deliveredAt: now - 12 * DAY },
      lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    });
    expect(opened.status).toBe(201);
    rejectedCase = opened.body.caseId;
    await pt.until(rejectedCase, pt.keys.AGENT!, 'AWAITING_DECISION');
    expect((await pt.call('POST', `/v1/cases/${rejectedCase}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: 'outside the window' })).status).toBe(200);
    await pt.until(rejectedCase, pt.keys.AGENT!, 'CLOSED');
    // Out of the window too, but approved by an agent: the 15-day window lets the policy approve it
    // alone, the same amount — only who decided changes (the auto-approval rate moves with it).
    const approved = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-what-if-2', locale: 'en' },
      order: { orderId: 'wi-o-2', currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 3333, unitCostMinor: 1200 }], shippingFeeMinor: 0, paidTotalMinor: 3333, shippedAt: now - 12 * DAY, deliveredAt: now - 10 * DAY },
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(approved.status).toBe(201);
    agentApprovedCase = approved.body.caseId;
    await pt.until(agentApprovedCase, pt.keys.AGENT!, 'AWAITING_DECISION');
    expect((await pt.call('POST', `/v1/cases/${agentApprovedCase}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await pt.until(agentApprovedCase, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    // A delay compensated by our fault (10.00, paid as a refund): compensation in the totals and on its row, not a refund.
    const delay = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, {
      customer: { id: 'cust-what-if-3', locale: 'en' },
      order: { orderId: 'wi-o-3', currency: 'CNY', items: [{ sku: 'KETTLE', name: 'Kettle', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 800, paidTotalMinor: 20_800 },
      shipment: { carrier: 'ZTO', trackingNumber: 'ZTWHATIF1' },
      etaAt: now - 36 * 3_600_000,
    });
    expect(delay.status).toBe(201);
    delayCase = delay.body.caseId;
    await pt.until(delayCase, pt.keys.AGENT!, 'AWAITING_DELAY_CAUSE');
    expect((await pt.call('POST', `/v1/cases/${delayCase}/delay-cause`, pt.keys.AGENT, { cause: 'LATE_DISPATCH' })).status).toBe(200);
    await pt.until(delayCase, pt.keys.AGENT!, 'FOLLOWING');

    browser = await launch();
    // A reader far from the shop (Beijing time): the period's days are still the shop's.
    const cp = await openConsole(browser, { timezoneId: 'America/New_York' });
    page = cp.page;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.getByTestId('session-who').waitFor(WAIT);
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('refuses an invalid candidate with the reason next to the field', async () => {
    await page.getByRole('link', { name: 'What-if' }).click();
    await page.getByRole('heading', { name: 'Policy what-if' }).waitFor(WAIT);
    const form = page.getByTestId('publish-form');
    await form.getByLabel(NO_REASON).fill('-3');
    await form.getByRole('button', { name: 'Run the what-if' }).click();
    await form.locator('[data-field="rules.noReasonReturnDays"]').getByTestId('field-error').getByText(/≥ 0/).waitFor(WAIT);
    expect(await form.getByLabel(NO_REASON).getAttribute('aria-invalid')).toBe('true');
    // A what-if publishes nothing: its refusal says the what-if did not run.
    const errors = form.getByTestId('publish-errors');
    await errors.getByText('The what-if did not run. Problems found: 1.').waitFor(WAIT);
    expect(await errors.innerText()).not.toMatch(/publish/i);
  });

  it('a field typed in and cleared again is no change (not sent as an empty list)', async () => {
    const form = page.getByTestId('publish-form');
    const days = form.locator('[data-field="businessHours.workingDays"] input');
    const shown = await days.inputValue();
    expect(shown).not.toBe('');
    const sent: string[] = [];
    const onRequest = (r: { url(): string; method(): string; postData(): string | null }) => {
      if (r.method() === 'POST' && r.url().includes('/policy-simulations')) sent.push(r.postData() ?? '');
    };
    page.on('request', onRequest);
    await days.fill(`${shown}, 6`);
    await days.fill('');
    // Shown as the value it keeps.
    expect(await days.getAttribute('placeholder')).toBe(shown);
    await form.getByRole('button', { name: 'Run the what-if' }).click();
    // Refused for the no-reason window still typed as -3, and for nothing else: the cleared days are not sent.
    await form.getByTestId('publish-errors').getByText('The what-if did not run. Problems found: 1.').waitFor(WAIT);
    await form.locator('[data-field="rules.noReasonReturnDays"]').getByTestId('field-error').waitFor(WAIT);
    expect(await form.locator('[data-field="businessHours.workingDays"]').getByTestId('field-error').count()).toBe(0);
    page.off('request', onRequest);
    expect(sent.length).toBe(1);
    expect(sent[0]).not.toContain('workingDays');
    await days.fill(shown);
  });

  it('shows and takes the money of the candidate in yuan, with its currency, not in fen', async () => {
    const form = page.getByTestId('publish-form');
    const small = form.locator('[data-field="fulfilment.smallAmountMaxMinor"]');
    const policy = (await pt.call('GET', '/v1/admin/merchants/demo-merchant/policy', pt.keys.SUPERVISOR)).body;
    const minor = policy.fulfilment.smallAmountMaxMinor as number;
    expect(await small.locator('input').inputValue()).toBe((minor / 100).toFixed(2));
    expect(await small.locator('label').innerText()).toMatch(/\(CNY\)$/);
    expect(await form.locator('[data-field="rules.autoApproveReturnMaxAmountMinor"] label').innerText()).not.toMatch(/minor units/);
  });

  it('runs the candidate, shows progress to the end, and compares with exactly the totals the API reports', async () => {
    const form = page.getByTestId('publish-form');
    await form.getByLabel(NO_REASON).fill('15');
    await form.getByRole('button', { name: 'Run the what-if' }).click();
    await page.getByTestId('what-if-totals').waitFor(WAIT);
    await photograph(page, 'what-if-en');

    const id = new URL(page.url()).searchParams.get('simulation')!;
    const api = await pt.call('GET', `/v1/admin/merchants/demo-merchant/policy-simulations/${id}`, pt.keys.SUPERVISOR);
    expect(api.body).toMatchObject({ status: 'DONE', changes: { rules: { noReasonReturnDays: 15 } } });
    // Midnight of the shop's first and day after its last day (16:00 UTC), not the New York reader's (04:00 or 05:00 UTC).
    expect([new Date(api.body.from).getUTCHours(), new Date(api.body.to).getUTCHours()]).toEqual([16, 16]);
    const report = api.body.result;
    expect(report.rows.find((r: { caseId: string }) => r.caseId === rejectedCase)).toMatchObject({ changed: true, baseline: { decision: 'REJECT' }, candidate: { decision: 'APPROVE', approvedMinor: 6666 } });

    // The charts draw the server's totals: money as they are, shares in percent.
    const drawn = await page.evaluate(() => (window as unknown as { __consoleCharts?: Record<string, unknown> }).__consoleCharts);
    const of = (unit: string) => report.totals.filter((t: { unit: string }) => t.unit === unit);
    expect(drawn!['what-if-money']).toEqual({ names: of('minor').map((t: { name: string }) => t.name), baseline: of('minor').map((t: { baseline: number }) => t.baseline), candidate: of('minor').map((t: { candidate: number }) => t.candidate) });
    expect((drawn!['what-if-rates'] as { names: string[] }).names).toEqual(['autoApprovalRate', 'onTimeRate']);
    // The table: the approval the longer window grants, on the case count it rests on.
    const approved = page.locator('[data-testid="what-if-totals"] tr[data-total="approvedMinor"]');
    await approved.getByText('+¥66.66').or(approved.getByText('+CN¥66.66')).first().waitFor(WAIT);
    // Beside both runs, what really happened to the same cases: the rejected case approved nothing.
    const realApproved = report.totals.find((x: { name: string }) => x.name === 'approvedMinor').actual;
    expect(realApproved).toBe(report.totals.find((x: { name: string }) => x.name === 'approvedMinor').baseline);
    expect(await approved.getByTestId('what-if-actual').innerText()).toMatch(new RegExp(`¥${(realApproved / 100).toFixed(2).replace('.', '\\.')}$`));
    await page.locator(`[data-testid="what-if-cases"] tr[data-case="${rejectedCase}"]`).getByText('diverged').waitFor(WAIT);
    // Every total that moved rests on a changed case: the agent's approval now the policy's counts as a change, and says what changed.
    expect(report.rows.find((r: { caseId: string }) => r.caseId === agentApprovedCase)).toMatchObject({ changed: true, baseline: { decision: 'APPROVE', decidedBy: 'AGENT' }, candidate: { decision: 'APPROVE', decidedBy: 'POLICY' } });
    expect(report.rows.find((r: { caseId: string }) => r.caseId === agentApprovedCase).differences).toContain('decidedBy');
    expect(report.counts.changed).toBe(2);
    await page.getByTestId('what-if-counts').getByText(/the candidate changed 2;/).waitFor(WAIT);
    // The delay case still follows its parcel when both runs stop: said, with what it means for the money.
    expect(report.counts.unfinished).toEqual({ baseline: 1, candidate: 1 });
    await page.getByTestId('what-if-unfinished').getByText(/1 cases under the candidate, 1 under the current policy/).waitFor(WAIT);
    await page.locator(`[data-testid="what-if-cases"] tr[data-case="${agentApprovedCase}"]`).getByTestId('what-if-differences').getByText(/Changed: .*who decided/).waitFor(WAIT);
    await page.getByTestId('what-if-not-shown').getByText(/no-reason window/).waitFor(WAIT);
    // What the candidate changed, with its value: a run opened later from the list said only "plus your changes".
    await page.getByTestId('what-if-candidate').getByText(/^Candidate: the baseline with No-reason return .*15$/).waitFor(WAIT);
    // A difference of two shares in percentage points; what happened is said to be as of now.
    await page.locator('[data-testid="what-if-totals"] tr[data-total="autoApprovalRate"]').getByText(/^\+\d+\.\d pts$/).waitFor(WAIT);
    await page.getByTestId('what-if-actual-note').getByText(/as they stand now/).waitFor(WAIT);
    await page.getByTestId('what-if-earlier').getByText(/No-reason return .*15/).first().waitFor(WAIT);
    // The delay's compensation is compensation, in the total and on its row (its refunds 0): the rows' parts make the totals.
    expect(report.totals.find((t: { name: string }) => t.name === 'compensationMinor')).toMatchObject({ baseline: 1000, candidate: 1000 });
    expect(report.rows.find((r: { caseId: string }) => r.caseId === delayCase).baseline).toMatchObject({ refundedMinor: 0, compensationMinor: 1000, costMinor: 1000 });
    await page.locator(`[data-testid="what-if-cases"] tr[data-case="${delayCase}"]`).getByText(/Compensation (CN)?¥10\.00/).first().waitFor(WAIT);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('what-if-csv').click()]);
    const csv = await download.path().then((p) => import('node:fs').then((fs) => fs.readFileSync(p!, 'utf8')));
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toMatch(/^Case,Type,Changed,/);
    expect(lines).toHaveLength(report.rows.length + 1);
  });

  it('in Chinese: every reason, stage, rule and outcome in words, no code on the page', async () => {
    await page.getByTestId('language').selectOption('zh-CN');
    await page.getByRole('heading', { name: '政策模拟' }).waitFor(WAIT);
    const row = page.locator(`[data-testid="what-if-cases"] tr[data-case="${rejectedCase}"]`);
    await row.getByText(/客服的审核决定.*被拒绝/).waitFor(WAIT);
    await row.getByText(/历史没有答复/).waitFor(WAIT);
    // What history cannot show, and the form's own message, in Chinese too (the server's sentences are English).
    await page.getByTestId('what-if-not-shown').getByText(/无理由退货期限/).waitFor(WAIT);
    expect(await page.getByTestId('what-if-not-shown').innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await page.getByTestId('what-if-candidate').getByText(/无理由退货.*15/).waitFor(WAIT);
    await page.locator('[data-testid="what-if-totals"] tr[data-total="autoApprovalRate"]').getByText(/^\+\d+\.\d 个百分点$/).waitFor(WAIT);
    expect(await page.getByTestId('what-if-candidate').innerText()).not.toMatch(/[A-Za-z]{4,}/);
    await page.getByTestId('publish-ok').getByText('已开始：进度见上方。').waitFor(WAIT);
    await page.locator(`[data-testid="what-if-cases"] tr[data-case="${agentApprovedCase}"]`).getByText(/变化：.*决定方/).waitFor(WAIT);
    expect(await visibleCodes(page)).toEqual([]);
    await photograph(page, 'what-if-zh');
  });
});
