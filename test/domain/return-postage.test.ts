/** Who pays for goods sent back (domain/return-postage.ts). */
import { describe, expect, it } from 'vitest';
import { returnPostage } from '../../domain/return-postage.js';

describe('the postage of a return', () => {
  it('is the shop’s when any line comes back through its fault, the customer’s when they changed their mind', () => {
    expect(returnPostage([{ reason: 'NO_REASON' }])).toBe('CUSTOMER');
    expect(returnPostage([{ reason: 'OTHER' }, { reason: 'NO_REASON' }])).toBe('CUSTOMER');
    for (const reason of ['DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED'] as const) expect(returnPostage([{ reason }])).toBe('SHOP');
    // One parcel carries them all: a defective mug sent back with tea the customer no longer wants.
    expect(returnPostage([{ reason: 'NO_REASON' }, { reason: 'DEFECTIVE' }])).toBe('SHOP');
  });
});
