import { describe, expect, it } from 'vitest';
import { addBusinessDays, endOfBusinessDay, isBusinessTime, nextBusinessOpening, validateCalendar, type BusinessCalendar } from '../../domain/index.js';

const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  holidays: ['2026-10-01', '2026-10-02'],
  extraWorkingDays: ['2026-10-10'], // a Saturday worked to make up for the holiday (调休)
};
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('same-day solution deadline (endOfBusinessDay)', () => {
  it('during business hours: that day at closing time', () => {
    expect(iso(endOfBusinessDay(shanghai, at('2026-11-23T10:30:00+08:00')))).toBe('2026-11-23T10:00:00.000Z');
  });
  it('before opening on a business day: that day', () => {
    expect(iso(endOfBusinessDay(shanghai, at('2026-11-23T07:00:00+08:00')))).toBe('2026-11-23T10:00:00.000Z');
  });
  it('exactly at closing: the next business day; one millisecond before: the same day', () => {
    expect(iso(endOfBusinessDay(shanghai, at('2026-11-23T18:00:00+08:00')))).toBe('2026-11-24T10:00:00.000Z');
    expect(iso(endOfBusinessDay(shanghai, at('2026-11-23T17:59:59.999+08:00')))).toBe('2026-11-23T10:00:00.000Z');
  });
  it('after hours on Friday: Monday', () => {
    expect(iso(endOfBusinessDay(shanghai, at('2026-11-27T20:00:00+08:00')))).toBe('2026-11-30T10:00:00.000Z');
  });
  it('holidays are skipped and make-up Saturdays count', () => {
    // Wednesday 30 Sep after hours → Thu 1 Oct and Fri 2 Oct are holidays → Monday 5 Oct.
    expect(iso(endOfBusinessDay(shanghai, at('2026-09-30T19:00:00+08:00')))).toBe('2026-10-05T10:00:00.000Z');
    // Friday 9 Oct after hours → Saturday 10 Oct is a working day.
    expect(iso(endOfBusinessDay(shanghai, at('2026-10-09T19:00:00+08:00')))).toBe('2026-10-10T10:00:00.000Z');
  });
  it('is DST-correct (America/New_York, spring forward 8 March 2026)', () => {
    const ny: BusinessCalendar = { ...shanghai, timeZone: 'America/New_York', holidays: [], extraWorkingDays: [] };
    // Friday 6 March 20:00 EST → Monday 9 March 18:00 EDT = 22:00 UTC (not 23:00).
    expect(iso(endOfBusinessDay(ny, at('2026-03-06T20:00:00-05:00')))).toBe('2026-03-09T22:00:00.000Z');
    expect(iso(endOfBusinessDay(ny, at('2026-03-05T12:00:00-05:00')))).toBe('2026-03-05T23:00:00.000Z');
  });
});

describe('business time', () => {
  it('opening is inside, closing is outside', () => {
    expect(isBusinessTime(shanghai, at('2026-11-23T09:00:00+08:00'))).toBe(true);
    expect(isBusinessTime(shanghai, at('2026-11-23T08:59:59.999+08:00'))).toBe(false);
    expect(isBusinessTime(shanghai, at('2026-11-23T18:00:00+08:00'))).toBe(false);
    expect(isBusinessTime(shanghai, at('2026-11-22T12:00:00+08:00'))).toBe(false); // Sunday
  });
  it('next opening and n business days later', () => {
    expect(iso(nextBusinessOpening(shanghai, at('2026-11-27T19:00:00+08:00')))).toBe('2026-11-30T01:00:00.000Z');
    expect(iso(addBusinessDays(shanghai, at('2026-11-27T10:00:00+08:00'), 2))).toBe('2026-12-01T10:00:00.000Z');
  });
  it('reports bad configuration precisely', () => {
    const problems = validateCalendar({ ...shanghai, timeZone: 'Mars/Olympus', workingDays: [0, 8], open: '9am', close: '08:00', holidays: ['2026-13-40'] });
    expect(problems.map((p) => p.field)).toEqual([
      'businessHours.timeZone',
      'businessHours.workingDays',
      'businessHours.open',
      'businessHours.holidays',
    ]);
    expect(validateCalendar({ ...shanghai, open: '18:00', close: '09:00' })).toEqual([{ field: 'businessHours.close', reason: 'must be after open' }]);
  });
});
