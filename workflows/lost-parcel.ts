/**
 * Lost parcel (货物丢失, docs/after-sales.md §3; 004 §二.1):
 *
 *   recorded (order, ship time, ETA, goods) → the warehouse confirms dispatch (record, tracking
 *   number, proof; a task with a deadline) → the courier's trace: lost in transit → a courier
 *   claim as its own process (the customer never waits for it); never handed over → internal,
 *   the responsible person answers; signed for → an agent checks the signature; still moving →
 *   followed as a delay, lost after all if not delivered in time or as soon as the courier reports it
 *   lost (refused or coming back: an agent checks)
 *   → the customer chooses re-shipment or refund (silence: refund) → revisit → closed
 */
import { ApplicationFailure, condition, getExternalWorkflowHandle, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import {
  carrierContract,
  courierLossAnswer,
  courierNewsWhileFollowing,
  decideLostParcel,
  goodsRefundLines,
  refundGivesShippingBack,
  paidValueMinor,
  refundOutcome,
  solutionDeadline,
  traceEventsFromCourier,
  validateLostParcelReport,
  type Decision,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type SkuQuantity,
  refundableMinor,
  LOST_PARCEL_CLAIM,
} from '../domain/index.js';
import { TURNED_BACK_CODES } from '../domain/courier-event-codes.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, days, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { answeredBy, chooseRemedy, claimWorkflowId, courierEvent, type CourierEvent, invalidInput, confirmDispatch, parcelFound, reportReshipment, requireParcel, requireRefundOrReship, type Actor, type DispatchConfirmation, type Reshipment, type OpenedBy } from './contract.js';
import { courierClaim } from './courier-claim.js';
import { bookOutbound, followUntilDelivered, parcelSentData, reverseOutbound, warehouseTask } from './shipping.js';

export interface LostParcelInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  shipment: { carrier: string; trackingNumber: string; shippedAt: number; etaAt?: number };
  lines: SkuQuantity[];
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
}

/** From this patch on, the parcel traced and claimed is the one the warehouse's dispatch record names. */
export const DISPATCH_TRACKING_PATCH = 'dispatch-tracking-number';

/**
 * From this patch on, the courier's own events for the parcel count beside its trace: a parcel the
 * courier reported picking up is not "never handed over" (which blamed the shop's people and filed
 * no claim) when its trace has nothing, and its DELIVERED ends the wait of a parcel still moving.
 * Replayed by test/workflows/histories/lost-parcel-v12-courier-reported-*.pb.
 */
export const LOST_PARCEL_COURIER_EVENTS_PATCH = 'lost-parcel-courier-events';

/**
 * From this patch on, a parcel followed as a delay that the courier reports lost (LOST, EXCEPTION …,
 * or its trace in exception) is lost in transit at once, and one it reports or traces refused or
 * coming back goes to an agent (domain/fulfilment/lost-delay.ts courierNewsWhileFollowing) — its
 * trace's later "delivered" is the shop signing it in. Before, only a
 * delivery ended the follow: the claim and the customer's choice waited out reshipmentDeliveryDays.
 * Replayed by test/workflows/histories/lost-parcel-v12-lost-while-following-*.pb.
 */
export const LOST_WHILE_FOLLOWING_PATCH = 'lost-parcel-lost-while-following';
/**
 * Patch: the customer hears what the check found. A parcel still moving is said to be followed, and
 * that they will be contacted if it has not come by the day the follow ends (`lostParcelStillMoving`),
 * and its arrival is said (`parcelDelivered`); before, they heard nothing for days. A parcel that never left the warehouse (the shop's fault) is not called
 * "lost on its way" with "we deal with the courier" (`lostParcelNotSentChoice`). Replayed by
 * test/workflows/histories/lost-parcel-v17-*.pb.
 */
export const LOST_PARCEL_WORDS_PATCH = 'lost-parcel-words';
/**
 * Patch: a parcel the warehouse confirmed it handed over, of which the courier has no record, is
 * said so (`lostParcelNotReceivedChoice`): the shop's responsibility still, but not "never sent",
 * which the warehouse's proof contradicts. Replayed by test/workflows/histories/lost-parcel-v19-*.pb.
 */
export const LOST_PARCEL_NOT_RECEIVED_PATCH = 'lost-parcel-not-received-words';
/**
 * Patch: a parcel its courier had no record of when the cause was decided (the shop's own
 * responsibility) whose courier reports it afterwards — lost on the way, still moving, signed for —
 * had it after all: the case records the cause revised (CAUSE_REVISED, escalated, for the agent who
 * held a person to account) and, lost in transit, files the courier claim. Before, the cause was
 * decided once and the courier's later LOST changed nothing: no claim was filed (an integrator's
 * trial). Heard while the case still follows the lost parcel (until a re-shipment is followed
 * instead). Replayed by test/workflows/histories/lost-parcel-v23-*.pb.
 */
export const LOST_PARCEL_COURIER_LATE_PATCH = 'lost-parcel-courier-late';

/**
 * Patch: the parcel given up as lost that its courier reports delivered while the customer is still
 * choosing, or before the re-shipment they chose has left, stops the case at an agent
 * (DELIVERED_AFTER_LOSS): the customer is told, and the agent confirms with them — they have it (CLOSE:
 * nothing sent again, a booked re-shipment put back on the shelf), or they do not (CONTINUE: they
 * are asked again, as signed for without them, or what they chose goes ahead). Before, the choice
 * stayed open and a re-shipment went out beside the parcel that had arrived; only the API's
 * escalation said so. Not after a signature an agent checked already (CHECK_SIGNATURE), nor for a
 * parcel that turned back first (the shop signing it in). Replayed by
 * test/workflows/histories/lost-parcel-v28-*.pb (-unpatched: recorded before, delivered at both
 * stages and sent again).
 */
export const LOST_PARCEL_DELIVERED_AFTER_LOSS_PATCH = 'lost-parcel-delivered-after-loss';

export async function lostParcel(input: LostParcelInput): Promise<ClosedByRevisit | 'WITHDRAWN'> {
  const { policy, order, shipment, lines } = input;
  const rules = input.fulfilment.rules;
  const report = { shippedAt: shipment.shippedAt, etaAt: shipment.etaAt, lines };
  const problems = validateLostParcelReport(order, report);
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid lost-parcel case: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let dispatch: DispatchConfirmation | undefined;
  let choice: 'REFUND' | 'RESHIP' | undefined;
  /** Staff who entered the customer's choice for them (a phone call): the step's actor. */
  let choiceBy: Actor | undefined;
  let reshipment: Reshipment | undefined;
  // Found after all (a neighbour had it): the customer takes the request back before the warehouse has answered (no patch: see takeWithdrawalAt).
  const withdrawal = session.takeWithdrawalAt(['AWAITING_DISPATCH_CONFIRMATION']);
  setHandler(confirmDispatch, (d) => ((dispatch = d), session.taken()), {
    validator: (d) => {
      session.requireStage('AWAITING_DISPATCH_CONFIRMATION');
      // Without it the trace cannot be read nor the courier claimed from: refused here, never taken and dropped.
      if (d.dispatched && !d.trackingNo) throw invalidInput('trackingNo', 'the tracking number of the parcel that left is required when dispatched is true');
    },
  });
  setHandler(chooseRemedy, (c) => ((choice = c.remedy as 'REFUND' | 'RESHIP'), (choiceBy = c.by), session.taken()), { // the validator refuses REPAIR here
    validator: (c) => {
      requireRefundOrReship(c.remedy, 'a lost parcel is');
      session.requireStage('AWAITING_CUSTOMER_CHOICE');
    },
  });
  setHandler(reportReshipment, (r) => ((reshipment = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_RESHIPMENT');
      requireParcel(r);
    },
  });
  /** The courier's own events for the lost parcel (its number as reported or as dispatched), as they came. */
  const reported: CourierEvent[] = [];
  if (patched(LOST_PARCEL_COURIER_EVENTS_PATCH)) {
    setHandler(courierEvent, (e) => {
      if (e.trackingNumber === shipment.trackingNumber || (!!dispatch?.trackingNo && e.trackingNumber === dispatch.trackingNo)) reported.push(e);
    });
  }
  /**
   * A delivery the courier reported (among its reports from the `from`th on, dated after `after`),
   * unless the parcel turned back before it (then it is the shop signing it in).
   */
  const reportedDelivery = (from = 0, after = -Infinity) => {
    const at = reported.findIndex((e, i) => i >= from && e.code === 'DELIVERED' && e.at > after);
    return at >= 0 && !reported.slice(0, at).some((e) => TURNED_BACK_CODES.has(e.code)) ? reported[at] : undefined;
  };

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { carrier: shipment.carrier, outboundTracking: shipment.trackingNumber, shippedAt: shipment.shippedAt, etaAt: shipment.etaAt, lines } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- did it leave? ---
  const confirmDueAt = Date.now() + hours(rules.warehouseTaskHours);
  await session.enter('AWAITING_DISPATCH_CONFIRMATION', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { confirmDueAt }, data: { task: 'VERIFY_DISPATCH' } });
  await warehouseTask(session, () => !!dispatch || !!withdrawal(), confirmDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
  const withdrawn = withdrawal();
  if (withdrawn && !dispatch) {
    solved = true;
    return session.closeWithdrawn(withdrawn, 'caseWithdrawn');
  }
  const d = dispatch!;
  // The warehouse's record says which parcel left (004 §二.1: 物流单号). A number other than the
  // storefront's is the one traced and claimed: tracing the storefront's would find no trace and
  // blame a person for a parcel the courier has. Cases confirmed before the patch traced the first.
  // So is another carrier the record names: the parcel is traced and claimed with the one that has it.
  const otherCarrier = !!d.carrier && d.carrier !== shipment.carrier;
  const renumbered = d.dispatched && !!d.trackingNo && (d.trackingNo !== shipment.trackingNumber || otherCarrier) && patched(DISPATCH_TRACKING_PATCH);
  const parcel = renumbered ? { ...shipment, carrier: d.carrier ?? shipment.carrier, trackingNumber: d.trackingNo! } : shipment;
  await session.step('DISPATCH_CONFIRMED', {
    actor: `warehouse:${d.by}`,
    data: { ...d, ...(renumbered ? { carrier: parcel.carrier, originalTracking: parcel.trackingNumber, reportedTrackingNumber: shipment.trackingNumber, ...(otherCarrier ? { reportedCarrier: shipment.carrier } : {}) } : {}) },
  });

  // --- what the courier says, and what follows ---
  let trace = await activities.trackParcel(parcel);
  const codes = reported.map((e) => e.code);
  const answer = courierLossAnswer(trace.status, codes);
  let decided = decideLostParcel(input.fulfilment, order, report, d, d.dispatched ? answer : undefined);
  // The courier's own latest report, when it decided more than the trace did.
  const byReport = answer !== courierLossAnswer(trace.status) ? { courierReported: codes.at(-1) } : {};
  /**
   * The courier's reports the cause last decided weighed: a delivery after them is news to the case.
   * Only a trace with nothing weighs them (courierLossAnswer): one lost in exception did not.
   */
  let weighed = trace.status === 'NO_TRACE' ? codes.length : 0;
  await session.step('CAUSE_DECIDED', { data: { trace: trace.status, ...byReport }, decision: decided });
  if (decided.outcome === 'TREAT_AS_DELAY') {
    // Still moving: followed as a delay; not delivered by the deadline → lost in transit after all.
    const deliveredBy = Date.now() + days(rules.reshipmentDeliveryDays);
    await session.enter('FOLLOWING', 'FOLLOWING', { status: 'WAITING_COURIER', deadlines: { deliveredBy } });
    const told = patched(LOST_PARCEL_WORDS_PATCH);
    if (told) await session.notify('lostParcelStillMoving', { deliveredBy });
    const heedsLoss = patched(LOST_WHILE_FOLLOWING_PATCH);
    // Every report counts, those before the follow too: a trace that decided "moving" did not weigh them.
    const news = () => (heedsLoss ? courierNewsWhileFollowing(trace, reported.map((e) => e.code)) : undefined);
    while (trace.status !== 'DELIVERED' && !reportedDelivery() && !news() && Date.now() < deliveredBy) {
      await waitUntil(() => !!reportedDelivery() || !!news(), Math.min(deliveredBy, Date.now() + hours(rules.reshipmentTraceEveryHours)));
      if (!reportedDelivery() && !news()) trace = await activities.trackParcel(parcel);
    }
    // Delivered — unless it turned back first (its trace's "delivered" is then the shop signing it in).
    if ((trace.status === 'DELIVERED' || reportedDelivery()) && news()?.answer !== 'SIGNED') {
      await session.step('DELIVERED', { data: { deliveredAt: reportedDelivery()?.at ?? trace.deliveredAt } });
      // Told it arrived after all (it was told it was being followed), not left to the revisit.
      if (told) await session.notify('parcelDelivered', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
      solved = true;
      await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED' });
      return session.revisit();
    }
    // The courier's news, or the days ran out: lost after all.
    const heard = news();
    weighed = reported.length;
    decided = decideLostParcel(input.fulfilment, order, report, d, heard?.answer ?? 'LOST_IN_TRANSIT');
    await session.step('CAUSE_DECIDED', { data: { trace: trace.status, ...(heard?.code ? { courierReported: heard.code } : {}) }, decision: decided });
  }
  if (decided.outcome === 'CHECK_SIGNATURE') {
    // Signed for, the customer says not by them: an agent checks with the courier (查件: 非本人签收).
    // Who signed and when, as the trace and the courier's own reports say: what the agent checks (a
    // wait's data, an activity's input: no patch). The customer's view leaves the signer out.
    const scans = [...(trace.events ?? []), ...reported.map(({ at, code, description }) => ({ at, code, description }))];
    const delivery = traceEventsFromCourier(scans).filter((e) => e.kind === 'DELIVERED').sort((x, y) => y.at - x.at)[0];
    const signed = delivery ? { deliveredAt: delivery.at, ...(delivery.signer ? { signer: delivery.signer } : {}) } : {};
    const resolution = await session.waitForAgent('CHECK_SIGNATURE', { data: { trace: trace.status, ...signed } });
    solved = true;
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
  }
  /** The process of the courier claim filed for the parcel, once started. */
  let claimProcess: string | undefined;
  /** The courier claim for the parcel lost in transit: its own workflow, which outlives the case. */
  const fileClaim = async () => {
    const { contract, source } = carrierContract(rules, parcel.carrier);
    const claim = await startChild(courierClaim, {
      workflowId: claimWorkflowId(input.caseId, parcel.trackingNumber),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ caseId: input.caseId, carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, amountMinor: paidValueMinor(order, lines), currency: order.currency, reason: LOST_PARCEL_CLAIM.inTransit, evidenceUrls: d.proofUrls ?? [], shippedAt: shipment.shippedAt, contract, contractSource: source, policyVersion: input.fulfilment.version }],
    });
    claimProcess = claim.workflowId;
    await session.step('CLAIM_STARTED', { data: { claimWorkflowId: claim.workflowId } });
  };
  if (decided.outcome === 'COURIER_CLAIM') await fileClaim();
  if (decided.outcome === 'INTERNAL_ACCOUNTABILITY') {
    await session.step('RESPONSIBILITY_RECORDED', { escalated: true, data: { accountable: 'RESPONSIBLE_PERSON' } });
    // Handed over, and the courier had no record of it: its reports from here on may say otherwise.
    if (d.dispatched) void heedCourierAfterAll(reported.length);
  }
  solved = true;

  // --- the customer chooses, without waiting for any claim ---
  let choiceDueAt = Date.now() + hours(policy.rules.proposalAcceptanceHours);
  await session.enter('AWAITING_CUSTOMER_CHOICE', 'CHOICE_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { choiceDueAt } });
  const notSent = decided.outcome === 'INTERNAL_ACCOUNTABILITY' && patched(LOST_PARCEL_WORDS_PATCH);
  const notReceived = notSent && d.dispatched && patched(LOST_PARCEL_NOT_RECEIVED_PATCH);
  // Signed for, an agent going on as lost: not lost on the way, and no claim (an activity's input: no patch).
  const signedFor = decided.outcome === 'CHECK_SIGNATURE';
  const choiceWords = notReceived ? 'lostParcelNotReceivedChoice' : notSent ? 'lostParcelNotSentChoice' : signedFor ? 'lostParcelSignedChoice' : 'lostParcelChoice';
  await session.notify(choiceWords, { lines, answerBy: choiceDueAt });
  // Signed for, the agent weighed the delivery already and went on as lost: its report again is not news.
  const heedsDelivery = !signedFor && patched(LOST_PARCEL_DELIVERED_AFTER_LOSS_PATCH);
  /** When the delivery an agent confirmed with the customer took place: the courier sending it again is not news. */
  let confirmedAt = -Infinity;
  const deliveredAfterAll = () => (heedsDelivery ? reportedDelivery(weighed, confirmedAt) : undefined);
  for (;;) {
    await waitUntil(() => !!choice || !!deliveredAfterAll(), choiceDueAt);
    if (choice || !deliveredAfterAll()) break;
    const resolution = await confirmDelivery();
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    // Not theirs after all: asked again, with the days to answer counted afresh, as signed for
    // without them (the first words — lost on the way, never received — no longer hold).
    choiceDueAt = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CHOICE', 'CHOICE_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { choiceDueAt } });
    await session.notify('lostParcelSignedChoice', { lines, answerBy: choiceDueAt });
  }
  const answered = !!choice;
  const chosen = choice ?? 'REFUND';
  await session.step(answered ? 'CHOICE_ANSWERED' : 'CHOICE_TIMED_OUT', { ...(answered ? { actor: answeredBy(choiceBy, input.customer.id) } : {}), data: { remedy: chosen }, decision: answered ? undefined : session.decision('proposalAcceptanceHours', { choiceDueAt }, 'REFUND') });
  // The money chosen as the delivery was heard (the same moment): confirmed with them before it is paid.
  if (chosen === 'REFUND' && deliveredAfterAll()) {
    const resolution = await confirmDelivery();
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
  }

  let refundedMinor = 0;
  /** Why the refund is less than the goods' value: other cases already refunded the order (said on RESOLVED). */
  let capped: Decision | undefined;
  /** The lost goods refunded (chosen, or instead of a re-shipment that was not delivered), as far as the order has money left. */
  /** What refunding the lost goods pays now: their value, with the shipping fee where it goes back (below), as far as the order has money left. */
  const reckonLost = async () => {
    const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
    // The shipping fee goes back once, with the refund that leaves none of the order's goods unpaid
    // (refundGivesShippingBack: a split shipment's parcels once gave it back each).
    const shipping = refundGivesShippingBack(order, lines, earlier);
    const valueMinor = paidValueMinor(order, lines) + (shipping ? order.shippingFeeMinor : 0);
    return { earlier, shipping, valueMinor, amountMinor: Math.min(valueMinor, refundableMinor(order, earlier.amountMinor)) };
  };
  const refundLost = async (reason: string) => {
    const { earlier, shipping, valueMinor, amountMinor } = await reckonLost();
    if (amountMinor > 0) {
      refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor, reason, lines: (paid) => goodsRefundLines(order, lines, paid, { shipping }) });
    } else if (valueMinor > 0) await tellNothingLeft(session);
    // Judged on what was granted: another case of the order may have taken part of it meanwhile.
    if (refundedMinor < valueMinor) {
      capped = session.decision('lostParcelRefund', { valueMinor, paidTotalMinor: order.paidTotalMinor, alreadyRefundedMinor: earlier.amountMinor, refundMinor: amountMinor, grantedMinor: refundedMinor }, refundOutcome(valueMinor, refundedMinor));
    }
  };
  if (chosen === 'REFUND') {
    await refundLost('parcel lost');
  } else {
    await bookOutbound(session, input.caseId, order, lines);
    for (;;) {
      const reshipDueAt = Date.now() + hours(rules.warehouseTaskHours);
      await session.enter('AWAITING_RESHIPMENT', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { reshipDueAt }, data: { task: 'RESHIP', lines } });
      await warehouseTask(session, () => !!reshipment || !!deliveredAfterAll(), reshipDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
      if (reshipment) break;
      // The lost parcel arrived before its replacement left (the warehouse's report is refused meanwhile).
      const resolution = await confirmDelivery();
      if (resolution.action === 'CLOSE') {
        await reverseOutbound(session, input.caseId, order, lines);
        return session.closeByAgent(resolution);
      }
    }
    await session.enter('RESHIPPED', 'RESHIPPED', { actor: `warehouse:${reshipment!.by}`, status: 'WAITING_COURIER', data: parcelSentData(reshipment!) });
    await session.notify('exchangeShipped', { carrier: reshipment!.carrier, trackingNumber: reshipment!.trackingNumber });
    const followed = await followUntilDelivered(session, rules, reshipment!, { madeGood: { refundWouldPay: async () => (await reckonLost()).amountMinor } });
    if (followed === 'CLOSED_BY_AGENT') return followed;
    // The re-shipment will not reach the customer (shipping.ts MAKE_GOOD_REFUND_PATCH): refunded as the lost goods are.
    if (followed === 'REFUND_REQUESTED') await refundLost('parcel lost: re-shipment not delivered');
  }
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...(capped ? { decision: capped } : {}) });
  return session.revisit();

  /**
   * The lost parcel reported delivered (LOST_PARCEL_DELIVERED_AFTER_LOSS_PATCH): the customer is told,
   * and an agent confirms with them whether they have it. Its report is weighed from then on.
   */
  async function confirmDelivery() {
    const delivery = deliveredAfterAll()!;
    weighed = reported.length;
    confirmedAt = delivery.at;
    const signer = traceEventsFromCourier([{ at: delivery.at, code: delivery.code, description: delivery.description }])[0]?.signer;
    // The number the courier reported it under (the storefront's or the dispatch record's).
    const delivered = { carrier: parcel.carrier, trackingNumber: delivery.trackingNumber };
    // Its claim is told here too, not only by the API, which finds a claim by the steps on the case
    // and misses one whose start is not written yet. A claim hears the first news only.
    if (claimProcess) {
      const found = { trackingNumber: parcel.trackingNumber, at: delivery.at, how: 'DELIVERED' as const, by: parcel.carrier };
      await getExternalWorkflowHandle(claimProcess).signal(parcelFound, found).catch(() => undefined); // ended: the carrier decided it (the API books a payment back)
    }
    await session.notify('lostParcelDeliveredAfterAll', { ...delivered, deliveredAt: delivery.at });
    return session.waitForAgent('DELIVERED_AFTER_LOSS', { data: { ...delivered, deliveredAt: delivery.at, ...(signer ? { signer } : {}), ...(choice ? { remedy: choice } : {}) } });
  }

  /**
   * The courier's reports after the cause was decided as never received (LOST_PARCEL_COURIER_LATE_PATCH):
   * each change of what they say revises the cause; lost in transit, the claim is filed, once.
   * `heard`: the reports the decision weighed. Runs beside the case until it ends.
   */
  async function heedCourierAfterAll(heard: number): Promise<void> {
    let said = courierLossAnswer(trace.status, reported.slice(0, heard).map((e) => e.code));
    for (;;) {
      await condition(() => reported.length > heard);
      heard = reported.length;
      const answer = courierLossAnswer(trace.status, reported.map((e) => e.code));
      if (answer === said) continue;
      if (!patched(LOST_PARCEL_COURIER_LATE_PATCH)) return;
      said = answer;
      const revised = decideLostParcel(input.fulfilment, order, report, d, answer);
      await session.step('CAUSE_REVISED', { escalated: true, data: { trace: trace.status, courierReported: reported.at(-1)!.code }, decision: revised });
      if (revised.outcome === 'COURIER_CLAIM') return fileClaim();
    }
  }
}
