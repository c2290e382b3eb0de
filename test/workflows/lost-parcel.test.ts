/**
 * Lost parcel (货物丢失) on the time-skipping dev server: the warehouse confirms dispatch (late →
 * escalated); lost in transit → a courier claim process started and the customer refunded without
 * waiting for it; never handed over → internal responsibility; signed for → an agent; still moving
 * → followed, lost after all when not delivered in time; the customer's choice and its default.
 */
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type OrderSnapshot } from '../../domain/index.js';
import { answerRevisit, chooseRemedy, confirmDispatch, courierEvent, INVALID_INPUT, PARCEL_REQUIRED, reportReshipment, resolveByAgent, withdrawRequest } from '../../workflows/contract.js';
import type { LostParcelInput } from '../../workflows/lost-parcel.js';
import { DAY, HOUR, newCaseId, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

const cases = useCaseEnvironment();

const order = (): OrderSnapshot => ({
  orderId: newCaseId('lp-o'),
  currency: 'CNY',
  items: [
    { sku: 'LAMP', name: 'Lamp', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 },
    { sku: 'BULB', name: 'Bulb', quantity: 2, unitPriceMinor: 1_000, unitCostMinor: 300 },
  ],
  shippingFeeMinor: 1_000,
  paidTotalMinor: 28_000,
});

async function open(trace: string, adjust?: (rec: RecordingActivities) => void, lines = [{ sku: 'LAMP', quantity: 1 }, { sku: 'BULB', quantity: 2 }]) {
  const rec = new RecordingActivities();
  adjust?.(rec);
  rec.trace = trace === 'DELIVERED' ? { status: 'DELIVERED', deliveredAt: 1 } : { status: trace };
  const now = await cases.env.currentTimeMs();
  const o = order();
  const input: LostParcelInput = {
    caseId: newCaseId('lp'),
    merchantId: 'm1',
    policy: { ...defaultPolicy(), version: 11 },
    fulfilment: defaultFulfilmentPolicy(11),
    order: o,
    shipment: { carrier: 'SF', trackingNumber: `SF-LOST-${o.orderId}`, shippedAt: now - 5 * DAY, etaAt: now - 2 * DAY },
    lines,
    customer: { id: 'cust-l', locale: 'zh-CN' },
    openedAt: now,
  };
  return cases.start('lostParcel', input, rec);
}
type Run = Awaited<ReturnType<typeof open>>;
const dispatched = (run: Run, yes = true) => run.handle.executeUpdate(confirmDispatch, { args: [{ by: 'clerk', dispatched: yes, trackingNo: run.input.shipment.trackingNumber, proofUrls: ['https://evidence.example.com/handover.jpg'] }] });

describe('lost parcel', () => {
  it('turned up before the warehouse confirmed the dispatch: withdrawn, closed, no claim, nothing refunded; refused once the warehouse answered', async () => {
    const run = await open('EXCEPTION');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await run.handle.executeUpdate(withdrawRequest, { args: [{ reason: '邻居代收了' }] });
    expect(await run.done).toBe('WITHDRAWN');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'WITHDRAWN', closeReason: 'WITHDRAWN' });
    expect(run.rec.claims).toEqual([]);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.templates()).toContain('caseWithdrawn');
    await saveHistory(run, 'lost-parcel-v30-withdrawn');

    const answered = await open('EXCEPTION');
    await answered.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(answered);
    await answered.until('AWAITING_CUSTOMER_CHOICE');
    await expect(answered.handle.executeUpdate(withdrawRequest, { args: [{}] })).rejects.toMatchObject({ cause: { message: 'the case is at stage AWAITING_CUSTOMER_CHOICE, not AWAITING_DISPATCH_CONFIRMATION' } });
    // Its claim runs on its own, and its timers would outlive this test: ended here, as the others end theirs.
    await cases.client.workflow.getHandle(String((await answered.rec.stepped('CLAIM_STARTED')).data!.claimWorkflowId)).terminate('test over');
    await answered.handle.terminate('test over');
    await expect(answered.done).rejects.toThrow();
  });

  it('lost in transit: the claim runs on its own, the customer is refunded at once (goods and shipping)', async () => {
    const run = await open('EXCEPTION');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ rule: 'lostParcelCause', outcome: 'COURIER_CLAIM', policyVersion: 11 });
    const started = run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!;
    const claim = cases.client.workflow.getHandle(String(started.data!.claimWorkflowId));
    expect((await claim.describe()).status.name).toBe('RUNNING');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([28_000]);
    // The refund's lines say what it paid for and add up to it: the goods and the shipping fee.
    const refund = run.rec.ledger.find((d) => d.kind === 'REFUND')!;
    expect(refund.lines).toEqual([
      { kind: 'GOODS', sku: 'LAMP', quantity: 1, unitPriceMinor: 25_000, amountMinor: 25_000 },
      { kind: 'GOODS', sku: 'BULB', quantity: 2, unitPriceMinor: 1_000, amountMinor: 2_000 },
      { kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1_000, amountMinor: 1_000 },
    ]);
    // The claim process runs on its own, beside the case: its filing need not come before the case resolves.
    await waitUntil('the claim process to file the courier claim', () => run.rec.claims.length > 0);
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'SF', amountMinor: 27_000, evidenceUrls: ['https://evidence.example.com/handover.jpg'] })]);
    await claim.terminate('test over');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('a split shipment: the shipping fee goes back with the parcel whose refund leaves none of the goods unpaid, not with each parcel', async () => {
    const refundOf = async (lines: Array<{ sku: string; quantity: number }>, earlier: { amountMinor: number; shippingRefunded: boolean }) => {
      const run = await open('EXCEPTION', (rec) => void (rec.earlier = earlier), lines);
      await run.until('AWAITING_DISPATCH_CONFIRMATION');
      await dispatched(run);
      await run.until('AWAITING_CUSTOMER_CHOICE');
      await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
      await run.until('RESOLVED');
      await cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
      await run.handle.terminate('test over');
      await expect(run.done).rejects.toThrow();
      return run.rec.refunds.map((r) => r.amountMinor);
    };
    // The bulbs' parcel lost first: the bulbs alone (the lamp's parcel may still come).
    expect(await refundOf([{ sku: 'BULB', quantity: 2 }], { amountMinor: 0, shippingRefunded: false })).toEqual([2_000]);
    // The bulbs' parcel lost after the lamp's was refunded: the order's goods are all paid back now, and the shipping with them.
    expect(await refundOf([{ sku: 'BULB', quantity: 2 }], { amountMinor: 25_000, shippingRefunded: false })).toEqual([3_000]);
  });

  it('a second case on the same lost parcel: refunded what the order has left, and the resolution says why it is less', async () => {
    const run = await open('EXCEPTION');
    run.rec.earlier = { amountMinor: 20_000, shippingRefunded: false };
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([8_000]);
    // Less than the goods come to: a CAP line takes the lines down to what was paid.
    const lines = run.rec.ledger.find((d) => d.kind === 'REFUND')!.lines as Array<{ kind: string; amountMinor: number }>;
    expect(lines.at(-1)).toEqual({ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -20_000, amountMinor: -20_000 });
    expect(lines.reduce((s, l) => s + l.amountMinor, 0)).toBe(8_000);
    expect(run.rec.transitions.at(-1)).toMatchObject({
      kind: 'RESOLVED',
      refundedAmountMinor: 8_000,
      decision: { rule: 'lostParcelRefund', outcome: 'CAPPED', values: { valueMinor: 28_000, paidTotalMinor: 28_000, alreadyRefundedMinor: 20_000, refundMinor: 8_000 } },
    });
    await cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('granted less than the goods are worth (another case of the order was paid at the same moment): the resolution says CAPPED with what was granted', async () => {
    const run = await open('EXCEPTION', (rec) => void (rec.refundPayment = async () => ({ refundId: 'rf-part', amountMinor: 10_000 })));
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.transitions.at(-1)).toMatchObject({
      refundedAmountMinor: 10_000,
      decision: { rule: 'lostParcelRefund', outcome: 'CAPPED', values: { valueMinor: 28_000, alreadyRefundedMinor: 0, refundMinor: 28_000, grantedMinor: 10_000 } },
    });
    await cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('the order refunded in full by its other cases before: nothing to refund, and the customer who chose the money is told so', async () => {
    const run = await open('EXCEPTION');
    run.rec.earlier = { amountMinor: 28_000, shippingRefunded: true };
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([]);
    expect((await run.rec.sent('refundNothingLeft')).params).toEqual({});
    expect(run.rec.transitions.at(-1)).toMatchObject({ refundedAmountMinor: 0, decision: { rule: 'lostParcelRefund', outcome: 'NOTHING_LEFT' } });
    await cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('never handed to the courier: internal responsibility, escalated; the customer chooses a re-shipment, followed until delivered', async () => {
    const run = await open('NO_TRACE');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run, false);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ outcome: 'INTERNAL_ACCOUNTABILITY' });
    expect(run.rec.transitions.find((t) => t.kind === 'RESPONSIBILITY_RECORDED')).toMatchObject({ escalated: true });
    expect(run.rec.claims).toEqual([]);
    // Never sent, the shop's fault: not "lost on its way, we deal with the courier".
    await run.rec.sent('lostParcelNotSentChoice');
    expect(run.rec.templates()).not.toContain('lostParcelChoice');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    // A blank carrier is refused as bad input naming it (the API answers it 400).
    await expect(run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: ' ', trackingNumber: 'YT-AGAIN' }] })).rejects.toMatchObject({ cause: { type: INVALID_INPUT, message: PARCEL_REQUIRED, details: [{ field: 'carrier' }] } });
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'YTO', trackingNumber: 'YT-AGAIN' }] });
    await run.until('RESHIPPED');
    run.rec.trace = { status: 'DELIVERED', deliveredAt: 1 };
    await Promise.all([cases.env.sleep(DAY + HOUR), run.until('RESOLVED')]);
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    expect(run.rec.docs()).toEqual(['OUTBOUND']);
    expect(run.rec.refunds).toEqual([]);
    await saveHistory(run, 'lost-parcel-v17-words-not-sent');
  });

  it('the re-shipment turns back, not to be delivered again: the agent refunds the lost goods instead, as a lost parcel is refunded (goods and shipping), and the case resolves and is revisited (make-good-refund-on-failed-delivery)', async () => {
    const run = await open('NO_TRACE');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run, false);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'YTO', trackingNumber: 'YT-AGAIN' }] });
    await run.until('RESHIPPED');
    await run.handle.signal(courierEvent, { carrier: 'YTO', trackingNumber: 'YT-AGAIN', code: 'RETURN_TO_SENDER', at: await cases.env.currentTimeMs() });
    await run.until('AWAITING_AGENT');
    expect(run.rec.transitions.at(-1)).toMatchObject({ kind: 'REPLACEMENT_NOT_DELIVERED', data: { outboundTracking: 'YT-AGAIN', code: 'RETURN_TO_SENDER', refunds: { REFUND_REQUESTED: 28_000 } } });
    expect(run.rec.refunds).toEqual([]);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a1' }, action: 'REFUND_REQUESTED', note: 'customer moved', asOffered: true }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds).toEqual([expect.objectContaining({ amountMinor: 28_000, reason: 'parcel lost: re-shipment not delivered' })]);
    expect(run.rec.ledger.find((d) => d.kind === 'REFUND')!.lines).toEqual([
      { kind: 'GOODS', sku: 'LAMP', quantity: 1, unitPriceMinor: 25_000, amountMinor: 25_000 },
      { kind: 'GOODS', sku: 'BULB', quantity: 2, unitPriceMinor: 1_000, amountMinor: 2_000 },
      { kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1_000, amountMinor: 1_000 },
    ]);
    expect(run.rec.transitions.find((t) => t.kind === 'RESOLVED')).toMatchObject({ refundedAmountMinor: 28_000 });
    expect(run.rec.templates().slice(-2)).toEqual(['madeGoodRefundInstead', 'refundIssued']);
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'lost-parcel-v27-refund-on-failed-delivery');
  });

  it('handed over by the warehouse but never scanned by the courier: the shop\'s responsibility, said as such, not "never sent"', async () => {
    const run = await open('NO_TRACE');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run, true);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ outcome: 'INTERNAL_ACCOUNTABILITY', values: { dispatched: true, courier: 'NEVER_RECEIVED' } });
    expect((await run.rec.sent('lostParcelNotReceivedChoice')).params).toMatchObject({ lines: run.input.lines });
    expect(run.rec.templates()).not.toContain('lostParcelNotSentChoice');
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'lost-parcel-v19-not-received');
  });

  it('no record at the courier when decided, then the courier reports it: the cause is revised, escalated, and lost in transit it is claimed after all', async () => {
    const run = await open('NO_TRACE');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run, true);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ outcome: 'INTERNAL_ACCOUNTABILITY', values: { courier: 'NEVER_RECEIVED' } });
    const report = (code: string) => run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code, at: Date.now() });
    // Moving after all: the courier had it (the shop's people did not lose it); nothing to claim yet.
    await report('IN_TRANSIT');
    expect(await run.rec.stepped('CAUSE_REVISED')).toMatchObject({ escalated: true, data: { courierReported: 'IN_TRANSIT' }, decision: { rule: 'lostParcelCause', outcome: 'TREAT_AS_DELAY', values: { courier: 'IN_TRANSIT' } } });
    expect(run.rec.kinds()).not.toContain('CLAIM_STARTED');
    // The same news again changes nothing; lost on the way: revised again, and the claim filed.
    await report('IN_TRANSIT');
    await report('LOST');
    expect(await run.rec.stepped('CAUSE_REVISED', 2)).toMatchObject({ data: { courierReported: 'LOST' }, decision: { outcome: 'COURIER_CLAIM', values: { cause: 'TRANSIT', accountable: 'COURIER' } } });
    const started = await run.rec.stepped('CLAIM_STARTED');
    expect(run.rec.kinds().filter((k) => k === 'CAUSE_REVISED')).toHaveLength(2);
    // The customer's choice went on meanwhile, as before.
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await waitUntil('the claim process to file the courier claim', () => run.rec.claims.length > 0);
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, amountMinor: 27_000 })]);
    await cases.client.workflow.getHandle(String(started.data!.claimWorkflowId)).terminate('test over');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'lost-parcel-v23-courier-late');
  });

  it('still moving: followed as a delay; not delivered in time → lost after all; silence → refund', async () => {
    const run = await open('IN_TRANSIT');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('FOLLOWING');
    // Told it is still moving, and what happens if it has not come by the day the follow ends.
    const following = run.rec.transitions.find((t) => t.kind === 'FOLLOWING')!;
    expect((await run.rec.sent('lostParcelStillMoving')).params).toEqual({ deliveredBy: following.deadlines!.deliveredBy });
    await Promise.all([cases.env.sleep(8 * DAY), run.until('AWAITING_CUSTOMER_CHOICE')]);
    expect(run.rec.transitions.filter((t) => t.kind === 'CAUSE_DECIDED').map((t) => t.decision!.outcome)).toEqual(['TREAT_AS_DELAY', 'COURIER_CLAIM']);
    await Promise.all([cases.env.sleep(49 * HOUR), run.until('RESOLVED')]);
    expect(run.rec.transitions.find((t) => t.kind === 'CHOICE_TIMED_OUT')!.decision).toMatchObject({ outcome: 'REFUND' });
    // The claim process outlives the case; its follow-up timers would wait on this case's worker.
    await cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
    await run.handle.terminate('test over');
    await expect(run.done).rejects.toThrow();
  });

  it('no trace, but the courier reported the parcel itself: it had it — lost on its own word (a claim, not the shop\'s people), or still moving until its own DELIVERED', async () => {
    const report = (run: Run, code: string) => run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code, at: Date.now() });
    const lost = await open('NO_TRACE');
    await lost.until('AWAITING_DISPATCH_CONFIRMATION');
    for (const code of ['PICKED_UP', 'IN_TRANSIT', 'LOST']) await report(lost, code);
    await dispatched(lost);
    await lost.until('AWAITING_CUSTOMER_CHOICE');
    expect(lost.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')).toMatchObject({ data: { trace: 'NO_TRACE', courierReported: 'LOST' }, decision: { outcome: 'COURIER_CLAIM' } });
    expect(lost.rec.kinds()).not.toContain('RESPONSIBILITY_RECORDED');
    const claim = cases.client.workflow.getHandle(String(lost.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId));
    await lost.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await lost.until('RESOLVED');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), lost.until('AWAITING_REVISIT')]);
    await lost.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await lost.done).toBe('CLOSED_SATISFIED');
    await claim.terminate('test over').catch(() => undefined);
    await saveHistory(lost, 'lost-parcel-v12-courier-reported');

    // Refused at the door by the courier's account, then "signed for" (the shop taking it back): an agent checks, never delivered.
    const refused = await open('NO_TRACE');
    await refused.until('AWAITING_DISPATCH_CONFIRMATION');
    for (const code of ['PICKED_UP', 'REFUSED', 'RETURNING']) await report(refused, code);
    await dispatched(refused);
    await refused.until('AWAITING_AGENT');
    expect(refused.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')).toMatchObject({ data: { courierReported: 'RETURNING' }, decision: { outcome: 'CHECK_SIGNATURE' } });
    expect(refused.rec.kinds()).not.toContain('RESOLVED');
    await refused.handle.terminate('test over');
    await expect(refused.done).rejects.toThrow();

    const moving = await open('NO_TRACE');
    await moving.until('AWAITING_DISPATCH_CONFIRMATION');
    await report(moving, 'PICKED_UP');
    await dispatched(moving);
    await moving.until('FOLLOWING');
    expect(moving.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ outcome: 'TREAT_AS_DELAY' });
    await report(moving, 'DELIVERED');
    await moving.until('RESOLVED');
    expect(moving.rec.kinds()).toContain('DELIVERED');
    // Told it arrived after all (lost-parcel-words), after being told it was followed.
    expect(moving.rec.templates().filter((t) => t.startsWith('lostParcel') || t === 'parcelDelivered')).toEqual(['lostParcelStillMoving', 'parcelDelivered']);
    await moving.handle.terminate('test over');
    await expect(moving.done).rejects.toThrow();

    // Still moving, then refused and "signed for" coming back: no delivery; an agent checks it at once.
    const back = await open('NO_TRACE');
    await back.until('AWAITING_DISPATCH_CONFIRMATION');
    await report(back, 'PICKED_UP');
    await dispatched(back);
    await back.until('FOLLOWING');
    await report(back, 'REFUSED');
    await report(back, 'DELIVERED');
    await back.until('AWAITING_AGENT');
    expect(back.rec.kinds()).not.toContain('DELIVERED');
    expect(back.rec.transitions.filter((t) => t.kind === 'CAUSE_DECIDED').at(-1)).toMatchObject({ data: { courierReported: 'REFUSED' }, decision: { outcome: 'CHECK_SIGNATURE' } });
    await back.handle.terminate('test over');
    await expect(back.done).rejects.toThrow();
  });

  it('followed as a delay, then the courier reports it lost: a claim and the customer’s choice at once, not when the days run out; its trace in exception says so too', async () => {
    const report = (run: Run, code: string) => run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code, at: Date.now() });
    const run = await open('IN_TRANSIT');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('FOLLOWING');
    await report(run, 'IN_TRANSIT');
    await report(run, 'LOST');
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.filter((t) => t.kind === 'CAUSE_DECIDED').map((t) => [t.decision!.outcome, t.data!.courierReported])).toEqual([['TREAT_AS_DELAY', undefined], ['COURIER_CLAIM', 'LOST']]);
    const claim = cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId));
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    expect(run.rec.refunds.map((r) => r.amountMinor)).toEqual([28_000]);
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await claim.terminate('test over').catch(() => undefined);
    await saveHistory(run, 'lost-parcel-v12-lost-while-following');

    // A courier that pushes nothing: its next trace in exception decides it, a day on, not a week.
    const traced = await open('IN_TRANSIT');
    await traced.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(traced);
    await traced.until('FOLLOWING');
    traced.rec.trace = { status: 'EXCEPTION' };
    await Promise.all([cases.env.sleep(DAY + HOUR), traced.until('AWAITING_CUSTOMER_CHOICE')]);
    expect(traced.rec.transitions.filter((t) => t.kind === 'CAUSE_DECIDED').at(-1)).toMatchObject({ data: { trace: 'EXCEPTION' }, decision: { outcome: 'COURIER_CLAIM' } });
    await cases.client.workflow.getHandle(String(traced.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId)).terminate('test over');
    await traced.handle.terminate('test over');
    await expect(traced.done).rejects.toThrow();

    // Its trace says it is coming back, then "signed for" (the shop taking it in): an agent checks it, never delivered.
    const back = await open('RETURNING');
    await back.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(back);
    await back.until('AWAITING_AGENT');
    expect(back.rec.transitions.filter((t) => t.kind === 'CAUSE_DECIDED').map((t) => [t.decision!.outcome, t.data!.courierReported])).toEqual([['TREAT_AS_DELAY', undefined], ['CHECK_SIGNATURE', 'RETURNING']]);
    await back.handle.terminate('test over');
    await expect(back.done).rejects.toThrow();
    const signedIn = await open('IN_TRANSIT');
    await signedIn.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(signedIn);
    await signedIn.until('FOLLOWING');
    signedIn.rec.trace = { status: 'DELIVERED', deliveredAt: 1, events: [{ at: 1, code: '退回' }, { at: 2, code: '已签收' }] };
    await Promise.all([cases.env.sleep(DAY + HOUR), signedIn.until('AWAITING_AGENT')]);
    expect(signedIn.rec.kinds()).not.toContain('DELIVERED');
    await signedIn.handle.terminate('test over');
    await expect(signedIn.done).rejects.toThrow();
  });

  it('reported delivered after all while the customer chooses: an agent confirms with them; not theirs, they are asked again; theirs, nothing is sent again (lost-parcel-delivered-after-loss)', async () => {
    const run = await open('EXCEPTION');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(run);
    await run.until('AWAITING_CUSTOMER_CHOICE');
    const claimId = String((await run.rec.stepped('CLAIM_STARTED')).data!.claimWorkflowId);
    const report = async (code: string, description?: string, at?: number) => run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, code, description, at: at ?? (await cases.env.currentTimeMs()) });
    // A scan on the way is no news; its delivery is.
    await report('IN_TRANSIT');
    const deliveredAt = await cases.env.currentTimeMs();
    await report('DELIVERED', '签收人：王五', deliveredAt);
    await run.until('AWAITING_AGENT');
    expect((await run.rec.stepped('DELIVERED_AFTER_LOSS')).data).toMatchObject({ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber, signer: '王五' });
    expect((await run.rec.sent('lostParcelDeliveredAfterAll')).params).toMatchObject({ carrier: 'SF', trackingNumber: run.input.shipment.trackingNumber });
    // The case tells its claim itself (no API here): filed, it is withdrawn.
    await waitUntil('the claim withdrawn', () => run.rec.withdrawals.length > 0);
    expect(run.rec.claims).toHaveLength(1);
    // Meanwhile the customer's choice waits for the agent.
    await expect(run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] })).rejects.toMatchObject({ cause: { message: 'the case is at stage AWAITING_AGENT, not AWAITING_CUSTOMER_CHOICE' } });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE', note: 'signed by a neighbour the customer does not know' }] });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    // Asked again as signed for without them: "lost on its way, we deal with the courier" no longer holds.
    expect((await run.rec.sent('lostParcelSignedChoice')).params).toMatchObject({ lines: run.input.lines });
    expect(run.rec.templates().filter((t) => t === 'lostParcelChoice')).toHaveLength(1);
    // The delivery the agent weighed is not news again (a carrier's retry of it).
    await report('DELIVERED', '签收人：王五', deliveredAt);
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'RESHIP' }] });
    await run.until('AWAITING_RESHIPMENT');
    expect(run.rec.kinds().filter((k) => k === 'DELIVERED_AFTER_LOSS')).toHaveLength(1);
    // Found and delivered again before the re-shipment left: the warehouse holds it; the customer has it, so nothing goes.
    await report('DELIVERED', undefined, deliveredAt + HOUR);
    await run.until('AWAITING_AGENT');
    expect((await run.rec.stepped('DELIVERED_AFTER_LOSS', 2)).data).toMatchObject({ remedy: 'RESHIP' });
    await expect(run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'SF', trackingNumber: 'SF-AGAIN' }] })).rejects.toMatchObject({ cause: { message: 'the case is at stage AWAITING_AGENT, not AWAITING_RESHIPMENT' } });
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CLOSE', note: 'the customer has the parcel' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    // The goods booked out for the re-shipment are back on the shelf; nothing refunded.
    expect(run.rec.docs()).toEqual(['OUTBOUND', 'OUTBOUND_REVERSAL']);
    const stock = run.rec.ledger.flatMap((d) => d.lines ?? []).reduce((sum, l) => sum + (('stockDelta' in l && typeof l.stockDelta === 'number') ? l.stockDelta : 0), 0);
    expect(stock).toBe(0);
    expect(run.rec.refunds).toEqual([]);
    expect(run.rec.kinds()).not.toContain('RESHIPPED');
    expect(await cases.client.workflow.getHandle(claimId).result()).toMatchObject({ status: 'WITHDRAWN' });
    await saveHistory(run, 'lost-parcel-v28-delivered-after-loss');
  });

  it('delivered before the cause was decided on a trace in exception, or heard with the choice of the money: confirmed with the customer before anything is paid (lost-parcel-delivered-after-loss)', async () => {
    const at = await cases.env.currentTimeMs();
    // Reported while the warehouse confirmed the dispatch: the trace in exception decided, not the report.
    const early = await open('EXCEPTION');
    await early.until('AWAITING_DISPATCH_CONFIRMATION');
    await early.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: early.input.shipment.trackingNumber, code: 'DELIVERED', at });
    await dispatched(early);
    await early.until('AWAITING_AGENT');
    expect((await early.rec.stepped('DELIVERED_AFTER_LOSS')).data).toMatchObject({ deliveredAt: at });
    await early.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CLOSE', note: 'the customer has it' }] });
    expect(await early.done).toBe('CLOSED_BY_AGENT');
    expect(early.rec.refunds).toEqual([]);
    expect(await cases.client.workflow.getHandle(String((await early.rec.stepped('CLAIM_STARTED')).data!.claimWorkflowId)).result()).toMatchObject({ status: 'WITHDRAWN' });

    // The delivery and the customer's choice of the money come while the choice's message is still going out.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const both = await open('EXCEPTION', (rec) => {
      const notify = rec.notifyCustomer;
      rec.notifyCustomer = async (n) => (n.template === 'lostParcelChoice' ? held.then(() => notify(n)) : notify(n));
    });
    await both.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(both);
    await both.rec.stepped('CHOICE_REQUESTED');
    await both.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: both.input.shipment.trackingNumber, code: 'DELIVERED', at });
    await both.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    release();
    await both.until('AWAITING_AGENT');
    expect((await both.rec.stepped('DELIVERED_AFTER_LOSS')).data).toMatchObject({ remedy: 'REFUND' });
    expect(both.rec.refunds).toEqual([]);
    // Not theirs: the money they chose goes ahead.
    await both.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE', note: 'signed by a stranger' }] });
    await both.until('RESOLVED');
    expect(both.rec.refunds.map((r) => r.amountMinor)).toEqual([28_000]);
    expect(await cases.client.workflow.getHandle(String((await both.rec.stepped('CLAIM_STARTED')).data!.claimWorkflowId)).result()).toMatchObject({ status: 'WITHDRAWN' });
    await both.handle.terminate('test over');
    await expect(both.done).rejects.toThrow();
  });

  it('signed for by someone else: an agent checks the signature and may close; a late warehouse is escalated', async () => {
    const run = await open('DELIVERED');
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await cases.env.sleep(25 * HOUR);
    expect(run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_TASK_LATE')).toMatchObject({ late: true, escalated: true });
    await dispatched(run);
    await run.until('AWAITING_AGENT');
    expect(run.rec.kinds()).toContain('CHECK_SIGNATURE');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CLOSE', note: 'a neighbour signed; the customer has it' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.refunds).toEqual([]);

    // Checked, and not received after all: the customer chooses, told it was signed for without them — not that it was lost on its way and claimed.
    const notTheirs = await open('DELIVERED');
    notTheirs.rec.trace = { status: 'DELIVERED', deliveredAt: 7_000, events: [{ at: 5_000, code: 'IN_TRANSIT' }, { at: 7_000, code: '已签收', description: '签收人：李四，快递柜' }] };
    await notTheirs.until('AWAITING_DISPATCH_CONFIRMATION');
    await dispatched(notTheirs);
    await notTheirs.until('AWAITING_AGENT');
    // The agent reads who signed and when, as the trace says.
    expect((await notTheirs.rec.stepped('CHECK_SIGNATURE')).data).toMatchObject({ trace: 'DELIVERED', deliveredAt: 7_000, signer: '李四' });
    await notTheirs.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE', note: 'the signature is not the customer’s' }] });
    await notTheirs.until('AWAITING_CUSTOMER_CHOICE');
    expect(notTheirs.rec.templates()).toContain('lostParcelSignedChoice');
    expect(notTheirs.rec.templates()).not.toContain('lostParcelChoice');
    expect(notTheirs.rec.kinds()).not.toContain('CLAIM_STARTED');
    await notTheirs.handle.terminate('test over');
    await expect(notTheirs.done).rejects.toThrow();
  });

  it("the warehouse's record numbers the parcel otherwise: that parcel is traced and claimed, and followed", async () => {
    const run = await open('EXCEPTION');
    const renumbered = `SF-RIGHT-${run.input.order.orderId}`;
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await run.handle.executeUpdate(confirmDispatch, { args: [{ by: 'clerk', dispatched: true, trackingNo: renumbered }] });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    // Tracing the storefront's number would have found nothing and blamed a person (NEVER_RECEIVED).
    expect(run.rec.traced).toEqual([renumbered]);
    expect(run.rec.transitions.find((t) => t.kind === 'DISPATCH_CONFIRMED')).toMatchObject({ data: { carrier: 'SF', originalTracking: renumbered, reportedTrackingNumber: run.input.shipment.trackingNumber } });
    expect(run.rec.transitions.find((t) => t.kind === 'CAUSE_DECIDED')!.decision).toMatchObject({ outcome: 'COURIER_CLAIM' });
    const claim = cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId));
    expect(claim.workflowId).toContain(renumbered);
    await waitUntil('the claim process to file the courier claim', () => run.rec.claims.length > 0);
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'SF', trackingNumber: renumbered })]);
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'lost-parcel-v8-dispatch-renumbered');
    await claim.terminate('test over');
  });

  it("the warehouse's record names another carrier for the same number: that carrier's parcel is traced and claimed", async () => {
    const run = await open('EXCEPTION');
    const number = run.input.shipment.trackingNumber;
    await run.until('AWAITING_DISPATCH_CONFIRMATION');
    await run.handle.executeUpdate(confirmDispatch, { args: [{ by: 'clerk', dispatched: true, trackingNo: number, carrier: 'JD' }] });
    await run.until('AWAITING_CUSTOMER_CHOICE');
    expect(run.rec.transitions.find((t) => t.kind === 'DISPATCH_CONFIRMED')).toMatchObject({ data: { carrier: 'JD', originalTracking: number, reportedCarrier: 'SF', reportedTrackingNumber: number } });
    const claim = cases.client.workflow.getHandle(String(run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!.data!.claimWorkflowId));
    await waitUntil('the claim process to file the courier claim', () => run.rec.claims.length > 0);
    // Claimed from the storefront's carrier, the claim would have gone to a courier that never had the parcel.
    expect(run.rec.claims).toEqual([expect.objectContaining({ carrier: 'JD', trackingNumber: number })]);
    await run.handle.executeUpdate(chooseRemedy, { args: [{ remedy: 'REFUND' }] });
    await run.until('RESOLVED');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'lost-parcel-v8-dispatch-other-carrier');
    await claim.terminate('test over');
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
