/**
 * Schedule specs as the real server reads them (temporal service/worker/scheduler spec.go and
 * calendar.go, re-written here): `calendar` and `cronString` are compiled into
 * `structuredCalendar` (and `@every` cron strings into `interval`), which is the canonical form
 * DescribeSchedule returns; times are matched in the spec's IANA time zone with `Intl` (no time
 * zone database of our own), one-second resolution, DST gaps skipped and repeated hours matched
 * twice; jitter is deterministic (a hash of the nominal time and a seed) and never reaches the
 * following nominal time.
 */
import { createHash } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import { msOf, timestamp, type Obj } from '../proto.js';
import { parseGoDuration } from '../visibility/list-filter.js';

export const MIN_CALENDAR_YEAR = 2000;
export const MAX_CALENDAR_YEAR = 2100;

export interface Range {
  start?: number;
  end?: number;
  step?: number;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const DAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

type Mode = 'int' | 'month' | 'dow';

const specError = (msg: string) => invalidArgument(`Invalid schedule spec: ${msg}`);

function parseValue(s: string, min: number, max: number, mode: Mode): number {
  const lower = s.toLowerCase();
  if (mode === 'month' && s.length >= 3) {
    const i = MONTHS.findIndex((m) => m.startsWith(lower));
    if (i >= 0) {
      if (i + 1 < min || i + 1 > max) throw specError('out of range');
      return i + 1;
    }
  } else if (mode === 'dow' && s.length >= 2) {
    const i = DAYS.findIndex((d) => d.startsWith(lower));
    if (i >= 0) {
      if (i < min || i > max) throw specError('out of range');
      return i;
    }
  }
  if (!/^[+-]?\d+$/.test(s)) throw specError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = Number(s);
  if (n < min || n > max) throw specError('out of range');
  return n;
}

/** `*`, `x`, `x-z`, `x-z/y`, `x/y`, comma lists (calendar.go makeRange). */
export function makeRange(input: string | undefined, def: string, min: number, max: number, mode: Mode): Range[] {
  let s = (input ?? '').trim();
  if (s === '') s = def;
  const out: Range[] = [];
  for (let part of s.split(',')) {
    let step = 1;
    let hasStep = false;
    if (part.includes('/')) {
      const pieces = part.split('/');
      if (pieces.length !== 2) throw specError('malformed expression');
      part = pieces[0]!;
      if (!/^\d+$/.test(pieces[1]!)) throw specError('malformed expression');
      step = Number(pieces[1]);
      if (step < 1) throw specError('malformed expression');
      hasStep = true;
    }
    let start = min;
    let end = max;
    if (part !== '*') {
      if (part.includes('-')) {
        const pieces = part.split('-');
        if (pieces.length !== 2) throw specError('malformed expression');
        start = parseValue(pieces[0]!, min, max, mode);
        end = parseValue(pieces[1]!, start, max, mode);
      } else {
        start = parseValue(part, min, max, mode);
        if (!hasStep) end = start;
      }
    }
    const r: Range = { start };
    if (end !== start) r.end = end;
    if (step !== 1) r.step = step;
    out.push(r);
  }
  return out;
}

/** CalendarSpec (strings) → StructuredCalendarSpec (ranges), with the real server's defaults. */
export function calendarToStructured(cal: Obj): Obj {
  return {
    second: makeRange(cal.second, '0', 0, 59, 'int'),
    minute: makeRange(cal.minute, '0', 0, 59, 'int'),
    hour: makeRange(cal.hour, '0', 0, 23, 'int'),
    dayOfMonth: makeRange(cal.dayOfMonth, '*', 1, 31, 'int'),
    month: makeRange(cal.month, '*', 1, 12, 'month'),
    year: makeRange(cal.year, '*', MIN_CALENDAR_YEAR, MAX_CALENDAR_YEAR, 'int'),
    dayOfWeek: makeRange(cal.dayOfWeek, '*', 0, 7, 'dow'),
    comment: cal.comment || undefined,
  };
}

const PREDEFINED: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

export interface ParsedCron {
  structured?: Obj;
  interval?: Obj;
  timezone: string;
  /** 5-field form with both day fields restricted (robfig/cron: either day field may match). */
  domOrDow: boolean;
}

/** Go duration syntax plus days (`2d`), as Temporal's timestamp.ParseDuration, in ms. */
function durationMs(s: string): number | undefined {
  const m = /^(\d+)d(.*)$/.exec(s.trim());
  const days = m ? Number(m[1]) * 86_400_000 : 0;
  const rest = m ? m[2]! : s.trim();
  if (m && rest === '') return days;
  const ns = parseGoDuration(rest);
  return ns === undefined ? undefined : days + ns / 1e6;
}

/** A cron string: optional `TZ=`/`CRON_TZ=` prefix, `@every d[/phase]`, `@hourly`…, 5, 6 or 7 fields. */
export function parseCronString(input: string, comment?: string): ParsedCron {
  let c = input.trim();
  let timezone = '';
  if (c.startsWith('TZ=') || c.startsWith('CRON_TZ=')) {
    const sp = c.indexOf(' ');
    if (sp < 0) throw specError('malformed expression');
    timezone = c.slice(c.indexOf('=') + 1, sp);
    c = c.slice(sp + 1).trim();
  }
  if (c.startsWith('@every')) {
    const rest = c.slice('@every'.length).trim();
    const [iv, phase] = rest.split('/');
    const ivMs = durationMs(iv ?? '');
    if (ivMs === undefined) throw specError('malformed expression');
    const interval: Obj = { interval: timestamp(ivMs) };
    if (phase) {
      const ph = durationMs(phase);
      if (ph === undefined) throw specError('malformed expression');
      interval.phase = timestamp(ph);
    }
    return { interval, timezone, domOrDow: false };
  }
  c = PREDEFINED[c] ?? c;
  const f = c.split(/\s+/).filter(Boolean);
  const cal: Obj = { comment };
  if (f.length === 5) [cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek] = f;
  else if (f.length === 6) [cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek, cal.year] = f;
  else if (f.length === 7) [cal.second, cal.minute, cal.hour, cal.dayOfMonth, cal.month, cal.dayOfWeek, cal.year] = f;
  else throw specError('malformed expression');
  const restricted = (v: string) => !v.startsWith('*') && v !== '?';
  return { structured: calendarToStructured(cal), timezone, domOrDow: restricted(cal.dayOfMonth) && restricted(cal.dayOfWeek) };
}

/** Validates a time zone name the way Go's LoadLocation would accept it. */
export function checkTimezone(name: string): void {
  if (!name || name === 'UTC' || name === 'Local') return;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
  } catch {
    throw specError(`unknown time zone ${name}`);
  }
}

/** The canonical form (spec.go canonicalizeSpec): what the server stores and DescribeSchedule returns. */
export function canonicalizeSpec(spec: Obj | undefined): Obj {
  const out: Obj = { ...(spec ?? {}) };
  const structured: Obj[] = [...(out.structuredCalendar ?? [])];
  for (const cal of out.calendar ?? []) structured.push(calendarToStructured(cal));
  const excludes: Obj[] = [...(out.excludeStructuredCalendar ?? [])];
  for (const cal of out.excludeCalendar ?? []) excludes.push(calendarToStructured(cal));
  const intervals: Obj[] = [...(out.interval ?? [])];
  let cronTz: string | undefined;
  for (const cs of out.cronString ?? []) {
    const parsed = parseCronString(String(cs));
    if (cronTz !== undefined && parsed.timezone !== cronTz) throw specError('conflicting timezone names');
    cronTz = parsed.timezone;
    if (parsed.structured) structured.push(parsed.structured);
    if (parsed.interval) intervals.push(parsed.interval);
  }
  if (cronTz) {
    if ((out.timezoneName && out.timezoneName !== cronTz) || out.timezoneData) throw specError('conflicting timezone names');
    out.timezoneName = cronTz;
  }
  delete out.calendar;
  delete out.excludeCalendar;
  delete out.cronString;
  out.structuredCalendar = structured;
  out.excludeStructuredCalendar = excludes;
  out.interval = intervals;
  for (const s of structured) validateStructured(s);
  for (const iv of intervals) {
    const every = msOf(iv.interval);
    const phase = msOf(iv.phase);
    if (every < 1000) throw specError('interval is too small');
    if (phase < 0) throw specError('phase is negative');
    if (phase >= every) throw specError('phase cannot be greater than Interval');
  }
  if (out.timezoneData) throw specError('timezoneData is not supported by this development server (use timezoneName)');
  checkTimezone(out.timezoneName ?? '');
  return out;
}

function validateStructured(s: Obj): void {
  const errs: string[] = [];
  const check = (ranges: Range[] | undefined, field: string, min: number, max: number) => {
    for (const r of ranges ?? []) {
      const start = r.start ?? 0;
      const end = r.end ?? 0;
      if (start < min || start > max) errs.push(`${field} Start is not in range [${min}-${max}]`);
      if (end !== 0 && (end < start || end > max)) errs.push(`${field} End is before Start or not in range [${min}-${max}]`);
      if ((r.step ?? 0) < 0) errs.push(`${field} has invalid Step`);
    }
  };
  check(s.second, 'Second', 0, 59);
  check(s.minute, 'Minute', 0, 59);
  check(s.hour, 'Hour', 0, 23);
  check(s.dayOfMonth, 'DayOfMonth', 1, 31);
  check(s.month, 'Month', 1, 12);
  check(s.year, 'Year', MIN_CALENDAR_YEAR, MAX_CALENDAR_YEAR);
  check(s.dayOfWeek, 'DayOfWeek', 0, 6);
  if ((s.comment ?? '').length > 200) errs.push('comment is too long');
  if (errs.length) throw specError(`invalid calendar spec: ${errs.join(', ')}`);
}

// ------------------------------------------------------------------------------------------------
// Time zones with Intl

interface Local {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function localFields(tz: string, ms: number): Local {
  if (tz === 'UTC') {
    const t = new Date(ms);
    return { y: t.getUTCFullYear(), mo: t.getUTCMonth() + 1, d: t.getUTCDate(), h: t.getUTCHours(), mi: t.getUTCMinutes(), s: t.getUTCSeconds() };
  }
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(tz, f);
  }
  const out: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(ms))) if (p.type !== 'literal') out[p.type] = Number(p.value);
  return { y: out.year!, mo: out.month!, d: out.day!, h: out.hour! % 24, mi: out.minute!, s: out.second! };
}

/** Local wall time minus UTC, in ms, at the instant `ms`. */
function offsetAt(tz: string, ms: number): number {
  if (tz === 'UTC') return 0;
  const l = localFields(tz, ms);
  return Date.UTC(l.y, l.mo - 1, l.d, l.h, l.mi, l.s) - Math.floor(ms / 1000) * 1000;
}

/** The instants (0 in a DST gap, 2 in a repeated hour) that show this wall time in `tz`, ascending. */
function instantsOf(tz: string, y: number, mo: number, d: number, h: number, mi: number, s: number): number[] {
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  if (tz === 'UTC') return [wall];
  const out: number[] = [];
  for (const o of new Set([offsetAt(tz, wall - 86_400_000), offsetAt(tz, wall + 86_400_000)])) {
    const c = wall - o;
    if (offsetAt(tz, c) === o && !out.includes(c)) out.push(c);
  }
  return out.sort((a, b) => a - b);
}

// ------------------------------------------------------------------------------------------------
// Compiled calendars

function valuesOf(ranges: Range[] | undefined, max: number): boolean[] {
  const bits = new Array<boolean>(max + 1).fill(false);
  for (const r of ranges ?? []) {
    const start = r.start ?? 0;
    const end = Math.max(r.end ?? 0, start);
    const step = r.step && r.step > 0 ? r.step : 1;
    for (let v = start; v <= end && v <= max; v += step) bits[v] = true;
  }
  return bits;
}

const daysInMonth = (y: number, mo: number) => new Date(Date.UTC(y, mo, 0)).getUTCDate();

class CompiledCalendar {
  private readonly years: Set<number> | undefined;
  private readonly months: boolean[];
  private readonly doms: boolean[];
  private readonly dows: boolean[];
  private readonly hours: number[];
  private readonly minutes: number[];
  private readonly seconds: number[];
  private readonly secondBits: boolean[];
  private readonly minuteBits: boolean[];
  private readonly hourBits: boolean[];

  constructor(
    cal: Obj,
    private readonly tz: string,
    private readonly domOrDow = false,
  ) {
    const orDefault = (r: Range[] | undefined, def: Range[]) => (r && r.length ? r : def);
    const years = cal.year as Range[] | undefined;
    if (years && years.length) {
      this.years = new Set();
      valuesOf(years, MAX_CALENDAR_YEAR).forEach((on, v) => on && this.years!.add(v));
    }
    this.months = valuesOf(orDefault(cal.month, [{ start: 1, end: 12 }]), 12);
    this.doms = valuesOf(orDefault(cal.dayOfMonth, [{ start: 1, end: 31 }]), 31);
    const dows = valuesOf(orDefault(cal.dayOfWeek, [{ start: 0, end: 6 }]), 7);
    if (dows[7]) dows[0] = true; // 7 is Sunday too
    this.dows = dows;
    this.hourBits = valuesOf(orDefault(cal.hour, [{ start: 0 }]), 23);
    this.minuteBits = valuesOf(orDefault(cal.minute, [{ start: 0 }]), 59);
    this.secondBits = valuesOf(orDefault(cal.second, [{ start: 0 }]), 59);
    const list = (bits: boolean[]) => bits.flatMap((on, v) => (on ? [v] : []));
    this.hours = list(this.hourBits);
    this.minutes = list(this.minuteBits);
    this.seconds = list(this.secondBits);
  }

  private dayMatches(y: number, mo: number, d: number): boolean {
    if (this.years && !this.years.has(y)) return false;
    if (!this.months[mo]) return false;
    const dow = new Date(Date.UTC(y, mo - 1, d)).getUTCDay();
    if (this.domOrDow) return !!this.doms[d] || !!this.dows[dow];
    return !!this.doms[d] && !!this.dows[dow];
  }

  matches(ms: number): boolean {
    const l = localFields(this.tz, ms);
    return this.dayMatches(l.y, l.mo, l.d) && !!this.hourBits[l.h] && !!this.minuteBits[l.mi] && !!this.secondBits[l.s];
  }

  /** The earliest matching instant (whole seconds) strictly after `after`, or undefined. */
  next(after: number): number | undefined {
    const floor = Math.floor(after / 1000) * 1000;
    const start = localFields(this.tz, floor);
    let { y, mo, d } = start;
    let best: number | undefined;
    const latest = (cands: number[]) => (cands.length ? cands[cands.length - 1]! : -Infinity);
    for (;;) {
      if (y > MAX_CALENDAR_YEAR) return best;
      if (this.years && !this.years.has(y)) {
        // jump to the next matching year
        let ny = y + 1;
        while (ny <= MAX_CALENDAR_YEAR && !this.years.has(ny)) ny++;
        if (ny > MAX_CALENDAR_YEAR) return best;
        [y, mo, d] = [ny, 1, 1];
        continue;
      }
      if (this.dayMatches(y, mo, d)) {
        for (const h of this.hours) {
          if (latest(instantsOf(this.tz, y, mo, d, h, 59, 59)) <= floor) continue;
          for (const mi of this.minutes) {
            if (latest(instantsOf(this.tz, y, mo, d, h, mi, 59)) <= floor) continue;
            for (const s of this.seconds) {
              const cands = instantsOf(this.tz, y, mo, d, h, mi, s);
              if (!cands.length) continue;
              // First occurrences grow with wall time: nothing later can beat what was found.
              if (best !== undefined && cands[0]! > best) return best;
              for (const c of cands) if (c > floor && (best === undefined || c < best)) best = c;
            }
          }
        }
      }
      if (best !== undefined) return best;
      d++;
      if (d > daysInMonth(y, mo)) [mo, d] = [mo + 1, 1];
      if (mo > 12) [y, mo] = [y + 1, 1];
    }
  }
}

// ------------------------------------------------------------------------------------------------
// Compiled specs

export interface NextTime {
  /** The matching time before jitter. */
  nominal: number;
  /** The nominal time with jitter: when the action is taken. */
  next: number;
}

export class CompiledSpec {
  private readonly tz: string;
  private readonly calendars: CompiledCalendar[];
  private readonly excludes: CompiledCalendar[];
  private readonly intervals: Array<{ every: number; phase: number }>;
  private readonly startTime?: number;
  private readonly endTime?: number;
  private readonly jitterMs: number;

  /** `spec` in canonical form (see canonicalizeSpec). */
  constructor(
    readonly spec: Obj,
    options: { domOrDow?: boolean } = {},
  ) {
    this.tz = !spec.timezoneName || spec.timezoneName === 'Local' ? 'UTC' : spec.timezoneName;
    this.calendars = (spec.structuredCalendar ?? []).map((c: Obj) => new CompiledCalendar(c, this.tz, options.domOrDow));
    this.excludes = (spec.excludeStructuredCalendar ?? []).map((c: Obj) => new CompiledCalendar(c, this.tz));
    this.intervals = (spec.interval ?? []).map((iv: Obj) => ({ every: Math.max(1, Math.floor(msOf(iv.interval) / 1000)), phase: Math.max(0, Math.floor(msOf(iv.phase) / 1000)) }));
    this.startTime = spec.startTime ? msOf(spec.startTime) : undefined;
    this.endTime = spec.endTime ? msOf(spec.endTime) : undefined;
    this.jitterMs = msOf(spec.jitter);
  }

  /** The next matching time without jitter, start/end time or exclusions. */
  private rawNext(after: number): number | undefined {
    let min: number | undefined;
    for (const cal of this.calendars) {
      const n = cal.next(after);
      if (n !== undefined && (min === undefined || n < min)) min = n;
    }
    const ts = Math.floor(after / 1000);
    for (const { every, phase } of this.intervals) {
      const n = (Math.floor((ts - phase) / every) + 1) * every + phase;
      if (min === undefined || n * 1000 < min) min = n * 1000;
    }
    return min;
  }

  /** The first action time after `after` (spec.go GetNextTime); undefined when none is left. */
  nextTime(after: number, jitterSeed = ''): NextTime | undefined {
    if (this.startTime !== undefined && after < this.startTime) after = this.startTime - 1000;
    let nominal: number | undefined;
    for (let guard = 0; ; guard++) {
      nominal = this.rawNext(after);
      if (nominal === undefined || (this.endTime !== undefined && nominal > this.endTime)) return undefined;
      if (!this.excludes.some((x) => x.matches(nominal!))) break;
      if (guard > 100_000) return undefined;
      after = nominal;
    }
    let maxJitter = this.jitterMs;
    const following = this.rawNext(nominal);
    if (following !== undefined) maxJitter = Math.min(maxJitter, following - nominal);
    return { nominal, next: nominal + jitterOf(jitterSeed, nominal, maxJitter) };
  }
}

/** Deterministic jitter in [0, maxJitter): a 32-bit hash of the nominal time and the seed, scaled. */
export function jitterOf(seed: string, nominal: number, maxJitterMs: number): number {
  if (maxJitterMs <= 0) return 0;
  const fp = createHash('sha256').update(`${nominal}/${seed}`).digest().readUInt32BE(0);
  return Math.floor((fp * Math.min(Math.floor(maxJitterMs), 0xffffffff)) / 2 ** 32);
}

export function compileSpec(spec: Obj | undefined): CompiledSpec {
  return new CompiledSpec(canonicalizeSpec(spec));
}
