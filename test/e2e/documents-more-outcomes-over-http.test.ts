/**
 * More of a case's documents by case type and outcome, over real HTTP (`GET /v1/cases/:caseId/documents`),
 * against the procedure comments of the workflows and the shop's document table
 * (domain/fulfilment/documents.ts; workflows/shipping.ts, money.ts):
 *
 *   - lost parcel, refunded (workflows/lost-parcel.ts): the refund of the goods and the shipping fee;
 *     the courier claim runs on its own and its recovery is booked when the carrier pays;
 *   - delivery delay by our fault (workflows/delivery-delay.ts): the compensation per day late, paid at once;
 *   - quality problem, repair (workflows/quality-problem.ts): the return note, the return-shipping
 *     expense note, the repair's expense note (parts and labour); a repair sends the same goods back,
 *     no new outbound;
 *   - quality problem, discount accepted: an expense note with purpose DISCOUNT, then the refund;
 *   - missing items, re-shipped (workflows/missing-items.ts, missingItemsDocuments): the outbound
 *     reversal (what never left, back in stock) and the re-shipment's outbound.
 *
 * Each case is driven through the API only; kinds, amounts and stock movements are read through the
 * route, and the stock is checked against the ledger in Postgres too.
 */
import { describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { waitUntil } from '../support/wait.js';
import { documentsHarness, kindOf, type Doc } from './documents-harness.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform({ COURIER_SECRETS: 'SF=sf-test-secret' });
const { documents, tokenOf, expectConsistent, sendBack } = documentsHarness(pt);
const DAY = 86_400_000;

// --- lost parcel ---
describe('a lost parcel: the documents', () => {
  it('lost in transit, refunded: the refund (goods and shipping fee), no stock moves; the claim recovery booked when the carrier pays', async () => {
    const order = { orderId: 'dmo-lost-1', currency: 'CNY', items: [{ sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 }], shippingFeeMinor: 1_000, paidTotalMinor: 26_000 };
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SFDMOLOST1' }, { at: Date.now() - DAY, code: 'EXCEPTION', description: 'parcel missing at the hub' }, 'EXCEPTION');
    const opened = await pt.call('POST', '/v1/lost-parcels', pt.keys.STOREFRONT, { customer: { id: 'cust-dmo-lost-1', locale: 'zh-CN' }, order, shipment: { carrier: 'SF', trackingNumber: 'SFDMOLOST1', shippedAt: Date.now() - 5 * DAY }, lines: [{ sku: 'LAMP', quantity: 1 }] });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-dmo-lost-1');
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH_CONFIRMATION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/dispatch-confirmation`, pt.keys.WAREHOUSE, { by: 'clerk', dispatched: true, trackingNo: 'SFDMOLOST1', proofUrls: ['https://evidence.example.com/handover.jpg'] })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'LOST_PARCEL', refundedAmountMinor: 26_000 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['REFUND']);
    const [refund] = staff.documents as [Doc];
    // The whole order was lost: the goods and the shipping fee; the goods never come back (no return note, no stock).
    expect(refund).toMatchObject({
      amountMinor: -26_000,
      currency: 'CNY',
      reference: expect.any(String),
      // Line by line, adding up to the refund: a finance trial could not see the shipping fee in it.
      lines: [
        { kind: 'GOODS', sku: 'LAMP', quantity: 1, unitPriceMinor: 25_000, amountMinor: 25_000 },
        { kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1_000, amountMinor: 1_000 },
      ],
      stock: [],
    });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([refund]);

    // The claim ran on its own; the carrier pays it in full by its signed callback: the recovery is booked on the case.
    const filed: { data: { claimId: string; claimedMinor: number } } = await pt.untilStep(caseId, pt.keys.AGENT!, 'CLAIM_FILED');
    expect(filed.data.claimedMinor).toBe(25_000);
    const raw = JSON.stringify({ status: 'PAID', paidMinor: filed.data.claimedMinor, at: Date.now() });
    const path = `/v1/couriers/SF/claims/${filed.data.claimId}/decision`;
    const decided = await pt.call('POST', path, undefined, raw, { 'x-signature': sign('sf-test-secret', raw, Math.floor(Date.now() / 1000), { method: 'POST', path }) });
    expect(decided).toMatchObject({ status: 202, body: { caseId } });
    const after = await waitUntil('the claim recovery among the case documents', async () => {
      const d = await documents(caseId);
      return d.documents.some((x) => x.kind === 'CLAIM_RECOVERY') ? d : undefined;
    });
    expect(after.documents.map(kindOf)).toEqual(['REFUND', 'CLAIM_RECOVERY']);
    expect(after.documents[1]).toMatchObject({ amountMinor: 25_000, currency: 'CNY', reference: filed.data.claimId, lines: [expect.objectContaining({ claimId: filed.data.claimId, carrier: 'SF', trackingNumber: 'SFDMOLOST1', claimedMinor: 25_000, paidMinor: 25_000 })], stock: [] });
    expect(after.stockNet).toEqual([]);
    await expectConsistent(caseId, after);
    // The customer sees the refund only, never the merchant's recovery.
    expect((await documents(caseId, token)).documents).toEqual([refund]);
  });
});

// --- delivery delay ---
describe('a delivery delay: the documents', () => {
  it('late by our fault: the compensation per day late, refunded at once; no stock moves', async () => {
    const order = { orderId: 'dmo-delay-1', currency: 'CNY', items: [{ sku: 'KETTLE', name: '水壶', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 }], shippingFeeMinor: 800, paidTotalMinor: 20_800 };
    const opened = await pt.call('POST', '/v1/delays', pt.keys.STOREFRONT, { customer: { id: 'cust-dmo-delay-1', locale: 'zh-CN' }, order, shipment: { carrier: 'ZTO', trackingNumber: 'ZTDMO01' }, etaAt: Date.now() - 36 * 3_600_000 });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-dmo-delay-1');
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_DELAY_CAUSE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/delay-cause`, pt.keys.AGENT, { cause: 'LATE_DISPATCH', note: 'picked a day late' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'FOLLOWING');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'ZTO', trackingNumber: 'ZTDMO01' });
    await pt.skip(86_400 + 60);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'DELAY', refundedAmountMinor: 1_000 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['REFUND']);
    const [refund] = staff.documents as [Doc];
    // Two days late at 500 a day (under the 2 000 cap).
    expect(refund).toMatchObject({ amountMinor: -1_000, currency: 'CNY', reference: expect.any(String), lines: [{ kind: 'COMPENSATION', daysLate: 2, amountMinor: 1_000 }], stock: [] });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([refund]);
  });
});

// --- quality problem ---
const blender = { currency: 'CNY', items: [{ sku: 'BLENDER', name: '搅拌机', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 14_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };

/** Opens a quality case and rules out misuse, up to the discount offer. */
async function qualityOffered(n: number) {
  const customerId = `cust-dmo-quality-${n}`;
  const opened = await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, { customer: { id: customerId, locale: 'zh-CN' }, order: { ...blender, orderId: `dmo-quality-${n}` }, lines: [{ sku: 'BLENDER', quantity: 1 }], description: '用一分钟就停', evidenceUrls: ['https://evidence.example.com/q.mp4'] });
  expect(opened.status).toBe(201);
  const { caseId } = opened.body;
  const token = await tokenOf(customerId);
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_MISUSE_CHECK');
  expect((await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, pt.keys.AGENT, { finding: 'NO_MISUSE', note: 'used as instructed' })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
  return { caseId: caseId as string, token };
}

/** The repair case of the test below, for the stock check that follows it. */
let repairedCaseId: string | undefined;

describe('a quality problem: more settlements', () => {
  it('discount accepted: an expense note with purpose DISCOUNT, then the refund of the discount; no stock moves', async () => {
    const { caseId, token } = await qualityOffered(1);
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: true })).status).toBe(200);
    // 10 % of 30 000, capped at 1 000.
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'QUALITY_PROBLEM', refundedAmountMinor: 1_000 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['EXPENSE_NOTE:DISCOUNT', 'REFUND']);
    const [note, refund] = staff.documents as [Doc, Doc];
    expect(note).toMatchObject({ amountMinor: 0, currency: 'CNY', reference: null, lines: [{ purpose: 'DISCOUNT', amountMinor: 1_000 }], stock: [] });
    expect(refund).toMatchObject({ amountMinor: -1_000, currency: 'CNY', reference: expect.any(String), lines: [{ kind: 'DISCOUNT', amountMinor: 1_000 }], stock: [] });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([refund]);
    // The discount documented by its expense note is one refund, counted once.
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 1_000, logisticsMinor: 0 });
  });

  it('repair (the shop repairs): the return note, the return-shipping expense note, the repair expense note; the same blender goes back, no new outbound', async () => {
    // This merchant has a repair department (004 §三.4): cases opened from now on offer a repair.
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { fulfilment: { hasRepairDepartment: true } })).status).toBeLessThan(300);
    const { caseId, token } = await qualityOffered(2);
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: false })).status).toBe(200);
    // The customer is offered the repair beside a refund and the goods again.
    expect((await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE')).offer).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP', 'REPAIR'] });
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REPAIR' })).status).toBe(200);
    await sendBack(caseId, token, 'SFDMOREP2', { by: 'inspector-3', lines: [{ sku: 'BLENDER', receivedQuantity: 1, condition: 'OK' }], returnShippingPaidMinor: 1_100 });
    // The repair is the warehouse's: on its task list, and the case waits on it.
    expect(await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_REPAIR')).toMatchObject({ status: 'WAITING_WAREHOUSE' });
    const tasks = (await pt.call('GET', '/v1/warehouse/tasks', pt.keys.WAREHOUSE)).body.items as Array<{ caseId: string; task: string }>;
    expect(tasks.find((t) => t.caseId === caseId)).toMatchObject({ task: 'REPAIR' });
    const parts = [{ partNo: 'MOTOR-7', name: '电机', quantity: 1, unitCostMinor: 3_000 }];
    // Whether the goods work again is a yes or a no: anything else names the field (400), and nothing is recorded.
    expect(await pt.call('POST', `/v1/cases/${caseId}/repair`, pt.keys.WAREHOUSE, { by: 'tech-1', sku: 'BLENDER', faultCause: 'motor burnt out', method: 'motor replaced', parts, labourCostMinor: 2_000, working: 'mostly' })).toMatchObject({ status: 400, body: { field: 'body.working' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.stage).toBe('AWAITING_REPAIR');
    expect((await pt.call('POST', `/v1/cases/${caseId}/repair`, pt.keys.WAREHOUSE, { by: 'tech-1', sku: 'BLENDER', faultCause: 'motor burnt out', method: 'motor replaced', parts, labourCostMinor: 2_000, working: true })).status).toBe(200);
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFDMOREP2OUT' })).status).toBe(200);
    await pt.until(caseId, token, 'SHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: 'SFDMOREP2OUT' });
    await pt.skip(86_400 + 60);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE:RETURN_SHIPPING', 'EXPENSE_NOTE:REPAIR']);
    const [returnNote, shipping, repair] = staff.documents as [Doc, Doc, Doc];
    expect(returnNote).toMatchObject({ amountMinor: 0, reference: null, lines: [expect.objectContaining({ sku: 'BLENDER', quantity: 1, condition: 'OK' })] });
    expect(shipping).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_100 }], stock: [] });
    // Parts at cost plus labour: 3 000 + 2 000.
    expect(repair).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'REPAIR', amountMinor: 5_000, parts, labourCostMinor: 2_000 }], stock: [] });
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([]);
    // The repair is the shop's cost, beside the return postage.
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 0, logisticsMinor: 1_100, repairsMinor: 5_000, netMinor: 6_100 });
    repairedCaseId = caseId;
  });

  // The repaired blender went back to the customer: received for the repair, never stock (takeBack's restock: false).
  it('repair: the stock nets to nothing (the blender came in and went back out)', async () => {
    expect(repairedCaseId).toBeDefined();
    const staff = await documents(repairedCaseId!);
    expect(staff.stockNet.filter((m) => m.delta !== 0)).toEqual([]);
    expect(staff.documents[0]).toMatchObject({ kind: 'RETURN_NOTE', lines: [expect.objectContaining({ sku: 'BLENDER', stockDelta: 0 })] });
  });
});

describe('quality problem: a repair that could not fix the goods', () => {
  it('goes to an agent, who sends a replacement instead: the case is not stuck at the repair', async () => {
    const { caseId, token } = await qualityOffered(3);
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: false })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REPAIR' })).status).toBe(200);
    await sendBack(caseId, token, 'SFDMOREP3', { by: 'inspector-3', lines: [{ sku: 'BLENDER', receivedQuantity: 1, condition: 'OK' }] });
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_REPAIR');
    expect((await pt.call('POST', `/v1/cases/${caseId}/repair`, pt.keys.WAREHOUSE, { by: 'tech-1', sku: 'BLENDER', faultCause: 'cracked housing', method: 'none possible', parts: [], labourCostMinor: 500, working: false })).status).toBe(200);
    const waiting = await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_AGENT');
    expect(waiting.timeline.at(-1)).toMatchObject({ kind: 'REPAIR_FAILED', actor: 'repair:tech-1' });
    expect(waiting.waitingFor).toMatchObject({ party: 'AGENT', command: `POST /v1/cases/${caseId}/resolution` });
    // The customer hears it could not be repaired, and that customer service will replace or refund it.
    const messages = (await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string }>;
    expect(messages.map((m) => m.template)).toContain('repairFailed');
    // Not this wait's action: named with the ones it takes.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CLOSE' })).toMatchObject({ status: 400, body: { field: 'body.action', message: expect.stringContaining('takes CONTINUE, REFUND_REQUESTED') } });
    // What refunding them instead would pay, for the agent choosing.
    expect(waiting.agentRefunds).toEqual({ REFUND_REQUESTED: expect.any(Number) });
    expect(waiting.agentRefunds.REFUND_REQUESTED).toBeGreaterThan(0);
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'not repairable: send a new one' })).status).toBe(200);
    const dispatch = await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH');
    expect(dispatch.timeline.at(-1)).toMatchObject({ kind: 'WAREHOUSE_TASK_OPENED', data: { task: 'SEND_EXCHANGE' } });
  });
});

// --- missing items ---
describe('missing items: the documents', () => {
  it('re-shipped at the customer’s choice: the outbound reversal (the kettle never left), the re-shipment’s outbound; stock nets to nothing', async () => {
    const order = {
      orderId: 'dmo-missing-1',
      currency: 'CNY',
      items: [
        { sku: 'CLIP', name: 'Hair clip', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 },
        { sku: 'KETTLE', name: 'Kettle', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 },
      ],
      shippingFeeMinor: 800,
      paidTotalMinor: 3 * 1500 + 20_000 + 800,
      shippedAt: Date.now() - 3 * DAY,
      deliveredAt: Date.now() - DAY,
    };
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { customer: { id: 'cust-dmo-missing-1', locale: 'en' }, order, missing: [{ sku: 'KETTLE', quantity: 1 }], evidenceUrls: ['https://evidence.example.com/opened-parcel.jpg'] });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-dmo-missing-1');
    await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
    // The waybill weight says the kettle was not in the parcel.
    expect((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 450, unitWeightsGrams: { CLIP: 100, KETTLE: 1_200 }, packagingWeightGrams: 150 })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_RESHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer-3', carrier: 'SF', trackingNumber: 'SFDMOMISS1' })).status).toBe(200);
    await pt.until(caseId, token, 'RESHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: 'SFDMOMISS1' });
    await pt.skip(86_400 + 60);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'MISSING_ITEMS', refundedAmountMinor: 0 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['OUTBOUND_REVERSAL', 'OUTBOUND']);
    const [reversal, outbound] = staff.documents as [Doc, Doc];
    expect(reversal).toMatchObject({ amountMinor: 0, currency: 'CNY', lines: [expect.objectContaining({ sku: 'KETTLE', quantity: -1, unitCostMinor: 9_000 })], stock: [{ sku: 'KETTLE', delta: 1 }] });
    expect(outbound).toMatchObject({ amountMinor: 0, currency: 'CNY', lines: [expect.objectContaining({ sku: 'KETTLE', quantity: 1, unitCostMinor: 9_000 })], stock: [{ sku: 'KETTLE', delta: -1 }] });
    // The kettle that never left went back on the shelf, and then out in the re-shipment.
    expect(staff.stockNet).toEqual([{ sku: 'KETTLE', delta: 0 }]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([]);
  });
});
