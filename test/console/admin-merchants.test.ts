/**
 * Merchants and their API keys from the console's admin page, in a real headless Chromium against
 * the whole platform: an admin creates a merchant (a bad currency refused at its field first), finds
 * it selected and in the picker, renames it and removes its return address; issues a key whose
 * secret is shown once and works against the API, then revokes it behind a second click, after
 * which the API refuses it. A supervisor sees the admin page as before, without these forms.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consoleEn } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../../console/src/lib/i18n/console-zh.js';
import { usePlatform } from '../e2e/platform-harness.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, expectKeyKeptSafe, launch, openConsole, photograph, signIn, WAIT, type ConsolePage } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

const ID = 'tea-house-7';
const ADDRESS = { name: 'Returns desk, Ms Lin', phone: '+86 571 8888 1234', address: '969 Wenyi West Road, Hangzhou' };

describe('the words of the merchant form and the keys panel', () => {
  it('every English one has Chinese words', () => {
    const ours = Object.keys(consoleEn).filter((k) => k.startsWith('admin.merchantForm.') || k.startsWith('admin.keys.'));
    expect(ours.length).toBeGreaterThan(20);
    expect(ours.filter((k) => !/[\u4e00-\u9fff]/.test(consoleZh[k] ?? ''))).toEqual([]);
  });
});

run('merchants and their keys in the console', () => {
  let browser: Browser;
  let cp: ConsolePage;
  let page: Page;
  /** The secret of the key issued through the page. */
  let secret = '';

  beforeAll(async () => {
    browser = await launch();
    cp = await openConsole(browser);
    page = cp.page;
    // The copy button writes to the clipboard; the test reads it back.
    await cp.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(pt.platform.apiUrl).origin });
    await signIn(cp, pt, pt.keys.ADMIN!);
    await page.getByTestId('session-who').waitFor(WAIT);
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('creates a merchant: a bad currency is refused beside its field, a taken id too; then it is selected and in the picker', async () => {
    await page.goto(consoleUrl(pt, '/admin'));
    await page.getByTestId('new-merchant').click();
    const form = page.getByTestId('merchant-create-form');
    await form.getByLabel('Merchant ID').fill(ID);
    await form.getByLabel('Name', { exact: true }).fill('Tea House');
    await form.getByLabel('Currency').fill('XYZ');
    // What the API says of that currency, asked directly (a refusal creates nothing).
    const refused = await pt.call('PUT', `/v1/admin/merchants/${ID}`, pt.keys.ADMIN, { name: 'Tea House', defaultCurrency: 'XYZ' });
    expect(refused).toMatchObject({ status: 400, body: { field: 'body.defaultCurrency' } });
    await form.getByRole('button', { name: 'Create merchant' }).click();
    await form.locator('#mf-new-currency-error').getByText(refused.body.problems[0].reason).waitFor(WAIT);
    expect(await form.getByLabel('Currency').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#mf-new-name-error').count()).toBe(0);
    expect((await pt.call('GET', `/v1/admin/merchants/${ID}`, pt.keys.ADMIN)).status).toBe(404);
    await photograph(page, 'admin-merchant-currency-error');

    // An id that is taken: PUT would change that merchant, so the form says so instead.
    await form.getByLabel('Merchant ID').fill('demo-merchant');
    await form.getByLabel('Currency').fill('cny');
    await form.getByRole('button', { name: 'Create merchant' }).click();
    await form.locator('#mf-new-id-error').getByText('There is already a merchant demo-merchant: open it and edit it, or choose another ID.').waitFor(WAIT);
    expect((await pt.call('GET', '/v1/admin/merchants/demo-merchant', pt.keys.ADMIN)).body.name).not.toBe('Tea House');

    // Half an address is said at the missing fields before anything is sent.
    await form.getByLabel('Merchant ID').fill(ID);
    await form.getByLabel('Recipient').fill(ADDRESS.name);
    await form.getByRole('button', { name: 'Create merchant' }).click();
    await form.locator('#mf-new-address-phone-error').getByText('Fill in the recipient, phone and address, or leave all three empty.').waitFor(WAIT);
    await form.getByLabel('Phone').fill(ADDRESS.phone);
    await form.getByLabel('Address', { exact: true }).fill(ADDRESS.address);
    await form.getByRole('button', { name: 'Create merchant' }).click();

    await page.getByTestId('merchant').getByText('Merchant: Tea House').waitFor(WAIT);
    await page.getByTestId('merchant-saved').getByText(`Merchant ${ID} created.`).waitFor(WAIT);
    await page.waitForURL((url) => url.searchParams.get('merchant') === ID, WAIT);
    expect(await page.getByTestId('merchant-create-form').count()).toBe(0);
    expect(await page.locator('#admin-merchant').inputValue()).toBe(ID);
    await page.locator(`#admin-merchants option[value="${ID}"]`).waitFor({ state: 'attached', ...WAIT });
    expect(await page.locator(`#admin-merchants option[value="${ID}"]`).textContent()).toBe('Tea House');
    await page.getByTestId('current-version').getByText('1', { exact: true }).waitFor(WAIT);
    const created = (await pt.call('GET', `/v1/admin/merchants/${ID}`, pt.keys.ADMIN)).body;
    expect(created).toMatchObject({ id: ID, name: 'Tea House', defaultCurrency: 'CNY', returnAddress: ADDRESS });
  });

  it('edits the selected merchant: the form starts from it, the name changes, the address is kept, then removed', async () => {
    const panel = page.getByTestId('merchant');
    await panel.getByTestId('edit-merchant').click();
    const form = page.getByTestId('merchant-edit-form');
    expect(await form.getByLabel('Name', { exact: true }).inputValue()).toBe('Tea House');
    expect(await form.getByLabel('Currency').inputValue()).toBe('CNY');
    expect(await form.getByLabel('Phone').inputValue()).toBe(ADDRESS.phone);
    await form.getByLabel('Name', { exact: true }).fill('Tea House Hangzhou');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await panel.getByText('Merchant: Tea House Hangzhou').waitFor(WAIT);
    await panel.getByTestId('merchant-saved').getByText(`Merchant ${ID} saved.`).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/admin/merchants/${ID}`, pt.keys.ADMIN)).body).toMatchObject({ name: 'Tea House Hangzhou', returnAddress: ADDRESS });
    expect(await page.locator(`#admin-merchants option[value="${ID}"]`).textContent()).toBe('Tea House Hangzhou');

    await panel.getByTestId('edit-merchant').click();
    await form.getByRole('button', { name: 'Remove the return address' }).click();
    await form.getByTestId('address-removed').waitFor(WAIT);
    await form.getByRole('button', { name: 'Save changes' }).click();
    await panel.getByText('None given').waitFor(WAIT);
    const edited = (await pt.call('GET', `/v1/admin/merchants/${ID}`, pt.keys.ADMIN)).body;
    expect(edited.returnAddress ?? null).toBeNull();
    expect(edited.name).toBe('Tea House Hangzhou');

    // The picker takes part of a name or id: several merchants match "-" (said, with their names), one "hangzhou".
    await page.goto(consoleUrl(pt, '/admin'));
    const picker = page.getByTestId('merchant-form');
    await page.locator(`#admin-merchants option[value="${ID}"]`).waitFor({ state: 'attached', ...WAIT });
    await picker.getByLabel('Merchant ID').fill('-');
    await picker.getByRole('button', { name: 'Open' }).click();
    await page.locator('#admin-merchant-error').getByText(/^“-” matches \d+ merchants \(.*Tea House Hangzhou.*\): type more of the name or ID, or choose from the list\.$/).waitFor(WAIT);
    await picker.getByLabel('Merchant ID').fill('hangzhou');
    await picker.getByRole('button', { name: 'Open' }).click();
    await page.waitForURL((url) => url.searchParams.get('merchant') === ID, WAIT);
    await page.getByTestId('merchant').getByText('Merchant: Tea House Hangzhou').waitFor(WAIT);
  });

  it('issues a key: its secret is shown once, copies, and works against the API', async () => {
    const keys = page.getByTestId('keys-panel');
    await keys.getByTestId('no-keys').getByText('This merchant has no live keys.').waitFor(WAIT);
    await keys.getByTestId('issue-key').click();
    const form = keys.getByTestId('issue-key-form');
    await form.getByRole('button', { name: 'Issue the key' }).click();
    await form.locator('#key-role-error').getByText('Choose one.').waitFor(WAIT);
    await form.locator('#key-label-error').getByText('This field is required.').waitFor(WAIT);
    // Only the roles a merchant's key can have are offered.
    expect(await form.getByLabel('Role').locator('option:not([disabled])').allTextContents()).toEqual(['Agent', 'Supervisor', 'Warehouse', 'Storefront']);
    await form.getByLabel('Role').selectOption({ label: 'Agent' });
    await form.getByLabel('Label', { exact: true }).fill('Desk 7, Ms Zhao');
    await form.getByRole('button', { name: 'Issue the key' }).click();

    const shown = keys.getByTestId('issued-key');
    await shown.waitFor(WAIT);
    secret = (await shown.getByTestId('issued-secret').textContent())?.trim() ?? '';
    expect(secret).toMatch(/^agent_\S{20,}$/);
    await shown.getByText('New Agent key “Desk 7, Ms Zhao”').waitFor(WAIT);
    await shown.getByText(/it will not be shown again/).waitFor(WAIT);
    await shown.getByRole('button', { name: 'Copy' }).click();
    await shown.getByTestId('copy-status').getByText('Copied.').waitFor(WAIT);
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(secret);
    await photograph(page, 'admin-key-issued');

    // The key works for the merchant's cases.
    expect((await pt.call('GET', '/v1/cases', secret)).status).toBe(200);
    const row = keys.getByTestId('keys').locator('tbody tr').filter({ hasText: 'Desk 7, Ms Zhao' });
    await row.waitFor(WAIT);
    expect(await row.locator('td').first().textContent()).toBe('Agent');
    await row.getByText('Never').waitFor(WAIT);
    await row.getByText('Live', { exact: true }).waitFor(WAIT);

    // Once put away, the secret is nowhere on the page, nor after a reload.
    await shown.getByRole('button', { name: 'I have copied it' }).click();
    await shown.waitFor({ state: 'detached', ...WAIT });
    expect(await page.evaluate(() => document.body.innerHTML)).not.toContain(secret);
    await page.reload();
    await page.getByTestId('keys').locator('tbody tr').filter({ hasText: 'Desk 7, Ms Zhao' }).waitFor(WAIT);
    expect(await page.evaluate(() => document.body.innerHTML)).not.toContain(secret);
    await expectKeyKeptSafe(cp, secret);
  });

  it('revokes the key only on a second, explicit click; the API then refuses it, and a console signed in with it says why it was signed out', async () => {
    // The agent the key was issued to, at work in the console when it is revoked.
    const desk = await openConsole(browser);
    await signIn(desk, pt, secret);
    await desk.page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    const keys = page.getByTestId('keys-panel');
    const row = keys.getByTestId('keys').locator('tbody tr').filter({ hasText: 'Desk 7, Ms Zhao' });
    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByText('Revoke “Desk 7, Ms Zhao”? Every request with this key is refused from now on; this cannot be undone.').waitFor(WAIT);
    // The first click revoked nothing; keeping it puts the button back.
    expect((await pt.call('GET', '/v1/cases', secret)).status).toBe(200);
    await row.getByRole('button', { name: 'Keep it' }).click();
    await row.getByRole('button', { name: 'Revoke', exact: true }).waitFor(WAIT);
    expect((await pt.call('GET', '/v1/cases', secret)).status).toBe(200);

    await row.getByRole('button', { name: 'Revoke', exact: true }).click();
    await row.getByRole('button', { name: 'Revoke now' }).click();
    await keys.getByTestId('key-revoked').getByText('Key “Desk 7, Ms Zhao” revoked.').waitFor(WAIT);
    await keys.getByTestId('no-keys').waitFor(WAIT);
    expect((await pt.call('GET', '/v1/cases', secret)).status).toBe(401);
    // The agent's next request is refused: signed out, and told why and that it was not recorded.
    await desk.page.getByLabel('Search by order id, case id, tracking number or customer id').fill('SO-NOT-THERE');
    await desk.page.getByRole('button', { name: 'Search' }).click();
    await desk.page.getByTestId('session-ended').getByText('Your key is no longer accepted (it was revoked or has expired)', { exact: false }).waitFor(WAIT);
    expect(new URL(desk.page.url()).pathname).toMatch(/\/sign-in$/);
    await desk.context.close();
    // Coming back to a tab whose key was revoked meanwhile: told the same.
    const later = await openConsole(browser);
    await later.page.goto(consoleUrl(pt, '/sign-in'));
    await later.page.evaluate((key) => sessionStorage.setItem('aftersales.console.key', key), secret);
    await later.page.goto(consoleUrl(pt, '/'));
    await later.page.getByTestId('session-ended').waitFor(WAIT);
    await later.context.close();

    // Listed again with the revoked ones, as revoked and with nothing left to revoke.
    await keys.getByLabel('Include revoked and expired keys').check();
    const revoked = keys.getByTestId('keys').locator('tbody tr').filter({ hasText: 'Desk 7, Ms Zhao' });
    await revoked.getByText(/^Revoked /).waitFor(WAIT);
    expect(await revoked.getByRole('button').count()).toBe(0);
    await photograph(page, 'admin-key-revoked');
  });

  it('speaks Chinese too', async () => {
    const zh = await openConsole(browser, { locale: 'zh-CN' });
    try {
      await signIn(zh, pt, pt.keys.ADMIN!, 'API 密钥');
      await zh.page.getByTestId('session-who').waitFor(WAIT);
      await zh.page.goto(consoleUrl(pt, `/admin?merchant=${ID}`));
      await zh.page.getByTestId('new-merchant').getByText('新建商家').waitFor(WAIT);
      await zh.page.getByTestId('edit-merchant').getByText('修改商家信息').waitFor(WAIT);
      await zh.page.getByTestId('keys-panel').getByRole('heading', { name: 'API 密钥' }).waitFor(WAIT);
      await zh.page.getByTestId('keys-panel').getByText('包括已吊销和已过期的密钥').waitFor(WAIT);
    } finally {
      await zh.context.close();
    }
  });

  it('a supervisor sees the admin page as before: no merchant form, no keys', async () => {
    const sup = await openConsole(browser);
    try {
      await signIn(sup, pt, pt.keys.SUPERVISOR!);
      await sup.page.getByTestId('session-who').waitFor(WAIT);
      await sup.page.goto(consoleUrl(pt, '/admin'));
      await sup.page.getByTestId('read-only').waitFor(WAIT);
      await sup.page.getByTestId('merchant').waitFor(WAIT);
      for (const id of ['new-merchant', 'edit-merchant', 'merchant-create-form', 'merchant-edit-form', 'keys-panel', 'issue-key']) expect(await sup.page.getByTestId(id).count(), id).toBe(0);
    } finally {
      await sup.context.close();
    }
  });
});
