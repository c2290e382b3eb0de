/**
 * Workflows of time-skipping-locks.test.ts. Their activities are defined in the test file (they
 * call the test environment's `env.sleep` / `env.currentTimeMs`), so they are typed here.
 */
import { proxyActivities, proxyLocalActivities, sleep } from '@temporalio/workflow';

export interface TimeSkippingActivities {
  /** Calls `env.sleep(duration)` (UnlockTimeSkippingWithSleep) and returns the virtual time it took. */
  envSleep(duration: string | number): Promise<number>;
  /** Waits `ms` of real time; returns the virtual time that passed meanwhile (`env.currentTimeMs`). */
  virtualTimeDuring(ms: number): Promise<number>;
}

const longActs = proxyActivities<TimeSkippingActivities>({ startToCloseTimeout: '3 days', retry: { maximumAttempts: 1 } });
const localActs = proxyLocalActivities<TimeSkippingActivities>({ startToCloseTimeout: '1 minute', retry: { maximumAttempts: 1 } });

/**
 * The example in the doc comment of `TestWorkflowEnvironment.sleep`: a timer raced against an
 * activity that sleeps longer in virtual time with `env.sleep`.
 */
export async function raceActivityAndTimer(timer: string | number, activitySleep: string | number): Promise<'timer' | 'activity'> {
  return await Promise.race([sleep(timer).then(() => 'timer' as const), longActs.envSleep(activitySleep).then(() => 'activity' as const)]);
}

/** Runs the `envSleep` activity and reports the virtual time it took, seen from the workflow. */
export async function activityEnvSleep(duration: string | number): Promise<{ activityMs: number; workflowMs: number }> {
  const start = Date.now();
  const activityMs = await longActs.envSleep(duration);
  return { activityMs, workflowMs: Date.now() - start };
}

/**
 * An activity sleeps an hour with `env.sleep` while, a minute in, a workflow task stays in flight
 * for `localMs` of real time (a local activity runs inside it): time must not skip meanwhile.
 */
export async function workflowTaskDuringActivitySleep(localMs: number): Promise<{ localSawMs: number; elapsedMs: number; activityMs: number }> {
  const start = Date.now();
  const activity = longActs.envSleep('1 hour');
  await sleep('1 minute');
  const localSawMs = await localActs.virtualTimeDuring(localMs);
  const activityMs = await activity;
  return { localSawMs, elapsedMs: Date.now() - start, activityMs };
}
