/**
 * Providers' answers are not recorded (a courier's trace, the warehouse's dispatch record): when a
 * simulated case asks for one, the simulator's answer stands in, and the case is marked as resting
 * on it — charged to the case the parcel or the order belongs to.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { InMemoryCaseActivities, routedActivities } from '../../simulation/in-memory-activities.js';
import { warehouseAnswers } from '../../simulation/recorded.js';
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

  it("is what the real case heard from the warehouse when its steps say: in order, the last again, no assumption; a cancellation reverses what was picked", async () => {
    const refund = new InMemoryCaseActivities();
    refund.recordedDispatch = [{ status: 'PICKED', outboundId: 'ob-1' }, { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF1' }];
    const stores = new Map([['sim-refund', refund]]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), (key) => (key === 'dispatch:o-1' ? refund : undefined));
    expect(await activities.orderDispatch({ orderId: 'o-1' })).toEqual({ status: 'PICKED', outboundId: 'ob-1' });
    expect(await activities.cancelOrder({ caseId: 'sim-refund', stepKey: 'k', orderId: 'o-1', reason: 'x' })).toEqual({ reversedOutboundId: 'ob-1' });
    expect(await activities.orderDispatch({ orderId: 'o-1' })).toMatchObject({ status: 'SHIPPED', trackingNumber: 'SF1' });
    expect(await activities.orderDispatch({ orderId: 'o-1' })).toMatchObject({ status: 'SHIPPED', trackingNumber: 'SF1' });
    expect(refund.providerAnswers).toEqual([]);
    // An order no step told about: the simulator's answer, an assumption as before.
    const other = new InMemoryCaseActivities();
    const fallback = routedActivities((id) => stores.get(id)!, () => stores.values(), () => other);
    expect(await fallback.orderDispatch({ orderId: 'o-2' })).toEqual({ status: 'NOT_PICKED' });
    expect(other.providerAnswers).toEqual([{ kind: 'warehouseDispatch', stage: 'OPENED' }]);
  });

  it('goes to the asking case first: two cases of one order each hear what the warehouse told them', async () => {
    const refund = new InMemoryCaseActivities();
    refund.recordedDispatch = [{ status: 'PICKED' }];
    const inquiry = new InMemoryCaseActivities();
    inquiry.recordedDispatch = [{ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF3' }];
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
  it('reads a refund before shipping\'s check and its already-shipped close, and a tracking inquiry\'s checks with the parcel it then followed', () => {
    expect(
      warehouseAnswers([
        { kind: 'DISPATCH_CHECKED', data: { status: 'PICKED', outboundId: 'ob-9' }, decision: { values: {} } },
        { kind: 'ALREADY_SHIPPED', data: { carrier: 'SF', originalTracking: 'SF9' }, decision: null },
      ]),
    ).toEqual([{ status: 'PICKED', outboundId: 'ob-9' }, { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF9' }]);
    expect(warehouseAnswers([{ kind: 'DISPATCH_CHECKED', data: { status: 'SHIPPED', carrier: 'ZTO', originalTracking: 'Z1', shippedAt: 1_700_000_000_000 }, decision: null }])).toEqual([
      { status: 'SHIPPED', carrier: 'ZTO', trackingNumber: 'Z1', shippedAt: 1_700_000_000_000 },
    ]);
    expect(
      warehouseAnswers([
        { kind: 'URGE_CHECKED', data: { dispatch: 'NOT_PICKED' }, decision: { values: { now: 1 } } },
        { kind: 'URGE_CHECKED', data: { dispatch: 'SHIPPED' }, decision: { values: { shippedAt: 1_700_000_000_000 } } },
        { kind: 'FOLLOWING_PARCEL', data: { carrier: 'SF', outboundTracking: 'SF7' }, decision: null },
      ]),
    ).toEqual([{ status: 'NOT_PICKED' }, { status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF7', shippedAt: 1_700_000_000_000 }]);
    // Shipped, but no step names the parcel (an agent still has it): no answer the workflow could follow.
    expect(warehouseAnswers([{ kind: 'URGE_CHECKED', data: { dispatch: 'SHIPPED' }, decision: null }])).toEqual([]);
    expect(warehouseAnswers([{ kind: 'DISPATCH_CHECKED', data: { status: 'LOST' }, decision: null }])).toEqual([]);
  });
});
