import { describe, expect, it } from 'vitest';
import { formatReturnAddress, validateReturnAddress } from '../../domain/index.js';

const good = { name: '售后部 王先生', phone: '+86 571-8888 0000', address: '浙江省杭州市余杭区文一西路 969 号 3 号仓' };

describe('the merchant return address', () => {
  it('accepts a complete address and formats it on one line', () => {
    expect(validateReturnAddress(good)).toEqual([]);
    // Written as people write them: parentheses first, a country code; too few digits is not a number.
    for (const phone of ['(010) 6552 1234', '+86 10 6552 1234', '95338']) expect(validateReturnAddress({ ...good, phone })).toEqual([]);
    for (const phone of ['+86 1', '1234', '+(-)', '010 6552 1234 ext 5']) expect(validateReturnAddress({ ...good, phone })).toEqual([expect.objectContaining({ field: 'returnAddress.phone' })]);
    expect(formatReturnAddress(good)).toBe('浙江省杭州市余杭区文一西路 969 号 3 号仓 (售后部 王先生, +86 571-8888 0000)');
  });

  it('names every missing, blank, oversize or unknown field', () => {
    expect(validateReturnAddress({ name: ' ', phone: 'call me', address: 'x'.repeat(301), zip: '310000' })).toEqual([
      { field: 'returnAddress.zip', reason: 'is not an address field (name, phone, address)' },
      { field: 'returnAddress.name', reason: 'is required' },
      { field: 'returnAddress.address', reason: 'must be at most 300 characters' },
      { field: 'returnAddress.phone', reason: 'must be a phone number: at least 5 digits, written with spaces, -, parentheses and a leading + as you like' },
    ]);
  });

  it('refuses what is not an object', () => {
    for (const v of [null, 'Hangzhou', [good], 42]) expect(validateReturnAddress(v, 'body.returnAddress')).toEqual([{ field: 'body.returnAddress', reason: 'must be an object with name, phone and address' }]);
  });
});
