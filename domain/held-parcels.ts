/**
 * A returned parcel that reaches the warehouse while its case does not take it. Customers often
 * send the goods before the shop has agreed to take them back, and some send them after the case
 * ended without them (a rejected return, a damage refunded without the goods). The scan cannot be
 * recorded as the case's arrival: the case would count goods it has not asked for, or nothing
 * would read the scan at all. So the parcel goes on the hold shelf and is recorded as held, and the
 * warehouse's list of held parcels says what each one waits for (docs/after-sales.md, "Parcels
 * that come too early or too late").
 */
import { goodsAskedBack, waitsForArrival } from './waiting.js';

/** A case as the hold rules read it: its type, stage and status from the read model. */
export interface CaseAtScan {
  type: string;
  stage: string;
  status: string;
}

/**
 * Why an arrival scan of this case's parcel is held rather than recorded: `NOT_ASKED_YET` while the
 * case is still deciding whether the goods come back; `CASE_ENDED` when the case is resolved or
 * closed without waiting for a parcel. Undefined: the scan goes to the case. (A parcel the case took
 * in already is answered before this, as a second scan.)
 */
export function holdReason(c: CaseAtScan): 'NOT_ASKED_YET' | 'CASE_ENDED' | undefined {
  if (waitsForArrival(c.stage)) return undefined;
  if (c.status === 'RESOLVED' || c.status === 'CLOSED') return 'CASE_ENDED';
  return goodsAskedBack(c.type, c.stage) ? undefined : 'NOT_ASKED_YET';
}

/**
 * What a held parcel waits for now: `WAIT` while its case has yet to ask for the goods back;
 * `SCAN_NOW` once it has (the arrival scan takes the parcel in); `CASE_ENDED` when the case ended
 * without it (the warehouse sends it back to the customer, unless an agent reopens the case first).
 */
export type HeldParcelNext = 'WAIT' | 'SCAN_NOW' | 'CASE_ENDED';

export function heldParcelNext(c: CaseAtScan): HeldParcelNext {
  const reason = holdReason(c);
  return reason === 'NOT_ASKED_YET' ? 'WAIT' : reason === 'CASE_ENDED' ? 'CASE_ENDED' : 'SCAN_NOW';
}

/** The order the warehouse works its hold shelf in: parcels to scan in first, then those to send back, then those still waiting. */
export const HELD_PARCEL_ORDER: readonly HeldParcelNext[] = ['SCAN_NOW', 'CASE_ENDED', 'WAIT'];
