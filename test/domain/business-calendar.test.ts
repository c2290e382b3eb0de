import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  CalendarError,
  endOfBusinessDay,
  atLocalTimeOn,
  endOfLocalDay,
  isBusinessTime,
  localDate,
  nextBusinessOpening,
  validateCalendar,
  type BusinessCalendar,
} from '../../domain/index.js';

// National Day 2026 (国庆): Thu 1 – Wed 7 October off; Sunday 20 September and Saturday 10 October
// are worked to make up for it (调休).
const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  extraWorkingDays: ['2026-09-20', '2026-10-10'],
};
const newYork: BusinessCalendar = { ...shanghai, timeZone: 'America/New_York', holidays: [], extraWorkingDays: [] };
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('isBusinessTime: [open, close) on business days', () => {
  it('09:00:00.000 is in, 18:00:00.000 is out, one millisecond each side', () => {
    expect(isBusinessTime(shanghai, at('2026-11-23T08:59:59.999+08:00'))).toBe(false);
    expect(isBusinessTime(shanghai, at('2026-11-23T09:00:00.000+08:00'))).toBe(true);
    expect(isBusinessTime(shanghai, at('2026-11-23T17:59:59.999+08:00'))).toBe(true);
    expect(isBusinessTime(shanghai, at('2026-11-23T18:00:00.000+08:00'))).toBe(false);
  });
  it('weekends and holidays are out, make-up days are in', () => {
    expect(isBusinessTime(shanghai, at('2026-11-22T12:00:00+08:00'))).toBe(false); // Sunday
    expect(isBusinessTime(shanghai, at('2026-10-01T12:00:00+08:00'))).toBe(false); // Thursday, holiday
    expect(isBusinessTime(shanghai, at('2026-10-10T12:00:00+08:00'))).toBe(true); // Saturday, 调休
    expect(isBusinessTime(shanghai, at('2026-09-20T12:00:00+08:00'))).toBe(true); // Sunday, 调休
    expect(isBusinessTime(shanghai, at('2026-10-03T12:00:00+08:00'))).toBe(false); // ordinary Saturday
  });
  it('uses the local date, not the UTC one', () => {
    // Monday 00:30 in Shanghai is still Sunday 16:30 in UTC.
    expect(localDate(shanghai, at('2026-11-23T00:30:00+08:00'))).toBe('2026-11-23');
    expect(isBusinessTime(shanghai, at('2026-11-23T10:00:00+08:00'))).toBe(true); // 02:00 UTC
    expect(isBusinessTime(shanghai, at('2026-11-21T09:30:00+08:00'))).toBe(false); // Saturday local, Saturday 01:30 UTC
  });
});

describe('endOfBusinessDay: the same-day solution deadline', () => {
  const deadline = (t: string) => iso(endOfBusinessDay(shanghai, at(t)));
  it('during business hours and before opening: that day at closing time', () => {
    expect(deadline('2026-11-23T10:30:00+08:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(deadline('2026-11-23T07:00:00+08:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(deadline('2026-11-23T00:00:00+08:00')).toBe('2026-11-23T10:00:00.000Z');
    expect(deadline('2026-11-23T09:00:00.000+08:00')).toBe('2026-11-23T10:00:00.000Z');
  });
  it('exactly at closing: the next business day; one millisecond before: the same day', () => {
    expect(deadline('2026-11-23T18:00:00.000+08:00')).toBe('2026-11-24T10:00:00.000Z');
    expect(deadline('2026-11-23T17:59:59.999+08:00')).toBe('2026-11-23T10:00:00.000Z');
  });
  it('after hours on Friday and on the weekend: Monday', () => {
    expect(deadline('2026-11-27T20:00:00+08:00')).toBe('2026-11-30T10:00:00.000Z');
    expect(deadline('2026-11-28T11:00:00+08:00')).toBe('2026-11-30T10:00:00.000Z');
    expect(deadline('2026-11-29T23:59:59.999+08:00')).toBe('2026-11-30T10:00:00.000Z');
  });
  it('holidays are skipped and make-up days count', () => {
    // Wednesday 30 Sep after hours → 1, 2 Oct holidays, 3, 4 weekend, 5–7 holidays → Thursday 8 Oct.
    expect(deadline('2026-09-30T19:00:00+08:00')).toBe('2026-10-08T10:00:00.000Z');
    // On a holiday morning → the next business day.
    expect(deadline('2026-10-06T10:00:00+08:00')).toBe('2026-10-08T10:00:00.000Z');
    // Friday 9 Oct after hours → Saturday 10 Oct is worked.
    expect(deadline('2026-10-09T19:00:00+08:00')).toBe('2026-10-10T10:00:00.000Z');
    // Saturday 19 Sep → Sunday 20 Sep is worked.
    expect(deadline('2026-09-19T12:00:00+08:00')).toBe('2026-09-20T10:00:00.000Z');
  });
  it('is DST-correct in America/New_York (spring forward 8 March, fall back 1 November 2026)', () => {
    const ny = (t: string) => iso(endOfBusinessDay(newYork, at(t)));
    // Friday 6 March 20:00 EST → Monday 9 March 18:00 EDT = 22:00 UTC (not 23:00).
    expect(ny('2026-03-06T20:00:00-05:00')).toBe('2026-03-09T22:00:00.000Z');
    expect(ny('2026-03-05T12:00:00-05:00')).toBe('2026-03-05T23:00:00.000Z');
    // Opened during the skipped hour's Sunday → Monday, EDT.
    expect(ny('2026-03-08T03:30:00-04:00')).toBe('2026-03-09T22:00:00.000Z');
    // Friday 30 October 20:00 EDT → Monday 2 November 18:00 EST = 23:00 UTC.
    expect(ny('2026-10-30T20:00:00-04:00')).toBe('2026-11-02T23:00:00.000Z');
  });
});

describe('nextBusinessOpening', () => {
  const next = (cal: BusinessCalendar, t: string) => iso(nextBusinessOpening(cal, at(t)));
  it('is the instant itself during business hours', () => {
    expect(next(shanghai, '2026-11-23T09:00:00.000+08:00')).toBe('2026-11-23T01:00:00.000Z');
    expect(next(shanghai, '2026-11-23T12:34:56.789+08:00')).toBe('2026-11-23T04:34:56.789Z');
  });
  it('otherwise the next opening: same morning, next day, after weekend and holidays', () => {
    expect(next(shanghai, '2026-11-23T08:59:59.999+08:00')).toBe('2026-11-23T01:00:00.000Z');
    expect(next(shanghai, '2026-11-23T18:00:00.000+08:00')).toBe('2026-11-24T01:00:00.000Z');
    expect(next(shanghai, '2026-11-27T19:00:00+08:00')).toBe('2026-11-30T01:00:00.000Z');
    expect(next(shanghai, '2026-09-30T18:00:00+08:00')).toBe('2026-10-08T01:00:00.000Z');
    expect(next(shanghai, '2026-10-09T18:30:00+08:00')).toBe('2026-10-10T01:00:00.000Z');
  });
  it('across DST in New York: Monday 09:00 EDT is 13:00 UTC, the Friday before 09:00 EST was 14:00 UTC', () => {
    expect(next(newYork, '2026-03-06T08:00:00-05:00')).toBe('2026-03-06T14:00:00.000Z');
    expect(next(newYork, '2026-03-07T10:00:00-05:00')).toBe('2026-03-09T13:00:00.000Z');
    expect(isBusinessTime(newYork, at('2026-03-09T12:59:59.999Z'))).toBe(false);
    expect(isBusinessTime(newYork, at('2026-03-09T13:00:00.000Z'))).toBe(true);
  });
  it('an opening time skipped by DST moves forward by the jump; a repeated one takes the first', () => {
    const night: BusinessCalendar = { ...newYork, workingDays: [1, 2, 3, 4, 5, 6, 7], open: '02:30', close: '05:00' };
    // 8 March: 02:30 does not exist (02:00 EST → 03:00 EDT) → 03:30 EDT = 07:30 UTC.
    expect(next(night, '2026-03-08T00:00:00-05:00')).toBe('2026-03-08T07:30:00.000Z');
    const early: BusinessCalendar = { ...night, open: '01:30' };
    // 1 November: 01:30 happens twice → the first, 01:30 EDT = 05:30 UTC.
    expect(next(early, '2026-11-01T00:00:00-04:00')).toBe('2026-11-01T05:30:00.000Z');
  });
});

describe('addBusinessDays: closing time of the n-th business day after', () => {
  const add = (cal: BusinessCalendar, t: string, n: number) => iso(addBusinessDays(cal, at(t), n));
  it('n = 0 is the same-day deadline', () => {
    expect(add(shanghai, '2026-11-23T10:00:00+08:00', 0)).toBe(iso(endOfBusinessDay(shanghai, at('2026-11-23T10:00:00+08:00'))));
    expect(add(shanghai, '2026-11-23T19:00:00+08:00', 0)).toBe('2026-11-24T10:00:00.000Z');
  });
  it('counts business days only', () => {
    expect(add(shanghai, '2026-11-27T10:00:00+08:00', 2)).toBe('2026-12-01T10:00:00.000Z'); // Fri → Tue
    expect(add(shanghai, '2026-11-27T19:00:00+08:00', 1)).toBe('2026-12-01T10:00:00.000Z'); // Fri evening counts as Mon
    expect(add(shanghai, '2026-09-30T10:00:00+08:00', 1)).toBe('2026-10-08T10:00:00.000Z'); // over National Day
    expect(add(shanghai, '2026-10-08T10:00:00+08:00', 2)).toBe('2026-10-10T10:00:00.000Z'); // Thu → Sat (调休)
  });
  it('across the DST switch', () => {
    expect(add(newYork, '2026-03-05T10:00:00-05:00', 2)).toBe('2026-03-09T22:00:00.000Z');
    expect(add(newYork, '2026-10-29T10:00:00-04:00', 2)).toBe('2026-11-02T23:00:00.000Z');
  });
  it('refuses negative and fractional days', () => {
    expect(() => addBusinessDays(shanghai, at('2026-11-23T10:00:00+08:00'), -1)).toThrow(RangeError);
    expect(() => addBusinessDays(shanghai, at('2026-11-23T10:00:00+08:00'), 1.5)).toThrow(RangeError);
  });
});

describe('calendar validation', () => {
  it('reports every problem with its field path', () => {
    const problems = validateCalendar({
      ...shanghai,
      timeZone: 'Mars/Olympus',
      workingDays: [1, 8, 1, 0],
      open: '9am',
      close: '24:00',
      holidays: ['2026-02-30', 'tomorrow', '2026-10-01'],
      extraWorkingDays: ['2026-10-10', '2026-10-01'],
    });
    expect(problems.map((p) => p.field)).toEqual([
      'businessHours.timeZone',
      'businessHours.workingDays[1]',
      'businessHours.workingDays[2]',
      'businessHours.workingDays[3]',
      'businessHours.open',
      'businessHours.close',
      'businessHours.holidays[0]',
      'businessHours.holidays[1]',
      'businessHours.extraWorkingDays[1]',
    ]);
    expect(problems[1]!.reason).toBe('must be an ISO weekday 1 (Monday) … 7 (Sunday), got 8');
    expect(problems[2]!.reason).toBe('weekday 1 is listed twice');
    expect(problems[8]!.reason).toBe('2026-10-01 is also a holiday');
  });
  it('close must be after open; a calendar needs a working day; it must be an object', () => {
    expect(validateCalendar({ ...shanghai, open: '18:00', close: '09:00' })).toEqual([{ field: 'businessHours.close', reason: 'must be after open' }]);
    expect(validateCalendar({ ...shanghai, workingDays: [], extraWorkingDays: [] })).toEqual([{ field: 'businessHours.workingDays', reason: 'must name at least one working day' }]);
    expect(validateCalendar(null)).toEqual([{ field: 'businessHours', reason: 'must be an object' }]);
    expect(validateCalendar(shanghai)).toEqual([]);
    expect(validateCalendar(newYork)).toEqual([]);
  });
  it('every function refuses a bad calendar with a CalendarError naming the problems', () => {
    const bad = { ...shanghai, timeZone: 'Nowhere/City' };
    for (const fn of [isBusinessTime, endOfBusinessDay, nextBusinessOpening, (c: BusinessCalendar, t: number) => addBusinessDays(c, t, 1)]) {
      expect(() => fn(bad, 0)).toThrow(CalendarError);
    }
    expect(() => endOfBusinessDay(bad, 0)).toThrow(/businessHours\.timeZone must be an IANA time zone/);
  });
});

describe('a time given in days ends with the local day (endOfLocalDay)', () => {
  const at = (iso: string) => Date.parse(iso);
  const days = (n: number) => n * 86_400_000;

  it('at 23:59:59.999 there, on the day the exact end falls on, whatever the hour it began', () => {
    // 04:01 Beijing time on 4 December, 7 days: the end of 11 December there (15:59:59.999 UTC).
    expect(new Date(endOfLocalDay(shanghai, at('2026-12-03T20:01:00Z') + days(7))).toISOString()).toBe('2026-12-11T15:59:59.999Z');
    // 23:30 the same day: the same end, though it came 19 hours later.
    expect(endOfLocalDay(shanghai, at('2026-12-04T15:30:00Z') + days(7))).toBe(at('2026-12-11T15:59:59.999Z'));
  });

  it('never sooner than the exact end: half a day from 23:00 ends the next day', () => {
    // 23:00 Beijing time on 4 December + 12 h = 11:00 on the 5th: the end of the 5th, not of the 4th.
    expect(endOfLocalDay(shanghai, at('2026-12-04T15:00:00Z') + days(0.5))).toBe(at('2026-12-05T15:59:59.999Z'));
    expect(endOfLocalDay(shanghai, at('2026-12-04T15:00:00Z') + days(1.5))).toBe(at('2026-12-06T15:59:59.999Z'));
  });

  it('counts local days across a daylight-saving change (Berlin, 25 October 2026: a 25-hour day)', () => {
    const berlin = { timeZone: 'Europe/Berlin' };
    // Friday 23 October 10:00 CEST + 3 × 24 h: Monday 26 October, which ends at 23:59:59.999 CET (22:59:59.999 UTC).
    expect(new Date(endOfLocalDay(berlin, at('2026-10-23T08:00:00Z') + days(3))).toISOString()).toBe('2026-10-26T22:59:59.999Z');
  });

  it('finds a local time on the day of an instant (the closing time a reminder moves to)', () => {
    expect(new Date(atLocalTimeOn(shanghai, at('2026-12-10T15:59:59.999Z'), '18:00')).toISOString()).toBe('2026-12-10T10:00:00.000Z');
  });
});
