/**
 * The warehouse's console in a real browser: the task list with SKUs and quantities, the arrival
 * scan as a keyboard-wedge scanner does it (the focus is already in the tracking-number field; the
 * scanner types and presses Enter), then the inspection line by line — the case moves on. Every
 * answer to a scan names the clerk the same way ("scanned by …"), from the scan field or the hold shelf.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { waitUntil } from '../support/wait.js';
import { browserAvailable, consoleUrl, expectKeyKeptSafe, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const TRACKING = 'SFCONSOLE0001';

let browser: Browser;
let caseId: string;
/** A return whose customer has entered no shipment yet: in no warehouse task, its return code still good. */
let notShipped: string;
/** A return outside the 7-day window, waiting for an agent's decision: the goods are not asked back yet. */
let undecided: string;
/** An urgent exchange whose loan product is due back: the dock expects it, scans it in and inspects it. */
let loaned: string;

/** An urgent kettle exchange (order SO-CONSOLE-WH-`tag`): it ships before the old one is back, so it is at the outgoing check at once. */
async function kettleAtOutgoingCheck(tag: string, name: string, locale: 'zh-CN' | 'en', reason: string): Promise<string> {
  const order = { orderId: `SO-CONSOLE-WH-${tag}`, currency: 'CNY', items: [{ sku: 'KETTLE', name, quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 0, paidTotalMinor: 20_000 };
  const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: `cust-wh-${tag.toLowerCase()}`, locale }, order, kind: 'EXCHANGE', urgent: true, reason, lines: [{ sku: 'KETTLE', quantity: 1, replacementSku: 'KETTLE', replacementUnitPriceMinor: 20_000, replacementUnitCostMinor: 9_000 }] });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const exchange = opened.body.caseId as string;
  await pt.until(exchange, pt.keys.WAREHOUSE!, 'AWAITING_OUTGOING_CHECK');
  return exchange;
}

/** An urgent case's replacement checked, sent as SFCONSOLELOAN`n` and delivered (a day skipped for the trace to see it). */
async function replacementDelivered(caseId: string, n: number): Promise<void> {
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_OUTGOING_CHECK');
  expect((await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, serialNumbers: [`SN-L${n}`] })).status).toBe(200);
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DISPATCH');
  expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: `SFCONSOLELOAN${n}` })).status).toBe(200);
  await pt.until(caseId, pt.keys.AGENT!, 'SHIPPED');
  pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: `SFCONSOLELOAN${n}` });
  await pt.skip(86_400 + 60);
}

run('the warehouse console', () => {
  beforeAll(async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-wh-1', locale: 'zh-CN' },
      order: mugAndTeaOrder('SO-CONSOLE-WH-1', Date.now(), 1),
      lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    });
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-wh-1' })).body.token;
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: TRACKING })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    const early = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-wh-2', locale: 'zh-CN' },
      order: mugAndTeaOrder('SO-CONSOLE-WH-2', Date.now(), 1),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(early.status).toBe(201);
    notShipped = early.body.caseId;
    await pt.until(notShipped, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    const late = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-wh-3', locale: 'zh-CN' },
      order: mugAndTeaOrder('SO-CONSOLE-WH-3', Date.now(), 12),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    expect(late.status).toBe(201);
    undecided = late.body.caseId;
    await pt.until(undecided, pt.keys.AGENT!, 'AWAITING_DECISION');
    // A re-shipment for an urgent customer, with a loan pair lent at once: delivered, the loan falls due.
    const urgent = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, {
      customer: { id: 'cust-wh-loan', locale: 'en' },
      order: { orderId: 'SO-CONSOLE-WH-LOAN', currency: 'CNY', items: [{ sku: 'SHOE-40', name: 'Running shoe 40', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 },
      kind: 'RESHIPMENT',
      urgent: true,
      substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 },
      lines: [{ sku: 'SHOE-40', quantity: 1 }],
      reason: 'never arrived, needed for a race',
    });
    expect(urgent.status, JSON.stringify(urgent.body)).toBe(201);
    loaned = urgent.body.caseId;
    await pt.untilStep(loaned, pt.keys.AGENT!, 'SUBSTITUTE_LENT');
    // The loan pair went out at once (its own task, SEND_SUBSTITUTE, done here over the API).
    expect((await pt.call('POST', `/v1/cases/${loaned}/substitute-sent`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFCONSOLELOANOUT1' })).status).toBe(200);
    await replacementDelivered(loaned, 1);
    await pt.until(loaned, pt.keys.AGENT!, 'AWAITING_SUBSTITUTE_RETURN');
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('lists the task with its lines, scans the arrival with the keyboard and inspects per line', async () => {
    const cp = await openConsole(browser, { viewport: { width: 1024, height: 768 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.getByRole('heading', { name: 'Warehouse' }).waitFor(WAIT);
    expect(new URL(page.url()).pathname).toBe('/console/warehouse');

    const row = page.locator(`[data-testid="task-row"][data-case-id="${caseId}"]`);
    await row.and(page.locator('[data-task="RECEIVE_RETURN"]')).waitFor(WAIT);
    await row.getByText('Receive the return').waitFor(WAIT);
    const line = row.getByTestId('task-line');
    await expect.poll(() => line.allInnerTexts(), WAIT).toEqual([expect.stringMatching(/^MUG\s+Mug\s+2$/)]);
    await row.getByText(TRACKING).waitFor(WAIT);
    // Order and tracking number apart, not "SO-1· Tracking …" (a trial saw the space lost).
    await row.getByText(new RegExp(` · Return parcel ${TRACKING}$`)).waitFor(WAIT);
    await photograph(page, 'warehouse-1-tasks');

    // A keyboard-wedge scanner: the focus is already in the tracking-number field; it types and presses Enter.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('scan-code');
    await page.getByLabel('Scanned by').fill('dock-3');
    await page.getByLabel('Tracking number or return code').focus();
    await page.keyboard.type(TRACKING);
    await page.keyboard.press('Enter');
    await page.getByText(`Arrival of ${TRACKING} recorded, scanned by dock-3.`).waitFor(WAIT);
    // Ready for the next parcel: the field is empty and focused again.
    expect(await page.getByLabel('Tracking number or return code').inputValue()).toBe('');
    await expect.poll(() => page.evaluate(() => document.activeElement?.id), WAIT).toBe('scan-code');

    // An unknown parcel: the API's answer next to the field.
    await page.keyboard.type('SFNOSUCHPARCEL');
    await page.keyboard.press('Enter');
    await page.getByTestId('scan-form').getByText(/No return parcel has SFNOSUCHPARCEL as its tracking number or return code/).waitFor(WAIT);

    await row.and(page.locator('[data-task="INSPECT_RETURN"]')).waitFor(WAIT);
    // The same parcel past the scanner again, by another clerk: said to be in already, and by whom.
    await page.getByLabel('Scanned by').fill('dock-5');
    await page.getByLabel('Tracking number or return code').fill(TRACKING);
    await page.getByLabel('Tracking number or return code').press('Enter');
    await page.getByText(new RegExp(`^${TRACKING} is in already, scanned by dock-3 on .+: nothing recorded again\\.$`)).waitFor(WAIT);
    await row.getByRole('button', { name: 'Inspect' }).click();
    const form = page.getByTestId('inspection-form');
    // Nothing counted yet: the count is the inspector's to type, not the expected 2 filled in.
    expect(await form.getByLabel('Received of MUG').inputValue()).toBe('');
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    await form.getByText('Count what came back and enter the number (0 when none).').waitFor(WAIT);
    // A count other than expected is said before it is sent.
    await form.getByLabel('Received of MUG').fill('1');
    await form.getByTestId('count-differs').getByText('Not the 2 expected: an agent settles the difference once this is sent.').waitFor(WAIT);
    // Pressed with a differing count: asked first, nothing sent (a trial's clerk sent one by a quick click).
    await form.getByLabel('Condition of MUG').selectOption('OK');
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    await form.getByTestId('confirm-difference').getByText('Counted otherwise than expected — MUG: 1 of 2.', { exact: false }).waitFor(WAIT);
    await form.getByRole('button', { name: 'Send it with the difference' }).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_INSPECTION');
    // Counted again: the question goes, and the count that matches is sent at once.
    await form.getByLabel('Received of MUG').fill('2');
    await form.getByTestId('count-differs').waitFor({ state: 'detached', ...WAIT });
    await form.getByTestId('confirm-difference').waitFor({ state: 'detached', ...WAIT });
    // Marked missing with a count that came: a contradiction, said at the line, nothing sent.
    await form.getByLabel('Condition of MUG').selectOption('MISSING');
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    await form.getByText('Marked missing, yet counted as received', { exact: false }).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_INSPECTION');
    await form.getByLabel('Condition of MUG').selectOption('OK');
    await photograph(page, 'warehouse-2-inspection');
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    await row.waitFor({ state: 'detached', ...WAIT });
    // Said, since the row is gone (a trial's clerk saw the task vanish without a word).
    await page.getByTestId('inspection-sent').getByText(`Inspection of case ${caseId} recorded`, { exact: false }).waitFor(WAIT);
    const inspected = await pt.untilStep(caseId, pt.keys.AGENT!, 'INSPECTED');
    expect(inspected.actor).toBeTruthy();
    await waitUntil('the refund of what came back', async () => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.refundedAmountMinor === 6666);
    await photograph(page, 'warehouse-3-done');
    await expectKeyKeptSafe(cp, pt.keys.WAREHOUSE!);
    await cp.context.close();
  });
  it('expects a loan product due back, scans it in by its return code and inspects the loan, not the goods exchanged', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    const row = page.locator(`[data-testid="task-row"][data-case-id="${loaned}"]`);
    await row.and(page.locator('[data-task="RECEIVE_SUBSTITUTE"]')).waitFor(WAIT);
    await expect.poll(() => row.getByTestId('task-line').allInnerTexts(), WAIT).toEqual([expect.stringMatching(/^SHOE-LOAN\s+SHOE-LOAN\s+1$/)]);
    // Its case page offers the loan's inspection too (a loan inspected before its scan ends the wait as well).
    await page.goto(consoleUrl(pt, `/cases/${loaned}`));
    await page.getByTestId('inspection-form').getByLabel('Received of SHOE-LOAN').waitFor(WAIT);
    expect(await page.getByTestId('inspection-form').getByLabel('Received of SHOE-40').count()).toBe(0);
    await page.goto(consoleUrl(pt, '/warehouse'));
    await page.getByLabel('Scanned by').fill('dock-loan');
    await page.getByLabel('Tracking number or return code').fill(loaned);
    await page.getByLabel('Tracking number or return code').press('Enter');
    await page.getByText(`Arrival of ${loaned} recorded, scanned by dock-loan.`).waitFor(WAIT);
    // Scanned in, the loan is back: its inspection is the warehouse's next task, from the same list.
    await row.and(page.locator('[data-task="INSPECT_SUBSTITUTE"]')).waitFor(WAIT);
    await row.getByRole('button', { name: 'Inspect' }).click();
    const form = page.getByTestId('inspection-form');
    await form.getByLabel('Received of SHOE-LOAN').fill('1');
    await form.getByLabel('Condition of SHOE-LOAN').selectOption('OK');
    expect(await form.getByLabel('Received of SHOE-40').count()).toBe(0);
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    await row.waitFor({ state: 'detached', ...WAIT });
    expect((await pt.untilStep(loaned, pt.keys.AGENT!, 'SUBSTITUTE_RETURNED')).data).toMatchObject({ sku: 'SHOE-LOAN', condition: 'OK' });
    await cp.context.close();
  });

  it('a loan item is sent from its own task at once; without a label of its own, after the old pair came back under the same return code, the scan asks for its label, and "Loan item in hand" books it in', async () => {
    // An urgent exchange with a loan pair: the new pair out and delivered, the old pair back (scanned by label and code) and inspected.
    const order = { orderId: 'SO-CONSOLE-WH-LOAN2', currency: 'CNY', items: [{ sku: 'SHOE-40', name: 'Running shoe 40', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-wh-loan2', locale: 'en' }, order, kind: 'EXCHANGE', urgent: true, substitute: { sku: 'SHOE-LOAN', unitCostMinor: 5_000 }, lines: [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 30_000, replacementUnitCostMinor: 12_000 }], reason: 'too small' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const exchange = opened.body.caseId as string;
    await pt.untilStep(exchange, pt.keys.AGENT!, 'SUBSTITUTE_LENT');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    // The loan pair goes out first: its own task, sent from its row (the case's outgoing check is a task beside it).
    const sendRow = page.locator(`[data-testid="task-row"][data-case-id="${exchange}"][data-task="SEND_SUBSTITUTE"]`);
    await sendRow.waitFor(WAIT);
    expect(await sendRow.getByTestId('task-line').allInnerTexts()).toEqual([expect.stringMatching(/^SHOE-LOAN\s+SHOE-LOAN\s+1$/)]);
    await sendRow.getByTestId('loan-send').click();
    const loanForm = page.getByTestId('loan-sent-form');
    await loanForm.getByLabel('Sent by').fill('packer-2');
    await loanForm.getByLabel('Carrier').fill('SF');
    await loanForm.getByRole('button', { name: 'Record the loan item sent' }).click();
    await loanForm.getByText('Required').waitFor(WAIT); // the tracking number, before anything is sent
    await loanForm.getByLabel('Tracking number').fill('SF CONSOLE LOAN OUT 2');
    await loanForm.getByRole('button', { name: 'Record the loan item sent' }).click();
    await sendRow.waitFor({ state: 'detached', ...WAIT });
    expect((await pt.untilStep(exchange, pt.keys.AGENT!, 'SUBSTITUTE_SENT')).data).toMatchObject({ carrier: 'SF', trackingNumber: 'SFCONSOLELOANOUT2' });
    await photograph(page, 'warehouse-loan-sent');
    await replacementDelivered(exchange, 2);
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${exchange}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: 'SFCONSOLEOLD2' })).status).toBe(200);
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFCONSOLEOLD2', returnCode: exchange, scannedBy: 'dock' })).status).toBe(202);
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${exchange}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_SUBSTITUTE_RETURN');

    await page.reload();
    const row = page.locator(`[data-testid="task-row"][data-case-id="${exchange}"]`);
    await row.and(page.locator('[data-task="RECEIVE_SUBSTITUTE"]')).waitFor(WAIT);
    await page.getByLabel('Scanned by').fill('dock-loan2');
    // The return code alone could be the old pair's parcel again: said in words, with what to do.
    await page.getByLabel('Tracking number or return code').fill(exchange);
    await page.getByLabel('Tracking number or return code').press('Enter');
    await page.getByText(`Case ${exchange} waits for its loan item`).waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${exchange}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_SUBSTITUTE_RETURN');
    // The loan item was in the old pair's parcel: the clerk says so on its task.
    await row.getByTestId('loan-in-hand').click();
    await page.getByText(`Loan item of case ${exchange} booked in (scanned by dock-loan2)`).waitFor(WAIT);
    await row.and(page.locator('[data-task="INSPECT_SUBSTITUTE"]')).waitFor(WAIT);
    expect((await pt.untilStep(exchange, pt.keys.AGENT!, 'SUBSTITUTE_ARRIVED')).actor).toBe('warehouse:dock-loan2');
    await photograph(page, 'warehouse-loan-in-hand');
    await cp.context.close();
  });

  it('the page is the warehouse\'s: a supervisor reads its tasks without a scan form that would be refused, an agent is told it is not theirs', async () => {
    const sup = await openConsole(browser);
    await signIn(sup, pt, pt.keys.SUPERVISOR!);
    await sup.page.goto(consoleUrl(pt, '/warehouse'));
    await sup.page.getByTestId('warehouse-tasks').waitFor(WAIT);
    await sup.page.getByTestId('scan-not-yours').getByText('Parcels are scanned in with a warehouse key').waitFor(WAIT);
    expect(await sup.page.getByTestId('scan-form').count()).toBe(0);
    await sup.context.close();
    const agent = await openConsole(browser);
    await signIn(agent, pt, pt.keys.AGENT!);
    await agent.page.goto(consoleUrl(pt, '/warehouse'));
    await agent.page.getByTestId('warehouse-not-yours').waitFor(WAIT);
    expect(await agent.page.getByTestId('warehouse-tasks').count()).toBe(0);
    await agent.context.close();
  });

  it("'Scanned by' starts with the clerk's own name from their last scan in this browser, never the key's label, and is still required", async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.getByRole('heading', { name: 'Warehouse' }).first().waitFor(WAIT);
    const by = page.getByLabel('Scanned by');
    // A fresh browser: no name yet (a trial's field said the key's label, "development warehouse key"), and it asks for one.
    expect(await by.inputValue()).toBe('');
    expect(await by.getAttribute('placeholder')).toBe('Type your name');
    // Sent without a name: refused at the field, nothing sent.
    await page.getByLabel('Tracking number or return code').fill('SFNOSUCHCLERK1');
    await page.getByLabel('Tracking number or return code').press('Enter');
    await page.locator('#scan-by-error').getByText('Type your name: the scan is recorded under it.').waitFor(WAIT);
    expect(await by.getAttribute('aria-invalid')).toBe('true');
    // With a name: sent (the API does not know the parcel), and the name is remembered here.
    await by.fill('Li Na');
    await page.getByLabel('Tracking number or return code').press('Enter');
    await page.getByTestId('scan-form').getByText(/No return parcel has SFNOSUCHCLERK1/).waitFor(WAIT);
    await page.reload();
    await page.getByRole('heading', { name: 'Warehouse' }).first().waitFor(WAIT);
    await expect.poll(() => page.getByLabel('Scanned by').inputValue(), WAIT).toBe('Li Na');
    await cp.context.close();
  });

  it('scans a return code of a return the customer has not shipped yet, and says the API\'s refusals in Chinese', async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: { width: 1024, height: 768 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!, 'API 密钥');
    await page.getByRole('heading', { name: '仓库' }).first().waitFor(WAIT);
    // Not in the task list (nothing was sent yet), so only the API knows the code: it takes it.
    expect(await page.locator(`[data-testid="task-row"][data-case-id="${notShipped}"]`).count()).toBe(0);
    await page.getByLabel('扫描人').fill('dock-3');
    const field = page.getByLabel('快递单号或退货码');
    await field.fill(notShipped);
    await field.press('Enter');
    await page.getByText(`已登记 ${notShipped} 到货，由 dock-3 扫描。`).waitFor(WAIT);
    await pt.untilStep(notShipped, pt.keys.AGENT!, 'ARRIVED');

    // The API's refusals, in the screen's language: a code no parcel has (404) …
    await field.fill('SFNOSUCHPARCEL');
    await field.press('Enter');
    const form = page.getByTestId('scan-form');
    await form.getByText('找不到 SFNOSUCHPARCEL').waitFor(WAIT);
    // A return not asked back yet: the parcel goes on the hold shelf, said so, and listed there.
    await field.fill(undecided);
    await field.press('Enter');
    const heldSaid = page.getByText(`${undecided}，由 dock-3 扫描：请放上暂存架。售后单还没有要求寄回商品`, { exact: false });
    await heldSaid.waitFor(WAIT);
    expect(await heldSaid.innerText()).not.toMatch(/not found|NOT_ASKED|AWAITING_/);
    const shelved = page.locator(`[data-testid="held-row"][data-case-id="${undecided}"]`);
    await shelved.getByText('保管：售后单尚未决定').waitFor(WAIT);
    // The agent rejects the return: the shelf says to send the parcel back, and it is recorded so.
    expect((await pt.call('POST', `/v1/cases/${undecided}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: '超过七天无理由退货期限' })).status).toBe(200);
    await shelved.getByText('寄回给顾客').waitFor(WAIT);
    await shelved.getByRole('button', { name: '已寄回' }).click();
    await shelved.getByLabel('寄回包裹的快递单号（选填）').fill('sf 7001 0002 03');
    await photograph(page, 'warehouse-4-held-zh');
    await shelved.getByRole('button', { name: '已寄回' }).click();
    await page.getByText('已登记：包裹已寄回给顾客。').waitFor(WAIT);
    await shelved.waitFor({ state: 'detached', ...WAIT });
    const back = (await pt.call('GET', '/v1/warehouse/held-parcels?onShelf=false', pt.keys.WAREHOUSE)).body.items.find((h: { caseId: string }) => h.caseId === undecided);
    expect(back).toMatchObject({ outcome: 'SENT_BACK', endedBy: 'dock-3', endNote: 'sent back as SF7001000203' });
    // … and the id of a case that takes no parcel at all (a delivery delay), its type in words.
    const delay = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { customer: { id: 'cust-wh-delay', locale: 'zh-CN' }, order: { orderId: 'SO-WH-DELAY', currency: 'CNY', items: [{ sku: 'KETTLE', name: '水壶', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 0, paidTotalMinor: 20_000 }, shipment: { carrier: 'ZTO', trackingNumber: 'ZTWHDELAY1' }, etaAt: Date.now() - 36 * 3_600_000 });
    expect(delay.status, JSON.stringify(delay.body)).toBe(201);
    await field.fill(delay.body.caseId);
    await field.press('Enter');
    await form.getByText(`售后单 ${delay.body.caseId}（物流延误）无需顾客寄回商品`).waitFor(WAIT);
    expect(await form.innerText()).not.toMatch(/DELAY|POST|does not apply/);
    await photograph(page, 'warehouse-4-scan-zh');
    await cp.context.close();
  });

  it('a held parcel whose return is then approved is scanned in from its row on the hold shelf', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-wh-held', locale: 'en' },
      order: mugAndTeaOrder('SO-CONSOLE-WH-HELD', Date.now(), 12),
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    });
    const held = opened.body.caseId as string;
    await pt.until(held, pt.keys.AGENT!, 'AWAITING_DECISION');
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: held, trackingNumber: 'SFHELD0001', scannedBy: 'dock-7' })).toMatchObject({ status: 202, body: { held: { reason: 'NOT_ASKED_YET' } } });
    const cp = await openConsole(browser, { viewport: { width: 1024, height: 768 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.getByLabel('Scanned by').fill('dock-7');
    const row = page.locator(`[data-testid="held-row"][data-case-id="${held}"]`);
    await row.getByText('Keep: its case has not decided yet').waitFor(WAIT);
    expect(await row.getByRole('button').count()).toBe(0);
    // Another clerk shelves another parcel: it shows on this page without a reload (its case changed, the live feed said so).
    const other = (await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: 'cust-wh-held-2', locale: 'en' }, order: mugAndTeaOrder('SO-CONSOLE-WH-HELD-2', Date.now(), 12), lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] })).body.caseId as string;
    await pt.until(other, pt.keys.AGENT!, 'AWAITING_DECISION');
    // Its opening's own changes are shown before the hold: the row appears only with the hold.
    await page.locator(`[data-testid="held-row"][data-case-id="${other}"]`).waitFor({ state: 'detached', ...WAIT });
    expect(await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: other, scannedBy: 'dock-8' })).toMatchObject({ status: 202, body: { held: { reason: 'NOT_ASKED_YET' } } });
    await page.locator(`[data-testid="held-row"][data-case-id="${other}"]`).getByText('Keep: its case has not decided yet').waitFor(WAIT);
    // The agent approves: the shelf, following the case, says to scan it in, and one click does.
    expect((await pt.call('POST', `/v1/cases/${held}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status).toBe(200);
    await row.getByText('Scan it in now').waitFor(WAIT);
    await row.getByRole('button', { name: 'Scan in' }).click();
    await page.getByText('Arrival of SFHELD0001 recorded, scanned by dock-7.').waitFor(WAIT);
    await row.waitFor({ state: 'detached', ...WAIT });
    const arrived = await pt.untilStep(held, pt.keys.AGENT!, 'ARRIVED');
    expect(arrived.actor).toBe('warehouse:dock-7');
    await cp.context.close();
  });

  it('records a unit that failed the outgoing check; with no unit in stock that passes an agent refunds instead, in words of that wait', async () => {
    const exchange = await kettleAtOutgoingCheck('X', '电水壶', 'zh-CN', '不加热');
    const cp = await openConsole(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!, 'API 密钥');
    await page.goto(consoleUrl(pt, `/cases/${exchange}`));
    const form = page.getByTestId('outgoing-check-failure-form');
    await form.getByRole('heading', { name: '出库检查未通过' }).waitFor(WAIT);
    await form.getByLabel('核查人').fill('packer-2');
    // Nothing ticked: said in the form, nothing sent.
    await form.getByRole('button', { name: '登记未通过' }).click();
    await form.getByText('请至少勾选一项未通过的检查。').waitFor(WAIT);
    await form.getByLabel('功能正常').check();
    await form.getByLabel('问题描述').fill('通电不加热');
    await form.getByRole('button', { name: '登记未通过' }).click();
    await page.getByText('已登记未通过：请换一件再检查。').waitFor(WAIT);
    const first = await pt.untilStep(exchange, pt.keys.AGENT!, 'OUTGOING_CHECK_FAILED');
    expect(first).toMatchObject({ actor: 'warehouse:packer-2', data: { failed: ['working'], note: '通电不加热', noGoodStock: false } });
    // The timeline says it in words, the failed check by its name.
    await page.getByText('未通过项').first().waitFor(WAIT);
    await page.getByText('出库检验并打包').first().waitFor(WAIT);
    expect(await page.locator('main').innerText()).toMatch(/未通过项[：:\s]*功能正常/);

    await form.getByLabel('功能正常').check();
    await form.getByLabel('问题描述').fill('库存另两台同批次同样故障');
    await form.getByLabel('库存中没有其他合格的商品（由客服与顾客商定退款或等待补货）').check();
    await form.getByRole('button', { name: '登记未通过' }).click();
    // The case has gone to an agent: the warehouse's forms leave the page, which shows the new stage.
    await form.waitFor({ state: 'detached', ...WAIT });
    await page.getByTestId('case-stage').getByText('待客服处理').waitFor(WAIT);
    expect(await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_AGENT')).toMatchObject({ escalated: true });
    await photograph(page, 'warehouse-5-outgoing-check-failed');
    await cp.context.close();

    // The agent's screen offers what this wait takes, in its own words; the customer took a refund.
    const agent = await openConsole(browser, { locale: 'zh-CN', viewport: { width: 1366, height: 900 } });
    await signIn(agent, pt, pt.keys.AGENT!, 'API 密钥');
    await agent.page.goto(consoleUrl(pt, `/cases/${exchange}`));
    const resolution = agent.page.getByTestId('resolution-form');
    await resolution.waitFor(WAIT);
    const offered = (await resolution.locator('#r-action option:not([disabled])').allInnerTexts()).map((o) => o.trim());
    expect(offered).toEqual(['改为退款（顾客已同意）', '等待补货（仓库到货后重新检查）', '不退款，结案']);
    await resolution.locator('#r-action').selectOption({ label: '改为退款（顾客已同意）' });
    await resolution.getByRole('button').click();
    // An urgent exchange was to ship first: the kettle comes back before the refund.
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.untilStep(exchange, pt.keys.AGENT!, 'AGENT_RESOLVED')).data).toMatchObject({ action: 'REFUND_REQUESTED' });
    await agent.context.close();
  });

  it('a replacement sent under a mistyped number is corrected from its case page while it is followed: the page then names the right one', async () => {
    const exchange = await kettleAtOutgoingCheck('FIX', 'Kettle', 'en', 'does not heat');
    expect((await pt.call('POST', `/v1/cases/${exchange}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, serialNumbers: ['SN-FIX1'] })).status).toBe(200);
    await pt.until(exchange, pt.keys.AGENT!, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${exchange}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFCONSOLEFIX0O1' })).status).toBe(200);
    await pt.until(exchange, pt.keys.AGENT!, 'SHIPPED');
    // The customer called: the number they were given finds nothing. Their agent corrects it.
    const cp = await openConsole(browser, { viewport: { width: 1366, height: 900 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${exchange}`));
    const form = page.getByTestId('parcel-correction-form');
    await form.getByRole('heading', { name: 'Wrong tracking number?' }).waitFor(WAIT);
    await form.getByText('The case follows SF SFCONSOLEFIX0O1.', { exact: false }).waitFor(WAIT);
    await form.getByLabel('Tracking number').fill('SFCONSOLEFIX001');
    await form.getByRole('button', { name: 'Correct the number' }).click();
    await page.getByText('Corrected: the case follows the new number.').waitFor(WAIT);
    expect(await pt.untilStep(exchange, pt.keys.AGENT!, 'FOLLOWED_PARCEL_CORRECTED')).toMatchObject({ actor: expect.stringMatching(/^agent:/), data: { outboundTracking: 'SFCONSOLEFIX001', previousOutboundTracking: 'SFCONSOLEFIX0O1' } });
    // The page read again: the form corrects the number followed now.
    await form.getByText('The case follows SF SFCONSOLEFIX001.', { exact: false }).waitFor(WAIT);
    await cp.context.close();
  });

  it('inspects a wrong item sent back by the goods the warehouse found (not in the order, so not in its request)', async () => {
    const opened = await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer: { id: 'cust-wh-w', locale: 'en' }, order: mugAndTeaOrder('SO-CONSOLE-WH-W', Date.now(), 1), orderedSku: 'TEA', arrivedBarcode: '6900000000999', barcodes: { TEA: '6900000000001' } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const wrong = opened.body.caseId as string;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-wh-w' })).body.token;
    await pt.until(wrong, pt.keys.WAREHOUSE!, 'AWAITING_VERIFICATION');
    const findings = { by: 'clerk', shortShipped: [{ sku: 'TEA', quantity: 1 }], overShipped: [{ sku: 'SHIRT-L', name: 'Shirt, L', quantity: 1, unitPriceMinor: 9_900, unitCostMinor: 3_000 }], returnShippingCostMinor: 1_000 };
    expect((await pt.call('POST', `/v1/cases/${wrong}/wrong-item-findings`, pt.keys.WAREHOUSE, findings)).status).toBe(200);
    await pt.until(wrong, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${wrong}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
    await pt.until(wrong, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${wrong}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFCONSOLEW001' })).status).toBe(200);
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFCONSOLEW001', scannedBy: 'dock' })).status).toBe(202);
    await pt.until(wrong, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.goto(consoleUrl(pt, `/cases/${wrong}`));
    const form = page.getByTestId('inspection-form');
    await form.getByLabel('Inspected by').fill('insp-w');
    await form.getByLabel('Received of SHIRT-L').fill('1');
    await form.getByLabel('Condition of SHIRT-L').selectOption('OK');
    await form.getByRole('button', { name: 'Report the inspection' }).click();
    expect((await pt.untilStep(wrong, pt.keys.AGENT!, 'INSPECTED')).data).toMatchObject({ lines: [expect.objectContaining({ sku: 'SHIRT-L', receivedQuantity: 1, condition: 'OK' })] });
    await cp.context.close();
  });

  it('an outgoing check says whether the unit was cleaned, or that it needs none: a kettle left unticked does not go out', async () => {
    const exchange = await kettleAtOutgoingCheck('C', 'Kettle', 'en', 'does not heat');
    const cp = await openConsole(browser, { viewport: { width: 1366, height: 900 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.goto(consoleUrl(pt, `/cases/${exchange}`));
    const form = page.getByTestId('outgoing-check-form');
    await form.getByLabel('Checked by').fill('packer-c');
    for (const check of ['Undamaged', 'Working', 'In a condition to be sold', 'Invoice enclosed', 'Warranty card enclosed']) await form.getByLabel(check, { exact: true }).check();
    // Neither cleaned nor said to need none: said in the form, nothing sent.
    await form.getByRole('button', { name: 'Report the check' }).click();
    await form.getByText('The goods go out only when undamaged, working, sellable, cleaned, with invoice and warranty card.').waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${exchange}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_OUTGOING_CHECK');
    await form.getByLabel('Cleaned', { exact: true }).check();
    await form.getByRole('button', { name: 'Report the check' }).click();
    expect((await pt.untilStep(exchange, pt.keys.AGENT!, 'OUTGOING_CHECKED')).data).toMatchObject({ cleaned: true });
    await cp.context.close();
  });

  it("a missing-items check sent with no record at all only when the clerk says none can be checked", async () => {
    const order = { orderId: 'SO-CONSOLE-WH-M', currency: 'CNY', items: [{ sku: 'CLIP', name: '发夹', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 }, { sku: 'KETTLE', name: '电水壶', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 800, paidTotalMinor: 25_300, shippedAt: Date.now() - 3 * 86_400_000, deliveredAt: Date.now() - 86_400_000 };
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer: { id: 'cust-wh-m', locale: 'en' }, order, missing: [{ sku: 'KETTLE', quantity: 1 }], evidenceUrls: ['https://evidence.example.com/opened.jpg'] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const missing = opened.body.caseId as string;
    await pt.until(missing, pt.keys.WAREHOUSE!, 'AWAITING_WAREHOUSE_CHECK');
    const cp = await openConsole(browser, { viewport: { width: 1366, height: 900 } });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.WAREHOUSE!);
    await page.goto(consoleUrl(pt, `/cases/${missing}`));
    const form = page.getByTestId('warehouse-check-form');
    await form.getByLabel('Checked by').fill('dock-7');
    await form.getByRole('button', { name: 'Report the check' }).click();
    await form.getByText('Enter at least one record, or tick that none can be checked.').waitFor(WAIT);
    expect((await pt.call('GET', `/v1/cases/${missing}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_WAREHOUSE_CHECK');
    // A waybill weight with unit weights missing: said before it is sent that the scale cannot decide without them.
    const needs = form.getByTestId('weighing-needs');
    expect(await needs.innerText()).toBe('');
    await form.getByLabel('Waybill weight (g)', { exact: false }).fill('2600');
    await needs.getByText('without the unit weight of CLIP, KETTLE the weighing cannot decide', { exact: false }).waitFor(WAIT);
    await form.getByLabel('Unit weight of CLIP in grams').fill('20');
    await form.getByLabel('Unit weight of KETTLE in grams').fill('1500');
    await expect.poll(() => needs.innerText(), WAIT).toBe('');
    await form.getByLabel('Waybill weight (g)', { exact: false }).fill('');
    await form.getByLabel('Outbound record of KETTLE').fill('0');
    await form.getByRole('button', { name: 'Report the check' }).click();
    const checked = await pt.untilStep(missing, pt.keys.AGENT!, 'WAREHOUSE_CHECKED');
    expect(checked).toMatchObject({ actor: 'warehouse:dock-7', data: { verdict: 'CONFIRMED_SHORT' } });
    await cp.context.close();
  });
});
