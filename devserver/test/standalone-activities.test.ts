/**
 * Standalone activities through the SDK's ActivityClient (`client.activity`): execute / start /
 * getHandle with result, describe (state, attempt, heartbeat details, last failure), retries,
 * cancel (delivered to the worker through its heartbeat) and terminate, async completion by id,
 * the id conflict and reuse policies, list / count, and an activity kept across a restart on the
 * same `dbFilename`. The worker runs the activities exactly as it runs a workflow's.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApplicationFailure, CompleteAsyncError, Context, activityInfo, heartbeat } from '@temporalio/activity';
import { ActivityExecutionAlreadyStartedError, ActivityExecutionFailedError, ActivityNotFoundError } from '@temporalio/client';
import { CancelledFailure, TerminatedFailure } from '@temporalio/common';
import { startSuite, uid, waitFor, withWorker, type Suite } from './harness.js';

let suite: Suite;

beforeAll(async () => {
  suite = await startSuite();
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

/** What the activities saw, by activity id. */
const seen = new Map<string, { attempts: number[]; inWorkflow?: boolean; runId?: string; cancelled?: string }>();
const note = () => {
  const info = activityInfo();
  const s = seen.get(info.activityId) ?? { attempts: [] };
  s.attempts.push(info.attempt);
  s.inWorkflow = info.inWorkflow;
  s.runId = info.activityRunId;
  seen.set(info.activityId, s);
  return s;
};
/** Activities blocked until the test releases them, by activity id. */
const gates = new Map<string, () => void>();
const gate = (id: string) => new Promise<void>((resolve) => gates.set(id, resolve));

const activities = {
  async greet(name: string): Promise<string> {
    note();
    return `hello ${name}`;
  },
  async progress(): Promise<string> {
    note();
    heartbeat('halfway');
    await gate(activityInfo().activityId);
    return 'done';
  },
  async flaky(failures: number): Promise<string> {
    const s = note();
    if (s.attempts.length <= failures) throw ApplicationFailure.retryable(`attempt ${s.attempts.length} failed`, 'Flaky');
    return `ok after ${s.attempts.length}`;
  },
  async broken(): Promise<string> {
    note();
    throw ApplicationFailure.nonRetryable('cannot ever work', 'Broken');
  },
  /** Heartbeats until cancelled; records the reason the worker gave. */
  async patient(): Promise<string> {
    const s = note();
    const ctx = Context.current();
    for (;;) {
      heartbeat();
      try {
        await ctx.sleep(100);
      } catch (err) {
        s.cancelled = err instanceof CancelledFailure ? err.message : String(err);
        throw err;
      }
    }
  },
  async later(): Promise<string> {
    note();
    throw new CompleteAsyncError();
  },
};

const opts = (taskQueue: string, id = uid('act')) => ({ id, taskQueue, startToCloseTimeout: '20s' as const });

describe('standalone activities (SDK ActivityClient)', () => {
  it('execute runs the activity on a worker and returns its result', async () => {
    const taskQueue = uid('tq-sa');
    const id = uid('greet');
    await withWorker(suite, { taskQueue, activities }, async () => {
      const result = await suite.client.activity.execute('greet', { ...opts(taskQueue, id), args: ['standalone'] });
      expect(result).toBe('hello standalone');
    });
    const s = seen.get(id)!;
    expect(s.inWorkflow).toBe(false);
    const d = await suite.client.activity.getHandle(id).describe({ includeInput: true, includeOutcome: true });
    expect(s.runId).toBe(d.activityRunId);
    expect(d.status).toBe('COMPLETED');
    expect(d.activityType).toBe('greet');
    expect(d.taskQueue).toBe(taskQueue);
    expect(d.attempt).toBe(1);
    expect(await d.getInput()).toEqual(['standalone']);
    expect(await d.getResult()).toBe('hello standalone');
    expect(d.closeTime).toBeInstanceOf(Date);
  });

  it('start + describe while running shows the state and the heartbeat details', async () => {
    const taskQueue = uid('tq-sa');
    const id = uid('progress');
    await withWorker(suite, { taskQueue, activities }, async () => {
      const handle = await suite.client.activity.start('progress', { ...opts(taskQueue, id), heartbeatTimeout: '10s' });
      expect(handle.runId).toBeTruthy();
      const running = await waitFor('a heartbeat recorded', async () => {
        const d = await handle.describe({ includeHeartbeatDetails: true });
        return d.hasHeartbeatDetails ? d : undefined;
      });
      expect(running.status).toBe('RUNNING');
      expect(running.runState).toBe('STARTED');
      expect(running.attempt).toBe(1);
      expect(await running.getHeartbeatDetails()).toBe('halfway');
      expect(running.lastHeartbeatTime).toBeInstanceOf(Date);
      expect(running.lastStartedTime).toBeInstanceOf(Date);
      expect(running.lastWorkerIdentity).toBeTruthy();
      expect(running.heartbeatTimeoutMs).toBe(10_000);
      expect(running.totalHeartbeatCount).toBeGreaterThanOrEqual(1);
      gates.get(id)!();
      expect(await handle.result()).toBe('done');
      expect((await handle.describe()).status).toBe('COMPLETED');
    });
  });

  it('retries failed attempts with backoff, then succeeds; a non-retryable failure fails the execution', async () => {
    const taskQueue = uid('tq-sa');
    const id = uid('flaky');
    const brokenId = uid('broken');
    await withWorker(suite, { taskQueue, activities }, async () => {
      const handle = await suite.client.activity.start('flaky', {
        ...opts(taskQueue, id),
        args: [2],
        retry: { initialInterval: '50ms', backoffCoefficient: 2, maximumAttempts: 5 },
      });
      expect(await handle.result()).toBe('ok after 3');
      const d = await handle.describe({ includeLastFailure: true });
      expect(d.attempt).toBe(3);
      expect(d.status).toBe('COMPLETED');
      expect(d.retryPolicy?.maximumAttempts).toBe(5);
      expect(((await d.getLastFailure()) as Error).message).toBe('attempt 2 failed');

      const broken = await suite.client.activity.start('broken', { ...opts(taskQueue, brokenId), retry: { initialInterval: '50ms' } });
      const err = await broken.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ActivityExecutionFailedError);
      const cause = (err as ActivityExecutionFailedError).cause;
      expect(cause).toBeInstanceOf(ApplicationFailure);
      expect((cause as ApplicationFailure).message).toBe('cannot ever work');
      expect((cause as ApplicationFailure).type).toBe('Broken');
      expect((await broken.describe()).status).toBe('FAILED');
    });
    expect(seen.get(id)!.attempts).toEqual([1, 2, 3]);
    expect(seen.get(brokenId)!.attempts).toEqual([1]);
  });

  it('cancel reaches the worker through its heartbeat; terminate ends the execution at once', async () => {
    const taskQueue = uid('tq-sa');
    const cancelId = uid('cancel');
    const termId = uid('term');
    await withWorker(suite, { taskQueue, activities }, async () => {
      const handle = await suite.client.activity.start('patient', { ...opts(taskQueue, cancelId), heartbeatTimeout: '1s' });
      await waitFor('the attempt started', async () => ((await handle.describe()).runState === 'STARTED' ? true : undefined));
      await handle.cancel('no longer needed');
      const err = await handle.result().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ActivityExecutionFailedError);
      expect((err as ActivityExecutionFailedError).cause).toBeInstanceOf(CancelledFailure);
      const d = await handle.describe();
      expect(d.status).toBe('CANCELED');
      expect(d.canceledReason).toBe('no longer needed');
      expect(seen.get(cancelId)!.cancelled).toBe('CANCELLED');

      const term = await suite.client.activity.start('patient', { ...opts(taskQueue, termId), heartbeatTimeout: '1s' });
      await waitFor('the attempt started', async () => ((await term.describe()).runState === 'STARTED' ? true : undefined));
      await term.terminate('operator stop');
      const terr = await term.result().catch((e: unknown) => e);
      expect(terr).toBeInstanceOf(ActivityExecutionFailedError);
      const tcause = (terr as ActivityExecutionFailedError).cause;
      expect(tcause).toBeInstanceOf(TerminatedFailure);
      expect((tcause as Error).message).toBe('operator stop');
      expect((await term.describe()).status).toBe('TERMINATED');
      // The worker's next heartbeat is answered NOT_FOUND: the SDK cancels the activity.
      await waitFor('the worker to cancel the terminated activity', () => seen.get(termId)?.cancelled);
      expect(seen.get(termId)!.cancelled).toBe('NOT_FOUND');
    });
  });

  it('a scheduled activity is cancelled at once; async completion by activity id', async () => {
    const taskQueue = uid('tq-sa');
    const idle = await suite.client.activity.start('greet', opts(uid('tq-nobody')));
    await idle.cancel('before any worker');
    expect((await idle.describe()).status).toBe('CANCELED');

    const id = uid('later');
    await withWorker(suite, { taskQueue, activities }, async () => {
      const handle = await suite.client.activity.start('later', opts(taskQueue, id));
      await waitFor('the worker to run the activity', () => seen.get(id));
      await waitFor('the attempt started', async () => ((await handle.describe()).runState === 'STARTED' ? true : undefined));
      await suite.client.activity.heartbeat({ activityId: id, runId: handle.runId }, 'from outside');
      const d = await handle.describe({ includeHeartbeatDetails: true });
      expect(await d.getHeartbeatDetails()).toBe('from outside');
      await suite.client.activity.complete({ activityId: id }, 'completed by id');
      expect(await handle.result()).toBe('completed by id');
      await expect(suite.client.activity.complete({ activityId: id }, 'again')).rejects.toBeInstanceOf(ActivityNotFoundError);
    });
    await expect(suite.client.activity.getHandle(uid('missing')).describe()).rejects.toBeInstanceOf(ActivityNotFoundError);
  });

  it('id conflict and reuse policies: a running id is rejected (or used), a closed one reused unless REJECT_DUPLICATE', async () => {
    const taskQueue = uid('tq-nobody');
    const id = uid('dup');
    const first = await suite.client.activity.start('greet', opts(taskQueue, id));
    const err = await suite.client.activity.start('greet', opts(taskQueue, id)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ActivityExecutionAlreadyStartedError);
    expect((err as ActivityExecutionAlreadyStartedError).runId).toBe(first.runId);
    expect((err as ActivityExecutionAlreadyStartedError).activityId).toBe(id);
    const existing = await suite.client.activity.start('greet', { ...opts(taskQueue, id), idConflictPolicy: 'USE_EXISTING' });
    expect(existing.runId).toBe(first.runId);

    await first.terminate('make room');
    await expect(suite.client.activity.start('greet', { ...opts(taskQueue, id), idReusePolicy: 'REJECT_DUPLICATE' })).rejects.toBeInstanceOf(
      ActivityExecutionAlreadyStartedError,
    );
    // Terminated is not a success: FAILED_ONLY allows it, as does the default ALLOW_DUPLICATE.
    const second = await suite.client.activity.start('greet', { ...opts(taskQueue, id), idReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' });
    expect(second.runId).not.toBe(first.runId);
    expect((await suite.client.activity.getHandle(id).describe()).activityRunId).toBe(second.runId);
    expect((await suite.client.activity.getHandle(id, first.runId).describe()).status).toBe('TERMINATED');
    await second.terminate('cleanup');
  });

  it('list and count with queries on ActivityId, ActivityType, TaskQueue and ExecutionStatus', async () => {
    const taskQueue = uid('tq-sa');
    const ids = [uid('ls'), uid('ls'), uid('ls')];
    await withWorker(suite, { taskQueue, activities }, async () => {
      await suite.client.activity.execute('greet', { ...opts(taskQueue, ids[0]), args: ['a'] });
      await suite.client.activity.execute('greet', { ...opts(taskQueue, ids[1]), args: ['b'] });
    });
    await suite.client.activity.start('progress', opts(taskQueue, ids[2]));
    const q = `TaskQueue = "${taskQueue}"`;
    const listed = [];
    for await (const info of suite.client.activity.list(q)) listed.push(info);
    expect(listed.map((i) => i.activityId).sort()).toEqual([...ids].sort());
    const one = [];
    for await (const info of suite.client.activity.list(`ActivityId = "${ids[1]}"`)) one.push(info);
    expect(one).toHaveLength(1);
    expect(one[0]).toMatchObject({ activityId: ids[1], activityType: 'greet', status: 'COMPLETED', taskQueue });
    expect((await suite.client.activity.count(`${q} AND ActivityType = "greet" AND ExecutionStatus = "Completed"`)).count).toBe(2);
    expect((await suite.client.activity.count(`${q} AND ExecutionStatus = "Running"`)).count).toBe(1);
    const grouped = await suite.client.activity.count(`${q} GROUP BY ExecutionStatus`);
    expect(grouped.count).toBe(3);
    expect(Object.fromEntries((grouped.groups ?? []).map((g) => [g.groupValues?.[0], g.count]))).toEqual({ Completed: 2, Running: 1 });
    await suite.client.activity.getHandle(ids[2]).terminate('cleanup');
  });

  it('a scheduled activity and a completed one survive a restart on the same dbFilename', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-sa-'));
    const dbFilename = path.join(dir, 'db.log');
    const taskQueue = uid('tq-sa');
    const doneId = uid('persist-done');
    const pendingId = uid('persist-pending');
    try {
      const first = await startSuite({ dbFilename });
      let pendingRunId: string;
      try {
        await withWorker(first, { taskQueue, activities }, async () => {
          expect(await first.client.activity.execute('greet', { ...opts(taskQueue, doneId), args: ['before'] })).toBe('hello before');
        });
        const h = await first.client.activity.start('greet', { ...opts(taskQueue, pendingId), args: ['after'], scheduleToCloseTimeout: '5m' });
        pendingRunId = h.runId!;
        expect((await h.describe()).runState).toBe('SCHEDULED');
      } finally {
        await first.stop();
      }
      const second = await startSuite({ dbFilename });
      try {
        const done = await second.client.activity.getHandle(doneId).describe({ includeOutcome: true });
        expect(done.status).toBe('COMPLETED');
        expect(await done.getResult()).toBe('hello before');
        const pending = second.client.activity.getHandle(pendingId);
        const d = await pending.describe();
        expect(d).toMatchObject({ status: 'RUNNING', runState: 'SCHEDULED', activityRunId: pendingRunId, scheduleToCloseTimeoutMs: 300_000 });
        await withWorker(second, { taskQueue, activities }, async () => {
          expect(await pending.result()).toBe('hello after');
        });
        expect((await second.client.activity.count(`TaskQueue = "${taskQueue}"`)).count).toBe(2);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
