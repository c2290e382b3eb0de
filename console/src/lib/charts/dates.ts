/**
 * Local calendar dates for the dashboard's queries: "today" in the merchant's zone and the
 * default range of each grain. Calendar arithmetic only (the server counts the figures).
 */

/** 'YYYY-MM-DD' of an instant in a time zone. */
export function localDate(at: Date, timeZone: string): string {
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day}`;
}

/**
 * The local date a deadline falls due on: the day it ends. A deadline at local midnight (a
 * calendar-day deadline: "by the end of today") ends the day before — the instant just before it
 * is the last of that day — so "due today" includes it; localDate() would name the next day.
 */
export function dueDate(dueAt: Date, timeZone: string): string {
  return localDate(new Date(dueAt.getTime() - 1), timeZone);
}

/**
 * The instant a local date begins in a time zone (its first instant there, 00:00 unless the clocks
 * jump over midnight): a period of the shop's days sent as instants. Each offset the zone has around
 * that day gives a candidate; the earliest that falls on the day is its start.
 */
export function startOfDay(day: string, timeZone: string): Date {
  const midnightUtc = Date.parse(`${day}T00:00:00Z`);
  const candidates = [-1, 0, 1].map((d) => midnightUtc - offsetAt(midnightUtc + d * 86_400_000, timeZone));
  const onTheDay = candidates.filter((at) => localDate(new Date(at), timeZone) === day);
  return new Date(Math.min(...(onTheDay.length ? onTheDay : candidates)));
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetAt(at: number, timeZone: string): number {
  const fields = { year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' } as const;
  const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone, ...fields }).formatToParts(new Date(at)).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!, p.second!) - Math.floor(at / 1000) * 1000;
}

/** A local date moved by whole days. */
export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

export type Grain = 'day' | 'week' | 'month';

/** The range (`to` exclusive) a grain shows by default, ending with today: 30 days, 12 weeks or 12 months (the API allows 400 days). */
export function defaultRange(today: string, grain: Grain): { from: string; to: string } {
  const to = addDays(today, 1);
  if (grain === 'day') return { from: addDays(today, -29), to };
  if (grain === 'week') return { from: addDays(today, -83), to };
  const [y, m] = today.split('-').map(Number) as [number, number];
  const t = y * 12 + (m - 1) - 11;
  return { from: `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}-01`, to };
}

/** Days between two local dates (`to` exclusive). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * Every period of a range (`to` exclusive) by its first local day, as the server names periods
 * (date_trunc: the day, the ISO week's Monday, the month's first day) — so a chart's axis shows the
 * days without cases too, as gaps, instead of joining the days that have some.
 */
export function periodsOf(from: string, to: string, grain: Grain): string[] {
  const start = (day: string): string => {
    if (grain === 'day') return day;
    if (grain === 'month') return `${day.slice(0, 7)}-01`;
    const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
    return addDays(day, -((weekday + 6) % 7));
  };
  const out: string[] = [];
  for (let d = from; d < to; d = addDays(d, 1)) {
    const p = start(d);
    if (out.at(-1) !== p) out.push(p);
  }
  return out;
}
