/**
 * A parcel's tracking number in the one spelling it is stored and matched in. Customers paste it
 * from an SMS or a courier's app, where it comes grouped ("SF 1400 0000 0009"), wrapped in invisible
 * marks a phone adds around numbers, typed in lower case, or in a Chinese IME's full-width mode
 * ("ＳＦ１４００…"); the warehouse's scanner and the couriers' callbacks read the label's
 * "SF1400000000009". Every spelling of the same label must be the same number, or the scan finds no
 * case and the return is chased as lost.
 *
 * - Removed: white space of every kind (ASCII, no-break, the ideographic space U+3000, thin and
 *   narrow spaces …) and the invisible marks that copy-paste carries (zero-width spaces and joiners,
 *   the word joiner, the byte-order mark, the direction marks and isolates phones wrap numbers in).
 * - Folded: the full-width forms of ASCII (U+FF01–U+FF5E, what NFKC makes of them) to ASCII, so
 *   "ＳＦ１４００" is "SF1400". Only that block: full NFKC would also turn "①" into "1" or "™" into
 *   "TM", inventing a number out of characters no label carries; those stay as typed, and so fail
 *   to match rather than match the wrong parcel.
 * - Upper-cased: ASCII letters only (a courier's letters are ASCII; other scripts stay as typed).
 * - Kept as is: everything else — digits, letters, hyphens.
 *
 * db/ holds the same rules in SQL for the numbers stored before them
 * (prisma/migrations/20261204090000_normalise_parcel_numbers); test/db holds the two together.
 */

/** The characters a tracking number loses: white space and the invisible marks copy-paste carries. */
export const TRACKING_NUMBER_REMOVED = '\\u0009-\\u000d\\u0020\\u0085\\u00a0\\u1680\\u180e\\u2000-\\u200f\\u2028-\\u202f\\u205f\\u2060\\u2066-\\u2069\\u3000\\ufeff';

const REMOVED = new RegExp(`[${TRACKING_NUMBER_REMOVED}]`, 'g');
const FULL_WIDTH = /[\uff01-\uff5e]/g;
const LOWER_ASCII = /[a-z]/g;

/** `raw` as stored and matched: without white space or invisible marks, full-width ASCII folded, ASCII letters upper-cased. */
export function normaliseTrackingNumber(raw: string): string {
  return raw
    .replace(REMOVED, '')
    .replace(FULL_WIDTH, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(LOWER_ASCII, (c) => c.toUpperCase());
}

/**
 * Whether a search box's text could be a tracking number once normalised: ASCII letters, digits and
 * hyphens only, with a digit among them, 4 to 64 of them (the lengths the API takes).
 */
export function looksLikeTrackingNumber(text: string): boolean {
  return /^(?=[A-Z-]*[0-9])[A-Z0-9-]{4,64}$/.test(normaliseTrackingNumber(text));
}
