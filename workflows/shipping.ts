/**
 * What every case that sends goods out shares (re-shipments, exchanges): the warehouse's outgoing
 * task under a deadline, and following the parcel until the customer has it (跟踪到签收),
 * escalated when it is late — the trace is asked every N hours, and the carrier's own signed
 * DELIVERED event (POST /v1/couriers/{carrier}/events) ends the wait as soon as it comes.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { CLOCK_TOLERANCE_MS, type CaseDocument, type DocumentKind, type FulfilmentRules, type OrderSnapshot } from '../domain/index.js';
import { activities, days, hours, waitUntil, type CaseSession } from './case-machinery.js';
import { actorName, correctFollowedParcel, courierEvent, invalidInput, requireParcel, type CourierEvent, type ParcelCorrection } from './contract.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { carrierCodeOf } from '../domain/carriers.js';
import { TURNED_BACK_CODES } from '../domain/courier-event-codes.js';
import { turnedBackInTrace } from '../domain/trace-events.js';

/**
 * Patch: the carrier's DELIVERED event for the parcel a case follows ends the wait at once. Before,
 * the event was recorded on the timeline but only the next trace (every reshipmentTraceEveryHours,
 * a day by default) moved the case. Replayed by
 * test/workflows/histories/missing-items-v8-courier-delivered-CLOSED_SATISFIED.pb.
 */
export const COURIER_DELIVERED_PATCH = 'courier-delivered-event';

/**
 * Patch: a parcel the shop sent that the courier reports refused, intercepted or on its way back
 * (docs/after-sales.md, *Following a parcel sent out*) goes to an agent (DELIVERY_FAILED) instead of
 * being followed on until the shop signs for it coming back — which read as the customer's delivery.
 * Replayed by test/workflows/histories/missing-items-v12-delivery-failed-*.pb.
 */
export const DELIVERY_FAILED_PATCH = 'outbound-delivery-failed';

/**
 * Patch: a trace that says the parcel turned back (its scans or, before any refusal was dealt with,
 * its status: domain/trace-events.ts turnedBackInTrace) goes to the agent like the courier's pushed
 * event. Before, only a pushed event did: a courier that sends no callbacks had the parcel followed
 * until the shop signed for it coming back, which read as the customer's delivery.
 * Replayed by test/workflows/histories/missing-items-v12-trace-turned-back-*.pb.
 */
export const TRACE_TURNED_BACK_PATCH = 'outbound-trace-turned-back';

/**
 * Patch: a redelivery the agent arranged (a parcel signed for by someone else, refused, turned back)
 * is delivered by a delivery after it, not by the trace's old signature: the trace still says
 * DELIVERED from before, and the case closed as delivered at its first poll and told the customer so.
 * Replayed by test/workflows/histories/tracking-inquiry-v19-redelivery-*.pb.
 */
export const REDELIVERY_OLD_SIGNATURE_PATCH = 'redelivery-old-signature-ignored';

/**
 * Patch: a parcel that makes good a problem (`madeGood`: missing items or a lost parcel sent again,
 * the right goods for a wrong item, a quality problem's or an exchange's replacement) refused,
 * intercepted or coming back waits for the agent as REPLACEMENT_NOT_DELIVERED, which offers
 * REFUND_REQUESTED beside CONTINUE and CLOSE: the customer is told (madeGoodRefundInstead), the
 * parcel coming back is no longer followed, and the caller refunds the goods in it by its own refund
 * path (docs/after-sales.md, *Following a parcel sent out*). Before, the wait was DELIVERY_FAILED,
 * whose only way out short of a redelivery was a CLOSE that refunded nothing: a customer who had paid
 * for the goods kept neither. The marker is written only when such a parcel fails. Replayed by
 * test/workflows/histories/missing-items-v27-refund-on-failed-delivery-*.pb and
 * exchange-v27-refund-on-failed-delivery-*.pb.
 */
export const MAKE_GOOD_REFUND_PATCH = 'make-good-refund-on-failed-delivery';

export interface Parcel {
  carrier: string;
  trackingNumber: string;
  /** The weight on the label (000: 称重贴单), when the warehouse reports it. */
  weightGrams?: number;
}

/**
 * The step data of a parcel the warehouse sent (SHIPPED, RESHIPPED): its carrier, number and the
 * weight it was labelled with, where the clerk gave one (a re-shipment's weight was dropped).
 */
export const parcelSentData = (p: Parcel) => ({
  carrier: p.carrier,
  outboundTracking: p.trackingNumber,
  ...(p.weightGrams !== undefined ? { weightGrams: p.weightGrams } : {}),
});

/** Waits for `done` until `dueAt`; past it the case is late and escalated, and reminders follow. */
export async function warehouseTask(session: CaseSession, done: () => boolean, dueAt: number, rule: string, hoursAllowed: number, lookAgain?: () => Promise<void>): Promise<void> {
  if (await waitUntil(done, dueAt)) return;
  // What the caller looks at when the time is up (and at each reminder) may end the task without the warehouse.
  if (lookAgain) {
    await lookAgain();
    if (done()) return;
  }
  await session.step('WAREHOUSE_TASK_LATE', { late: true, escalated: true, decision: session.decision(rule, { dueAt, hours: hoursAllowed }, 'LATE') });
  await session.waitWithReminders(done, 'WAREHOUSE_REMINDER', lookAgain);
}

export interface FollowOptions {
  /** Refusals the caller has dealt with up to then (a redelivery an agent arranged): not news. */
  refusalsDealtWithUntil?: number;
  /** When the delivery is late (DELIVERY_LATE): a promise the caller holds (a delay's ETA); else reshipmentDeliveryDays from now. */
  deliveryDueAt?: number;
  /** Told the parcel as corrected (a mistyped number), for a caller that goes on with it after the follow. */
  corrected?: (right: Parcel) => void;
}

/** A follow that ends at `until` undelivered: 'DUE' (a delay's ETA passed: the caller asks the courier why). */
export interface FollowUntilOptions extends FollowOptions {
  until: number;
}

/**
 * A follow of a parcel that makes good a problem (a re-shipment, the right goods, a replacement: goods
 * the customer paid for): failed (MAKE_GOOD_REFUND_PATCH), the agent may refund them instead, and
 * 'REFUND_REQUESTED' is returned for the caller to refund the goods in the parcel and resolve.
 */
export interface MakeGoodOptions extends FollowOptions {
  madeGood: {
    /**
     * What refunding the goods in the parcel instead would pay now, as far as the order has money left
     * (the caller's own reckoning, asking the order's refunds): written on the wait's step
     * (`refunds.REFUND_REQUESTED`), as REPAIR_FAILED and COUNT_MISMATCH write theirs, for the agent to see.
     */
    refundWouldPay: () => Promise<number>;
  };
}

/**
 * Follows the parcel until delivered: a trace every reshipmentTraceEveryHours, escalated once past
 * reshipmentDeliveryDays (or `deliveryDueAt`). A parcel refused or coming back goes to an agent:
 * CONTINUE when the courier is to deliver it again (followed as before), CLOSE ends the case — then
 * the caller returns what this returns. With `until`, the parcel is traced at that time too and,
 * not delivered by then, 'DUE' is returned (no step: the caller goes on). With `madeGood` (a parcel
 * making good a problem), the agent may also refund its goods instead: 'REFUND_REQUESTED' is
 * returned and the caller refunds them. Options a caller does not pass change none of its commands
 * (every saved history replays).
 */
export async function followUntilDelivered(session: CaseSession, rules: FulfilmentRules, parcel: Parcel, o: FollowUntilOptions): Promise<'DELIVERED' | 'CLOSED_BY_AGENT' | 'DUE'>;
export async function followUntilDelivered(session: CaseSession, rules: FulfilmentRules, parcel: Parcel, o: MakeGoodOptions): Promise<'DELIVERED' | 'CLOSED_BY_AGENT' | 'REFUND_REQUESTED'>;
export async function followUntilDelivered(session: CaseSession, rules: FulfilmentRules, parcel: Parcel, o?: FollowOptions): Promise<'DELIVERED' | 'CLOSED_BY_AGENT'>;
export async function followUntilDelivered(session: CaseSession, rules: FulfilmentRules, parcel: Parcel, o: FollowOptions & { until?: number; madeGood?: MakeGoodOptions['madeGood'] } = {}): Promise<'DELIVERED' | 'CLOSED_BY_AGENT' | 'DUE' | 'REFUND_REQUESTED'> {
  let deliveryDueAt = o.deliveryDueAt ?? Date.now() + days(rules.reshipmentDeliveryDays);
  /** When this follow hands back to its caller undelivered ('DUE'): none once a redelivery is arranged (below). */
  let until = o.until;
  /** The parcel followed: as sent, or as corrected since (a mistyped number: followCorrections). */
  let followed: Parcel = parcel;
  // 'outboundTracking', not 'trackingNumber': the case row's return tracking number (what arrival scans match) stays the return's.
  const following = () => ({ carrier: followed.carrier, outboundTracking: followed.trackingNumber });
  await session.step('FOLLOWING_PARCEL', { deadlines: { deliveryDueAt }, data: following() });
  const failureGoesToAgent = patched(DELIVERY_FAILED_PATCH);
  // Events sent before this follow began reach the handler when it is set (a case that had none
  // holds them). A refusal the caller says it has dealt with (a tracking inquiry's agent arranged the
  // redelivery now followed) is not news; any other is, and a delivery always is.
  const dealtWithUntil = o.refusalsDealtWithUntil === undefined ? -Infinity : o.refusalsDealtWithUntil - CLOCK_TOLERANCE_MS;
  /** The trace's scans before this were dealt with (a redelivery the agent arranged): they stay in every later trace. */
  let traceDealtWithUntil = dealtWithUntil;
  let delivered: CourierEvent | undefined;
  let turnedBack: (CourierEvent & { learnedFrom?: 'TRACE' }) | undefined;
  /** Delivered (or being recorded so): nothing is followed any more. */
  let over = false;
  const corrections = followCorrections(session, {
    followed: () => followed,
    // A delivery or a refusal heard and not yet acted on is the parcel followed until now: acted on first.
    busy: () => over || !!delivered || !!turnedBack,
    correct: (right) => {
      followed = right;
      o.corrected?.(right);
    },
  });
  if (patched(COURIER_DELIVERED_PATCH)) {
    setHandler(courierEvent, (e) => {
      if (e.trackingNumber !== followed.trackingNumber) return;
      const code = e.code.toUpperCase();
      if (failureGoesToAgent && TURNED_BACK_CODES.has(code)) {
        if (e.at >= dealtWithUntil) turnedBack ??= e;
      }
      // Signed for once it turned back is the shop taking it in, not the customer's delivery.
      else if (code === 'DELIVERED' && !turnedBack) delivered ??= e;
    });
  }
  let escalated = false;
  /** How many corrections the last trace knew of: one since, and the right parcel is traced at once. */
  let tracedAfter = 0;
  try {
    for (;;) {
      // Woken at `until` as well (a timer no sooner than the next trace's for a caller without it: the same command).
      await waitUntil(() => !!delivered || !!turnedBack || tracedAfter < corrections.count(), Math.min(Date.now() + hours(rules.reshipmentTraceEveryHours), until ?? Infinity));
      if (delivered) {
        over = true;
        await session.step('DELIVERED', { actor: `courier:${delivered.carrier}`, data: { deliveredAt: delivered.at } });
        await session.notify('parcelDelivered', { carrier: followed.carrier, trackingNumber: followed.trackingNumber });
        return 'DELIVERED';
      }
      if (turnedBack) {
        const failure = { ...following(), code: turnedBack.code, at: turnedBack.at, ...(turnedBack.description ? { description: turnedBack.description } : {}), ...(turnedBack.learnedFrom ? { learnedFrom: turnedBack.learnedFrom } : {}) };
        // Goods the customer paid for, sent to make good a problem: a refund instead is offered too, with
        // what it would pay on the step (the marker only at such a failure).
        const refundOffered = !!o.madeGood && patched(MAKE_GOOD_REFUND_PATCH);
        const resolution = refundOffered
          ? await session.waitForAgent('REPLACEMENT_NOT_DELIVERED', { actor: `courier:${turnedBack.carrier}`, data: { ...failure, refunds: { REFUND_REQUESTED: await o.madeGood!.refundWouldPay() } } })
          : await session.waitForAgent('DELIVERY_FAILED', { actor: `courier:${turnedBack.carrier}`, data: failure });
        if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
        if (refundOffered && resolution.action === 'REFUND_REQUESTED') {
          // The parcel coming back is not followed: its events are no longer this case's news.
          over = true;
          await session.notify('madeGoodRefundInstead', { carrier: followed.carrier, trackingNumber: followed.trackingNumber });
          return 'REFUND_REQUESTED';
        }
        // The courier delivers it again (arranged with the customer): followed as before, late from now on only.
        turnedBack = undefined;
        traceDealtWithUntil = Date.now() - CLOCK_TOLERANCE_MS;
        deliveryDueAt = Date.now() + days(rules.reshipmentDeliveryDays);
        escalated = false;
        // The customer was given a new deadline for the redelivery: followed to it, not handed back at the old promise (a delay's ETA).
        until = undefined;
        await session.enter('FOLLOWING', 'REDELIVERY', { status: 'WAITING_COURIER', deadlines: { deliveryDueAt }, data: following() });
        continue;
      }
      const asked = followed;
      tracedAfter = corrections.count();
      const trace = await activities.trackParcel({ carrier: asked.carrier, trackingNumber: asked.trackingNumber });
      // Corrected while the courier was asked: that trace is the mistyped parcel's, someone else's as like as not.
      if (asked !== followed) continue;
      const back = failureGoesToAgent ? turnedBackInTrace(trace, traceDealtWithUntil) : undefined;
      if (back && patched(TRACE_TURNED_BACK_PATCH)) {
        turnedBack = { carrier: followed.carrier, trackingNumber: followed.trackingNumber, code: back.code, at: back.at ?? Date.now(), ...(back.description ? { description: back.description } : {}), learnedFrom: 'TRACE' };
        continue;
      }
      // Its delivery, or its latest scan: at or before what the agent dealt with, it is that old delivery.
      const signedAt = trace.deliveredAt ?? trace.events?.at(-1)?.at;
      const oldSignature = signedAt !== undefined && signedAt <= traceDealtWithUntil;
      if (trace.status === 'DELIVERED' && !(oldSignature && patched(REDELIVERY_OLD_SIGNATURE_PATCH))) {
        over = true;
        await session.step('DELIVERED', { data: { deliveredAt: trace.deliveredAt } });
        await session.notify('parcelDelivered', { carrier: followed.carrier, trackingNumber: followed.trackingNumber });
        return 'DELIVERED';
      }
      // Traced at (or after) `until` and not delivered: the caller's promise is broken, and it goes on.
      // (A delivery or refusal the courier reported while the trace was asked is acted on first: the loop's next turn.)
      if (until !== undefined && Date.now() >= until && !delivered && !turnedBack) return 'DUE';
      if (!escalated && Date.now() >= deliveryDueAt) {
        escalated = true;
        await session.step('DELIVERY_LATE', { late: true, escalated: true, data: { trace: trace.status }, decision: session.decision('reshipmentDeliveryDays', { deliveryDueAt }, 'LATE') });
      }
    }
  } finally {
    over = true;
    // A follow that ends at `until` is followed again later (a delay once its cause is recorded): the
    // courier's events meanwhile wait for that follow instead of this one's finished handler.
    if (o.until !== undefined) setHandler(courierEvent, undefined);
  }
}

/**
 * Corrections of the parcel followed (correctFollowedParcel): a clerk's typo had the case follow a
 * parcel that does not exist, or someone else's. A new update, so no history before it holds one and
 * nothing here adds a command until one is sent: no patch. Each is recorded (FOLLOWED_PARCEL_CORRECTED,
 * naming the number before) and told to the customer; the same one sent again (a retry after a
 * timeout) is answered as taken. Refused while nothing is followed, while an agent decides about a
 * failed delivery, or while a delivery or refusal of the parcel followed until now is being acted on.
 */
function followCorrections(session: CaseSession, o: { followed: () => Parcel; busy: () => boolean; correct: (right: Parcel) => void }): { count: () => number } {
  let count = 0;
  let last: { previous: Parcel; now: Parcel } | undefined;
  const same = (a: { carrier: string; trackingNumber: string }, b: Parcel) => carrierCodeOf(a.carrier) === carrierCodeOf(b.carrier) && normaliseTrackingNumber(a.trackingNumber) === normaliseTrackingNumber(b.trackingNumber);
  const takenAlready = (c: ParcelCorrection) => !!last && same(c, last.now) && same(c, o.followed()) && normaliseTrackingNumber(c.previousTrackingNumber) === normaliseTrackingNumber(last.previous.trackingNumber);
  setHandler(
    correctFollowedParcel,
    async (c) => {
      if (takenAlready(c)) return { stage: session.stage };
      const previous = o.followed();
      const now = { ...previous, carrier: c.carrier.trim(), trackingNumber: c.trackingNumber.trim() };
      last = { previous, now };
      count++;
      o.correct(now);
      await session.step('FOLLOWED_PARCEL_CORRECTED', { actor: actorName(c.by), data: { carrier: now.carrier, outboundTracking: now.trackingNumber, previousCarrier: previous.carrier, previousOutboundTracking: previous.trackingNumber } });
      await session.notify('parcelNumberCorrected', { carrier: now.carrier, trackingNumber: now.trackingNumber });
      return { stage: session.stage };
    },
    {
      validator: (c) => {
        if (o.busy() || session.stage === 'AWAITING_AGENT') throw new Error(`the case at stage ${session.stage} follows no parcel now: nothing to correct`);
        requireParcel(c);
        if (takenAlready(c)) return;
        const followed = o.followed();
        if (normaliseTrackingNumber(c.previousTrackingNumber ?? '') !== normaliseTrackingNumber(followed.trackingNumber)) {
          throw new Error(`the case follows ${followed.carrier} ${followed.trackingNumber}, not ${c.previousTrackingNumber}: correct the parcel it follows`);
        }
        if (same(c, followed)) throw invalidInput('trackingNumber', `${c.carrier} ${c.trackingNumber} is the parcel the case follows already`);
      },
    },
  );
  return { count: () => count };
}

/** Books the ordered goods going out again (an outbound document at cost, stock down). */
export async function bookOutbound(session: CaseSession, caseId: string, order: OrderSnapshot, lines: Array<{ sku: string; quantity: number }>): Promise<void> {
  await activities.appendLedger({
    caseId,
    stepKey: session.key('ledger:outbound'),
    kind: 'OUTBOUND',
    amountMinor: 0,
    currency: order.currency,
    lines: lines.map((l) => ({ sku: l.sku, quantity: l.quantity, unitCostMinor: order.items.find((i) => i.sku === l.sku)!.unitCostMinor, stockDelta: -l.quantity })),
  });
}

/**
 * Puts goods booked out that will not leave back on the shelf: the outbound document reversed line
 * by line. The case's own (bookOutbound) is reversed with its lines `unsent`: the case's cost of
 * replacement goods (db/costs.ts) takes them off again. An order's own outbound (`orderOutboundId`:
 * an order cancelled before shipping) was never a cost of the case: its reversal names it instead.
 */
export async function reverseOutbound(session: CaseSession, caseId: string, order: OrderSnapshot, lines: Array<{ sku: string; quantity: number; unitCostMinor?: number }>, orderOutboundId?: string): Promise<void> {
  const unsent = orderOutboundId ? {} : { unsent: true };
  await activities.appendLedger({
    caseId,
    stepKey: session.key('ledger:outbound-reversal'),
    kind: 'OUTBOUND_REVERSAL',
    amountMinor: 0,
    currency: order.currency,
    lines: lines.map((l) => ({ sku: l.sku, quantity: -l.quantity, unitCostMinor: l.unitCostMinor ?? order.items.find((i) => i.sku === l.sku)!.unitCostMinor, stockDelta: l.quantity, ...unsent })),
    ...(orderOutboundId ? { reference: orderOutboundId } : {}),
  });
}

/**
 * Books a document of domain/fulfilment/documents.ts with its stock movements. Documents carry
 * their amounts in their lines; money that moves is booked apart (REFUND, CLAIM_RECOVERY), so a
 * refund documented by an expense note is not counted twice.
 */
export async function bookDocument(session: CaseSession, caseId: string, currency: string, doc: CaseDocument, i: number): Promise<void> {
  await activities.appendLedger({
    caseId,
    stepKey: session.key(`doc:${i}:${doc.kind}`),
    kind: doc.kind === 'BLANK_RETURN' ? 'EXPENSE_NOTE' : doc.kind,
    amountMinor: 0,
    currency,
    lines: [
      ...doc.lines.map((l) => ({ ...l, stockDelta: doc.stock.find((m) => m.sku === l.sku)?.delta ?? 0, ...(doc.kind === 'BLANK_RETURN' ? { blankReturn: true } : {}) })),
      ...(doc.expense ? [{ purpose: doc.expense.purpose, amountMinor: doc.expense.amountMinor }] : []),
    ],
  });
}

/**
 * Patch: missing-items and wrong-item cases that reach their documents since book them after the
 * money, with what the refund came to. Before, the expense note carried the amount asked for and
 * was booked first: when the order's other cases had been refunded first, the refund was capped
 * (or nothing was left) while the note still said the full amount: the case's documents recorded
 * money never paid (the costs themselves count the REFUND entry, not this note, db/costs.ts). An
 * expense note for a refund that paid nothing is left out. The cases that
 * booked them first replay the old order: test/workflows/histories/missing-items-local-*.pb and
 * wrong-item-local-*.pb; missing-items-v9-* and wrong-item-v9-* the new one.
 */
export const DOCUMENTS_AFTER_REFUND_PATCH = 'documents-after-refund';

/** Books a case's documents in order, without an expense note for money that was never paid (see above). */
export async function bookPaidDocuments(session: CaseSession, caseId: string, currency: string, docs: CaseDocument[]): Promise<void> {
  const paid = docs.filter((d) => !(d.kind === 'EXPENSE_NOTE' && d.expense && (d.expense.purpose === 'REFUND' || d.expense.purpose === 'DISCOUNT') && d.expense.amountMinor === 0));
  for (const [i, doc] of paid.entries()) await bookDocument(session, caseId, currency, doc, i);
}

/**
 * Patch: transit-damage and quality cases opened since book the settlement documents of the shop
 * procedure (settlementDocuments, 003 §四.3 and §五.4): a refund without return or exchange
 * (不退换货仅退款) gets an expense note for the refund, and a return (with or without an exchange)
 * gets an expense note for the return shipping the shop paid (退回的运费做费用单), so the month's
 * logistics cost includes it. Before, a minor-damage or cannot-come-back refund booked only its
 * REFUND entry and no return booked its shipping. Each adds appendLedger activities, so cases
 * started before replay without them: test/workflows/histories/transit-damage-prepatch-*.pb and
 * quality-problem-prepatch-*.pb replay the old sequence, <type>-batched-*.pb the new one.
 */
export const SETTLEMENT_DOCUMENTS_PATCH = 'damage-quality-settlement-documents';

/**
 * Books the documents of one settlement (settlementDocuments) that no other step of the case has
 * booked. `bookedElsewhere` names the kinds already booked by their own steps — the return note
 * takeBack books from the inspection (what actually came back, in which condition: truer than the
 * claimed lines), the outbound bookOutbound books for an exchange — so no stock moves twice. An
 * expense note of 0 is no expense and is not booked. Each key carries the document's place in the
 * full list, so a retry books the same document under the same key, never twice.
 */
export async function bookSettlement(session: CaseSession, caseId: string, currency: string, docs: CaseDocument[], bookedElsewhere: DocumentKind[]): Promise<void> {
  for (const [i, doc] of docs.entries()) {
    if (bookedElsewhere.includes(doc.kind) || doc.expense?.amountMinor === 0) continue;
    await bookDocument(session, caseId, currency, doc, i);
  }
}
