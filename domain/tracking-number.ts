/**
 * A parcel's tracking number in the one spelling it is stored and matched in. Customers paste it
 * from an SMS or a courier's app, where it comes grouped ("SF 1400 0000 0009"), wrapped in invisible
 * marks a phone adds around numbers, typed in lower case, or in a Chinese IME's full-width mode
 * ("ＳＦ１４００…"); the warehouse's scanner and the couriers' callbacks read the label's
 * "SF1400000000009". Every spelling of the same label must be the same number, or the scan finds no
 * case and the return is chased as lost.
 *
 * - Removed: white space of every kind and the invisible marks copy-paste carries; folded: the
 *   full-width forms of ASCII ("ＳＦ１４００" is "SF1400"); both as all typed text is compared
 *   (domain/typed-text.ts). Other look-alikes ("①", "™") stay as typed, and so fail to match rather
 *   than match the wrong parcel.
 * - Upper-cased: ASCII letters only (a courier's letters are ASCII; other scripts stay as typed).
 * - Kept as is: everything else — digits, letters, hyphens.
 *
 * db/ holds the same rules in SQL for the numbers stored before them
 * (prisma/migrations/20261204090000_normalise_parcel_numbers); test/db holds the two together.
 */
import { compact, SPACE_AND_INVISIBLE_MARKS } from './typed-text.js';

/** The characters a tracking number loses: white space and the invisible marks copy-paste carries. */
export const TRACKING_NUMBER_REMOVED = SPACE_AND_INVISIBLE_MARKS;

const LOWER_ASCII = /[a-z]/g;

/** `raw` as stored and matched: without white space or invisible marks, full-width ASCII folded, ASCII letters upper-cased. */
export function normaliseTrackingNumber(raw: string): string {
  return compact(raw).replace(LOWER_ASCII, (c) => c.toUpperCase());
}

/**
 * Whether a search box's text could be a tracking number once normalised: ASCII letters, digits and
 * hyphens only, with a digit among them, 4 to 64 of them (the lengths the API takes).
 */
export function looksLikeTrackingNumber(text: string): boolean {
  return /^(?=[A-Z-]*[0-9])[A-Z0-9-]{4,64}$/.test(normaliseTrackingNumber(text));
}
