/**
 * One spelling of a parcel's tracking number (domain/tracking-number.ts): what a customer pastes
 * from an SMS or types in an IME is the number the warehouse scans off the label.
 */
import { describe, expect, it } from 'vitest';
import { looksLikeTrackingNumber, normaliseTrackingNumber } from '../../domain/tracking-number.js';

describe('normaliseTrackingNumber', () => {
  it.each([
    ['SF1400000000009', 'SF1400000000009'],
    ['SF 1400 0000 0009', 'SF140000000009'], // grouped as an SMS prints it
    ['sf1400000000555', 'SF1400000000555'], // typed in lower case
    [' SF555666777 ', 'SF555666777'],
    ['\tSF\n1400\r\n0000 0009', 'SF140000000009'],
    ['SF\u30001400\u30000000', 'SF14000000'], // ideographic space (Chinese IME)
    ['SF\u00a01400\u202f0000\u20090009\u2007', 'SF140000000009'], // no-break, narrow no-break, thin, figure spaces
    ['\u2068SF1400000000009\u2069', 'SF1400000000009'], // the isolates a phone wraps a number in
    ['\u202aSF1400\u200b0000\u200c0009\u200d\ufeff\u2060\u200e\u200f\u202c', 'SF140000000009'], // zero-width and direction marks
    ['ＳＦ１４００\u3000００００\u3000０００９', 'SF140000000009'], // full-width (a Chinese IME's full-width mode)
    ['ｓｆ１４００－００９', 'SF1400-009'], // full-width lower case and hyphen
    ['JD-0012-ab', 'JD-0012-AB'], // hyphens kept
    ['', ''],
    ['   \u3000 ', ''],
  ])('%j → %j', (raw, normalised) => expect(normaliseTrackingNumber(raw)).toBe(normalised));

  it('upper-cases ASCII letters only, and folds nothing but full-width ASCII', () => {
    // Non-ASCII letters and look-alike digits are no courier's: left as typed, they fail to match
    // rather than match another parcel.
    expect(normaliseTrackingNumber('ß①ǆ™é')).toBe('ß①ǆ™é');
    expect(normaliseTrackingNumber('ПЕ12ab')).toBe('ПЕ12AB');
  });

  it('is idempotent', () => {
    for (const raw of ['sf 1400 0000 0009', 'ＳＦ１４００', 'JD-0012-ab', '\u2068x y\u2069']) {
      expect(normaliseTrackingNumber(normaliseTrackingNumber(raw))).toBe(normaliseTrackingNumber(raw));
    }
  });
});

describe('looksLikeTrackingNumber', () => {
  it.each([
    ['SF 1400 0000 0009', true],
    ['sf1400000000555', true],
    ['ＳＦ１４００', true],
    ['YT-7512', true],
    ['SF1', false], // shorter than any number the API takes
    ['张三', false],
    ['refund late', false], // no digit: words, not a number
    ['ABCD', false],
    ['', false],
  ])('%j → %s', (text, expected) => expect(looksLikeTrackingNumber(text)).toBe(expected));
});
