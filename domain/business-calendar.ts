/**
 * Business hours as data, and the instants they define. Pure and deterministic (runs inside
 * workflows): epoch milliseconds in and out; local dates and offsets come from `Intl`, so zones
 * with DST (America/New_York) and without (Asia/Shanghai) are both right.
 */
export interface BusinessCalendar {
  /** IANA zone the shop works in: 'Asia/Shanghai'. */
  timeZone: string;
  /** ISO weekdays that are working days: 1 = Monday … 7 = Sunday. */
  workingDays: number[];
  /** Opening and closing time, local, 'HH:MM'; open is inside business time, close is not. */
  open: string;
  close: string;
  /** Local dates 'YYYY-MM-DD' that are days off although their weekday is a working day (国庆, 春节). */
  holidays: string[];
  /** Local dates that are working days although their weekday is not (调休 make-up days). */
  extraWorkingDays: string[];
}

export interface CalendarProblem {
  field: string;
  reason: string;
}

export class CalendarError extends Error {
  constructor(readonly problems: CalendarProblem[]) {
    super(`invalid business calendar: ${problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);
    this.name = 'CalendarError';
  }
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY = 86_400_000;

function isRealDate(s: unknown): s is string {
  const m = typeof s === 'string' ? DATE.exec(s) : null;
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(t).toISOString().slice(0, 10) === s; // refuses 2026-02-30
}

function isTimeZone(tz: unknown): boolean {
  if (typeof tz !== 'string' || !tz) return false;
  try {
    formatter(tz);
    return true;
  } catch {
    return false;
  }
}

/** Every problem of a calendar, each with its field path (`businessHours.workingDays[2]`) and reason. */
export function validateCalendar(cal: unknown, path = 'businessHours'): CalendarProblem[] {
  if (typeof cal !== 'object' || cal === null || Array.isArray(cal)) return [{ field: path, reason: 'must be an object' }];
  const c = cal as Record<string, unknown>;
  const problems: CalendarProblem[] = [];
  const bad = (field: string, reason: string) => problems.push({ field: `${path}.${field}`, reason });
  if (!isTimeZone(c.timeZone)) bad('timeZone', `must be an IANA time zone such as 'Asia/Shanghai', got ${JSON.stringify(c.timeZone)}`);
  if (!Array.isArray(c.workingDays)) bad('workingDays', 'must be a list of ISO weekdays 1 (Monday) … 7 (Sunday)');
  else {
    c.workingDays.forEach((d, i) => {
      if (!Number.isInteger(d) || (d as number) < 1 || (d as number) > 7) bad(`workingDays[${i}]`, `must be an ISO weekday 1 (Monday) … 7 (Sunday), got ${JSON.stringify(d)}`);
      else if (c.workingDays && (c.workingDays as unknown[]).indexOf(d) !== i) bad(`workingDays[${i}]`, `weekday ${d} is listed twice`);
    });
  }
  for (const key of ['open', 'close'] as const) {
    if (typeof c[key] !== 'string' || !HHMM.test(c[key])) bad(key, `must be a local time 'HH:MM' (00:00 … 23:59), got ${JSON.stringify(c[key])}`);
  }
  if (HHMM.test(String(c.open)) && HHMM.test(String(c.close)) && String(c.close) <= String(c.open)) bad('close', 'must be after open');
  for (const key of ['holidays', 'extraWorkingDays'] as const) {
    const list = c[key];
    if (!Array.isArray(list)) bad(key, "must be a list of dates 'YYYY-MM-DD'");
    else list.forEach((d, i) => isRealDate(d) || bad(`${key}[${i}]`, `must be a real date 'YYYY-MM-DD', got ${JSON.stringify(d)}`));
  }
  if (Array.isArray(c.holidays) && Array.isArray(c.extraWorkingDays)) {
    c.extraWorkingDays.forEach((d, i) => {
      if ((c.holidays as unknown[]).includes(d)) bad(`extraWorkingDays[${i}]`, `${d} is also a holiday`);
    });
  }
  const hasWorkingDay = (Array.isArray(c.workingDays) && c.workingDays.length > 0) || (Array.isArray(c.extraWorkingDays) && c.extraWorkingDays.length > 0);
  if (Array.isArray(c.workingDays) && !hasWorkingDay) bad('workingDays', 'must name at least one working day');
  return problems;
}

/** Throws a CalendarError listing every problem; every public function below calls it first. */
export function assertCalendar(cal: BusinessCalendar): void {
  const problems = validateCalendar(cal);
  if (problems.length) throw new CalendarError(problems);
}

// --- local time in the calendar's zone ---

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
  const p: Record<string, string> = {};
  for (const part of formatter(timeZone).formatToParts(new Date(t))) p[part.type] = part.value;
  const wallAsUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wallAsUtc - Math.floor(t / 1000) * 1000; // Intl has no milliseconds; offsets are whole seconds
}

interface Local {
  date: string;
  /** Milliseconds since local midnight. */
  msOfDay: number;
}

function local(tz: string, t: number): Local {
  const wall = t + offsetAt(tz, t);
  const msOfDay = ((wall % DAY) + DAY) % DAY;
  return { date: new Date(wall - msOfDay).toISOString().slice(0, 10), msOfDay };
}

/**
 * The instant of local `date` at `hhmm`. A wall time skipped by a DST jump is moved forward by
 * the jump; a repeated one takes its first occurrence (the 'compatible' rule of Temporal/JS).
 */
function instant(tz: string, date: string, hhmm: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const wall = Date.UTC(y, m - 1, d) + toMs(hhmm);
  const before = wall - offsetAt(tz, wall - DAY);
  const after = wall - offsetAt(tz, wall + DAY);
  const fits = (t: number) => t + offsetAt(tz, t) === wall;
  if (fits(before) && fits(after)) return Math.min(before, after);
  if (fits(after)) return after;
  if (fits(before)) return before;
  return before; // in a gap: the offset before the jump lands after it, i.e. pushed forward
}

const toMs = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);
const weekdayOf = (date: string) => ((new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7) + 1;

/** Local date of instant `t` in the calendar's zone, 'YYYY-MM-DD'. */
export function localDate(cal: Pick<BusinessCalendar, 'timeZone'>, t: number): string {
  return local(cal.timeZone, t).date;
}

/** The instant local `date` begins in `timeZone` (its first existing moment). */
export function startOfLocalDate(cal: Pick<BusinessCalendar, 'timeZone'>, date: string): number {
  return instant(cal.timeZone, date, '00:00');
}

/**
 * The last moment (…:59.999 before midnight, local) of the local day `t` falls on: a time given to a
 * customer in days ends with their day there, not at the minute the case happened to reach that
 * step ("ship it within 7 days" read as 7 × 24 hours ended at 04:01). Called with the exact end
 * (now + n days, n possibly fractional), it is never sooner than that.
 */
export function endOfLocalDay(cal: Pick<BusinessCalendar, 'timeZone'>, t: number): number {
  return startOfLocalDate(cal, nextDate(localDate(cal, t))) - 1;
}

/** The instant of local time `hhmm` on the local day `t` falls on (the shop's closing time that day, say). */
export function atLocalTimeOn(cal: Pick<BusinessCalendar, 'timeZone'>, t: number, hhmm: string): number {
  return instant(cal.timeZone, localDate(cal, t), hhmm);
}

export function isBusinessDay(cal: BusinessCalendar, date: string): boolean {
  if (cal.extraWorkingDays.includes(date)) return true;
  return cal.workingDays.includes(weekdayOf(date)) && !cal.holidays.includes(date);
}

/** Within opening hours of a business day: [open, close), so 09:00:00.000 is in and 18:00:00.000 is out. */
export function isBusinessTime(cal: BusinessCalendar, t: number): boolean {
  assertCalendar(cal);
  const l = local(cal.timeZone, t);
  return isBusinessDay(cal, l.date) && l.msOfDay >= toMs(cal.open) && l.msOfDay < toMs(cal.close);
}

/** The first business day strictly after `date`; calendars are validated to have one, but a year of holidays stops the search. */
function nextBusinessDay(cal: BusinessCalendar, date: string): string {
  let d = nextDate(date);
  for (let i = 0; i < 400; i++, d = nextDate(d)) if (isBusinessDay(cal, d)) return d;
  throw new CalendarError([{ field: 'businessHours', reason: `has no working day in the year after ${date}` }]);
}

/**
 * The same-day solution deadline (003 §8 所有售后问题必须当天给出顾客解决方案): opened on a
 * business day before closing (also before opening) → that day's closing time; at or after
 * closing, or on a day off → the closing time of the next business day.
 */
export function endOfBusinessDay(cal: BusinessCalendar, t: number): number {
  assertCalendar(cal);
  const l = local(cal.timeZone, t);
  const date = isBusinessDay(cal, l.date) && l.msOfDay < toMs(cal.close) ? l.date : nextBusinessDay(cal, l.date);
  return instant(cal.timeZone, date, cal.close);
}

/** `t` itself during business hours, otherwise the next opening time. */
export function nextBusinessOpening(cal: BusinessCalendar, t: number): number {
  assertCalendar(cal);
  if (isBusinessTime(cal, t)) return t;
  const l = local(cal.timeZone, t);
  if (isBusinessDay(cal, l.date) && l.msOfDay < toMs(cal.open)) return instant(cal.timeZone, l.date, cal.open);
  return instant(cal.timeZone, nextBusinessDay(cal, l.date), cal.open);
}

/**
 * A deadline of `n` business days: the closing time of the n-th business day after the one `t`
 * counts for (after hours and on days off `t` counts for the next business day). So n = 0 is the
 * same-day deadline, and "within 2 business days" of Friday 10:00 is Tuesday at closing time.
 */
export function addBusinessDays(cal: BusinessCalendar, t: number, n: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`business days must be a whole number ≥ 0, got ${n}`);
  let date = local(cal.timeZone, endOfBusinessDay(cal, t)).date;
  for (let i = 0; i < n; i++) date = nextBusinessDay(cal, date);
  return instant(cal.timeZone, date, cal.close);
}
