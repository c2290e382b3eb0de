/**
 * Refund only, already shipped (仅退款-已发货) on the time-skipping dev server: interception and
 * the parcel's return inside the deadline (inspection, restock, refund); the deadline passing
 * (refund approved anyway, the parcel still awaited for restocking, an agent when it never comes);
 * a refusal at the door; a parcel already delivered (a return instead).
 */
import { ApplicationFailure } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, arrivalScanned, courierEvent, reportInspection, resolveByAgent } from '../../workflows/contract.js';
import type { RefundShippedInput } from '../../workflows/refund-shipped.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

/** Filled in by beforeAll: read its fields inside tests, never at load time. */
const cases = useCaseEnvironment();

/** `deliveredBeforeIntercept`: the carrier refuses the interception (signed for meanwhile). */
class Recorder extends RecordingActivities {
  deliveredBeforeIntercept = false;
  override interceptParcel = async (i: { carrier: string; trackingNumber: string }) => {
    if (this.deliveredBeforeIntercept) throw ApplicationFailure.nonRetryable('parcel signed for', 'ALREADY_DELIVERED');
    this.intercepts.push({ carrier: i.carrier, trackingNumber: i.trackingNumber });
    return { interceptId: `ic-${this.intercepts.length}` };
  };
}

let seq = 0;
const order = (): OrderSnapshot => ({
  orderId: `rs-${++seq}`,
  currency: 'CNY',
  items: [{ sku: 'LAMP', name: 'Lamp', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 }],
  shippingFeeMinor: 1_000,
  paidTotalMinor: 26_000,
  shippedAt: Date.now() - DAY,
});

async function open(setup: (r: Recorder) => void = () => undefined, over: Partial<RefundShippedInput> = {}) {
  const rec = new Recorder();
  setup(rec);
  const caseId = newCaseId('rs');
  const input: RefundShippedInput = { caseId, merchantId: 'm1', policy: { ...defaultPolicy(), version: 7 }, order: order(), shipment: { carrier: 'SF', trackingNumber: `SF-RS-${seq}` }, reason: 'no longer needed', customer: { id: 'cust-9', locale: 'zh-CN' }, openedAt: await cases.env.currentTimeMs(), ...over };
  return cases.start('refundShipped', input, rec);
}

type Run = Awaited<ReturnType<typeof open>>;
const scan = (run: Run) => run.handle.signal(arrivalScanned, { trackingNumber: run.input.shipment.trackingNumber, scannedAt: Date.now(), scannedBy: 'dock' });
const inspect = (run: Run, condition: 'OK' | 'DAMAGED_BY_CUSTOMER' | 'MISSING' = 'OK') => run.handle.executeUpdate(reportInspection, { args: [{ by: 'inspector', lines: [{ sku: 'LAMP', receivedQuantity: condition === 'MISSING' ? 0 : 1, condition }] }] });
async function revisit(run: Run) {
  await run.until('RESOLVED');
  await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
  expect(await run.done).toBe('CLOSED_SATISFIED');
}

describe('refund after shipping', () => {
  it('intercepted and back in time: inspected, restocked, then refunded in full', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    expect(run.rec.intercepts).toEqual([{ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber }]);
    expect(run.rec.refunds).toEqual([]); // not before the parcel is back or the deadline passes
    await cases.env.sleep(DAY);
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 26_000, stepKey: `${run.input.caseId}:refund` })]);
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'REFUND']);
    expect(run.rec.ledger[0]!.lines).toEqual([expect.objectContaining({ sku: 'LAMP', stockDelta: 1 })]);
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['interceptionRequestedRefundBy', 'refundIssued']));
    // Paid in full: the resolution has nothing to explain.
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toBeUndefined();
  });

  it("the order's other cases were refunded all but 60.00 at the same moment: 60.00 granted, and the resolution says CAPPED", async () => {
    const run = await open((r) => r.leaveOnOrder(6_000));
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await run.until('RESOLVED');
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND').map((d) => d.amountMinor)).toEqual([-6_000]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 6_000, decision: { rule: 'refundAfterShipping', outcome: 'CAPPED', policyVersion: 7, values: { refundMinor: 26_000, grantedMinor: 6_000 } } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the order refunded in full by its other cases: the parcel back, the customer is told there is nothing left to refund', async () => {
    const run = await open((r) => void (r.earlier = { amountMinor: 26_000, shippingRefunded: true }));
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates()).toContain('refundNothingLeft');
    await saveHistory(run, 'refund-shipped-v26-nothing-left-told');
  });

  it('a refusal at the door is reported by the courier; the parcel comes back; an item broken on the way is not restocked', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code: 'REFUSED', at: Date.now() });
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    expect(run.rec.transitions.find((t) => t.kind === 'PARCEL_BACK')!.data).toEqual({ comingBack: 'REFUSED' });
    await inspect(run, 'DAMAGED_BY_CUSTOMER');
    await run.until('RESOLVED');
    expect(run.rec.ledger[0]!.lines).toEqual([expect.objectContaining({ sku: 'LAMP', quantity: 1, stockDelta: 0 })]);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the courier brought the parcel back empty: the customer is refunded all the same, and the courier is claimed for the goods', async () => {
    const run = await open(() => undefined, { fulfilment: defaultFulfilmentPolicy(7) });
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run, 'MISSING');
    await revisit(run);
    const claim = run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!;
    expect(claim).toMatchObject({ escalated: true, data: { lines: [{ sku: 'LAMP', quantity: 1 }], claimWorkflowId: expect.stringContaining(run.input.shipment.trackingNumber) } });
    await waitUntil('the claim filed', () => run.rec.claims.length > 0);
    expect(run.rec.claims[0]).toMatchObject({ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, amountMinor: 25_000 });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    await saveHistory(run, 'refund-shipped-v12-claimed');
    // The claim goes on beside the closed case (it follows up for weeks): ended here.
    await cases.client.workflow.getHandle(String(claim.data!.claimWorkflowId)).terminate('test over');
  });

  it('the order refunded in full by its other cases, not back by the interception deadline, then back: told there is nothing left once, not twice', async () => {
    const run = await open((r) => void (r.earlier = { amountMinor: 26_000, shippingRefunded: true }));
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await cases.env.sleep(3 * DAY + HOUR);
    await run.rec.stepped('AWAITING_RESTOCK');
    await run.rec.sent('refundNothingLeft');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await run.until('RESOLVED');
    expect(run.rec.templates().filter((t) => t === 'refundNothingLeft')).toHaveLength(1);
    expect(run.rec.refunds).toEqual([]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a parcel back whole files no claim', async () => {
    const run = await open(() => undefined, { fulfilment: defaultFulfilmentPolicy(7) });
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.kinds()).not.toContain('CLAIM_STARTED');
  });

  it('not back within the interception days: refunded anyway, as the customer was told, the parcel still awaited for restocking', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    // Told the refund comes when the parcel is back, and by the interception's deadline if it is not.
    const asked = await run.rec.stepped('INTERCEPTION_REQUESTED');
    expect((await run.rec.sent('interceptionRequestedRefundBy')).params).toEqual({ ...run.input.shipment, refundBy: asked.deadlines!.interceptDueAt });
    await cases.env.sleep(3 * DAY + HOUR);
    await waitUntil('the refund after the interception deadline', () => run.rec.refunds.length > 0, { state: () => `steps: ${run.rec.kinds().join(', ')}` });
    expect(run.rec.transitions.find((t) => t.kind === 'INTERCEPTION_DEADLINE_PASSED')!.decision).toMatchObject({ rule: 'interceptionDays', outcome: 'REFUND', values: { days: 3 } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    // The case now waits for the parcel until the arrival deadline, not the interception's, gone.
    const restock = await run.rec.stepped('AWAITING_RESTOCK');
    expect(restock.stageDeadlineAt).toBe(restock.deadlines!.arrivalDueAt);
    expect(restock.stageDeadlineAt).toBeGreaterThan(asked.deadlines!.interceptDueAt as number);
    await scan(run); // it turns up after all
    await run.until('AWAITING_INSPECTION');
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds).toHaveLength(1); // never twice
    expect(run.rec.docs()).toEqual(['REFUND', 'RETURN_NOTE']);
    await saveHistory(run, 'refund-shipped-v18-refund-by');
  });

  it('never comes back: an agent decides after the arrival deadline', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await Promise.all([cases.env.sleep(14 * DAY), run.until('AWAITING_AGENT')]);
    expect(run.rec.kinds()).toContain('PARCEL_NOT_BACK');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CLOSE', note: 'courier claim opened separately' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toHaveLength(1);
  });

  it('already delivered (by the trace, or when intercepting): the customer is pointed to a return; nothing refunded', async () => {
    const delivered = await open((r) => (r.trace = { status: 'DELIVERED', deliveredAt: 1 }));
    expect(await delivered.done).toBe('DELIVERED_USE_RETURN');
    expect(delivered.rec.intercepts).toEqual([]);
    const raced = await open((r) => (r.deliveredBeforeIntercept = true));
    expect(await raced.done).toBe('DELIVERED_USE_RETURN');
    for (const run of [delivered, raced]) {
      expect(run.rec.refunds).toEqual([]);
      expect(run.rec.templates().at(-1)).toBe('deliveredUseReturn');
    }
  });

  it('signed for while being intercepted: the interception failed, the customer is pointed to a return, nothing refunded', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code: 'DELIVERED', at: 1_800_000_000_000 });
    expect(await run.done).toBe('DELIVERED_USE_RETURN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'DELIVERED_USE_RETURN', decision: { rule: 'interceptOnlyUndelivered', outcome: 'USE_RETURN', values: { learnedFrom: 'COURIER_EVENT', deliveredAt: 1_800_000_000_000, interceptFailed: true } } });
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates().at(-1)).toBe('deliveredUseReturn');
    await saveHistory(run, 'refund-shipped-v12-interception-failed');
  });

  it('no callback, but the trace says delivered when the interception days pass: a return, not a refund', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1_800_000_000_000 };
    await cases.env.sleep(3 * DAY + HOUR);
    expect(await run.done).toBe('DELIVERED_USE_RETURN');
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.kinds()).not.toContain('INTERCEPTION_DEADLINE_PASSED');
    expect(run.rec.transitions.at(-1)!.decision).toMatchObject({ values: { learnedFrom: 'TRACE', interceptFailed: true } });
  });

  it('the trace says signed for at the deadline, but its scans show the parcel turned back first: signed in at the shop, so refunded as before', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1_800_000_000_000, events: [{ at: 1, code: '拦截成功' }, { at: 2, code: 'RETURNING' }, { at: 3, code: 'SIGNED' }] };
    await cases.env.sleep(3 * DAY + HOUR);
    await waitUntil('the refund after the interception deadline', () => run.rec.refunds.length > 0, { state: () => `steps: ${run.rec.kinds().join(', ')}` });
    expect(run.rec.transitions.find((t) => t.kind === 'INTERCEPTION_DEADLINE_PASSED')!.decision).toMatchObject({ outcome: 'REFUND', values: { comingBack: 'INTERCEPTED' } });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('refused at the door, then signed for (by the shop, as it comes back): still coming back, not a failed interception', async () => {
    const run = await open();
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    const tn = run.input.shipment.trackingNumber;
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'REFUSED', at: Date.now() });
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: tn, code: 'DELIVERED', at: Date.now() });
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    expect(run.rec.transitions.find((t) => t.kind === 'PARCEL_BACK')!.data).toEqual({ comingBack: 'REFUSED' });
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('refused at the door before the case was opened, the trace saying signed for (by the shop): awaited as a parcel coming back, inspected and refunded, not pointed to a return', async () => {
    // The customer refused it, then asked for the refund: nothing of theirs to return (docs/after-sales.md §9).
    const run = await open((r) => (r.trace = { status: 'DELIVERED', deliveredAt: 1_800_000_000_000, events: [{ at: 1, code: '拒收' }, { at: 2, code: 'RETURNING' }, { at: 3, code: 'SIGNED' }] }));
    const turned = await run.rec.stepped('PARCEL_TURNED_BACK');
    expect(turned).toMatchObject({ stage: 'AWAITING_INTERCEPTED_PARCEL', data: { trace: 'DELIVERED', turnedBack: 'REFUSED' } });
    expect(run.rec.intercepts).toEqual([]); // nothing left to intercept
    expect(run.rec.kinds()).not.toContain('DELIVERED_USE_RETURN');
    // Told it is back and when the refund comes, not that "your return" arrived.
    expect((await run.rec.sent('refusedParcelBack')).params).toEqual({ refundBy: turned.deadlines!.interceptDueAt });
    expect(run.rec.templates()).not.toContain('parcelReceived');
    await scan(run);
    await run.until('AWAITING_INSPECTION');
    expect(run.rec.transitions.find((t) => t.kind === 'PARCEL_BACK')!.data).toEqual({ comingBack: 'REFUSED' });
    await inspect(run);
    await revisit(run);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'REFUND']);
    expect(run.rec.templates()).not.toContain('deliveredUseReturn');
    await saveHistory(run, 'refund-shipped-v26-turned-back-first');
  });

  it('never comes back: the courier is claimed for the goods before the agent decides, and CONTINUE resolves with the refund standing', async () => {
    // Shipped a day before the case by the test server's clock (the other tests skip it ahead): the claim window counts from it.
    const shipped = { ...order(), shippedAt: (await cases.env.currentTimeMs()) - DAY };
    const run = await open(() => undefined, { fulfilment: defaultFulfilmentPolicy(7), order: shipped });
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    await Promise.all([cases.env.sleep(14 * DAY), run.until('AWAITING_AGENT')]);
    const kinds = run.rec.kinds();
    expect(kinds.indexOf('CLAIM_STARTED')).toBeGreaterThan(kinds.indexOf('AWAITING_RESTOCK'));
    expect(kinds.indexOf('CLAIM_STARTED')).toBeLessThan(kinds.indexOf('PARCEL_NOT_BACK'));
    const claim = run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!;
    expect(claim).toMatchObject({ escalated: true, data: { lines: [{ sku: 'LAMP', quantity: 1 }], claimWorkflowId: expect.stringContaining(run.input.shipment.trackingNumber) } });
    await waitUntil('the claim filed', () => run.rec.claims.length > 0);
    // The goods' paid value (not the shipping fee, which the customer got back with the refund).
    expect(run.rec.claims[0]).toMatchObject({ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, amountMinor: 25_000, reason: 'parcel lost on its way back to the shop' });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'CONTINUE', note: 'refund stands' }] });
    await revisit(run);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([26_000]);
    expect(run.rec.claims).toHaveLength(1);
    await saveHistory(run, 'refund-shipped-v26-not-back-claimed');
    // The claim goes on beside the closed case: ended here.
    await cases.client.workflow.getHandle(String(claim.data!.claimWorkflowId)).terminate('test over');
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
