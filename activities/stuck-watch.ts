/**
 * A side effect that keeps failing must not hide behind a stage. Temporal retries an activity for
 * as long as it takes (a provider down for an hour is not a reason to give up on a refund), but
 * once an activity of a case has failed `attempts` times, or for `afterMs`, the case is marked
 * *stuck* in the read model, escalated, and its timeline says which step and the error — so an
 * agent sees it in the case and in the list (`stuck=true`). The next success clears the mark.
 * Done here, around the activity, so the workflows' command sequences do not change.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';

export interface StuckLimits {
  /** Failed attempts after which the case is marked stuck. */
  attempts: number;
  /** Or time since the activity was first scheduled, in ms. */
  afterMs: number;
}

export const DEFAULT_STUCK_LIMITS: StuckLimits = { attempts: 5, afterMs: 10 * 60_000 };

export interface StuckPort {
  /** Marks the case stuck on `stepKey` (the timeline gets one STUCK event per step; the case keeps the latest error). */
  markStuck(s: { caseId: string; stepKey: string; activity: string; attempt: number; error: string }): Promise<void>;
  /** The step went through after all: the mark is cleared (a no-op when the case was not stuck on it). */
  clearStuck(s: { caseId: string; stepKey: string; activity: string; attempt: number }): Promise<void>;
}

type Keyed = { caseId?: string; stepKey?: string };

/** The first line of an error, short enough for a timeline and a list. */
const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0]!.slice(0, 500);

function activityInfo() {
  try {
    return Context.current().info;
  } catch {
    return undefined;
  }
}

export function watchStuck<A extends Keyed, R>(activity: string, run: (a: A) => Promise<R>, port: StuckPort, limits: StuckLimits): (a: A) => Promise<R> {
  return async (a: A) => {
    const info = activityInfo();
    if (!info) return run(a); // called outside a worker (a unit test): nothing to watch
    const key = a.caseId ? { caseId: a.caseId, stepKey: a.stepKey ?? activity, activity, attempt: info.attempt } : undefined;
    let result: R;
    try {
      result = await run(a);
    } catch (err) {
      const final = err instanceof ApplicationFailure && err.nonRetryable;
      const overdue = info.attempt >= limits.attempts || Date.now() - info.scheduledTimestampMs >= limits.afterMs;
      // Marking is best effort: the database may be what is failing.
      if (key && !final && overdue) await port.markStuck({ ...key, error: describe(err) }).catch(() => undefined);
      throw err;
    }
    if (key && info.attempt > 1) await port.clearStuck(key).catch(() => undefined);
    return result;
  };
}
