import { describe, expect, it } from 'vitest';
import { closeKeepsGoodsReason, countMismatchRefunds, defaultPolicy, type OrderSnapshot, type ReturnRequest } from '../../domain/index.js';

const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333 },
    { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 5000 },
  ],
  shippingFeeMinor: 1000,
  paidTotalMinor: 15999,
} as OrderSnapshot;
const policy = defaultPolicy(1);
const none = { amountMinor: 0, shippingRefunded: false };
const request = (reason: string): ReturnRequest => ({ lines: [{ sku: 'MUG', quantity: 2, reason }] }) as ReturnRequest;

describe('what each way out of a count mismatch would refund', () => {
  it('what came back as counted, or every approved unit as if it came back in good order', () => {
    expect(countMismatchRefunds(policy, order, request('NO_REASON'), null, [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }], none)).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 6666 });
  });
  it('counts a damaged unit out of what came back, and adds the shipping fee where the shop was at fault (once per order)', () => {
    const damaged = [
      { sku: 'MUG', receivedQuantity: 1, condition: 'OK' as const },
      { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' as const },
    ];
    expect(countMismatchRefunds(policy, order, request('DEFECTIVE'), null, damaged, none)).toEqual({ REFUND_RECEIVED: 3333 + 1000, REFUND_REQUESTED: 6666 + 1000 });
    expect(countMismatchRefunds(policy, order, request('DEFECTIVE'), null, damaged, { amountMinor: 0, shippingRefunded: true })).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 6666 });
  });
  it('as a return approved before return-rules-v2 refunds: any reason but NO_REASON is the shop’s fault, and the other cases’ refunds do not cap it', () => {
    const one = [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' as const }];
    const others = { amountMinor: 3333, shippingRefunded: false };
    expect(countMismatchRefunds(policy, order, request('OTHER'), null, one, others, { rulesV2: true })).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 6666 });
    expect(countMismatchRefunds(policy, order, request('OTHER'), null, one, others, { rulesV2: false })).toEqual({ REFUND_RECEIVED: 3333 + 1000, REFUND_REQUESTED: 6666 + 1000 });
    expect(countMismatchRefunds(policy, order, request('NO_REASON'), null, one, { amountMinor: 15999 - 4000, shippingRefunded: true }, { rulesV2: false })).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 6666 });
  });

  it('no more than the agent approved, and no more than the order has left after its other cases’ refunds', () => {
    const three = [{ sku: 'MUG', receivedQuantity: 3, condition: 'OK' as const }];
    expect(countMismatchRefunds(policy, order, request('NO_REASON'), [{ sku: 'MUG', quantity: 1 }], three, none)).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 3333 });
    expect(countMismatchRefunds(policy, order, request('NO_REASON'), null, three, { amountMinor: 15999 - 4000, shippingRefunded: false })).toEqual({ REFUND_RECEIVED: 4000, REFUND_REQUESTED: 4000 });
  });
});

describe('closing a count mismatch without a refund', () => {
  it('is refused while the warehouse holds goods that came back, naming them', () => {
    const why = closeKeepsGoodsReason([
      { sku: 'MUG', receivedQuantity: 1, condition: 'OK' },
      { sku: 'MUG', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' },
      { sku: 'BOWL', receivedQuantity: 0, condition: 'MISSING' },
    ]);
    // The unit the customer damaged is not refunded either way: only the one in good order counts.
    expect(why).toContain('the warehouse holds goods the customer sent back (MUG × 1)');
    expect(why).toContain('REFUND_RECEIVED');
  });
  it('is the agent’s call when nothing came back in good order (an empty box, goods the customer damaged)', () => {
    expect(closeKeepsGoodsReason([{ sku: 'VASE', receivedQuantity: 1, condition: 'MISSING' }])).toBeUndefined();
    expect(closeKeepsGoodsReason([{ sku: 'VASE', receivedQuantity: 0, condition: 'OK' }])).toBeUndefined();
    expect(closeKeepsGoodsReason([{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }])).toBeUndefined();
    // Goods taken back for transit damage or a quality problem: their refund pays the damaged unit too, so it counts.
    expect(closeKeepsGoodsReason([{ sku: 'KETTLE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }, { sku: 'KETTLE', receivedQuantity: 0, condition: 'MISSING' }], true)).toContain('(KETTLE × 1)');
    // The wait's own ways to pay for them, named in the refusal.
    expect(closeKeepsGoodsReason([{ sku: 'CUP', receivedQuantity: 1, condition: 'OK' }], false, 'refund them (REFUND_RECEIVED)')).toMatch(/keep them unpaid — refund them \(REFUND_RECEIVED\)$/);
  });
});
