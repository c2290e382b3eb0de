/**
 * Missing items (少货) end to end over real HTTP: storefront opens, the warehouse reports the three
 * records, the refund goes out at once for a small light item; a heavy one is re-shipped at the
 * customer's choice and followed until the courier delivers it; bad input and wrong stages are
 * refused with the field or the reason.
 */
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { caseStockMovements } from '../../db/stock.js';
import { usePlatform } from './platform-harness.js';
import { waitUntil } from '../support/wait.js';

const pt = usePlatform();

let seq = 0;

function report(missing: Array<{ sku: string; quantity: number }>, customerId = 'cust-m1') {
  return {
    customer: { id: customerId, locale: 'en' },
    order: {
      orderId: `mo-${++seq}`,
      currency: 'CNY',
      items: [
        { sku: 'CLIP', name: 'Hair clip', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 },
        { sku: 'KETTLE', name: 'Kettle', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 },
      ],
      shippingFeeMinor: 800,
      paidTotalMinor: 3 * 1500 + 20_000 + 800,
      shippedAt: Date.now() - 3 * 86_400_000,
      deliveredAt: Date.now() - 86_400_000,
    },
    missing,
    evidenceUrls: ['https://evidence.example.com/opened-parcel.jpg'],
  };
}
const weights = { unitWeightsGrams: { CLIP: 100, KETTLE: 1_200 }, packagingWeightGrams: 150 };

describe('missing items over HTTP', () => {
  it('a small light item confirmed short is refunded at once; documents and refund in the ledger; revisit closes it', async () => {
    const claim = report([{ sku: 'CLIP', quantity: 1 }]);
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, claim);
    expect(opened).toMatchObject({ status: 201, body: { policyVersion: 1 } });
    const { caseId } = opened.body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-m1' })).body.token;
    const waiting = await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
    expect(waiting).toMatchObject({ type: 'MISSING_ITEMS', status: 'WAITING_WAREHOUSE', requestedAmountMinor: 1500 });
    expect(waiting.evidence).toEqual([expect.objectContaining({ url: 'https://evidence.example.com/opened-parcel.jpg' })]);

    const checked = await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-1', stockCount: [{ sku: 'CLIP', systemQuantity: 30, countedQuantity: 31 }], ...weights });
    expect(checked.status).toBe(200);
    const resolved = await pt.until(caseId, token, 'RESOLVED');
    expect(resolved).toMatchObject({ status: 'RESOLVED', refundedAmountMinor: 1500 });
    const decided = resolved.timeline.find((e: { kind: string }) => e.kind === 'SOLUTION_PROPOSED');
    expect(decided.decision).toMatchObject({ rule: 'smallAmountMaxMinor', outcome: 'REFUND_NOW', policyVersion: 1 });
    // The refund first, then the documents with what it came to.
    expect(await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true, amountMinor: true }, orderBy: { id: 'asc' } })).toEqual([
      { kind: 'REFUND', amountMinor: -1500n },
      { kind: 'OUTBOUND_REVERSAL', amountMinor: 0n },
      { kind: 'EXPENSE_NOTE', amountMinor: 0n },
    ]);
    expect(pt.platform.simulators.payment!.refunds).toEqual(expect.arrayContaining([expect.objectContaining({ amountMinor: 1500, idempotencyKey: `${caseId}:refund` })]));
    // The refunded clip claimed again, with the order's other two (another photo), is not refunded again: the case that paid for it holds it.
    const again = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { ...claim, missing: [{ sku: 'CLIP', quantity: 3 }], evidenceUrls: ['https://evidence.example.com/again.jpg'] });
    expect(again).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', problems: [{ field: 'body.missing', reason: `3 × CLIP asked, but 1 of the 3 ordered are already in case ${caseId} (1)` }] } });
    // The other two clips of the order are free.
    expect((await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { ...claim, missing: [{ sku: 'CLIP', quantity: 2 }], evidenceUrls: ['https://evidence.example.com/two.jpg'] })).status).toBe(201);

    await pt.skip(3 * 86_400 + 3_600);
    await pt.until(caseId, token, 'AWAITING_REVISIT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 })).status).toBe(200);
    expect(await pt.until(caseId, token, 'CLOSED')).toMatchObject({ closeReason: 'SATISFIED' });
  });

  it("the warehouse's records say the clip was sent: an agent sees what going on would refund (a goodwill refund), and going on pays it", async () => {
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'CLIP', quantity: 1 }]));
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_WAREHOUSE_CHECK');
    expect((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-1', stockCount: [{ sku: 'CLIP', systemQuantity: 30, countedQuantity: 30 }], ...weights })).status).toBe(200);
    const waiting = await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_AGENT');
    expect(waiting.timeline.map((e: { kind: string }) => e.kind)).toContain('NOT_SHORT');
    expect(waiting.agentRefunds).toEqual({ CONTINUE: 1500 });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body).not.toHaveProperty('agentRefunds');
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'goodwill: a regular customer' })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1500, agentRefunds: null });
  });

  it('the kettle: the customer chooses a re-shipment; the warehouse ships it; the courier delivers; resolved', async () => {
    const { caseId } = (await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'KETTLE', quantity: 1 }], 'cust-m2'))).body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-m2' })).body.token;
    await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
    // A choice before the warehouse has answered is refused with the workflow's reason.
    expect(await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).toMatchObject({ status: 409, body: { message: expect.stringMatching(/AWAITING_WAREHOUSE_CHECK/) } });
    // A remedy this type never takes is a 400 at any stage: a 409 would invite a retry later.
    expect(await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REPAIR' })).toMatchObject({ status: 400, body: { field: 'body.remedy', problems: [{ field: 'body.remedy', reason: 'missing items are settled by REFUND or RESHIP; REPAIR is for quality problems' }] } });
    await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 450, ...weights });
    // The customer's app reads what choosing the refund would pay: the kettle's 200.00.
    expect((await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE')).offer).toEqual({ kind: 'CHOICE', remedies: ['REFUND', 'RESHIP'], refund: { amountMinor: 20_000, currency: 'CNY' } });
    // The customer is asked about the goods by the names they ordered them under, not the shop's SKUs.
    const asked = await waitUntil('the remedy choice message, sent', () => pt.platform.simulators.notifier!.sent.find((m) => m.template === 'remedyChoice' && m.idempotencyKey.startsWith(caseId)));
    expect(asked.text).toContain('Kettle × 1');
    expect(asked.text).not.toContain('KETTLE');
    const listed = (await pt.call('GET', `/v1/cases/${caseId}/messages`, token)).body.messages.find((m: { template: string }) => m.template === 'remedyChoice');
    expect(listed.text).toBe(asked.text);
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_RESHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer-3', carrier: 'SF', trackingNumber: 'SF77001' })).status).toBe(200);
    await pt.until(caseId, token, 'RESHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: 'SF77001' });
    await pt.skip(86_400 + 60);
    const resolved = await pt.until(caseId, token, 'RESOLVED');
    expect(resolved.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['CHOICE_ANSWERED', 'RESHIPPED', 'DELIVERED']));
    const kinds = (await pt.db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true }, orderBy: { id: 'asc' } })).map((e) => e.kind);
    expect(kinds).toEqual(['OUTBOUND_REVERSAL', 'OUTBOUND']);
    // The kettle never left the first time (+1) and left with the re-shipment (−1): it nets out.
    expect(await caseStockMovements(pt.db, caseId)).toEqual({ KETTLE: 0 });
  });

  it('the re-shipped kettle is refused at the door: the agent sees what refunding it instead would pay, and the refund resolves the case', async () => {
    const { caseId } = (await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'KETTLE', quantity: 1 }], 'cust-m4'))).body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-m4' })).body.token;
    await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
    await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 450, ...weights });
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'RESHIP' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_RESHIPMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer-3', carrier: 'SF', trackingNumber: 'SF77401' })).status).toBe(200);
    await pt.until(caseId, token, 'RESHIPPED');
    pt.platform.simulators.courier!.addTrackingEvent({ carrier: 'SF', trackingNumber: 'SF77401' }, { at: Date.now(), code: 'REFUSED', description: 'refused by the recipient' }, 'RETURNING');
    await pt.skip(86_400 + 60);
    const waiting = await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_AGENT');
    expect(waiting.timeline.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED' });
    // What each way out does and pays, before choosing: the kettle's 200.00.
    expect(waiting.agentRefunds).toEqual({ REFUND_REQUESTED: 20_000 });
    // An action the wait does not offer is a 400 naming the field.
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_RECEIVED' })).toMatchObject({ status: 400, body: { field: 'body.action' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'REFUND_REQUESTED', note: 'the customer moved; no redelivery' })).status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 20_000 });
    expect(pt.platform.simulators.payment!.refunds).toEqual(expect.arrayContaining([expect.objectContaining({ amountMinor: 20_000 })]));
  });

  it('a case whose workflow was terminated from Temporal: a command says so (409), not "case not found"', async () => {
    const { caseId } = (await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'CLIP', quantity: 1 }], 'cust-m9'))).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_WAREHOUSE_CHECK');
    await new Client({ connection: pt.temporal }).workflow.getHandle(`case-${caseId}`).terminate('ops: duplicate case');
    const refused = await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 450, ...weights });
    expect(refused).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringMatching(/workflow has ended TERMINATED at .*stopped at stage AWAITING_WAREHOUSE_CHECK/) } });
  });

  it('the same report tapped three times at once (no reference, no Idempotency-Key): one case, answered to every tap; a report of other clips of the order is a case of its own', async () => {
    const claim = report([{ sku: 'CLIP', quantity: 1 }], 'cust-m10');
    const taps = await Promise.all([1, 2, 3].map(() => pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, claim)));
    expect(taps.map((tap) => tap.status).sort()).toEqual([200, 200, 201]);
    expect(new Set(taps.map((tap) => tap.body.caseId)).size).toBe(1);
    const ofOrder = async () => (await pt.call('GET', `/v1/cases?orderId=${claim.order.orderId}`, pt.keys.AGENT)).body.items as Array<{ id: string }>;
    expect(await ofOrder()).toHaveLength(1);
    // Two more clips missing (the order had three): another request, another case.
    const more = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { ...claim, missing: [{ sku: 'CLIP', quantity: 2 }] });
    expect(more.status).toBe(201);
    expect(await ofOrder()).toHaveLength(2);
  });

  it('the choice tapped twice at once while the refund it chose is still being paid: one answer taken, and neither tap reads the case as still asking', async () => {
    const claim = report([{ sku: 'KETTLE', quantity: 1 }], 'cust-m11');
    const { caseId } = (await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, claim)).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_WAREHOUSE_CHECK');
    await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'clerk-2', waybillWeightGrams: 450, ...weights });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_CUSTOMER_CHOICE');
    // The payment provider is slow: the case acts on the first tap for a while.
    const payment = pt.platform.simulators.payment!;
    const refund = payment.refund.bind(payment);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    payment.refund = async (r) => (await held, refund(r));
    try {
      const taps = Promise.all([1, 2].map(() => pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, pt.keys.STOREFRONT, { remedy: 'REFUND' })));
      // Both taps reached the case (one taken, one refused as taken already), and the refund is being paid.
      await waitUntil('both taps delivered and the answer taken', async () => (await pt.db.caseInput.count({ where: { caseId, kind: 'chooseRemedy' } })) === 2 && (await pt.db.caseEvent.count({ where: { caseId, kind: 'CHOICE_ANSWERED' } })) === 1);
      release();
      const answers = await taps;
      expect(answers.map((a) => a.status)).toEqual([200, 200]);
      for (const a of answers) expect(a.body.stage).not.toBe('AWAITING_CUSTOMER_CHOICE');
    } finally {
      payment.refund = refund;
      release();
    }
    expect((await pt.until(caseId, pt.keys.AGENT, 'RESOLVED')).refundedAmountMinor).toBe(20_000);
  });

  it('bad input names the field; other roles are refused; other customers see nothing', async () => {
    expect(await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'SOFA', quantity: 1 }]))).toMatchObject({ status: 400, body: { field: 'body.missing[0].sku' } });
    expect(await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'CLIP', quantity: 4 }]))).toMatchObject({ status: 400, body: { field: 'body.missing[0].quantity' } });
    expect(await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'CLIP', quantity: -1 }]))).toMatchObject({ status: 400 });
    expect(await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, { ...report([]), missing: [] })).toMatchObject({ status: 400, body: { field: expect.stringMatching(/^body\.missing/) } });
    expect((await pt.call('POST', '/v1/missing-items', pt.keys.WAREHOUSE, report([{ sku: 'CLIP', quantity: 1 }]))).status).toBe(403);
    const { caseId } = (await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, report([{ sku: 'CLIP', quantity: 1 }], 'cust-m3'))).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_WAREHOUSE_CHECK');
    // The warehouse finds the task on its work list, with its deadline.
    const tasks = await pt.call('GET', '/v1/warehouse/tasks', pt.keys.WAREHOUSE);
    expect(tasks.status).toBe(200);
    expect(tasks.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ caseId, type: 'MISSING_ITEMS', task: 'VERIFY_DISPATCH', stage: 'AWAITING_WAREHOUSE_CHECK', dueAt: expect.any(String) })]));
    const due = tasks.body.items.map((t: { dueAt: string | null }) => t.dueAt).filter(Boolean);
    expect(due).toEqual([...due].sort());
    expect((await pt.call('GET', '/v1/warehouse/tasks', pt.keys.AGENT)).status).toBe(403);
    expect(await pt.call('GET', '/v1/warehouse/tasks?limit=0', pt.keys.WAREHOUSE)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/limit/) } });
    expect(await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'c', stockCount: [{ sku: 'NOPE', systemQuantity: 1, countedQuantity: 1 }] })).toMatchObject({ status: 400, body: { field: 'body.stockCount[0].sku', problems: [{ field: 'body.stockCount[0].sku', reason: expect.stringMatching(/^unknown SKU NOPE/) }] } });
    // Every unknown SKU of a check named at once.
    const three = await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'c', outboundRecord: [{ sku: 'X1', quantity: 1 }, { sku: 'X2', quantity: 1 }], stockCount: [{ sku: 'X3', systemQuantity: 1, countedQuantity: 1 }] });
    expect(three.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.outboundRecord[0].sku', 'body.outboundRecord[1].sku', 'body.stockCount[0].sku']);
    expect(await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, { by: 'c', waybillWeightGrams: -5 })).toMatchObject({ status: 400, body: { field: 'body.waybillWeightGrams' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.AGENT, { by: 'c' })).status).toBe(403);
    const stranger = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'someone-else' })).body.token;
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, stranger, { remedy: 'REFUND' })).status).toBe(404);
    expect(await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, pt.keys.STOREFRONT, { remedy: 'GIFT' })).toMatchObject({ status: 400, body: { field: 'body.remedy' } });
  });
});
