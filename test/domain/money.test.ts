import { describe, expect, it } from 'vitest';
import {
  addMoney,
  compareMoney,
  currencyExponent,
  formatMoney,
  maxMoney,
  minMoney,
  money,
  MoneyError,
  multiplyMoney,
  parseMoney,
  subtractMoney,
  sumMoney,
  toDecimalString,
} from '../../domain/index.js';

const cny = (minor: number) => money(minor, 'CNY');
const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (e) {
    return e instanceof MoneyError ? e.code : `not a MoneyError: ${String(e)}`;
  }
  return 'no error';
};

describe('money: integer minor units with a currency', () => {
  it('knows the exponents of ISO 4217', () => {
    expect(['CNY', 'USD', 'EUR', 'JPY', 'KRW', 'KWD'].map(currencyExponent)).toEqual([2, 2, 2, 0, 0, 3]);
    expect(code(() => currencyExponent('RMB'))).toBe('UNKNOWN_CURRENCY');
    expect(code(() => currencyExponent('cny'))).toBe('UNKNOWN_CURRENCY');
  });
  it('refuses fractions of a minor unit and unsafe integers', () => {
    expect(code(() => money(33.33, 'CNY'))).toBe('OUT_OF_RANGE');
    expect(code(() => money(Number.MAX_SAFE_INTEGER + 1, 'CNY'))).toBe('OUT_OF_RANGE');
    expect(code(() => money(Number.NaN, 'CNY'))).toBe('OUT_OF_RANGE');
    expect(Object.is(money(-0, 'CNY').amountMinor, 0)).toBe(true);
  });
  it('adds, subtracts, multiplies exactly — 0.1 + 0.2 is 0.30', () => {
    expect(addMoney(cny(10), cny(20))).toEqual(cny(30));
    expect(subtractMoney(cny(1000), cny(3333))).toEqual(cny(-2333));
    expect(multiplyMoney(cny(3333), 3)).toEqual(cny(9999));
    expect(sumMoney([cny(3333), cny(3333), cny(1000)], 'CNY')).toEqual(cny(7666));
    expect(sumMoney([], 'JPY')).toEqual(money(0, 'JPY'));
    expect(code(() => multiplyMoney(cny(100), 1.5))).toBe('NOT_AN_AMOUNT');
  });
  it('compares, min and max', () => {
    expect([compareMoney(cny(1), cny(2)), compareMoney(cny(2), cny(2)), compareMoney(cny(3), cny(2))]).toEqual([-1, 0, 1]);
    expect(minMoney(cny(5), cny(3))).toEqual(cny(3));
    expect(maxMoney(cny(5), cny(3))).toEqual(cny(5));
  });
  it('refuses to mix currencies in every operation', () => {
    const usd = money(100, 'USD');
    for (const op of [addMoney, subtractMoney, compareMoney, minMoney, maxMoney]) expect(code(() => op(cny(100), usd))).toBe('CURRENCY_MISMATCH');
    expect(code(() => sumMoney([cny(1), usd], 'CNY'))).toBe('CURRENCY_MISMATCH');
  });
});

describe('parseMoney: decimal strings, no rounding, no floats', () => {
  it('parses what people type', () => {
    expect(parseMoney('33.33', 'CNY')).toEqual(cny(3333));
    expect(parseMoney('33.3', 'CNY')).toEqual(cny(3330));
    expect(parseMoney('33', 'CNY')).toEqual(cny(3300));
    expect(parseMoney(' 0.07 ', 'CNY')).toEqual(cny(7));
    expect(parseMoney('-5.00', 'CNY')).toEqual(cny(-500));
    expect(parseMoney('1200', 'JPY')).toEqual(money(1200, 'JPY'));
    expect(parseMoney('1.234', 'KWD')).toEqual(money(1234, 'KWD'));
    expect(parseMoney('10.50', 'CNY')).toEqual(cny(1050));
    expect(parseMoney('10.500', 'CNY')).toEqual(cny(1050)); // trailing zeros say nothing more
    // 1.1 * 100 is 110.00000000000001 in floating point; digit-wise parsing is exact.
    expect(parseMoney('1.1', 'CNY')).toEqual(cny(110));
    expect(parseMoney('90071992547409.91', 'CNY')).toEqual(cny(9007199254740991));
  });
  it('refuses rather than rounds or guesses', () => {
    expect(code(() => parseMoney('33.333', 'CNY'))).toBe('TOO_MANY_DECIMALS');
    expect(code(() => parseMoney('1.5', 'JPY'))).toBe('TOO_MANY_DECIMALS');
    for (const bad of ['', ' ', '1e3', '1,000.00', '¥10', '.5', '5.', '--1', '0x10', 'NaN', 'Infinity']) {
      expect(code(() => parseMoney(bad, 'CNY')), bad).toBe('NOT_AN_AMOUNT');
    }
    expect(code(() => parseMoney(12 as unknown as string, 'CNY'))).toBe('NOT_AN_AMOUNT');
    expect(code(() => parseMoney('90071992547409.92', 'CNY'))).toBe('OUT_OF_RANGE');
    expect(code(() => parseMoney('1', 'XYZ'))).toBe('UNKNOWN_CURRENCY');
  });
});

describe('display', () => {
  it('exact decimal strings', () => {
    expect(toDecimalString(cny(7666))).toBe('76.66');
    expect(toDecimalString(cny(5))).toBe('0.05');
    expect(toDecimalString(cny(-5))).toBe('-0.05');
    expect(toDecimalString(money(1200, 'JPY'))).toBe('1200');
    expect(toDecimalString(money(1, 'KWD'))).toBe('0.001');
  });
  it('zh-CN and en', () => {
    expect(formatMoney(cny(7666), 'zh-CN')).toBe('¥76.66');
    expect(formatMoney(cny(7666), 'en')).toBe('CN¥76.66');
    expect(formatMoney(cny(-3333), 'zh-CN')).toBe('-¥33.33');
    expect(formatMoney(cny(123456789), 'zh-CN')).toBe('¥1,234,567.89');
    expect(formatMoney(money(100050, 'USD'), 'en')).toBe('$1,000.50');
    expect(formatMoney(money(1200, 'JPY'), 'en')).toBe('¥1,200');
    expect(formatMoney(cny(0), 'en')).toBe('CN¥0.00');
  });
  it('keeps every digit of amounts beyond double precision of decimals', () => {
    // 9007199254740991 / 100 is not representable as a double; the string path keeps the cents.
    expect(formatMoney(cny(9007199254740991), 'zh-CN')).toBe('¥90,071,992,547,409.91');
  });
});
