/**
 * Which case a returned parcel belongs to. The warehouse scans the tracking number on the parcel,
 * the return code on the slip inside (the case id), or both; the customer enters the tracking
 * number when sending. A scan given to the wrong case would leave the right one waiting until it
 * is chased as lost, so nothing here guesses: identifiers that contradict each other, a parcel
 * that is the return of several open cases, or a tracking number already entered for another
 * customer's case are refused with 409 PARCEL_CONFLICT, saying what to do instead. One customer
 * may send the goods of two cases in one parcel; the warehouse then scans it with each return code.
 */
import type { CaseSummary } from '../db/repositories.js';
import type { ApiDeps } from './context.js';
import { ApiError, notFound } from './errors.js';

const isOpen = (c: CaseSummary) => c.status !== 'RESOLVED' && c.status !== 'CLOSED';
const parcelConflict = (message: string) => new ApiError(409, 'PARCEL_CONFLICT', message);

/** The case an arrival scan is for (of `merchantId` when the scanner's key has one); 404 when none, 409 when the scan does not say which. */
export async function arrivingCase(deps: ApiDeps, scan: { trackingNumber?: string; returnCode?: string }, merchantId: string | undefined): Promise<CaseSummary> {
  const { trackingNumber, returnCode } = scan;
  if (returnCode) {
    const c = await deps.repos.caseById(returnCode);
    if (!c || (merchantId && c.merchantId !== merchantId)) throw notFound('return parcel');
    if (trackingNumber && c.returnTrackingNumber && c.returnTrackingNumber !== trackingNumber) {
      throw parcelConflict(`parcel ${trackingNumber} is not the return of case ${c.id}, whose return was sent as ${c.returnTrackingNumber}: check the slip and the label`);
    }
    if (trackingNumber && !c.returnTrackingNumber) {
      const other = (await deps.repos.casesByReturnTracking(trackingNumber, c.merchantId)).find((o) => o.id !== c.id && isOpen(o));
      if (other) throw parcelConflict(`parcel ${trackingNumber} is the return of case ${other.id}, not of case ${c.id}: check the slip and the label`);
    }
    return c;
  }
  const found = await deps.repos.casesByReturnTracking(trackingNumber!, merchantId);
  if (!found.length) throw notFound('return parcel');
  if (found.length > 1) {
    throw parcelConflict(`parcel ${trackingNumber} is the return of ${found.length} open cases (${found.map((c) => c.id).join(', ')}): scan it with the return code of each`);
  }
  return found[0]!;
}

/** A tracking number the customer enters must not be another customer's open return (a typo, or a claim on someone else's parcel). */
export async function requireOwnParcel(deps: ApiDeps, c: CaseSummary, trackingNumber: string): Promise<void> {
  const other = (await deps.repos.casesByReturnTracking(trackingNumber, c.merchantId)).find((o) => o.id !== c.id && isOpen(o) && o.customerId !== c.customerId);
  if (other) throw parcelConflict(`tracking number ${trackingNumber} is already the return parcel of another customer's case: check the number on the courier's receipt`);
}
