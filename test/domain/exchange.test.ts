import { describe, expect, it } from 'vitest';
import { exchangeDifferenceMinor, loanInspectionProblems, noStockRefund, noStockRefundPaid, outgoingLines, reshipmentProblems, returnedNotAsAsked, sameGoodsPriceProblems, validateExchange, type OrderSnapshot } from '../../domain/index.js';

const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [
    { sku: 'SHOE-40', name: 'Shoe 40', quantity: 2, unitPriceMinor: 30_000, unitCostMinor: 12_000 },
    { sku: 'SOCK', name: 'Sock', quantity: 1, unitPriceMinor: 2_000, unitCostMinor: 500 },
  ],
  shippingFeeMinor: 0,
  paidTotalMinor: 62_000,
};

describe('exchange and re-shipment', () => {
  it('the same goods again: no difference; what goes out is the ordered item at its price and cost', () => {
    const lines = [{ sku: 'SOCK', quantity: 1 }];
    expect(validateExchange(order, lines)).toEqual([]);
    expect(exchangeDifferenceMinor(order, lines)).toBe(0);
    expect(outgoingLines(order, lines)).toEqual([{ sku: 'SOCK', quantity: 1, unitPriceMinor: 2_000, unitCostMinor: 500 }]);
  });

  it('another variant: dearer → the customer pays the difference; cheaper → it is refunded (多退少补)', () => {
    expect(exchangeDifferenceMinor(order, [{ sku: 'SHOE-40', quantity: 2, replacementSku: 'SHOE-41-GOLD', replacementUnitPriceMinor: 33_000, replacementUnitCostMinor: 13_000 }])).toBe(6_000);
    expect(exchangeDifferenceMinor(order, [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-40-SALE', replacementUnitPriceMinor: 25_000, replacementUnitCostMinor: 12_000 }])).toBe(-5_000);
    expect(outgoingLines(order, [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 30_000, replacementUnitCostMinor: 12_500 }])).toEqual([{ sku: 'SHOE-41', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_500 }]);
  });

  it('names every wrong line: unknown SKU, too many, twice, a variant without its price', () => {
    expect(validateExchange(order, [{ sku: 'HAT', quantity: 1 }, { sku: 'SOCK', quantity: 2 }, { sku: 'SOCK', quantity: 1 }, { sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-42' }])).toEqual([
      { field: 'lines[0].sku', reason: 'HAT is not part of order o-1' },
      { field: 'lines[1].quantity', reason: 'more than the 1 ordered' },
      { field: 'lines[2].sku', reason: 'SOCK appears twice' },
      { field: 'lines[3].replacementUnitPriceMinor', reason: 'another variant (SHOE-42) needs its price' },
      { field: 'lines[3].replacementUnitCostMinor', reason: 'another variant (SHOE-42) needs its cost' },
    ]);
    // The price given, the cost not: the cost is what is named.
    expect(validateExchange(order, [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-42', replacementUnitPriceMinor: 31_000 }])).toEqual([{ field: 'lines[0].replacementUnitCostMinor', reason: 'another variant (SHOE-42) needs its cost' }]);
    expect(validateExchange(order, [])).toEqual([{ field: 'lines', reason: 'must not be empty' }]);
    expect(validateExchange(order, [{ sku: 'SOCK', quantity: 1, replacementUnitPriceMinor: -1 }])).toEqual([{ field: 'lines[0].replacementUnitPriceMinor', reason: 'must be a whole number of minor units ≥ 0' }]);
  });

  it('the same goods again go out at the price paid: a price of their own is refused (it would charge a difference for the same item)', () => {
    expect(sameGoodsPriceProblems(order, [{ sku: 'SOCK', quantity: 1, replacementUnitPriceMinor: 2_500 }])).toEqual([
      { field: 'lines[0].replacementUnitPriceMinor', reason: 'the same goods go out at the price paid (2000): a price of their own is for another variant (replacementSku)' },
    ]);
    expect(sameGoodsPriceProblems(order, [{ sku: 'SOCK', quantity: 1, replacementSku: 'SOCK', replacementUnitPriceMinor: 2_500, replacementUnitCostMinor: 500 }])).toHaveLength(1);
    expect(sameGoodsPriceProblems(order, [{ sku: 'SOCK', quantity: 1, replacementUnitPriceMinor: 2_000 }, { sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 33_000, replacementUnitCostMinor: 13_000 }])).toEqual([]);
  });

  it('no good stock, a refund instead: the exchanged goods at the price paid, plus a difference already paid', () => {
    // Two shoes exchanged for a dearer pair: 2 × 300.00 paid, and the 60.00 difference paid before.
    const dearer = [{ sku: 'SHOE-40', quantity: 2, replacementSku: 'SHOE-41-GOLD', replacementUnitPriceMinor: 33_000, replacementUnitCostMinor: 13_000 }];
    expect(noStockRefund(order, dearer, 6_000)).toEqual({
      amountMinor: 66_000,
      breakdown: [
        { kind: 'GOODS', sku: 'SHOE-40', quantity: 2, unitPriceMinor: 30_000, amountMinor: 60_000 },
        { kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 6_000, amountMinor: 6_000 },
      ],
    });
    // A cheaper replacement was never refunded its difference (that comes after shipping): the goods only.
    expect(noStockRefund(order, [{ sku: 'SOCK', quantity: 1, replacementSku: 'SOCK-SALE', replacementUnitPriceMinor: 1_000, replacementUnitCostMinor: 400 }], 0)).toEqual({
      amountMinor: 2_000,
      breakdown: [{ kind: 'GOODS', sku: 'SOCK', quantity: 1, unitPriceMinor: 2_000, amountMinor: 2_000 }],
    });
    // Of the two shoes sent back one came back damaged by the customer: one is refunded, and the difference.
    const returned = [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }, { sku: 'SHOE-40', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }];
    expect(noStockRefund(order, dearer, 6_000, returned).amountMinor).toBe(36_000);
    expect(noStockRefund(order, dearer, 0, []).amountMinor).toBe(0);
  });

  it('what was actually paid: the lines, and a CAP line for what the order had no more of', () => {
    const refund = noStockRefund(order, [{ sku: 'SOCK', quantity: 1 }], 500);
    expect(noStockRefundPaid(refund, 2_500)).toEqual(refund.breakdown);
    const capped = noStockRefundPaid(refund, 500);
    expect(capped.at(-1)).toEqual({ kind: 'CAP', sku: 'CAP', quantity: 1, unitPriceMinor: -2_000, amountMinor: -2_000 });
    expect(capped.reduce((s, l) => s + l.amountMinor, 0)).toBe(500);
  });

  it('a re-shipment sends the ordered goods again: another variant or another price is an exchange', () => {
    expect(reshipmentProblems(order, [{ sku: 'SOCK', quantity: 1 }, { sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-40', replacementUnitPriceMinor: 30_000, replacementUnitCostMinor: 12_000 }])).toEqual([]);
    expect(reshipmentProblems(order, [{ sku: 'SOCK', quantity: 1, replacementSku: 'SOCK-02', replacementUnitPriceMinor: 99_999, replacementUnitCostMinor: 1 }, { sku: 'SHOE-40', quantity: 1, replacementUnitPriceMinor: 1 }])).toEqual([
      { field: 'lines[0].replacementSku', reason: 'a re-shipment sends the ordered goods again: for another variant, open an EXCHANGE' },
      { field: 'lines[1].replacementUnitPriceMinor', reason: 'a re-shipment sends the ordered goods again at the price paid (30000): for another price, open an EXCHANGE' },
    ]);
  });
});

describe('exchanged goods that did not come back as asked', () => {
  const asked = [{ sku: 'SHOE-40', quantity: 2 }, { sku: 'HAT', quantity: 1 }];
  it('nothing when everything came back in order', () => {
    expect(returnedNotAsAsked(asked, [{ sku: 'SHOE-40', receivedQuantity: 2, condition: 'OK' }, { sku: 'HAT', receivedQuantity: 1, condition: 'OK' }])).toEqual([]);
  });
  it('an empty box (MISSING counts none), a line short, and goods the customer damaged', () => {
    expect(returnedNotAsAsked(asked, [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }, { sku: 'SHOE-40', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }, { sku: 'HAT', receivedQuantity: 1, condition: 'MISSING' }])).toEqual([
      { sku: 'HAT', expected: 1, received: 0, kind: 'SHORT' },
      { sku: 'SHOE-40', expected: 2, received: 1, kind: 'DAMAGED_BY_CUSTOMER' },
    ]);
  });
  it('two lines of one SKU (one pair to each of two sizes) are one set of goods back: a damaged pair counted once', () => {
    const twoSizes = [{ sku: 'SHOE-40', quantity: 1 }, { sku: 'SHOE-40', quantity: 1 }];
    expect(returnedNotAsAsked(twoSizes, [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }, { sku: 'SHOE-40', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }])).toEqual([{ sku: 'SHOE-40', expected: 2, received: 1, kind: 'DAMAGED_BY_CUSTOMER' }]);
  });
});

describe('an inspection of a loan product coming back', () => {
  it('the one unit lent came back (in any condition), or is missing with none received', () => {
    expect(loanInspectionProblems('SHOE-LOAN', [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'OK' }])).toEqual([]);
    expect(loanInspectionProblems('SHOE-LOAN', [{ sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }])).toEqual([]);
    expect(loanInspectionProblems('SHOE-LOAN', [{ sku: 'SHOE-LOAN', receivedQuantity: 0, condition: 'MISSING' }])).toEqual([]);
  });
  it('MISSING with the unit received is a contradiction, named at its line: the unit either came back or it did not', () => {
    expect(loanInspectionProblems('SHOE-LOAN', [{ sku: 'SHOE-LOAN', receivedQuantity: 0, condition: 'OK' }, { sku: 'SHOE-LOAN', receivedQuantity: 1, condition: 'MISSING' }])).toEqual([
      { field: 'lines[1].receivedQuantity', reason: expect.stringMatching(/^SHOE-LOAN reported MISSING with receivedQuantity 1: .*receivedQuantity 0/) },
    ]);
  });
});
