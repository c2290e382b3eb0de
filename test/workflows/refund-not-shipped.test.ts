/**
 * Refund only, not shipped (仅退款-未发货) on the time-skipping dev server: cancelled and refunded at
 * once when the order has not been picked; the merchant's answer (approve, refuse) or its silence
 * (refund after the policy's hours) otherwise; a parcel that has left — before or while the merchant
 * decides, or at the moment of cancelling — is never refunded as unshipped: its parcel is intercepted
 * and the case goes on as a refund after shipping.
 */
import { ApplicationFailure } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, arrivalScanned, propose, reportInspection, withdrawRequest } from '../../workflows/contract.js';
import type { RefundNotShippedInput } from '../../workflows/refund-not-shipped.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

/** Filled in by beforeAll: read its fields inside tests, never at load time. */
const cases = useCaseEnvironment();

/** The warehouse as the case sees it: `dispatch` answers where the order is; `shipOnCancel` makes the parcel leave just before the cancellation. */
class Recorder extends RecordingActivities {
  shipOnCancel = false;
  refuseCancel = false;
  /** The warehouse system slow to answer a cancellation: held until this settles; `cancelling` once asked. */
  holdCancel: Promise<void> | undefined;
  cancelling = false;
  override cancelOrder = async () => {
    this.cancelling = true;
    await this.holdCancel;
    if (this.refuseCancel) throw ApplicationFailure.nonRetryable('the warehouse system refuses cancellations today', 'REJECTED');
    if (this.shipOnCancel) {
      this.dispatch = { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF808' };
      throw ApplicationFailure.nonRetryable('order has left the warehouse', 'ALREADY_SHIPPED');
    }
    this.cancellations++;
    return this.dispatch.outboundId ? { reversedOutboundId: this.dispatch.outboundId } : {};
  };
}

let seq = 0;
const order = (): OrderSnapshot => ({
  orderId: `rn-${++seq}`,
  currency: 'CNY',
  items: [
    { sku: 'TEA', name: 'Tea', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 },
    { sku: 'CUP', name: 'Cup', quantity: 1, unitPriceMinor: 3000, unitCostMinor: 1000 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 2 * 5000 + 3000 + 800,
});

async function open(reason: RefundNotShippedInput['reason'], setup: (r: Recorder) => void = () => undefined) {
  const rec = new Recorder();
  setup(rec);
  const caseId = newCaseId('rn');
  const input: RefundNotShippedInput = { caseId, merchantId: 'm1', policy: { ...defaultPolicy(), version: 6 }, order: order(), reason, customer: { id: 'cust-3', locale: 'en' }, openedAt: await cases.env.currentTimeMs() };
  return cases.start('refundNotShipped', input, rec);
}

type Run = Awaited<ReturnType<typeof open>>;
async function revisit(run: Run) {
  await run.until('RESOLVED');
  await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
  await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
  expect(await run.done).toBe('CLOSED_SATISFIED');
}

describe('refund before shipping', () => {
  it('not picked: cancelled and everything paid refunded at once; no merchant needed', async () => {
    const run = await open('NO_LONGER_WANTED');
    await revisit(run);
    expect(run.rec.kinds()).not.toContain('MERCHANT_ASKED');
    expect(run.rec.transitions.find((t) => t.kind === 'DISPATCH_CHECKED')!.decision).toMatchObject({ rule: 'refundBeforeShipping', outcome: 'REFUND_NOW', policyVersion: 6 });
    expect(run.rec.cancellations).toBe(1);
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 13_800, stepKey: `${run.input.caseId}:refund`, reason: 'refund before shipping: NO_LONGER_WANTED' })]);
    expect(run.rec.ledger.map((d) => [d.kind, d.amountMinor])).toEqual([['REFUND', -13_800]]);
    // The revisit says what silence does (revisitSilenceCloses; `revisit` before the revisit-silence-told patch).
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['caseOpenedSolutionBy', 'orderCancelled', 'refundIssued', 'revisitSilenceCloses', 'caseClosed']));
    expect(run.rec.templates()).not.toContain('revisit');
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')!.decision).toMatchObject({ outcome: 'REFUNDED', values: { refundMinor: 13_800, grantedMinor: 13_800 } });
    await saveHistory(run, 'refund-not-shipped-v19-revisit-silence');
  });

  it('granted part (another case of the order was paid the rest at the same moment): the resolution says CAPPED with both amounts', async () => {
    const run = await open('NO_LONGER_WANTED', (r) => void (r.refundPayment = async () => ({ refundId: 'rf-part', amountMinor: 5_000 })));
    await revisit(run);
    expect(run.rec.ledger.map((d) => [d.kind, d.amountMinor])).toEqual([['REFUND', -5_000]]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 5_000, decision: { outcome: 'CAPPED', values: { refundMinor: 13_800, grantedMinor: 5_000 } } });
  });

  it("granted nothing (the order's other cases took it at the same moment): no refund entry of 0, no '0.00 refunded' message, but word that nothing was left", async () => {
    const run = await open('NO_LONGER_WANTED', (r) => void (r.refundPayment = async () => ({ refundId: '', amountMinor: 0 })));
    await revisit(run);
    expect(run.rec.ledger.filter((d) => d.kind === 'REFUND')).toEqual([]);
    expect(run.rec.templates()).not.toContain('refundIssued');
    expect(run.rec.templates()).toContain('refundNothingLeft');
    // The resolution says nothing was left to refund, not "refunded" with the amount asked.
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0, decision: { rule: 'refundBeforeShipping', outcome: 'NOTHING_LEFT', values: { refundMinor: 13_800, grantedMinor: 0 } } });
    await saveHistory(run, 'refund-not-shipped-v12-nothing-left-told');
  });

  it('picked: the merchant approves; the outbound is reversed and the goods go back into stock; earlier refunds are deducted', async () => {
    const run = await open('DUPLICATE_ORDER', (r) => ((r.dispatch = { status: 'PICKED', outboundId: 'ob-7' }), (r.earlier = { amountMinor: 3_000, shippingRefunded: false })));
    await run.until('AWAITING_MERCHANT');
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm-ops' }, decision: 'APPROVE' }] });
    await revisit(run);
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['MERCHANT_ASKED', 'MERCHANT_APPROVED', 'ORDER_CANCELLED', 'RESOLVED']));
    const reversal = run.rec.ledger.find((d) => d.kind === 'OUTBOUND_REVERSAL')!;
    expect(reversal).toMatchObject({ reference: 'ob-7', amountMinor: 0 });
    expect(reversal.lines).toEqual([expect.objectContaining({ sku: 'TEA', quantity: -2, stockDelta: 2 }), expect.objectContaining({ sku: 'CUP', quantity: -1, stockDelta: 1 })]);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([13_800 - 3_000]);
  });

  it('a merchant who does not answer within the hours: the refund goes through (the marketplace default)', async () => {
    const run = await open('OTHER');
    await run.until('AWAITING_MERCHANT');
    await Promise.all([cases.env.sleep(24 * HOUR + 60_000), run.until('RESOLVED')]);
    const silent = run.rec.transitions.find((t) => t.kind === 'MERCHANT_SILENT')!;
    expect(silent.decision).toMatchObject({ rule: 'merchantAnswerHours', outcome: 'REFUND', values: { hours: 24 } });
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([13_800]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the order refunded in full by its other cases: cancelled, and told there is nothing left to refund (it was told the refund goes back)', async () => {
    const run = await open('DUPLICATE_ORDER', (r) => void (r.earlier = { amountMinor: 13_800, shippingRefunded: true }));
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates()).toEqual(expect.arrayContaining(['orderCancelled', 'refundNothingLeft']));
    expect(run.rec.templates().indexOf('orderCancelled')).toBeLessThan(run.rec.templates().indexOf('refundNothingLeft'));
    await revisit(run);
    await saveHistory(run, 'refund-not-shipped-v26-nothing-left-told');
  });

  it('a refusal (or a withdrawal) after the merchant’s hours ran out is refused, not taken and ignored, while the silent approval cancels and refunds', async () => {
    let release = () => undefined as void;
    const run = await open('OTHER', (r) => void (r.holdCancel = new Promise<void>((done) => (release = done))));
    await run.until('AWAITING_MERCHANT');
    await cases.env.sleep(24 * HOUR + 60_000);
    // Still at AWAITING_MERCHANT while the warehouse system answers the cancellation.
    await waitUntil('the cancellation asked of the warehouse system', () => run.rec.cancelling);
    await expect(run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm' }, decision: 'REJECT', reason: 'custom engraving already made' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/time to answer ran out .*silence approved the refund/) } });
    // The customer's withdrawal too: the refund goes ahead.
    await expect(run.handle.executeUpdate(withdrawRequest, { args: [{}] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/time to answer ran out .*silence approved the refund/) } });
    release();
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([13_800]);
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the customer withdraws while the merchant decides: closed WITHDRAWN, nothing cancelled or refunded, told the order ships; a withdrawal before the merchant is asked, or a merchant’s answer after it, is refused', async () => {
    const early = await open('NO_LONGER_WANTED');
    // Not picked: cancelled at once, no merchant asked, nothing left to withdraw.
    await early.until('RESOLVED');
    await expect(early.handle.executeUpdate(withdrawRequest, { args: [{}] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/^the case is at stage (RESOLVED|AWAITING_REVISIT), not AWAITING_MERCHANT$/) } });
    await early.handle.terminate('test over');
    await expect(early.done).rejects.toThrow();

    const run = await open('OTHER');
    await run.until('AWAITING_MERCHANT');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: 'changed my mind, keep the order' }] });
    await expect(run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm' }, decision: 'APPROVE' }] })).rejects.toThrow();
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.cancellations).toBe(0);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.transitions.find((t) => t.kind === 'WITHDRAWN')).toMatchObject({ status: 'CLOSED', closeReason: 'WITHDRAWN', actor: 'customer:cust-3', data: { comment: 'changed my mind, keep the order' } });
    expect(run.rec.notifications.map((n) => n.template)).toContain('refundRequestWithdrawn');
    await saveHistory(run, 'refund-not-shipped-v29-withdrawn');
  });

  it('the merchant refuses with a reason: closed, nothing cancelled or refunded; a refusal without reason is refused', async () => {
    const run = await open('OTHER');
    await run.until('AWAITING_MERCHANT');
    await expect(run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm' }, decision: 'REJECT' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/needs a reason/) } });
    await run.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm' }, decision: 'REJECT', reason: 'custom engraving already made' }] });
    expect(await run.done).toBe('REJECTED');
    expect(run.rec.cancellations).toBe(0);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.notifications.find((n) => n.template === 'refundRejected')!.params).toEqual({ reason: 'custom engraving already made' });
  });

  it('already shipped, its parcel named: not cancelled, the courier is asked to bring it back; back, inspected, restocked, then refunded in full', async () => {
    const shippedAt = (await cases.env.currentTimeMs()) - HOUR;
    const run = await open('NO_LONGER_WANTED', (r) => (r.dispatch = { status: 'SHIPPED', carrier: 'YTO', trackingNumber: 'YT9', shippedAt }));
    await run.until('AWAITING_INTERCEPTED_PARCEL');
    expect(run.rec.kinds()).toEqual(['OPENED', 'DISPATCH_CHECKED', 'FOUND_SHIPPED', 'INTERCEPT_FILED', 'INTERCEPTION_REQUESTED']);
    expect(run.rec.transitions.find((t) => t.kind === 'FOUND_SHIPPED')).toMatchObject({ data: { carrier: 'YTO', trackingNumber: 'YT9', shippedAt }, decision: { rule: 'orderNotShipped', outcome: 'INTERCEPT' } });
    expect(run.rec.intercepts).toEqual([{ carrier: 'YTO', trackingNumber: 'YT9' }]);
    const asked = run.rec.transitions.find((t) => t.kind === 'INTERCEPTION_REQUESTED')!;
    expect((await run.rec.sent('shippedInterceptionRefundBy')).params).toEqual({ carrier: 'YTO', trackingNumber: 'YT9', refundBy: asked.deadlines!.interceptDueAt });
    expect(run.rec.templates()).not.toContain('alreadyShipped');
    expect([run.rec.cancellations, run.rec.refunds.length]).toEqual([0, 0]); // nothing refunded before the parcel is back or its deadline passes
    await run.handle.signal(arrivalScanned, { trackingNumber: 'YT9', scannedAt: Date.now(), scannedBy: 'dock' });
    await run.until('AWAITING_INSPECTION');
    await run.handle.executeUpdate(reportInspection, { args: [{ by: 'inspector', lines: [{ sku: 'TEA', receivedQuantity: 2, condition: 'OK' }, { sku: 'CUP', receivedQuantity: 1, condition: 'OK' }] }] });
    await revisit(run);
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([2 * 5000 + 3000 + 800]);
    expect(run.rec.docs()).toEqual(['RETURN_NOTE', 'REFUND']);
    expect(run.rec.ledger[0]!.lines).toEqual([expect.objectContaining({ sku: 'TEA', stockDelta: 2 }), expect.objectContaining({ sku: 'CUP', stockDelta: 1 })]);
    await saveHistory(run, 'refund-not-shipped-v27-intercepts');
  });

  it('found shipped and already signed for: nothing to intercept — the customer is pointed to a return, nothing refunded', async () => {
    const run = await open('NO_LONGER_WANTED', (r) => {
      r.dispatch = { status: 'SHIPPED', carrier: 'YTO', trackingNumber: 'YT10' };
      r.trace = { status: 'DELIVERED' };
    });
    expect(await run.done).toBe('DELIVERED_USE_RETURN');
    expect(run.rec.intercepts).toEqual([]);
    expect(run.rec.templates().at(-1)).toBe('shippedDeliveredUseReturn'); // why it was not cancelled, and a return
    expect(run.rec.refunds).toEqual([]);
  });

  it('already shipped with no tracking number on the record: told so, not "- tracking number -"', async () => {
    const run = await open('NO_LONGER_WANTED', (r) => (r.dispatch = { status: 'SHIPPED' }));
    expect(await run.done).toBe('ALREADY_SHIPPED');
    expect(run.rec.notifications.at(-1)).toMatchObject({ template: 'alreadyShippedNoTracking', params: {} });
    await saveHistory(run, 'refund-not-shipped-v18-no-number');
  });

  it('shipped while the merchant was deciding, or at the moment of cancelling: never refunded as unshipped, its parcel intercepted', async () => {
    const during = await open('OTHER', (r) => (r.dispatch = { status: 'PACKED', outboundId: 'ob-8' }));
    await during.until('AWAITING_MERCHANT');
    during.rec.dispatch = { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1' };
    await during.handle.executeUpdate(propose, { args: [{ by: { kind: 'agent', id: 'm' }, decision: 'APPROVE' }] });
    await during.until('AWAITING_INTERCEPTED_PARCEL');
    expect([during.rec.cancellations, during.rec.refunds.length]).toEqual([0, 0]);
    expect(during.rec.intercepts).toEqual([{ carrier: 'SF', trackingNumber: 'SF1' }]);

    const race = await open('NO_LONGER_WANTED', (r) => (r.shipOnCancel = true));
    await race.until('AWAITING_INTERCEPTED_PARCEL');
    expect(race.rec.refunds).toEqual([]);
    expect(race.rec.intercepts).toEqual([{ carrier: 'SF', trackingNumber: 'SF808' }]);
    expect(race.rec.notifications.at(-1)).toMatchObject({ template: 'shippedInterceptionRefundBy', params: { trackingNumber: 'SF808' } });
    for (const run of [during, race]) {
      await run.handle.terminate('test over');
      await expect(run.done).rejects.toThrow();
    }
  });

  it('a cancellation refused for another reason fails the case, and what it did up to the failure is still written', async () => {
    const run = await open('NO_LONGER_WANTED', (r) => (r.refuseCancel = true));
    await expect(run.done).rejects.toThrow();
    // Written by the batch writer while the cancellation was being refused, or flushed after it.
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['OPENED', 'DISPATCH_CHECKED']));
    expect(run.rec.templates()).toContain('caseOpenedSolutionBy');
    expect(run.rec.cancellations).toBe(0);
    expect(run.rec.refunds).toEqual([]);
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
