/**
 * Tracking inquiry / urge delivery (查件 / 催件, docs/after-sales.md §1; 003 §一, 001 §04):
 *
 *   not shipped yet: past the promised ship time → apology and the warehouse ships now (a task
 *   with a deadline); within it → explained, and checked again when it passes
 *   shipped: the courier's trace decides the sub-path — in transit or delivered: answered and
 *   followed; no trace or stalled: the courier asked to scan / chased, escalated, followed;
 *   signed by someone else, damaged, misdelivered, refused or unreachable: an agent handles it
 *   with the courier (a damaged parcel is also claimed from the courier) and it is followed until
 *   delivered → revisit → closed
 */
import { ApplicationFailure, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import {
  carrierContract,
  classifyTrace,
  decideUrge,
  paidValueMinor,
  solutionDeadline,
  traceEventsFromCourier,
  validateOrder,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type TraceClass,
} from '../domain/index.js';
import { activities, CaseSession, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { claimWorkflowId, reportReshipment, requireParcel, type Reshipment, type OpenedBy } from './contract.js';
import { courierClaim } from './courier-claim.js';
import { followUntilDelivered, warehouseTask, type Parcel } from './shipping.js';

/**
 * Patch: the customer hears what the trace found in words, in a message of its own per finding —
 * also a difficult parcel (signed for by someone else, damaged, misdelivered, refused or the
 * recipient unreachable), which was handed to an agent in silence; before, `traceAnswer` showed the
 * courier's status code and promised a delivered parcel further following. Replayed by
 * test/workflows/histories/tracking-inquiry-v17-*.pb.
 */
export const TRACE_WORDS_PATCH = 'tracking-answer-words';

/**
 * Patch: an order the warehouse ships now because its promise was broken is told as shipped, with
 * its tracking number (urgeShipped, as urgeApology promised), and followed until delivered. Before,
 * its trace was read the moment it left: no scan yet, so NO_TRACE — the customer told "no tracking
 * information" and the case escalated. Replayed by test/workflows/histories/tracking-inquiry-v19-*.pb.
 */
export const URGE_SHIPPED_PATCH = 'urge-shipped-told';

/**
 * Patch: an order shipped now because its ship promise was broken no longer marks the case `late`,
 * which means its same-day solution deadline was missed: the solution (ship now) is given at once,
 * and the case counted against the on-time figure and topped the queue as overdue. The broken
 * promise stays on the URGE_CHECKED step (APOLOGISE_AND_SHIP_NOW), and a warehouse that is late
 * shipping is escalated as before. Replayed by test/workflows/histories/tracking-inquiry-v19-urge-not-late-*.pb.
 */
export const URGE_NOT_LATE_PATCH = 'urge-not-late';

/**
 * Patch: an order the warehouse says was cancelled (refunded before it shipped, by a case of its own
 * or the shop) is answered so (urgeOrderCancelled) and the case resolves. Before, a cancelled order
 * was taken for one not shipped yet: past its promise the customer was told "it is being shipped
 * now" and the warehouse given a task to ship goods already refunded (an integrator's trial shipped
 * them). Replayed by test/workflows/histories/tracking-inquiry-v23-order-cancelled[-unpatched]-*.pb.
 */
export const URGE_ORDER_CANCELLED_PATCH = 'urge-order-cancelled';

/**
 * Patch: an order the warehouse shipped after its promised ship time is apologised for
 * (urgeShippedLateApology) before the trace is told, as one not shipped by then is (urgeApology).
 * Before, the customer who asked after a broken promise heard only where the parcel was (an
 * integrator's trial). Replayed by test/workflows/histories/tracking-inquiry-v23-shipped-late[-unpatched]-*.pb.
 */
export const URGE_SHIPPED_LATE_PATCH = 'urge-shipped-late-apology';

/**
 * Patch: while the warehouse has not reported the parcel it was told to ship now, the warehouse
 * system is asked again when its time is up and at each reminder after: an order cancelled meanwhile
 * (refunded before it shipped, by another case of the customer's) resolves the inquiry as one
 * found cancelled at once does, and one the warehouse shipped through its own system is followed.
 * Before, the inquiry waited for a re-shipment report the API refuses for a refunded order —
 * escalated and reminded for good, with nothing an agent could do (an integrator's trial).
 * Replayed by test/workflows/histories/tracking-inquiry-v24-dispatch-cancelled[-unpatched]-*.pb.
 */
export const URGE_DISPATCH_RECHECK_PATCH = 'urge-dispatch-recheck';
/**
 * Patch: an order urged within its promise is answered at once — the promised time explained, the
 * customer asked to wait (urgeWait) — and that answer is the case's same-day solution. Before, the
 * solution counted only once the order left (or the promise broke and it was shipped now), so an
 * inquiry opened in the morning with a promise for the evening breached the same-day deadline and
 * was escalated, with an apology for a lateness there was none of (a CI run at the shop's closing
 * hour met it). Replayed by test/workflows/histories/tracking-inquiry-v27-urge-wait-solves-*.pb
 * (after) and tracking-inquiry-v19-urge-not-late-*.pb (before).
 */
export const URGE_WAIT_SOLVES_PATCH = 'urge-wait-solves';
const TRACE_TEMPLATES: Record<TraceClass, string> = {
  DELIVERED: 'traceDelivered',
  IN_TRANSIT: 'traceInTransit',
  STALLED: 'traceStalled',
  NO_TRACE: 'traceNoTrace',
  SIGNED_BY_OTHER: 'traceSignedByOther',
  DAMAGED: 'traceDamaged',
  MISDELIVERED: 'traceMisdelivered',
  REFUSED_OR_UNREACHABLE: 'traceRefusedOrUnreachable',
};

export interface TrackingInquiryInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  /** Absent when the customer does not know whether it left. */
  shipment?: Parcel;
  /** The ship time the shop promised (催件 turns on it). */
  promisedShipBy: number;
  /** Who should sign for it (to tell a signature by someone else). */
  recipientName: string;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
}

export async function trackingInquiry(input: TrackingInquiryInput): Promise<ClosedByRevisit> {
  const { policy, order } = input;
  const rules = input.fulfilment.rules;
  const problems = validateOrder(order);
  if (!Number.isSafeInteger(input.promisedShipBy)) problems.push({ field: 'promisedShipBy', reason: 'must be an epoch time in milliseconds' });
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid tracking inquiry: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let sent: Reshipment | undefined;
  setHandler(reportReshipment, (r) => ((sent = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_DISPATCH');
      requireParcel(r);
    },
  });

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt, promisedShipBy: input.promisedShipBy }, data: { ...(input.shipment ? { carrier: input.shipment.carrier, outboundTracking: input.shipment.trackingNumber } : {}) } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- 催件: has it left? ---
  let parcel = input.shipment;
  let shippedNow = false;
  if (!parcel) {
    const urged = await urge();
    if (urged === 'CANCELLED') {
      solved = true;
      await session.notify('urgeOrderCancelled', { orderId: order.orderId });
      await session.enter('RESOLVED', 'ORDER_CANCELLED', { status: 'RESOLVED' });
      return session.revisit();
    }
    ({ parcel, shippedNow } = urged);
    // Left, but after the time promised: the broken promise is apologised for first.
    if (urged.shippedLate && patched(URGE_SHIPPED_LATE_PATCH)) await session.notify('urgeShippedLateApology', {});
  }
  solved = true;

  // Just handed to the courier on our demand: no scan can be on its trace yet.
  if (shippedNow && patched(URGE_SHIPPED_PATCH)) {
    await session.notify('urgeShipped', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
    await session.enter('FOLLOWING', 'ANSWER_CUSTOMER', { status: 'WAITING_COURIER' });
    if ((await followUntilDelivered(session, rules, parcel)) === 'CLOSED_BY_AGENT') return 'CLOSED_BY_AGENT';
    await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED' });
    return session.revisit();
  }

  // --- 查件: what the trace says ---
  const trace = await activities.trackParcel(parcel);
  const cls = classifyTrace(input.fulfilment, traceEventsFromCourier(trace.events ?? []), input.recipientName, Date.now(), true);
  const action = String(cls.values.action);
  await session.step('TRACE_CLASSIFIED', { data: { trace: trace.status }, decision: cls, ...(cls.outcome === 'STALLED' || cls.outcome === 'NO_TRACE' ? { escalated: true } : {}) });
  // The finding in words, a message each (before TRACE_WORDS_PATCH: the status code, in one message for some).
  const inWords = patched(TRACE_WORDS_PATCH);
  const tellTrace = () => session.notify(TRACE_TEMPLATES[cls.outcome as TraceClass], { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
  if (cls.outcome === 'DELIVERED') {
    if (inWords) await tellTrace();
    else await session.notify('traceAnswer', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, status: 'DELIVERED' });
  } else if (['IN_TRANSIT', 'STALLED', 'NO_TRACE'].includes(cls.outcome)) {
    if (inWords) await tellTrace();
    else await session.notify('traceAnswer', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, status: cls.outcome });
    await session.enter('FOLLOWING', action, { status: 'WAITING_COURIER' });
    if ((await followUntilDelivered(session, rules, parcel)) === 'CLOSED_BY_AGENT') return 'CLOSED_BY_AGENT';
  } else {
    // Difficult parcels (疑难件): the courier's part is claimed, the agent settles with courier and customer.
    if (cls.outcome === 'DAMAGED') {
      const { contract, source } = carrierContract(rules, parcel.carrier);
      const claim = await startChild(courierClaim, {
        workflowId: claimWorkflowId(input.caseId, parcel.trackingNumber),
        parentClosePolicy: ParentClosePolicy.ABANDON,
        args: [{ caseId: input.caseId, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, amountMinor: paidValueMinor(order, order.items.map((i) => ({ sku: i.sku, quantity: i.quantity }))), currency: order.currency, reason: 'parcel damaged in transit', evidenceUrls: [], shippedAt: order.shippedAt ?? input.openedAt, contract, contractSource: source, policyVersion: input.fulfilment.version }],
      });
      await session.step('CLAIM_STARTED', { data: { claimWorkflowId: claim.workflowId } });
    }
    if (inWords) await tellTrace();
    const resolution = await session.waitForAgent(action, { data: { trace: trace.status, class: cls.outcome } });
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    await session.enter('FOLLOWING', 'REDELIVERY', { status: 'WAITING_COURIER' });
    // The refusal or failed delivery that brought the agent in is dealt with: only a later one is news.
    if ((await followUntilDelivered(session, rules, parcel, { refusalsDealtWithUntil: Date.now() })) === 'CLOSED_BY_AGENT') return 'CLOSED_BY_AGENT';
  }
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED' });
  return session.revisit();

  /** Not known to have left: the warehouse system says; cancelled → it never ships; past the promise → apologise and ship now. */
  async function urge(): Promise<{ parcel: Parcel; shippedNow: boolean; shippedLate?: boolean } | 'CANCELLED'> {
    for (;;) {
      const dispatch = await activities.orderDispatch({ orderId: order.orderId });
      const shipped = dispatch.status === 'SHIPPED' && dispatch.carrier && dispatch.trackingNumber;
      const cancelled = !shipped && dispatch.status === 'CANCELLED' && patched(URGE_ORDER_CANCELLED_PATCH);
      const decided = decideUrge(input.fulfilment, input.promisedShipBy, shipped ? (dispatch.shippedAt ?? Date.now()) : undefined, Date.now(), cancelled);
      await session.step('URGE_CHECKED', { data: { dispatch: dispatch.status }, decision: decided });
      if (shipped) return { parcel: { carrier: dispatch.carrier!, trackingNumber: dispatch.trackingNumber! }, shippedNow: false, shippedLate: dispatch.shippedAt !== undefined && dispatch.shippedAt > input.promisedShipBy };
      if (cancelled) return 'CANCELLED';
      if (decided.outcome === 'ASK_TO_WAIT') {
        await session.notify('urgeWait', { promisedShipBy: input.promisedShipBy });
        if (patched(URGE_WAIT_SOLVES_PATCH)) solved = true;
        await session.enter('AWAITING_PROMISED_SHIPPING', 'WAITING_FOR_PROMISE', { status: 'WAITING_WAREHOUSE', deadlines: { promisedShipBy: input.promisedShipBy } });
        await waitUntil(() => false, input.promisedShipBy + 1);
        continue;
      }
      // The promise was broken: tell the customer at once, apologise, ship now (003 §一.2).
      await session.notify('urgeApology', {});
      const dispatchDueAt = Date.now() + hours(rules.urgentWarehouseHours);
      await session.enter('AWAITING_DISPATCH', 'SHIP_NOW', { status: 'WAITING_WAREHOUSE', ...(patched(URGE_NOT_LATE_PATCH) ? {} : { late: true }), deadlines: { dispatchDueAt } });
      if (patched(URGE_DISPATCH_RECHECK_PATCH)) {
        const left = await dispatchedOrCancelled(dispatchDueAt);
        if (left) return left;
      } else await warehouseTask(session, () => !!sent, dispatchDueAt, 'urgentWarehouseHours', rules.urgentWarehouseHours);
      // The clerk who shipped it, as every warehouse step names them.
      await session.step('SHIPPED', { actor: `warehouse:${sent!.by}`, data: { carrier: sent!.carrier, outboundTracking: sent!.trackingNumber } });
      return { parcel: { carrier: sent!.carrier, trackingNumber: sent!.trackingNumber }, shippedNow: true };
    }
  }

  /**
   * The warehouse's task to ship now (warehouseTask), asking the warehouse system again when its
   * time is up and at each reminder: undefined once the re-shipment is reported; the order's end
   * when the system says it was cancelled, or shipped without a report (URGE_DISPATCH_RECHECK_PATCH).
   */
  async function dispatchedOrCancelled(dueAt: number): Promise<{ parcel: Parcel; shippedNow: boolean } | 'CANCELLED' | undefined> {
    let found: { parcel: Parcel; shippedNow: boolean } | 'CANCELLED' | undefined;
    const lookAgain = async () => {
      const dispatch = await activities.orderDispatch({ orderId: order.orderId });
      // The warehouse's report came in while the system was asked: it stands.
      if (sent) return;
      const shipped = dispatch.status === 'SHIPPED' && dispatch.carrier && dispatch.trackingNumber;
      if (!shipped && dispatch.status !== 'CANCELLED') return;
      await session.step('URGE_CHECKED', { data: { dispatch: dispatch.status }, decision: decideUrge(input.fulfilment, input.promisedShipBy, shipped ? (dispatch.shippedAt ?? Date.now()) : undefined, Date.now(), !shipped) });
      if (!shipped) return void (found = 'CANCELLED');
      await session.step('SHIPPED', { actor: 'warehouse', data: { carrier: dispatch.carrier, outboundTracking: dispatch.trackingNumber } });
      found = { parcel: { carrier: dispatch.carrier!, trackingNumber: dispatch.trackingNumber! }, shippedNow: true };
    };
    await warehouseTask(session, () => !!sent || found !== undefined, dueAt, 'urgentWarehouseHours', rules.urgentWarehouseHours, lookAgain);
    return sent ? undefined : found;
  }
}
