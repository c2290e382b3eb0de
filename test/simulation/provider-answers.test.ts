/**
 * Providers' answers are not recorded (a courier's trace, the warehouse's dispatch record): when a
 * simulated case asks for one, the simulator's answer stands in, and the case is marked as resting
 * on it — charged to the case the parcel or the order belongs to.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { InMemoryCaseActivities, routedActivities } from '../../simulation/in-memory-activities.js';
import { ANSWER_WRITTEN_WITHIN_MS, courierAnswerAt, courierAnswers, parcelCorrections, shiftInstants, warehouseAnswerAt, warehouseAnswers } from '../../simulation/recorded.js';
import { caseResult } from '../../simulation/result.js';

describe("a provider's answer in a simulated case", () => {
  it('is charged to the case of the parcel or order, once per kind, at the stage it was asked', async () => {
    const lost = new InMemoryCaseActivities();
    const other = new InMemoryCaseActivities();
    await lost.recordTransition({ caseId: 'sim-lost', stepKey: '1:FOLLOWING', kind: 'FOLLOWING', stage: 'FOLLOWING', version: 1 });
    const stores = new Map([['sim-lost', lost], ['sim-other', other]]);
    const keys = new Map([['trace:SF-LOST-1', 'sim-lost'], ['dispatch:o-lost', 'sim-lost']]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), (key) => stores.get(keys.get(key) ?? ''));

    expect(await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-LOST-1' })).toMatchObject({ status: 'IN_TRANSIT' });
    await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-LOST-1' });
    await activities.orderDispatch({ orderId: 'o-lost' });
    await activities.trackParcel({ carrier: 'SF', trackingNumber: 'SF-UNKNOWN' });
    expect(lost.providerAnswers).toEqual([
      { kind: 'courierTrace', stage: 'FOLLOWING' },
      { kind: 'warehouseDispatch', stage: 'FOLLOWING' },
    ]);
    expect(other.providerAnswers).toEqual([]);

    const result = caseResult({ caseId: 'lost', simulatedCaseId: 'sim-lost', workflowType: 'lostParcel', openedAt: 0, opening: {}, outcome: 'UNFINISHED', store: lost, dropped: [], formerlyRefusedAccepted: [], recordedKinds: new Set() });
    expect(result.assumed).toBe(true);
    expect(result.assumedAt).toContainEqual({ stage: 'FOLLOWING', rule: 'courierTrace', outcome: 'SIMULATED' });
    expect(result.assumptions[0]).toMatch(/courier's trace is not in history/);
  });

  it("is what the real case heard from the warehouse when its steps say: the latest by the time asked, no assumption; a cancellation reverses what was picked", async () => {
    const t0 = 1_800_000_000_000;
    const refund = new InMemoryCaseActivities();
    refund.recordedDispatch = [
      { heardAt: t0 + 500, dispatch: { status: 'PICKED', outboundId: 'ob-1' } },
      { heardAt: t0 + 3_600_500, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1' } },
    ];
    const stores = new Map([['sim-refund', refund]]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), (key) => (key === 'dispatch:o-1' ? refund : undefined));
    // A call that names no case is the order's case's (its own record).
    const at = (ms: number) => new MockActivityEnvironment({ currentAttemptScheduledTimestampMs: ms }, { logger: new DefaultLogger('ERROR') });
    expect(await at(t0).run(activities.orderDispatch, { orderId: 'o-1' })).toEqual({ status: 'PICKED', outboundId: 'ob-1' });
    expect(await activities.cancelOrder({ caseId: 'sim-refund', stepKey: 'k', orderId: 'o-1', reason: 'x' })).toEqual({ reversedOutboundId: 'ob-1' });
    expect(await at(t0 + 1_800_000).run(activities.orderDispatch, { orderId: 'o-1' })).toEqual({ status: 'PICKED', outboundId: 'ob-1' });
    // Asked the moment the real case asked: its step was written a little later.
    expect(await at(t0 + 3_600_000).run(activities.orderDispatch, { orderId: 'o-1' })).toMatchObject({ status: 'SHIPPED', trackingNumber: 'SF1' });
    expect(await at(t0 + 86_400_000).run(activities.orderDispatch, { orderId: 'o-1' })).toMatchObject({ status: 'SHIPPED', trackingNumber: 'SF1' });
    // On a clock moved by a week, as the engine moves a batch: the times asked and shipped move with it.
    refund.clockShift = 7 * 86_400_000;
    refund.recordedDispatch = [{ heardAt: t0 + 500, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1', shippedAt: t0 - 1000 } }];
    expect(await at(t0 + refund.clockShift).run(activities.orderDispatch, { orderId: 'o-1' })).toEqual({ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1', shippedAt: t0 - 1000 + refund.clockShift });
    expect(refund.providerAnswers).toEqual([]);
    // An order no step told about: the simulator's answer, an assumption as before.
    const other = new InMemoryCaseActivities();
    const fallback = routedActivities((id) => stores.get(id)!, () => stores.values(), () => other);
    expect(await fallback.orderDispatch({ orderId: 'o-2' })).toEqual({ status: 'NOT_PICKED' });
    expect(other.providerAnswers).toEqual([{ kind: 'warehouseDispatch', stage: 'OPENED' }]);
  });

  it('goes to the asking case first: two cases of one order each hear what the warehouse told them', async () => {
    const refund = new InMemoryCaseActivities();
    refund.recordedDispatch = [{ heardAt: 1_800_000_000_000, dispatch: { status: 'PICKED' } }];
    const inquiry = new InMemoryCaseActivities();
    inquiry.recordedDispatch = [{ heardAt: 1_800_000_000_000, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF3' } }];
    const stores = new Map([['sim-refund', refund], ['sim-inquiry', inquiry]]);
    // The order's key names the inquiry (named last), as the engine's map would.
    const activities = routedActivities((id) => stores.get(id) ?? new InMemoryCaseActivities(), () => stores.values(), () => inquiry);
    const askedBy = (caseId: string) => new MockActivityEnvironment({ workflowExecution: { workflowId: `case-${caseId}`, runId: 'r' } }, { logger: new DefaultLogger('ERROR') });
    expect(await askedBy('sim-refund').run(activities.orderDispatch, { orderId: 'o-3' })).toEqual({ status: 'PICKED' });
    expect(await askedBy('sim-inquiry').run(activities.orderDispatch, { orderId: 'o-3' })).toMatchObject({ status: 'SHIPPED' });
    expect([refund.providerAnswers, inquiry.providerAnswers]).toEqual([[], []]);
  });
});

describe("the warehouse's answers a real case recorded (warehouseAnswers)", () => {
  const T = 1_700_000_000_000;
  it("reads a refund before shipping's check and its already-shipped close, and a tracking inquiry's checks with the parcel the system named, each at its step's time", () => {
    expect(
      warehouseAnswers([
        { kind: 'DISPATCH_CHECKED', version: 2, at: T + 1, data: { status: 'PICKED', outboundId: 'ob-9' }, decision: { values: {} } },
        { kind: 'ALREADY_SHIPPED', version: 6, at: T + 2, data: { carrier: 'SF', originalTracking: 'SF9' }, decision: null },
      ]),
    ).toEqual([
      { heardAt: T + 1, dispatch: { status: 'PICKED', outboundId: 'ob-9' } },
      { heardAt: T + 2, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF9' } },
    ]);
    // Found shipped after the merchant's answer, and its parcel intercepted (refund-not-shipped-intercepts): the same later answer.
    expect(
      warehouseAnswers([
        { kind: 'DISPATCH_CHECKED', version: 2, at: T + 1, data: { status: 'PACKED', outboundId: 'ob-8' }, decision: { values: {} } },
        { kind: 'MERCHANT_APPROVED', version: 4, at: T + 2, data: {}, decision: null },
        { kind: 'FOUND_SHIPPED', version: 5, at: T + 3, data: { carrier: 'SF', trackingNumber: 'SF1', shippedAt: T + 2 }, decision: { outcome: 'INTERCEPT', values: {} } },
      ]),
    ).toEqual([
      { heardAt: T + 1, dispatch: { status: 'PACKED', outboundId: 'ob-8' } },
      { heardAt: T + 3, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1', shippedAt: T + 2 } },
    ]);
    expect(warehouseAnswers([{ kind: 'DISPATCH_CHECKED', version: 2, at: T, data: { status: 'SHIPPED', carrier: 'ZTO', originalTracking: 'Z1', shippedAt: T - 5 }, decision: null }])).toEqual([
      { heardAt: T, dispatch: { status: 'SHIPPED', carrier: 'ZTO', trackingNumber: 'Z1', shippedAt: T - 5 } },
    ]);
    expect(
      warehouseAnswers([
        { kind: 'URGE_CHECKED', version: 2, at: T + 1, data: { dispatch: 'NOT_PICKED' }, decision: { outcome: 'ASK_TO_WAIT', values: { now: 1 } } },
        { kind: 'URGE_CHECKED', version: 5, at: T + 2, data: { dispatch: 'SHIPPED' }, decision: { outcome: 'LOOK_UP_TRACE', values: { shippedAt: T } } },
        { kind: 'FOLLOWING_PARCEL', version: 8, at: T + 3, data: { carrier: 'SF', outboundTracking: 'SF7' }, decision: null },
      ]),
    ).toEqual([
      { heardAt: T + 1, dispatch: { status: 'NOT_PICKED' } },
      { heardAt: T + 2, dispatch: { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF7', shippedAt: T } },
    ]);
    // The parcel taken, but no step names it (an agent closed the case first): no answer the workflow could follow.
    expect(warehouseAnswers([{ kind: 'URGE_CHECKED', version: 2, at: T, data: { dispatch: 'SHIPPED' }, decision: { outcome: 'LOOK_UP_TRACE', values: { shippedAt: T } } }])).toEqual([]);
    // Shipped without a number (the workflow's not shipped): so, whatever parcel comes later.
    expect(
      warehouseAnswers([
        { kind: 'URGE_CHECKED', version: 2, at: T, data: { dispatch: 'SHIPPED' }, decision: { outcome: 'ASK_TO_WAIT', values: {} } },
        { kind: 'URGE_CHECKED', version: 6, at: T + 9, data: { dispatch: 'SHIPPED' }, decision: { outcome: 'APOLOGISE_AND_SHIP_NOW', values: {} } },
        { kind: 'SHIPPED', version: 12, at: T + 20, data: { carrier: 'SF', outboundTracking: 'SF8' }, decision: null },
      ]),
    ).toEqual([
      { heardAt: T, dispatch: { status: 'SHIPPED' } },
      { heardAt: T + 9, dispatch: { status: 'SHIPPED' } },
    ]);
    expect(warehouseAnswers([{ kind: 'DISPATCH_CHECKED', version: 2, at: T, data: { status: 'LOST' }, decision: null }])).toEqual([]);
  });
});

describe("the warehouse's answer to a question asked at a time (warehouseAnswerAt)", () => {
  const T = 1_700_000_000_000;
  const H = 3_600_000;
  it('is the latest known by then, the first before any; a step written just after the question answers it, but not before the answer before it', () => {
    const answers = [
      { heardAt: T + 500, dispatch: { status: 'NOT_PICKED' as const } },
      { heardAt: T + 76 * H + 500, dispatch: { status: 'SHIPPED' as const, carrier: 'SF', trackingNumber: 'SF1' } },
    ];
    expect(warehouseAnswerAt([], T)).toBeUndefined();
    expect([T - H, T, T + 4 * H, T + 52 * H, T + 76 * H - 2 * ANSWER_WRITTEN_WITHIN_MS].map((t) => warehouseAnswerAt(answers, t)?.status)).toEqual(['NOT_PICKED', 'NOT_PICKED', 'NOT_PICKED', 'NOT_PICKED', 'NOT_PICKED']);
    expect([T + 76 * H, T + 90 * H].map((t) => warehouseAnswerAt(answers, t)?.status)).toEqual(['SHIPPED', 'SHIPPED']);
    // A merchant who answered at once: the re-check's close (20 s after the first check) does not answer the first question.
    const quick = [
      { heardAt: T + 500, dispatch: { status: 'PICKED' as const } },
      { heardAt: T + 20_500, dispatch: { status: 'SHIPPED' as const } },
    ];
    expect([T, T + 10_000, T + 20_000].map((t) => warehouseAnswerAt(quick, t)?.status)).toEqual(['PICKED', 'SHIPPED', 'SHIPPED']);
  });
});

describe("the courier's trace a real case recorded (courierAnswers, courierAnswerAt)", () => {
  const T = 1_700_000_000_000;
  it('answers by parcel and time; a mistyped number corrected since is asked as the right one; nothing of a parcel no step names', () => {
    const steps = [
      { kind: 'CAUSE_DECIDED', version: 3, at: T, data: { trace: 'EXCEPTION' }, decision: { outcome: 'LOST' } },
      { kind: 'FOLLOWING_PARCEL', version: 9, at: T + 10, data: { carrier: 'SF', outboundTracking: 'SF0O1' }, decision: null },
      { kind: 'FOLLOWED_PARCEL_CORRECTED', version: 11, at: T + 20, data: { carrier: 'SF', outboundTracking: 'SF001', previousOutboundTracking: 'SF0O1' }, decision: null },
      { kind: 'DELIVERED', version: 14, at: T + 86_400_000, data: { deliveredAt: T + 86_000_000 }, decision: null },
    ];
    const answers = courierAnswers(steps);
    expect(answers).toEqual([
      { heardAt: T, trace: { status: 'EXCEPTION' } },
      { heardAt: T + 86_400_000, trackingNumber: 'SF001', trace: { status: 'DELIVERED', deliveredAt: T + 86_000_000 } },
    ]);
    const corrections = parcelCorrections(steps);
    expect(courierAnswerAt(answers, 'SFLOST', T)).toEqual({ status: 'EXCEPTION' });
    expect(courierAnswerAt(answers, 'SF001', T + 3_600_000, corrections)).toEqual({ status: 'IN_TRANSIT' });
    expect(courierAnswerAt(answers, 'SF001', T + 86_400_000, corrections)).toEqual({ status: 'DELIVERED', deliveredAt: T + 86_000_000 });
    // The replay still follows the mistyped number (its correction refused there): the parcel really sent answers.
    expect(courierAnswerAt(answers, 'sf 0o1', T + 2 * 86_400_000, corrections)).toMatchObject({ status: 'DELIVERED' });
    expect(courierAnswerAt([], 'SF001', T)).toBeUndefined();
  });

  it('moves a ship promise and event times with the clock, as it moves keys ending in At', () => {
    expect(shiftInstants({ promisedShipBy: T, at: T, openedAt: T, afterMs: 5, count: 3 }, 7)).toEqual({ promisedShipBy: T + 7, at: T + 7, openedAt: T + 7, afterMs: 5, count: 3 });
  });

  it("a delay's TRACED step says when its parcel was delivered: a parcel delivered late before the case opened is late in the replay too", () => {
    const answers = courierAnswers([{ kind: 'TRACED', version: 2, at: T, data: { trace: 'DELIVERED', deliveredAt: T - 86_400_000 }, decision: null }]);
    expect(answers).toEqual([{ heardAt: T, trace: { status: 'DELIVERED', deliveredAt: T - 86_400_000 } }]);
  });
});

describe('a silence in the replay', () => {
  it("ends by silence a wait the real case is still in: assumed, though the real case reached that stage", async () => {
    // The real case waits for its return parcel (its last stage); the replay ran on past the deadline and closed it.
    const store = new InMemoryCaseActivities();
    await store.recordTransition({ caseId: 'sim-r', stepKey: '1:RETURN_APPROVED', kind: 'RETURN_APPROVED', stage: 'AWAITING_RETURN_SHIPMENT', version: 1 });
    await store.recordTransition({ caseId: 'sim-r', stepKey: '2:NOT_SHIPPED', kind: 'NOT_SHIPPED', stage: 'CLOSED', status: 'CLOSED', version: 2, decision: { rule: 'customerShipReturnDays', outcome: 'CLOSE', values: {}, policyVersion: 1 } });
    const facts = { caseId: 'r', simulatedCaseId: 'sim-r', workflowType: 'returnAndRefund', openedAt: 0, opening: {}, outcome: 'NOT_SHIPPED', store, dropped: [], formerlyRefusedAccepted: [], recordedKinds: new Set<string>() };
    const waiting = caseResult({ ...facts, recordedStages: ['AWAITING_DECISION', 'AWAITING_RETURN_SHIPMENT'] });
    expect(waiting.assumed).toBe(true);
    expect(waiting.assumedAt).toEqual([{ stage: 'AWAITING_RETURN_SHIPMENT', rule: 'customerShipReturnDays', outcome: 'CLOSE' }]);
    expect(waiting.assumptions[0]).toMatch(/the real case still waits/);
    // The real case's own wait ended there by silence too (it moved on to CLOSED): history, not an assumption.
    expect(caseResult({ ...facts, recordedStages: ['AWAITING_DECISION', 'AWAITING_RETURN_SHIPMENT', 'CLOSED'] }).assumed).toBe(false);
  });
});
