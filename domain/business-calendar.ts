/**
 * Business hours as data, and the instants they define. Pure and deterministic (runs inside
 * workflows): times are epoch milliseconds in and out; time zones come from `Intl`, so DST and
 * zones without DST are both right.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Opening and closing time, local, 'HH:MM'. */
  open: string;
  close: string;
  /** Local dates 'YYYY-MM-DD' that are not working days although their weekday is. */
  holidays: string[];
  /** Local dates that are working days although their weekday is not (调休 make-up days). */
  extraWorkingDays: string[];
}

export interface CalendarProblem {
  field: string;
  reason: string;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function validateCalendar(cal: BusinessCalendar, path = 'businessHours'): CalendarProblem[] {
  const problems: CalendarProblem[] = [];
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: cal.timeZone });
  } catch {
    problems.push({ field: `${path}.timeZone`, reason: `unknown time zone ${JSON.stringify(cal.timeZone)}` });
  }
  if (!Array.isArray(cal.workingDays) || cal.workingDays.some((d) => !Number.isInteger(d) || d < 1 || d > 7)) {
    problems.push({ field: `${path}.workingDays`, reason: 'must be ISO weekdays 1 (Monday) … 7 (Sunday)' });
  }
  if (!HHMM.test(cal.open)) problems.push({ field: `${path}.open`, reason: "must be 'HH:MM'" });
  if (!HHMM.test(cal.close)) problems.push({ field: `${path}.close`, reason: "must be 'HH:MM'" });
  if (HHMM.test(cal.open) && HHMM.test(cal.close) && cal.close <= cal.open) problems.push({ field: `${path}.close`, reason: 'must be after open' });
  for (const [key, list] of [['holidays', cal.holidays], ['extraWorkingDays', cal.extraWorkingDays]] as const) {
    if (!Array.isArray(list) || list.some((d) => !DATE.test(d) || Number.isNaN(Date.parse(`${d}T00:00:00Z`)))) {
      problems.push({ field: `${path}.${key}`, reason: "must be a list of dates 'YYYY-MM-DD'" });
    }
  }
  return problems;
}

interface LocalParts {
  date: string;
  weekday: number;
  minutes: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Offset of `timeZone` from UTC at instant `t`, in ms (Asia/Shanghai: +8 h). */
function offsetAt(timeZone: string, t: number): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(t / 1000) * 1000;
}

function local(cal: BusinessCalendar, t: number): LocalParts {
  const shifted = new Date(t + offsetAt(cal.timeZone, t));
  const date = shifted.toISOString().slice(0, 10);
  const weekday = ((shifted.getUTCDay() + 6) % 7) + 1;
  return { date, weekday, minutes: shifted.getUTCHours() * 60 + shifted.getUTCMinutes() + shifted.getUTCSeconds() / 60 + shifted.getUTCMilliseconds() / 60000 };
}

/** The instant at local `date` + `hhmm` in the calendar's zone (twice-corrected for DST changes). */
function instant(cal: BusinessCalendar, date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const [hh, mm] = hhmm.split(':').map(Number) as [number, number];
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  let t = wall - offsetAt(cal.timeZone, wall);
  t = wall - offsetAt(cal.timeZone, t);
  return t;
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

function weekdayOf(date: string): number {
  return ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;
}

export function isBusinessDay(cal: BusinessCalendar, date: string): boolean {
  if (cal.extraWorkingDays.includes(date)) return true;
  return cal.workingDays.includes(weekdayOf(date)) && !cal.holidays.includes(date);
}

const toMinutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export function isBusinessTime(cal: BusinessCalendar, t: number): boolean {
  const l = local(cal, t);
  return isBusinessDay(cal, l.date) && l.minutes >= toMinutes(cal.open) && l.minutes < toMinutes(cal.close);
}

/** The first business day strictly after `date` (a year of holidays at most is searched). */
function nextBusinessDay(cal: BusinessCalendar, date: string): string {
  let d = nextDate(date);
  for (let i = 0; i < 400; i++, d = nextDate(d)) if (isBusinessDay(cal, d)) return d;
  throw new Error('the business calendar has no working day within a year');
}

/**
 * The same-day solution deadline (003 §8): opened on a business day before closing → that day's
 * closing time; after closing, or on a day off → the closing time of the next business day.
 */
export function endOfBusinessDay(cal: BusinessCalendar, t: number): number {
  const l = local(cal, t);
  if (isBusinessDay(cal, l.date) && l.minutes < toMinutes(cal.close)) return instant(cal, l.date, cal.close);
  return instant(cal, nextBusinessDay(cal, l.date), cal.close);
}

/** The next opening at or after `t`. */
export function nextBusinessOpening(cal: BusinessCalendar, t: number): number {
  const l = local(cal, t);
  if (isBusinessDay(cal, l.date) && l.minutes < toMinutes(cal.open)) return instant(cal, l.date, cal.open);
  if (isBusinessTime(cal, t)) return t;
  return instant(cal, nextBusinessDay(cal, l.date), cal.open);
}

/** Closing time `n` business days after the business day `t` falls in (or the next one, after hours). */
export function addBusinessDays(cal: BusinessCalendar, t: number, n: number): number {
  let date = local(cal, endOfBusinessDay(cal, t)).date;
  for (let i = 0; i < n; i++) date = nextBusinessDay(cal, date);
  return instant(cal, date, cal.close);
}
