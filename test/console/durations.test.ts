/**
 * How long until (or since) a deadline, as the countdown says it: under a minute the seconds alone
 * ("40 s ago" — a trial read "0 min 40 s ago"), in both languages. The language is mocked as in
 * money.test.ts.
 */
import { describe, expect, it, vi } from 'vitest';

const lang = vi.hoisted(() => ({ current: 'en' as 'en' | 'zh-CN' }));
vi.mock('../../console/src/lib/i18n/lang.svelte.ts', () => ({ LANGS: ['zh-CN', 'en'], currentLang: () => lang.current, setLang: (l: 'en' | 'zh-CN') => (lang.current = l) }));
// Imported by a computed name: the root type check (node16 resolution) does not follow into i18n's extensionless imports.
const I18N = '../../console/src/lib/i18n/index.js';
const { formatDuration } = (await import(/* @vite-ignore */ I18N)) as { formatDuration: (ms: number) => string };

describe('a countdown’s duration', () => {
  it('in English: seconds alone under a minute, minutes and seconds, hours and minutes', () => {
    lang.current = 'en';
    expect(formatDuration(-40_000)).toBe('40 s');
    expect(formatDuration(0)).toBe('0 s');
    expect(formatDuration(65_000)).toBe('1 min 05 s');
    expect(formatDuration(3_660_000)).toBe('1 h 01 min');
  });

  it('in Chinese likewise', () => {
    lang.current = 'zh-CN';
    expect(formatDuration(40_000)).toBe('40秒');
    expect(formatDuration(65_000)).toBe('1分05秒');
    lang.current = 'en';
  });
});
