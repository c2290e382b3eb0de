/**
 * An arrival scan as the API takes it, and its answer in the reader's words.
 *
 * The scanner types one code into one field: the tracking number on the label or the return code
 * on the slip inside (the case id). The API takes either (`POST /v1/warehouse/arrivals` with
 * `trackingNumber` or `returnCode`); which one was scanned cannot be told from the code itself, so
 * the scan goes as the more likely one first (a return code when the task list has that case, else
 * a tracking number) and, when the API knows no parcel by it, as the other. The API's refusals
 * (404: no parcel by that code; 409 PARCEL_CONFLICT, WRONG_STATE: with the reason) are said in the
 * reader's language where the dictionary has words for them, the API's own reason otherwise. A
 * parcel its case does not take is not refused: it goes on the hold shelf (the answer's `held`).
 */
import { ApiProblem } from './api';
import type { ArrivalReply } from './api/types';
import { formatDateTime, label, t } from './i18n';

export type ArrivalScan = { trackingNumber?: string; returnCode?: string; scannedBy: string };

/**
 * What a scan's answer says, the clerk named the same way in every one ("scanned by …"): this scan's
 * (recorded, or put on the hold shelf) by the name sent as `scannedBy`, which the API's answer
 * calls `by` (`held.by`); an earlier scan of the same parcel by the clerk the answer names
 * (`alreadyArrived.by`, `held.by`), and when it was.
 */
export function arrivalSaid({ alreadyArrived: first, held }: Pick<ArrivalReply, 'alreadyArrived' | 'held'>, code: string, scannedBy: string): string {
  if (held) return held.again ? t('warehouse.heldAgain', { code, at: formatDateTime(held.at), by: held.by }) : t(held.reason === 'NOT_WAITING' ? 'warehouse.heldNotWaiting' : 'warehouse.heldNotAsked', { code, by: held.by || scannedBy });
  if (!first) return t('warehouse.scanned', { code, by: scannedBy });
  return first.by ? t('warehouse.alreadyScanned', { code, at: formatDateTime(first.at), by: first.by }) : t('warehouse.alreadyScannedAt', { code, at: formatDateTime(first.at) });
}

/** Whether a failed try says nothing of the parcel (unknown by this kind of code, or not a valid code of this kind): try the other kind. */
const tryOther = (err: unknown) => err instanceof ApiProblem && (err.code === 'NOT_FOUND' || (err.code === 'BAD_REQUEST' && !!err.about('body.trackingNumber')));

/**
 * Sends `code` as the API accepts it: `likelyReturnCode` first as a return code, else first as a
 * tracking number; the other way when the first is unknown. Returns the API's answer. Throws the answer that says most (a
 * conflict or a wrong state over "not found"), reworded by `scanProblem`.
 */
export async function sendScan<R>(send: (body: ArrivalScan) => Promise<R>, code: string, scannedBy: string, likelyReturnCode: boolean): Promise<R> {
  const asTracking: ArrivalScan = { trackingNumber: code, scannedBy };
  const asReturnCode: ArrivalScan = { returnCode: code, scannedBy };
  const [first, second] = likelyReturnCode ? [asReturnCode, asTracking] : [asTracking, asReturnCode];
  try {
    return await send(first);
  } catch (err) {
    if (!tryOther(err)) throw reworded(err, code);
    try {
      return await send(second);
    } catch (again) {
      // Unknown both ways: "not found" (not a tracking number's length rule the return code never had).
      throw reworded(tryOther(again) ? (err instanceof ApiProblem && err.code === 'NOT_FOUND' ? err : again) : again, code);
    }
  }
}

function reworded(err: unknown, code: string): unknown {
  if (!(err instanceof ApiProblem)) return err;
  const words = scanProblem(err, code);
  // A problem the form shows next to a field (the scanner's name too long) stays as it is.
  if (words === err.message && err.problems.some((p) => p.field === 'body.scannedBy')) return err;
  return new ApiProblem(err.status, err.code, words, [], words !== err.message);
}

/** The API's reasons for refusing an arrival scan (api/return-parcels.ts, api/commands.ts), each with what it names. */
const REASONS: Array<[RegExp, string]> = [
  [/^parcel (\S+) is not the return of case (\S+), whose return was sent as (\S+)/, 'scan.problem.notThisReturn'],
  [/^parcel (\S+) is the return of case (\S+), not of case (\S+)/, 'scan.problem.otherCasesParcel'],
  [/^parcel (\S+) is the return of (\d+) open cases \(([^)]*)\)/, 'scan.problem.severalCases'],
  [/^case (\S+) is of type ([A-Z_]+): POST \/v1\/warehouse\/arrivals does not apply to it/, 'scan.problem.takesNoParcel'],
  [/^case (\S+) takes no parcel back \(a re-shipment sends goods/, 'scan.problem.reshipmentTakesNoParcel'],
  [/^case (\S+) waits for its loan product, and its return code is also on the slip/, 'scan.problem.loanNeedsLabel'],
];

/** An arrival scan's refusal in the reader's words: the reason's own words where known, else the code's with the API's reason. */
export function scanProblem(err: ApiProblem, code: string): string {
  if (err.code === 'NOT_FOUND') return t('scan.problem.notFound', { code });
  for (const [pattern, key] of REASONS) {
    const m = pattern.exec(err.message);
    if (!m) continue;
    const [, a = '', b = '', c = ''] = m;
    return t(key, { a, b, c, type: key === 'scan.problem.takesNoParcel' ? label('type', b) : '' });
  }
  if (err.code === 'PARCEL_CONFLICT' || err.code === 'WRONG_STATE') return t(`scan.problem.${err.code}`, { reason: err.message });
  return err.message;
}
