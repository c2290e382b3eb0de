/**
 * Refund only, already shipped (仅退款-已发货, docs/after-sales.md §9; 001 §03):
 *
 *   opened → the trace: delivered → the customer is pointed to a return (nothing refunded here)
 *          → delivered after it turned back (refused, intercepted, returning): signed for by the
 *            shop → awaited as a parcel coming back (its arrival scan, inspection, refund)
 *          → in transit: the courier is asked to intercept, the customer to refuse the parcel
 *          → the parcel comes back (warehouse arrival scan; a refusal at the door is reported by
 *            the courier) within interceptionDays → inspection and restock → refund
 *          → delivered after all (the courier reports it signed for, before any sign of it
 *            coming back; or the trace says so when the deadline passes): the interception
 *            failed, and the customer is pointed to a return, as when it was delivered before
 *          → not back in time → the refund is approved anyway (the customer is not kept
 *            waiting), and the parcel is still awaited for restocking; if it never comes back,
 *            the courier is claimed for it and an agent decides
 *          → revisit → closed
 */
import { ActivityFailure, ApplicationFailure, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import { courierEventCode, TURNED_BACK_CODES } from '../domain/courier-event-codes.js';
import { carrierContract, inspectionProblems, LOST_PARCEL_CLAIM, turnedBackInTrace, notBackWhole, paidValueMinor, solutionDeadline, validateOrder, type FulfilmentPolicy, type InspectedLine, type OrderSnapshot, type Policy, refundableMinor, type SkuQuantity } from '../domain/index.js';
import { courierClaim } from './courier-claim.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, days, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { paidForReturn, returnShippingProblems } from './take-back.js';
import { arrivalScanned, claimWorkflowId, courierEvent, invalidSentences, missingParcelField, PARCEL_REQUIRED, reportInspection, type InspectionReport, type OpenedBy } from './contract.js';

export interface RefundShippedInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  order: OrderSnapshot;
  shipment: { carrier: string; trackingNumber: string };
  reason: string;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  /** The carriers' contracts a claim is filed under; cases opened before it have none and file no claim. */
  fulfilment?: FulfilmentPolicy;
}

export type RefundShippedOutcome = 'DELIVERED_USE_RETURN' | ClosedByRevisit;

/**
 * A parcel delivered while it was being intercepted closes the case as one delivered before
 * (DELIVERED_USE_RETURN) instead of being refunded at the deadline with the goods at the customer's;
 * the trace is asked once more before that refund. Before the patch, a history waited out the
 * interception days whatever the courier reported.
 */
export const INTERCEPTION_FAILED_PATCH = 'interception-failed-use-return';

/**
 * From this patch on, a parcel that came back short or in pieces (its inspection: goods MISSING or
 * damaged) is claimed from the courier, which had it all the way (a claim process beside the case,
 * as a transit damage's); the customer's refund does not wait for it. Before, the goods the courier
 * lost were written off without a word. Replayed by test/workflows/histories/refund-shipped-v12-claimed-*.pb.
 */
export const INTERCEPTED_LOSS_CLAIMED_PATCH = 'intercepted-loss-claimed';

/**
 * Patch: the customer is told what the interception leads to as the workflow does it
 * (`interceptionRequestedRefundBy`): refunded once the parcel is back and checked, or, not back by
 * the interception's deadline, then; delivered after all, a return. Before, `interceptionRequested` promised
 * the refund only on the parcel's return. Replayed by test/workflows/histories/refund-shipped-v18-refund-by-*.pb.
 */
export const INTERCEPTION_REFUND_BY_PATCH = 'interception-told-refund-by';

/**
 * Patch: a trace at opening that says DELIVERED after a scan of the parcel turning back (refused at
 * the door, intercepted, returning: turnedBackInTrace) is the shop signing for it, not the customer:
 * the case awaits its arrival scan as a parcel coming back (PARCEL_TURNED_BACK, the interception's
 * wait without an interception to file), then inspects and refunds. Before, it closed as
 * DELIVERED_USE_RETURN and told a customer who had refused the parcel to return it. Replayed by
 * test/workflows/histories/refund-shipped-v26-turned-back-first-*.pb (and its -unpatched history).
 */
export const TURNED_BACK_FIRST_PATCH = 'refund-shipped-turned-back-first';

/**
 * Patch: a parcel not back by the arrival deadline (refunded at the interception's deadline) was
 * lost in the courier's hands: it is claimed from the courier for the goods' paid value before the
 * agent is asked (docs/after-sales.md §9), as a parcel that came back short is. Before, the case
 * ended with nothing claimed whatever the agent chose. Replayed by
 * test/workflows/histories/refund-shipped-v26-not-back-claimed-*.pb (and its -unpatched history).
 */
export const NOT_BACK_CLAIMED_PATCH = 'refund-shipped-claim-not-back';

export async function refundShipped(input: RefundShippedInput): Promise<RefundShippedOutcome> {
  const { policy, order, shipment } = input;
  const problems = validateOrder(order);
  if (missingParcelField(shipment)) problems.push({ field: 'shipment', reason: PARCEL_REQUIRED });
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid refund request: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  // Its handlers are set now, before the first step, as every case's are.
  const followParcel = shippedRefund(session, input);

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { reason: input.reason, ...shipment } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });
  return followParcel(() => (solved = true));
}

/** A shipped order's refund as its case has it: its input less who opened it and for whom. */
export type ShippedRefundCase = Pick<RefundShippedInput, 'caseId' | 'merchantId' | 'policy' | 'order' | 'shipment' | 'reason' | 'openedAt' | 'fulfilment'>;

/**
 * The refund of a shipped order once its case is open: the trace, the interception, the parcel
 * back, inspected and restocked, the refund and the revisit (the top of this file). Its signal and
 * update handlers are set when it is called; what it returns runs the procedure, calling `answered`
 * once the customer has the case's solution (the interception asked for, or a return named).
 * A refund before shipping that finds the order shipped goes on with it (workflows/refund-not-shipped.ts),
 * telling the customer so (`told`: its messages for the interception and for a parcel delivered).
 */
export function shippedRefund(
  session: CaseSession,
  input: ShippedRefundCase,
  told: { interception: 'interceptionRequestedRefundBy' | 'shippedInterceptionRefundBy'; delivered: 'deliveredUseReturn' | 'shippedDeliveredUseReturn' } = { interception: 'interceptionRequestedRefundBy', delivered: 'deliveredUseReturn' },
): (answered: () => void) => Promise<RefundShippedOutcome> {
  const { policy, order, shipment } = input;
  let comingBack: string | undefined;
  /** When the courier reported the parcel signed for, with no sign of it coming back before: the interception failed. */
  let deliveredAt: number | undefined;
  let arrived = false;
  /** The customer was told the order had nothing left to refund. */
  let toldNothingLeft = false;
  /** Who scanned the parcel in (the first scan): the PARCEL_BACK step's actor. */
  let scannedBy: string | undefined;
  let inspection: InspectionReport | undefined;
  setHandler(courierEvent, (e) => {
    if (e.trackingNumber !== shipment.trackingNumber) return;
    if (TURNED_BACK_CODES.has(e.code)) comingBack ??= e.code;
    // Signed for after it turned back is the parcel reaching the shop, not the customer.
    else if (e.code === 'DELIVERED' && !comingBack) deliveredAt ??= e.at;
  });
  setHandler(arrivalScanned, (scan) => {
    scannedBy ??= scan.scannedBy;
    arrived = true;
  });
  setHandler(reportInspection, (r) => ((inspection = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_INSPECTION');
      const problems = [...inspectionProblems(order, r.lines), ...returnShippingProblems(r)];
      if (problems.length) throw invalidSentences(problems);
    },
  });

  let refundedMinor = 0;
  /** What refund() asked the provider for; it grants less when other cases of the order were refunded first. */
  let askedMinor = 0;
  return async (answered) => {
    // --- where is the parcel? Delivered: a return, not an interception ---
    const trace = await activities.trackParcel(shipment);
    // Signed for after it turned back: the shop took it in (as at the deadline below); nothing to intercept.
    const turnedBackFirst = trace.status === 'DELIVERED' ? turnedBackInTrace(trace) : undefined;
    const signedInAtShop = !!turnedBackFirst && patched(TURNED_BACK_FIRST_PATCH);
    if (!signedInAtShop && (trace.status === 'DELIVERED' || !(await intercept()))) {
      answered();
      return useReturn({ trace: trace.status });
    }
    answered();

    // --- the parcel on its way back, within the interception deadline ---
    const interceptDueAt = Date.now() + days(policy.rules.interceptionDays);
    if (signedInAtShop) {
      // The refusal reported by the courier's path: awaited until scanned in, refunded by the deadline if not.
      comingBack = turnedBackFirst.code;
      await session.enter('AWAITING_INTERCEPTED_PARCEL', 'PARCEL_TURNED_BACK', { status: 'WAITING_WAREHOUSE', deadlines: { interceptDueAt }, data: { trace: trace.status, turnedBack: turnedBackFirst.code } });
      // Told it is back and when the refund comes (the message's name only: written with the stage's step, no command of its own).
      await session.notify('refusedParcelBack', { refundBy: interceptDueAt });
    } else {
      await session.enter('AWAITING_INTERCEPTED_PARCEL', 'INTERCEPTION_REQUESTED', { status: 'WAITING_COURIER', deadlines: { interceptDueAt }, data: { ...shipment } });
      if (patched(INTERCEPTION_REFUND_BY_PATCH)) await session.notify(told.interception, { ...shipment, refundBy: interceptDueAt });
      else await session.notify('interceptionRequested', { ...shipment });
    }
    const interceptionMayFail = patched(INTERCEPTION_FAILED_PATCH);
    const failed = () => interceptionMayFail && deliveredAt !== undefined && !arrived;
    const backInTime = await waitUntil(() => arrived || failed(), interceptDueAt);
    /** Where the failed interception was learned: the courier's own event, or its trace at the deadline. */
    let learnedFrom = 'COURIER_EVENT';
    if (!backInTime && interceptionMayFail && deliveredAt === undefined) {
      // Asked once more before paying: a delivery the courier did not call back about is in its trace.
      // A parcel signed for after it turned back is the shop taking it in: its scans say so.
      const late = await activities.trackParcel(shipment);
      const turnedBack = [late.status, ...(late.events ?? []).map((e) => e.code)].map(courierEventCode).find((code) => TURNED_BACK_CODES.has(code));
      comingBack ??= turnedBack;
      if (late.status === 'DELIVERED' && !comingBack) {
        deliveredAt = late.deliveredAt ?? Date.now();
        learnedFrom = 'TRACE';
      }
    }
    if (failed()) return useReturn({ learnedFrom, deliveredAt: deliveredAt!, interceptFailed: true });
    if (!backInTime) {
      // The customer is not kept waiting on the courier: the refund is approved now.
      await session.step('INTERCEPTION_DEADLINE_PASSED', { decision: session.decision('interceptionDays', { interceptDueAt, days: policy.rules.interceptionDays, comingBack: comingBack ?? null }, 'REFUND') });
      refundedMinor = await refund();
      const arrivalDueAt = Date.now() + days(policy.rules.returnArrivalDays);
      await session.step('AWAITING_RESTOCK', { deadlines: { arrivalDueAt } });
      if (!(await waitUntil(() => arrived, arrivalDueAt))) {
        // Lost in the courier's hands (docs/after-sales.md §9): claimed before the agent is asked, since
        // CONTINUE and CLOSE both leave the parcel unreturned, and the claim window runs meanwhile.
        if (input.fulfilment && patched(NOT_BACK_CLAIMED_PATCH)) await claimFromCourier(input.fulfilment, orderedLines(), LOST_PARCEL_CLAIM.onItsWayBack);
        const resolution = await session.waitForAgent('PARCEL_NOT_BACK', { data: { ...shipment }, decision: session.decision('returnArrivalDays', { arrivalDueAt }, 'AGENT') });
        if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
        await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...session.refundShortOf('refundAfterShipping', askedMinor, refundedMinor) });
        return session.revisit();
      }
    }

    // --- back at the warehouse: inspect, restock, refund (if not already) ---
    const inspectionDueAt = Date.now() + hours(policy.rules.inspectionHours);
    await session.enter('AWAITING_INSPECTION', 'PARCEL_BACK', { ...(scannedBy ? { actor: `warehouse:${scannedBy}` } : {}), status: 'WAITING_WAREHOUSE', deadlines: { inspectionDueAt }, data: { comingBack: comingBack ?? 'SCANNED' } });
    if (!(await waitUntil(() => !!inspection, inspectionDueAt))) {
      await session.step('INSPECTION_LATE', { late: true, escalated: true, decision: session.decision('inspectionHours', { inspectionDueAt }, 'LATE') });
      await session.waitWithReminders(() => !!inspection, 'INSPECTION_REMINDER');
    }
    const report = inspection!;
    await session.step('INSPECTED', { actor: `warehouse:${report.by}`, data: { lines: report.lines, ...paidForReturn(report) } });
    await activities.appendLedger({
      caseId: input.caseId,
      stepKey: session.key('ledger:return-note'),
      kind: 'RETURN_NOTE',
      amountMinor: 0,
      currency: order.currency,
      lines: report.lines.map((l) => {
        const item = order.items.find((i) => i.sku === l.sku)!;
        const restocked = l.condition === 'OK' ? l.receivedQuantity : 0;
        return { sku: l.sku, quantity: l.receivedQuantity, condition: l.condition, unitCostMinor: item.unitCostMinor, stockDelta: restocked };
      }),
    });
    await claimWhatCameBackShort(report.lines);
    if (refundedMinor === 0) refundedMinor = await refund();
    await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...session.refundShortOf('refundAfterShipping', askedMinor, refundedMinor) });
    return session.revisit();
  };

  /** Goods the courier brought back missing or damaged: claimed from it, on the side (INTERCEPTED_LOSS_CLAIMED_PATCH). */
  async function claimWhatCameBackShort(lines: InspectedLine[]): Promise<void> {
    const lost = notBackWhole(order, lines);
    if (!lost.length || !input.fulfilment || !patched(INTERCEPTED_LOSS_CLAIMED_PATCH)) return;
    await claimFromCourier(input.fulfilment, lost, 'intercepted parcel came back short or damaged');
  }

  /** Every line of the order: a parcel that never came back lost all of it. */
  function orderedLines(): SkuQuantity[] {
    return order.items.map((i) => ({ sku: i.sku, quantity: i.quantity }));
  }

  /** The courier claim for goods it lost (their paid value, under the carrier's contract): its own workflow, which outlives the case. */
  async function claimFromCourier(fulfilment: FulfilmentPolicy, lost: SkuQuantity[], reason: string): Promise<void> {
    const { contract, source } = carrierContract(fulfilment.rules, shipment.carrier);
    const claim = await startChild(courierClaim, {
      workflowId: claimWorkflowId(input.caseId, shipment.trackingNumber),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ caseId: input.caseId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, amountMinor: paidValueMinor(order, lost), currency: order.currency, reason, evidenceUrls: [], shippedAt: order.shippedAt ?? input.openedAt, contract, contractSource: source, policyVersion: fulfilment.version }],
    });
    await session.step('CLAIM_STARTED', { escalated: true, data: { claimWorkflowId: claim.workflowId, lines: lost } });
  }

  /** The parcel reached the customer: a return is how the goods come back, so nothing is refunded here. */
  async function useReturn(values: Record<string, unknown>): Promise<'DELIVERED_USE_RETURN'> {
    await session.enter('CLOSED', 'DELIVERED_USE_RETURN', { status: 'CLOSED', closeReason: 'DELIVERED_USE_RETURN', decision: session.decision('interceptOnlyUndelivered', values, 'USE_RETURN') });
    // The message's name only: written with the CLOSED step, no command of its own.
    await session.notify(told.delivered, {});
    return 'DELIVERED_USE_RETURN';
  }

  /** Asks the courier to bring the parcel back; false when it was delivered meanwhile. */
  async function intercept(): Promise<boolean> {
    try {
      const { interceptId } = await activities.interceptParcel({ caseId: input.caseId, stepKey: session.key('intercept'), ...shipment });
      await session.step('INTERCEPT_FILED', { data: { interceptId } });
      return true;
    } catch (err) {
      const cause = err instanceof ActivityFailure ? err.cause : undefined;
      if (cause instanceof ApplicationFailure && cause.type === 'ALREADY_DELIVERED') return false;
      throw err;
    }
  }

  /** Everything still refundable on the order (nothing reached the customer). */
  async function refund(): Promise<number> {
    const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
    const amountMinor = refundableMinor(order, earlier.amountMinor);
    if (amountMinor === 0) {
      // Promised a refund: told the order's other cases had refunded it all already (once: a parcel
      // back after the deadline's refund asks again).
      if (!toldNothingLeft) await tellNothingLeft(session);
      toldNothingLeft = true;
      return 0;
    }
    askedMinor = amountMinor;
    return refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor, reason: `refund after shipping: ${input.reason}`, lines: (paid) => [{ kind: 'ORDER', orderId: order.orderId, amountMinor: paid, alreadyRefundedMinor: earlier.amountMinor }] });
  }
}
