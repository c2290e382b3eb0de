/**
 * Activities used by the dev-server conformance suite.
 *
 * Module-level state is per test process (vitest runs each file in its own process), so the tests
 * can inspect what the activities observed (attempt numbers, timestamps, cancellation) and the
 * assertions do not depend only on what the server reports.
 */
import { ApplicationFailure, CancelledFailure, Context, activityInfo, heartbeat, sleep } from '@temporalio/activity';

export interface AttemptRecord {
  attempt: number;
  at: number;
  heartbeatDetails?: unknown;
}

/** key = `${workflowId}/${activityId}` → every attempt that reached the worker */
export const attempts = new Map<string, AttemptRecord[]>();
/** key = workflowId → what happened to a cancellable activity */
export const cancellations = new Map<
  string,
  { heartbeats: number; cancelled: boolean; details?: { cancelRequested: boolean; notFound: boolean; timedOut: boolean; workerShutdown: boolean } }
>();

function record(): AttemptRecord[] {
  const info = activityInfo();
  const key = `${info.workflowExecution?.workflowId}/${info.activityId}`;
  const list = attempts.get(key) ?? [];
  list.push({ attempt: info.attempt, at: Date.now(), heartbeatDetails: info.heartbeatDetails });
  attempts.set(key, list);
  return list;
}

export function attemptsOf(workflowId: string): AttemptRecord[] {
  const out: AttemptRecord[] = [];
  for (const [key, list] of attempts) if (key.startsWith(`${workflowId}/`)) out.push(...list);
  return out;
}

export async function echo(value: string): Promise<string> {
  record();
  return value;
}

export async function describeAttempt(): Promise<{ attempt: number; activityType: string; taskQueue: string }> {
  const info = activityInfo();
  record();
  return { attempt: info.attempt, activityType: info.activityType, taskQueue: info.taskQueue };
}

/** Fails (retryably) until `succeedOnAttempt`, then returns the attempt number. */
export async function failUntil(succeedOnAttempt: number): Promise<number> {
  record();
  const { attempt } = activityInfo();
  if (attempt < succeedOnAttempt) {
    throw ApplicationFailure.retryable(`transient failure on attempt ${attempt}`, 'TransientError');
  }
  return attempt;
}

/** Always fails with an error of the given type (retryable unless the policy says otherwise). */
/** Fails until `succeedOnAttempt` asking the server for a specific retry delay (overrides the policy). */
export async function failWithNextRetryDelay(succeedOnAttempt: number, delayMs: number): Promise<number> {
  record();
  const { attempt } = activityInfo();
  if (attempt < succeedOnAttempt) {
    throw ApplicationFailure.create({ message: `retry me in ${delayMs} ms`, type: 'Delayed', nextRetryDelay: delayMs });
  }
  return attempt;
}

export async function failWithType(type: string): Promise<never> {
  record();
  throw ApplicationFailure.create({ message: `failure of type ${type}`, type });
}

export async function failNonRetryable(): Promise<never> {
  record();
  throw ApplicationFailure.nonRetryable('this is fatal', 'FatalError', { detail: 42 });
}

/**
 * Heartbeats once with `progress-<attempt>`, then (on attempts < succeedOnAttempt) stops
 * heartbeating for longer than the heartbeat timeout. On the succeeding attempt it returns the
 * heartbeat details the server handed back from the previous attempt.
 */
export async function stallAfterHeartbeat(succeedOnAttempt: number): Promise<unknown> {
  record();
  const info = activityInfo();
  if (info.attempt >= succeedOnAttempt) return info.heartbeatDetails ?? null;
  heartbeat(`progress-${info.attempt}`);
  try {
    await sleep(4000);
  } catch {
    // cancelled by the worker (e.g. shutdown or heartbeat NOT_FOUND): nothing to do
  }
  return 'should-have-timed-out';
}

/** Heartbeats every 100 ms until cancelled; records the cancellation it saw. */
export async function heartbeatUntilCancelled(): Promise<string> {
  const info = activityInfo();
  record();
  const state: { heartbeats: number; cancelled: boolean; details?: { cancelRequested: boolean; notFound: boolean; timedOut: boolean; workerShutdown: boolean } } = {
    heartbeats: 0,
    cancelled: false,
  };
  cancellations.set(info.workflowExecution?.workflowId ?? '', state);
  const ctx = Context.current();
  try {
    for (let i = 0; i < 300; i++) {
      heartbeat(i);
      state.heartbeats++;
      await ctx.sleep(100);
    }
    return 'never-cancelled';
  } catch (err) {
    if (err instanceof CancelledFailure) {
      state.cancelled = true;
      const d = ctx.cancellationDetails;
      state.details = d && { cancelRequested: d.cancelRequested, notFound: d.notFound, timedOut: d.timedOut, workerShutdown: d.workerShutdown };
    }
    throw err;
  }
}

export async function slowEcho(value: string, ms: number): Promise<string> {
  record();
  await sleep(ms);
  return value;
}

export const activities = {
  echo,
  describeAttempt,
  failUntil,
  failWithType,
  failWithNextRetryDelay,
  failNonRetryable,
  stallAfterHeartbeat,
  heartbeatUntilCancelled,
  slowEcho,
};
