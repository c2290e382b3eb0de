/**
 * What the Temporal Web UI reads, by raw WorkflowService calls of the SDK's client:
 * DescribeTaskQueue pollers (workflow, activity, sticky queue, TTL), the default list order of the
 * SQL visibility store with keyset paging, GetWorkflowExecutionHistoryReverse paging, history long
 * polls (`waitNewEvent`) woken by a new event and cancelled with the caller, and the retry details
 * of a pending activity in DescribeWorkflowExecution.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { checkCollectedHistories, collect, eventNames, getBundle, startSuite, uid, waitFor, waitForEvent, withWorker, type Suite } from './harness.js';
import { finishSignal, incSignal } from './workflows/basic.js';
import { POLLER_HISTORY_TTL_MS } from '../src/matching.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

const svc = () => suite.connection.workflowService;
const TQ_TYPE = temporal.api.enums.v1.TaskQueueType;
const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => Number(t?.seconds ?? 0) * 1000 + Math.floor((t?.nanos ?? 0) / 1e6);

describe('DescribeTaskQueue', () => {
  it('lists the pollers of the workflow queue and the activity queue, with their rates', async () => {
    const taskQueue = uid('tq-pollers');
    const identity = uid('worker-identity');
    await withWorker(suite, { taskQueue, options: { identity, maxTaskQueueActivitiesPerSecond: 50 } }, async () => {
      const handle = await suite.client.workflow.start('activityEcho', { taskQueue, workflowId: uid('pollers'), args: ['x'] });
      expect(await handle.result()).toBe('x');
      const describe = (name: string, type: number, kind?: number) =>
        svc().describeTaskQueue({ namespace: 'default', taskQueue: { name, kind }, taskQueueType: type });
      const wf = await waitFor('workflow poller', async () => {
        const r = await describe(taskQueue, TQ_TYPE.TASK_QUEUE_TYPE_WORKFLOW);
        return r.pollers?.find((p) => p.identity === identity);
      });
      expect(Math.abs(ms(wf.lastAccessTime) - Date.now())).toBeLessThan(60_000);
      expect(wf.ratePerSecond).toBe(100_000);
      const act = await waitFor('activity poller', async () => {
        const r = await describe(taskQueue, TQ_TYPE.TASK_QUEUE_TYPE_ACTIVITY);
        return r.pollers?.find((p) => p.identity === identity);
      });
      expect(act.ratePerSecond).toBe(50);
      // An unspecified type is the workflow type; a queue nobody polled has no pollers.
      const unspecified = await svc().describeTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue } });
      expect(unspecified.pollers?.map((p) => p.identity)).toContain(identity);
      const none = await describe(uid('tq-nobody'), TQ_TYPE.TASK_QUEUE_TYPE_WORKFLOW);
      expect(none.pollers ?? []).toEqual([]);
      // Pollers are kept for 5 minutes after their last poll, as the real server's poller history.
      const key = suite.engine.queueKey('default', taskQueue);
      expect(suite.engine.activityTasks.pollers(key, Date.now() + POLLER_HISTORY_TTL_MS + 1000)).toEqual([]);
      await expect(svc().describeTaskQueue({ namespace: 'default', taskQueue: { name: '' } })).rejects.toMatchObject({ code: 3 });
    });
  }, 60_000);

  it('lists the sticky poller on the sticky queue while a workflow is cached', async () => {
    const taskQueue = uid('tq-sticky-pollers');
    const identity = uid('sticky-identity');
    await withWorker(suite, { taskQueue, options: { identity } }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('sticky-pollers'), args: [{}] });
      await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
      const run = suite.engine.runs.get(handle.firstExecutionRunId!)!;
      const queue = await waitFor('stickiness', () => suite.engine.sticky.get(run)?.queue);
      const r = await waitFor('sticky poller', async () => {
        const res = await svc().describeTaskQueue({
          namespace: 'default',
          taskQueue: { name: queue, kind: temporal.api.enums.v1.TaskQueueKind.TASK_QUEUE_KIND_STICKY, normalName: taskQueue },
          taskQueueType: TQ_TYPE.TASK_QUEUE_TYPE_WORKFLOW,
        });
        return res.pollers?.length ? res : undefined;
      });
      expect(r.pollers!.map((p) => p.identity)).toEqual([identity]);
      await handle.signal(finishSignal, 'bye');
      await handle.result();
      await collect(suite, handle);
    });
  }, 60_000);
});

describe('ListWorkflowExecutions order and paging', () => {
  it('running first (newest start first), then newest close first; pages continue after the last row', async () => {
    const taskQueue = uid('tq-order');
    await withWorker(suite, { taskQueue }, async () => {
      const start = (id: string) => suite.client.workflow.start('counter', { taskQueue, workflowId: `${id}-${taskQueue}`, args: [{}] });
      const finish = async (h: Awaited<ReturnType<typeof start>>) => {
        await h.signal(finishSignal, 'done');
        await h.result();
      };
      const w1 = await start('w1');
      const w2 = await start('w2');
      const w3 = await start('w3');
      await finish(w3);
      await new Promise((r) => setTimeout(r, 20));
      await finish(w1);
      const w4 = await start('w4');
      const query = `TaskQueue = '${taskQueue}'`;
      const ids = (r: temporal.api.workflowservice.v1.IListWorkflowExecutionsResponse) => (r.executions ?? []).map((x) => x.execution!.workflowId!.split('-')[0]);
      const all = await svc().listWorkflowExecutions({ namespace: 'default', query });
      expect(ids(all)).toEqual(['w4', 'w2', 'w1', 'w3']);
      // Scan and the legacy ListOpen answer in the same order.
      const scan = await svc().scanWorkflowExecutions({ namespace: 'default', query });
      expect(ids(scan)).toEqual(['w4', 'w2', 'w1', 'w3']);
      const open = await svc().listOpenWorkflowExecutions({ namespace: 'default', maximumPageSize: 1, typeFilter: { name: 'counter' } });
      expect(open.executions).toHaveLength(1);
      expect(open.nextPageToken?.length).toBeGreaterThan(0);

      const page1 = await svc().listWorkflowExecutions({ namespace: 'default', query, pageSize: 2 });
      expect(ids(page1)).toEqual(['w4', 'w2']);
      // A run started between two pages sorts before the token: the next page neither repeats w2 nor skips a row.
      const w5 = await start('w5');
      const page2 = await svc().listWorkflowExecutions({ namespace: 'default', query, pageSize: 2, nextPageToken: page1.nextPageToken });
      expect(ids(page2)).toEqual(['w1', 'w3']);
      expect(page2.nextPageToken?.length ?? 0).toBe(0);
      for (const h of [w2, w4, w5]) await finish(h);
      for (const h of [w1, w2, w3, w4, w5]) await collect(suite, h);
    });
  }, 60_000);
});

describe('history reads', () => {
  it('GetWorkflowExecutionHistoryReverse pages from the newest event backwards with maximumPageSize', async () => {
    const taskQueue = uid('tq-reverse');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('reverse'), args: [{}] });
      for (let i = 0; i < 4; i++) await handle.signal(incSignal, 1);
      await waitFor('4 signals handled', async () => eventNames(await handle.fetchHistory()).filter((n) => n === 'WORKFLOW_EXECUTION_SIGNALED').length === 4 && (await handle.describe()).raw.pendingWorkflowTask == null);
      const forward = (await handle.fetchHistory()).events!.map((e) => Number(e.eventId));
      const execution = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
      const pages: number[][] = [];
      let token: Uint8Array | undefined;
      do {
        const r = await svc().getWorkflowExecutionHistoryReverse({ namespace: 'default', execution, maximumPageSize: 3, nextPageToken: token });
        pages.push((r.history?.events ?? []).map((e) => Number(e.eventId)));
        token = r.nextPageToken?.length ? r.nextPageToken : undefined;
        // Events written after the first page are not part of this reading.
        if (pages.length === 1) await handle.signal(incSignal, 1);
      } while (token);
      expect(pages[0]).toEqual([forward.length, forward.length - 1, forward.length - 2]);
      expect(pages.every((p) => p.length <= 3)).toBe(true);
      expect(pages.length).toBe(Math.ceil(forward.length / 3));
      expect(pages.flat()).toEqual([...forward].reverse());
      await handle.signal(finishSignal, 'bye');
      await handle.result();
      await collect(suite, handle);
    });
  }, 60_000);

  it('waitNewEvent returns as soon as an event is written past the token, and a cancelled wait is dropped', async () => {
    const taskQueue = uid('tq-long-poll');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('long-poll'), args: [{}] });
      await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
      const execution = { workflowId: handle.workflowId, runId: handle.firstExecutionRunId };
      // Read to the end: a running workflow's last page still carries a token to wait on.
      const tokenAtEnd = async () => {
        const length = await waitFor('no workflow task in flight', async () => {
          const d = await handle.describe();
          return d.raw.pendingWorkflowTask == null ? Number(d.historyLength) : undefined;
        });
        let token: Uint8Array | undefined;
        for (let seen = 0; seen < length; ) {
          const r = await svc().getWorkflowExecutionHistory({ namespace: 'default', execution, nextPageToken: token, waitNewEvent: true });
          seen += r.history?.events?.length ?? 0;
          token = r.nextPageToken!;
        }
        return token;
      };
      const token = await tokenAtEnd();
      const t0 = Date.now();
      const waiting = svc().getWorkflowExecutionHistory({ namespace: 'default', execution, nextPageToken: token, waitNewEvent: true });
      await waitFor('the long poll to wait', () => suite.engine.historyWaiters.pending > 0);
      await handle.signal(incSignal, 5);
      const r = await waiting;
      expect(Date.now() - t0).toBeLessThan(10_000);
      expect(eventNames(r.history)).toContain('WORKFLOW_EXECUTION_SIGNALED');
      expect((await handle.describe()).status.name).toBe('RUNNING');
      expect(r.nextPageToken?.length).toBeGreaterThan(0);

      // The caller gives up: the server's wait goes with it.
      const tail = await tokenAtEnd();
      const ctrl = new AbortController();
      const cancelled = suite.connection.withAbortSignal(ctrl.signal, () =>
        svc().getWorkflowExecutionHistory({ namespace: 'default', execution, nextPageToken: tail, waitNewEvent: true }),
      );
      await waitFor('the second long poll to wait', () => suite.engine.historyWaiters.pending > 0);
      ctrl.abort();
      await expect(cancelled).rejects.toBeDefined();
      await waitFor('the cancelled wait to be dropped', () => suite.engine.historyWaiters.pending === 0);
      await handle.signal(finishSignal, 'bye');
      await handle.result();
      await collect(suite, handle);
    });
  }, 60_000);
});

describe('DescribeWorkflowExecution of a retrying activity', () => {
  it('reports attempt, last failure, next attempt time, retry interval and the last attempt\'s times', async () => {
    const taskQueue = uid('tq-retrying');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('runActivity', {
        taskQueue,
        workflowId: uid('retrying'),
        args: [{ activity: 'failUntil', args: [100], retry: { initialIntervalMs: 2000, backoffCoefficient: 2, maximumAttempts: 6 } }],
      });
      const pendingAt = async (attempt: number) =>
        waitFor(`attempt ${attempt} waiting for its retry`, async () => {
          const d = await svc().describeWorkflowExecution({ namespace: 'default', execution: { workflowId: handle.workflowId } });
          const a = d.pendingActivities?.[0];
          return a && a.attempt === attempt && a.nextAttemptScheduleTime ? a : undefined;
        });
      const a2 = await pendingAt(2);
      const State = temporal.api.enums.v1.PendingActivityState;
      expect(a2.state).toBe(State.PENDING_ACTIVITY_STATE_SCHEDULED);
      expect(a2.maximumAttempts).toBe(6);
      expect(a2.lastFailure?.message).toBe('transient failure on attempt 1');
      expect(a2.lastStartedTime).toBeTruthy();
      expect(a2.lastWorkerIdentity).toBeTruthy();
      const completed = ms(a2.lastAttemptCompleteTime);
      expect(completed).toBeGreaterThanOrEqual(ms(a2.lastStartedTime));
      expect(ms(a2.nextAttemptScheduleTime) - completed).toBe(2000);
      expect(ms(a2.currentRetryInterval as never)).toBe(2000);
      expect(a2.activityOptions?.retryPolicy?.maximumAttempts).toBe(6);

      const a3 = await pendingAt(3);
      expect(a3.lastFailure?.message).toBe('transient failure on attempt 2');
      expect(ms(a3.currentRetryInterval as never)).toBe(4000);
      expect(ms(a3.lastAttemptCompleteTime)).toBeGreaterThan(completed);
      // Once the attempt is out with a worker again, it is STARTED and no retry is pending.
      const started = await waitFor('attempt 3 started', async () => {
        const d = await svc().describeWorkflowExecution({ namespace: 'default', execution: { workflowId: handle.workflowId } });
        const a = d.pendingActivities?.[0];
        return a && a.attempt === 3 && a.state === State.PENDING_ACTIVITY_STATE_STARTED ? a : undefined;
      }, 20_000, 20).catch(() => undefined);
      if (started) expect(started.nextAttemptScheduleTime).toBeFalsy();
      await handle.terminate('enough');
      await collect(suite, handle);
    });
  }, 60_000);
});

checkCollectedHistories(() => suite.histories, 5);
