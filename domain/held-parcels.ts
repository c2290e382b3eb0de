/**
 * A returned parcel that reaches the warehouse while its case does not wait for it. Customers often
 * send the goods before the shop has agreed to take them back, and some send them after the case
 * stopped waiting (a rejected return; a return refunded as lost in transit; a case waiting out the
 * days before its revisit). The scan cannot go to the case — the case would count goods it has not
 * asked for, or nothing would read the scan at all — so the parcel goes on the hold shelf, recorded,
 * and the warehouse's list of held parcels says what each one waits for (docs/after-sales.md,
 * "Parcels that come too early or too late").
 */
import { normaliseTrackingNumber } from './tracking-number.js';
import { goodsAskedBack, STAGE_WAITS, waitsForArrival } from './waiting.js';

/** A case as the hold rules read it: its type, stage, status and (closed) why, from the read model. */
export interface CaseAtScan {
  type: string;
  stage: string;
  status: string;
  closeReason?: string | null;
}

/**
 * Closed with nothing given for the goods (refused, declined, withdrawn, never sent): the goods are
 * still the customer's, and go back to them.
 */
const GOODS_STAY_THE_CUSTOMERS = new Set(['REJECTED', 'DECLINED', 'WITHDRAWN', 'NOT_SHIPPED']);

/**
 * Whether the case takes a scan of its parcel now: it waits for a parcel to arrive, or it asked for
 * the goods and waits for the customer to say they sent them (a scan then counts as both).
 */
export const takesParcelNow = (c: CaseAtScan): boolean => waitsForArrival(c.stage) || STAGE_WAITS[c.stage]?.command === 'POST /v1/cases/{caseId}/return-shipment';

/**
 * The stages at which a parcel on the shelf is taken in without a clerk (api/held-parcel-intake.ts):
 * the case asked for its goods back and waits for them to be sent or to arrive, and the goods are
 * in the warehouse already. Not while an exchange waits for its loan product: the loan is told
 * apart from the return by its own label or the clerk's word, which a parcel on the shelf has neither of.
 */
export const SHELF_TAKEN_IN_AT: readonly string[] = Object.keys(STAGE_WAITS).filter(
  (stage) => stage !== 'AWAITING_SUBSTITUTE_RETURN' && takesParcelNow({ type: '', stage, status: '' }),
);

/** Said on a hold taken in by itself (its `endNote`): how the intake finds its own, and the warehouse's list where the goods are. */
export const TAKEN_IN_BY_ITSELF = 'taken in from the shelf when its case asked for the goods';

/**
 * Whether the shelf takes this held parcel in for its case by itself: its case is at one of
 * SHELF_TAKEN_IN_AT, and the parcel is the one the case waits for — held by its return code alone,
 * or under the number the customer reported, or the customer reported none. A parcel under another
 * number than the one reported may be another parcel: a clerk looks (the shelf lists it as SCAN_NOW).
 */
export function shelfTakesIn(c: { stage: string; returnTrackingNumber?: string | null }, held: { trackingNumber: string | null }): boolean {
  if (!SHELF_TAKEN_IN_AT.includes(c.stage)) return false;
  if (!held.trackingNumber || !c.returnTrackingNumber) return true;
  return normaliseTrackingNumber(held.trackingNumber) === normaliseTrackingNumber(c.returnTrackingNumber);
}

/**
 * Why an arrival scan of this case's parcel is held rather than given to the case: `NOT_ASKED_YET`
 * while the case still decides whether the goods come back; `NOT_WAITING` when it no longer waits
 * for them (ended, refunded them as lost, waiting for its revisit). Undefined: the scan goes to the
 * case. (A parcel the case took in already is answered before this, as a second scan.)
 */
export function holdReason(c: CaseAtScan): 'NOT_ASKED_YET' | 'NOT_WAITING' | undefined {
  if (takesParcelNow(c)) return undefined;
  const open = c.status !== 'RESOLVED' && c.status !== 'CLOSED';
  return open && !goodsAskedBack(c.type, c.stage) ? 'NOT_ASKED_YET' : 'NOT_WAITING';
}

/**
 * What a held parcel waits for now: `WAIT` while its case has yet to decide; `SCAN_NOW` once it
 * takes the parcel (the arrival scan takes it in); `SEND_BACK` when the case closed with nothing
 * given for the goods (they are the customer's); `ASK_AGENT` otherwise — the case went on without
 * them (refunded them as lost, replaced them, resolved), so whether the shop keeps them or sends
 * them back is an agent's call, never the shelf's.
 */
export type HeldParcelNext = 'WAIT' | 'SCAN_NOW' | 'SEND_BACK' | 'ASK_AGENT';

export function heldParcelNext(c: CaseAtScan): HeldParcelNext {
  const reason = holdReason(c);
  if (!reason) return 'SCAN_NOW';
  if (reason === 'NOT_ASKED_YET') return 'WAIT';
  return c.status === 'CLOSED' && GOODS_STAY_THE_CUSTOMERS.has(c.closeReason ?? '') ? 'SEND_BACK' : 'ASK_AGENT';
}

/** The order the warehouse works its hold shelf in: parcels to scan in first, then those to send back, those to ask about, those still waiting. */
export const HELD_PARCEL_ORDER: readonly HeldParcelNext[] = ['SCAN_NOW', 'SEND_BACK', 'ASK_AGENT', 'WAIT'];

/** How a held parcel left the shelf: its case took it in; it went back to the customer; the shop kept it (an agent's call, the goods refunded or replaced). */
export type HeldParcelOutcome = 'SCANNED_IN' | 'SENT_BACK' | 'KEPT';

/** Which ways off the shelf the warehouse may record for a parcel that waits for `next` (a scan-in is the arrival scan's). */
export function releasesAllowed(next: HeldParcelNext): ReadonlyArray<Exclude<HeldParcelOutcome, 'SCANNED_IN'>> {
  if (next === 'SEND_BACK') return ['SENT_BACK'];
  if (next === 'ASK_AGENT') return ['SENT_BACK', 'KEPT'];
  return [];
}

/**
 * What the customer is told when their parcel goes on the shelf: that it arrived, and what becomes
 * of it — kept until their request is decided (WAIT), sent back to them (SEND_BACK: the goods are
 * theirs), or looked into by customer service (ASK_AGENT). A customer who sent goods and heard
 * nothing would think them lost. Undefined when the case takes the parcel (no hold).
 */
export function heldParcelMessage(c: CaseAtScan & { id: string }): { template: string; params: Record<string, unknown> } | undefined {
  const next = heldParcelNext(c);
  if (next === 'WAIT') return { template: 'parcelHeldUntilDecided', params: {} };
  if (next === 'SEND_BACK') return { template: 'parcelHeldToSendBack', params: { caseId: c.id } };
  if (next === 'ASK_AGENT') return { template: 'parcelHeldForAgent', params: {} };
  return undefined;
}

/** What the customer is told when a held parcel went back to them: with the number it went under, when the warehouse gave it. */
export const heldParcelSentBackMessage = (sentBackAs: string | undefined): { template: string; params: Record<string, unknown> } =>
  sentBackAs ? { template: 'heldParcelSentBackAs', params: { trackingNumber: sentBackAs } } : { template: 'heldParcelSentBack', params: {} };
