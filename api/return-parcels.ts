/**
 * Which case a returned parcel belongs to. The warehouse scans the tracking number on the parcel,
 * the return code on the slip inside (the case id), or both; the customer enters the tracking
 * number when sending. A scan given to the wrong case would leave the right one waiting until it
 * is chased as lost, so nothing here guesses: identifiers that contradict each other, or a parcel
 * that is the return of several open cases, are refused with 409 PARCEL_CONFLICT, saying what to
 * do instead. A tracking number is taken however many cases of the merchant it was entered for (one
 * customer may send the goods of two cases in one parcel; a typo must not lock out the parcel's real
 * owner): the warehouse then scans it with each return code, which the slip in the parcel carries.
 * Never one another merchant's open case follows (assertReturnParcel).
 */
import { carrierCodeOf } from '../domain/carriers.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { holdReason } from '../domain/held-parcels.js';
import { isLoanBackStage, waitsForArrival } from '../domain/waiting.js';
import { arrivalScanned, takesSignal } from '../workflows/contract.js';
import type { CaseSummary } from '../db/repositories.js';
import type { ApiDeps } from './context.js';
import { ApiError } from './errors.js';

const isOpen = (c: CaseSummary) => c.status !== 'RESOLVED' && c.status !== 'CLOSED';
const parcelConflict = (message: string) => new ApiError(409, 'PARCEL_CONFLICT', message);

/** The case an arrival scan is for (of `merchantId` when the scanner's key has one); 404 when none, 409 when the scan does not say which. */
export async function arrivingCase(deps: ApiDeps, scan: { trackingNumber?: string; returnCode?: string }, merchantId: string | undefined): Promise<CaseSummary> {
  const { trackingNumber, returnCode } = scan;
  if (returnCode) {
    // The code is the case id, lower-case hex; a clerk reading it off a slip the customer wrote by
    // hand may type it in capitals.
    const c = (await deps.repos.caseById(returnCode)) ?? (returnCode !== returnCode.toLowerCase() ? await deps.repos.caseById(returnCode.toLowerCase()) : undefined);
    if (!c || (merchantId && c.merchantId !== merchantId)) throw new ApiError(404, 'NOT_FOUND', `no case has the return code ${returnCode}: check the slip (the code is the case id), or scan the parcel's label by its trackingNumber`, 'body.returnCode');
    // (The scan's number is normalised at the API; the case's may be as a workflow took it before.)
    // A case waiting for its loan item has had its return already: the loan comes in a parcel of its
    // own, under the same code (the customer was told it), not under the return's label.
    const loanDue = isLoanBackStage(c.stage);
    // A parcel the shelf holds for this case under this label is its own (a clerk scanned it with the case's code before).
    const shelved = () => deps.repos.heldParcels.casesHolding(trackingNumber!, c.merchantId).then((ids) => ids.includes(c.id));
    if (trackingNumber && c.returnTrackingNumber && !loanDue && normaliseTrackingNumber(c.returnTrackingNumber) !== trackingNumber && !(await shelved())) {
      throw parcelConflict(`parcel ${trackingNumber} is not the return of case ${c.id}, whose return was sent as ${c.returnTrackingNumber}: check the slip and the label (a number the customer mistyped, they correct by sending the return shipment again)`);
    }
    if (trackingNumber && !c.returnTrackingNumber) {
      // Another customer's open return: this slip is in the wrong parcel, or the label is misread.
      // The same customer's: one parcel for several of their cases.
      const other = (await deps.repos.casesByReturnTracking(trackingNumber, c.merchantId)).find((o) => o.id !== c.id && isOpen(o) && o.customerId !== c.customerId);
      if (other) throw parcelConflict(`parcel ${trackingNumber} is the return of case ${other.id}, not of case ${c.id}: check the slip and the label`);
    }
    return c;
  }
  const found = await deps.repos.casesByReturnTracking(trackingNumber!, merchantId);
  if (!found.length) {
    // No case reported this number, but the shelf holds it for one (scanned with that case's code before it asked for the goods): that case's parcel.
    const holding = await deps.repos.heldParcels.casesHolding(trackingNumber!, merchantId);
    const c = holding.length === 1 ? await deps.repos.caseById(holding[0]!) : undefined;
    if (c) return c;
    if (holding.length > 1) throw parcelConflict(`parcel ${trackingNumber} is on the hold shelf for ${holding.length} cases (${holding.join(', ')}): scan it with the return code of the one it belongs to`);
    // No case knows this parcel yet: the clerk is told where to look, not only that nothing was found.
    throw new ApiError(404, 'NOT_FOUND', `no case has parcel ${trackingNumber} as its return: scan the return code on the slip inside (returnCode), or keep it aside until its customer reports it (POST /v1/cases/{caseId}/return-shipment)`, 'body.trackingNumber');
  }
  if (found.length > 1) {
    throw parcelConflict(`parcel ${trackingNumber} is the return of ${found.length} open cases (${found.map((c) => c.id).join(', ')}): scan it with the return code of each`);
  }
  return found[0]!;
}

type Parcel = { carrier: string; trackingNumber: string };

/** The cases following this parcel: its tracking number under its carrier (another carrier's number is another parcel). */
async function followersOf(deps: ApiDeps, parcel: Parcel) {
  const carrier = carrierCodeOf(parcel.carrier);
  return { carrier, followers: (await deps.repos.casesFollowing(parcel.trackingNumber)).filter((f) => f.carrier === carrier) };
}

/** Whether an open case of a merchant other than `merchantId` follows the parcel: its carrier's events would reach that case too. */
const followedByAnotherShop = (followers: Array<{ case: { merchantId: string; status: string } }>, merchantId: string) =>
  followers.some((f) => f.case.merchantId !== merchantId && f.case.status !== 'CLOSED');

/**
 * A parcel the warehouse sends again (a re-shipment, the goods of an exchange) leaves under a
 * tracking number of its own. Couriers' events reach every case that follows a number, so a number
 * already followed — the parcel being replaced, the case's return, another case's parcel of this
 * merchant — would hand that parcel's events to this case: the lost parcel's late DELIVERED would end
 * the wait for its replacement. Refused with 409 PARCEL_CONFLICT naming the parcel's case. Passes:
 * the same report sent again (this case's own outbound parcel) and one parcel sent for two cases of
 * the same order, and a parcel of a closed case (no event reaches it any more: a carrier may reuse
 * numbers). A parcel an open case of another merchant follows is refused too, without naming that
 * case (as openings and returns are): its carrier's DELIVERED would end this case's wait for goods
 * that never left, and its words (who signed, where) would reach this customer.
 */
export async function assertNewOutboundParcel(deps: ApiDeps, c: CaseSummary, parcel: Parcel): Promise<void> {
  const { carrier, followers } = await followersOf(deps, parcel);
  const clash = followers.find((f) => f.case.merchantId === c.merchantId && f.case.status !== 'CLOSED' && !(f.role === 'OUTBOUND' && (f.case.id === c.id || f.case.orderId === c.orderId)));
  if (clash) {
    const whose = clash.case.id !== c.id ? `a parcel of case ${clash.case.id}` : clash.role === 'RETURN' ? "this case's return parcel" : 'the parcel this case is about';
    throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is ${whose}: a parcel sent again needs a tracking number of its own`, 'body.trackingNumber');
  }
  // The same report sent again (this case follows the parcel already, as what it sent) is answered as taken, whoever followed the number since.
  const ownOutbound = followers.some((f) => f.case.id === c.id && f.role === 'OUTBOUND');
  if (!ownOutbound && followedByAnotherShop(followers, c.merchantId)) {
    throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is a parcel of another shop: check the tracking number on the label of the parcel sent`, 'body.trackingNumber');
  }
}

/**
 * The parcel a new case is about (lost, late, damaged, to be intercepted) is its customer's. One
 * parcel may carry several orders of one customer (orders shipped together), so its number on
 * another order of the same customer is taken; on another customer's open case of this merchant it
 * is a mistyped number, or someone else's parcel (a trial opened lost-parcel cases of two orders on
 * one number and both were refunded in full): 409 PARCEL_CONFLICT naming that case. A parcel an
 * open case of another merchant follows, in any role, is never this merchant's order: followed here
 * too, its carrier's events (who signed, where) would reach this customer, and a lost-parcel case
 * would claim on it from the carrier (an integrator's trial did both). Refused without naming that
 * case, as a return's parcel is (assertReturnParcel). `caseId`: the case being opened, which a
 * retried opening may have recorded already.
 */
export async function assertCustomersParcel(deps: ApiDeps, opening: { caseId: string; merchantId: string; customerId: string }, parcel: Parcel): Promise<void> {
  const { carrier, followers } = await followersOf(deps, parcel);
  const open = followers.filter((f) => f.case.id !== opening.caseId && f.case.status !== 'CLOSED');
  const clash = open.find((f) => f.role === 'ORIGINAL' && f.case.merchantId === opening.merchantId && f.case.customerId !== opening.customerId);
  if (clash) throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is the parcel of case ${clash.case.id}, another customer's order ${clash.case.orderId}: check the tracking number`, 'body.shipment.trackingNumber');
  if (followedByAnotherShop(open, opening.merchantId)) {
    throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is a parcel of another shop: check the tracking number on the order's shipment`, 'body.shipment.trackingNumber');
  }
}

/**
 * The return the customer sent is not the parcel that brought the order: entering the delivery's
 * number (a common slip) would have the case follow a parcel that never comes back. Nor is it a
 * parcel an open case of another merchant follows: a carrier's events reach every case following
 * the number, and their words (who signed, where) would reach this customer — a return goes to
 * this merchant's address, so it is never another merchant's parcel. Said without naming that case.
 * Other cases of this merchant are not looked at (see the top of this file).
 */
export async function assertReturnParcel(deps: ApiDeps, c: CaseSummary, parcel: Parcel): Promise<void> {
  const { carrier, followers } = await followersOf(deps, parcel);
  const own = followers.find((f) => f.case.id === c.id && f.role !== 'RETURN');
  if (own) throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is the parcel that brought the order: enter the tracking number of the parcel sent back`, 'body.trackingNumber');
  if (followedByAnotherShop(followers, c.merchantId)) {
    throw new ApiError(409, 'PARCEL_CONFLICT', `${carrier} ${parcel.trackingNumber} is a parcel of another shop: enter the tracking number on the label of the parcel sent back to this shop`, 'body.trackingNumber');
  }
}

/**
 * A parcel for a re-shipment that lent no loan product: the case type takes parcels (an exchange
 * does; SIGNAL_TAKERS refuses the types that never do, recording the refusal), but this case takes
 * none back. Refused (409 WRONG_STATE): the scan would be accepted and change nothing while the
 * clerk believed it booked in.
 */
export async function assertReturnExpected(deps: ApiDeps, c: CaseSummary): Promise<void> {
  if (c.type === 'EXCHANGE_RESHIPMENT') {
    const [opened, lent] = await Promise.all([deps.repos.latestStepData(c.id, ['OPENED']), deps.repos.latestStepData(c.id, ['SUBSTITUTE_LENT'])]);
    if (opened?.kind === 'RESHIPMENT' && !lent) throw new ApiError(409, 'WRONG_STATE', `case ${c.id} takes no parcel back (a re-shipment sends goods, nothing comes back): check the return code or tracking number on the parcel`);
  }
}

/**
 * A case waiting for its loan product back (AWAITING_SUBSTITUTE_RETURN) after its return parcel was
 * scanned in: the slip in that parcel carries the return code the loan's parcel comes under, so a
 * scan by the code alone cannot tell the loan's parcel from the return scanned again (an
 * integrator's trial booked the loan in so, and its customer was told it had arrived). The loan's
 * parcel is scanned with its own label's number, or marked as the loan (`loanProduct`): 409
 * PARCEL_CONFLICT naming trackingNumber otherwise (the scan does not say which parcel, as a label
 * several cases share). A case that took no return (a re-shipment that lent a loan) has nothing to
 * mistake it for.
 */
export async function assertLoanParcelNamed(deps: ApiDeps, c: CaseSummary, trackingNumber: string | undefined): Promise<void> {
  if (c.stage !== 'AWAITING_SUBSTITUTE_RETURN' || trackingNumber) return;
  const back = (await deps.repos.stepsOf(c.id, ['ARRIVED', 'PARCEL_BACK'])).at(-1);
  if (!back) return;
  const clerk = /^warehouse:(.+)$/.exec(back.actor)?.[1];
  throw new ApiError(
    409,
    'PARCEL_CONFLICT',
    `case ${c.id} waits for its loan product, and its return code is also on the slip of the return parcel scanned in at ${back.at.toISOString()}${clerk ? ` by ${clerk}` : ''}: the code alone could be that parcel again. Scan the loan parcel's label with the code, or, for a loan item without a label of its own (handed in, or packed inside the return parcel), send loanProduct: true`,
    'body.trackingNumber',
  );
}

/**
 * A scan the clerk marks as the loan product (`loanProduct: true`): taken while the case waits for
 * its loan back; once the loan was scanned in, answered as a second scan; otherwise a 409 saying
 * why — the case lent none, or does not ask for it back yet (its return is inspected first).
 */
export async function assertLoanScan(deps: ApiDeps, c: CaseSummary): Promise<void> {
  if (c.stage === 'AWAITING_SUBSTITUTE_RETURN') return;
  const steps = await deps.repos.stepsOf(c.id, ['SUBSTITUTE_LENT', 'SUBSTITUTE_ARRIVED']);
  if (steps.some((s) => s.kind === 'SUBSTITUTE_ARRIVED')) return;
  if (!steps.some((s) => s.kind === 'SUBSTITUTE_LENT')) throw new ApiError(409, 'WRONG_STATE', `case ${c.id} lent no loan product: scan the parcel without loanProduct`, 'body.loanProduct');
  throw new ApiError(409, 'WRONG_STATE', `case ${c.id} does not ask for its loan product back yet (stage ${c.stage}): keep it with the case's goods and scan it in once the case asks for it (the warehouse's task RECEIVE_SUBSTITUTE)`, 'body.loanProduct');
}

/**
 * Why a parcel of a case that takes parcels goes on the hold shelf instead of to the case
 * (domain/held-parcels.ts); undefined for a case of a type that never takes one, whose scan the
 * signal's own check refuses (and records as refused).
 */
export const parcelHoldReason = (c: CaseSummary) => (takesSignal(arrivalScanned.name, c) ? holdReason(c) : undefined);

/**
 * When and by whom the case's return parcel was scanned in, if a scan now would be a second one: the
 * case has an ARRIVED step (an intercepted parcel's: PARCEL_BACK, which only a scan brings) and waits
 * for no parcel. Where a loan product was lent, its parcel is another one: a scan by the return's own
 * tracking number is a second scan of the return (also while the case waits for the loan), any other
 * a second one only after the loan's own scan-in (SUBSTITUTE_ARRIVED).
 */
export async function alreadyArrived(deps: ApiDeps, c: CaseSummary, trackingNumber?: string): Promise<{ at: string; by?: string } | undefined> {
  const ownReturn = !!trackingNumber && !!c.returnTrackingNumber && normaliseTrackingNumber(c.returnTrackingNumber) === normaliseTrackingNumber(trackingNumber);
  if (waitsForArrival(c.stage) && !(ownReturn && c.stage === 'AWAITING_SUBSTITUTE_RETURN')) return undefined;
  const steps = await deps.repos.stepsOf(c.id, ['ARRIVED', 'PARCEL_BACK', 'SUBSTITUTE_LENT', 'SUBSTITUTE_ARRIVED']);
  const lent = steps.some((s) => s.kind === 'SUBSTITUTE_LENT');
  const arrived = steps.filter((s) => (lent && !ownReturn ? s.kind === 'SUBSTITUTE_ARRIVED' : s.kind === 'ARRIVED' || s.kind === 'PARCEL_BACK')).at(-1);
  if (!arrived) return undefined;
  const clerk = /^warehouse:(.+)$/.exec(arrived.actor)?.[1];
  // When the parcel was scanned, where the step says (a parcel taken in from the hold shelf came in before its step).
  const scannedAt = (arrived.data as { scannedAt?: unknown } | null)?.scannedAt;
  const at = typeof scannedAt === 'number' && Number.isFinite(scannedAt) ? new Date(scannedAt) : arrived.at;
  return { at: at.toISOString(), ...(clerk ? { by: clerk } : {}) };
}
