/**
 * 货物丢失 and 延误 — lost parcel and delivery delay (004 §二.1 and §二.3, docs/after-sales.md §3 and §7).
 * Lost: the warehouse confirms dispatch, the courier gives trace and signature; lost in transit →
 * the courier compensates under the contract (a claim); internal cause → the responsible person
 * answers. Delay: courier cause → new ETA and explain; internal cause → apology and compensation.
 */
import { decision, type Decision } from '../policy.js';
import { isAhead, type OrderSnapshot, type Problem } from '../return-refund.js';
import { checkAmount, checkText, DAY_MS, refundableMinor, validateOrderLines, type SkuQuantity } from './common.js';
import type { FulfilmentPolicy } from './rules.js';
import { TURNED_BACK_CODES } from '../courier-event-codes.js';
import { turnedBackInTrace, type CourierScan } from '../trace-events.js';

/** 004 §二.1: 訂單號、發貨時間、預計送達時間、貨物名稱及數量. */
export interface LostParcelReport {
  shippedAt?: number;
  etaAt?: number;
  lines: SkuQuantity[];
}

/** The warehouse's check (檢查發貨記錄、物流單號及相關憑證). */
export interface DispatchCheck {
  dispatched: boolean;
  trackingNo?: string;
  proofUrls?: string[];
}

/** What the courier said when asked for trace and signature; absent = not yet asked / no answer. */
export type CourierLossAnswer = 'LOST_IN_TRANSIT' | 'NEVER_RECEIVED' | 'SIGNED' | 'IN_TRANSIT';

/** Courier codes (domain/courier-event-codes.ts) that mean the parcel went missing or wrong on the way. */
const LOSS_CODES = new Set(['LOST', 'EXCEPTION', 'DAMAGED', 'MISDELIVERED']);

/**
 * What the courier says about a parcel the customer has not received: its trace's status, and the
 * codes of the events it pushed for the parcel (oldest first). A trace with nothing (NO_TRACE) is
 * "never handed over", which holds the shop's own people to account — unless the courier itself
 * reported the parcel (a pickup scan, a transit scan): then it had it, and its latest report says
 * where it stands — lost, still moving, or at the customer's door (signed for, refused, sent back:
 * an agent checks it with the courier, as a signature the customer disowns).
 */
export function courierLossAnswer(traceStatus: string, reported: readonly string[] = []): CourierLossAnswer {
  if (traceStatus === 'DELIVERED') return 'SIGNED';
  if (traceStatus === 'EXCEPTION') return 'LOST_IN_TRANSIT';
  if (traceStatus !== 'NO_TRACE') return 'IN_TRANSIT';
  const latest = reported.at(-1);
  if (latest === undefined) return 'NEVER_RECEIVED';
  // Signed for, or refused at the door by the courier's account: checked with the courier like a signature.
  if (latest === 'DELIVERED' || TURNED_BACK_CODES.has(latest)) return 'SIGNED';
  return LOSS_CODES.has(latest) ? 'LOST_IN_TRANSIT' : 'IN_TRANSIT';
}

/**
 * What the courier's news means for a parcel followed as a delay (it was moving when asked): the
 * codes it pushed, oldest first, and its latest trace. Turned back at any point, by its report or
 * its trace (refused, on its way back — a "signed for" after that is the shop taking it in, never the
 * customer's delivery): an agent checks it, as a signature. Its latest report lost or gone wrong, or
 * the trace in exception: lost in transit, now rather than when the days run out. Otherwise nothing
 * yet (`code`: the one that decided).
 */
export function courierNewsWhileFollowing(trace: { status: string; events?: CourierScan[] }, reported: readonly string[]): { answer: CourierLossAnswer; code?: string } | undefined {
  const turnedBack = reported.find((c) => TURNED_BACK_CODES.has(c)) ?? turnedBackInTrace(trace)?.code;
  if (turnedBack) return { answer: 'SIGNED', code: turnedBack };
  const latest = reported.at(-1);
  if (latest !== undefined && LOSS_CODES.has(latest)) return { answer: 'LOST_IN_TRANSIT', code: latest };
  return trace.status === 'EXCEPTION' ? { answer: 'LOST_IN_TRANSIT' } : undefined;
}

export function validateLostParcelReport(order: OrderSnapshot, report: LostParcelReport, dispatch?: DispatchCheck): Problem[] {
  const problems = validateOrderLines(order, report.lines, 'lines');
  const time = (v: unknown, f: string) => (v === undefined || (Number.isSafeInteger(v) && (v as number) >= 0) ? [] : [{ field: f, reason: 'must be an epoch time in milliseconds' }]);
  problems.push(...time(report.shippedAt, 'shippedAt'), ...time(report.etaAt, 'etaAt'));
  if (report.shippedAt !== undefined && report.etaAt !== undefined && report.etaAt < report.shippedAt) problems.push({ field: 'etaAt', reason: 'is before shippedAt' });
  if (dispatch?.dispatched) problems.push(...checkText(dispatch.trackingNo, 'dispatch.trackingNo', 64));
  return problems;
}

const at = (t: number) => new Date(t).toISOString();

/**
 * A delay's promised delivery time against its order's: promised before the order even shipped is a
 * mistake (a delay opened 31 days "late" on a parcel sent 5 days before was compensated at the
 * maximum). The order's own times are checked where every case opens.
 */
export function delayOpeningProblems(order: Pick<OrderSnapshot, 'shippedAt'>, etaAt: number): Problem[] {
  return order.shippedAt !== undefined && etaAt < order.shippedAt ? [{ field: 'etaAt', reason: `is before the order shipped (order.shippedAt ${at(order.shippedAt)}): the delivery promised for this parcel, epoch milliseconds` }] : [];
}

/**
 * A lost parcel's shipment against the clock: it left, not in the future, and was due after it left.
 * The claim window counts from it. (Not held to the order's shippedAt: shops mark an order shipped
 * before or after the courier collects it, hours or days apart.)
 */
export function lostShipmentProblems(shipment: { shippedAt: number; etaAt?: number }, now: number): Problem[] {
  const problems: Problem[] = [];
  if (isAhead(shipment.shippedAt, now)) problems.push({ field: 'shipment.shippedAt', reason: `is in the future (${at(shipment.shippedAt)})` });
  if (shipment.etaAt !== undefined && shipment.etaAt < shipment.shippedAt) problems.push({ field: 'shipment.etaAt', reason: `is before the parcel left (shipment.shippedAt ${at(shipment.shippedAt)})` });
  return problems;
}

/**
 * Where the parcel was lost, and what follows. Not dispatched, or never handed to the courier →
 * internal: the responsible person answers, the goods ship now. Lost in transit → resolve with
 * the customer and claim from the courier. Signed → the signature is checked (查件 §1, 非本人签收).
 * Still moving → a delay, not a loss. Dispatched without an answer yet → ask the courier.
 * Lost either way, the customer chooses re-shipment or refund.
 */
export function decideLostParcel(policy: FulfilmentPolicy, order: OrderSnapshot, report: LostParcelReport, dispatch: DispatchCheck, courier?: CourierLossAnswer): Decision {
  const problems = validateLostParcelReport(order, report, dispatch);
  if (problems.length) return decision(policy, 'validLostParcelReport', { problems }, 'INVALID');
  const values = { dispatched: dispatch.dispatched, trackingNo: dispatch.trackingNo, courier, lines: report.lines };
  // The remedies the customer's choice takes (004 §二.1 names a compensation too: for goods that never
  // came, the money back is that compensation; the courier's compensation to the shop is the claim).
  const options = ['RESHIP', 'REFUND'];
  if (!dispatch.dispatched || courier === 'NEVER_RECEIVED') return decision(policy, 'lostParcelCause', { ...values, cause: 'INTERNAL', accountable: 'RESPONSIBLE_PERSON', options }, 'INTERNAL_ACCOUNTABILITY');
  if (courier === 'LOST_IN_TRANSIT') return decision(policy, 'lostParcelCause', { ...values, cause: 'TRANSIT', accountable: 'COURIER', options }, 'COURIER_CLAIM');
  if (courier === 'SIGNED') return decision(policy, 'lostParcelCause', values, 'CHECK_SIGNATURE');
  if (courier === 'IN_TRANSIT') return decision(policy, 'lostParcelCause', values, 'TREAT_AS_DELAY');
  return decision(policy, 'lostParcelCause', values, 'ASK_COURIER');
}

/** 004 §二.3: 交通擁堵、天氣原因、運輸路線調整 (the courier's); 發貨延遲、調度失誤 (internal). */
export type DelayCause = 'TRAFFIC' | 'WEATHER' | 'ROUTE_CHANGE' | 'COURIER_OTHER' | 'LATE_DISPATCH' | 'SCHEDULING_ERROR';
export const DELAY_CAUSES: readonly DelayCause[] = ['TRAFFIC', 'WEATHER', 'ROUTE_CHANGE', 'COURIER_OTHER', 'LATE_DISPATCH', 'SCHEDULING_ERROR'];
export const isInternalDelay = (cause: DelayCause) => cause === 'LATE_DISPATCH' || cause === 'SCHEDULING_ERROR';

/** Days late, each started day counted: 0 up to and including the ETA, 1 from its next millisecond. */
export const daysLate = (etaAt: number, now: number) => (now <= etaAt ? 0 : Math.ceil((now - etaAt) / DAY_MS));

/**
 * Compensation for an internal delay (004 §二.3 提供一定的補償): delayCompensationPerDayMinor per
 * started day late, capped at delayCompensationMaxMinor and at what is still refundable.
 */
export function delayCompensationMinor(policy: FulfilmentPolicy, order: OrderSnapshot, days: number, alreadyRefundedMinor: number): number {
  const r = policy.rules;
  return Math.min(days * r.delayCompensationPerDayMinor, r.delayCompensationMaxMinor, refundableMinor(order, alreadyRefundedMinor));
}

/**
 * A delay: not yet past the ETA → explain and wait; the courier's cause → ask it for a new ETA,
 * explain, keep tracking; internal → apologise, compensate and expedite. A revisit follows delivery.
 */
export function decideDelay(policy: FulfilmentPolicy, order: OrderSnapshot, etaAt: number, now: number, cause: DelayCause, alreadyRefundedMinor: number, newEtaAt?: number): Decision {
  const problems = checkAmount(alreadyRefundedMinor, 'alreadyRefundedMinor');
  if (!DELAY_CAUSES.includes(cause)) problems.push({ field: 'cause', reason: `must be one of ${DELAY_CAUSES.join(', ')}` });
  if (!Number.isSafeInteger(etaAt)) problems.push({ field: 'etaAt', reason: 'must be an epoch time in milliseconds' });
  if (problems.length) return decision(policy, 'validDelay', { problems }, 'INVALID');
  const late = daysLate(etaAt, now);
  const values = { etaAt, now, daysLate: late, cause, revisitAfterDelivery: true };
  if (late === 0) return decision(policy, 'delayEta', values, 'NOT_LATE');
  // The courier's cause: the customer is told the new date it gave, or that it gave none yet (the
  // promised date has passed: a decision naming only it read as if it were the new one).
  if (!isInternalDelay(cause)) return decision(policy, 'delayCause', { ...values, internal: false, ...(newEtaAt ? { newEtaAt } : {}) }, newEtaAt ? 'NEW_ETA_AND_EXPLAIN' : 'EXPLAIN_NO_NEW_DATE');
  const compensationMinor = delayCompensationMinor(policy, order, late, alreadyRefundedMinor);
  const r = policy.rules;
  return decision(
    policy,
    'delayCompensation',
    { ...values, internal: true, compensationMinor, delayCompensationPerDayMinor: r.delayCompensationPerDayMinor, delayCompensationMaxMinor: r.delayCompensationMaxMinor, alreadyRefundedMinor, expedite: true, currency: order.currency },
    'APOLOGISE_AND_COMPENSATE',
  );
}
