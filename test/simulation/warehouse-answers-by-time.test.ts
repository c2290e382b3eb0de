/**
 * What the warehouse told a real case, as the replay hears it (simulation/recorded.ts
 * `warehouseAnswers` and `warehouseAnswerAt`, simulation/in-memory-activities.ts): by time, not by
 * call count — the workflows ask the warehouse more often than they write down what it said.
 *
 * - A tracking inquiry whose warehouse was told to ship now asks the warehouse system again when
 *   its time is up and at each reminder, and writes a step only when the answer ends the wait: a
 *   real sequence NOT_PICKED, silent re-checks, SHIPPED at 76 h must replay as shipped then, not at
 *   the first re-check.
 * - A case without a record of its own borrows the order's case's answers: without moving what the
 *   owner hears, and marked as resting on another case's record.
 * - A URGE_CHECKED that found SHIPPED without a tracking number (the workflow's "not shipped") is
 *   answered so; the parcel the warehouse reported by hand much later is not the system's answer.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultFulfilmentPolicy } from '../../domain/fulfilment/index.js';
import { defaultPolicy } from '../../domain/policy.js';
import { startSimulator, type RecordedCase, type Simulator } from '../../simulation/index.js';
import { InMemoryCaseActivities, routedActivities } from '../../simulation/in-memory-activities.js';
import { warehouseAnswers, type RecordedStep } from '../../simulation/recorded.js';
import { caseResult } from '../../simulation/result.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/** An activity call made by the workflow of `caseId` at workflow time `at`. */
const askedBy = (caseId: string, at: number) =>
  new MockActivityEnvironment({ workflowExecution: { workflowId: `case-${caseId}`, runId: 'r' }, currentAttemptScheduledTimestampMs: at }, { logger: new DefaultLogger('ERROR') });

const urgeChecked = (version: number, at: number, dispatch: string, outcome: string, values: Record<string, unknown> = {}): RecordedStep => ({
  kind: 'URGE_CHECKED',
  version,
  at,
  data: { dispatch },
  decision: { rule: 'urgeDelivery', outcome, values },
} as RecordedStep);
const parcelStep = (kind: string, version: number, at: number, trackingNumber: string): RecordedStep => ({ kind, version, at, data: { carrier: 'SF', outboundTracking: trackingNumber }, decision: null } as RecordedStep);

describe('a tracking inquiry whose warehouse shipped after re-checks that found nothing', () => {
  const openedAt = Date.now() - 35 * DAY;
  // Ship now (4 h), re-checked when that was up and at reminders in silence; at 76 h the system says shipped.
  const shippedCheckAt = openedAt + 76 * HOUR + 700;
  const recorded: RecordedCase = {
    caseId: 'recheck-1',
    workflowType: 'trackingInquiry',
    openedAt,
    opening: {
      caseId: 'recheck-1',
      merchantId: 'demo-merchant',
      policy: { policyVersion: 1 },
      fulfilment: { policyVersion: 1 },
      order: { orderId: 'recheck-o-1', currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 0, paidTotalMinor: 5000 },
      promisedShipBy: openedAt - 2 * DAY,
      recipientName: 'Wang Fang',
      customer: { id: 'cust-recheck-1', locale: 'en' },
      openedAt,
    },
    timeline: [],
    warehouseAnswers: warehouseAnswers([
      urgeChecked(2, openedAt + 600, 'NOT_PICKED', 'APOLOGISE_AND_SHIP_NOW', { promisedShipBy: openedAt - 2 * DAY, now: openedAt, apologise: true }),
      urgeChecked(9, shippedCheckAt, 'SHIPPED', 'LOOK_UP_TRACE', { promisedShipBy: openedAt - 2 * DAY, shippedAt: openedAt + 75 * HOUR, now: openedAt + 76 * HOUR }),
      parcelStep('SHIPPED', 10, shippedCheckAt, 'SFRECHECK1'),
      parcelStep('FOLLOWING_PARCEL', 13, shippedCheckAt, 'SFRECHECK1'),
    ]),
  };

  let simulator: Simulator;
  beforeAll(async () => void (simulator = await startSimulator()), 120_000);
  afterAll(async () => simulator?.close());

  it('is shipped at the first re-check after the real one was, 76 hours in, not at the first re-check', async () => {
    const [r] = await simulator.run([recorded], { policy: defaultPolicy(1), fulfilment: defaultFulfilmentPolicy(1) }, { runOnDays: 3 });
    const decided = r!.decisions.map((d) => `${d.kind}:${d.outcome}`).filter((d) => /^(URGE_CHECKED|WAREHOUSE_TASK_LATE)/.test(d));
    // The task ran late first (by call count the first re-check, at 4 h, heard SHIPPED and it never did).
    expect(decided).toEqual(['URGE_CHECKED:APOLOGISE_AND_SHIP_NOW', 'WAREHOUSE_TASK_LATE:LATE', 'URGE_CHECKED:LOOK_UP_TRACE']);
    expect(r!.stages.slice(0, 3)).toEqual(['OPENED', 'AWAITING_DISPATCH', 'FOLLOWING']);
    // The solution (shipped) at the reminder's re-check that follows the real shipment: its time depends on the reminders.
    expect(r!.timeToSolutionMs).toBeGreaterThanOrEqual(76 * HOUR);
    expect(r!.timeToSolutionMs).toBeLessThan(76 * HOUR + 3 * DAY);
    expect(r!.assumedAt.filter((a) => a.rule === 'warehouseDispatch')).toEqual([]);
  }, 120_000);
});

describe("the warehouse's recorded answers in the simulation's routing", () => {
  it("a case without its own record hears the order's case's answer of its time, without moving the owner's, and is marked as resting on it", async () => {
    const t0 = 1_800_000_000_000;
    const owner = new InMemoryCaseActivities();
    owner.recordedDispatch = warehouseAnswers([
      { kind: 'DISPATCH_CHECKED', version: 2, at: t0 + 500, data: { status: 'PICKED', outboundId: 'ob-own' }, decision: { rule: 'refundBeforeShipping', outcome: 'MERCHANT_DECIDES', values: {} } },
      { kind: 'ALREADY_SHIPPED', version: 6, at: t0 + 2 * DAY + 500, data: { carrier: 'SF', originalTracking: 'SFOWN1' }, decision: null },
    ] as RecordedStep[]);
    const borrower = new InMemoryCaseActivities();
    const stores = new Map([['sim-owner', owner], ['sim-borrower', borrower]]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), (key) => (key === 'dispatch:o-own' ? owner : undefined));

    // The borrower asks first (its batch ran earlier), twice; the owner then asks its first question.
    expect(await askedBy('sim-borrower', t0 + HOUR).run(activities.orderDispatch, { orderId: 'o-own' })).toEqual({ status: 'PICKED', outboundId: 'ob-own' });
    expect(await askedBy('sim-borrower', t0 + 2 * HOUR).run(activities.orderDispatch, { orderId: 'o-own' })).toEqual({ status: 'PICKED', outboundId: 'ob-own' });
    expect(owner.dispatch).toEqual({ status: 'NOT_PICKED' });
    expect(await askedBy('sim-owner', t0).run(activities.orderDispatch, { orderId: 'o-own' })).toEqual({ status: 'PICKED', outboundId: 'ob-own' });
    expect(await askedBy('sim-owner', t0 + 2 * DAY).run(activities.orderDispatch, { orderId: 'o-own' })).toMatchObject({ status: 'SHIPPED', trackingNumber: 'SFOWN1' });
    // What the borrower heard is its own order state: its cancellation reverses what it was told was picked.
    expect(borrower.dispatch).toEqual({ status: 'PICKED', outboundId: 'ob-own' });
    expect(await activities.cancelOrder({ caseId: 'sim-borrower', stepKey: 'k', orderId: 'o-own', reason: 'x' })).toEqual({ reversedOutboundId: 'ob-own' });

    expect(owner.providerAnswers).toEqual([]);
    expect(borrower.providerAnswers).toEqual([{ kind: 'warehouseDispatch', stage: 'OPENED', fromAnotherCase: true }]);
    const result = caseResult({ caseId: 'borrower', simulatedCaseId: 'sim-borrower', workflowType: 'trackingInquiry', openedAt: t0, opening: {}, outcome: 'RESOLVED', store: borrower, dropped: [], formerlyRefusedAccepted: [], recordedKinds: new Set() });
    expect(result.assumed).toBe(true);
    expect(result.assumedAt).toEqual([{ stage: 'OPENED', rule: 'warehouseDispatch', outcome: 'SIMULATED' }]);
    expect(result.assumptions).toEqual(["at OPENED the warehouse's dispatch record is not in this case's history: what the warehouse told another case of the order stood in"]);
  });

  it("a URGE_CHECKED that found SHIPPED without a number is answered so, not with the parcel the warehouse reported by hand later; one that took a parcel with it", async () => {
    const t0 = 1_800_000_000_000;
    const inquiry = new InMemoryCaseActivities();
    inquiry.recordedDispatch = warehouseAnswers([
      // The system said SHIPPED, no number: the workflow apologised and told the warehouse to ship now…
      urgeChecked(2, t0 + 500, 'SHIPPED', 'APOLOGISE_AND_SHIP_NOW', { promisedShipBy: t0 - DAY, now: t0, apologise: true }),
      // …whose clerk reported the parcel by hand three hours later.
      { kind: 'SHIPPED', version: 7, at: t0 + 3 * HOUR, data: { carrier: 'SF', outboundTracking: 'SFHAND1' }, decision: null, actor: 'warehouse:clerk-1' } as RecordedStep,
      parcelStep('FOLLOWING_PARCEL', 9, t0 + 3 * HOUR, 'SFHAND1'),
    ]);
    const stores = new Map([['sim-inquiry', inquiry]]);
    const activities = routedActivities((id) => stores.get(id)!, () => stores.values(), () => inquiry);
    expect(await askedBy('sim-inquiry', t0).run(activities.orderDispatch, { orderId: 'o-hand' })).toEqual({ status: 'SHIPPED' });
    // The re-check when the task's time is up, after the clerk's report: still what the system said.
    expect(await askedBy('sim-inquiry', t0 + 4 * HOUR).run(activities.orderDispatch, { orderId: 'o-hand' })).toEqual({ status: 'SHIPPED' });

    // The system named the parcel: a re-check's URGE_CHECKED and its SHIPPED right after, in the same workflow task.
    inquiry.recordedDispatch = warehouseAnswers([
      urgeChecked(2, t0 + 500, 'NOT_PICKED', 'APOLOGISE_AND_SHIP_NOW', { now: t0 }),
      urgeChecked(8, t0 + 28 * HOUR + 500, 'SHIPPED', 'LOOK_UP_TRACE', { shippedAt: t0 + 27 * HOUR, now: t0 + 28 * HOUR }),
      parcelStep('SHIPPED', 9, t0 + 28 * HOUR + 500, 'SFSYS1'),
    ]);
    expect(await askedBy('sim-inquiry', t0 + 28 * HOUR).run(activities.orderDispatch, { orderId: 'o-hand' })).toEqual({ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SFSYS1', shippedAt: t0 + 27 * HOUR });
    // The first check found it shipped: the trace is looked up (another workflow task), then the parcel followed.
    inquiry.recordedDispatch = warehouseAnswers([
      urgeChecked(2, t0 + 500, 'SHIPPED', 'LOOK_UP_TRACE', { shippedAt: t0 - DAY, now: t0 }),
      parcelStep('FOLLOWING_PARCEL', 5, t0 + 900, 'SFSYS2'),
    ]);
    expect(await askedBy('sim-inquiry', t0).run(activities.orderDispatch, { orderId: 'o-hand' })).toEqual({ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SFSYS2', shippedAt: t0 - DAY });
    expect(inquiry.providerAnswers).toEqual([]);
  });
});
