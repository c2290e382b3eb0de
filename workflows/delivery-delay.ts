/**
 * Delivery delay (延误, docs/after-sales.md §7; 004 §二.3):
 *
 *   recorded (order, ETA, where the parcel is) → not yet past the ETA: explain and follow it up to
 *     the ETA (delivered by then: resolved)
 *   → past it: the courier is asked why (an agent records the cause and the new ETA, under the
 *     agent deadline) → the courier's cause: new ETA explained to the customer; internal cause
 *     (late dispatch, scheduling): apology and compensation per day late (refunded at once)
 *     (days late counted to the delivery when the parcel has come meanwhile: then not followed again)
 *   → followed until delivered (escalated when late) → revisit after delivery → closed
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import type { Decision } from '../activities/contract.js';
import { DELAY_CAUSES, decideDelay, refundOutcome, solutionDeadline, validateOrder, type FulfilmentPolicy, type OrderSnapshot, type Policy } from '../domain/index.js';
import { refundToCustomer } from './money.js';
import { activities, CaseSession, type ClosedByRevisit } from './case-machinery.js';
import { invalidInput, recordDelayCause, type DelayCauseReport, type OpenedBy } from './contract.js';
import { followUntilDelivered, type Parcel } from './shipping.js';
import { turnedBackInTrace } from '../domain/trace-events.js';

/**
 * Patch: a late parcel whose courier gives no new date is not promised by its old, passed one
 * (`delayNoNewDate`: still on its way, followed), and a parcel the courier shows delivered when the
 * case opens is said to be (`delayAlreadyDelivered`, with when, and what to do if it did not come);
 * before, "expected by" a time already past, and silence until the revisit. Replayed by
 * test/workflows/histories/delivery-delay-v17-*.pb.
 */
export const DELAY_WORDS_PATCH = 'delivery-delay-words';
/**
 * Patch: our own delay whose compensation comes to nothing (the order refunded in full already, or a
 * policy that pays none) is apologised for all the same (`delayApologyExpedited`); before, the
 * customer heard nothing after the case opened (found by a finance trial). Replayed by
 * test/workflows/histories/delivery-delay-v21-apology-without-compensation-*.pb.
 */
export const APOLOGY_WITHOUT_COMPENSATION_PATCH = 'delay-apology-without-compensation';

/**
 * Patch: a parcel whose trace says it turned back to the shop (refused, intercepted, on its way back:
 * its status or a scan) goes to an agent at once (PARCEL_TURNED_BACK: resolve as settled with the
 * customer, or close), the customer told it is coming back to us and that customer service will contact them.
 * Before, it was treated as merely late: "we have expedited it and will follow it until it reaches
 * you" — of a parcel that never would (an integrator's trial, on a parcel intercepted for a refund).
 * Replayed by test/workflows/histories/delivery-delay-v23-turned-back[-unpatched]-*.pb.
 */
export const TURNED_BACK_PATCH = 'delay-parcel-turned-back';

/**
 * Patch: a case opened before the promised ETA follows the parcel up to the ETA only; undelivered by
 * then, it is late like one opened late (AWAITING_DELAY_CAUSE: the courier asked why, an internal
 * cause apologised for and compensated). Before, it was followed with no look at the ETA again, and
 * escalated (DELIVERY_LATE) a week after the opening whatever the ETA. Once the cause is recorded
 * the parcel is traced again: delivered by then, the days late are counted to its delivery (not to
 * when the agent got to it), the customer is told so (`delayApologyDelivered`,
 * `delayApologyDeliveredNoCompensation`, `delayAlreadyDelivered`) and the case resolves. Followed
 * after the cause, a parcel with a new date from the courier is late by that date. Replayed by
 * test/workflows/histories/delivery-delay-v26-*.pb (`-eta-passed-unpatched`: the old sequence).
 */
export const DELAY_FOLLOWS_ETA_PATCH = 'delay-follows-eta';

/**
 * Patch: a parcel delivered after its promised date before the case opened (a customer writing
 * that it came three days late) is late like one still on its way: the courier is asked why, and an
 * internal cause (our late dispatch) is apologised for and compensated for the days late up to the
 * delivery. Before, "already delivered" ended it: the customer complaining of the lateness heard
 * only that the parcel had arrived. Delivered in time, or with no delivery time in the trace: as
 * before (ALREADY_DELIVERED). The marker is written only for a late delivery. Replayed by
 * test/workflows/histories/delivery-delay-v27-delivered-late-asked[-unpatched]-*.pb.
 */
export const DELIVERED_LATE_ASKED_PATCH = 'delay-delivered-late-asked';

/**
 * When the courier's trace says the parcel was delivered (not signed for by the shop after it turned
 * back), no later than now; undefined while it is not.
 */
async function deliveredNow(parcel: Parcel): Promise<number | undefined> {
  const t = await activities.trackParcel({ carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
  // A trace that says delivered without saying when: its latest scan's time, else now (days late are counted to no later than this).
  const at = t.deliveredAt ?? t.events?.at(-1)?.at ?? Date.now();
  return t.status === 'DELIVERED' && !turnedBackInTrace(t) ? Math.min(at, Date.now()) : undefined;
}

export interface DeliveryDelayInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  shipment: { carrier: string; trackingNumber: string };
  /** The delivery date the customer was promised. */
  etaAt: number;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
}

export async function deliveryDelay(input: DeliveryDelayInput): Promise<ClosedByRevisit> {
  const { policy, order, shipment } = input;
  const problems = validateOrder(order);
  if (!Number.isSafeInteger(input.etaAt)) problems.push({ field: 'etaAt', reason: 'must be an epoch time in milliseconds' });
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid delay case: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let report: DelayCauseReport | undefined;
  let compensatedMinor = 0;
  /** The resolution's decision when the compensation came to less than decided (CAPPED, NOTHING_LEFT). */
  let capped: Decision | undefined;
  setHandler(recordDelayCause, (r) => ((report = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_DELAY_CAUSE');
      if (!DELAY_CAUSES.includes(r.cause)) throw invalidInput('cause', `cause must be one of ${DELAY_CAUSES.join(', ')}`);
      if (r.newEtaAt !== undefined && (!Number.isSafeInteger(r.newEtaAt) || r.newEtaAt < Date.now())) throw invalidInput('newEtaAt', 'newEtaAt must be a time in the future');
    },
  });

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt, etaAt: input.etaAt }, data: { carrier: shipment.carrier, outboundTracking: shipment.trackingNumber } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });
  const trace = await activities.trackParcel(shipment);
  // When it was delivered, where the trace says (step data only: no command changes): a replay hears it again (simulation/recorded.ts courierAnswers).
  await session.step('TRACED', { data: { trace: trace.status, ...(trace.deliveredAt !== undefined ? { deliveredAt: trace.deliveredAt } : {}) } });

  // Refused, intercepted, on its way back — by its status or a scan (a DELIVERED after such a scan is the shop signing for it).
  const turnedBack = turnedBackInTrace(trace);
  // Delivered after the promised date already: what the customer writes about is the lateness (DELIVERED_LATE_ASKED_PATCH).
  const deliveredLate = !turnedBack && trace.status === 'DELIVERED' && trace.deliveredAt !== undefined && trace.deliveredAt > input.etaAt;
  if (turnedBack && patched(TURNED_BACK_PATCH)) {
    // Coming back to the shop, not late: what happens next is the agent's to settle with the customer
    // (a new parcel goes under a waybill of its own, by a case of its own); this parcel is not followed:
    // its next scan is the shop's signature, not the customer's delivery.
    // Signed for after it turned back: the shop has it already (the message's name only: no command changes).
    await session.notify(trace.status === 'DELIVERED' ? 'delayParcelBackAtShop' : 'delayParcelTurnedBack', { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber });
    const resolution = await session.waitForAgent('PARCEL_TURNED_BACK', { data: { trace: trace.status, turnedBack: turnedBack.code } });
    solved = true;
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
  } else if (trace.status !== 'DELIVERED' || (deliveredLate && patched(DELIVERED_LATE_ASKED_PATCH))) {
    const lateWhenOpened = Date.now() > input.etaAt;
    /** The parcel followed: as sent, or as corrected while it was followed up to its ETA. */
    let parcel: Parcel = shipment;
    /** How following the parcel up to its ETA ended (DELAY_FOLLOWS_ETA_PATCH); undefined when it was not followed so. */
    let untilEta: 'DELIVERED' | 'DUE' | undefined;
    if (!lateWhenOpened) {
      // Not late yet: explain the promise and follow the parcel.
      solved = true;
      await session.step('NOT_LATE_YET', { decision: session.decision('delayEta', { etaAt: input.etaAt }, 'EXPLAIN_AND_FOLLOW') });
      // Without a scan, "we checked with the courier" would claim what the trace does not say (only the message's name differs: no patch).
      await session.notify(trace.status === 'NO_TRACE' ? 'delayExplainedNoTrace' : 'delayExplained', { etaAt: input.etaAt });
      if (patched(DELAY_FOLLOWS_ETA_PATCH)) {
        // Followed up to the promise only (docs/after-sales.md §7): past it undelivered, the case is late and the courier is asked why.
        await session.enter('FOLLOWING', 'FOLLOWING', { status: 'WAITING_COURIER' });
        const ended = await followUntilDelivered(session, input.fulfilment.rules, shipment, { until: input.etaAt, deliveryDueAt: input.etaAt, corrected: (right) => void (parcel = right) });
        if (ended === 'CLOSED_BY_AGENT') return ended;
        untilEta = ended;
      }
    }
    /** When the parcel was delivered, traced once the cause was recorded (DELAY_FOLLOWS_ETA_PATCH): the days late end there. */
    let deliveredAt: number | undefined;
    /** The courier's new delivery date, when it gave one still ahead. */
    let newEtaAhead: number | undefined;
    if (lateWhenOpened || untilEta === 'DUE') {
      // Late: the courier says why; an agent records it (reminded and escalated while missing).
      await session.enter('AWAITING_DELAY_CAUSE', 'COURIER_ASKED', { status: 'OPEN' });
      await session.waitWithReminders(() => !!report, 'DELAY_CAUSE_REMINDER');
      const r = report!;
      const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
      if (patched(DELAY_FOLLOWS_ETA_PATCH)) deliveredAt = await deliveredNow(parcel);
      // A parcel delivered by now was late until its delivery, not until the agent got to it.
      const decided = decideDelay(input.fulfilment, order, input.etaAt, deliveredAt ?? Date.now(), r.cause, earlier.amountMinor, r.newEtaAt);
      solved = true;
      await session.step('DELAY_CAUSE_RECORDED', { actor: `${r.by.kind}:${r.by.id ?? ''}`, data: { cause: r.cause, newEtaAt: r.newEtaAt, note: r.note }, decision: decided });
      if (r.newEtaAt && r.newEtaAt > Date.now()) newEtaAhead = r.newEtaAt;
      if (decided.outcome === 'APOLOGISE_AND_COMPENSATE') {
        const amountMinor = Number(decided.values.compensationMinor ?? 0);
        if (amountMinor > 0) {
          compensatedMinor = await refundToCustomer(session, {
            caseId: input.caseId,
            merchantId: input.merchantId,
            order,
            amountMinor,
            reason: `delay compensation: ${r.cause}`,
            step: 'compensation',
            // Delivered already: nothing to expedite or expect. Else the apology says when the parcel
            // should now come, when the courier gave a date still ahead.
            ...(deliveredAt !== undefined
              ? { message: 'delayApologyDelivered', messageParams: { deliveredAt } }
              : newEtaAhead
                ? { message: 'delayApologyBy', messageParams: { etaAt: newEtaAhead } }
                : { message: 'delayApology' }),
            lines: (paid) => [{ kind: 'COMPENSATION', daysLate: decided.values.daysLate, amountMinor: paid }],
          });
          // Other cases of the order may have been refunded since it was decided: the resolution says what the compensation came to.
          if (compensatedMinor < amountMinor) capped = session.decision('delayCompensationRefund', { refundMinor: amountMinor, grantedMinor: compensatedMinor }, refundOutcome(amountMinor, compensatedMinor));
        } else if (deliveredAt !== undefined) await session.notify('delayApologyDeliveredNoCompensation', { deliveredAt });
        else if (patched(APOLOGY_WITHOUT_COMPENSATION_PATCH)) await session.notify('delayApologyExpedited', {});
      } else if (deliveredAt !== undefined) {
        // The courier's cause (or not late after all), delivered since: said so, not "expected by".
        await session.notify('delayAlreadyDelivered', { deliveredAt });
      } else {
        const etaAt = r.newEtaAt ?? input.etaAt;
        if (etaAt <= Date.now() && patched(DELAY_WORDS_PATCH)) await session.notify('delayNoNewDate', {});
        else await session.notify('delayExplained', { etaAt });
      }
      if (deliveredAt !== undefined) await session.step('DELIVERED', { data: { deliveredAt } });
    }
    if (untilEta !== 'DELIVERED' && deliveredAt === undefined) {
      // The compensation is paid already: the case row shows it while the parcel is followed, not only once resolved.
      await session.enter('FOLLOWING', 'FOLLOWING', { status: 'WAITING_COURIER', ...(compensatedMinor ? { refundedAmountMinor: compensatedMinor } : {}) });
      // Late by the courier's new date, when it gave one, not by a week from now (only when it did: other cases follow as before).
      const deliveryDueAt = newEtaAhead !== undefined && patched(DELAY_FOLLOWS_ETA_PATCH) ? { deliveryDueAt: newEtaAhead } : {};
      if ((await followUntilDelivered(session, input.fulfilment.rules, parcel, deliveryDueAt)) === 'CLOSED_BY_AGENT') return 'CLOSED_BY_AGENT';
    }
  } else {
    solved = true;
    await session.step('ALREADY_DELIVERED', { data: { deliveredAt: trace.deliveredAt } });
    if (patched(DELAY_WORDS_PATCH)) await session.notify(trace.deliveredAt ? 'delayAlreadyDelivered' : 'delayAlreadyDeliveredNoTime', trace.deliveredAt ? { deliveredAt: trace.deliveredAt } : {});
  }
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: compensatedMinor, ...(capped ? { decision: capped } : {}) });
  return session.revisit();
}
