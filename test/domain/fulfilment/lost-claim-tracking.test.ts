import { describe, expect, it } from 'vitest';
import {
  claimAmountMinor,
  claimDeadlines,
  courierLossAnswer,
  notBackWhole,
  courierNewsWhileFollowing,
  classifyTrace,
  daysLate,
  decideClaimStep,
  decideDelay,
  decideLostParcel,
  decideUrge,
  delayCompensationMinor,
  refundGivesShippingBack,
  nextFollowUpAt,
  signedByRecipient,
  validateClaimResult,
  validateLostParcelReport,
  type TraceEvent,
} from '../../../domain/fulfilment/index.js';
import { DAY, HOUR, order, policy, T0, withRules } from './fixtures.js';

const lines = [{ sku: 'LAMP', quantity: 1 }];
const sent = { dispatched: true, trackingNo: 'SF1234567890' };

describe('lost parcel (004 §二.1)', () => {
  it('validates the report and the dispatch proof', () => {
    expect(validateLostParcelReport(order, { lines, shippedAt: T0, etaAt: T0 + DAY }, sent)).toEqual([]);
    expect(validateLostParcelReport(order, { lines: [{ sku: 'LAMP', quantity: 2 }], shippedAt: -1, etaAt: 1.5 }, { dispatched: true }).map((p) => p.field)).toEqual([
      'lines[0].quantity',
      'shippedAt',
      'etaAt',
      'dispatch.trackingNo',
    ]);
    expect(validateLostParcelReport(order, { lines, shippedAt: T0, etaAt: T0 - 1 })).toEqual([{ field: 'etaAt', reason: 'is before shippedAt' }]);
  });
  it('where it was lost decides who answers', () => {
    const d = (dispatch: Parameters<typeof decideLostParcel>[3], courier?: Parameters<typeof decideLostParcel>[4]) => decideLostParcel(policy, order, { lines }, dispatch, courier);
    expect(d({ dispatched: false })).toMatchObject({ outcome: 'INTERNAL_ACCOUNTABILITY', values: { cause: 'INTERNAL', options: ['RESHIP', 'REFUND'] } });
    expect(d(sent, 'NEVER_RECEIVED').outcome).toBe('INTERNAL_ACCOUNTABILITY');
    expect(d(sent, 'LOST_IN_TRANSIT')).toMatchObject({ rule: 'lostParcelCause', outcome: 'COURIER_CLAIM', values: { accountable: 'COURIER' } });
    expect(d(sent, 'SIGNED').outcome).toBe('CHECK_SIGNATURE');
    expect(d(sent, 'IN_TRANSIT').outcome).toBe('TREAT_AS_DELAY');
    expect(d(sent).outcome).toBe('ASK_COURIER');
    expect(d({ dispatched: true }).outcome).toBe('INVALID');
  });
  it('gives the shipping fee back once, with the refund that leaves none of the order’s goods unpaid', () => {
    const none = { amountMinor: 0, shippingRefunded: false };
    const whole = [{ sku: 'MUG', quantity: 3 }, { sku: 'LAMP', quantity: 1 }, { sku: 'STICKER', quantity: 2 }];
    expect(refundGivesShippingBack(order, whole, none)).toBe(true);
    // Every SKU but not every unit (one parcel of a split shipment): the other parcel's case would give it back again.
    const oneParcel = [{ sku: 'MUG', quantity: 1 }, { sku: 'LAMP', quantity: 1 }, { sku: 'STICKER', quantity: 1 }];
    expect(refundGivesShippingBack(order, oneParcel, none)).toBe(false);
    expect(refundGivesShippingBack(order, lines, none)).toBe(false);
    // The other parcel (2 mugs, a sticker: 7,166) refunded first: this one's refund leaves nothing unpaid, so shipping goes back with it.
    expect(refundGivesShippingBack(order, oneParcel, { amountMinor: 2 * 3333 + 500, shippingRefunded: false })).toBe(true);
    expect(refundGivesShippingBack(order, oneParcel, { amountMinor: 2 * 3333 + 499, shippingRefunded: false })).toBe(false);
    // A SKU named twice counts once in all.
    expect(refundGivesShippingBack(order, [...whole.slice(1), { sku: 'MUG', quantity: 2 }, { sku: 'MUG', quantity: 1 }], none)).toBe(true);
    expect(refundGivesShippingBack(order, whole, { amountMinor: 0, shippingRefunded: true })).toBe(false);
  });
});

describe('delay (004 §二.3)', () => {
  it('days late count each started day', () => {
    expect([daysLate(T0, T0 - 1), daysLate(T0, T0), daysLate(T0, T0 + 1), daysLate(T0, T0 + DAY), daysLate(T0, T0 + DAY + 1)]).toEqual([0, 0, 1, 1, 2]);
  });
  it('compensation per day, capped, never above refundable', () => {
    expect(delayCompensationMinor(policy, order, 3, 0)).toBe(1500);
    expect(delayCompensationMinor(policy, order, 4, 0)).toBe(2000);
    expect(delayCompensationMinor(policy, order, 5, 0)).toBe(2000);
    expect(delayCompensationMinor(policy, order, 3, order.paidTotalMinor - 100)).toBe(100);
  });
  it('not late → explain; courier → new ETA; internal → apologise, compensate, expedite', () => {
    expect(decideDelay(policy, order, T0, T0, 'LATE_DISPATCH', 0).outcome).toBe('NOT_LATE');
    for (const cause of ['TRAFFIC', 'WEATHER', 'ROUTE_CHANGE', 'COURIER_OTHER'] as const) {
      expect(decideDelay(policy, order, T0, T0 + 1, cause, 0, T0 + 86_400_000)).toMatchObject({ outcome: 'NEW_ETA_AND_EXPLAIN', values: { etaAt: T0, newEtaAt: T0 + 86_400_000 } });
      // No new date from the courier: the decision says so, rather than showing only the date that passed.
      const none = decideDelay(policy, order, T0, T0 + 1, cause, 0);
      expect(none.outcome).toBe('EXPLAIN_NO_NEW_DATE');
      expect(none.values).not.toHaveProperty('newEtaAt');
    }
    expect(decideDelay(policy, order, T0, T0 + 2 * DAY + 1, 'SCHEDULING_ERROR', 0)).toMatchObject({
      rule: 'delayCompensation',
      outcome: 'APOLOGISE_AND_COMPENSATE',
      values: { daysLate: 3, compensationMinor: 1500, expedite: true, revisitAfterDelivery: true },
    });
    expect(decideDelay(withRules({ delayCompensationMaxMinor: 0, delayCompensationPerDayMinor: 0 }), order, T0, T0 + DAY, 'LATE_DISPATCH', 0).values.compensationMinor).toBe(0);
    expect(decideDelay(policy, order, Number.NaN, T0, 'SNOW' as never, -1).values.problems).toHaveLength(3);
  });
});

describe('courier claims (carrier contracts)', () => {
  const sf = { claimWindowDays: 10, followUpEveryDays: 3, escalateBeforeCloseDays: 2, maxClaimMinor: 50_000 };
  const p = withRules({ carriers: { SF: sf } });
  it('deadlines from the contract, or the default one', () => {
    const d = claimDeadlines(p.rules, 'SF', T0, T0 + DAY);
    expect(d).toEqual({ carrier: 'SF', contractSource: 'CONTRACT', windowClosesAt: T0 + 10 * DAY, escalateAt: T0 + 8 * DAY, followUps: [T0 + 4 * DAY, T0 + 7 * DAY] });
    // A follow-up falling exactly on the close is not planned.
    expect(claimDeadlines(p.rules, 'SF', T0, T0 + 4 * DAY).followUps).toEqual([T0 + 7 * DAY]);
    expect(claimDeadlines(p.rules, 'ZTO', T0)).toEqual({ carrier: 'ZTO', contractSource: 'DEFAULT', windowClosesAt: T0 + 30 * DAY, escalateAt: T0 + 25 * DAY, followUps: [] });
    expect(nextFollowUpAt(d, T0 + 4 * DAY)).toBe(T0 + 7 * DAY);
    expect(nextFollowUpAt(d, T0 + 7 * DAY)).toBeUndefined();
  });
  it('what to do now, with both boundaries', () => {
    const step = (now: number, state: { filedAt?: number; settled: boolean }) => decideClaimStep(p, 'SF', T0, now, state).outcome;
    expect(step(T0 + DAY, { settled: false })).toBe('FILE_NOW');
    expect(step(T0 + 2 * DAY, { filedAt: T0 + DAY, settled: false })).toBe('FOLLOW_UP');
    expect(decideClaimStep(p, 'SF', T0, T0 + 2 * DAY, { filedAt: T0 + DAY, settled: false }).values.nextFollowUpAt).toBe(T0 + 4 * DAY);
    expect(step(T0 + 8 * DAY - 1, { filedAt: T0 + DAY, settled: false })).toBe('FOLLOW_UP');
    expect(step(T0 + 8 * DAY, { filedAt: T0 + DAY, settled: false })).toBe('ESCALATE');
    expect(decideClaimStep(p, 'SF', T0, T0 + 8 * DAY, { settled: false })).toMatchObject({ rule: 'escalateBeforeCloseDays', values: { fileNow: true } });
    expect(step(T0 + 10 * DAY - 1, { settled: false })).toBe('ESCALATE');
    expect(step(T0 + 10 * DAY, { filedAt: T0 + DAY, settled: false })).toBe('WINDOW_CLOSED');
    expect(step(T0 + 20 * DAY, { filedAt: T0 + DAY, settled: true })).toBe('SETTLED');
  });
  it('claims the goods value within the carrier limit', () => {
    expect(claimAmountMinor(p.rules, 'SF', 150_000)).toBe(50_000);
    expect(claimAmountMinor(p.rules, 'SF', 50_000)).toBe(50_000);
    expect(claimAmountMinor(p.rules, 'ZTO', 150_000)).toBe(150_000);
    expect(() => claimAmountMinor(p.rules, 'SF', -1)).toThrow(RangeError);
  });
  it('the outcome agrees with the amounts: recovered ≤ claimed', () => {
    expect(validateClaimResult({ outcome: 'PAID', claimedMinor: 100, recoveredMinor: 100 })).toEqual([]);
    expect(validateClaimResult({ outcome: 'PARTLY_PAID', claimedMinor: 100, recoveredMinor: 99, reason: '保价上限' })).toEqual([]);
    expect(validateClaimResult({ outcome: 'REFUSED', claimedMinor: 100, recoveredMinor: 0, reason: '超过索赔时效' })).toEqual([]);
    expect(validateClaimResult({ outcome: 'PAID', claimedMinor: 100, recoveredMinor: 101 })).toEqual([{ field: 'recoveredMinor', reason: '101 is more than the 100 claimed' }]);
    expect(validateClaimResult({ outcome: 'PAID', claimedMinor: 100, recoveredMinor: 99 })[0].reason).toBe('PAID means the 100 claimed was recovered, got 99');
    expect(validateClaimResult({ outcome: 'PARTLY_PAID', claimedMinor: 100, recoveredMinor: 100, reason: 'x' })[0].field).toBe('recoveredMinor');
    expect(validateClaimResult({ outcome: 'PARTLY_PAID', claimedMinor: 100, recoveredMinor: 0, reason: 'x' })[0].field).toBe('recoveredMinor');
    expect(validateClaimResult({ outcome: 'REFUSED', claimedMinor: 100, recoveredMinor: 1 }).map((p) => p.field)).toEqual(['recoveredMinor', 'reason']);
    expect(validateClaimResult({ outcome: 'LOST' as never, claimedMinor: 0, recoveredMinor: -1 }).map((p) => p.field)).toEqual(['outcome', 'claimedMinor', 'recoveredMinor']);
  });
});

describe('tracking inquiry (001 §04, 003 §一)', () => {
  const now = T0 + 3 * DAY;
  const scan = (at: number): TraceEvent => ({ at, kind: 'SCAN' });
  const cls = (events: TraceEvent[], dispatched = true) => classifyTrace(policy, events, '王小明', now, dispatched);
  it('no trace: the warehouse if it has not confirmed dispatch, else the courier re-scans', () => {
    expect(cls([], false)).toMatchObject({ rule: 'trackingTrace', outcome: 'NO_TRACE', values: { action: 'ASK_WAREHOUSE' } });
    expect(cls([], true).values.action).toBe('ASK_COURIER_RESCAN');
  });
  it('in transit until traceStalledHours without a scan (the boundary is stalled)', () => {
    expect(cls([scan(T0), scan(now - 48 * HOUR + 1)])).toMatchObject({ outcome: 'IN_TRANSIT', values: { action: 'ANSWER_CUSTOMER', hoursSinceLatest: 47 } });
    expect(cls([scan(now - 48 * HOUR), scan(T0)])).toMatchObject({ outcome: 'STALLED', values: { action: 'CHASE_COURIER', latestAt: now - 48 * HOUR } });
  });
  it('exceptions by the latest event', () => {
    expect(cls([scan(T0), { at: T0 + DAY, kind: 'DAMAGED' }]).values.action).toBe('PHOTOS_CLAIM_REDELIVER');
    expect(cls([scan(T0), { at: T0 + DAY, kind: 'MISDELIVERED' }]).outcome).toBe('MISDELIVERED');
    expect(cls([{ at: T0 + DAY, kind: 'REFUSED' }]).values.action).toBe('CONTACT_THEN_RETURN_OR_HOLD');
    expect(cls([{ at: T0 + DAY, kind: 'UNREACHABLE' }]).outcome).toBe('REFUSED_OR_UNREACHABLE');
    // Damaged in the hub, then delivered: the latest event decides.
    expect(cls([{ at: T0 + DAY, kind: 'DAMAGED' }, { at: T0 + 2 * DAY, kind: 'DELIVERED', signer: '本人' }]).outcome).toBe('DELIVERED');
  });
  it('delivered: by the recipient, or by someone else', () => {
    expect(cls([{ at: T0, kind: 'DELIVERED', signer: '王 小明' }])).toMatchObject({ outcome: 'DELIVERED', values: { signer: '王 小明' } });
    expect(cls([{ at: T0, kind: 'DELIVERED', signer: '丰巢快递柜' }])).toMatchObject({ outcome: 'SIGNED_BY_OTHER', values: { action: 'CONFIRM_WITH_SIGNER' } });
    expect(cls([{ at: T0, kind: 'DELIVERED' }])).toMatchObject({ outcome: 'SIGNED_BY_OTHER', values: { signer: null } });
    expect([signedByRecipient('本人签收', 'x'), signedByRecipient('Self', 'x'), signedByRecipient(' ', ' '), signedByRecipient('Wang Xiaoming', 'wang xiaoming')]).toEqual([true, true, false, true]);
  });
  it('urge: before the promised ship time wait, after it apologise and ship now', () => {
    expect(decideUrge(policy, T0, undefined, T0)).toMatchObject({ rule: 'urgeDelivery', outcome: 'ASK_TO_WAIT' });
    expect(decideUrge(policy, T0, undefined, T0 + 1)).toMatchObject({ outcome: 'APOLOGISE_AND_SHIP_NOW', values: { apologise: true } });
    expect(decideUrge(policy, T0, T0 - DAY, T0 + DAY).outcome).toBe('LOOK_UP_TRACE');
    // A cancelled order never ships, whether or not its promise has passed; one shipped is traced.
    expect([decideUrge(policy, T0, undefined, T0, true).outcome, decideUrge(policy, T0, undefined, T0 + DAY, true).outcome, decideUrge(policy, T0, T0 - DAY, T0, true).outcome]).toEqual(['ORDER_CANCELLED', 'ORDER_CANCELLED', 'LOOK_UP_TRACE']);
  });
});

describe('what the courier says of a parcel the customer has not received', () => {
  it('is its trace, when the trace has anything: signed for, lost, or still moving', () => {
    expect(courierLossAnswer('DELIVERED')).toBe('SIGNED');
    expect(courierLossAnswer('EXCEPTION', ['PICKED_UP'])).toBe('LOST_IN_TRANSIT');
    expect(courierLossAnswer('IN_TRANSIT', ['LOST'])).toBe('IN_TRANSIT');
  });

  it('with no trace: never handed over — unless the courier reported the parcel itself, then its latest report says where it stands', () => {
    expect(courierLossAnswer('NO_TRACE')).toBe('NEVER_RECEIVED');
    expect(courierLossAnswer('NO_TRACE', ['PICKED_UP', 'IN_TRANSIT'])).toBe('IN_TRANSIT');
    expect(courierLossAnswer('NO_TRACE', ['PICKED_UP', 'EXCEPTION'])).toBe('LOST_IN_TRANSIT');
    expect(courierLossAnswer('NO_TRACE', ['PICKED_UP', 'LOST'])).toBe('LOST_IN_TRANSIT');
    expect(courierLossAnswer('NO_TRACE', ['PICKED_UP', 'DELIVERED'])).toBe('SIGNED');
    // Refused at the door or sent back, by the courier's account: the customer's word against it, checked like a signature.
    for (const code of ['REFUSED', 'RETURNING', 'RETURN_TO_SENDER']) expect(courierLossAnswer('NO_TRACE', ['PICKED_UP', code]), code).toBe('SIGNED');
  });

  it('while it is followed as a delay: lost by its latest report or its trace, turned back by any report since (a delivery after that is the shop’s), nothing otherwise', () => {
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, [])).toBeUndefined();
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, ['IN_TRANSIT', 'OUT_FOR_DELIVERY'])).toBeUndefined();
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, ['IN_TRANSIT', 'LOST'])).toEqual({ answer: 'LOST_IN_TRANSIT', code: 'LOST' });
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, ['EXCEPTION'])).toEqual({ answer: 'LOST_IN_TRANSIT', code: 'EXCEPTION' });
    // Found again after it was reported lost: followed on.
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, ['LOST', 'IN_TRANSIT'])).toBeUndefined();
    expect(courierNewsWhileFollowing({ status: 'EXCEPTION' }, ['IN_TRANSIT'])).toEqual({ answer: 'LOST_IN_TRANSIT' });
    expect(courierNewsWhileFollowing({ status: 'IN_TRANSIT' }, ['REFUSED', 'DELIVERED'])).toEqual({ answer: 'SIGNED', code: 'REFUSED' });
    // A courier that pushes nothing: its trace's status or scans say it turned back, and its "delivered" after that is the shop's.
    expect(courierNewsWhileFollowing({ status: 'RETURNING' }, [])).toEqual({ answer: 'SIGNED', code: 'RETURNING' });
    expect(courierNewsWhileFollowing({ status: 'DELIVERED', events: [{ at: 1, code: '拒收' }, { at: 2, code: '已签收' }] }, [])).toEqual({ answer: 'SIGNED', code: 'REFUSED' });
  });
});

describe('goods a courier brought back short (an intercepted parcel)', () => {
  it('are the order less what came back in good order', () => {
    const order = { orderId: 'o', currency: 'CNY', items: [{ sku: 'A', name: 'a', quantity: 2, unitPriceMinor: 100, unitCostMinor: 50 }, { sku: 'B', name: 'b', quantity: 1, unitPriceMinor: 300, unitCostMinor: 90 }], shippingFeeMinor: 0, paidTotalMinor: 500 };
    expect(notBackWhole(order, [{ sku: 'A', receivedQuantity: 2, condition: 'OK' }, { sku: 'B', receivedQuantity: 1, condition: 'OK' }])).toEqual([]);
    expect(notBackWhole(order, [{ sku: 'A', receivedQuantity: 1, condition: 'OK' }, { sku: 'A', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }, { sku: 'B', receivedQuantity: 0, condition: 'MISSING' }])).toEqual([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }]);
  });
});
