/**
 * The one parcel check the workflows share (workflows/contract.ts): a parcel needs its carrier and
 * its tracking number, blank counts as missing; a command lacking one is refused as bad input
 * naming that field (the API answers 400 on body.carrier or body.trackingNumber), with the message
 * recorded refusals have always had.
 */
import { ApplicationFailure } from '@temporalio/common';
import { describe, expect, it } from 'vitest';
import { INVALID_INPUT, missingParcelField, PARCEL_REQUIRED, requireParcel } from '../../workflows/contract.js';

const refusalOf = (parcel: { carrier?: string; trackingNumber?: string }) => {
  try {
    requireParcel(parcel);
    return undefined;
  } catch (err) {
    return err;
  }
};

describe('the parcel check', () => {
  it('names the carrier first, then the tracking number; blank is missing', () => {
    expect(missingParcelField(undefined)).toBe('carrier');
    expect(missingParcelField({})).toBe('carrier');
    expect(missingParcelField({ carrier: ' ', trackingNumber: 'SF1' })).toBe('carrier');
    expect(missingParcelField({ carrier: ' ', trackingNumber: ' ' })).toBe('carrier');
    expect(missingParcelField({ carrier: 'SF' })).toBe('trackingNumber');
    expect(missingParcelField({ carrier: 'SF', trackingNumber: '\t' })).toBe('trackingNumber');
    expect(missingParcelField({ carrier: 'SF', trackingNumber: 'SF1' })).toBeUndefined();
  });

  it('refuses as bad input naming the field, with the message refusals always had', () => {
    expect(PARCEL_REQUIRED).toBe('carrier and trackingNumber are required');
    expect(refusalOf({ carrier: 'SF', trackingNumber: 'SF1' })).toBeUndefined();
    const refused = refusalOf({ carrier: 'SF', trackingNumber: ' ' });
    expect(refused).toBeInstanceOf(ApplicationFailure);
    expect(refused).toMatchObject({ type: INVALID_INPUT, message: PARCEL_REQUIRED, details: [{ field: 'trackingNumber' }], nonRetryable: true });
    expect(refusalOf({ trackingNumber: 'SF1' })).toMatchObject({ type: INVALID_INPUT, message: PARCEL_REQUIRED, details: [{ field: 'carrier' }] });
  });
});
