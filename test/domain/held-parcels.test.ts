/**
 * Which arrival scans go on the hold shelf, and what a held parcel waits for (domain/held-parcels.ts).
 */
import { describe, expect, it } from 'vitest';
import { heldParcelNext, holdReason } from '../../domain/held-parcels.js';

describe('the hold shelf', () => {
  it('holds a parcel while its case still decides whether the goods come back', () => {
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_DECISION', status: 'OPEN' })).toBe('NOT_ASKED_YET');
    expect(holdReason({ type: 'TRANSIT_DAMAGE', stage: 'AWAITING_ASSESSMENT', status: 'OPEN' })).toBe('NOT_ASKED_YET');
    expect(heldParcelNext({ type: 'QUALITY_PROBLEM', stage: 'AWAITING_CUSTOMER_CHOICE', status: 'WAITING_CUSTOMER' })).toBe('WAIT');
  });

  it('lets the scan through once the case asks for the goods, even before the customer says they were sent', () => {
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' })).toBeUndefined();
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_ARRIVAL', status: 'WAITING_WAREHOUSE' })).toBeUndefined();
    expect(heldParcelNext({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' })).toBe('SCAN_NOW');
  });

  it('holds a parcel that comes after its case ended without it, to be sent back', () => {
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'CLOSED', status: 'CLOSED' })).toBe('CASE_ENDED');
    expect(holdReason({ type: 'TRANSIT_DAMAGE', stage: 'RESOLVED', status: 'RESOLVED' })).toBe('CASE_ENDED');
    expect(heldParcelNext({ type: 'WRONG_ITEM', stage: 'CLOSED', status: 'CLOSED' })).toBe('CASE_ENDED');
  });

  it('never holds a parcel its case is waiting for, whatever the status says', () => {
    expect(holdReason({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_SUBSTITUTE_RETURN', status: 'RESOLVED' })).toBeUndefined();
  });
});
