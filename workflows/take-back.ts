/**
 * Taking goods back from the customer, as every case type that does so shares it: the customer
 * ships them (told where; closed as not shipped past the deadline, or handed to an agent when the
 * customer already has a replacement), the warehouse scans the arrival (an agent when it never
 * comes) and inspects it (late → escalated), and a return note books what came back into stock.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { closeKeepsGoodsReason, detectCountMismatch, inGoodOrderOfAsked, inspectionProblems, loanInspectionProblems, receivedOfAsked, refundableValueMinor, returnedNotAsAsked, returnAddressField, type InspectedLine, type OrderSnapshot, type Policy, type ReturnAddress } from '../domain/index.js';
import { activities, days, hours, SEND_BACK_TOLD_PATCH, SCAN_BEFORE_SHIPMENT_PATCH, waitUntil, type CaseSession } from './case-machinery.js';
import { answeredBy, arrivalScanned, invalidInput, invalidSentences, reportInspection, type Actor, type AgentResolution, type ReturnShipment, type Withdrawal } from './contract.js';
import { ReturnParcel } from './return-parcel.js';
import type { ReturnPostage } from '../domain/return-postage.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { isLoanBackStage } from '../domain/waiting.js';
import { warehouseTask } from './shipping.js';

/**
 * From this patch on, what the shop paid for the parcel coming back (the inspection's
 * returnShippingPaidMinor) is booked as a return-shipping expense note on a return, an exchange and
 * a wrong item sent back too, as damage and quality returns book it in their settlement: the API
 * took the amount and it was recorded nowhere. Replayed by test/workflows/histories/*-v21-return-shipping-booked-*.pb.
 */
export const RETURN_SHIPPING_BOOKED_PATCH = 'return-shipping-booked';

/** Books what the shop paid for a parcel coming back (退回的运费做费用单), when the warehouse reported an amount. */
export async function bookReturnShipping(session: CaseSession, caseId: string, currency: string, paidMinor: number | undefined): Promise<void> {
  if (!paidMinor || !patched(RETURN_SHIPPING_BOOKED_PATCH)) return;
  await activities.appendLedger({ caseId, stepKey: session.key('ledger:return-shipping'), kind: 'EXPENSE_NOTE', amountMinor: 0, currency, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: paidMinor }] });
}

export interface TakeBackState {
  shipment?: ReturnShipment;
  /** Staff who entered the shipment for the customer (a phone call): the RETURN_SHIPPED step's actor. */
  shipmentBy?: Actor;
  /** The parcel followed at AWAITING_ARRIVAL, which the customer may correct there. */
  parcel: ReturnParcel;
  arrived: boolean;
  inspection?: { by: string; lines: InspectedLine[]; returnShippingPaidMinor?: number };
  /** Who scanned the parcel in (the first scan): the ARRIVED step's actor. */
  scannedBy?: string;
  /** When the parcel was scanned (a parcel taken in from the hold shelf came in before its step): on the ARRIVED step. */
  scannedAt?: number;
  /**
   * Parcels (normalised tracking numbers) whose scans are not news: the old goods' parcel scanned
   * again while an exchange waits for its loan item (loan-arrival-ends-wait) must not count as the loan.
   */
  notNews?: string[];
  /** The goods asked back, once takeBack has asked (or the loan item, once it is due): what an inspection may report. */
  expected?: Array<{ sku: string; quantity: number }>;
  /** The customer's withdrawal, once taken (CaseSession.takeWithdrawal): at `withdrawableAt`, or while the goods were asked back and not sent. */
  withdrawal: () => Withdrawal | undefined;
  /** Set while takeBack waits for goods the customer may still decide to keep (the request withdrawn instead). */
  mayWithdraw?: boolean;
}

/**
 * Registers the handlers; `inspectionStages` are the stages at which an inspection report is taken;
 * `withdrawableAt` a stage of the caller's own at which the customer may withdraw the request too
 * (an exchange's price difference still to pay). Withdrawn while the goods are asked back and not
 * sent yet, the case closes WITHDRAWN (takeBack) — a new update: histories without one replay as before.
 */
export function installTakeBack(session: CaseSession, policy: Policy, inspectionStages: string[] = ['AWAITING_INSPECTION'], withdrawableAt?: string): TakeBackState {
  const state: TakeBackState = {
    arrived: false,
    parcel: new ReturnParcel(session, () => state.arrived),
    withdrawal: session.takeWithdrawal(() => {
      if (withdrawableAt && session.stage === withdrawableAt) return session.requireStage(withdrawableAt);
      session.requireStage('AWAITING_RETURN_SHIPMENT');
      // The customer has the replacement already (the old goods are the shop's now), or goods that are the shop's (a wrong item's): they go back.
      if (!state.mayWithdraw) throw new Error('the goods asked back are the shop’s to have back: the request cannot be withdrawn');
      // Sent or in the warehouse already (a report or a scan taken just before, in the same activation): the case goes on with them.
      if (state.shipment || state.arrived) throw new Error('the goods were sent back already: the request cannot be withdrawn');
    }),
  };
  state.parcel.handleShipments(policy.rules.returnArrivalDays, (s, by) => void ((state.shipment = s), (state.shipmentBy = by)));
  setHandler(arrivalScanned, (scan) => {
    if (scan.trackingNumber && state.notNews?.includes(normaliseTrackingNumber(scan.trackingNumber))) return;
    state.scannedBy ??= scan.scannedBy;
    state.scannedAt ??= scan.scannedAt;
    state.arrived = true;
  });
  setHandler(reportInspection, (r) => ((state.inspection = r), session.taken()), {
    validator: (r) => {
      session.requireStage(inspectionStages);
      const problems = returnShippingProblems(r);
      // What came back is booked into stock line by line: a SKU not asked back, or more than was,
      // would book goods that were never the shop's (an exchange's loan product: only it, at its own stages).
      if (state.expected) problems.push(...inspectionProblems({ items: state.expected }, r.lines, 'the case asked back'));
      // The loan product's one unit came back or it did not: MISSING with it received is refused (its
      // workflow reads the count). A validator only: no command changes.
      if (state.expected && isLoanBackStage(session.stage)) for (const loan of state.expected) problems.push(...loanInspectionProblems(loan.sku, r.lines));
      if (problems.length) throw invalidSentences(problems);
    },
  });
  return state;
}

export interface TakeBackOptions {
  caseId: string;
  /** Who sends the goods back: the RETURN_SHIPPED step's actor. */
  customerId: string;
  policy: Policy;
  order: OrderSnapshot;
  /** The goods asked back; `name` where the order has none for the SKU (a wrong item's goods), said in the messages. */
  lines: Array<{ sku: string; quantity: number; name?: string }>;
  returnAddress?: ReturnAddress;
  /** The customer already has what replaces the goods: silence goes to an agent instead of closing. */
  customerHasReplacement: boolean;
  /** false when the case books its own return note among its documents (错货, 003 §三.4). */
  bookReturnNote?: boolean;
  /** true when no settlement of the case's own books what the shop paid for the parcel (an exchange): takeBack books it. */
  bookReturnShipping?: boolean;
  /**
   * The goods come back faulty or damaged, as the case reported them (a quality problem, transit
   * damage): found as expected (OK) they are received but never put back into sellable stock (a
   * repair's goods only visit: they go back to the customer), and the customer is told what
   * arrived, not that it arrived "in good condition".
   */
  faulty?: boolean;
  /** What the customer is refunded once the goods are back (transit damage): said in the message that asks for them. */
  refundOnReturn?: { amountMinor: number; currency: string };
  /**
   * The refund pays for what came back (goodsToRefund): goods counted short of what was asked are
   * told that an agent looks into it before the refund (the message's name only: no command changes).
   */
  refundsWhatCameBack?: boolean;
  /**
   * What came back is checked before anything more is given (an exchange's replacement, a quality
   * problem's replacement or repair: returnedNotAsAsked): goods short or damaged by the customer are
   * told that customer service looks into it first (the message's name only: no command changes).
   */
  reviewsWhatCameBack?: boolean;
  /** Who pays for the parcel back (domain/return-postage.ts), said in the message and on the step; unsaid where unknown (an exchange). */
  postage?: ReturnPostage;
  /**
   * Money the case took that closing it for goods never sent must give back (an exchange's price
   * difference): paid before the case closes, what was paid returned (said on the CLOSED step).
   */
  refundBeforeClose?: () => Promise<number>;
  /**
   * What the case does when the customer withdraws, before it closes (transit damage takes its
   * courier claim back): its commands come before the close's last steps are written.
   */
  beforeWithdrawnClose?: () => Promise<void>;
  /**
   * The goods are the customer's to keep if they withdraw the request before sending them (a quality
   * problem or transit damage they would rather live with, an exchange they no longer want): closed
   * WITHDRAWN, told so (requestWithdrawn). Not where the customer has the replacement already, nor
   * for goods that are the shop's (a wrong item's).
   */
  withdrawable?: boolean;
}

/** 'BACK' when the goods came back (or an agent settled without them); otherwise how the case closed. */
export async function takeBack(session: CaseSession, state: TakeBackState, o: TakeBackOptions): Promise<'BACK' | 'NOT_SHIPPED' | 'CLOSED_BY_AGENT' | 'WITHDRAWN'> {
  const rules = o.policy.rules;
  state.expected = o.lines;
  // Before the stage is entered: a withdrawal that comes with the stage's first activation is taken.
  state.mayWithdraw = !!o.withdrawable && !o.customerHasReplacement;
  const shipBy = session.customerShipDeadline(rules.customerShipReturnDays);
  const shipDueAt = shipBy.dueAt;
  const named = (sku: string) => {
    const name = o.lines.find((l) => l.sku === sku)?.name;
    return name ? { name } : {};
  };
  const asked = o.lines.map((l) => ({ sku: l.sku, ...named(l.sku), quantity: l.quantity }));
  // What, where to and by when, on the step too: the storefront shows its customer the case, not the
  // message; the warehouse's task list and inspection form expect these lines (a wrong item's goods are
  // the warehouse's findings, not the request). Step data, an activity's input: no patch.
  const postage = !o.customerHasReplacement && o.postage ? { postage: o.postage } : {};
  const returnTo = { returnCode: o.caseId, shipBy: shipDueAt, ...returnAddressField(o.returnAddress), lines: asked, ...postage };
  await session.enter('AWAITING_RETURN_SHIPMENT', 'RETURN_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { shipDueAt }, data: returnTo });
  const sendBack = { lines: asked, shipBy: shipDueAt, ...returnAddressField(o.returnAddress) };
  const told = patched(SEND_BACK_TOLD_PATCH);
  // The message's name and parameters only (what the refund comes to, where known): no command changes.
  const forRefund = !o.customerHasReplacement && o.refundOnReturn && o.refundOnReturn.amountMinor > 0 ? o.refundOnReturn : undefined;
  const template = o.customerHasReplacement ? 'sendOldGoodsBack' : forRefund ? (postage.postage ? 'sendGoodsBackForRefundWithPostage' : 'sendGoodsBackForRefund') : postage.postage ? 'sendGoodsBackWithPostage' : 'sendGoodsBackWithCode';
  if (told) await session.notify(template, { ...sendBack, returnCode: o.caseId, ...forRefund, ...postage });
  else await session.notify('sendGoodsBack', sendBack);
  const scanEndsShipmentWait = patched(SCAN_BEFORE_SHIPMENT_PATCH);
  const sent = () => !!state.shipment || (scanEndsShipmentWait && state.arrived);
  const settled = () => sent() || !!state.withdrawal();
  // Reminded a day before, as a return is: not when that time had passed already when the goods were
  // asked for (a short window), nor when woken only after the deadline itself.
  const remindAt = shipBy.reminderAt(rules.returnShipReminderBeforeHours);
  const remindedFirst = told && remindAt > Date.now() && !(await waitUntil(settled, remindAt)) && Date.now() < shipDueAt;
  if (remindedFirst) await session.notify(o.customerHasReplacement ? 'oldGoodsBackReminder' : 'sendBackReminder', { shipBy: shipDueAt });
  const inTime = await waitUntil(settled, shipDueAt);
  state.mayWithdraw = false;
  const withdrawn = state.withdrawal();
  if (withdrawn && !sent()) {
    // Kept by the customer: what the case took for them (a price difference paid) goes back first.
    const refundedMinor = o.refundBeforeClose ? await o.refundBeforeClose() : 0;
    await o.beforeWithdrawnClose?.();
    return session.closeWithdrawn(withdrawn, 'requestWithdrawn', refundedMinor ? { refundedAmountMinor: refundedMinor } : {});
  }
  if (!inTime) {
    if (o.customerHasReplacement) {
      const resolution = await session.waitForAgent('OLD_GOODS_NOT_RETURNED', { decision: session.decision('customerShipReturnDays', { shipDueAt }, 'AGENT') });
      if (resolution.action !== 'CLOSE') return 'BACK';
      return session.closeByAgent(resolution);
    }
    const refundedMinor = o.refundBeforeClose ? await o.refundBeforeClose() : 0;
    await session.enter('CLOSED', 'NOT_SHIPPED', { status: 'CLOSED', closeReason: 'NOT_SHIPPED', ...(refundedMinor ? { refundedAmountMinor: refundedMinor } : {}), decision: session.decision('customerShipReturnDays', { shipDueAt }, 'CLOSE') });
    await session.notify(told ? 'closedGoodsNotSent' : 'closedNotShipped', {});
    return 'NOT_SHIPPED';
  }
  const arrivalDueAt = Date.now() + days(rules.returnArrivalDays);
  // Scanned before the customer said it was sent: the arrival wait below is over at once.
  await session.enter('AWAITING_ARRIVAL', 'RETURN_SHIPPED', {
    status: 'WAITING_WAREHOUSE',
    deadlines: { arrivalDueAt },
    ...(state.shipment ? { actor: answeredBy(state.shipmentBy, o.customerId), data: { ...state.shipment } } : { actor: `warehouse:${state.scannedBy ?? ''}`, data: { scannedBeforeShipment: true } }),
  });
  // The customer may correct a mistyped number from here until the parcel arrives (workflows/return-parcel.ts).
  state.parcel.follow(state.shipment, arrivalDueAt, o.customerId);
  if (!(await waitUntil(() => state.arrived, arrivalDueAt))) {
    const resolution = await session.waitForAgent('RETURN_NOT_ARRIVED', { decision: session.decision('returnArrivalDays', { arrivalDueAt }, 'AGENT') });
    if (resolution.action !== 'CLOSE') return 'BACK';
    return session.closeByAgent(resolution);
  }
  const inspectionDueAt = Date.now() + hours(rules.inspectionHours);
  // When it was scanned, on the step (its data only: no command changes).
  await session.enter('AWAITING_INSPECTION', 'ARRIVED', { ...(state.scannedBy ? { actor: `warehouse:${state.scannedBy}` } : {}), status: 'WAITING_WAREHOUSE', deadlines: { inspectionDueAt }, ...(state.scannedAt !== undefined ? { data: { scannedAt: state.scannedAt } } : {}) });
  // Told the goods are in, as a return's customer is (parcelReceived): before, silence until the remedy.
  if (told) await session.notify('goodsReceived', {});
  await warehouseTask(session, () => !!state.inspection, inspectionDueAt, 'inspectionHours', rules.inspectionHours);
  const report = state.inspection!;
  await session.step('INSPECTED', { actor: `warehouse:${report.by}`, data: { lines: report.lines, ...paidForReturn(report) } });
  // What the warehouse found, as a return's customer is told (inspectionResult): before, silence until the remedy.
  const saidCondition = (condition: string) => (o.faulty && condition === 'OK' ? {} : { condition });
  const short = !!o.refundsWhatCameBack && detectCountMismatch({ lines: o.lines }, report.lines).length > 0;
  const toReview = !short && !!o.reviewsWhatCameBack && returnedNotAsAsked(o.lines, report.lines).length > 0;
  if (told) await session.notify(short ? 'goodsInspectedNotAsAsked' : toReview ? 'goodsInspectedToBeReviewed' : 'goodsInspected', { lines: report.lines.map((l) => ({ sku: l.sku, ...named(l.sku), receivedQuantity: l.receivedQuantity, ...saidCondition(l.condition) })) });
  if (o.bookReturnNote === false) return 'BACK';
  await activities.appendLedger({
    caseId: o.caseId,
    stepKey: session.key('ledger:return-note'),
    kind: 'RETURN_NOTE',
    amountMinor: 0,
    currency: o.order.currency,
    lines: report.lines.map((l) => ({ sku: l.sku, quantity: l.receivedQuantity, condition: l.condition, stockDelta: l.condition === 'OK' && !o.faulty ? l.receivedQuantity : 0 })),
  });
  if (o.bookReturnShipping) await bookReturnShipping(session, o.caseId, o.order.currency, report.returnShippingPaidMinor);
  return 'BACK';
}

/**
 * Goods taken back for a replacement or a repair that came back short or damaged by the customer
 * (returnedNotAsAsked; reviewsWhatCameBack told the customer so): an agent decides at the wait
 * `wait` before anything more goes out, is repaired or paid — from the patch `since` on. Undefined
 * when the case goes on as before (nothing to decide, or CONTINUE); CLOSED when the agent closed
 * it; otherwise the goods back in good order the agent chose to refund instead (REFUND_RECEIVED).
 * Nothing to check when an agent went on without the goods (no inspection).
 *
 * `refundOffered`: whether the customer is still owed for what came back. Not once a replacement
 * went out first: it paid for them. Where it is owed, CLOSE is refused while goods came back in good
 * order (they would be kept unpaid: closeKeepsGoodsReason), and REFUND_RECEIVED pays for them
 * instead; its amount (`refundWouldPay`, pure: no command) is on the wait's step for the agent.
 * Refusals are the validator's: histories written before REFUND_RECEIVED was offered here (the API
 * refused it at these waits) replay as they were written.
 */
export async function agentDecidesWhatCameBack(
  session: CaseSession,
  state: TakeBackState,
  asked: Lines,
  o: { wait: string; since: string; data?: Record<string, unknown>; refundOffered: boolean; refundWouldPay: (goods: Lines) => number },
): Promise<'CLOSED' | { refund: Lines } | undefined> {
  const inspected = state.inspection?.lines ?? [];
  const problems = state.inspection ? returnedNotAsAsked(asked, inspected) : [];
  if (!problems.length || !patched(o.since)) return undefined;
  const inGoodOrder = inGoodOrderOfAsked(asked, inspected);
  const refunds = o.refundOffered ? { refunds: { REFUND_RECEIVED: o.refundWouldPay(inGoodOrder) } } : {};
  const resolution = await session.waitForAgent(o.wait, { data: { problems, ...o.data, ...refunds } }, (r) => {
    if (r.action === 'REFUND_RECEIVED' && !o.refundOffered) throw invalidInput('action', 'the replacement went out first and paid for the goods that came back: nothing of theirs is refunded — CONTINUE settles the exchange, CLOSE ends it');
    // Only goods asked back count (what REFUND_RECEIVED would pay for), as in good order.
    const owed = inGoodOrder.map((l) => ({ sku: l.sku, receivedQuantity: l.quantity, condition: 'OK' as const }));
    const why = r.action === 'CLOSE' && o.refundOffered ? closeKeepsGoodsReason(owed, false, 'refund them (REFUND_RECEIVED), or send the replacement or repair anyway (CONTINUE)') : undefined;
    if (why) throw invalidInput('action', why);
  });
  if (resolution.action === 'CLOSE') {
    await session.closeByAgent(resolution);
    return 'CLOSED';
  }
  return resolution.action === 'REFUND_RECEIVED' && o.refundOffered ? { refund: inGoodOrder } : undefined;
}

/**
 * From this patch on, goods refunded at their value once back (transit damage returned, a quality
 * problem refunded) are refunded for what came back: counted short of what was asked — an empty
 * box, a unit short, a line MISSING (more than asked is refused by the inspection's validator) — an
 * agent decides, as at a return (COUNT_MISMATCH):
 * refund what came back, refund what was asked, or close. Before, the whole value was refunded
 * whatever the inspection found (an integrator's trial: a transit-damage parcel inspected empty was
 * refunded in full). Asked only when the count differs, so histories where it agreed replay as they
 * were written. Replayed by test/workflows/histories/*-v23-counted-back-*.pb.
 */
export const TAKEN_BACK_COUNTED_PATCH = 'taken-back-counted';

type Lines = Array<{ sku: string; quantity: number }>;

/**
 * The goods a refund pays for once they came back (TAKEN_BACK_COUNTED_PATCH): those asked, or, when
 * the warehouse counted otherwise, what the agent chooses, shown on the step what each choice would
 * refund (their value, as far as the order has money left after `refundedBeforeMinor`). No
 * inspection (an agent went on without the goods): as asked.
 */
export async function goodsToRefund(session: CaseSession, state: TakeBackState, asked: Lines, order: OrderSnapshot, refundedBeforeMinor: number, payFor?: (lines: Lines) => number): Promise<{ lines: Lines } | { close: AgentResolution }> {
  // `payFor`: a caller whose refund pays more than the goods' value (a quality problem's shipping fee).
  const valueOf = payFor ?? ((lines: Lines) => refundableValueMinor(order, lines, refundedBeforeMinor));
  const inspected = state.inspection?.lines;
  const mismatch = inspected ? detectCountMismatch({ lines: asked }, inspected) : [];
  if (!inspected || !mismatch.length || !patched(TAKEN_BACK_COUNTED_PATCH)) return { lines: asked };
  const received = receivedOfAsked(asked, inspected);
  const resolution = await session.waitForAgent('COUNT_MISMATCH', { data: { mismatch, refunds: { REFUND_RECEIVED: valueOf(received), REFUND_REQUESTED: valueOf(asked) } } }, closeKeepingGoodsRefused(inspected, true));
  if (resolution.action === 'CLOSE') return { close: resolution };
  return { lines: resolution.action === 'REFUND_REQUESTED' ? asked : received };
}

/**
 * A count mismatch's refusal of CLOSE while the warehouse holds goods that came back: closing would
 * keep them unpaid (domain/count-mismatch-refunds.ts). Only the validator's: no command changes.
 */
export const closeKeepingGoodsRefused = (inspected: readonly InspectedLine[], paysDamaged = false) => (r: AgentResolution): void => {
  const why = r.action === 'CLOSE' ? closeKeepsGoodsReason(inspected, paysDamaged) : undefined;
  if (why) throw invalidInput('action', why);
};

/** An inspection's returnShippingPaidMinor, when given, is a whole amount ≥ 0 (every inspection's validator checks it). */
export const returnShippingProblems = (r: { returnShippingPaidMinor?: number }): Array<{ field: string; reason: string }> => {
  const paid = r.returnShippingPaidMinor;
  return paid !== undefined && (!Number.isSafeInteger(paid) || paid < 0) ? [{ field: 'returnShippingPaidMinor', reason: 'returnShippingPaidMinor must be a whole number of minor units ≥ 0' }] : [];
};

/** The INSPECTED step's record of what the shop paid for the parcel, when the warehouse said (staff only: the customer view keeps goods and parcels). */
export const paidForReturn = (report: { returnShippingPaidMinor?: number }) => (report.returnShippingPaidMinor !== undefined ? { returnShippingPaidMinor: report.returnShippingPaidMinor } : {});
