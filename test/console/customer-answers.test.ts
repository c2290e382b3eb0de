/**
 * An agent enters what the customer said on the phone, from the case page: the return parcel and its
 * corrected number, the answer to a changed proposal, the revisit score (回访). Each form says that
 * the timeline will name the agent, and the timeline does ("You").
 */
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

async function openReturn(orderId: string, delivered: boolean): Promise<string> {
  const order = { ...mugAndTeaOrder(orderId, Date.now(), 1), ...(delivered ? {} : { deliveredAt: undefined }) };
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: `cust-${orderId}`, locale: 'zh-CN' }, order, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  return opened.body.caseId as string;
}

const step = (page: Page, kind: string) => page.getByTestId('timeline').locator(`li[data-kind="${kind}"]`);

/**
 * Sends the form and waits for the API to take it (the form says so) and the case to record the step;
 * then the page, reloaded, names the agent (live updates are tested elsewhere: here the timeline's words).
 */
async function recorded(page: Page, form: Locator, caseId: string, kind: string, { closes = false } = {}): Promise<void> {
  await form.getByRole('button', { name: /^Record the / }).click();
  // A form that closes the case goes with the case's last stage, its message with it.
  if (!closes) await form.getByTestId('form-ok').getByText('Recorded for the customer.').waitFor(WAIT);
  await pt.untilStep(caseId, pt.keys.AGENT!, kind);
  await page.reload();
  await step(page, kind).getByText('You').waitFor(WAIT);
}

run("the customer's answers, entered by an agent", () => {
  beforeAll(async () => {
    // The revisit right after the resolution, so a case reaches it without moving the clock.
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { revisitAfterDays: 0 } })).status).toBeLessThan(300);
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('the return parcel, its corrected number and the revisit score, as the customer said them on the phone', async () => {
    const caseId = await openReturn('SO-PHONE-RET', true);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const parcel = page.getByTestId('return-parcel-form');
    await parcel.getByRole('heading', { name: 'Return parcel, as the customer gave it' }).waitFor(WAIT);
    await parcel.getByText('the timeline names you as who entered it').waitFor(WAIT);
    // The carrier as the customer said it: a known carrier's name is stored as its code.
    await parcel.getByText('Its code (SF, YTO, ZTO …) or the name of a carrier in the list').waitFor(WAIT);
    await parcel.getByLabel('Carrier').fill('顺丰');
    await parcel.getByLabel('Tracking number').fill('SF7700000001');
    await recorded(page, parcel, caseId, 'RETURN_SHIPPED');
    const shipped = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.find((e: { kind: string }) => e.kind === 'RETURN_SHIPPED');
    expect(shipped.data).toMatchObject({ carrier: 'SF', trackingNumber: 'SF7700000001' });
    // At the arrival wait the same form corrects the number.
    await parcel.getByRole('heading', { name: 'Correct the return parcel (the customer gave another number)' }).waitFor(WAIT);
    await parcel.getByLabel('Carrier').fill('SF');
    await parcel.getByLabel('Tracking number').fill('SF7700000002');
    await recorded(page, parcel, caseId, 'RETURN_SHIPMENT_CORRECTED');

    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SF7700000002', scannedBy: 'dock-1' })).status).toBe(202);
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    const revisit = page.getByTestId('revisit-answer-form');
    await revisit.waitFor(WAIT);
    await revisit.getByLabel('Score').selectOption({ label: '5 — very satisfied' });
    await revisit.getByLabel('What the customer said (optional)').fill('电话回访：很满意');
    await recorded(page, revisit, caseId, 'CLOSED_SATISFIED', { closes: true });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body).toMatchObject({ status: 'CLOSED', satisfaction: 5 });
    await photograph(page, 'customer-answers-1-return');
    await cp.context.close();
  });

  it("the customer's answer to a changed proposal", async () => {
    const caseId = await openReturn('SO-PHONE-CONSENT', false);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DECISION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.SUPERVISOR, { decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }] })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_CUSTOMER_CONSENT');
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('consent-answer-form');
    await form.getByRole('heading', { name: '顾客对方案的答复' }).waitFor(WAIT);
    // Checked in the form: an answer must be chosen.
    await form.getByRole('button', { name: '记录答复' }).click();
    await form.locator('#ca-answer-error').waitFor(WAIT);
    await form.getByLabel('顾客', { exact: true }).selectOption({ label: '接受方案' });
    await form.getByRole('button', { name: '记录答复' }).click();
    await page.getByTestId('return-parcel-form').waitFor(WAIT);
    expect(await step(page, 'CONSENT_ANSWERED').innerText()).toContain('您');
    await cp.context.close();
  });

  it('the customer takes a complaint back on the phone: the agent withdraws it for them, where the case says it takes that', async () => {
    const order = mugAndTeaOrder('SO-PHONE-WD', Date.now(), 1);
    const opened = await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, { customer: { id: 'cust-SO-PHONE-WD', locale: 'zh-CN' }, order, category: 'LOGISTICS', description: '快递员态度差' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    expect(await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RESOLUTION')).toMatchObject({ withdrawable: true });
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!, 'API 密钥');
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const form = page.getByTestId('withdraw-form');
    await form.getByRole('heading', { name: '代客户撤销申请' }).waitFor(WAIT);
    await form.getByLabel('客户的说法').fill('客户来电：快递已经道歉，不投诉了');
    await form.getByRole('button', { name: '撤销申请' }).click();
    await pt.untilStep(caseId, pt.keys.AGENT!, 'WITHDRAWN');
    await page.reload();
    expect(await step(page, 'WITHDRAWN').innerText()).toContain('您');
    // Closed: nothing more to withdraw, and the form is gone.
    expect(await page.getByTestId('withdraw-form').count()).toBe(0);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ status: 'CLOSED', closeReason: 'WITHDRAWN', withdrawable: false });
    await cp.context.close();
  });
});
