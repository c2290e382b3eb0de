import { describe, expect, it } from 'vitest';
import {
  DOCUMENT_NAMES,
  expenseNote,
  goodsRefundLines,
  missingItemsDocuments,
  orderLines,
  outboundNote,
  outboundReversal,
  returnNote,
  settlementDocuments,
  stockBalance,
  stockDelta,
  wrongItemDocuments,
  type CaseDocument,
  type WrongItemCase,
} from '../../../domain/fulfilment/index.js';
import { order } from './fixtures.js';

// What the warehouse's original outbound note says left: 3 mugs, the lamp, 2 stickers.
const original = outboundNote(orderLines(order, order.items));
const sentLamp = { sku: 'LAMP', delta: -1 };
const sentStickers = { sku: 'STICKER', delta: -2 };
const wrong: WrongItemCase = { shortShipped: [{ sku: 'MUG', quantity: 1 }], overShipped: [{ sku: 'MUG-RED', quantity: 1, unitPriceMinor: 2000, unitCostMinor: 800 }], returnShippingCostMinor: 1000, alreadyRefundedMinor: 0 };
// Physically, 2 mugs and a red mug left first.
const firstParcel = [{ sku: 'MUG', delta: -2 }, { sku: 'MUG-RED', delta: -1 }, sentLamp, sentStickers];

describe('documents and their stock movements', () => {
  it('signs: outbound out, reversal by its sign, return note in, paper documents nothing', () => {
    expect([stockDelta('OUTBOUND', 2), stockDelta('OUTBOUND_REVERSAL', -1), stockDelta('OUTBOUND_REVERSAL', 1), stockDelta('RETURN_NOTE', 2), stockDelta('BLANK_RETURN', 1), stockDelta('EXPENSE_NOTE', 1)]).toEqual([-2, 1, -1, 2, 0, 0]);
    expect(Object.is(stockDelta('OUTBOUND', 0), 0)).toBe(true);
    expect(DOCUMENT_NAMES.BLANK_RETURN['zh-CN']).toBe('空退单（转费用单）');
  });
  it('refuses bad quantities, costs and amounts', () => {
    expect(() => outboundNote([{ sku: 'MUG', quantity: 0, unitCostMinor: 1 }])).toThrow(/≥ 1/);
    expect(() => returnNote([{ sku: 'MUG', quantity: -1, unitCostMinor: 1 }])).toThrow(RangeError);
    expect(() => outboundReversal([{ sku: 'MUG', quantity: 0, unitCostMinor: 1 }])).toThrow(/≠ 0/);
    expect(() => outboundReversal([{ sku: 'MUG', quantity: 1.5, unitCostMinor: 1 }])).toThrow(RangeError);
    expect(() => outboundNote([{ sku: 'MUG', quantity: 1, unitCostMinor: -1 }])).toThrow(/unitCostMinor/);
    expect(() => expenseNote('REFUND', -1)).toThrow(RangeError);
    expect(() => orderLines(order, [{ sku: 'NOPE', quantity: 1 }])).toThrow(/not part of order/);
  });
  it('missing-items documents: reversal, then an expense note for a refund or a new outbound for a re-shipment', () => {
    const refund = missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'REFUND', refundMinor: 3333 });
    expect(refund.map((d) => d.kind)).toEqual(['OUTBOUND_REVERSAL', 'EXPENSE_NOTE']);
    expect(refund[0].stock).toEqual([{ sku: 'MUG', delta: 1 }]);
    expect(missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'RESHIP' }).map((d) => d.kind)).toEqual(['OUTBOUND_REVERSAL', 'OUTBOUND']);
    // Not confirmed short: the outbound stands (nothing back in stock); the settlement is booked as before.
    expect(missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'RESHIP' }, { confirmedShort: false }).map((d) => d.kind)).toEqual(['OUTBOUND']);
    expect(missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'REFUND', refundMinor: 3333 }, { confirmedShort: false }).map((d) => d.kind)).toEqual(['EXPENSE_NOTE']);
  });
  it('damage and quality settlements (003 §四.3, §五.4)', () => {
    const lines = [{ sku: 'LAMP', quantity: 1 }];
    expect(settlementDocuments(order, lines, { kind: 'REFUND_ONLY', refundMinor: 500 })).toEqual([{ kind: 'EXPENSE_NOTE', lines: [], expense: { purpose: 'REFUND', amountMinor: 500 }, stock: [] }]);
    expect(settlementDocuments(order, lines, { kind: 'RETURN_REFUND', returnShippingMinor: 1200 }).map((d) => d.expense?.purpose ?? d.kind)).toEqual(['RETURN_NOTE', 'RETURN_SHIPPING']);
    expect(settlementDocuments(order, lines, { kind: 'RETURN_EXCHANGE', returnShippingMinor: 1200 }).map((d) => d.expense?.purpose ?? d.kind)).toEqual(['RETURN_NOTE', 'RETURN_SHIPPING', 'OUTBOUND']);
  });
});

describe('stockBalance: the documents net to what physically moved', () => {
  const balanced = (docs: CaseDocument[], physical: Parameters<typeof stockBalance>[1]) => stockBalance([original, ...docs], physical);
  it('every wrong-item resolution balances', () => {
    const returned = { sku: 'MUG-RED', delta: 1 };
    const reshipped = { sku: 'MUG', delta: -1 };
    expect(balanced(wrongItemDocuments(order, wrong, { kind: 'EXCHANGE' }), [...firstParcel, returned, reshipped]).balanced).toBe(true);
    expect(balanced(wrongItemDocuments(order, wrong, { kind: 'RETURN_REFUND', refundMinor: 3333 }), [...firstParcel, returned]).balanced).toBe(true);
    expect(balanced(wrongItemDocuments(order, wrong, { kind: 'DISCOUNT', discountMinor: 1333 }), firstParcel).balanced).toBe(true);
    expect(balanced(wrongItemDocuments(order, wrong, { kind: 'GIFT_RESHIP' }), [...firstParcel, reshipped]).balanced).toBe(true);
    expect(balanced(wrongItemDocuments(order, wrong, { kind: 'GIFT_REFUND', refundMinor: 3333 }), firstParcel).balanced).toBe(true);
  });
  it('missing items balance when the goods really stayed; a refund for goods that did leave shows up', () => {
    const shortParcel = [{ sku: 'MUG', delta: -2 }, sentLamp, sentStickers];
    expect(balanced(missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'RESHIP' }), [...shortParcel, { sku: 'MUG', delta: -1 }]).balanced).toBe(true);
    const refund = missingItemsDocuments(order, [{ sku: 'MUG', quantity: 1 }], { kind: 'REFUND', refundMinor: 3333 });
    expect(balanced(refund, shortParcel)).toMatchObject({ balanced: true, problems: [] });
    const r = balanced(refund, [{ sku: 'MUG', delta: -3 }, sentLamp, sentStickers]);
    expect(r.balanced).toBe(false);
    expect(r.lines).toEqual([
      { sku: 'LAMP', documented: -1, physical: -1, difference: 0 },
      { sku: 'MUG', documented: -2, physical: -3, difference: 1 },
      { sku: 'STICKER', documented: -2, physical: -2, difference: 0 },
    ]);
  });
  it('never trusts a stored stock field, and names bad physical movements', () => {
    const tampered = { ...returnNote([{ sku: 'MUG', quantity: 1, unitCostMinor: 1200 }]), stock: [{ sku: 'MUG', delta: 2 }, { sku: 'LAMP', delta: 1 }] };
    const r = stockBalance([tampered], [{ sku: 'MUG', delta: 1 }]);
    expect(r.balanced).toBe(false);
    expect(r.problems).toEqual([
      { field: 'documents[0].stock', reason: 'MUG: stored 2, lines give 1' },
      { field: 'documents[0].stock', reason: 'LAMP: stored 1, lines give 0' },
    ]);
    expect(stockBalance([], [{ sku: 'MUG', delta: 0.5 }]).problems).toEqual([{ field: 'physical[0].delta', reason: 'must be a whole number of units' }]);
    expect(stockBalance([], [])).toEqual({ balanced: true, lines: [], problems: [] });
  });
});

describe('a refund of goods, line by line', () => {
  it('gives each line its amount, the shipping fee when asked, and a CAP line down to what was paid', () => {
    const o = { ...order, shippingFeeMinor: 800 };
    const sku = o.items[0]!.sku;
    const price = o.items[0]!.unitPriceMinor;
    expect(goodsRefundLines(o, [{ sku, quantity: 2 }], 2 * price)).toEqual([{ kind: 'GOODS', sku, quantity: 2, unitPriceMinor: price, amountMinor: 2 * price }]);
    expect(goodsRefundLines(o, [{ sku, quantity: 1 }], price + 800, { shipping: true }).map((l) => l.kind)).toEqual(['GOODS', 'SHIPPING']);
    const capped = goodsRefundLines(o, [{ sku, quantity: 1 }], 100);
    expect(capped.at(-1)).toMatchObject({ kind: 'CAP', amountMinor: 100 - price });
    expect(capped.reduce((s, l) => s + l.amountMinor, 0)).toBe(100);
  });
});
