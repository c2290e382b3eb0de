/**
 * Which arrival scans go on the hold shelf, and what a held parcel waits for (domain/held-parcels.ts).
 */
import { describe, expect, it } from 'vitest';
import { heldParcelNext, holdReason, releasesAllowed, SHELF_TAKEN_IN_AT, shelfTakesIn } from '../../domain/held-parcels.js';

describe('the hold shelf', () => {
  it('holds a parcel while its case still decides whether the goods come back', () => {
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_DECISION', status: 'OPEN' })).toBe('NOT_ASKED_YET');
    expect(holdReason({ type: 'TRANSIT_DAMAGE', stage: 'AWAITING_ASSESSMENT', status: 'OPEN' })).toBe('NOT_ASKED_YET');
    expect(heldParcelNext({ type: 'QUALITY_PROBLEM', stage: 'AWAITING_CUSTOMER_CHOICE', status: 'WAITING_CUSTOMER' })).toBe('WAIT');
    // An exchange before it asks for the old goods: the difference still to pay, its replacement going out first.
    for (const stage of ['AWAITING_PAYMENT', 'AWAITING_OUTGOING_CHECK', 'AWAITING_DISPATCH', 'SHIPPED']) expect(holdReason({ type: 'EXCHANGE_RESHIPMENT', stage, status: 'WAITING_WAREHOUSE' }), stage).toBe('NOT_ASKED_YET');
  });

  it('lets the scan through while the case waits for the parcel, or for the customer to say it was sent', () => {
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' })).toBeUndefined();
    expect(holdReason({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_ARRIVAL', status: 'WAITING_WAREHOUSE' })).toBeUndefined();
    expect(holdReason({ type: 'EXCHANGE_RESHIPMENT', stage: 'AWAITING_SUBSTITUTE_RETURN', status: 'RESOLVED' })).toBeUndefined();
    expect(heldParcelNext({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER' })).toBe('SCAN_NOW');
  });

  it('sends back the goods of a case closed with nothing given for them: they are the customer’s', () => {
    for (const closeReason of ['REJECTED', 'DECLINED', 'WITHDRAWN', 'NOT_SHIPPED']) {
      const c = { type: 'RETURN_AND_REFUND', stage: 'CLOSED', status: 'CLOSED', closeReason };
      expect([holdReason(c), heldParcelNext(c)], closeReason).toEqual(['NOT_WAITING', 'SEND_BACK']);
    }
    expect(releasesAllowed('SEND_BACK')).toEqual(['SENT_BACK']);
  });

  it('leaves to an agent a parcel whose case went on without it: refunded as lost, resolved, waiting for its revisit', () => {
    // Refunded as lost in transit, then the parcel turns up: sending it back would give the customer both.
    expect(heldParcelNext({ type: 'RETURN_AND_REFUND', stage: 'RESOLVED', status: 'RESOLVED' })).toBe('ASK_AGENT');
    expect(heldParcelNext({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_REVISIT', status: 'WAITING_CUSTOMER' })).toBe('ASK_AGENT');
    expect(heldParcelNext({ type: 'RETURN_AND_REFUND', stage: 'AWAITING_AGENT', status: 'OPEN' })).toBe('ASK_AGENT');
    expect(heldParcelNext({ type: 'TRANSIT_DAMAGE', stage: 'CLOSED', status: 'CLOSED', closeReason: 'SATISFIED' })).toBe('ASK_AGENT');
    expect(releasesAllowed('ASK_AGENT')).toEqual(['SENT_BACK', 'KEPT']);
    expect([releasesAllowed('WAIT'), releasesAllowed('SCAN_NOW')]).toEqual([[], []]);
  });

  it('takes a held parcel in by itself once its case asks for the goods, unless it may be another parcel than the one reported', () => {
    expect([...SHELF_TAKEN_IN_AT].sort()).toEqual(['AWAITING_ARRIVAL', 'AWAITING_INTERCEPTED_PARCEL', 'AWAITING_RETURN_SHIPMENT']);
    expect(shelfTakesIn({ stage: 'AWAITING_RETURN_SHIPMENT' }, { trackingNumber: null })).toBe(true);
    expect(shelfTakesIn({ stage: 'AWAITING_RETURN_SHIPMENT', returnTrackingNumber: null }, { trackingNumber: 'SF0001' })).toBe(true);
    // The number the customer reported, however it was typed.
    expect(shelfTakesIn({ stage: 'AWAITING_ARRIVAL', returnTrackingNumber: 'sf 0001' }, { trackingNumber: 'SF0001' })).toBe(true);
    expect(shelfTakesIn({ stage: 'AWAITING_ARRIVAL', returnTrackingNumber: 'SF0002' }, { trackingNumber: 'SF0001' })).toBe(false);
    // Still deciding, or done with the goods, or waiting for a loan product: not taken.
    for (const stage of ['AWAITING_DECISION', 'AWAITING_INSPECTION', 'AWAITING_SUBSTITUTE_RETURN', 'RESOLVED']) expect(shelfTakesIn({ stage }, { trackingNumber: null }), stage).toBe(false);
  });
});
