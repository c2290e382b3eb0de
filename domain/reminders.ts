/**
 * How often a case that waits for an agent (or a supervisor, or an agent's report) reminds them
 * (docs/after-sales.md, *Timers*). The merchant's policy sets the interval (`agentReminderHours`,
 * 24 by default). Shorter than a day, the reminders that nobody answers come further apart — each
 * twice the one before, up to a day — and then daily: a wait left 60 hours at one hour is 6
 * reminders instead of 60, and a case forgotten for a year keeps about 370 steps in its
 * timeline and its workflow history instead of 8,760 (Temporal ends a run whose history passes
 * 51,200 events). A day or longer, every reminder waits the policy's interval, as before.
 */
export const REMINDERS_BACK_OFF_UP_TO_HOURS = 24;

/** Hours until the next reminder, `remindedBefore` reminders into a wait nobody has answered. */
export function hoursUntilReminder(everyHours: number, remindedBefore: number): number {
  if (everyHours >= REMINDERS_BACK_OFF_UP_TO_HOURS) return everyHours;
  return Math.min(everyHours * 2 ** remindedBefore, REMINDERS_BACK_OFF_UP_TO_HOURS);
}
