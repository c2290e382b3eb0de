/**
 * Merchants and policy versions in the console, in a real headless Chromium against the whole
 * platform: an admin views a version, compares two field by field (the same differences the API's
 * versions have), publishes an invalid change and sees the API's reason next to the field it names,
 * then a valid one that becomes the next version. A supervisor reads the same pages but cannot publish.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;
let page: Page;

/** Version 2: a longer no-reason window and a contract with ZTO. */
const CHANGE = { rules: { noReasonReturnDays: 15 }, fulfilment: { carriers: { ZTO: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } };
const NO_REASON = 'No-reason return window (days after delivery)';

run('merchants and policy versions', () => {
  beforeAll(async () => {
    const published = await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, CHANGE);
    expect(published).toMatchObject({ status: 201, body: { version: 2 } });
    browser = await launch();
    const cp = await openConsole(browser);
    page = cp.page;
    await signIn(cp, pt, pt.keys.ADMIN!);
    await page.getByTestId('session-who').waitFor(WAIT);
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the merchant and its current version, and any version field by field', async () => {
    await page.goto(consoleUrl(pt, '/admin'));
    // The field suggests every merchant of the API's list, by id with its name.
    const listed = (await pt.call('GET', '/v1/admin/merchants?limit=500', pt.keys.ADMIN)).body.items.map((m: { id: string; name: string }) => [m.id, m.name]);
    expect(listed).toContainEqual(['demo-merchant', expect.any(String)]);
    await page.locator('#admin-merchants option[value="demo-merchant"]').waitFor({ state: 'attached', ...WAIT });
    expect(await page.locator('#admin-merchants option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]))).toEqual(listed);
    await page.getByLabel('Merchant ID').fill('demo-merchant');
    await page.getByRole('button', { name: 'Open' }).click();
    await page.getByTestId('current-version').getByText('2', { exact: true }).waitFor(WAIT);
    const view = page.getByTestId('version-view');
    await view.locator('[data-field="rules.noReasonReturnDays"]').getByText('15').waitFor(WAIT);
    await view.locator('[data-field="rules.sameDayMeans"]').getByText('By closing time that business day (after hours or on a day off: the next business day’s)').waitFor(WAIT);

    await page.getByLabel('View version').selectOption('1');
    await page.getByRole('button', { name: 'View version' }).click();
    await page.locator('[data-testid="version-view"][data-version="1"] [data-field="rules.noReasonReturnDays"]').getByText('7').waitFor(WAIT);
  });

  it('compares two versions: the fields the API’s versions differ in, with both values', async () => {
    await page.getByLabel('Version', { exact: true }).selectOption('1');
    await page.getByLabel('with version').selectOption('2');
    await page.getByRole('button', { name: 'Compare' }).click();
    const table = page.getByTestId('diff');
    await table.waitFor(WAIT);
    const rows = await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-field'), ...[...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())]));
    expect(rows).toEqual([
      ['rules.noReasonReturnDays', '7', '15'],
      ['fulfilment.carriers.ZTO.claimWindowDays', 'not set', '60'],
      ['fulfilment.carriers.ZTO.followUpEveryDays', 'not set', '5'],
      ['fulfilment.carriers.ZTO.escalateBeforeCloseDays', 'not set', '10'],
    ]);
    // What the API holds for the two versions says the same.
    const [v1, v2] = await Promise.all([1, 2].map(async (v) => (await pt.call('GET', `/v1/admin/merchants/demo-merchant/policies/${v}`, pt.keys.ADMIN)).body));
    expect(v2.rules.noReasonReturnDays - v1.rules.noReasonReturnDays).toBe(8);
    expect(v1.fulfilment.carriers).toEqual({});
    expect(v2.fulfilment.carriers.ZTO).toEqual(CHANGE.fulfilment.carriers.ZTO);
    await table.getByText('ZTO Express: claim window (days)').waitFor(WAIT);
    await page.getByTestId('diff-summary').getByText('4 fields differ between version 1 and version 2.').waitFor(WAIT);
    await photograph(page, 'admin-diff');
  });

  it("refuses an invalid change with the API's reason next to the field it names", async () => {
    const refused = await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { noReasonReturnDays: -3 } });
    expect(refused).toMatchObject({ status: 400, body: { field: 'body.rules.noReasonReturnDays' } });
    const reason = refused.body.problems[0].reason as string;

    const form = page.getByTestId('publish-form');
    await form.getByLabel(NO_REASON).fill('-3');
    await form.getByRole('button', { name: 'Publish version 3' }).click();
    const field = form.locator('[data-field="rules.noReasonReturnDays"]');
    await field.getByTestId('field-error').getByText(reason).waitFor(WAIT);
    expect(await form.getByLabel(NO_REASON).getAttribute('aria-invalid')).toBe('true');
    await page.getByTestId('publish-errors').getByText('The policy was not published. Problems found: 1.').waitFor(WAIT);
    // Nothing was published.
    expect((await pt.call('GET', '/v1/admin/merchants/demo-merchant/policy', pt.keys.ADMIN)).body.version).toBe(2);
    await photograph(page, 'admin-field-error');

    // A new carrier contract whose escalation comes after its window closes: the reason sits at that term.
    const contract = { claimWindowDays: 45, followUpEveryDays: 7, escalateBeforeCloseDays: 50 };
    const refusedContract = await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { fulfilment: { carriers: { YTO: contract } } });
    expect(refusedContract).toMatchObject({ status: 400, body: { field: 'body.fulfilment.carriers.YTO.escalateBeforeCloseDays' } });
    await form.getByLabel(NO_REASON).fill('10');
    const carrier = form.getByTestId('new-carrier');
    await carrier.getByLabel('Carrier code').fill('YTO');
    await carrier.getByLabel('claim window (days)').fill('45');
    await carrier.getByLabel('follow up every (days)').fill('7');
    await carrier.getByLabel('escalate before the window closes (days)').fill('50');
    await form.getByRole('button', { name: 'Publish version 3' }).click();
    await carrier.locator('[data-field="fulfilment.carriers.YTO.escalateBeforeCloseDays"]').getByTestId('field-error').getByText(refusedContract.body.problems[0].reason).waitFor(WAIT);
    expect(await form.getByLabel(NO_REASON).getAttribute('aria-invalid')).toBeNull();
    expect((await pt.call('GET', '/v1/admin/merchants/demo-merchant/policy', pt.keys.ADMIN)).body.version).toBe(2);
  });

  it('publishes a valid change as the next version', async () => {
    const form = page.getByTestId('publish-form');
    await form.getByTestId('new-carrier').getByLabel('escalate before the window closes (days)').fill('5');
    await form.getByLabel('Closes at').fill('20:00');
    await form.getByLabel('Why this change (shown in the version history)').fill('Longer evenings for the holidays');
    await form.getByRole('button', { name: 'Publish version 3' }).click();
    await page.getByTestId('publish-ok').getByText('Published policy version 3.').waitFor(WAIT);
    await page.getByTestId('current-version').getByText('3', { exact: true }).waitFor(WAIT);
    const current = (await pt.call('GET', '/v1/admin/merchants/demo-merchant/policy', pt.keys.ADMIN)).body;
    expect(current).toMatchObject({
      version: 3,
      rules: { noReasonReturnDays: 10 },
      businessHours: { close: '20:00' },
      fulfilment: { carriers: { ZTO: CHANGE.fulfilment.carriers.ZTO, YTO: { claimWindowDays: 45, followUpEveryDays: 7, escalateBeforeCloseDays: 5 } } },
    });
    // The new contract is a field of the form now, under its carrier's name.
    await form.getByLabel('YTO Express: claim window (days)').waitFor(WAIT);
    // The form now starts from version 3.
    await page.getByRole('button', { name: 'Publish version 4' }).waitFor(WAIT);
    // The history says who published it, why, and what it changed; version 2 (from the API) has no reason.
    const v3 = page.getByTestId('policy-history').locator('tr[data-version="3"]');
    await v3.getByText('Longer evenings for the holidays').waitFor(WAIT);
    await v3.getByText('development admin key').waitFor(WAIT);
    await v3.getByText(/Closes at/).waitFor(WAIT);
    await v3.getByText(/Contract with YTO Express/).waitFor(WAIT);
    await page.getByTestId('policy-history').locator('tr[data-version="1"]').getByText('The defaults the shop started with').waitFor(WAIT);
    // Version 1 came with the shop, published by no key: said so, not a bare dash.
    await page.getByTestId('policy-history').locator('tr[data-version="1"]').getByText('Set up with the shop').waitFor(WAIT);
    expect((await pt.call('GET', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN)).body.items.map((i: { version: number; note: string | null }) => [i.version, i.note])).toEqual([[3, 'Longer evenings for the holidays'], [2, null], [1, null]]);
    await photograph(page, 'admin-published');
  });

  it("a merchant field typed wrong is said at the field in the console's words, not the API's (params.merchantId: …), in English and Chinese", async () => {
    const cp = await openConsole(browser);
    const admin = cp.page;
    try {
      await signIn(cp, pt, pt.keys.ADMIN!);
      await admin.getByTestId('session-who').waitFor(WAIT);
      await admin.goto(consoleUrl(pt, '/admin'));
      const field = admin.getByLabel('Merchant ID');
      const error = admin.locator('#admin-merchant-error');
      const open = admin.getByTestId('merchant-form').getByRole('button', { name: 'Open' });
      await field.waitFor(WAIT);
      await open.click();
      await error.getByText("Type a merchant's ID or name.").waitFor(WAIT);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      await field.fill('m'.repeat(65));
      await open.click();
      await error.getByText('A merchant ID is at most 64 characters: type the ID, or choose the merchant from the list.').waitFor(WAIT);
      // A name no merchant has (the field takes names too): the API would refuse it as an id.
      await field.fill('Demo shop 2');
      await open.click();
      await error.getByText('No merchant is called “Demo shop 2”. An ID has only letters A–Z, digits, _ and -: choose the merchant from the list.').waitFor(WAIT);
      // An address with an id the API cannot take, or one it does not know: the same, at the field.
      await admin.goto(consoleUrl(pt, '/admin?merchant=Demo%20shop%202'));
      await error.getByText(/^No merchant is called “Demo shop 2”/).waitFor(WAIT);
      await admin.goto(consoleUrl(pt, '/admin?merchant=no-such-merchant'));
      await error.getByText('There is no merchant no-such-merchant.').waitFor(WAIT);
      const text = await admin.evaluate(() => document.body.innerText);
      expect(text).not.toMatch(/params\.|must match|must NOT/);
      // A merchant's name as the list has it opens that merchant.
      const name = (await pt.call('GET', '/v1/admin/merchants/demo-merchant', pt.keys.ADMIN)).body.name as string;
      await field.fill(name);
      await open.click();
      await admin.getByTestId('merchant').getByText(`Merchant: ${name}`).waitFor(WAIT);
      expect(new URL(admin.url()).searchParams.get('merchant')).toBe('demo-merchant');
      expect(await error.count()).toBe(0);

      // A change the API calls no change (a list retyped, "1,2,3,4,5"): said in words, not "body: changes nothing: …".
      const days = admin.getByTestId('publish-form').getByLabel('Working days (1 = Monday … 7 = Sunday)');
      const typed = (await days.inputValue()).replaceAll(' ', '');
      await days.fill(typed);
      await admin.getByTestId('publish-form').getByRole('button', { name: 'Publish version 4' }).click();
      const errors = admin.getByTestId('publish-errors');
      await errors.getByText('Nothing to publish: version 3 already says all of this.').waitFor(WAIT);
      expect(await errors.innerText()).not.toMatch(/body|changes nothing/);
      await photograph(admin, 'admin-merchant-field-error');
    } finally {
      await cp.context.close();
    }

    const zh = await openConsole(browser, { locale: 'zh-CN' });
    try {
      await signIn(zh, pt, pt.keys.ADMIN!, 'API 密钥');
      await zh.page.getByTestId('session-who').waitFor(WAIT);
      await zh.page.goto(consoleUrl(pt, '/admin'));
      await zh.page.getByLabel('商家编号').waitFor(WAIT);
      await zh.page.getByTestId('merchant-form').getByRole('button', { name: '打开' }).click();
      await zh.page.locator('#admin-merchant-error').getByText('请输入商家编号或名称。').waitFor(WAIT);
      await zh.page.goto(consoleUrl(pt, '/admin?merchant=Demo%20shop%202'));
      await zh.page.locator('#admin-merchant-error').getByText('没有名为“Demo shop 2”的商家。商家编号只含英文字母、数字、_ 和 -：请从列表中选择商家。').waitFor(WAIT);
    } finally {
      await zh.context.close();
    }
  });

  it('a supervisor reads the versions of their merchant but cannot publish', async () => {
    const cp = await openConsole(browser);
    const supervisor = cp.page;
    try {
      await signIn(cp, pt, pt.keys.SUPERVISOR!);
      await supervisor.getByTestId('session-who').waitFor(WAIT);
      await supervisor.goto(consoleUrl(pt, '/admin'));
      await supervisor.getByTestId('current-version').getByText('3', { exact: true }).waitFor(WAIT);
      await supervisor.getByTestId('read-only').waitFor(WAIT);
      expect(await supervisor.getByTestId('publish-form').count()).toBe(0);
    } finally {
      await cp.context.close();
    }
  });
});
