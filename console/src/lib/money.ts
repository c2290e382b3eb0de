/**
 * Money between the server's minor units and what a person reads and types, by the currency's own
 * number of decimals: 5000 JPY is ¥5,000 (no decimals), 1250 CNY is 12.50, 1250 KWD is 1.250.
 * The exponents are the server's (domain/money.ts CURRENCY_EXPONENTS, ISO 4217 — kept equal by
 * test/console/money.test.ts); a currency the server does not list falls back to Intl's digits.
 * Amounts never pass through floating point: digits are moved across the decimal point as text.
 * Pure (no Svelte state), so that it can be tested directly.
 */

/** The server's table (domain/money.ts), copied: the console cannot import domain/. */
export const CURRENCY_EXPONENTS: Readonly<Record<string, number>> = {
  CNY: 2, HKD: 2, MOP: 2, TWD: 2, USD: 2, EUR: 2, GBP: 2, CHF: 2, SGD: 2, MYR: 2, THB: 2,
  AUD: 2, NZD: 2, CAD: 2, SEK: 2, NOK: 2, DKK: 2, PLN: 2, CZK: 2, RUB: 2, INR: 2, AED: 2,
  JPY: 0, KRW: 0, VND: 0, IDR: 2, CLP: 0, ISK: 0,
  BHD: 3, KWD: 3, JOD: 3, OMR: 3, TND: 3,
};

/** How many decimals `currency` has (its minor-unit exponent): JPY 0, CNY 2, KWD 3. */
export function currencyDigits(currency: string): number {
  const code = currency.toUpperCase();
  if (Object.prototype.hasOwnProperty.call(CURRENCY_EXPONENTS, code)) return CURRENCY_EXPONENTS[code]!;
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency: code }).resolvedOptions().maximumFractionDigits ?? 2;
  } catch {
    return 2; // not a currency code at all: cents, as most currencies
  }
}

/** One unit of the currency in minor units (CN¥1 = 100, ¥1 = 1, KWD 1 = 1000). */
export const minorPerUnit = (currency: string) => 10 ** currencyDigits(currency);

/** Minor units as an exact decimal string in the currency's decimals: 1250 CNY → '12.50', 5000 JPY → '5000', 1250 KWD → '1.250'. */
export function minorToDecimal(minor: number, currency: string): string {
  const digits = currencyDigits(currency);
  const text = String(Math.abs(Math.trunc(minor))).padStart(digits + 1, '0');
  const whole = text.slice(0, text.length - digits);
  const fraction = text.slice(text.length - digits);
  return (minor < 0 ? '-' : '') + whole + (digits ? `.${fraction}` : '');
}

export type DecimalReading = { minor: number } | { problem: 'empty' | 'invalid' | 'decimals' | 'tooLarge' };

/**
 * A typed amount of `currency` (`12.5`, `1,000`, `-3` with `negative`) in minor units; more
 * decimals than the currency has is refused (`decimals`), never rounded.
 */
export function decimalToMinor(text: string, currency: string, { negative = false } = {}): DecimalReading {
  const s = text.trim().replace(/,/g, '');
  if (!s) return { problem: 'empty' };
  const m = (negative ? /^(-?)(\d+)(?:\.(\d+))?$/ : /^()(\d+)(?:\.(\d+))?$/).exec(s);
  if (!m) return { problem: 'invalid' };
  const [, sign, whole, fraction = ''] = m;
  const digits = currencyDigits(currency);
  if (fraction.replace(/0+$/, '').length > digits) return { problem: 'decimals' };
  const all = (whole! + fraction.padEnd(digits, '0').slice(0, digits)).replace(/^0+(?=\d)/, '');
  const minor = Number(all);
  if (!Number.isSafeInteger(minor)) return { problem: 'tooLarge' };
  return { minor: sign === '-' && minor !== 0 ? -minor : minor };
}

/** An amount such as a person would type it for `currency`: '12.50', '1250' (JPY), '12.500' (KWD). */
export const exampleAmount = (currency: string) => minorToDecimal(1250 * 10 ** Math.max(0, currencyDigits(currency) - 2), currency);

/**
 * Minor units as money in `locale`, with the currency's own decimals (`options` override Intl's:
 * compact notation for an axis gives both fraction digits).
 */
export function formatMinor(minor: number, currency: string, locale: string, options: Intl.NumberFormatOptions = {}): string {
  const digits = currencyDigits(currency);
  const nf = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits, ...options });
  // A decimal string keeps every digit exact (Intl.NumberFormat v3); the ES2022 typings only know numbers.
  return (nf.format as unknown as (value: string) => string)(minorToDecimal(minor, currency));
}
