/**
 * A range of the merchant's local days as the figures and the register take it: `from` included,
 * `to` not (the day after the last one counted), so that consecutive requests meet without a
 * day counted twice; `to` left out is the day after `from`: that one day.
 */
import { Type } from 'typebox';
import { badRequest } from './errors.js';
import { LOCAL_DATE } from './validation-problems.js';

export const LocalDate = Type.String({ pattern: LOCAL_DATE, description: 'a local date, YYYY-MM-DD' });
export const FromDay = Type.String({ pattern: LOCAL_DATE, description: "the first local day counted (in the merchant's zone), YYYY-MM-DD" });
export const ToDay = Type.String({ pattern: LOCAL_DATE, description: 'the day after the last one counted (not included), YYYY-MM-DD: from=2026-12-04&to=2026-12-05 is that one day; left out, the day after from' });

/** Whether `d` (YYYY-MM-DD) is a day of the calendar: 2026-02-30 matches the pattern and is not. */
export const isRealDate = (d: string) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/** `to` as given or defaulted, checked: real days, after `from`, at most `maxDays` of them. */
export function localDayRange(q: { from: string; to?: string }, maxDays: number): { from: string; to: string } {
  const dayAfterFrom = nextDay(q.from);
  const to = q.to ?? dayAfterFrom;
  for (const [field, d] of [['from', q.from], ['to', to]] as const) if (!isRealDate(d)) throw badRequest(`querystring.${field}`, `${d} is not a date`);
  const days = (Date.parse(to) - Date.parse(q.from)) / 86_400_000;
  if (days <= 0) throw badRequest('querystring.to', `must be after from: to is the day after the last one counted (from=${q.from}&to=${dayAfterFrom} is that one day)`);
  if (days > maxDays) throw badRequest('querystring.to', `at most ${maxDays} days per request`);
  return { from: q.from, to };
}

/** The day after `day` (YYYY-MM-DD). */
export const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
