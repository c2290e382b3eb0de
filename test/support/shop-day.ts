/**
 * The demo merchant's day (Asia/Shanghai, UTC+8 all year: no daylight saving) for tests that read
 * "today" over HTTP: the API counts figures, registers, ledgers and budgets by the local day (and
 * month) it is on its clock when asked. A file that opens its cases at 23:59:50 in Shanghai and
 * asks seconds later finds them on "yesterday" (and on the last month at a month's end). So such a
 * file waits, when the local day ends within `marginMs`, until the next one has begun: everything it
 * does then falls within one local day, whatever the hour it runs at.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Today in Shanghai, 'YYYY-MM-DD'. */
export const shanghaiToday = () => new Date(Date.now() + 8 * HOUR).toISOString().slice(0, 10);

/** The default margin: longer than any such file takes once its platform is up. */
export const MIDNIGHT_MARGIN_MS = 3 * 60_000;
/** A `beforeAll` that waits out the margin needs a limit above it. */
export const MIDNIGHT_HOOK_TIMEOUT_MS = MIDNIGHT_MARGIN_MS + 60_000;

export async function clearOfShanghaiMidnight(marginMs = MIDNIGHT_MARGIN_MS): Promise<void> {
  const left = DAY - ((Date.now() + 8 * HOUR) % DAY);
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}

/** For the browser files that read "this month" (costs, budget): longer than such a file takes. */
export const MONTH_END_MARGIN_MS = 6 * 60_000;
export const MONTH_END_HOOK_TIMEOUT_MS = MONTH_END_MARGIN_MS + 60_000;

/**
 * Waits, when the local month ends within `marginMs`, until the next one has begun: a file that
 * sets this month's budget, or reads its costs, in the browser and then over HTTP finds the two on
 * one month. Waits at most `marginMs` once a month.
 */
export async function clearOfShanghaiMonthEnd(marginMs = MONTH_END_MARGIN_MS): Promise<void> {
  const local = new Date(Date.now() + 8 * HOUR);
  const nextMonthUtc = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - 8 * HOUR;
  const left = nextMonthUtc - Date.now();
  if (left < marginMs) await new Promise((resolve) => setTimeout(resolve, left + 1_000));
}
