/**
 * Tracking inquiry / urge (查件 / 催件) on the time-skipping dev server: within the promise
 * (explained, checked again when it passes), past it (apology, shipped now — a late warehouse is
 * escalated), and each trace class: delivered, in transit, stalled, signed by someone else,
 * damaged (a claim on the side), each followed until delivered.
 */
import { describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy, defaultPolicy, type OrderSnapshot, type Policy } from '../../domain/index.js';
import { answerRevisit, courierEvent, reportReshipment, resolveByAgent } from '../../workflows/contract.js';
import type { TrackingInquiryInput } from '../../workflows/tracking-inquiry.js';
import { DAY, HOUR, newCaseId, roundTheClockShopAtSix, saveHistory, useCaseEnvironment } from './case-harness.js';
import { RecordingActivities, renderProblems } from './recording-activities.js';
import { waitUntil } from '../support/wait.js';

const cases = useCaseEnvironment();

const order = (): OrderSnapshot => ({ orderId: newCaseId('tr-o'), currency: 'CNY', items: [{ sku: 'TEA', name: 'Tea', quantity: 2, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 10_000 });

async function open(o: { shipped?: boolean; promiseInHours?: number; trace?: { status: string; events?: Array<{ at: number; code: string; description?: string }> }; dispatch?: RecordingActivities['dispatch']; policy?: Policy } = {}) {
  const rec = new RecordingActivities();
  if (o.trace) rec.trace = o.trace;
  if (o.dispatch) rec.dispatch = o.dispatch;
  const now = await cases.env.currentTimeMs();
  const input: TrackingInquiryInput = {
    caseId: newCaseId('tr'),
    merchantId: 'm1',
    policy: o.policy ?? { ...defaultPolicy(), version: 14 },
    fulfilment: defaultFulfilmentPolicy(14),
    order: order(),
    ...(o.shipped === false ? {} : { shipment: { carrier: 'SF', trackingNumber: 'SF-TR' } }),
    promisedShipBy: now + (o.promiseInHours ?? -24) * HOUR,
    recipientName: '王芳',
    customer: { id: 'cust-tr', locale: 'zh-CN' },
    openedAt: now,
  };
  return cases.start('trackingInquiry', input, rec);
}
type Run = Awaited<ReturnType<typeof open>>;
async function deliver(run: Run) {
  // Signed for now: a redelivery is delivered by a scan after it, not by one from before.
  run.rec.trace = { status: 'DELIVERED', events: [{ at: await cases.env.currentTimeMs(), code: 'SIGNED', description: '签收人：王芳' }] };
  await Promise.all([cases.env.sleep(DAY + HOUR), run.until('RESOLVED')]);
}
async function end(run: Run) {
  await run.handle.terminate('test over');
  await expect(run.done).rejects.toThrow();
}

describe('tracking inquiry', () => {
  it('delivered to the recipient: answered at once, resolved', async () => {
    const run = await open({ trace: { status: 'DELIVERED', events: [{ at: 1, code: 'SIGNED', description: '签收人：王芳' }] } });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'TRACE_CLASSIFIED')!.decision).toMatchObject({ rule: 'trackingTrace', outcome: 'DELIVERED', policyVersion: 14 });
    // Said in words, with no promise to follow a parcel that has arrived (traceAnswer before the patch: the status code).
    expect((await run.rec.sent('traceDelivered')).params).toEqual({ carrier: 'SF', trackingNumber: 'SF-TR' });
    expect(run.rec.templates()).not.toContain('traceAnswer');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v17-words-delivered');
  });

  it('in transit: answered and followed until delivered', async () => {
    const now = await cases.env.currentTimeMs();
    const run = await open({ trace: { status: 'IN_TRANSIT', events: [{ at: now - HOUR, code: 'IN_TRANSIT' }] } });
    await run.until('FOLLOWING');
    expect(run.rec.templates()).toContain('traceInTransit');
    await deliver(run);
    expect(run.rec.kinds()).toEqual(expect.arrayContaining(['ANSWER_CUSTOMER', 'DELIVERED', 'RESOLVED']));
    await end(run);
  });

  it('stalled for two days: the courier chased, escalated, followed', async () => {
    const now = await cases.env.currentTimeMs();
    const run = await open({ trace: { status: 'IN_TRANSIT', events: [{ at: now - 50 * HOUR, code: 'ARRIVED_HUB' }] } });
    await run.until('FOLLOWING');
    expect(run.rec.transitions.find((t) => t.kind === 'TRACE_CLASSIFIED')).toMatchObject({ escalated: true, decision: { outcome: 'STALLED', values: { action: 'CHASE_COURIER' } } });
    expect(run.rec.templates()).toContain('traceStalled');
    await deliver(run);
    await end(run);
  });

  it('signed by someone else: an agent confirms with the signer, then it is followed (redelivered)', async () => {
    const run = await open({ trace: { status: 'DELIVERED', events: [{ at: 1, code: 'SIGNED', description: '签收人：门卫' }] } });
    await run.until('AWAITING_AGENT');
    expect(run.rec.kinds()).toContain('CONFIRM_WITH_SIGNER');
    // Told before the agent calls (the wait was silent before the patch).
    expect(run.rec.templates()).toContain('traceSignedByOther');
    run.rec.trace = { status: 'IN_TRANSIT', events: [] };
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'REFUND_REQUESTED', note: 'courier redelivers to the customer' }] });
    await run.until('FOLLOWING');
    await deliver(run);
    await end(run);
  });

  it('signed by someone else, redelivered: the old signature still on the trace is not the delivery; the customer is told only of the new one', async () => {
    const now = await cases.env.currentTimeMs();
    const run = await open({ trace: { status: 'DELIVERED', events: [{ at: now - HOUR, code: 'SIGNED', description: '签收人：门卫' }] } });
    await run.until('AWAITING_AGENT');
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE', note: 'courier redelivers to the door' }] });
    await run.until('FOLLOWING');
    // Polled twice with the guard's signature still on it: followed, not delivered.
    await cases.env.sleep(2 * run.input.fulfilment.rules.reshipmentTraceEveryHours * HOUR + 60_000);
    expect(run.rec.kinds()).not.toContain('DELIVERED');
    expect(run.rec.templates()).not.toContain('parcelDelivered');
    await deliver(run);
    expect(run.rec.kinds()).toContain('DELIVERED');
    expect(run.rec.templates()).toContain('parcelDelivered');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v19-redelivery-old-signature');
  });

  it('refused at the door: an agent arranges the redelivery, which is followed — the refusal the agent dealt with does not come back as news', async () => {
    const now = await cases.env.currentTimeMs();
    const run = await open({ trace: { status: 'IN_TRANSIT', events: [{ at: now - HOUR, code: 'REFUSED' }] } });
    await run.until('AWAITING_AGENT');
    expect(run.rec.kinds()).toContain('CONTACT_THEN_RETURN_OR_HOLD');
    expect(run.rec.templates()).toContain('traceRefusedOrUnreachable');
    // The courier's own callback for the same refusal, held by the case until something listens.
    await run.handle.signal(courierEvent, { carrier: 'SF', trackingNumber: 'SF-TR', code: 'REFUSED', at: now - HOUR });
    await cases.env.sleep(HOUR);
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CONTINUE', note: 'customer asked for redelivery' }] });
    await run.until('FOLLOWING');
    await deliver(run);
    expect(run.rec.kinds()).not.toContain('DELIVERY_FAILED');
    await end(run);
  });

  it('damaged on the way: claimed from the courier on the side, an agent may close', async () => {
    const run = await open({ trace: { status: 'EXCEPTION', events: [{ at: 1, code: 'DAMAGED', description: 'box crushed' }] } });
    await run.until('AWAITING_AGENT');
    const started = run.rec.transitions.find((t) => t.kind === 'CLAIM_STARTED')!;
    expect(started).toBeDefined();
    await run.handle.executeUpdate(resolveByAgent, { args: [{ by: { kind: 'agent', id: 'a' }, action: 'CLOSE', note: 'customer opened a transit-damage case' }] });
    expect(await run.done).toBe('CLOSED_BY_AGENT');
    expect(run.rec.templates()).toContain('traceDamaged');
    // Closed by an agent who wrote nothing for the customer: told so, without a why.
    expect(run.rec.templates().at(-1)).toBe('caseClosedByAgent');
    await saveHistory(run, 'tracking-inquiry-v17-words-damaged');
    await cases.client.workflow.getHandle(String(started.data!.claimWorkflowId)).terminate('test over');
  });

  it('urged within the promise: explained; when the promise passes unshipped: apology, shipped now (late warehouse escalated)', async () => {
    const run = await open({ shipped: false, promiseInHours: 10, dispatch: { status: 'PICKED' } });
    await run.until('AWAITING_PROMISED_SHIPPING');
    expect(run.rec.transitions.find((t) => t.kind === 'URGE_CHECKED')!.decision).toMatchObject({ rule: 'urgeDelivery', outcome: 'ASK_TO_WAIT' });
    expect((await run.rec.sent('urgeWait')).params).toEqual({ promisedShipBy: run.input.promisedShipBy });
    await Promise.all([cases.env.sleep(11 * HOUR), run.until('AWAITING_DISPATCH')]);
    expect(run.rec.transitions.filter((t) => t.kind === 'URGE_CHECKED').map((t) => t.decision!.outcome)).toEqual(['ASK_TO_WAIT', 'APOLOGISE_AND_SHIP_NOW']);
    await run.rec.sent('urgeApology');
    await cases.env.sleep(5 * HOUR);
    // The warehouse system asked again first (still picked), then late.
    await waitUntil('the warehouse late', () => run.rec.kinds().includes('WAREHOUSE_TASK_LATE'));
    expect(run.rec.transitions.find((t) => t.kind === 'WAREHOUSE_TASK_LATE')!.decision).toMatchObject({ rule: 'urgentWarehouseHours' });
    await run.handle.executeUpdate(reportReshipment, { args: [{ by: 'packer', carrier: 'YTO', trackingNumber: 'YT-NOW' }] });
    await run.until('FOLLOWING');
    // Told it is on its way, with its number: its trace, read the moment it left, would be empty
    // (NO_TRACE: "no tracking information", and the case escalated).
    expect((await run.rec.sent('urgeShipped')).params).toEqual({ carrier: 'YTO', trackingNumber: 'YT-NOW' });
    expect(run.rec.kinds()).not.toContain('TRACE_CLASSIFIED');
    expect(run.rec.transitions.filter((t) => t.escalated).map((t) => t.kind)).toEqual(['WAREHOUSE_TASK_LATE']);
    // Not `late` (its same-day solution was given at once: ship now); the clerk who shipped it named.
    expect(run.rec.transitions.find((t) => t.kind === 'SHIP_NOW')).not.toHaveProperty('late');
    expect(run.rec.transitions.filter((t) => t.late).map((t) => t.kind)).toEqual(['WAREHOUSE_TASK_LATE']); // the warehouse was late here, the case's solution not
    expect(run.rec.transitions.find((t) => t.kind === 'SHIPPED')).toMatchObject({ actor: 'warehouse:packer' });
    await deliver(run);
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v27-urge-wait-solves');
  });

  it('urged within a promise that outlasts the day: the answer to wait is the same-day solution, no breach whatever the hour (urge-wait-solves)', async () => {
    // A shop open round the clock in a zone where it is about 06:00 now: its day ends ~18 h on, the promise in 20.
    const run = await open({ shipped: false, promiseInHours: 20, dispatch: { status: 'PICKED' }, policy: roundTheClockShopAtSix(await cases.env.currentTimeMs(), 14) });
    await run.until('AWAITING_PROMISED_SHIPPING');
    const solutionDueAt = run.rec.transitions.find((t) => t.kind === 'OPENED')!.deadlines!.solutionDueAt!;
    expect(solutionDueAt).toBeLessThan(run.input.promisedShipBy);
    await Promise.all([cases.env.sleep(21 * HOUR), run.until('AWAITING_DISPATCH')]);
    expect(run.rec.kinds()).not.toContain('SLA_BREACHED');
    expect(run.rec.templates()).not.toContain('caseEscalated');
    await end(run);
  });

  it('urged about an order that was cancelled (refunded before it shipped): told it never ships and resolved; nothing for the warehouse to ship', async () => {
    const run = await open({ shipped: false, promiseInHours: -24, dispatch: { status: 'CANCELLED' } });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'URGE_CHECKED')!.decision).toMatchObject({ rule: 'urgeDelivery', outcome: 'ORDER_CANCELLED' });
    expect((await run.rec.sent('urgeOrderCancelled')).params).toEqual({ orderId: run.input.order.orderId });
    expect(run.rec.templates()).not.toContain('urgeApology');
    expect(run.rec.kinds()).not.toContain('SHIP_NOW');
    expect(run.rec.transitions.find((t) => t.stage === 'RESOLVED')).toMatchObject({ kind: 'ORDER_CANCELLED' });
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v23-order-cancelled');
  });

  it('urged about an order the warehouse shipped after its promise: sorry first, then where it is (urge-shipped-late-apology)', async () => {
    const now = await cases.env.currentTimeMs();
    const run = await open({ shipped: false, promiseInHours: -48, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF-LATE', shippedAt: now - 24 * HOUR }, trace: { status: 'DELIVERED', events: [{ at: now - HOUR, code: 'SIGNED', description: '签收人：王芳' }] } });
    await run.until('RESOLVED');
    await run.rec.sent('urgeShippedLateApology');
    const templates = run.rec.templates();
    expect(templates.indexOf('urgeShippedLateApology')).toBeLessThan(templates.indexOf('traceDelivered'));
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 5 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v23-shipped-late');
    // Shipped within its promise: no apology.
    const onTime = await open({ shipped: false, promiseInHours: -48, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF-ONTIME', shippedAt: now - 72 * HOUR }, trace: { status: 'DELIVERED', events: [{ at: now - HOUR, code: 'SIGNED', description: '签收人：王芳' }] } });
    await onTime.until('RESOLVED');
    expect(onTime.rec.templates()).not.toContain('urgeShippedLateApology');
    await end(onTime);
  });

  it('told to ship now, then the order is refunded before the warehouse ships it: found cancelled at a reminder, told it never ships, resolved (urge-dispatch-recheck)', async () => {
    const run = await open({ shipped: false, promiseInHours: -24, dispatch: { status: 'PICKED' } });
    await run.until('AWAITING_DISPATCH');
    // Still picked when the warehouse's time is up: late and escalated, as before.
    await cases.env.sleep(5 * HOUR);
    await waitUntil('the warehouse late', () => run.rec.kinds().includes('WAREHOUSE_TASK_LATE'));
    // Another case of the customer's refunds the order before it ships: the warehouse system cancels it.
    run.rec.dispatch = { status: 'CANCELLED' };
    await Promise.all([cases.env.sleep(25 * HOUR), run.until('RESOLVED')]);
    expect(run.rec.transitions.filter((t) => t.kind === 'URGE_CHECKED').map((t) => t.decision!.outcome)).toEqual(['APOLOGISE_AND_SHIP_NOW', 'ORDER_CANCELLED']);
    expect(run.rec.transitions.find((t) => t.stage === 'RESOLVED')).toMatchObject({ kind: 'ORDER_CANCELLED' });
    expect((await run.rec.sent('urgeOrderCancelled')).params).toEqual({ orderId: run.input.order.orderId });
    // Found at the reminder's time, so no reminder for a task that is gone.
    expect(run.rec.kinds()).not.toContain('WAREHOUSE_REMINDER');
    await Promise.all([cases.env.sleep(3 * DAY + HOUR), run.until('AWAITING_REVISIT')]);
    await run.handle.executeUpdate(answerRevisit, { args: [{ score: 4 }] });
    expect(await run.done).toBe('CLOSED_SATISFIED');
    await saveHistory(run, 'tracking-inquiry-v24-dispatch-cancelled');
  });

  it('told to ship now, shipped through the warehouse system without a report: followed from when its time is up, not escalated', async () => {
    const run = await open({ shipped: false, promiseInHours: -24, dispatch: { status: 'PACKED' } });
    await run.until('AWAITING_DISPATCH');
    const now = await cases.env.currentTimeMs();
    run.rec.dispatch = { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF-WMS', shippedAt: now + HOUR };
    run.rec.trace = { status: 'IN_TRANSIT', events: [{ at: now + 2 * HOUR, code: 'COLLECTED', description: '已揽收' }] };
    await Promise.all([cases.env.sleep(5 * HOUR), run.until('FOLLOWING')]);
    expect(run.rec.transitions.find((t) => t.kind === 'SHIPPED')).toMatchObject({ actor: 'warehouse', data: { carrier: 'SF', outboundTracking: 'SF-WMS' } });
    expect((await run.rec.sent('urgeShipped')).params).toEqual({ carrier: 'SF', trackingNumber: 'SF-WMS' });
    expect(run.rec.kinds()).not.toContain('WAREHOUSE_TASK_LATE');
    await end(run);
  });

  it('urged but already shipped (the warehouse system knows): straight to the trace', async () => {
    const run = await open({ shipped: false, promiseInHours: 10, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF-KNOWN' }, trace: { status: 'DELIVERED', events: [{ at: 1, code: 'SIGNED', description: '签收人：王芳' }] } });
    await run.until('RESOLVED');
    expect(run.rec.transitions.find((t) => t.kind === 'URGE_CHECKED')!.decision).toMatchObject({ outcome: 'LOOK_UP_TRACE' });
    await end(run);
  });

  it('every notification rendered in Chinese and English', () => {
    expect(renderProblems).toEqual([]);
  });
});
