/**
 * What a trial of an agent and a supervisor using the console, in English and Chinese, found:
 * - "Why escalated: Escalated": an escalation's own words are its reason, not its step's name; a
 *   person who gave none is said to have given none;
 * - a closed case offered the complaint form under "only notes can be added";
 * - "most urgent first" did not say how it orders (cases owed a solution before a late one);
 * - the solution deadline's explanation read badly (brackets in a row) and, in Chinese, in the
 *   reader's zone where English spoke of the shop's;
 * - a refund before shipping showed "—" on each line of the order it refunds whole;
 * - a storefront's steps named its key by an id fragment where the API names the key;
 * - an empty box "refunded as received" paid nothing and told the customer nothing: the form asks
 *   for words for the customer first, in the agent's language (the API refuses it without them).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;

let browser: Browser;

/** A return of an order not delivered yet: the policy cannot decide, it waits for an agent's decision. */
async function undecidedReturn(orderId: string): Promise<string> {
  const order = { ...mugAndTeaOrder(orderId, Date.now(), 0), deliveredAt: undefined };
  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: `cust-${orderId}`, locale: 'en' }, order, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
  expect(opened.status, JSON.stringify(opened.body)).toBe(201);
  const caseId = opened.body.caseId as string;
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DECISION');
  return caseId;
}

run('what the trial found', () => {
  beforeAll(async () => {
    browser = await launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
  });

  it('an escalation says its reason, or that none was given, in both languages', async () => {
    const caseId = await undecidedReturn('SO-TRIAL-ESC');
    expect((await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: 'The customer threatens a chargeback' })).status).toBe(202);
    await pt.untilStep(caseId, pt.keys.AGENT!, 'ESCALATED');
    // A step written without a reason (an older escalation): said in words, not left blank or named by its kind.
    await pt.db.caseEvent.create({ data: { caseId, stepKey: 'trial-no-reason', kind: 'ESCALATED', actor: 'agent:k-old', data: {} } });
    const cp = await openConsole(browser, { timezoneId: 'UTC' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const why = page.getByTestId('escalation');
    await why.waitFor(WAIT);
    const text = await why.innerText();
    expect(text.replace(/\s+/g, ' ')).toMatch(/^Why escalated: “The customer threatens a chargeback”/);
    expect(text).not.toMatch(/Why escalated:\s*Escalated/);
    expect(text).toContain('no reason given');
    await photograph(page, 'trial-1-escalation-reasons');
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(() => why.innerText(), WAIT).toContain('未说明理由');
    expect(await why.innerText()).toContain('“The customer threatens a chargeback”');
    await cp.context.close();
  });

  it('a closed case offers what can be done on it, and says just that', async () => {
    const caseId = await undecidedReturn('SO-TRIAL-CLOSED');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposals`, pt.keys.AGENT, { decision: 'REJECT', reason: 'Not delivered yet' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'CLOSED');
    for (const [locale, lang] of [['en-US', 'en'], ['zh-CN', 'zh-CN']] as const) {
      const cp = await openConsole(browser, { locale });
      const { page } = cp;
      await signIn(cp, pt, pt.keys.AGENT!);
      await page.goto(consoleUrl(pt, `/cases/${caseId}`));
      const said = page.getByTestId('no-actions');
      await said.waitFor(WAIT);
      // The words name every form offered below them, and no form is offered they do not name.
      const forms = await page.locator('section.actions form').evaluateAll((fs) => fs.map((f) => f.getAttribute('data-testid')));
      const words = await said.innerText();
      if (forms.includes('complaint-form')) expect(words, lang).toMatch(/complaint|投诉/);
      else expect(words, lang).not.toMatch(/complaint|投诉/);
      expect(forms, lang).toContain('note-form');
      await photograph(page, `trial-2-closed-case-${lang}`);
      await cp.context.close();
    }
  });

  it('the queue says how "most urgent first" orders the cases, in both languages', async () => {
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    const note = page.getByTestId('queue-order-note');
    await note.waitFor(WAIT);
    const en = await note.innerText();
    // The API's order (db/case-queue.ts): owed a solution first, then late ones, then the nearest deadline.
    expect(en).toMatch(/solution/);
    expect(en).toMatch(/late/);
    expect(en).toMatch(/deadline/);
    expect(en.indexOf('solution')).toBeLessThan(en.indexOf('late'));
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(() => note.innerText(), WAIT).toMatch(/解决方案.*超时.*截止/);
    // Newest first says nothing of urgency.
    await page.getByLabel('排序').selectOption('newest');
    await expect.poll(() => note.count(), WAIT).toBe(0);
    await cp.context.close();
  });

  it("the solution deadline is said in one sentence, its times in the shop's zone, in both languages", async () => {
    const caseId = await undecidedReturn('SO-TRIAL-DUE');
    const cp = await openConsole(browser, { timezoneId: 'UTC' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const explained = page.getByTestId('deadline-explanation');
    await explained.waitFor(WAIT);
    const en = await explained.innerText();
    expect(en).not.toMatch(/\)\s*\(/);
    expect(en.match(/\./g)?.length ?? 0, en).toBeLessThanOrEqual(1 + (en.match(/\d\.\d/g)?.length ?? 0));
    expect(en).not.toContain('UTC');
    expect(en).toMatch(/GMT\+8|Beijing|Asia\/Shanghai/);
    await page.getByLabel('Language').selectOption('zh-CN');
    await expect.poll(() => explained.innerText(), WAIT).toMatch(/[\u4e00-\u9fff]/);
    const zh = await explained.innerText();
    expect(zh).not.toContain('UTC');
    expect(zh).toContain('北京时间');
    expect(zh.match(/。/g)?.length, zh).toBe(1);
    await photograph(page, 'trial-3-deadline');
    await cp.context.close();
  });

  it('a refund before shipping shows each line of the order it refunds', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'SO-TRIAL-RBS', status: 'NOT_PICKED' });
    const order = { orderId: 'SO-TRIAL-RBS', currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }, { sku: 'CUP', name: 'Cup', quantity: 1, unitPriceMinor: 1500, unitCostMinor: 500 }], shippingFeeMinor: 800, paidTotalMinor: 12_300 };
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-trial-rbs', locale: 'zh-CN' }, order, reason: 'NO_LONGER_WANTED' });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.AGENT!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const cells = page.getByTestId('order-line-requested');
    await cells.first().waitFor(WAIT);
    expect((await cells.allInnerTexts()).map((s) => s.trim().split('\n')[0])).toEqual(['2 of 2', '1 of 1']);
    await cp.context.close();
  });

  it('a refund of nothing asks for words for the customer before it is sent, in both languages', async () => {
    const order = { orderId: 'SO-TRIAL-EMPTY', currency: 'CNY', items: [{ sku: 'VASE', name: '花瓶', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 }], shippingFeeMinor: 0, paidTotalMinor: 25_000 };
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, { customer: { id: 'cust-trial-empty', locale: 'zh-CN' }, order, customerHandle: 'tb_empty', lines: [{ sku: 'VASE', quantity: 1 }], degree: 'SEVERE', photoUrls: ['https://evidence.example.com/empty.jpg'], shipment: { carrier: 'SF', trackingNumber: 'SFTRIALEMPTY1', shippedAt: Date.now() - 3 * 86_400_000 } });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: false })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: 'SFTRIALEMPTYBACK' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFTRIALEMPTYBACK', scannedBy: 'dock' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }] })).status).toBe(200);
    expect((await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_AGENT')).agentRefunds).toEqual({ REFUND_RECEIVED: 0, REFUND_REQUESTED: 25_000 });
    for (const [locale, words] of [['en-US', 'ends without a refund'], ['zh-CN', '退款金额为 0']] as const) {
      const cp = await openConsole(browser, { locale });
      const { page } = cp;
      await signIn(cp, pt, pt.keys.AGENT!);
      await page.goto(consoleUrl(pt, `/cases/${caseId}`));
      const form = page.getByTestId('resolution-form');
      await form.waitFor(WAIT);
      await form.locator('#r-action').selectOption('REFUND_RECEIVED');
      await form.locator('button[type="submit"]').click();
      await expect.poll(() => form.locator('#r-customer-error').innerText().catch(() => ''), WAIT).toContain(words);
      await photograph(page, `trial-refund-nothing-${locale}`);
      await cp.context.close();
    }
    // Nothing was sent: the case still waits for the agent.
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_AGENT');
  });

  it("a storefront's step names its key by the key's label where the API gives it", async () => {
    const caseId = await undecidedReturn('SO-TRIAL-ACTOR');
    const keys = (await pt.call('GET', '/v1/admin/keys?all=true', pt.keys.SUPERVISOR)).body.items as Array<{ id: string; role: string; label: string }>;
    const opening = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body.timeline.find((e: { kind: string }) => e.kind === 'OPENED') as { actor: string };
    const storefront = keys.find((k) => opening.actor === `storefront:${k.id}`);
    expect(storefront, opening.actor).toBeDefined();
    const cp = await openConsole(browser);
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!);
    await page.goto(consoleUrl(pt, `/cases/${caseId}`));
    const opened = page.getByTestId('timeline').locator('li[data-kind="OPENED"]');
    await opened.waitFor(WAIT);
    await expect.poll(() => opened.innerText(), WAIT).toContain(`Storefront ${storefront!.label}`);
    await cp.context.close();
  });
});
