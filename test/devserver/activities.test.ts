/**
 * Activities through the dev server: retries with backoff, non-retryable failures,
 * maximumAttempts, heartbeat timeout (+ heartbeat details carried to the retry), cancellation
 * delivered through heartbeats.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attemptsOf, cancellations } from './activities.js';
import { collect, eventNames, eventsOf, getBundle, replayCollected, startSuite, uid, withWorker, type Suite } from './harness.js';
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
    expect(gap2).toBeGreaterThanOrEqual(350);
    expect(gap2).toBeGreaterThan(gap1);
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

  it('schedule-to-close timeout ends retries with TimeoutFailure(SCHEDULE_TO_CLOSE)', async () => {
    const t0 = Date.now();
    const { outcome, workflowId } = await run(
      {
        activity: 'failWithType',
        args: ['Forever'],
        scheduleToCloseMs: 1500,
        retry: { initialIntervalMs: 200, backoffCoefficient: 1, maximumAttempts: 0 },
      },
      'schedule-to-close',
    );
    console.log('s2c outcome', JSON.stringify(outcome), attemptsOf(workflowId).map((a) => a.at - t0));
    expect(outcome).toMatchObject({ ok: false, causeName: 'TimeoutFailure', timeoutType: 'SCHEDULE_TO_CLOSE', retryState: 'TIMEOUT' });
    const n = attemptsOf(workflowId).length;
    expect(n).toBeGreaterThanOrEqual(2);
    expect(n).toBeLessThanOrEqual(9);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 60_000);

  it('local activities: slower than the workflow task timeout, and retried locally', async () => {
    const taskQueue = uid('tq-local-act');
    const workflowId = uid('local-act');
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('localActivities', { taskQueue, workflowId, args: [2500], workflowTaskTimeout: '1s' });
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toEqual({ slow: 'local-slow', retried: 2 });
    const markers = eventsOf(history, 'MARKER_RECORDED').map((e) => e.markerRecordedEventAttributes?.markerName);
    expect(markers).toEqual(['core_local_activity', 'core_local_activity']);
    // no workflow task timed out although the local activity ran for 2.5 × the WFT timeout
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

  it('replays every history collected in this file', async () => {
    expect(suite.histories.length).toBeGreaterThanOrEqual(12);
    const report = await replayCollected(suite.histories);
    expect(report.failures).toEqual([]);
    expect(report.replayed).toBe(suite.histories.length);
  }, 60_000);
});
