/**
 * Which case a returned parcel belongs to. The warehouse scans the tracking number on the parcel,
 * the return code on the slip inside (the case id), or both; the customer enters the tracking
 * number when sending. A scan given to the wrong case would leave the right one waiting until it
 * is chased as lost, so nothing here guesses: identifiers that contradict each other, or a parcel
 * that is the return of several open cases, are refused with 409 PARCEL_CONFLICT, saying what to
 * do instead. A tracking number is taken however many cases it was entered for (one customer may
 * send the goods of two cases in one parcel; a typo must not lock out the parcel's real owner): the
 * warehouse then scans it with each return code, which the slip in the parcel carries.
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
      // Another customer's open return: this slip is in the wrong parcel, or the label is misread.
      // The same customer's: one parcel for several of their cases.
      const other = (await deps.repos.casesByReturnTracking(trackingNumber, c.merchantId)).find((o) => o.id !== c.id && isOpen(o) && o.customerId !== c.customerId);
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
