/**
 * Money as a whole number of minor units (分, cents; yen have none) with its ISO-4217 currency.
 * Amounts never pass through floating point: decimal strings are parsed digit by digit and
 * formatting hands `Intl` an exact decimal string. Pure (used inside workflows).
 */

export interface Money {
  /** Whole number of minor units, within ±Number.MAX_SAFE_INTEGER. */
  amountMinor: number;
  /** ISO-4217 code, upper case: 'CNY'. */
  currency: string;
}

/**
 * Minor-unit exponents (ISO 4217). Deliberately an explicit table rather than `Intl`'s digits:
 * CLDR display digits differ from ISO for a few currencies, and a refund must never be
 * off by a factor of 100 because of a runtime's data.
 */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  CNY: 2, HKD: 2, MOP: 2, TWD: 2, USD: 2, EUR: 2, GBP: 2, CHF: 2, SGD: 2, MYR: 2, THB: 2,
  AUD: 2, NZD: 2, CAD: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, RUB: 2, INR: 2, AED: 2,
  JPY: 0, KRW: 0, VND: 0, IDR: 2, CLP: 0, ISK: 0,
  BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3,
};

export class MoneyError extends Error {
  constructor(
    /** Stable code for callers that map errors (API 400s, ApplicationFailure types). */
    readonly code: 'UNKNOWN_CURRENCY' | 'CURRENCY_MISMATCH' | 'NOT_AN_AMOUNT' | 'TOO_MANY_DECIMALS' | 'OUT_OF_RANGE',
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function isKnownCurrency(code: string): boolean {
  return Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code);
}

export function currencyExponent(code: string): number {
  if (!isKnownCurrency(code)) throw new MoneyError('UNKNOWN_CURRENCY', `unknown currency ${JSON.stringify(code)}; known: ${Object.keys(CURRENCY_EXPONENTS).join(', ')}`);
  return CURRENCY_EXPONENTS[code]!;
}

/** Builds a Money, refusing fractions of a minor unit, unsafe integers and unknown currencies. */
export function money(amountMinor: number, currency: string): Money {
  currencyExponent(currency);
  if (!Number.isSafeInteger(amountMinor)) throw new MoneyError('OUT_OF_RANGE', `amount must be a whole number of minor units, got ${amountMinor}`);
  return { amountMinor: amountMinor === 0 ? 0 : amountMinor, currency }; // no -0 in stored data
}

export const zeroMoney = (currency: string): Money => money(0, currency);

function same(a: Money, b: Money, op: string): string {
  if (a.currency !== b.currency) throw new MoneyError('CURRENCY_MISMATCH', `cannot ${op} ${a.currency} and ${b.currency}`);
  return a.currency;
}

export function addMoney(a: Money, b: Money): Money {
  return money(a.amountMinor + b.amountMinor, same(a, b, 'add'));
}

export function subtractMoney(a: Money, b: Money): Money {
  return money(a.amountMinor - b.amountMinor, same(a, b, 'subtract'));
}

/** Price × quantity; quantities are whole numbers (units of goods), so the result is exact. */
export function multiplyMoney(a: Money, quantity: number): Money {
  if (!Number.isSafeInteger(quantity)) throw new MoneyError('NOT_AN_AMOUNT', `quantity must be a whole number, got ${quantity}`);
  return money(a.amountMinor * quantity, a.currency);
}

export function compareMoney(a: Money, b: Money): -1 | 0 | 1 {
  same(a, b, 'compare');
  return a.amountMinor < b.amountMinor ? -1 : a.amountMinor > b.amountMinor ? 1 : 0;
}

export function minMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) <= 0 ? a : b;
}

export function maxMoney(a: Money, b: Money): Money {
  return compareMoney(a, b) >= 0 ? a : b;
}

export function sumMoney(items: Money[], currency: string): Money {
  return items.reduce(addMoney, zeroMoney(currency));
}

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d+))?$/;

/**
 * Parses '33.33', '-5', '1200' (JPY) into minor units. Refuses rather than rounds: more decimals
 * than the currency has, exponents, thousands separators, empty strings and unsafe magnitudes
 * are errors — an amount typed by a person must mean exactly what it says.
 */
export function parseMoney(text: string, currency: string): Money {
  const exponent = currencyExponent(currency);
  const m = DECIMAL.exec(typeof text === 'string' ? text.trim() : '');
  if (!m) throw new MoneyError('NOT_AN_AMOUNT', `${JSON.stringify(text)} is not a decimal amount such as 33.33`);
  const [, sign, whole, fraction = ''] = m;
  if (fraction.replace(/0+$/, '').length > exponent) {
    throw new MoneyError('TOO_MANY_DECIMALS', `${currency} has ${exponent} decimal place(s); ${JSON.stringify(text)} has more`);
  }
  const digits = (whole + fraction.padEnd(exponent, '0').slice(0, exponent)).replace(/^0+(?=\d)/, '');
  const minor = BigInt(digits);
  if (minor > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyError('OUT_OF_RANGE', `${JSON.stringify(text)} is too large`);
  return money(sign === '-' ? -Number(minor) : Number(minor), currency);
}

/** The exact decimal string of an amount: 3333 CNY → '33.33', 1200 JPY → '1200', -5 CNY → '-0.05'. */
export function toDecimalString(m: Money): string {
  const exponent = currencyExponent(m.currency);
  const digits = String(Math.abs(m.amountMinor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return (m.amountMinor < 0 ? '-' : '') + whole + (exponent ? `.${fraction}` : '');
}

export type DisplayLocale = 'zh-CN' | 'en';
/** Who reads a text the platform writes: the merchant's staff (English, API names), or a customer in their locale. */
export type Reader = 'staff' | DisplayLocale;

/** The locale a case speaks to its customer, from the one it stored: English only when it says 'en'. */
export const displayLocaleOf = (stored: string | null | undefined): DisplayLocale => (stored === 'en' ? 'en' : 'zh-CN');

/** One formatter per locale and currency: making one costs ICU 0.1–0.2 ms, more than formatting with it, and every message formats money. */
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** For people: '¥33.33' (zh-CN), 'CN¥33.33' (en), '¥1,200' (JPY in zh-CN). Always the currency's full decimals. */
export function formatMoney(m: Money, locale: DisplayLocale): string {
  const key = `${locale} ${m.currency}`;
  let nf = moneyFormats.get(key);
  if (!nf) {
    const exponent = currencyExponent(m.currency);
    nf = new Intl.NumberFormat(locale, { style: 'currency', currency: m.currency, minimumFractionDigits: exponent, maximumFractionDigits: exponent });
    moneyFormats.set(key, nf); // the known currencies × two locales: bounded
  }
  // A decimal string keeps every digit exact (Intl.NumberFormat v3); the ES2022 typings only know numbers.
  return (nf.format as unknown as (value: string) => string)(toDecimalString(m));
}
