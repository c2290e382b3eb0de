/**
 * Every branch and deadline of the missing-items case (少货) on the project's time-skipping dev
 * server: small and light → refund at once; bigger → the customer chooses (re-shipment followed
 * until delivered, or refund; silence → refund); records showing a complete parcel → an agent;
 * the warehouse late; the re-shipment late. Activities are recording stand-ins.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, chooseRemedy, correctFollowedParcel, courierEvent, INVALID_INPUT, reportReshipment, reportWarehouseCheck, resolveByAgent, withdrawRequest, type WarehouseCheck } from '../../workflows/contract.js';
import type { MissingItemsInput } from '../../workflows/missing-items.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

/** Filled in by beforeAll: read its fields inside tests, never at load time. */
const cases = useCaseEnvironment();

/** The courier says "in transit" until `delivered`. */
class Recorder extends RecordingActivities {
  set delivered(on: boolean) {
    this.trace = on ? { status: 'DELIVERED', deliveredAt: 1 } : { status: 'IN_TRANSIT' };
  }
}

let seq = 0;
// A small, light hair clip and a heavy kettle.
const order = (): OrderSnapshot => ({
  orderId: `o-${++seq}`,
  currency: 'CNY',
  items: [
    { sku: 'CLIP', name: 'Hair clip', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 },
    { sku: 'KETTLE', name: 'Kettle', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 3 * 1500 + 20_000 + 800,
});
const weights = { unitWeightsGrams: { CLIP: 100, KETTLE: 1_200 }, packagingWeightGrams: 150 };

async function open(missing: Array<{ sku: string; quantity: number }>, setup: (r: Recorder) => void = () => undefined) {
  const rec = new Recorder();
  setup(rec);
  const now = await cases.env.currentTimeMs();
  const caseId = newCaseId('m');
  const input: MissingItemsInput = {
    caseId,
    merchantId: 'm1',
    policy: { ...defaultPolicy(), version: 5 },
    fulfilment: defaultFulfilmentPolicy(5),
    order: order(),
    missing,
    evidenceUrls: ['https://evidence.example.com/parcel.jpg'],
    customer: { id: 'cust-7', locale: 'zh-CN' },
    openedAt: now,
  };
  return cases.start('missingItems', input, rec);
}

type Run = Awaited<ReturnType<typeof open>>;

async function check(run: Run, evidence: Omit<WarehouseCheck, 'by'>) {
  await run.until('AWAITING_WAREHOUSE_CHECK');
  await run.handle.executeUpdate(reportWarehouseCheck, { args: [{ by: 'clerk-2', ...evidence }] });
}

async function revisitWith(run: Run, score: number) {
  await run.until('RESOLVED');
  await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score }] });
}

/** The expense notes the case booked: what for and how much. */
const expenses = (run: Run) =>
  run.rec.ledger.filter((d) => d.kind === 'EXPENSE_NOTE').flatMap((d) => (d.lines as Array<{ purpose?: string; amountMinor?: number }>).filter((l) => l.purpose).map((l) => [l.purpose, l.amountMinor]));

/** Stock movements the case booked, per SKU (a reversal puts back what never left; an outbound takes out). */
function stock(run: Run): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of run.rec.ledger) for (const l of d.lines as Array<{ sku?: string; stockDelta?: number }>) if (l.sku && l.stockDelta) out[l.sku] = (out[l.sku] ?? 0) + l.stockDelta;
  return out;
}

describe('missing items', () => {
  it('found after all before the warehouse checked: withdrawn, closed, nothing refunded, told so; the check after it is refused', async () => {
    const run = await open([{ sku: 'CLIP', quantity: 1 }]);
    await run.until('AWAITING_WAREHOUSE_CHECK');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '在另一个包裹里找到了' }] });
    await expect(run.handle.executeUpdate(reportWarehouseCheck, { args: [{ by: 'clerk-2', stockCount: [{ sku: 'CLIP', systemQuantity: 40, countedQuantity: 41 }] }] })).rejects.toThrow();
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', closeReason: 'WITHDRAWN', data: { comment: '在另一个包裹里找到了' } });
    expect(run.rec.refunds).toEqual([]);
    expect((await run.rec.sent('caseWithdrawn')).params).toEqual({ caseId: run.input.caseId });
    await saveHistory(run, 'missing-items-v30-withdrawn');
  });

  it('small and light, confirmed short by the stock count: refunded at once with reversal and expense note', async () => {
    const run = await open([{ sku: 'CLIP', quantity: 1 }]);
    await check(run, { stockCount: [{ sku: 'CLIP', systemQuantity: 40, countedQuantity: 41 }], ...weights });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    const checked = run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_CHECKED')!;
    expect(checked.decision).toMatchObject({ rule: 'missingItemsThreeChecks', outcome: 'CONFIRMED_SHORT', policyVersion: 5 });
    const proposed = run.rec.transitions.find((t) => t.kind === 'SOLUTION_PROPOSED')!;
    expect(proposed.decision).toMatchObject({ rule: 'smallAmountMaxMinor', outcome: 'REFUND_NOW', values: { valueMinor: 1500, weightGrams: 100 } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([1500]);
    // The money first, then the documents with what it came to (DOCUMENTS_AFTER_REFUND_PATCH).
    expect(run.rec.docs()).toEqual(['REFUND', 'OUTBOUND_REVERSAL', 'EXPENSE_NOTE']);
    expect(expenses(run)).toEqual([['REFUND', 1_500]]);
    // The clip never left: the reversal puts it back into the stock the system counts.
    expect(stock(run)).toEqual({ CLIP: 1 });
    expect(run.rec.kinds()).not.toContain('CHOICE_REQUESTED');
    // Paid in full: the resolution has nothing to explain.
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toBeUndefined();
    await saveHistory(run, 'missing-items-v9-documents-after-refund');
  });

  it("the order's other cases were refunded all but 10.00 first: the clip's 15.00 is granted 10.00, and the resolution says CAPPED", async () => {
    const run = await open([{ sku: 'CLIP', quantity: 1 }], (r) => r.leaveOnOrder(1_000));
    await check(run, { stockCount: [{ sku: 'CLIP', systemQuantity: 40, countedQuantity: 41 }], ...weights });
    await run.until('RESOLVED');
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => d.amountMinor)).toEqual([-1_000]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1_000, decision: { rule: 'missingItemsRefund', outcome: 'CAPPED', policyVersion: 5, values: { refundMinor: 1_500, grantedMinor: 1_000 } } });
    // The expense note books the 10.00 paid, not the 15.00 asked: the case's documents record what was paid.
    expect(expenses(run)).toEqual([['REFUND', 1_000]]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it("nothing left on the order: nothing refunded, and the resolution says NOTHING_LEFT rather than a refund", async () => {
    const run = await open([{ sku: 'CLIP', quantity: 1 }], (r) => r.leaveOnOrder(0));
    await check(run, { stockCount: [{ sku: 'CLIP', systemQuantity: 40, countedQuantity: 41 }], ...weights });
    await run.until('RESOLVED');
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND')).toEqual([]);
    expect(run.rec.templates()).not.toContain('refundIssued');
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0, decision: { rule: 'missingItemsRefund', outcome: 'NOTHING_LEFT', values: { refundMinor: 1_500, grantedMinor: 0 } } });
    // No expense note for money never paid; the clip's reversal is still booked.
    expect(expenses(run)).toEqual([]);
    expect(run.rec.docs()).toEqual(['OUTBOUND_REVERSAL']);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the order refunded in full by its other cases before: nothing to refund, and the customer is told so rather than nothing', async () => {
    const run = await open([{ sku: 'CLIP', quantity: 1 }], (r) => void (r.earlier = { amountMinor: order().paidTotalMinor, shippingRefunded: true }));
    await check(run, { stockCount: [{ sku: 'CLIP', systemQuantity: 40, countedQuantity: 41 }], ...weights });
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([]);
    expect((await run.rec.sent('refundNothingLeft')).params).toEqual({});
    expect(run.rec.templates()).not.toContain('refundIssued');
    await revisitWith(run, 4);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v17-nothing-left-reckoned');
  });

  it('the kettle: the customer chooses a re-shipment, followed until delivered; stock nets to what moved', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { waybillWeightGrams: 150 + 300, ...weights }); // the parcel weighed the clips only
    await run.until('AWAITING_CUSTOMER_CHOICE');
    // The stage changes first, the message follows in the next activity.
    expect((await run.rec.sent('remedyChoice')).params).toMatchObject({ lines: [{ sku: 'KETTLE', quantity: 1 }] });
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: 'SF900', weightGrams: 1_350 }] });
    await run.until('RESHIPPED');
    // The weight it was labelled with is kept with the parcel (it was dropped).
    expect(run.rec.transitions.find((t) => t.kind === 'RESHIPPED')!.data).toEqual({ carrier: 'SF', outboundTracking: 'SF900', weightGrams: 1_350 });
    // Followed until it is delivered: the wait shows the delivery deadline, and the packer sent it.
    const following = await run.rec.stepped('FOLLOWING_PARCEL');
    expect(following).toMatchObject({ stage: 'RESHIPPED', stageDeadlineAt: following.deadlines!.deliveryDueAt });
    expect(run.rec.transitions.find((t) => t.kind === 'RESHIPPED')).toMatchObject({ actor: 'warehouse:packer-1' });
    expect(run.rec.transitions.find((t) => t.kind === 'CHOICE_ANSWERED')!.actor).toMatch(/^customer:/);
    await cases.env.sleep(2 * DAY + HOUR);
    expect(run.rec.traces).toBeGreaterThanOrEqual(2);
    expect(run.rec.kinds()).not.toContain('DELIVERED');
    run.rec.delivered = true;
    await Promise.all([cases.env.sleep(DAY + HOUR), run.until('RESOLVED')]);
    await revisitWith(run, 4);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['CHOICE_ANSWERED', 'RESHIPPED', 'DELIVERED', 'RESOLVED']));
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.docs()).toEqual(['OUTBOUND_REVERSAL', 'OUTBOUND']);
    expect(stock(run)).toEqual({ KETTLE: 0 }); // +1 back (never left), −1 out again (re-shipped)
    expect(run.rec.notifications.map((n) => n.template)).toContain('parcelReshipped');
  });

  it('the carrier’s DELIVERED event for the re-shipped parcel ends the wait at once; its other events and other parcels do not', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { waybillWeightGrams: 150 + 300, ...weights });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: 'SF901' }] });
    await run.until('RESHIPPED');
    const at = await cases.env.currentTimeMs();
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF901', code: 'IN_TRANSIT', at });
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF-OTHER', code: 'DELIVERED', at });
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF901', code: 'DELIVERED', at: at + 1 });
    await run.until('RESOLVED');
    // No trace was due yet (the first comes a day after it left): the event alone moved the case.
    expect(run.rec.traces).toBe(0);
    expect(run.rec.transitions.find((t) => t.kind === 'DELIVERED')).toMatchObject({ actor: 'courier:SF', data: { deliveredAt: at + 1 } });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v8-courier-delivered');
  });

  it('a re-shipment reported under a mistyped number: corrected while followed, the right parcel traced at once and its events end the wait, the mistyped one no longer reaches the case', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { waybillWeightGrams: 150 + 300, ...weights });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: 'SF9O3', weightGrams: 1_350 }] });
    await run.until('RESHIPPED');
    const by = { kind: 'warehouse' as const, id: 'packer-1' };
    const correct = (previousTrackingNumber: string, trackingNumber = 'SF903') => run.handle.executeUpdate(correctFollowedParcel, { args: [{ by, carrier: 'SF', trackingNumber, previousTrackingNumber }] });
    // Made from a stale screen (not the number followed): refused, naming the one followed.
    await expect(correct('SF777')).rejects.toMatchObject({ cause: { message: 'the case follows SF SF9O3, not SF777: correct the parcel it follows' } });
    // The number followed already is no correction: bad input naming the field.
    await expect(correct('SF9O3', 'SF9O3')).rejects.toMatchObject({ cause: { type: INVALID_INPUT, details: [{ field: 'trackingNumber' }] } });
    expect(await correct('SF9O3')).toEqual({ stage: 'RESHIPPED' });
    // Traced at once under the right number, not a day later at the next poll.
    await waitUntil('the corrected parcel traced', () => run.rec.traced.includes('SF903'));
    expect(run.rec.traced).toEqual(['SF903']);
    const corrected = await run.rec.stepped('FOLLOWED_PARCEL_CORRECTED');
    expect(corrected).toMatchObject({ actor: 'warehouse:packer-1', data: { carrier: 'SF', outboundTracking: 'SF903', previousCarrier: 'SF', previousOutboundTracking: 'SF9O3' } });
    expect((await run.rec.sent('parcelNumberCorrected')).params).toEqual({ carrier: 'SF', trackingNumber: 'SF903' });
    // Sent again (a retry after a timeout): answered as taken, recorded once.
    expect(await correct('SF9O3')).toEqual({ stage: 'RESHIPPED' });
    // The carrier was wrong too, then wrong again: each correction of the carrier alone is taken, not read as a retry.
    expect(await run.handle.executeUpdate(correctFollowedParcel, { args: [{ by, carrier: 'YTO', trackingNumber: 'SF903', previousTrackingNumber: 'SF903' }] })).toEqual({ stage: 'RESHIPPED' });
    expect(await run.handle.executeUpdate(correctFollowedParcel, { args: [{ by, carrier: 'ZTO', trackingNumber: 'SF903', previousTrackingNumber: 'SF903' }] })).toEqual({ stage: 'RESHIPPED' });
    // Recorded as they came: the retry is not among them.
    await waitUntil('three corrections recorded', () => run.rec.transitions.filter((t) => t.kind === 'FOLLOWED_PARCEL_CORRECTED').length === 3);
    expect(run.rec.transitions.filter((t) => t.kind === 'FOLLOWED_PARCEL_CORRECTED').map((t) => t.data!.carrier)).toEqual(['SF', 'YTO', 'ZTO']);
    const at = await cases.env.currentTimeMs();
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF9O3', code: 'DELIVERED', at });
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF903', code: 'DELIVERED', at: at + 1 });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'DELIVERED')).toMatchObject({ data: { deliveredAt: at + 1 } });
    expect((await run.rec.sent('parcelDelivered')).params).toMatchObject({ trackingNumber: 'SF903' });
    // Delivered: nothing is followed any more, so nothing to correct.
    await expect(correct('SF903', 'SF904')).rejects.toMatchObject({ cause: { message: expect.stringContaining('follows no parcel now') } });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v25-parcel-corrected');
  });

  it('the re-shipped parcel refused and sent back: an agent decides (the shop signing for it is no delivery); CONTINUE follows a redelivery, CLOSE ends the case', async () => {
    const reship = async () => {
      const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
      await check(run, { waybillWeightGrams: 150 + 300, ...weights });
      await run.until('AWAITING_CUSTOMER_CHOICE');
      await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
      await run.until('AWAITING_RESHIPMENT');
      const tn = `SF-BACK-${run.input.caseId}`;
      await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: tn }] });
      await run.until('RESHIPPED');
      return { run, tn, at: await cases.env.currentTimeMs() };
    };
    const { run, tn, at } = await reship();
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'REFUSED', description: '客户拒收', at });
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'DELIVERED', at: at + 1 });
    await run.until('AWAITING_AGENT');
    // A re-shipment makes good the missing goods: its failed delivery offers a refund too (REPLACEMENT_NOT_DELIVERED).
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', actor: 'courier:SF', escalated: true, data: { carrier: 'SF', outboundTracking: tn, code: 'REFUSED', description: '客户拒收', at } });
    expect(run.rec.kinds()).not.toContain('DELIVERED');
    // The customer asked for it again: the courier redelivers, and its delivery ends the case as before.
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: 'customer asked for redelivery' }] });
    await run.until('FOLLOWING');
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'DELIVERED', at: at + 2 });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'DELIVERED')).toMatchObject({ data: { deliveredAt: at + 2 } });
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v12-delivery-failed');

    const closed = await reship();
    await closed.run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: closed.tn, code: 'RETURN_TO_SENDER', at: closed.at });
    await closed.run.until('AWAITING_AGENT');
    await closed.run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'refunded by hand' }] });
    expect(await closed.run.done).toBe('CLOSED_BY_AGENT');
  });

  it('the re-shipment turned back and not to be delivered again: the agent refunds the missing goods instead, as far as the order has money left, and the case resolves and is revisited', async () => {
    const reship = async (setup: (r: Recorder) => void = () => undefined) => {
      const run = await open([{ sku: 'KETTLE', quantity: 1 }], setup);
      await check(run, { waybillWeightGrams: 150 + 300, ...weights });
      await run.until('AWAITING_CUSTOMER_CHOICE');
      await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
      await run.until('AWAITING_RESHIPMENT');
      const tn = `SF-RF-${run.input.caseId}`;
      await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: tn }] });
      await run.until('RESHIPPED');
      const at = await cases.env.currentTimeMs();
      await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'REFUSED', description: '客户拒收', at });
      await run.until('AWAITING_AGENT');
      return { run, tn, at };
    };
    const { run, tn, at } = await reship();
    // What the refund would pay, on the step for the agent to see.
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', data: { outboundTracking: tn, code: 'REFUSED', refunds: { REFUND_REQUESTED: 20_000 } } });
    // Nothing was refunded for the re-shipment's goods so far.
    expect(run.rec.refunds).toEqual([]);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_REQUESTED', note: 'customer moved abroad' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 20_000, reason: 'missing items: re-shipment not delivered' })]);
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND')).toEqual([expect.objectContaining({ amountMinor: -20_000, lines: [expect.objectContaining({ kind: 'GOODS', sku: 'KETTLE', quantity: 1, amountMinor: 20_000 })] })]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ status: 'RESOLVED', refundedAmountMinor: 20_000 });
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toBeUndefined();
    // Told why, then how much; the shop signing for it coming back is no delivery, and nothing follows it.
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['madeGoodRefundInstead', 'refundIssued']));
    expect(run.rec.templates().indexOf('madeGoodRefundInstead')).toBeLessThan(run.rec.templates().indexOf('refundIssued'));
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'DELIVERED', at: at + DAY });
    expect(run.rec.kinds()).not.toContain('DELIVERED');
    expect(run.rec.kinds()).not.toContain('CLOSED_BY_AGENT');
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v27-refund-on-failed-delivery');

    // Other cases of the order took all but ¥50 of it: the refund is what is left, and the resolution says why.
    const capped = await reship((r) => (r.earlier = { amountMinor: 3 * 1500 + 20_000 + 800 - 5_000, shippingRefunded: true }));
    expect(capped.run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', data: { refunds: { REFUND_REQUESTED: 5_000 } } });
    await capped.run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_REQUESTED', note: 'refund instead' }] });
    await capped.run.until('RESOLVED');
    expect(capped.run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 5_000 })]);
    expect(capped.run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 5_000, decision: { rule: 'missingItemsRefund', values: { refundMinor: 20_000, grantedMinor: 5_000 } } });
    await capped.run.handle.terminate('test over');
    await expect(capped.run.done).rejects.toThrow();
  });

  it('a courier that sends no callbacks: its trace saying refused goes to the agent once; the refusal dealt with stays in later traces and is not raised again; the shop signing for it back is no delivery', async () => {
    const reship = async (tn: string) => {
      const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
      await check(run, { waybillWeightGrams: 150 + 300, ...weights });
      await run.until('AWAITING_CUSTOMER_CHOICE');
      await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
      await run.until('AWAITING_RESHIPMENT');
      await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'SF', trackingNumber: tn }] });
      await run.until('RESHIPPED');
      return run;
    };
    const run = await reship(`SF-TR-${seq}`);
    const refusedAt = (await cases.env.currentTimeMs()) + HOUR;
    const refused = { at: refusedAt, code: '拒收', description: '收件人拒收' };
    run.rec.trace = { status: 'RETURNING', events: [{ at: refusedAt - HOUR, code: '派送中' }, refused] };
    await Promise.all([cases.env.sleep(DAY + HOUR), run.until('AWAITING_AGENT')]);
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', actor: 'courier:SF', data: { code: 'REFUSED', at: refusedAt, description: '收件人拒收', learnedFrom: 'TRACE' } });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: 'customer asked for redelivery' }] });
    await run.until('FOLLOWING');
    const traced = run.rec.traces;
    // The next trace still lists the refusal: the redelivery is followed on.
    run.rec.trace = { status: 'OUT_FOR_DELIVERY', events: [refused, { at: refusedAt + DAY, code: '派送中' }] };
    await cases.env.sleep(DAY + HOUR);
    await expect.poll(() => run.rec.traces).toBeGreaterThan(traced);
    expect(run.rec.kinds().filter((k) => k === 'REPLACEMENT_NOT_DELIVERED')).toHaveLength(1);
    run.rec.trace = { status: 'DELIVERED', deliveredAt: refusedAt + 2 * DAY, events: [refused, { at: refusedAt + 2 * DAY, code: '已签收' }] };
    await Promise.all([cases.env.sleep(DAY + HOUR), run.until('RESOLVED')]);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v12-trace-turned-back');

    // A status alone (the courier gives no scans) says it too; signed for after it turned back is the shop's.
    const bare = await reship(`SF-TS-${seq}`);
    bare.rec.trace = { status: '退回寄件人' };
    await Promise.all([cases.env.sleep(DAY + HOUR), bare.until('AWAITING_AGENT')]);
    expect(bare.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', data: { code: 'RETURN_TO_SENDER', learnedFrom: 'TRACE' } });
    await bare.handle.terminate('test over');
    await expect(bare.done).rejects.toThrow();
    const back = await reship(`SF-TB-${seq}`);
    back.rec.trace = { status: 'DELIVERED', deliveredAt: refusedAt, events: [{ at: refusedAt - 1, code: 'RETURNING' }, { at: refusedAt, code: 'DELIVERED' }] };
    await Promise.all([cases.env.sleep(DAY + HOUR), back.until('AWAITING_AGENT')]);
    expect(back.rec.kinds()).not.toContain('DELIVERED');
    await back.handle.terminate('test over');
    await expect(back.done).rejects.toThrow();
  });

  it('a customer who does not choose gets the refund when the deadline passes', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { stockCount: [{ sku: 'KETTLE', systemQuantity: 5, countedQuantity: 6 }] });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await Promise.all([cases.env.sleep(3 * DAY), run.until('RESOLVED')]);
    const timedOut = run.rec.transitions.find((t) => t.kind === 'CHOICE_TIMED_OUT')!;
    expect(timedOut).toMatchObject({ data: { remedy: 'REFUND' }, decision: { rule: 'missingItemsDefaultRemedy', outcome: 'REFUND' } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([20_000]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a shortage the checks cannot confirm is still settled, but nothing is put back in stock: no check shows the goods stayed', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    // The stock count says one too many, the weighed waybill says the kettle left: the checks disagree.
    await check(run, { stockCount: [{ sku: 'KETTLE', systemQuantity: 5, countedQuantity: 6 }], waybillWeightGrams: 150 + 300 + 1_200, ...weights });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_CHECKED')).toMatchObject({ data: { verdict: 'UNVERIFIABLE' } });
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([20_000]);
    expect(run.rec.docs()).toEqual(['REFUND', 'EXPENSE_NOTE']);
    expect(stock(run)).toEqual({});
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v12-unverified-no-reversal');
  });

  it('records showing a complete parcel go to an agent, who may close the case', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { waybillWeightGrams: 150 + 300 + 1_200, ...weights, outboundRecord: [{ sku: 'KETTLE', quantity: 1 }] });
    await run.until('AWAITING_AGENT');
    expect(run.rec.transitions.find((t) => t.kind === 'SOLUTION_PROPOSED')!.decision).toMatchObject({ outcome: 'EXPLAIN_WITH_EVIDENCE' });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'showed the weighed waybill' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.ledger).toEqual([]);
  });

  it("records showing a complete parcel are no solution until the agent's: the same-day deadline passes unsolved, the agent's goodwill refund solves it", async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { waybillWeightGrams: 150 + 300 + 1_200, ...weights, outboundRecord: [{ sku: 'KETTLE', quantity: 1 }] });
    await run.until('AWAITING_AGENT');
    // The customer has been told nothing since the opening: no solution given.
    expect(run.rec.transitions.filter((t) => t.solutionGivenAt !== undefined)).toEqual([]);
    // Past the same-day deadline (a business day's end: a weekend's opening is due on Monday).
    const due = run.rec.transitions[0]!.deadlines!.solutionDueAt!;
    await Promise.all([cases.env.sleep(Math.max(0, due - (await cases.env.currentTimeMs())) + HOUR), run.rec.stepped('SLA_BREACHED')]);
    const agentAt = await cases.env.currentTimeMs();
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: 'a goodwill refund' }] });
    await run.until('RESOLVED');
    const resolved = run.rec.transitions.at(-1)!;
    expect(resolved).toMatchObject({ kind: 'RESOLVED', refundedAmountMinor: 20_000 });
    expect(resolved.solutionGivenAt).toBeGreaterThanOrEqual(agentAt);
    await revisitWith(run, 5);
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'missing-items-v19-not-short-agent-solves');
  });

  it('a late warehouse is escalated; a bad report is refused before it reaches history', async () => {
    const run = await open([{ sku: 'CLIP', quantity: 2 }]);
    await run.until('AWAITING_WAREHOUSE_CHECK');
    await expect(run.handle.executeUpdate(reportWarehouseCheck, { args: [{ by: 'x', stockCount: [{ sku: 'NOPE', systemQuantity: 1, countedQuantity: 1 }] }] })).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
    await expect(run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/stage AWAITING_WAREHOUSE_CHECK/) } });
    await cases.env.sleep(25 * HOUR);
    expect(run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_TASK_LATE')).toMatchObject({ late: true, escalated: true, decision: { rule: 'warehouseTaskHours' } });
    await run.handle.executeUpdate(reportWarehouseCheck, { args: [{ by: 'clerk', stockCount: [{ sku: 'CLIP', systemQuantity: 10, countedQuantity: 12 }], ...weights }] });
    await run.until('RESOLVED'); // 2 clips: 3000 ≤ 3000 and 200 g ≤ 300 g → refunded at once
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([3000]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a re-shipment not delivered in time is escalated and still followed', async () => {
    const run = await open([{ sku: 'KETTLE', quantity: 1 }]);
    await check(run, { stockCount: [{ sku: 'KETTLE', systemQuantity: 5, countedQuantity: 6 }] });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer-1', carrier: 'YTO', trackingNumber: 'YT5' }] });
    await run.until('RESHIPPED');
    await cases.env.sleep(8 * DAY + HOUR);
    expect(run.rec.transitions.filter((t) => t.kind === 'DELIVERY_LATE')).toEqual([expect.objectContaining({ late: true, escalated: true })]);
    run.rec.delivered = true;
    await Promise.all([cases.env.sleep(DAY + HOUR), run.until('RESOLVED')]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('every notification the cases sent rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
