/** How far apart reminders nobody answers come (domain/reminders.ts). */
import { describe, expect, it } from 'vitest';
import { hoursUntilReminder } from '../../domain/reminders.js';

describe('reminders nobody answers', () => {
  it('under a day apart: each twice the one before, up to a day, then daily', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((n) => hoursUntilReminder(1, n))).toEqual([1, 2, 4, 8, 16, 24, 24, 24]);
    // A what-if's 3-minute policy: a day after 9 reminders, and no overflow however long it waits.
    expect(hoursUntilReminder(0.05, 9)).toBe(24);
    expect(hoursUntilReminder(0.05, 5000)).toBe(24);
    expect(hoursUntilReminder(10, 1)).toBe(20);
    expect(hoursUntilReminder(10, 2)).toBe(24);
  });

  it('a day or longer: the policy interval every time', () => {
    expect([0, 1, 5].map((n) => hoursUntilReminder(24, n))).toEqual([24, 24, 24]);
    expect([0, 3].map((n) => hoursUntilReminder(48, n))).toEqual([48, 48]);
  });
});
