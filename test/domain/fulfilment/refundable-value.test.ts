import { describe, expect, it } from 'vitest';
import { refundableValueMinor } from '../../../domain/fulfilment/index.js';
import { order } from './fixtures.js';

// The order was paid 1,620.00: 3 mugs at 33.33, a lamp at 1,500.00, 2 stickers at 5.00, 10.00 shipping.
const twoMugs = [{ sku: 'MUG', quantity: 2 }];

describe("what refunding lines would pay: their value, as far as the order has money left", () => {
  it('their paid value while the order has that much left', () => {
    expect(refundableValueMinor(order, twoMugs, 0)).toBe(6666);
    expect(refundableValueMinor(order, [...twoMugs, { sku: 'LAMP', quantity: 1 }], 1000)).toBe(156_666);
  });
  it('what the order has left once earlier refunds took the rest', () => {
    expect(refundableValueMinor(order, twoMugs, order.paidTotalMinor - 1000)).toBe(1000);
    expect(refundableValueMinor(order, twoMugs, order.paidTotalMinor)).toBe(0);
    expect(refundableValueMinor(order, twoMugs, order.paidTotalMinor + 500)).toBe(0);
  });
  it('no lines, or lines the order does not have, are worth nothing', () => {
    expect(refundableValueMinor(order, [], 0)).toBe(0);
    expect(refundableValueMinor(order, [{ sku: 'NOT-IN-ORDER', quantity: 3 }], 0)).toBe(0);
  });
});
