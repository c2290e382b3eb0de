/**
 * What a person types, read as the API wants it: money in yuan/dollars → minor units, counts and
 * grams as whole numbers, lists one per line. Each reader answers `undefined` for "not a valid
 * value" so a form can name the field before anything is sent; an empty optional field is `null`.
 */

/** `12.5` → 1250 (minor units, 2 decimals); a negative amount or more than 2 decimals is invalid. */
export function readMoney(text: string): number | null | undefined {
  const s = text.trim().replace(/,/g, '');
  if (!s) return null;
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return undefined;
  const [whole, fraction = ''] = s.split('.');
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return Number.isSafeInteger(minor) ? minor : undefined;
}

/** A whole number ≥ `min` (and ≤ `max`); empty is null. */
export function readWhole(text: string | number | null | undefined, min = 0, max = 1_000_000): number | null | undefined {
  const s = String(text ?? '').trim();
  if (!s) return null;
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
}

/** One entry per non-empty line (URLs, serial numbers). */
export const readLines = (text: string): string[] =>
  text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean);

/** A `datetime-local` value (the reader's zone) as epoch milliseconds; empty is null. */
export function readLocalDateTime(text: string): number | null | undefined {
  if (!text.trim()) return null;
  const ms = new Date(text).getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/** Minor units back into the text a money field shows (`1250` → `12.50`). */
export const moneyText = (minor: number | null | undefined) => (minor === null || minor === undefined ? '' : (minor / 100).toFixed(2));

/** An absolute web address (the API checks the exact URI rules; this catches what is plainly not one). */
export function looksLikeUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}
