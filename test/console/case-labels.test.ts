/**
 * Every value of a case page in words of the reader's language, for case types whose steps and
 * decisions carry values of their own: a complaint (channel, category, priority), an exchange
 * (price difference, which ships first; its return's number corrected on the way), a missing-items claim (its three checks, each with its
 * reason and per-SKU figures), a wrong item's root cause (its names in both languages) and a
 * return an agent approved above the policy's limit. In Chinese no code, field or reason falls
 * back to English (the console records every fallback in window.__consoleUnlabelled), and the
 * checks' per-SKU figures are labelled, not bare tuples.
 *
 * A Chinese-speaking agent still met English on these pages (trial B): a return outside the
 * no-reason window said "more than 7 days since delivery", an assignment "Assignee id", a resolved
 * complaint "Plan / Priority / Shop at fault", the refund of an inspected return "Excluded …
 * (Damaged by customer) / Goods / Capped / Shipping / Scanned before shipment / Scanned at" and its
 * document "类型: Goods / Shipping", an exchange "Replacement sku", a refund after shipping
 * "Intercept id". Each such case is opened here and walked to that step, and the documents panel
 * is read as well as the timeline.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { mugAndTeaOrder } from '../support/orders.js';
import { PATIENCE_MS } from '../support/wait.js';
import { browserAvailable, consoleUrl, launch, openConsole, photograph, signIn, visibleCodes, WAIT } from './console-browser.js';

const pt = usePlatform();
const run = browserAvailable() ? describe : describe.skip;
const cases: Record<string, string> = {};
const order = (suffix: string) => ({ orderId: `lbl-${suffix}`, currency: 'CNY', items: [{ sku: 'TEA-07', name: '龙井茶 100g', quantity: 2, unitPriceMinor: 1_500, unitCostMinor: 600 }], shippingFeeMinor: 0, paidTotalMinor: 3_000, shippedAt: Date.now() - 4 * 86_400_000, deliveredAt: Date.now() - 86_400_000 });
const customer = { id: 'cust-lbl', locale: 'zh-CN' };
const ok = (status: number, what: string) => expect(status, what).toBeLessThan(300);
/** The mug-and-tea order with its goods named in Chinese (the Latin names would be words on the page). */
const mugAndTea = (id: string, deliveredDaysAgo: number) => {
  const o = mugAndTeaOrder(id, Date.now(), deliveredDaysAgo);
  return { ...o, items: o.items.map((i) => ({ ...i, name: i.sku === 'MUG' ? '马克杯' : '红茶' })) };
};
let browser: Browser;

const unlabelled = (page: Page) => page.evaluate(() => (window as unknown as { __consoleUnlabelled?: string[] }).__consoleUnlabelled ?? []);

run('the values on case pages, in Chinese', () => {
  beforeAll(async () => {
    ok((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { autoApproveReturnMaxAmountMinor: 5000 } })).status, 'policy');
    // Above the limit (an agent approves it), the mugs the shop's fault (shipping refunded), the tea damaged by the customer (not refunded).
    const r = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer, order: mugAndTea('lbl-r', 1), lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }, { sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] });
    ok(r.status, 'return');
    cases.return = r.body.caseId;
    // Delivered 12 days ago: outside the 7-day no-reason window, for an agent ("more than 7 days since delivery"); assigned by name.
    const late = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer, order: mugAndTea('lbl-late', 12), lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] });
    ok(late.status, 'late return');
    cases.lateReturn = late.body.caseId;
    const ras = await pt.call('POST', '/v1/refunds-after-shipping', pt.keys.STOREFRONT, { customer, order: { ...order('ras'), deliveredAt: undefined }, reason: '重复下单，请拦截退回', shipment: { carrier: 'SF', trackingNumber: 'SFLBLRAS1' } });
    ok(ras.status, 'refund after shipping');
    cases.refundAfterShipping = ras.body.caseId;
    const mi = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer, order: order('mi'), missing: [{ sku: 'TEA-07', quantity: 1 }] });
    ok(mi.status, 'missing');
    cases.missing = mi.body.caseId;
    const wi = await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer, order: order('wi'), orderedSku: 'TEA-07', arrivedBarcode: '6901', barcodes: { 'TEA-07': '6901' } });
    ok(wi.status, 'wrong item');
    cases.wrong = wi.body.caseId;
    const cp = await pt.call('POST', '/v1/complaints', pt.keys.AGENT, { customer, order: order('cp'), category: 'SERVICE_ATTITUDE', description: '客服态度差', channel: 'PHONE' });
    ok(cp.status, 'complaint');
    cases.complaint = cp.body.caseId;
    const ex = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer, order: order('ex'), kind: 'EXCHANGE', lines: [{ sku: 'TEA-07', quantity: 1, replacementSku: 'TEA-08', replacementUnitPriceMinor: 1_500, replacementUnitCostMinor: 600 }], reason: '偏小' });
    ok(ex.status, 'exchange');
    cases.exchange = ex.body.caseId;

    await pt.until(cases.return!, pt.keys.AGENT!, 'AWAITING_DECISION');
    ok((await pt.call('POST', `/v1/cases/${cases.return}/proposals`, pt.keys.AGENT, { decision: 'APPROVE' })).status, 'approve');
    // Scanned in by its return code before the customer entered a shipment, then inspected.
    await pt.until(cases.return!, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    ok((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: cases.return, scannedBy: 'dock' })).status, 'scan');
    await pt.until(cases.return!, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    ok((await pt.call('POST', `/v1/cases/${cases.return}/inspection`, pt.keys.WAREHOUSE, { by: 'qc', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }, { sku: 'TEA', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }] })).status, 'inspection');
    await pt.until(cases.lateReturn!, pt.keys.AGENT!, 'AWAITING_DECISION');
    // To one of the merchant's agents (the API takes no other id), named in Chinese as the key's label.
    const zhangsan = await pt.call('POST', '/v1/admin/keys', pt.keys.ADMIN, { role: 'AGENT', merchantId: 'demo-merchant', label: '张三' });
    ok(zhangsan.status, 'agent key');
    ok((await pt.call('POST', `/v1/cases/${cases.lateReturn}/assignment`, pt.keys.AGENT, { agentId: zhangsan.body.id })).status, 'assign');
    await pt.until(cases.complaint!, pt.keys.AGENT!, 'AWAITING_RESOLUTION');
    ok((await pt.call('POST', `/v1/cases/${cases.complaint}/complaint-resolution`, pt.keys.AGENT, { plan: '致电道歉并赠送优惠券', cause: '客服用语不当', improvement: '客服话术培训', shopAtFault: true })).status, 'complaint resolution');
    await pt.until(cases.refundAfterShipping!, pt.keys.AGENT!, 'AWAITING_INTERCEPTED_PARCEL');
    await pt.until(cases.missing!, pt.keys.AGENT!, 'AWAITING_WAREHOUSE_CHECK');
    ok((await pt.call('POST', `/v1/cases/${cases.missing}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk', stockCount: [{ sku: 'TEA-07', systemQuantity: 10, countedQuantity: 11 }], unitWeightsGrams: { 'TEA-07': 120 } })).status, 'check');
    await pt.until(cases.wrong!, pt.keys.AGENT!, 'CLOSED');
    ok((await pt.call('POST', `/v1/cases/${cases.wrong}/root-cause`, pt.keys.AGENT, { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: '拣货员 周强', improvement: '出库前逐件扫码', warehouse: 'HZ-1', sku: 'TEA-07', carrier: 'SF' })).status, 'root cause');
    // The wrong item comes back after all, once the case closed: held, then sent back to the customer (the timeline's parcel steps).
    const held = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: cases.wrong, trackingNumber: 'SFLBLWI9', scannedBy: 'dock' });
    ok(held.status, 'held');
    expect(held.body.held?.heldParcelId, 'held parcel').toBeTruthy();
    ok((await pt.call('POST', `/v1/warehouse/held-parcels/${held.body.held.heldParcelId}/sent-back`, pt.keys.WAREHOUSE, { by: 'dock', trackingNumber: 'SFLBLWI10' })).status, 'sent back');
    await pt.until(cases.exchange!, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    // The customer sends the goods back under a mistyped number, and corrects it on the way (previous carrier and number on the step).
    ok((await pt.call('POST', `/v1/cases/${cases.exchange}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: 'SFLBLEX0' })).status, 'exchange return');
    await pt.until(cases.exchange!, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    ok((await pt.call('POST', `/v1/cases/${cases.exchange}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: 'SFLBLEX1' })).status, 'correction');
    await pt.untilStep(cases.exchange!, pt.keys.AGENT!, 'RETURN_SHIPMENT_CORRECTED');
    await pt.until(cases.return!, pt.keys.AGENT!, 'RESOLVED');
    await pt.until(cases.complaint!, pt.keys.AGENT!, 'RESOLVED');
    browser = await launch();
  }, 2 * PATIENCE_MS);

  afterAll(async () => {
    await browser?.close();
  });

  it('names every field, code and reason of the timeline in Chinese, and labels the figures inside a decision', async () => {
    const cp = await openConsole(browser, { locale: 'zh-CN' });
    const { page } = cp;
    await signIn(cp, pt, pt.keys.SUPERVISOR!, 'API 密钥');
    const found: Record<string, unknown> = {};
    // Staff are named as their keys are labelled (GET /v1/agents), and to a supervisor a storefront's
    // key too (GET /v1/admin/keys): names, whatever their language.
    const staffNames = ((await pt.call('GET', '/v1/agents', pt.keys.SUPERVISOR)).body.items as Array<{ label: string }>).map((a) => a.label);
    staffNames.push(...((await pt.call('GET', '/v1/admin/keys?all=true', pt.keys.SUPERVISOR)).body.items as Array<{ label: string }>).map((k) => k.label));
    for (const [kind, caseId] of Object.entries(cases)) {
      await page.goto(consoleUrl(pt, `/cases/${caseId}`));
      const timeline = page.getByTestId('timeline');
      await timeline.waitFor(WAIT);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid="timeline"] li').length > 1, undefined, WAIT);
      // The refunded return's documents too (their lines' kinds and reasons).
      if (kind === 'return') await page.getByTestId('documents').waitFor(WAIT);
      const documents = (await page.getByTestId('documents').count()) ? await page.getByTestId('documents').innerText() : '';
      const text = `${await timeline.innerText()}\n${documents}`;
      const fallbacks = await unlabelled(page);
      const codes = await visibleCodes(page);
      // Words, not identifiers and ids (the customer's: cust-lbl), in Latin letters: none left on a Chinese timeline.
      // (A key's or a case's id is not a word: a UUID's group of four hex letters — "…-bafa-…" — read as one, now and then.)
      const words = text.replace(/\b[0-9a-f]{8}(?:-[0-9a-f]{4}){3}-[0-9a-f]{12}\b/gi, ' ').replace(/\b(?=[0-9a-f]*\d)[0-9a-f]{8,}\b/gi, ' ');
      const english = (words.match(/\b[A-Za-z]{3,}(?: [A-Za-z]{2,})*\b/g) ?? []).filter((w) => !/^(clerk|dock|lbl|cust|SKU|TEA|MUG|CNY|UTC|GMT)$/.test(w) && !staffNames.includes(w));
      if (fallbacks.length || codes.length || english.length) found[kind] = { fallbacks, codes, english };
      await photograph(page, `case-labels-${kind}-zh`);
    }
    expect(found, 'English or codes on a Chinese case page').toEqual({});
    // The reason of a return outside the window, with its figure, and the refund's breakdown: in words.
    await page.goto(consoleUrl(pt, `/cases/${cases.lateReturn}`));
    await page.getByTestId('timeline').getByText('签收已超过 7 天').first().waitFor(WAIT);
    await page.goto(consoleUrl(pt, `/cases/${cases.return}`));
    await page.getByTestId('timeline').getByText(/TEA × 1 \(顾客损坏\)/).first().waitFor(WAIT);
    // A refund's goods line says what it paid for in words, without a "类型:" label (describeLine).
    await page.getByTestId('documents').getByText(/× \d+ \(商品/).first().waitFor(WAIT);
    // The stock check's per-SKU figures: each with its name.
    await page.goto(consoleUrl(pt, `/cases/${cases.missing}`));
    await page.getByTestId('timeline').getByText(/库存盘点: 依据: 盘点数与系统库存对比.*TEA-07 \(结果: 少货, 申请数量: 1, 货架多出数量: 1\)/).first().waitFor(WAIT);
    // The root cause's names: the reader's only.
    await page.goto(consoleUrl(pt, `/cases/${cases.wrong}`));
    await page.getByTestId('timeline').getByText('发货人员选错商品').first().waitFor(WAIT);
    await page.getByLabel('语言').selectOption('en');
    await page.getByTestId('timeline').getByText('Shipper chose the wrong goods').first().waitFor(WAIT);
    expect(await page.getByTestId('timeline').innerText()).not.toContain('发货人员选错商品');
    await cp.context.close();
  });
});
