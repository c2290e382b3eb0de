/**
 * takesSignal (workflows/contract.ts): which cases the API lets an arrival scan reach. A refund
 * before shipping takes one only once it found its order shipped and awaits the parcel back; rows
 * of such cases that closed ALREADY_SHIPPED before that existed named the order's parcel too, and take none.
 */
import { describe, expect, it } from 'vitest';
import { takesSignal } from '../../workflows/contract.js';

describe('which cases take an arrival scan', () => {
  it('the types whose workflows always take one, and none of the others', () => {
    expect(takesSignal('arrivalScanned', { type: 'RETURN_AND_REFUND' })).toBe(true);
    expect(takesSignal('arrivalScanned', { type: 'COMPLAINT', returnTrackingNumber: 'SF1' })).toBe(false);
    // A signal every case takes.
    expect(takesSignal('escalate', { type: 'COMPLAINT' })).toBe(true);
  });

  it('a refund before shipping: once it awaits its shipped parcel back, not before, and not one closed as already shipped', () => {
    expect(takesSignal('arrivalScanned', { type: 'REFUND_NOT_SHIPPED', returnTrackingNumber: null })).toBe(false);
    expect(takesSignal('arrivalScanned', { type: 'REFUND_NOT_SHIPPED', returnTrackingNumber: 'SF4242', closeReason: null })).toBe(true);
    expect(takesSignal('arrivalScanned', { type: 'REFUND_NOT_SHIPPED', returnTrackingNumber: 'SF4242', closeReason: 'ALREADY_SHIPPED' })).toBe(false);
    expect(takesSignal('carrierRefused', { type: 'REFUND_NOT_SHIPPED', returnTrackingNumber: 'SF4242' })).toBe(false);
  });
});
