/**
 * The case page's order and its fulfilment forms in a real browser against the whole platform:
 * the order's lines with names and prices (money in the case's currency) beside what the case asks
 * about; an agent assesses a transit damage through its form (checked in the form first) and sees
 * the stage move on without a reload; the warehouse confirms a lost parcel's dispatch, and the
 * API's own field error (a proof link the API refuses) appears next to the field it names; an agent
 * ends a wait with the actions that wait takes (domain/waiting.ts agentActions).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, visibleCodes, WAIT } from './console-browser.js';
import { waitUntil } from '../support/wait.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const DAY = 86_400_000;

const ORDER = (orderId: string) => ({
  orderId,
  currency: 'CNY',
  items: [
    { sku: 'VASE-01', name: 'Celadon vase', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 },
    { sku: 'CUP-02', name: 'Tea cup set', quantity: 2, unitPriceMinor: 4_950, unitCostMinor: 2_000 },
  ],
  shippingFeeMinor: 1_000,
  paidTotalMinor: 35_900,
  shippedAt: Date.now() - 3 * DAY,
});

let browser: Browser;
let damageCase: string;
let lostCase: string;
let notShortCase: string;
let countCase: string;
let wrongCase: string;
let exchangeCase: string;

run('the case page: the order and the fulfilment forms', () => {
  beforeAll(async () => {
    const damage = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-td', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-TD'), deliveredAt: Date.now() - DAY },
      customerHandle: 'tb_console',
      lines: [{ sku: 'VASE-01', quantity: 1 }],
      degree: 'MINOR',
      photoUrls: ['https://evidence.example.com/console/vase-crack.jpg'],
      shipment: { carrier: 'SF', trackingNumber: 'SFCONSOLETD1', shippedAt: Date.now() - 3 * DAY },
    });
    expect(damage.status, JSON.stringify(damage.body)).toBe(201);
    damageCase = damage.body.caseId;
    const lost = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-lp', locale: 'en' },
      order: ORDER('SO-CONSOLE-LP'),
      shipment: { carrier: 'SF', trackingNumber: 'SFCONSOLELP1', shippedAt: Date.now() - 5 * DAY },
      lines: [{ sku: 'CUP-02', quantity: 2 }],
    });
    expect(lost.status, JSON.stringify(lost.body)).toBe(201);
    lostCase = lost.body.caseId;
    // Missing items whose records show a complete parcel: an agent decides whether the case goes on.
    const missing = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-mi', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-MI'), deliveredAt: Date.now() - DAY },
      missing: [{ sku: 'VASE-01', quantity: 1 }],
    });
    expect(missing.status, JSON.stringify(missing.body)).toBe(201);
    notShortCase = missing.body.caseId;
    await pt.until(notShortCase, pt.keys.WAREHOUSE!, 'AWAITING_WAREHOUSE_CHECK');
    const checked = await pt.call('POST', `/v1/cases/${notShortCase}/warehouse-check`, pt.keys.WAREHOUSE, {
      by: 'wh-console',
      outboundRecord: [{ sku: 'VASE-01', quantity: 1 }],
      waybillWeightGrams: 150 + 2_000 + 2 * 300,
      unitWeightsGrams: { 'VASE-01': 2_000, 'CUP-02': 300 },
      packagingWeightGrams: 150,
    });
    expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    await pt.until(notShortCase, pt.keys.AGENT!, 'AWAITING_AGENT');
    // A return of two cups, one in the parcel: a count mismatch for an agent.
    const ret = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-cm', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-CM'), deliveredAt: Date.now() - DAY },
      lines: [{ sku: 'CUP-02', quantity: 2, reason: 'NO_REASON' }],
    });
    expect(ret.status, JSON.stringify(ret.body)).toBe(201);
    countCase = ret.body.caseId;
    await pt.until(countCase, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${countCase}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: 'SFCONSOLECM1' })).status).toBe(200);
    await pt.until(countCase, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFCONSOLECM1', scannedBy: 'dock-cm' })).status).toBe(202);
    await pt.until(countCase, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${countCase}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-cm', lines: [{ sku: 'CUP-02', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.until(countCase, pt.keys.AGENT!, 'AWAITING_AGENT');
    // An exchange of two cups to another set, one back in the parcel: an agent decides before anything goes out.
    const ex = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-ex', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-EX'), deliveredAt: Date.now() - DAY },
      kind: 'EXCHANGE',
      lines: [{ sku: 'CUP-02', quantity: 2, replacementSku: 'CUP-03', replacementUnitPriceMinor: 4_950, replacementUnitCostMinor: 2_000 }],
      reason: 'wrong colour',
    });
    expect(ex.status, JSON.stringify(ex.body)).toBe(201);
    exchangeCase = ex.body.caseId;
    await pt.until(exchangeCase, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${exchangeCase}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: 'SFCONSOLEEX1' })).status).toBe(200);
    await pt.until(exchangeCase, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFCONSOLEEX1', scannedBy: 'dock-ex' })).status).toBe(202);
    await pt.until(exchangeCase, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${exchangeCase}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-ex', lines: [{ sku: 'CUP-02', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.until(exchangeCase, pt.keys.AGENT!, 'AWAITING_AGENT');
    // A wrong item whose discount the customer took: it waits for its root cause.
    const wrong = await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer: { id: 'cust-console-wi', locale: 'en' }, order: { ...ORDER('SO-CONSOLE-WI'), deliveredAt: Date.now() - DAY }, orderedSku: 'CUP-02', arrivedBarcode: '6903', barcodes: { 'CUP-02': '6901', PLATE: '6903' } });
    expect(wrong.status, JSON.stringify(wrong.body)).toBe(201);
    wrongCase = wrong.body.caseId;
    await pt.until(wrongCase, pt.keys.WAREHOUSE!, 'AWAITING_VERIFICATION');
    const found = await pt.call('POST', `/v1/cases/${wrongCase}/wrong-item-findings`, pt.keys.WAREHOUSE, { by: 'clerk', shortShipped: [{ sku: 'CUP-02', quantity: 1 }], overShipped: [{ sku: 'PLATE', name: 'Plate', quantity: 1, unitPriceMinor: 800, unitCostMinor: 300 }], returnShippingCostMinor: 1_000 });
    expect(found.status, JSON.stringify(found.body)).toBe(200);
    await pt.until(wrongCase, pt.keys.AGENT!, 'AWAITING_CUSTOMER_CONSENT');
    expect((await pt.call('POST', `/v1/cases/${wrongCase}/proposal-answer`, pt.keys.AGENT, { accept: true })).status).toBe(200);
    await pt.until(wrongCase, pt.keys.AGENT!, 'AWAITING_ROOT_CAUSE');
    await pt.until(damageCase, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    await pt.until(lostCase, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH_CONFIRMATION');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('shows the order’s lines with names and prices, and the agent assesses the damage through the form; the stage moves on without a reload', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    await page.goto(consoleUrl(pt, `/cases/${damageCase}`));
    await page.getByTestId('case-stage').getByText('Awaiting the damage assessment').waitFor(WAIT);

    // The order: each line with its name, quantity and price in the case's currency; the line the case is about marked.
    const vase = page.locator('[data-testid="order-line"][data-sku="VASE-01"]');
    await vase.waitFor(WAIT);
    const money = (minor: number) => new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'CNY' }).format(minor / 100);
    await vase.getByText('Celadon vase').waitFor(WAIT);
    expect(await vase.innerText()).toContain(money(25_000));
    expect(await vase.getByTestId('order-line-requested').innerText()).toContain('1 of 1');
    const cups = page.locator('[data-testid="order-line"][data-sku="CUP-02"]');
    await cups.getByText('Tea cup set').waitFor(WAIT);
    expect(await cups.innerText()).toContain(money(4_950));
    expect(await cups.innerText()).toContain(money(9_900)); // the line's total
    expect(await page.getByTestId('order-paid').innerText()).toBe(money(35_900));
    expect(await page.getByTestId('order-shipping').innerText()).toBe(money(1_000));

    // Only the form of this stage: no root cause (the case does not wait for one), no warehouse forms.
    const form = page.getByTestId('damage-assessment-form');
    await form.waitFor(WAIT);
    expect(await page.getByTestId('root-cause-form').count()).toBe(0);
    expect(await page.getByTestId('dispatch-confirmation-form').count()).toBe(0);
    expect(await visibleCodes(page)).toEqual([]);
    await photograph(page, 'case-actions-1-damage');

    await page.evaluate(() => ((window as unknown as { stayed: boolean }).stayed = true));
    // Checked in the form first: minor damage needs the refund proposed, and no refund above what was paid for the damaged goods.
    await form.getByLabel('Degree of damage').selectOption({ label: 'Minor' });
    await form.getByLabel('Cause of the damage').selectOption({ label: 'Transport' });
    await form.getByRole('button', { name: 'Record the assessment' }).click();
    await form.locator('#da-proposed-error').getByText('Minor damage needs the refund proposed to the customer.').waitFor(WAIT);
    await form.locator('#da-shipping-error').getByText('This field is required.').waitFor(WAIT);
    // Above what was paid for the damaged vase (250.00), though below the order's 359.00: the workflow refuses it.
    await form.getByLabel(/Refund proposed/).fill('300');
    await form.getByRole('button', { name: 'Record the assessment' }).click();
    await form.locator('#da-proposed-error').getByText(`At most ${money(25_000)}, what was paid for the damaged goods.`).waitFor(WAIT);

    await form.getByLabel(/Refund proposed/).fill('15.00');
    await form.getByLabel(/Return shipping cost/).fill('20');
    await form.getByTestId('da-return-possible-field').getByLabel('Yes').check();
    await form.getByTestId('da-usable-field').getByLabel('Yes').check();
    await form.getByRole('button', { name: 'Record the assessment' }).click();

    await page.getByTestId('timeline').getByText('Damage assessed').waitFor(WAIT);
    await expect.poll(() => page.getByTestId('case-stage').innerText(), WAIT).not.toBe('Awaiting the damage assessment');
    await page.getByTestId('damage-assessment-form').waitFor({ state: 'detached', ...WAIT });
    expect(await page.evaluate(() => (window as unknown as { stayed?: boolean }).stayed)).toBe(true);
    const assessed = await pt.untilStep(damageCase, pt.keys.AGENT!, 'ASSESSED');
    expect(assessed.data).toMatchObject({ degree: 'MINOR', cause: 'TRANSPORT', proposedRefundMinor: 1_500, returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: true });
    await photograph(page, 'case-actions-2-assessed');
    await cp.context.close();
  });

  it('a refund above the cap is offered to the agent but is the supervisor’s to choose; the supervisor may', async () => {
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-cap', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-CAP'), deliveredAt: Date.now() - DAY },
      customerHandle: 'tb_cap',
      lines: [{ sku: 'VASE-01', quantity: 1 }],
      degree: 'MINOR',
      photoUrls: ['https://evidence.example.com/console/vase-chip.jpg'],
      shipment: { carrier: 'SF', trackingNumber: 'SFCONSOLECAP1', shippedAt: Date.now() - 3 * DAY },
    });
    const capCase = opened.body.caseId as string;
    await pt.until(capCase, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    // 180.00 proposed, the return would cost 15.00: above the cap.
    const assessed = await pt.call('POST', `/v1/cases/${capCase}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'TRANSPORT', proposedRefundMinor: 18_000, returnShippingCostMinor: 1_500, returnPossible: true, goodsUsable: true });
    expect(assessed.status, JSON.stringify(assessed.body)).toBe(200);
    await pt.until(capCase, pt.keys.AGENT!, 'AWAITING_AGENT');
    const optionOf = (role: 'AGENT' | 'SUPERVISOR') => async () => {
      const cp = await openConsole(browser);
      await signIn(cp, pt, pt.keys[role]!);
      await cp.page.goto(consoleUrl(pt, `/cases/${capCase}`));
      const form = cp.page.getByTestId('resolution-form');
      await form.waitFor(WAIT);
      const pay = form.locator('#r-action option[value="CONTINUE"]');
      const state = { disabled: await pay.isDisabled(), hint: await form.getByTestId('resolution-supervisor-only').count(), closeDisabled: await form.locator('#r-action option[value="CLOSE"]').isDisabled() };
      await photograph(cp.page, `case-actions-cap-${role.toLowerCase()}`);
      await cp.context.close();
      return state;
    };
    expect(await optionOf('AGENT')()).toEqual({ disabled: true, hint: 1, closeDisabled: false });
    expect(await optionOf('SUPERVISOR')()).toEqual({ disabled: false, hint: 0, closeDisabled: false });
  });

  it('the warehouse confirms the dispatch of a lost parcel; the API’s field error shows next to its field', async () => {
    const cp = await openConsole(browser, { locale: 'en-US' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    // From the task list to the case page, where the warehouse's forms are.
    await page.locator(`[data-testid="task-row"][data-case-id="${lostCase}"]`).getByRole('link', { name: lostCase }).click();
    await page.getByTestId('case-stage').getByText('Awaiting dispatch confirmation').waitFor(WAIT);
    const form = page.getByTestId('dispatch-confirmation-form');
    await form.waitFor(WAIT);
    // An agent's forms are not the warehouse's.
    expect(await page.getByTestId('proposal-form').count()).toBe(0);
    expect(await page.getByTestId('note-form').count()).toBe(0);
    // The order's dates are as the case was opened with them.
    expect(await page.locator('section[aria-labelledby="order-title"]').innerText()).toContain('When the case was opened: Shipped:');

    // A new browser knows no clerk: the field asks for a name, never the key's label (a desk).
    expect(await form.getByLabel('Checked by').inputValue()).toBe('');
    expect(await form.getByLabel('Checked by').getAttribute('placeholder')).toBe('Type your name');
    await form.getByLabel('Checked by').fill('wh-console-clerk');
    await form.getByTestId('dp-dispatched-field').getByLabel('Yes').check();
    await form.getByRole('button', { name: 'Confirm' }).click();
    await form.locator('#dp-tracking-error').getByText('A parcel that left needs its tracking number.').waitFor(WAIT);
    await form.getByLabel('Tracking number of the parcel that left').fill('SFCONSOLELP1');
    // A link with a space reads as a web address in the browser; the API's link rule refuses it, naming the field.
    await form.getByLabel(/Proof/).fill('https://evidence.example.com/console/handover.jpg\nhttps://evidence.example.com/console/hand over.jpg');
    await form.getByRole('button', { name: 'Confirm' }).click();
    const proofError = form.locator('#dp-proof-error');
    await proofError.waitFor(WAIT);
    expect(await proofError.innerText()).toMatch(/must be an http\(s\) URL/);
    expect(await form.getByLabel(/Proof/).getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByTestId('form-error').count()).toBe(0); // named next to its field, not above the form
    await photograph(page, 'case-actions-3-field-error');

    await form.getByLabel(/Proof/).fill('https://evidence.example.com/console/handover.jpg');
    await form.getByRole('button', { name: 'Confirm' }).click();
    await page.getByTestId('case-stage').getByText("Awaiting the customer's choice").waitFor(WAIT);
    const confirmed = await pt.untilStep(lostCase, pt.keys.AGENT!, 'DISPATCH_CONFIRMED');
    expect(confirmed).toBeTruthy();
    // Back to the task list, not the agents' queue; the name the clerk signed with is where they sign next.
    await page.getByRole('link', { name: '← Back to the warehouse tasks' }).click();
    await page.getByRole('heading', { name: 'Warehouse' }).first().waitFor(WAIT);
    await expect.poll(() => page.getByLabel('Scanned by').inputValue(), WAIT).toBe('wh-console-clerk');
    await cp.context.close();
  });

  it('an agent ends a wait with the actions that wait takes: a missing-items case the records call complete is refunded as goodwill (said so, with its amount) or closed', async () => {
    const cp = await openConsole(browser, { locale: 'en-US' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    await page.goto(consoleUrl(pt, `/cases/${notShortCase}`));
    const form = page.getByTestId('resolution-form');
    await form.waitFor(WAIT);
    // What the agent decides here, beyond "how the case ends": going on pays the missing items back.
    expect(await page.getByTestId('waiting-for').innerText()).toContain('An agent: decides how the case ends — go on: refund the missing items anyway, as goodwill');
    // The clerk who checked the records, named in full (a key's UUID would be cut to 8 characters).
    expect(await page.getByTestId('timeline').innerText()).toContain('wh-console');
    const offered = (await form.locator('#r-action option:not([disabled])').allInnerTexts()).map((o) => o.trim());
    // Going on here pays the missing items back: the words say so, with the amount (not "Go on with the case").
    expect(offered).toEqual([expect.stringMatching(/^Refund the missing items anyway, as goodwill \(the warehouse’s records say they were sent\): CN¥\d+\.\d\d$/), 'Close the case']);
    const goodwill = offered[0]!;
    // Words for the customer, once an action is chosen: why it closed in the closing message, or
    // what was decided in a message of its own when the case goes on.
    const whyClosed = form.getByLabel('Why, for the customer (optional)');
    const decided = form.getByLabel('What was decided, for the customer (optional)');
    expect(await whyClosed.count()).toBe(0);
    await form.getByLabel('How the case ends').selectOption({ label: 'Close the case' });
    await whyClosed.waitFor(WAIT);
    await whyClosed.fill('typed, then not closed');
    await form.getByLabel('How the case ends').selectOption({ label: goodwill });
    await decided.waitFor(WAIT);
    // A closing reason typed, then the action changed: not sent as the decision.
    expect(await decided.inputValue()).toBe('');
    await decided.fill('Our records show everything was packed; we refund the missing item all the same.');
    await form.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('resolution-form').waitFor({ state: 'detached', ...WAIT });
    const resolved = await pt.untilStep(notShortCase, pt.keys.AGENT!, 'AGENT_RESOLVED');
    expect(resolved.data).toMatchObject({ action: 'CONTINUE' });
    const told = async () => ((await pt.call('GET', `/v1/cases/${notShortCase}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).find((m) => m.template === 'agentDecisionExplained');
    await waitUntil('the decision told to the customer', async () => !!(await told()));
    expect((await told())!.text).toContain('Our records show everything was packed; we refund the missing item all the same');
    // The agent reads on the case page what the customer was told, as they read it.
    await page.reload();
    await page.getByTestId('customer-messages').getByText('Our records show everything was packed; we refund the missing item all the same', { exact: false }).waitFor(WAIT);
    // The timeline says what the resolution did in the wait's words, not "Go on with the case".
    const resolvedStep = page.getByTestId('timeline').locator('li[data-kind="AGENT_RESOLVED"]');
    expect(await resolvedStep.innerText()).toContain('Refund the missing items anyway, as goodwill');
    expect(await page.getByRole('heading', { name: 'Messages to the customer' }).count()).toBe(1);
    await cp.context.close();
  });

  it('a root cause that is the shop’s own mistake asks for the person and the improvement before it is sent; another says they are optional', async () => {
    const cp = await openConsole(browser, { locale: 'en-US' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.getByRole('heading', { name: 'Work queue' }).waitFor(WAIT);
    await page.goto(consoleUrl(pt, `/cases/${wrongCase}`));
    const form = page.getByTestId('root-cause-form');
    await form.waitFor(WAIT);
    await form.getByLabel('Category').selectOption({ label: 'Transport' });
    await form.getByLabel('Cause', { exact: true }).selectOption({ label: 'Missorted or misloaded' });
    await form.getByLabel('Responsible person (optional)').waitFor(WAIT);
    // A wrong label is the warehouse's: the labels say so, and a blank field is named before anything is sent.
    await form.getByLabel('Category').selectOption({ label: 'Warehouse' });
    await form.getByLabel('Cause', { exact: true }).selectOption({ label: 'Wrong label on the goods' });
    const person = form.getByLabel('Responsible person (required: the shop’s own mistake)');
    const improvement = form.getByLabel('Improvement (required: the shop’s own mistake)');
    await person.waitFor(WAIT);
    await form.getByRole('button', { name: 'Record the root cause' }).click();
    await form.locator('#rc-person-error').getByText('Required when the cause is the shop’s own mistake').waitFor(WAIT);
    await form.locator('#rc-improvement-error').getByText('Required when the cause is the shop’s own mistake').waitFor(WAIT);
    expect(await pt.db.caseEvent.count({ where: { caseId: wrongCase, kind: 'ROOT_CAUSE_RECORDED' } })).toBe(0);
    await person.fill('labeller HZ1-007');
    await improvement.fill('labels printed from the SKU master, checked at put-away');
    await form.getByRole('button', { name: 'Record the root cause' }).click();
    await page.getByTestId('root-cause-form').waitFor({ state: 'detached', ...WAIT });
    await pt.until(wrongCase, pt.keys.AGENT!, 'RESOLVED');
    await cp.context.close();
  });

  it('a return counted short: each refund the agent may choose says what it comes to, and the one chosen is refunded', async () => {
    const cp = await openConsole(browser, { locale: 'en-US' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${countCase}`));
    const form = page.getByTestId('resolution-form');
    await form.waitFor(WAIT);
    const offered = (await form.locator('#r-action option:not([disabled])').allInnerTexts()).map((o) => o.trim().replace(/\s+/g, ' '));
    // One of two came back: closing would keep it unpaid, so CLOSE is offered disabled, with why.
    expect(offered).toEqual(['Refund what came back: CN¥49.50', 'Refund what was asked: CN¥99.00']);
    expect((await form.locator('#r-action option[disabled]').allInnerTexts()).map((o) => o.trim())).toContain('Close without a refund, when nothing came back in good order (an empty box)');
    await form.getByTestId('resolution-goods-back').getByText('Goods came back').waitFor(WAIT);
    await form.getByLabel('How the case ends').selectOption({ label: 'Refund what came back: CN¥49.50' });
    await form.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('resolution-form').waitFor({ state: 'detached', ...WAIT });
    expect((await pt.until(countCase, pt.keys.AGENT!, 'RESOLVED')).refundedAmountMinor).toBe(4_950);
    await cp.context.close();
  });

  it('an exchange whose old goods came back one short: the replacement anyway, or a refund of the cup back (with its amount); not a close that keeps it', async () => {
    const cp = await openConsole(browser, { locale: 'en-US' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${exchangeCase}`));
    const form = page.getByTestId('resolution-form');
    await form.waitFor(WAIT);
    const offered = (await form.locator('#r-action option:not([disabled])').allInnerTexts()).map((o) => o.trim().replace(/\s+/g, ' '));
    expect(offered).toEqual(['Send or settle the replacement anyway', 'Refund the goods that came back in good order instead of a replacement, with any price difference paid (not once the replacement went out first): CN¥49.50']);
    expect((await form.locator('#r-action option[disabled]').allInnerTexts()).map((o) => o.trim())).toContain('Close without a replacement or a refund of the goods, when nothing came back in good order or the replacement went out first (a price difference paid still goes back)');
    await form.getByTestId('resolution-goods-back').getByText('send the replacement or repair anyway, or refund them').waitFor(WAIT);
    await form.getByLabel('How the case ends').selectOption({ index: 2 });
    await form.getByRole('button', { name: 'Resolve' }).click();
    await page.getByTestId('resolution-form').waitFor({ state: 'detached', ...WAIT });
    expect((await pt.until(exchangeCase, pt.keys.AGENT!, 'RESOLVED')).refundedAmountMinor).toBe(4_950);
    await cp.context.close();
  });

  it('a misuse check that could not confirm it asks again, and the form says what to do first', async () => {
    const opened = await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, {
      customer: { id: 'cust-console-qp', locale: 'en' },
      order: { ...ORDER('SO-CONSOLE-QP'), deliveredAt: Date.now() - DAY },
      lines: [{ sku: 'CUP-02', quantity: 1 }],
      description: 'the glaze cracked after one wash',
    });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_MISUSE_CHECK');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('misuse-finding-form');
    await form.waitFor(WAIT);
    expect(await form.getByTestId('misuse-ask-again').count()).toBe(0);
    await form.getByLabel('Finding').selectOption({ label: 'Cannot be confirmed' });
    await form.getByRole('button', { name: 'Record the finding' }).click();
    await form.getByTestId('misuse-ask-again').getByText('Ask the customer').waitFor(WAIT);
    // Said as it is (the case stays at the check), and the choice is not left for a second click.
    await form.getByText('Recorded as not confirmed. Ask the customer, then record the finding again here.').waitFor(WAIT);
    expect(await form.getByText('The case moves on').count()).toBe(0);
    expect(await form.getByLabel('Finding').inputValue()).toBe('');
    await cp.context.close();
  });
});
