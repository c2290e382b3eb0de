import { invalidArgument } from '../errors.js';
import { duration, msOf, type Obj } from '../proto.js';

/** Activity timeouts after the server's normalisation; all present (0 = unlimited). */
export interface ActivityTimeouts {
  scheduleToCloseMs: number;
  scheduleToStartMs: number;
  startToCloseMs: number;
  heartbeatMs: number;
}

/**
 * The real server's deduction of the four activity timeouts (Java test server
 * `validateScheduleActivityTask`): TS workflows usually set only startToClose, but the TS worker
 * throws unless scheduleToClose and startToClose reach it.
 */
export function normaliseActivityTimeouts(attrs: Obj, runTimeoutMs: number): ActivityTimeouts {
  let s2c = msOf(attrs.scheduleToCloseTimeout);
  let s2s = msOf(attrs.scheduleToStartTimeout);
  let st2c = msOf(attrs.startToCloseTimeout);
  let hb = msOf(attrs.heartbeatTimeout);
  if ([s2c, s2s, st2c, hb].some((t) => t < 0)) throw invalidArgument('activity timeouts must not be negative');
  if (s2c > 0) {
    s2s = s2s > 0 ? Math.min(s2s, s2c) : s2c;
    st2c = st2c > 0 ? Math.min(st2c, s2c) : s2c;
  } else if (st2c > 0) {
    s2c = runTimeoutMs;
    if (s2s === 0) s2s = runTimeoutMs;
  } else {
    throw invalidArgument('A valid StartToClose or ScheduleToCloseTimeout is not set on ScheduleActivityTaskCommand.');
  }
  if (runTimeoutMs > 0) {
    const clamp = (t: number) => (t === 0 ? runTimeoutMs : Math.min(t, runTimeoutMs));
    s2c = clamp(s2c);
    s2s = clamp(s2s);
    st2c = clamp(st2c);
  }
  if (s2c > 0 && hb > s2c) hb = s2c;
  return { scheduleToCloseMs: s2c, scheduleToStartMs: s2s, startToCloseMs: st2c, heartbeatMs: hb };
}

export function timeoutsToProto(t: ActivityTimeouts): Obj {
  return {
    scheduleToCloseTimeout: duration(t.scheduleToCloseMs),
    scheduleToStartTimeout: duration(t.scheduleToStartMs),
    startToCloseTimeout: duration(t.startToCloseMs),
    heartbeatTimeout: duration(t.heartbeatMs),
  };
}

export interface RetryPolicy {
  initialIntervalMs: number;
  backoffCoefficient: number;
  maximumIntervalMs: number;
  maximumAttempts: number;
  nonRetryableErrorTypes: string[];
}

/** Fills the defaults the real server fills (1 s, ×2, 100 × initial, unlimited) and validates. */
export function normaliseRetryPolicy(p: Obj | undefined): RetryPolicy {
  const initial = msOf(p?.initialInterval) || 1000;
  const coefficient = Number(p?.backoffCoefficient ?? 0) || 2;
  const maxInterval = msOf(p?.maximumInterval) || 100 * initial;
  const maximumAttempts = Number(p?.maximumAttempts ?? 0);
  if (initial < 0) throw invalidArgument('RetryPolicy.initialInterval must not be negative');
  if (coefficient < 1) throw invalidArgument('RetryPolicy.backoffCoefficient must be 1 or larger');
  if (maxInterval < initial) throw invalidArgument('RetryPolicy.maximumInterval must not be smaller than initialInterval');
  if (maximumAttempts < 0) throw invalidArgument('RetryPolicy.maximumAttempts must not be negative');
  return {
    initialIntervalMs: initial,
    backoffCoefficient: coefficient,
    maximumIntervalMs: maxInterval,
    maximumAttempts,
    nonRetryableErrorTypes: [...(p?.nonRetryableErrorTypes ?? [])],
  };
}

export function retryPolicyToProto(p: RetryPolicy): Obj {
  return {
    initialInterval: duration(p.initialIntervalMs),
    backoffCoefficient: p.backoffCoefficient,
    maximumInterval: duration(p.maximumIntervalMs),
    maximumAttempts: p.maximumAttempts,
    nonRetryableErrorTypes: p.nonRetryableErrorTypes,
  };
}

export type RetryState =
  | 'RETRY_STATE_IN_PROGRESS'
  | 'RETRY_STATE_NON_RETRYABLE_FAILURE'
  | 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED'
  | 'RETRY_STATE_TIMEOUT'
  | 'RETRY_STATE_RETRY_POLICY_NOT_SET';

export interface RetryDecision {
  state: RetryState;
  backoffMs: number;
}

/**
 * Whether a failed attempt is retried and after how long (Java `TestServiceRetryState`):
 * non-retryable flag or type → stop; attempts exhausted → stop; the backoff would pass the
 * schedule-to-close deadline → timeout; otherwise retry after the (capped) exponential backoff or
 * the failure's own `nextRetryDelay`.
 */
export function decideRetry(args: {
  policy: RetryPolicy;
  attempt: number;
  failure: Obj | undefined;
  now: number;
  scheduledTime: number;
  scheduleToCloseMs: number;
}): RetryDecision {
  const { policy, attempt, failure, now } = args;
  const app = failure?.applicationFailureInfo;
  if (app?.nonRetryable) return { state: 'RETRY_STATE_NON_RETRYABLE_FAILURE', backoffMs: 0 };
  if (app?.type && policy.nonRetryableErrorTypes.includes(app.type)) {
    return { state: 'RETRY_STATE_NON_RETRYABLE_FAILURE', backoffMs: 0 };
  }
  if (policy.maximumAttempts > 0 && attempt >= policy.maximumAttempts) {
    return { state: 'RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED', backoffMs: 0 };
  }
  const explicit = app?.nextRetryDelay ? msOf(app.nextRetryDelay) : 0;
  const backoffMs =
    explicit > 0
      ? explicit
      : Math.min(policy.initialIntervalMs * policy.backoffCoefficient ** (attempt - 1), policy.maximumIntervalMs);
  if (args.scheduleToCloseMs > 0 && now + backoffMs > args.scheduledTime + args.scheduleToCloseMs) {
    return { state: 'RETRY_STATE_TIMEOUT', backoffMs: 0 };
  }
  return { state: 'RETRY_STATE_IN_PROGRESS', backoffMs };
}
