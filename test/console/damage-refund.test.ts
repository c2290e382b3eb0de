/**
 * A refund for damaged goods the customer keeps, as the console checks it before sending: at most
 * what was paid for the damaged goods (the case's lines × unit price), as the workflow checks it
 * (workflows/transit-damage.ts). The console checked against the order's whole paid total: ¥300
 * for a damaged cup of ¥88 passed, and the workflow's English refusal showed with fen amounts and
 * its field name. Pure console module, imported directly; the form's words in case-actions.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { paidForLinesMinor, refundLimit, refusedLimit } from '../../console/src/lib/damage-refund.js';
import { consoleEn as en } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh as zh } from '../../console/src/lib/i18n/console-zh.js';

const ITEMS = [
  { sku: 'CUP-01', unitPriceMinor: 8_800 },
  { sku: 'POT-01', unitPriceMinor: 25_000 },
];

describe('the most a refund for damaged goods may be', () => {
  it('is what was paid for the damaged lines, not the order', () => {
    expect(paidForLinesMinor(ITEMS, [{ sku: 'CUP-01', quantity: 1 }])).toBe(8_800);
    expect(paidForLinesMinor(ITEMS, [{ sku: 'CUP-01', quantity: 2 }, { sku: 'POT-01', quantity: 1 }])).toBe(42_600);
    expect(refundLimit(35_900, paidForLinesMinor(ITEMS, [{ sku: 'CUP-01', quantity: 1 }]))).toEqual({ minor: 8_800, of: 'damaged' });
  });

  it('is the paid total when that is lower (a discounted order), or when the order’s items are not known', () => {
    expect(refundLimit(5_000, 8_800)).toEqual({ minor: 5_000, of: 'order' });
    expect(paidForLinesMinor(null, [{ sku: 'CUP-01', quantity: 1 }])).toBeNull();
    expect(refundLimit(35_900, null)).toEqual({ minor: 35_900, of: 'order' });
    expect(refundLimit(null, null)).toBeNull();
  });

  it('reads the workflow’s refusal (its words as transit-damage.ts writes them), so the form says it in its own', () => {
    expect(refusedLimit('proposedRefundMinor 30000 is more than the 8800 paid for the damaged goods')).toEqual({ minor: 8_800, of: 'damaged' });
    expect(refusedLimit('partialRefundMinor 40000 is more than the 35900 paid')).toEqual({ minor: 35_900, of: 'order' });
    expect(refusedLimit('must be a whole number of minor units ≥ 0')).toBeUndefined();
  });

  it('has words in both languages', () => {
    expect(en['form.atMostPaidDamaged']).toBe('At most {paid}, what was paid for the damaged goods.');
    expect(zh['form.atMostPaidDamaged']).toContain('{paid}');
  });
});
