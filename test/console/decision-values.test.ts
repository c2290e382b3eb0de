/**
 * A refund decision's values on the case timeline: `cappedMinor` is the amount CUT because the refund
 * came to more than what is refundable (domain/return-refund.ts), so its English label says so (a
 * full refund read "Cut to what is refundable CN¥0.00"), as the Chinese does, and a cut of 0 is not
 * shown. Pure console modules, the language mocked as in money.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';
import { codesEn } from '../../console/src/lib/i18n/codes-en.js';
import { codesZh } from '../../console/src/lib/i18n/codes-zh.js';

vi.mock('../../console/src/lib/i18n/lang.svelte.ts', () => ({ LANGS: ['zh-CN', 'en'], currentLang: () => 'en', setLang: () => undefined }));
// Imported by a computed name: the root type check (node16 resolution) does not follow into i18n's extensionless imports.
const DESCRIBE = '../../console/src/lib/describe.js';
const { decisionEntries } = (await import(/* @vite-ignore */ DESCRIBE)) as { decisionEntries: (values: Record<string, unknown> | null | undefined) => Array<[string, unknown]> };

describe("a refund decision's values", () => {
  it('names cappedMinor as the amount cut, in both languages', () => {
    expect(codesEn['field.cappedMinor']).toBe('Cut because it exceeded what is refundable');
    expect(codesZh['field.cappedMinor']).toBe('超出可退金额而扣减');
  });

  it('leaves out a cut of 0, and shows a cut above 0 with the rest in order', () => {
    const full = { goodsMinor: 8_800, refundableMinor: 35_900, cappedMinor: 0, shopAtFault: false };
    expect(decisionEntries(full).map(([k]) => k)).toEqual(['goodsMinor', 'refundableMinor', 'shopAtFault']);
    expect(decisionEntries({ ...full, cappedMinor: 1_200 })).toContainEqual(['cappedMinor', 1_200]);
    expect(decisionEntries(undefined)).toEqual([]);
  });
});
