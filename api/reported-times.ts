/**
 * Times another system reports as having happened (a courier's tracking event, a carrier's claim
 * decision): not ahead of our clock beyond a fast clock's minutes, not before what they report on,
 * and not in 1970 — a time sent in epoch seconds (1796334904) reads as milliseconds as
 * 21 January 1970 and would date a delivery or a payment so, with no error anywhere else.
 */
import { CLOCK_TOLERANCE_MS, isAhead } from '../domain/index.js';

/** Before this, a reported time is a unit mistake: nothing this platform follows happened before 2000. */
const EARLIEST_REPORTED_MS = Date.UTC(2000, 0, 1);

/** Why `at` cannot be when the reported thing happened, or undefined when it can. */
export function reportedTimeProblem(at: number, now: number, notBefore?: { at: number; what: string }): string | undefined {
  if (isAhead(at, now)) return `is in the future (${new Date(at).toISOString()}): it is sent once it has happened`;
  if (at < EARLIEST_REPORTED_MS) {
    return `is ${new Date(at).toISOString()} as epoch milliseconds${at * 1000 <= now ? `: epoch seconds? ${at} seconds is ${at * 1000} milliseconds` : ''}`;
  }
  // Another system's clock may run a few minutes behind ours, as it may run ahead.
  if (notBefore && at < notBefore.at - CLOCK_TOLERANCE_MS) return `is ${new Date(at).toISOString()}, before ${notBefore.what} (${new Date(notBefore.at).toISOString()})`;
  return undefined;
}
