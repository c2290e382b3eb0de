/**
 * Activities through the dev server: retries with backoff, non-retryable failures,
 * maximumAttempts, heartbeat timeout (+ heartbeat details carried to the retry), cancellation
 * delivered through heartbeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptsOf, cancellations } from './activities.js';
import { collect, debug, eventNames, waitFor, eventsOf, getBundle, startSuite, uid, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import type { ActivityOutcome } from './workflows/basic.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

async function run(call: object, prefix: string) {
  const taskQueue = uid(`tq-${prefix}`);
  const workflowId = uid(prefix);
  return withWorker(suite, { taskQueue }, async () => {
    const handle = await suite.client.workflow.start('runActivity', { taskQueue, workflowId, args: [call] });
    const outcome = (await handle.result()) as ActivityOutcome;
    const history = await collect(suite, handle);
    return { outcome, history, workflowId, handle };
  });
}

describe('activities', () => {
  it('retries with exponential backoff, then succeeds', async () => {
    const { outcome, history, workflowId } = await run(
      { activity: 'failUntil', args: [3], retry: { initialIntervalMs: 200, backoffCoefficient: 2, maximumAttempts: 5 } },
      'retry-backoff',
    );
    expect(outcome).toEqual({ ok: true, result: 3 });
    const seen = attemptsOf(workflowId);
    expect(seen.map((a) => a.attempt)).toEqual([1, 2, 3]);
    // backoff: ~200 ms then ~400 ms (allow scheduling slack but require growth)
    const gap1 = seen[1].at - seen[0].at;
    const gap2 = seen[2].at - seen[1].at;
    expect(gap1).toBeGreaterThanOrEqual(150);
    expect(gap2).toBeGreaterThanOrEqual(350); // a constant 200-ms backoff would fail here
    // retries are invisible in history: one scheduled, one started (attempt 3), one completed
    const names = eventNames(history);
    expect(names.filter((n) => n === 'ACTIVITY_TASK_SCHEDULED')).toHaveLength(1);
    expect(names.filter((n) => n === 'ACTIVITY_TASK_STARTED')).toHaveLength(1);
    expect(names.filter((n) => n === 'ACTIVITY_TASK_COMPLETED')).toHaveLength(1);
    const started = eventsOf(history, 'ACTIVITY_TASK_STARTED')[0];
    expect(started.activityTaskStartedEventAttributes?.attempt).toBe(3);
    expect(started.activityTaskStartedEventAttributes?.lastFailure?.message).toContain('transient failure on attempt 2');
  }, 60_000);

  it('does not retry ApplicationFailure.nonRetryable', async () => {
    const { outcome, workflowId, history } = await run(
      { activity: 'failNonRetryable', args: [], retry: { initialIntervalMs: 100, maximumAttempts: 5 } },
      'non-retryable',
    );
    expect(outcome).toMatchObject({
      ok: false,
      errorName: 'ActivityFailure',
      retryState: 'NON_RETRYABLE_FAILURE',
      causeName: 'ApplicationFailure',
      causeType: 'FatalError',
      causeMessage: 'this is fatal',
      causeNonRetryable: true,
      activityType: 'failNonRetryable',
    });
    expect(attemptsOf(workflowId)).toHaveLength(1);
    expect(eventNames(history)).toContain('ACTIVITY_TASK_FAILED');
  }, 60_000);

  it('does not retry error types listed in nonRetryableErrorTypes', async () => {
    const { outcome, workflowId } = await run(
      {
        activity: 'failWithType',
        args: ['PaymentDeclined'],
        retry: { initialIntervalMs: 100, maximumAttempts: 5, nonRetryableErrorTypes: ['PaymentDeclined'] },
      },
      'non-retryable-types',
    );
    expect(outcome).toMatchObject({ ok: false, retryState: 'NON_RETRYABLE_FAILURE', causeType: 'PaymentDeclined' });
    expect(attemptsOf(workflowId)).toHaveLength(1);

    // control: an error type NOT in the list is retried
    const control = await run(
      {
        activity: 'failWithType',
        args: ['SomethingElse'],
        retry: { initialIntervalMs: 100, maximumAttempts: 2, nonRetryableErrorTypes: ['PaymentDeclined'] },
      },
      'non-retryable-types-control',
    );
    expect(control.outcome).toMatchObject({ ok: false, retryState: 'MAXIMUM_ATTEMPTS_REACHED', causeType: 'SomethingElse' });
    expect(attemptsOf(control.workflowId)).toHaveLength(2);
  }, 60_000);

  it('stops at maximumAttempts', async () => {
    const { outcome, workflowId, history } = await run(
      { activity: 'failWithType', args: ['Flaky'], retry: { initialIntervalMs: 100, backoffCoefficient: 1, maximumAttempts: 3 } },
      'max-attempts',
    );
    expect(outcome).toMatchObject({
      ok: false,
      errorName: 'ActivityFailure',
      retryState: 'MAXIMUM_ATTEMPTS_REACHED',
      causeType: 'Flaky',
      causeMessage: 'failure of type Flaky',
    });
    expect(attemptsOf(workflowId).map((a) => a.attempt)).toEqual([1, 2, 3]);
    const failed = eventsOf(history, 'ACTIVITY_TASK_FAILED');
    expect(failed).toHaveLength(1);
    expect(eventsOf(history, 'ACTIVITY_TASK_STARTED')[0].activityTaskStartedEventAttributes?.attempt).toBe(3);
  }, 60_000);

  it('honours ApplicationFailure.nextRetryDelay over the retry policy interval', async () => {
    const t0 = Date.now();
    const { outcome, workflowId } = await run(
      { activity: 'failWithNextRetryDelay', args: [3, 100], retry: { initialIntervalMs: 20_000, maximumAttempts: 5 } },
      'next-retry-delay',
    );
    expect(outcome).toEqual({ ok: true, result: 3 });
    expect(attemptsOf(workflowId).map((a) => a.attempt)).toEqual([1, 2, 3]);
    // with the policy's 20 s interval this would take 60 s
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);

  it('start-to-close timeout is retried, then reported as TimeoutFailure(START_TO_CLOSE)', async () => {
    const { outcome, workflowId, history } = await run(
      { activity: 'slowEcho', args: ['late', 3000], startToCloseMs: 500, retry: { initialIntervalMs: 100, maximumAttempts: 2 } },
      'start-to-close',
    );
    expect(outcome).toMatchObject({ ok: false, causeName: 'TimeoutFailure', timeoutType: 'START_TO_CLOSE', retryState: 'MAXIMUM_ATTEMPTS_REACHED' });
    expect(attemptsOf(workflowId).map((a) => a.attempt)).toEqual([1, 2]);
    expect(eventNames(history)).toContain('ACTIVITY_TASK_TIMED_OUT');
  }, 60_000);

  it('schedule-to-close: retries stop when the next attempt would start too late (retryState TIMEOUT)', async () => {
    const { outcome, workflowId } = await run(
      { activity: 'failWithType', args: ['Forever'], scheduleToCloseMs: 1500, retry: { initialIntervalMs: 200, backoffCoefficient: 1 } },
      'schedule-to-close-retry',
    );
    // like the real server: ActivityTaskFailed with the last failure and RETRY_STATE_TIMEOUT
    const seen = attemptsOf(workflowId);
    debug('schedule-to-close retry', outcome, seen.map((a) => a.at - seen[0].at));
    expect(outcome).toMatchObject({ ok: false, errorName: 'ActivityFailure', retryState: 'TIMEOUT' });
    // Either the last failure ends it (its backoff would pass the deadline) or, when an attempt
    // is slow on a loaded machine, the schedule-to-close timer fires first: both are final TIMEOUTs.
    const o = outcome as { causeType?: string; causeName?: string; timeoutType?: string };
    expect(o.causeType === 'Forever' || (o.causeName === 'TimeoutFailure' && o.timeoutType === 'SCHEDULE_TO_CLOSE'), JSON.stringify(outcome)).toBe(true);
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(seen.length).toBeLessThanOrEqual(9);
    // every attempt started within the schedule-to-close window (+ generous dispatch latency on a
    // loaded machine; an attempt scheduled after the window would come ≥ one more backoff later)
    expect(seen.at(-1)!.at - seen[0].at).toBeLessThan(1500 + 1000);
  }, 60_000);

  it('schedule-to-close fires while an attempt is running: TimeoutFailure(SCHEDULE_TO_CLOSE)', async () => {
    const { outcome, workflowId, history } = await run(
      { activity: 'slowEcho', args: ['late', 4000], startToCloseMs: 10_000, scheduleToCloseMs: 1000, retry: { maximumAttempts: 3 } },
      'schedule-to-close-running',
    );
    expect(outcome).toMatchObject({ ok: false, errorName: 'ActivityFailure', causeName: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_CLOSE', retryState: 'TIMEOUT' });
    expect(attemptsOf(workflowId)).toHaveLength(1);
    expect(eventNames(history)).toContain('ACTIVITY_TASK_TIMED_OUT');
    // It ended on the timeout, not on the (4 s) activity finishing: no completion was recorded.
    expect(eventNames(history)).not.toContain('ACTIVITY_TASK_COMPLETED');
  }, 60_000);

  it('local activities: slower than the workflow task timeout, and retried locally', async () => {
    const taskQueue = uid('tq-local-act');
    const workflowId = uid('local-act');
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      // 1.5 × the workflow task timeout: only the worker's WFT heartbeat (sent at 80 % of the
      // timeout) keeps the task alive. 10 s is the SDK's default timeout and leaves that heartbeat
      // 2 s of margin; with a 1-s timeout the margin was 200 ms, which a loaded machine missed.
      const handle = await suite.client.workflow.start('localActivities', { taskQueue, workflowId, args: [15_000], workflowTaskTimeout: '10s' });
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toEqual({ slow: 'local-slow', retried: 2 });
    const markers = eventsOf(history, 'MARKER_RECORDED').map((e) => e.markerRecordedEventAttributes?.markerName);
    expect(markers).toEqual(['core_local_activity', 'core_local_activity']);
    // no workflow task timed out although the local activity ran for 1.5 × the WFT timeout
    expect(eventNames(history)).not.toContain('WORKFLOW_TASK_TIMED_OUT');
    expect(eventNames(history)).not.toContain('WORKFLOW_TASK_FAILED');
    expect(attemptsOf(workflowId).map((a) => a.attempt)).toEqual([1, 1, 2]);
  }, 60_000);

  it('times out an activity that stops heartbeating (no retry left)', async () => {
    const t0 = Date.now();
    const { outcome, history, workflowId } = await run(
      { activity: 'stallAfterHeartbeat', args: [99], heartbeatMs: 1000, startToCloseMs: 20_000, retry: { maximumAttempts: 1 } },
      'heartbeat-timeout',
    );
    const elapsed = Date.now() - t0;
    expect(outcome).toMatchObject({ ok: false, errorName: 'ActivityFailure', causeName: 'TimeoutFailure', timeoutType: 'HEARTBEAT' });
    expect(eventNames(history)).toContain('ACTIVITY_TASK_TIMED_OUT');
    expect(attemptsOf(workflowId)).toHaveLength(1);
    // the heartbeat timeout (1 s), not start-to-close (20 s), ended it
    expect(elapsed).toBeLessThan(15_000);
  }, 60_000);

  it('retries after a heartbeat timeout and hands the last heartbeat details to the next attempt', async () => {
    const { outcome, workflowId } = await run(
      {
        activity: 'stallAfterHeartbeat',
        args: [2],
        heartbeatMs: 1000,
        startToCloseMs: 20_000,
        retry: { initialIntervalMs: 100, maximumAttempts: 2 },
      },
      'heartbeat-retry',
    );
    expect(outcome).toEqual({ ok: true, result: 'progress-1' });
    expect(attemptsOf(workflowId).map((a) => a.attempt)).toEqual([1, 2]);
  }, 60_000);

  it('delivers cancellation to a heartbeating activity', async () => {
    const taskQueue = uid('tq-act-cancel');
    const workflowId = uid('act-cancel');
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('cancelActivity', { taskQueue, workflowId, args: [500] });
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toMatchObject({ cancelled: true, errorName: 'ActivityFailure', causeName: 'CancelledFailure' });
    const seen = cancellations.get(workflowId);
    expect(seen?.cancelled).toBe(true);
    expect(seen!.heartbeats).toBeGreaterThan(0);
    // the cancellation came from the server's heartbeat response, not from a timeout / NOT_FOUND
    expect(seen?.details).toEqual({ cancelRequested: true, notFound: false, timedOut: false, workerShutdown: false });
    const names = eventNames(history);
    expect(names).toContain('ACTIVITY_TASK_CANCEL_REQUESTED');
    expect(names).toContain('ACTIVITY_TASK_CANCELED');
    expect(names.indexOf('ACTIVITY_TASK_CANCEL_REQUESTED')).toBeLessThan(names.indexOf('ACTIVITY_TASK_CANCELED'));
  }, 60_000);

  it('cancelling an activity that was never dispatched resolves at once (ActivityTaskCanceled without start)', async () => {
    const taskQueue = uid('tq-act-cancel-unstarted');
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('cancelUnstartedActivity', { taskQueue, workflowId: uid('act-cancel-unstarted') });
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toMatchObject({ cancelled: true, errorName: 'ActivityFailure', causeName: 'CancelledFailure' });
    const names = eventNames(history);
    expect(names).toContain('ACTIVITY_TASK_CANCEL_REQUESTED');
    expect(names).toContain('ACTIVITY_TASK_CANCELED');
    expect(names).not.toContain('ACTIVITY_TASK_STARTED');
    expect(Number(eventsOf(history, 'ACTIVITY_TASK_CANCELED')[0].activityTaskCanceledEventAttributes?.startedEventId ?? 0)).toBe(0);
  }, 60_000);

  it('terminating a workflow cancels its running activity (heartbeat gets NOT_FOUND)', async () => {
    const taskQueue = uid('tq-act-terminate');
    const workflowId = uid('act-terminate');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('heartbeatForever', { taskQueue, workflowId });
      await waitFor('activity heartbeating', () => (cancellations.get(workflowId)?.heartbeats ?? 0) > 2);
      await handle.terminate('stop the activity');
      await waitFor('activity cancelled after terminate', () => cancellations.get(workflowId)?.cancelled);
      expect(cancellations.get(workflowId)?.details).toMatchObject({ notFound: true });
      await collect(suite, handle);
    });
  }, 60_000);

  checkCollectedHistories(() => suite.histories, 6);
});
