import { describe, expect, it } from 'vitest';
import { CARRIER_NAMES, carrierCodeOf, carrierName, isCarrierCode, KNOWN_CARRIERS } from '../../domain/carriers.js';

describe('carrier codes', () => {
  it('a known carrier by any of its names, in any case or width, is its code', () => {
    expect(carrierCodeOf('顺丰')).toBe('SF');
    expect(carrierCodeOf(' 顺丰速运 ')).toBe('SF');
    expect(carrierCodeOf('SF Express')).toBe('SF');
    expect(carrierCodeOf('sf')).toBe('SF');
    expect(carrierCodeOf('ＳＦ')).toBe('SF');
    expect(carrierCodeOf('中通\u3000快递')).toBe('ZTO');
    expect(carrierCodeOf('j&t express')).toBe('JTEXPRESS');
    expect(carrierCodeOf('中国邮政 EMS')).toBe('EMS');
    // Pasted from a phone, which wraps words in direction isolates (U+2066 … U+2069).
    expect(carrierCodeOf('\u2066顺丰\u2069')).toBe('SF');
    expect(carrierCodeOf('sf-express')).toBe('SF');
    expect(carrierCodeOf('ZTO_EXPRESS')).toBe('ZTO');
    // A code or short name with a carrier word after it, as a clerk types it (a warehouse trial's "SF快递" was refused).
    expect(carrierCodeOf('SF快递')).toBe('SF');
    expect(carrierCodeOf('yto 快递')).toBe('YTO');
    expect(carrierCodeOf('圆通express')).toBe('YTO');
    // Freight companies of the same groups are other carriers, with numbers of their own.
    expect(carrierCodeOf('中通快运')).not.toBe('ZTO');
    expect(carrierCodeOf('韵达快运')).not.toBe('YUNDA');
  });

  it("another carrier's code is taken upper-cased; other text comes back trimmed, and is no code", () => {
    expect(carrierCodeOf('best')).toBe('BEST');
    expect(carrierCodeOf('  ')).toBe('');
    expect(carrierCodeOf(' 小件快递 ')).toBe('小件快递');
    expect(isCarrierCode(carrierCodeOf('小件快递'))).toBe(false);
    expect(isCarrierCode(carrierCodeOf('Some Express'))).toBe(false);
    expect(isCarrierCode('BEST-EXPRESS_2')).toBe(true);
  });

  it('every name names its own carrier (a name listed under two carriers would fail for one of them)', () => {
    for (const [code, names] of Object.entries(KNOWN_CARRIERS)) {
      expect(isCarrierCode(code)).toBe(true);
      for (const name of names) expect(carrierCodeOf(name), name).toBe(code);
    }
  });

  it('every known carrier has a name in each language, which names it back', () => {
    expect(Object.keys(CARRIER_NAMES).sort()).toEqual(Object.keys(KNOWN_CARRIERS).sort());
    for (const [code, names] of Object.entries(CARRIER_NAMES)) {
      for (const name of Object.values(names)) expect(carrierCodeOf(name), name).toBe(code);
      expect(carrierName(code, 'zh-CN')).toBe(names['zh-CN']);
      expect(carrierName(code.toLowerCase(), 'en')).toBe(names.en);
    }
    expect(carrierName('中通', 'en')).toBe('ZTO Express');
    expect(carrierName('小件快递', 'en')).toBe('小件快递');
  });
});
