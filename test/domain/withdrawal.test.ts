/** Where a case takes the customer's withdrawal (domain/withdrawal.ts), as the workflows take it. */
import { describe, expect, it } from 'vitest';
import { withdrawableNow } from '../../domain/withdrawal.js';

describe('whether a case takes the customer’s withdrawal now', () => {
  it('a return until its parcel is sent; a refund before shipping while the merchant decides; a complaint until answered', () => {
    for (const stage of ['AWAITING_DECISION', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_RETURN_SHIPMENT']) expect(withdrawableNow({ type: 'RETURN_AND_REFUND', stage }, [])).toBe(true);
    expect(withdrawableNow({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_ARRIVAL' }, [])).toBe(false);
    expect(withdrawableNow({ type: 'REFUND_NOT_SHIPPED', stage: 'AWAITING_MERCHANT' }, ['OPENED', 'DISPATCH_CHECKED', 'MERCHANT_ASKED'])).toBe(true);
    // Approved, or the merchant silent: the case cancels and refunds while it still shows AWAITING_MERCHANT.
    expect(withdrawableNow({ type: 'REFUND_NOT_SHIPPED', stage: 'AWAITING_MERCHANT' }, ['OPENED', 'DISPATCH_CHECKED', 'MERCHANT_ASKED', 'MERCHANT_APPROVED'])).toBe(false);
    expect(withdrawableNow({ type: 'REFUND_NOT_SHIPPED', stage: 'AWAITING_MERCHANT' }, ['OPENED', 'DISPATCH_CHECKED', 'MERCHANT_ASKED', 'MERCHANT_SILENT', 'ORDER_CANCELLED'])).toBe(false);
    expect(withdrawableNow({ type: 'COMPLAINT', stage: 'AWAITING_RESOLUTION' }, ['OPENED', 'CLASSIFIED', 'COMPLAINT_OVERDUE'])).toBe(true);
    expect(withdrawableNow({ type: 'COMPLAINT', stage: 'RESOLVED' }, [])).toBe(false);
  });

  it('goods asked back the customer may keep: not a wrong item’s (the shop’s), nor an exchange’s once the replacement or a loan went out', () => {
    expect(withdrawableNow({ type: 'QUALITY_PROBLEM', stage: 'AWAITING_RETURN_SHIPMENT' }, [])).toBe(true);
    expect(withdrawableNow({ type: 'TRANSIT_DAMAGE', stage: 'AWAITING_RETURN_SHIPMENT' }, [])).toBe(true);
    expect(withdrawableNow({ type: 'WRONG_ITEM', stage: 'AWAITING_RETURN_SHIPMENT' }, [])).toBe(false);
    expect(withdrawableNow({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_PAYMENT' }, ['OPENED', 'DIFFERENCE_DUE'])).toBe(true);
    expect(withdrawableNow({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_RETURN_SHIPMENT' }, ['OPENED', 'EXCHANGE_ORDER', 'RETURN_REQUESTED'])).toBe(true);
    expect(withdrawableNow({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_RETURN_SHIPMENT' }, ['OPENED', 'EXCHANGE_ORDER', 'SHIPPED', 'DELIVERED', 'RETURN_REQUESTED'])).toBe(false);
    expect(withdrawableNow({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_RETURN_SHIPMENT' }, ['OPENED', 'SUBSTITUTE_LENT', 'RETURN_REQUESTED'])).toBe(false);
    // To ship first, no good unit in stock, refunded instead: the goods come back for the refund.
    expect(withdrawableNow({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_RETURN_SHIPMENT' }, ['OPENED', 'EXCHANGE_ORDER', 'WAREHOUSE_TASK_OPENED', 'OUTGOING_CHECK_FAILED', 'NO_GOOD_STOCK', 'AGENT_RESOLVED', 'RETURN_REQUESTED'])).toBe(false);
  });

  it('never for the types that take none at that stage, nor for an unknown type', () => {
    for (const type of ['MISSING_ITEMS', 'LOST_PARCEL', 'DELAY', 'TRACKING_INQUIRY', 'REFUND_SHIPPED', 'toString']) expect(withdrawableNow({ type, stage: 'AWAITING_RETURN_SHIPMENT' }, [])).toBe(false);
  });

  it('missing items, a lost parcel, a wrong item: until the warehouse has looked', () => {
    expect(withdrawableNow({ type: 'MISSING_ITEMS', stage: 'AWAITING_WAREHOUSE_CHECK' }, [])).toBe(true);
    expect(withdrawableNow({ type: 'MISSING_ITEMS', stage: 'AWAITING_CUSTOMER_CHOICE' }, [])).toBe(false);
    expect(withdrawableNow({ type: 'LOST_PARCEL', stage: 'AWAITING_DISPATCH_CONFIRMATION' }, [])).toBe(true);
    expect(withdrawableNow({ type: 'LOST_PARCEL', stage: 'AWAITING_DELIVERY' }, [])).toBe(false);
    expect(withdrawableNow({ type: 'WRONG_ITEM', stage: 'AWAITING_VERIFICATION' }, [])).toBe(true);
  });
});
