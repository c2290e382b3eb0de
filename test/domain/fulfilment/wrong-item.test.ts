import { describe, expect, it } from 'vitest';
import { checkArrivedBarcode, decideDiscountRefused, decideWrongItemValue, validateWrongItemCase, validateWrongItemOpening, wrongItemDocuments, type WrongItemCase } from '../../../domain/fulfilment/index.js';
import { order, policy, withRules } from './fixtures.js';

const barcodes = { MUG: '6901234567892', 'MUG-RED': '6901234567908', LAMP: '6901234567915' };
// One mug ordered did not come; a red mug (price 20.00, cost 8.00) came instead.
const wrong = (more: Partial<WrongItemCase> = {}): WrongItemCase => ({
  shortShipped: [{ sku: 'MUG', quantity: 1 }],
  overShipped: [{ sku: 'MUG-RED', quantity: 1, unitPriceMinor: 2000, unitCostMinor: 800 }],
  returnShippingCostMinor: 1000,
  alreadyRefundedMinor: 0,
  ...more,
});

describe('validateWrongItemOpening', () => {
  it('the SKU ordered must be one of the order’s', () => {
    expect(validateWrongItemOpening(order, 'MUG')).toEqual([]);
    expect(validateWrongItemOpening(order, 'MUG-RED')).toEqual([{ field: 'orderedSku', reason: `MUG-RED is not part of order ${order.orderId}` }]);
  });
});

describe('checkArrivedBarcode (003 §三.1)', () => {
  it('the ordered barcode → the customer ordered it: explain and close', () => {
    expect(checkArrivedBarcode(policy, 'MUG', ' 6901234567892 ', barcodes)).toEqual({
      rule: 'wrongItemBarcode',
      policyVersion: 7,
      outcome: 'EXPLAIN_AND_CLOSE',
      values: { orderedSku: 'MUG', orderedBarcode: '6901234567892', arrivedBarcode: '6901234567892', arrivedSku: 'MUG' },
    });
  });
  it('another known barcode → wrong item; unknown or empty → photos, record and weight decide', () => {
    expect(checkArrivedBarcode(policy, 'MUG', '6901234567908', barcodes)).toMatchObject({ outcome: 'WRONG_ITEM', values: { arrivedSku: 'MUG-RED' } });
    expect(checkArrivedBarcode(policy, 'MUG', '0000000000000', barcodes).outcome).toBe('NEEDS_EVIDENCE');
    expect(checkArrivedBarcode(policy, 'MUG', '  ', barcodes).outcome).toBe('NEEDS_EVIDENCE');
  });
});

describe('validateWrongItemCase', () => {
  it('names every problem', () => {
    const problems = validateWrongItemCase(order, {
      shortShipped: [{ sku: 'MUG', quantity: 4 }],
      overShipped: [
        { sku: 'MUG', quantity: 1, unitPriceMinor: 1, unitCostMinor: 1 },
        { sku: 'X', quantity: 0, unitPriceMinor: -1, unitCostMinor: 1.5 },
        { sku: 'X', quantity: 1, unitPriceMinor: 1, unitCostMinor: 1 },
        { sku: '', quantity: 1, unitPriceMinor: 1, unitCostMinor: 1 },
      ],
      returnShippingCostMinor: -1,
      alreadyRefundedMinor: 0.5,
    });
    expect(problems.map((p) => `${p.field}: ${p.reason}`)).toEqual([
      'shortShipped[0].quantity: more than the 3 ordered',
      'overShipped[0].sku: MUG cannot be both short- and over-shipped',
      'overShipped[1].quantity: must be a whole number ≥ 1',
      'overShipped[1].unitPriceMinor: must be a whole number of minor units ≥ 0, got -1',
      'overShipped[1].unitCostMinor: must be a whole number of minor units ≥ 0, got 1.5',
      'overShipped[2].sku: X appears twice',
      'overShipped[3].sku: is required',
      'returnShippingCostMinor: must be a whole number of minor units ≥ 0, got -1',
      'alreadyRefundedMinor: must be a whole number of minor units ≥ 0, got 0.5',
    ]);
    expect(validateWrongItemCase(order, wrong({ overShipped: [] }))).toEqual([{ field: 'overShipped', reason: 'must not be empty: name what arrived instead' }]);
    expect(validateWrongItemCase(order, wrong({ shortShipped: [] }))).toEqual([]);
  });
});

describe('the value rule (003 §三.3)', () => {
  it('worth more than the return shipping → return or exchange; the shop pays both ways', () => {
    const d = decideWrongItemValue(policy, order, wrong({ returnShippingCostMinor: 799 }));
    expect(d).toEqual({
      rule: 'wrongItemValue',
      policyVersion: 7,
      outcome: 'RETURN_OR_EXCHANGE',
      values: { wrongItemValueMinor: 800, wrongItemValueBasis: 'COST', returnShippingCostMinor: 799, shopPaysShippingBothWays: true, currency: 'CNY', options: ['EXCHANGE', 'RETURN_REFUND'] },
    });
  });
  it('worth the same or less → a discount: what the missing goods were paid minus the price of what came', () => {
    expect(decideWrongItemValue(policy, order, wrong({ returnShippingCostMinor: 800 }))).toMatchObject({ outcome: 'OFFER_DISCOUNT', values: { missingPaidMinor: 3333, discountMinor: 1333, ifRefused: 'GIFT' } });
    // A better item than ordered: no discount to offer (declining one of 0 always serves the customer better).
    const better = wrong({ overShipped: [{ sku: 'VASE', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 500 }] });
    expect(decideWrongItemValue(policy, order, better)).toMatchObject({ outcome: 'NO_DISCOUNT', values: { discountMinor: 0, ifRefused: 'GIFT' } });
    // Extra goods only: nothing missing, nothing to discount.
    expect(decideWrongItemValue(policy, order, wrong({ shortShipped: [] }))).toMatchObject({ outcome: 'NO_DISCOUNT', values: { missingPaidMinor: 0, discountMinor: 0 } });
    // Never above what is still refundable; nothing left, nothing to offer.
    expect(decideWrongItemValue(policy, order, wrong({ alreadyRefundedMinor: order.paidTotalMinor - 100 })).values.discountMinor).toBe(100);
    expect(decideWrongItemValue(policy, order, wrong({ alreadyRefundedMinor: order.paidTotalMinor }))).toMatchObject({ outcome: 'NO_DISCOUNT', values: { discountMinor: 0 } });
    // One minor unit is still an offer.
    expect(decideWrongItemValue(policy, order, wrong({ alreadyRefundedMinor: order.paidTotalMinor - 1 })).outcome).toBe('OFFER_DISCOUNT');
  });
  it('valued at price when policy says so', () => {
    expect(decideWrongItemValue(withRules({ wrongItemValueBasis: 'PRICE' }), order, wrong()).outcome).toBe('RETURN_OR_EXCHANGE');
    expect(decideWrongItemValue(withRules({ wrongItemValueBasis: 'PRICE' }), order, wrong({ returnShippingCostMinor: 2000 })).outcome).toBe('OFFER_DISCOUNT');
  });
  it('an invalid case is named, not decided', () => {
    expect(decideWrongItemValue(policy, order, wrong({ returnShippingCostMinor: -1 }))).toMatchObject({ rule: 'validWrongItemCase', outcome: 'INVALID' });
  });
  it('discount refused → keep it as a gift, and re-ship or refund at once', () => {
    expect(decideDiscountRefused(policy, order, wrong(), 'RESHIP')).toMatchObject({ rule: 'wrongItemGift', outcome: 'GIFT_AND_RESHIP', values: { gift: [{ sku: 'MUG-RED', quantity: 1 }], reship: [{ sku: 'MUG', quantity: 1 }], refundMinor: 0 } });
    expect(decideDiscountRefused(policy, order, wrong(), 'REFUND')).toMatchObject({ outcome: 'GIFT_AND_REFUND', values: { reship: [], refundMinor: 3333 } });
    expect(decideDiscountRefused(policy, order, wrong({ alreadyRefundedMinor: order.paidTotalMinor - 10 }), 'REFUND').values.refundMinor).toBe(10);
    expect(decideDiscountRefused(policy, order, wrong({ shortShipped: [] }), 'RESHIP')).toMatchObject({ outcome: 'GIFT', values: { reason: 'nothing ordered is missing' } });
    expect(decideDiscountRefused(policy, order, wrong({ overShipped: [] }), 'REFUND').outcome).toBe('INVALID');
  });
});

describe('wrongItemDocuments (003 §三.4)', () => {
  const kinds = (docs: ReturnType<typeof wrongItemDocuments>) => docs.map((d) => d.kind + (d.expense ? `:${d.expense.purpose}:${d.expense.amountMinor}` : ''));
  it('the reversal comes first: short-shipped negative, over-shipped positive', () => {
    const [reversal] = wrongItemDocuments(order, wrong(), { kind: 'EXCHANGE' });
    expect(reversal).toEqual({
      kind: 'OUTBOUND_REVERSAL',
      lines: [{ sku: 'MUG', quantity: -1, unitCostMinor: 1200 }, { sku: 'MUG-RED', quantity: 1, unitCostMinor: 800 }],
      stock: [{ sku: 'MUG', delta: 1 }, { sku: 'MUG-RED', delta: -1 }],
    });
  });
  it('each resolution has its documents', () => {
    expect(kinds(wrongItemDocuments(order, wrong(), { kind: 'EXCHANGE' }))).toEqual(['OUTBOUND_REVERSAL', 'RETURN_NOTE', 'OUTBOUND']);
    expect(kinds(wrongItemDocuments(order, wrong({ shortShipped: [] }), { kind: 'EXCHANGE' }))).toEqual(['OUTBOUND_REVERSAL', 'RETURN_NOTE']);
    expect(kinds(wrongItemDocuments(order, wrong(), { kind: 'RETURN_REFUND', refundMinor: 3333 }))).toEqual(['OUTBOUND_REVERSAL', 'RETURN_NOTE', 'EXPENSE_NOTE:REFUND:3333']);
    expect(kinds(wrongItemDocuments(order, wrong(), { kind: 'DISCOUNT', discountMinor: 1333 }))).toEqual(['OUTBOUND_REVERSAL', 'EXPENSE_NOTE:DISCOUNT:1333']);
    expect(kinds(wrongItemDocuments(order, wrong(), { kind: 'GIFT_RESHIP' }))).toEqual(['OUTBOUND_REVERSAL', 'BLANK_RETURN', 'EXPENSE_NOTE:GIFT:800', 'OUTBOUND']);
    expect(kinds(wrongItemDocuments(order, wrong({ shortShipped: [] }), { kind: 'GIFT_RESHIP' }))).toEqual(['OUTBOUND_REVERSAL', 'BLANK_RETURN', 'EXPENSE_NOTE:GIFT:800']);
    expect(kinds(wrongItemDocuments(order, wrong(), { kind: 'GIFT_REFUND', refundMinor: 3333 }))).toEqual(['OUTBOUND_REVERSAL', 'BLANK_RETURN', 'EXPENSE_NOTE:GIFT:800', 'EXPENSE_NOTE:REFUND:3333']);
  });
  it('the blank return moves no stock; the return note puts the wrong goods back', () => {
    const gift = wrongItemDocuments(order, wrong(), { kind: 'GIFT_RESHIP' });
    expect(gift[1]).toMatchObject({ kind: 'BLANK_RETURN', lines: [{ sku: 'MUG-RED', quantity: 1 }], stock: [] });
    expect(wrongItemDocuments(order, wrong(), { kind: 'EXCHANGE' })[1].stock).toEqual([{ sku: 'MUG-RED', delta: 1 }]);
  });
  it('refuses invalid cases and money back above what is refundable', () => {
    expect(() => wrongItemDocuments(order, wrong({ overShipped: [] }), { kind: 'EXCHANGE' })).toThrow(/overShipped must not be empty/);
    const nearlyAll = wrong({ alreadyRefundedMinor: order.paidTotalMinor - 100 });
    expect(() => wrongItemDocuments(order, nearlyAll, { kind: 'GIFT_REFUND', refundMinor: 101 })).toThrow(RangeError);
    expect(() => wrongItemDocuments(order, nearlyAll, { kind: 'DISCOUNT', discountMinor: 101 })).toThrow(/DISCOUNT 101/);
    expect(() => wrongItemDocuments(order, wrong(), { kind: 'RETURN_REFUND', refundMinor: -1 })).toThrow(RangeError);
    expect(kinds(wrongItemDocuments(order, nearlyAll, { kind: 'DISCOUNT', discountMinor: 100 }))[1]).toBe('EXPENSE_NOTE:DISCOUNT:100');
  });
});
