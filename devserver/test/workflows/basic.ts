import {
  ActivityFailure,
  ApplicationFailure,
  CancellationScope,
  ActivityCancellationType,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  defineUpdate,
  isCancellation,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  TimeoutFailure,
  upsertMemo,
  workflowInfo,
} from '@temporalio/workflow';
import type { activities } from '../activities.js';

type Acts = typeof activities;

const quick = proxyActivities<Acts>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 1 } });

export const incSignal = defineSignal<[number]>('inc');
export const finishSignal = defineSignal<[string?]>('finish');
export const countQuery = defineQuery<number>('count');
export const stateQuery = defineQuery<{ count: number; finished: boolean; signals: number }>('state');
export const addUpdate = defineUpdate<number, [number]>('add');
export const slowAddUpdate = defineUpdate<number, [number]>('slowAdd');

/** Returns its argument. */
export async function echoWorkflow(value: unknown): Promise<unknown> {
  return value;
}

/** Sleeps `ms` (virtual) milliseconds and reports the virtual time that passed. */
export async function sleeper(ms: number | string): Promise<{ elapsedMs: number }> {
  const start = Date.now();
  await sleep(ms);
  return { elapsedMs: Date.now() - start };
}

/** Calls one activity and returns its result. */
export async function activityEcho(value: string): Promise<string> {
  return await quick.echo(value);
}

/**
 * Counts `inc` signals until `finish`. While waiting it keeps running short activities when `busy`
 * is set, so that signals constantly race workflow tasks.
 */
export async function counter(opts: { busy?: boolean } = {}): Promise<{ count: number; signals: number; note?: string }> {
  let count = 0;
  let signals = 0;
  let finished = false;
  let note: string | undefined;
  setHandler(incSignal, (n) => {
    count += n;
    signals++;
  });
  setHandler(finishSignal, (s) => {
    finished = true;
    note = s;
  });
  setHandler(countQuery, () => count);
  setHandler(stateQuery, () => ({ count, finished, signals }));
  if (opts.busy) {
    while (!finished) {
      await quick.echo(`tick-${signals}`);
    }
  } else {
    await condition(() => finished);
  }
  return { count, signals, note };
}

/** Update handlers with a validator; completes on `finish`. */
export async function updatable(): Promise<number> {
  let total = 0;
  let finished = false;
  setHandler(
    addUpdate,
    async (n) => {
      total += n;
      return total;
    },
    {
      validator: (n) => {
        if (n < 0) throw new Error(`negative values are rejected: ${n}`);
      },
    },
  );
  setHandler(slowAddUpdate, async (n) => {
    // never released: the workflow completes while this handler is still pending
    await condition(() => false);
    total += n;
    return total;
  });
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(countQuery, () => total);
  await condition(() => finished);
  return total;
}

/** continue-as-new chain: n runs, accumulates the run numbers. */
export async function chain(n: number, acc: number[] = []): Promise<{ runs: number[]; lastRunId: string; firstRunId: string }> {
  const next = [...acc, n];
  if (n > 0) {
    await continueAsNew<typeof chain>(n - 1, next);
  }
  const info = workflowInfo();
  return { runs: next, lastRunId: info.runId, firstRunId: info.firstExecutionRunId };
}

/** Waits forever (until cancelled / terminated / timed out). Reports cancellation details. */
export async function waitForever(): Promise<void> {
  await condition(() => false);
}

/** Uses patched() and returns whether the patch is active. */
export async function patchedWorkflow(): Promise<boolean> {
  const p = patched('my-change-id');
  await sleep(1);
  return p;
}

/** Uses patched() and completes in the same (its only) workflow task. */
export async function patchedAtOnce(): Promise<boolean> {
  return patched('at-once');
}

/** Memo: upserts memo inside the workflow, then waits for finish. */
export async function memoWorkflow(): Promise<void> {
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  upsertMemo({ fromWorkflow: 'yes', counter: 2 });
  await condition(() => finished);
}

/** Runs an activity, waits on a timer, then waits for `finish`; used across a server restart. */
export async function persistent(timerMs: number): Promise<string> {
  let signalValue: string | undefined;
  setHandler(finishSignal, (s) => {
    signalValue = s ?? '';
  });
  setHandler(countQuery, () => (signalValue === undefined ? 0 : 1));
  const a = await quick.echo('activity-done');
  await sleep(timerMs);
  await condition(() => signalValue !== undefined);
  return `${a}/${signalValue}`;
}

/** Fails the workflow (not the task) with an ApplicationFailure. */
export async function failingWorkflow(message: string): Promise<never> {
  throw ApplicationFailure.nonRetryable(message, 'WorkflowFatal');
}

// ---------------------------------------------------------------------------------------------
// Activity behaviour workflows. Each returns a summary of what the workflow observed so the test
// can assert on the error *as delivered through the server*.

export interface ActivityOutcome {
  ok: boolean;
  result?: unknown;
  errorName?: string;
  retryState?: string;
  causeName?: string;
  causeType?: string;
  causeMessage?: string;
  causeNonRetryable?: boolean;
  timeoutType?: string;
  activityType?: string;
}

function describeActivityError(err: unknown): ActivityOutcome {
  if (err instanceof ActivityFailure) {
    const cause = err.cause as any;
    return {
      ok: false,
      errorName: err.name,
      retryState: String(err.retryState),
      activityType: err.activityType,
      causeName: cause?.name,
      causeType: cause?.type,
      causeMessage: cause?.message,
      causeNonRetryable: cause?.nonRetryable,
      timeoutType: cause instanceof TimeoutFailure ? String(cause.timeoutType) : undefined,
    };
  }
  return { ok: false, errorName: (err as Error)?.name, causeMessage: (err as Error)?.message };
}

export interface ActivityCall {
  activity: keyof Acts;
  args: unknown[];
  startToCloseMs?: number;
  scheduleToCloseMs?: number;
  heartbeatMs?: number;
  retry?: {
    initialIntervalMs?: number;
    backoffCoefficient?: number;
    maximumIntervalMs?: number;
    maximumAttempts?: number;
    nonRetryableErrorTypes?: string[];
  };
}

/** Runs one activity with the given options and reports success or the failure details. */
export async function runActivity(call: ActivityCall): Promise<ActivityOutcome> {
  const acts = proxyActivities<Record<string, (...a: unknown[]) => Promise<unknown>>>({
    startToCloseTimeout: call.startToCloseMs ?? 5000,
    scheduleToCloseTimeout: call.scheduleToCloseMs,
    heartbeatTimeout: call.heartbeatMs,
    retry: call.retry && {
      initialInterval: call.retry.initialIntervalMs,
      backoffCoefficient: call.retry.backoffCoefficient,
      maximumInterval: call.retry.maximumIntervalMs,
      maximumAttempts: call.retry.maximumAttempts,
      nonRetryableErrorTypes: call.retry.nonRetryableErrorTypes,
    },
  });
  try {
    const result = await acts[call.activity](...call.args);
    return { ok: true, result };
  } catch (err) {
    return describeActivityError(err);
  }
}

/**
 * Starts a heartbeating activity in a cancellation scope, cancels the scope after `cancelAfterMs`
 * and waits for the activity to acknowledge the cancellation.
 */
export async function cancelActivity(cancelAfterMs: number): Promise<{ cancelled: boolean; errorName?: string; causeName?: string }> {
  const acts = proxyActivities<Acts>({
    startToCloseTimeout: '30s',
    heartbeatTimeout: '1s',
    retry: { maximumAttempts: 1 },
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const scope = new CancellationScope();
  const p = scope.run(() => acts.heartbeatUntilCancelled());
  await sleep(cancelAfterMs);
  scope.cancel();
  try {
    await p;
    return { cancelled: false };
  } catch (err) {
    return { cancelled: isCancellation(err), errorName: (err as Error).name, causeName: (err as any).cause?.name };
  }
}

/**
 * Local activities: one slower than the workflow task timeout (forces the worker to heartbeat the
 * workflow task) and one that needs a local retry. Returns both results.
 */
export async function localActivities(slowMs: number): Promise<{ slow: string; retried: number }> {
  const local = proxyLocalActivities<Acts>({ startToCloseTimeout: '20s', retry: { initialInterval: '100ms', maximumAttempts: 5 } });
  const slow = await local.slowEcho('local-slow', slowMs);
  const retried = await local.failUntil(2);
  return { slow, retried };
}

/** Fails on its first attempt; the workflow retry policy starts a second run that succeeds. */
export async function retryingWorkflow(): Promise<{ attempt: number; runId: string; firstRunId: string }> {
  const info = workflowInfo();
  if (info.attempt < 2) throw ApplicationFailure.retryable(`attempt ${info.attempt} fails`, 'FirstAttempt');
  return { attempt: info.attempt, runId: info.runId, firstRunId: info.firstExecutionRunId };
}

/** Waits for `finish` up to `timeout`; reports whether the signal came and the (virtual) time spent. */
export async function waitWithTimeout(timeout: string): Promise<{ signalled: boolean; elapsedMs: number }> {
  let got = false;
  setHandler(finishSignal, () => {
    got = true;
  });
  const start = Date.now();
  const signalled = await condition(() => got, timeout);
  return { signalled, elapsedMs: Date.now() - start };
}

/** Cancels an activity that no worker ever picked up (its task queue has no poller). */
export async function cancelUnstartedActivity(): Promise<{ cancelled: boolean; errorName?: string; causeName?: string }> {
  const acts = proxyActivities<Acts>({
    taskQueue: `nobody-polls-${workflowInfo().workflowId}`,
    startToCloseTimeout: '10s',
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  });
  const scope = new CancellationScope();
  const p = scope.run(() => acts.echo('never'));
  await sleep(300);
  scope.cancel();
  try {
    await p;
    return { cancelled: false };
  } catch (err) {
    return { cancelled: isCancellation(err), errorName: (err as Error).name, causeName: (err as any).cause?.name };
  }
}

/** Runs a heartbeating activity until the workflow is terminated/cancelled. */
export async function heartbeatForever(): Promise<string> {
  const acts = proxyActivities<Acts>({ startToCloseTimeout: '60s', heartbeatTimeout: '1s', retry: { maximumAttempts: 1 } });
  return await acts.heartbeatUntilCancelled();
}

/** Continues as new `n` times, then waits forever. */
export async function canThenWait(n: number): Promise<void> {
  if (n > 0) await continueAsNew<typeof canThenWait>(n - 1);
  await condition(() => false);
}

/** Runs `n` activities in sequence and returns their results. */
export async function activitySequence(n: number): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await quick.describeAttempt().then((r) => `${i}:${r.activityType}`));
  return out;
}

/**
 * `n` short timers in a row while counting `inc` signals (sticky tests: a long life of small
 * workflow tasks); answers `count` queries and `add` updates.
 */
export async function ticker(n: number): Promise<{ ticks: number; count: number; signals: number }> {
  let count = 0;
  let signals = 0;
  setHandler(incSignal, (v) => {
    count += v;
    signals++;
  });
  setHandler(countQuery, () => count);
  setHandler(addUpdate, async (v) => (count += v));
  let ticks = 0;
  for (; ticks < n; ticks++) await sleep(5);
  return { ticks, count, signals };
}
