import { describe, expect, it } from 'vitest';
import { claimSchedule } from '../../domain/index.js';

const DAY = 86_400_000;
const contract = { claimWindowDays: 30, followUpEveryDays: 3, escalateBeforeCloseDays: 5 };

describe('the courier claim timetable', () => {
  it('counts the window from shipment, escalates N days before it closes, follows up every N days', () => {
    expect(claimSchedule(contract, 1_000, 8_000)).toEqual({ windowClosesAt: 1_000 + 30 * DAY, escalateAt: 1_000 + 25 * DAY, followUpEveryMs: 3 * DAY, claimableMinor: 8_000 });
  });

  it("claims at most the carrier's per-parcel limit", () => {
    expect(claimSchedule({ ...contract, maxClaimMinor: 5_000 }, 0, 8_000).claimableMinor).toBe(5_000);
    expect(claimSchedule({ ...contract, maxClaimMinor: 5_000 }, 0, 4_000).claimableMinor).toBe(4_000);
  });

  it('refuses a contract or an amount that cannot be right', () => {
    expect(() => claimSchedule({ ...contract, claimWindowDays: 0 }, 0, 1)).toThrow(/claimWindowDays > 0/);
    expect(() => claimSchedule({ ...contract, followUpEveryDays: -1 }, 0, 1)).toThrow(RangeError);
    expect(() => claimSchedule(contract, 0, -5)).toThrow(/≥ 0/);
    expect(() => claimSchedule(contract, 0, 1.5)).toThrow(/whole/);
  });
});
