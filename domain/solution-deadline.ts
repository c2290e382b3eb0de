/**
 * The same-day solution deadline (003 §8 所有售后问题必须当天给出顾客解决方案) of every case, and
 * the sentence that tells an agent or a customer why it is what it is.
 *
 * "The same day" is the merchant's choice for a case opened when the shop is closed (after closing
 * time, or on a weekend or holiday), `rules.sameDayMeans`:
 * - BUSINESS_DAY (the default, and what every policy published before the rule means): closing
 *   time of the next business day.
 * - CALENDAR_DAY: the end of that calendar day in the shop's time zone, i.e. local midnight.
 *
 * Why midnight and not that day's closing time: after hours the closing time has already passed,
 * so every such case would be born late — escalated to a supervisor at once, with nobody able to
 * have prevented it. A merchant who picks CALENDAR_DAY promises "an answer on the day you asked",
 * which ends at midnight. (A case opened at 23:50 then has ten minutes: that is the promise.)
 *
 * A case opened on a business day before closing time (also before opening) is due at that day's
 * closing time under both readings: the choice is only about the hours the shop is closed, so it
 * never loosens the daytime promise the team works to.
 */
import { endOfBusinessDay, isBusinessDay, localDate, startOfLocalDate } from './business-calendar.js';
import type { Policy, SameDayMeans } from './policy.js';

/** Where the opening fell: before closing time of a business day, after it, or on a day off. */
export type OpeningSituation = 'BEFORE_CLOSING' | 'AFTER_CLOSING' | 'DAY_OFF';

export interface SolutionDeadlineExplanation {
  /** The reading that applied (a policy without the rule reads BUSINESS_DAY). */
  sameDayMeans: SameDayMeans;
  situation: OpeningSituation;
  /** Epoch ms: the same instant `solutionDeadline` gives. */
  dueAt: number;
  /** One sentence with local days and times, e.g. "opened after closing time (18:00) on Friday …". */
  text: string;
}

type DeadlinePolicy = Pick<Policy, 'rules' | 'businessHours'>;

const DAY = 86_400_000;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/**
 * The case's solution deadline. For BUSINESS_DAY (or no value) it is exactly
 * `endOfBusinessDay(businessHours, openedAt)`, the computation every workflow made before the
 * rule existed, so replaying a running case gives the same timer.
 */
export function solutionDeadline(policy: DeadlinePolicy, openedAt: number): number {
  const cal = policy.businessHours;
  const businessDue = endOfBusinessDay(cal, openedAt);
  if (policy.rules.sameDayMeans !== 'CALENDAR_DAY') return businessDue;
  const opened = localDate(cal, openedAt);
  // Due the day it opened: the shop is still to close that day, closing time stays the deadline.
  if (localDate(cal, businessDue) === opened) return businessDue;
  return startOfLocalDate(cal, nextDate(opened));
}

/** The deadline with the reading that applied and a sentence saying why (the case view shows it). */
export function explainSolutionDeadline(policy: DeadlinePolicy, openedAt: number): SolutionDeadlineExplanation {
  const cal = policy.businessHours;
  const sameDayMeans: SameDayMeans = policy.rules.sameDayMeans ?? 'BUSINESS_DAY';
  const dueAt = solutionDeadline(policy, openedAt);
  const opened = localDate(cal, openedAt);
  const situation: OpeningSituation = !isBusinessDay(cal, opened) ? 'DAY_OFF' : localDate(cal, endOfBusinessDay(cal, openedAt)) === opened ? 'BEFORE_CLOSING' : 'AFTER_CLOSING';

  const when = (t: number) => `${weekday(localDate(cal, t))} ${localDate(cal, t)} ${hhmm(cal.timeZone, t)}`;
  const how =
    situation === 'BEFORE_CLOSING'
      ? `opened on ${when(openedAt)}, a business day before closing time (${cal.close})`
      : situation === 'AFTER_CLOSING'
        ? `opened after closing time (${cal.close}) on ${when(openedAt)}`
        : `opened on ${when(openedAt)}, not a business day`;
  const due =
    situation === 'BEFORE_CLOSING'
      ? `due at closing time the same day, ${when(dueAt)}`
      : sameDayMeans === 'CALENDAR_DAY'
        ? `due by the end of the same calendar day, ${weekday(opened)} ${opened} 24:00`
        : `due at the end of the next business day, ${when(dueAt)}`;
  const reading = sameDayMeans === 'CALENDAR_DAY' ? 'calendar day' : 'business day';
  return { sameDayMeans, situation, dueAt, text: `${how}: ${due} (${cal.timeZone}; policy: same day means ${reading})` };
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const weekday = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

const clocks = new Map<string, Intl.DateTimeFormat>();
/** Local wall-clock time 'HH:MM' of instant `t` in `timeZone`. */
function hhmm(timeZone: string, t: number): string {
  let f = clocks.get(timeZone);
  if (!f) clocks.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })));
  return f.format(t);
}
