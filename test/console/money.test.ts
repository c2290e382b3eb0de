/**
 * The console's money by the currency's own decimals, as the server stores it (domain/money.ts):
 * yen have none, yuan two, Kuwaiti dinars three. The console took every currency for two: a JPY
 * merchant's auto-approve limit of 5000 (¥5,000) read "JP¥50" and pre-filled "50.00", and an agent
 * typing 5000 yen sent 500000. Pure console modules, imported directly.
 */
import { describe, expect, it, vi } from 'vitest';
import { costOption, costSeries } from '../../console/src/lib/charts/costs.js';
import { moneyFault, moneyText, readMoney, readWhole } from '../../console/src/lib/form-values.js';
import { CURRENCY_EXPONENTS as CONSOLE_EXPONENTS, currencyDigits, exampleAmount, formatMinor, minorToDecimal } from '../../console/src/lib/money.js';
import { fromText, toText, tooManyDecimals } from '../../console/src/routes/admin/policy-fields.js';
import { CURRENCY_EXPONENTS, formatMoney as serverFormatMoney } from '../../domain/money.js';

// The language is Svelte state (a rune module): here a plain variable, so that i18n's formatting runs under vitest.
const lang = vi.hoisted(() => ({ current: 'en' as 'en' | 'zh-CN' }));
vi.mock('../../console/src/lib/i18n/lang.svelte.ts', () => ({ LANGS: ['zh-CN', 'en'], currentLang: () => lang.current, setLang: (l: 'en' | 'zh-CN') => (lang.current = l) }));
// Imported by a computed name: the root type check (node16 resolution) does not follow into i18n's extensionless imports.
const I18N = '../../console/src/lib/i18n/index.js';
const { formatMoney, moneyProblemText } = (await import(/* @vite-ignore */ I18N)) as {
  formatMoney: (minor: number | null | undefined, currency?: string) => string;
  moneyProblemText: (fault: 'decimals' | 'invalid' | undefined, currency: string) => string;
};

const LIMIT = 'rules.autoApproveReturnMaxAmountMinor';

describe("the console's money", () => {
  it("knows each currency's decimals as the server does", () => {
    expect(CONSOLE_EXPONENTS).toEqual(CURRENCY_EXPONENTS);
    expect([currencyDigits('JPY'), currencyDigits('KRW'), currencyDigits('CNY'), currencyDigits('USD'), currencyDigits('HKD'), currencyDigits('KWD'), currencyDigits('BHD')]).toEqual([0, 0, 2, 2, 2, 3, 3]);
    // A code the server does not list: Intl's digits.
    expect(currencyDigits('HUF')).toBe(new Intl.NumberFormat('en', { style: 'currency', currency: 'HUF' }).resolvedOptions().maximumFractionDigits);
  });

  it('reads a typed amount into minor units by the currency: JPY 0, CNY 2, KWD 3 decimals', () => {
    expect(readMoney('5000', 'JPY')).toBe(5000);
    expect(readMoney('1,200', 'KRW')).toBe(1200);
    expect(readMoney('5000', 'CNY')).toBe(500_000);
    expect(readMoney('12.5', 'CNY')).toBe(1250);
    expect(readMoney('0.05', 'CNY')).toBe(5);
    expect(readMoney('1.25', 'KWD')).toBe(1250);
    expect(readMoney('1.234', 'KWD')).toBe(1234);
    expect(readMoney('3', 'BHD')).toBe(3000);
    expect(readMoney('  ', 'JPY')).toBeNull();
    // Trailing zeros are no extra precision.
    expect(readMoney('5000.00', 'JPY')).toBe(5000);
  });

  it('refuses more decimals than the currency has, and says so', () => {
    expect(readMoney('12.5', 'JPY')).toBeUndefined();
    expect(moneyFault('12.5', 'JPY')).toBe('decimals');
    expect(readMoney('12.505', 'CNY')).toBeUndefined();
    expect(moneyFault('12.505', 'CNY')).toBe('decimals');
    expect(readMoney('1.2345', 'KWD')).toBeUndefined();
    expect(moneyFault('1.2345', 'KWD')).toBe('decimals');
    expect(moneyFault('-3', 'CNY')).toBe('invalid');
    expect(moneyFault('ten', 'JPY')).toBe('invalid');
    expect(moneyFault('12.50', 'CNY')).toBeUndefined();
    expect([exampleAmount('JPY'), exampleAmount('CNY'), exampleAmount('KWD')]).toEqual(['1250', '12.50', '12.500']);
  });

  it('shows minor units back in the currency\u2019s decimals, exactly', () => {
    expect(moneyText(5000, 'JPY')).toBe('5000');
    expect(moneyText(1250, 'CNY')).toBe('12.50');
    expect(moneyText(5, 'CNY')).toBe('0.05');
    expect(moneyText(1250, 'KWD')).toBe('1.250');
    expect(moneyText(null, 'JPY')).toBe('');
    expect(minorToDecimal(-5, 'CNY')).toBe('-0.05');
    expect(minorToDecimal(9_007_199_254_740_991, 'CNY')).toBe('90071992547409.91');
  });

  it('formats money as the server does for people: ¥5,000, not JP¥50', () => {
    expect(formatMinor(5000, 'JPY', 'en-GB')).toBe('JP¥5,000');
    expect(formatMinor(5000, 'JPY', 'en')).toBe(serverFormatMoney({ amountMinor: 5000, currency: 'JPY' }, 'en'));
    expect(formatMinor(3333, 'CNY', 'zh-CN')).toBe(serverFormatMoney({ amountMinor: 3333, currency: 'CNY' }, 'zh-CN'));
    expect(formatMinor(1250, 'CNY', 'en-GB')).toBe('CN¥12.50');
    expect(formatMinor(1250, 'KWD', 'en-GB')).toBe(new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'KWD', minimumFractionDigits: 3 }).format(1.25));
    expect(formatMinor(1250, 'KWD', 'en-GB')).toMatch(/1\.250$/);
    expect(formatMinor(1250, 'BHD', 'en')).toBe(serverFormatMoney({ amountMinor: 1250, currency: 'BHD' }, 'en'));
    // Compact (an axis): ¥12K for 12,000 yen, not ¥120.
    expect(formatMinor(12_000, 'JPY', 'en', { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 })).toBe('¥12K');
    expect(formatMinor(1_200_000, 'CNY', 'en', { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 })).toBe('CN¥12K');
  });

  it('formats money on every page of the console by the currency (i18n formatMoney): JP¥5,000, not JP¥50', () => {
    lang.current = 'en';
    expect(formatMoney(5000, 'JPY')).toBe('JP¥5,000');
    expect(formatMoney(1250, 'CNY')).toBe('CN¥12.50');
    expect(formatMoney(1250, 'KWD')).toMatch(/^KWD\s?1\.250$/);
    expect(formatMoney(null, 'JPY')).toBe('—');
    lang.current = 'zh-CN';
    expect(formatMoney(5000, 'JPY')).toBe(serverFormatMoney({ amountMinor: 5000, currency: 'JPY' }, 'zh-CN'));
    expect(formatMoney(3333, 'CNY')).toBe('¥33.33');
    lang.current = 'en';
  });

  it("says what is wrong with a typed amount in the currency's decimals", () => {
    lang.current = 'en';
    expect(moneyProblemText('decimals', 'JPY')).toBe('JPY has no decimals: a whole amount such as 1250.');
    expect(moneyProblemText('decimals', 'CNY')).toBe('CNY has at most 2 decimals: an amount such as 12.50.');
    expect(moneyProblemText('decimals', 'KWD')).toBe('KWD has at most 3 decimals: an amount such as 12.500.');
    expect(moneyProblemText('invalid', 'JPY')).toBe('A whole amount in JPY such as 1250: 0 or more, no decimals.');
    lang.current = 'zh-CN';
    expect(moneyProblemText('decimals', 'JPY')).toBe('JPY 没有小数，请输入整数金额，例如 1250。');
    lang.current = 'en';
  });

  it("pre-fills and reads a policy's money fields in the merchant's currency", () => {
    expect(toText(5000, LIMIT, 'JPY')).toBe('5000');
    expect(toText(5000, LIMIT, 'CNY')).toBe('50.00');
    expect(toText(5000, LIMIT, 'KWD')).toBe('5.000');
    expect(fromText('5000', 5000, LIMIT, 'JPY')).toBe(5000);
    expect(fromText('50', 5000, LIMIT, 'CNY')).toBe(5000);
    expect(fromText('5', 5000, LIMIT, 'KWD')).toBe(5000);
    expect(fromText('5.125', null, LIMIT, 'BHD')).toBe(5125);
    // More decimals than the currency has: refused by the form, never rounded.
    expect(tooManyDecimals('12.5', LIMIT, 'JPY')).toBe(true);
    expect(fromText('12.5', 5000, LIMIT, 'JPY')).toBe('12.5');
    expect(tooManyDecimals('12.5', LIMIT, 'CNY')).toBe(false);
    expect(tooManyDecimals('1.2345', LIMIT, 'KWD')).toBe(true);
    expect(tooManyDecimals('12.5', 'rules.noReasonReturnDays', 'JPY')).toBe(false);
  });

  it("the cost chart's axis steps by one unit of the currency", () => {
    const words = { title: 'C', net: 'Net', budget: 'Budget', period: (p: string) => p, money: String, axis: String };
    const month = { period: '2026-02', currency: 'CNY', refundsMinor: 0, replacementGoodsMinor: 0, logisticsMinor: 0, compensationMinor: 0, recoveredMinor: 0, netMinor: 0, budgetMinor: null, remainingMinor: null, overBudget: null };
    const axisOf = (currency: string) => (costOption({ ...costSeries([month as never]), currency }, words) as { yAxis: { minInterval: number } }).yAxis.minInterval;
    expect([axisOf('JPY'), axisOf('CNY'), axisOf('BHD')]).toEqual([1, 100, 1000]);
  });
});

describe('a currency inside a timeline entry', () => {
  it('shows as its code, not as a word made of it ("Jpy")', async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeValue } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeValue: (key: string, value: unknown, currency?: string) => string };
    expect(describeValue('currency', 'JPY')).toBe('JPY');
    expect(describeValue('currency', 'CNY', 'CNY')).toBe('CNY');
  });

  it("an agent wait's refunds read as each action in words with its money, not as raw numbers", async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeValue } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeValue: (key: string, value: unknown, currency?: string) => string };
    expect(describeValue('refunds', { REFUND_RECEIVED: 0, REFUND_REQUESTED: 25_000 }, 'CNY')).toBe(`Refund what came back: ${formatMoney(0, 'CNY')}, Refund what was asked: ${formatMoney(25_000, 'CNY')}`);
  });

  it('says who pays for a parcel sent back in words, not as its code', async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeValue, fieldName } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeValue: (key: string, value: unknown) => string; fieldName: (key: string) => string };
    expect([fieldName('postage'), describeValue('postage', 'SHOP'), describeValue('postage', 'CUSTOMER')]).toEqual(['Postage back', 'Shop pays (freight collect)', 'Customer pays']);
  });
});

describe('a stock change on a document line', () => {
  it('is signed: a reversal line of −1 puts one back (+1), an outbound takes one out (−1)', async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeLine } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeLine: (line: Record<string, unknown>) => string };
    expect(describeLine({ sku: 'VASE', quantity: -1, stockDelta: 1 })).toBe('VASE × -1 (Stock change: +1)');
    expect(describeLine({ sku: 'VASE', quantity: 1, stockDelta: -1 })).toBe('VASE × 1 (Stock change: -1)');
    expect(describeLine({ sku: 'VASE', quantity: 1, stockDelta: 0 })).toBe('VASE × 1 (Stock change: 0)');
  });

  it("a goods-back problem of the customer's damage names its count as the units damaged, not as all received", async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeLine } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeLine: (line: Record<string, unknown>) => string };
    expect(describeLine({ sku: 'TEE', expected: 2, received: 1, kind: 'DAMAGED_BY_CUSTOMER' })).toMatch(/^TEE \(Expected: 2, Damaged by the customer: 1, /);
    expect(describeLine({ sku: 'TEE', expected: 2, received: 1, kind: 'SHORT' })).toMatch(/^TEE \(Expected: 2, Received: 1, /);
  });

  it('a paid difference returned is named by what it is, not by its placeholder SKU', async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeLine } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeLine: (line: Record<string, unknown>, currency?: string) => string };
    const line = describeLine({ kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 2_000, amountMinor: 2_000 }, 'CNY');
    expect(line).toMatch(/^Paid difference returned × 1 \(/);
    expect(line).not.toContain('PRICE_DIFFERENCE');
  });
});

describe('a courier as the actor of a step', () => {
  it('is named as people know it (ZTO Express, 中通快递), not "Courier ZTO"; a carrier without a name by its code', async () => {
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { describeActor } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeActor: (actor: string) => string };
    expect(describeActor('courier:ZTO')).toBe('ZTO Express');
    expect(describeActor('courier:ACME')).toBe('Courier ACME');
    const { describeValue } = (await import(/* @vite-ignore */ DESCRIBE)) as { describeValue: (key: string, value: unknown) => string };
    lang.current = 'zh-CN';
    try {
      expect(describeActor('courier:ZTO')).toBe('中通快递');
      // A step's carrier field says it alike (it read 中通 beside 中通快递).
      expect([describeValue('carrier', 'ZTO'), describeValue('backupCarrier', 'SF')]).toEqual(['中通快递', '顺丰速运']);
    } finally {
      lang.current = 'en';
    }
  });
});

describe('whole numbers as typed', () => {
  it('takes full-width digits as a Chinese input method types them (a warehouse trial was refused ３０ g), and nothing else that is not a whole number', () => {
    expect(readWhole('３０')).toBe(30);
    expect(readWhole(' 1350 ')).toBe(1350);
    expect(readWhole('')).toBeNull();
    expect(readWhole('3.5')).toBeUndefined();
    expect(readWhole('-1')).toBeUndefined();
    expect(readWhole('三十')).toBeUndefined();
  });
});
