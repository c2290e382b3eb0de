/** The parcel a case follows until delivered, read from its timeline (domain/followed-parcel.ts). */
import { describe, expect, it } from 'vitest';
import { followedParcel, lastFollowedParcel } from '../../domain/followed-parcel.js';

const step = (kind: string, data?: Record<string, unknown>) => ({ kind, ...(data ? { data } : {}) });

describe('the parcel a case follows', () => {
  it('is the latest FOLLOWING_PARCEL, or its correction after it', () => {
    const sent = [step('OPENED'), step('RESHIPPED', { carrier: 'SF', outboundTracking: 'SF1' }), step('FOLLOWING_PARCEL', { carrier: 'SF', outboundTracking: 'SF1' }), step('COURIER_EVENT', { carrier: 'SF', code: 'IN_TRANSIT' })];
    expect(followedParcel(sent)).toEqual({ carrier: 'SF', trackingNumber: 'SF1' });
    const corrected = [...sent, step('FOLLOWED_PARCEL_CORRECTED', { carrier: 'YTO', outboundTracking: 'YT2', previousCarrier: 'SF', previousOutboundTracking: 'SF1' })];
    expect(followedParcel(corrected)).toEqual({ carrier: 'YTO', trackingNumber: 'YT2' });
  });

  it('is none once delivered, or before anything was followed; a later follow (a redelivery arranged by an agent) is followed again', () => {
    const delivered = [step('FOLLOWING_PARCEL', { carrier: 'SF', outboundTracking: 'SF1' }), step('DELIVERED', { deliveredAt: 1 })];
    expect(followedParcel(delivered)).toBeNull();
    // Delivered, it is still the parcel the case followed last: what a correction sent then is told.
    expect(lastFollowedParcel(delivered)).toEqual({ parcel: { carrier: 'SF', trackingNumber: 'SF1' }, delivered: true });
    expect(lastFollowedParcel([step('OPENED')])).toBeNull();
    expect(followedParcel([step('OPENED'), step('WAREHOUSE_TASK_OPENED')])).toBeNull();
    expect(followedParcel([...delivered, step('NEEDS_AGENT'), step('FOLLOWING_PARCEL', { carrier: 'SF', outboundTracking: 'SF1' })])).toEqual({ carrier: 'SF', trackingNumber: 'SF1' });
    // A step without the parcel's fields names none.
    expect(followedParcel([step('FOLLOWING_PARCEL', { carrier: 'SF' })])).toBeNull();
  });
});
