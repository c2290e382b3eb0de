/**
 * 查件 / 催件 — tracking inquiry and urging (003 §一, 001 §04, docs/after-sales.md §1): a courier trace is
 * classified into the sub-path that handles it; an urge is answered by whether the shop's promised
 * ship time has passed.
 */
import { decision, type Decision } from '../policy.js';
import { HOUR_MS } from './common.js';
import type { FulfilmentPolicy } from './rules.js';

export type TraceEventKind = 'SCAN' | 'DELIVERED' | 'DAMAGED' | 'MISDELIVERED' | 'REFUSED' | 'UNREACHABLE';

export interface TraceEvent {
  at: number;
  kind: TraceEventKind;
  /** Who signed, on DELIVERED. */
  signer?: string;
}

export type TraceClass = 'NO_TRACE' | 'STALLED' | 'SIGNED_BY_OTHER' | 'DAMAGED' | 'MISDELIVERED' | 'REFUSED_OR_UNREACHABLE' | 'IN_TRANSIT' | 'DELIVERED';

/** The sub-path of each class (001 §04). */
export type TraceAction =
  | 'ASK_WAREHOUSE' // 无物流信息, not confirmed dispatched: the warehouse did not update
  | 'ASK_COURIER_RESCAN' // 无物流信息 after dispatch: the courier missed a scan
  | 'CHASE_COURIER' // 物流信息停滞或异常
  | 'CONFIRM_WITH_SIGNER' // 非本人签收: confirm; mis-signed → the courier redelivers
  | 'PHOTOS_CLAIM_REDELIVER' // 包裹破损: photos, courier claim, redeliver
  | 'REDELIVER_OR_SWAP' // 包裹错发或错收
  | 'CONTACT_THEN_RETURN_OR_HOLD' // 拒收或无法联系收件人
  | 'ANSWER_CUSTOMER'; // in transit or delivered: answer, record, follow up

export const TRACE_ACTIONS: Readonly<Record<Exclude<TraceClass, 'NO_TRACE'>, TraceAction>> = {
  STALLED: 'CHASE_COURIER',
  SIGNED_BY_OTHER: 'CONFIRM_WITH_SIGNER',
  DAMAGED: 'PHOTOS_CLAIM_REDELIVER',
  MISDELIVERED: 'REDELIVER_OR_SWAP',
  REFUSED_OR_UNREACHABLE: 'CONTACT_THEN_RETURN_OR_HOLD',
  IN_TRANSIT: 'ANSWER_CUSTOMER',
  DELIVERED: 'ANSWER_CUSTOMER',
};

/** How couriers write a signature by the recipient in person. */
const SELF_SIGNATURES = ['本人', '本人签收', 'self', 'recipient'];
const normalise = (s: string) => s.replace(/\s+/g, '').toLowerCase();

/** Signed by the recipient: the same name (ignoring spaces and case) or the courier's "本人". */
export function signedByRecipient(signer: string | undefined, recipientName: string): boolean {
  if (!signer?.trim()) return false;
  const s = normalise(signer);
  return s === normalise(recipientName) || SELF_SIGNATURES.includes(s);
}

/**
 * The class of a trace, by its latest event: an exception (damaged, misdelivered, refused /
 * unreachable) first; delivered → by whom it was signed; a scan → in transit, or STALLED when
 * there has been no scan for traceStalledHours (the boundary itself counts as stalled). No
 * events → NO_TRACE: ask the warehouse if it has not confirmed dispatch, else the courier.
 */
export function classifyTrace(policy: FulfilmentPolicy, events: TraceEvent[], recipientName: string, now: number, warehouseConfirmedDispatch: boolean): Decision {
  const latest = [...events].sort((a, b) => a.at - b.at).at(-1);
  if (!latest) {
    const action: TraceAction = warehouseConfirmedDispatch ? 'ASK_COURIER_RESCAN' : 'ASK_WAREHOUSE';
    return decision(policy, 'trackingTrace', { events: 0, warehouseConfirmedDispatch, action }, 'NO_TRACE');
  }
  const values = { events: events.length, latestKind: latest.kind, latestAt: latest.at };
  const cls: TraceClass =
    latest.kind === 'DAMAGED'
      ? 'DAMAGED'
      : latest.kind === 'MISDELIVERED'
        ? 'MISDELIVERED'
        : latest.kind === 'REFUSED' || latest.kind === 'UNREACHABLE'
          ? 'REFUSED_OR_UNREACHABLE'
          : latest.kind === 'DELIVERED'
            ? signedByRecipient(latest.signer, recipientName) ? 'DELIVERED' : 'SIGNED_BY_OTHER'
            : now - latest.at >= policy.rules.traceStalledHours * HOUR_MS
              ? 'STALLED'
              : 'IN_TRANSIT';
  const extra = cls === 'STALLED' || cls === 'IN_TRANSIT' ? { hoursSinceLatest: Math.floor((now - latest.at) / HOUR_MS), traceStalledHours: policy.rules.traceStalledHours } : {};
  const signer = latest.kind === 'DELIVERED' ? { signer: latest.signer ?? null } : {};
  return decision(policy, 'trackingTrace', { ...values, ...extra, ...signer, action: TRACE_ACTIONS[cls] }, cls);
}

/**
 * 催件 (003 §一.2): already shipped → look up the trace; the order cancelled (refunded before it
 * shipped) → it never ships: say so; the promised ship time passed → tell the customer at once,
 * apologise, ship now; still within the promise (its last instant included) → ask them to wait and
 * explain.
 */
export function decideUrge(policy: FulfilmentPolicy, promisedShipBy: number, shippedAt: number | undefined, now: number, cancelled = false): Decision {
  const values = { promisedShipBy, shippedAt, now };
  if (shippedAt !== undefined) return decision(policy, 'urgeDelivery', values, 'LOOK_UP_TRACE');
  if (cancelled) return decision(policy, 'urgeDelivery', values, 'ORDER_CANCELLED');
  return now > promisedShipBy ? decision(policy, 'urgeDelivery', { ...values, apologise: true }, 'APOLOGISE_AND_SHIP_NOW') : decision(policy, 'urgeDelivery', values, 'ASK_TO_WAIT');
}
