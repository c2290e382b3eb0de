/** Money crosses every adapter as integer minor units plus an ISO 4217 currency code: no floats. */
import { formatMoney as formatDomainMoney } from '../domain/money.js';
import { invalid } from './errors.js';

export type Locale = 'zh-CN' | 'en';

export interface Money {
  amountMinor: number;
  currency: string;
}

const CURRENCY = /^[A-Z]{3}$/;

/** Rejects what no provider should ever see: fractional, negative or zero amounts, unknown-looking currencies. */
export function assertMoney(provider: string, amountMinor: unknown, currency: unknown): void {
  if (typeof amountMinor !== 'number' || !Number.isSafeInteger(amountMinor) || amountMinor <= 0) {
    throw invalid(provider, `amountMinor must be a positive whole number of minor units, got ${String(amountMinor)}`);
  }
  if (typeof currency !== 'string' || !CURRENCY.test(currency)) throw invalid(provider, `currency must be an ISO 4217 code, got ${String(currency)}`);
}

/**
 * Intl formatters, made once per key: building one costs ICU 0.1–0.2 ms, more than formatting
 * with it, and every message of every case formats money and dates (adapters/templates.ts). The
 * keys are few (currencies × locales × zones); the cap only bounds what odd input could add.
 */
export function memoFormat<F>(cache: Map<string, F>, key: string, make: () => F): F {
  let f = cache.get(key);
  if (f === undefined) {
    f = make();
    if (cache.size >= 256) cache.clear();
    cache.set(key, f);
  }
  return f;
}

/**
 * `6666, 'CNY'` → `¥66.66` (zh-CN) / `CN¥66.66` (en): the domain's formatMoney, by its ISO 4217
 * exponents (the runtime's display digits say 0 for IDR and showed a 1,500.00 refund as 150,000).
 */
export const formatMoney = (amountMinor: number, currency: string, locale: Locale): string => formatDomainMoney({ amountMinor, currency }, locale);
