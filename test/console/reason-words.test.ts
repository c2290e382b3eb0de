/**
 * A return line's reason says what the customer chose, never whether the return is in time: a
 * no-reason return past its window (handed to an agent because it is outside the 7-day window)
 * read "No reason (within the no-reason return window)" on each line. The dictionaries themselves.
 */
import { describe, expect, it } from 'vitest';
import { consoleEn } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../../console/src/lib/i18n/console-zh.js';

describe('the words of a no-reason return line', () => {
  it('name the kind of return, not the window', () => {
    expect(consoleEn['reason.NO_REASON']).toBe('No reason (no-reason return)');
    expect(consoleZh['reason.NO_REASON']).toBe('无理由退货');
    for (const words of [consoleEn['reason.NO_REASON'], consoleZh['reason.NO_REASON']]) expect(words).not.toMatch(/within|window|期限|期内|天内/);
  });
});
