/**
 * What a person types, read as the API wants it: money in yuan/dollars/yen → minor units (by the
 * currency's own decimals, lib/money.ts), counts and grams as whole numbers, lists one per line.
 * Each reader answers `undefined` for "not a valid value" so a form can name the field before
 * anything is sent; an empty optional field is `null`.
 */
import { decimalToMinor, minorToDecimal } from './money.js';

/**
 * A typed amount of `currency` in its minor units, by the currency's own decimals: `12.5` CNY →
 * 1250, `5000` JPY → 5000, `1.25` KWD → 1250. A negative amount or more decimals than the
 * currency has (`12.5` JPY) is invalid; `moneyFault` says which.
 */
export function readMoney(text: string, currency: string): number | null | undefined {
  const read = decimalToMinor(text, currency);
  if ('minor' in read) return read.minor;
  return read.problem === 'empty' ? null : undefined;
}

/** Why `text` is not an amount of `currency` (`decimals`: more than the currency has), or undefined when it is one or empty. */
export function moneyFault(text: string, currency: string): 'decimals' | 'invalid' | undefined {
  const read = decimalToMinor(text, currency);
  if ('minor' in read || read.problem === 'empty') return undefined;
  return read.problem === 'decimals' ? 'decimals' : 'invalid';
}

/** Full-width digits (a Chinese input method's ３０) as ASCII digits: the scan box takes them, so do the number fields. */
const asciiDigits = (text: string) => text.replace(/[\uFF10-\uFF19]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0));

/** A whole number ≥ `min` (and ≤ `max`), in ASCII or full-width digits; empty is null. */
export function readWhole(text: string | number | null | undefined, min = 0, max = 1_000_000): number | null | undefined {
  const s = asciiDigits(String(text ?? '')).trim();
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

/** Minor units back into the text a money field shows, in the currency's decimals (`1250` CNY → `12.50`, `5000` JPY → `5000`). */
export const moneyText = (minor: number | null | undefined, currency: string) => (minor === null || minor === undefined ? '' : minorToDecimal(minor, currency));

/** An absolute web address (the API checks the exact URI rules; this catches what is plainly not one). */
export function looksLikeUrl(text: string): boolean {
  try {
    return /^https?:$/.test(new URL(text).protocol);
  } catch {
    return false;
  }
}
