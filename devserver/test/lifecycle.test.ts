/**
 * Workflow lifecycle: start conflicts and id policies, signalWithStart, describe, fetchHistory,
 * cancel vs terminate, workflow failure, start delay, execution/run timeouts, continue-as-new,
 * patched(), workflow-task failure fixed by a redeployed worker, namespaces.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, WorkflowFailedError, WorkflowNotFoundError } from '@temporalio/client';
import {
  ApplicationFailure,
  CancelledFailure,
  defineSearchAttributeKey,
  NamespaceNotFoundError,
  SearchAttributeType,
  TerminatedFailure,
  TimeoutFailure,
  WorkflowExecutionAlreadyStartedError,
} from '@temporalio/common';
import { NativeConnection, Worker } from '@temporalio/worker';
import { collect, createWorker, waitFor, eventNames, eventsOf, getBundle, startSuite, uid, waitForEvent, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import { countQuery, finishSignal, incSignal, stateQuery } from './workflows/basic.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite({ namespaces: ['default', 'second-ns'] }), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

describe('start, describe, history', () => {
  it('describe() of running and closed workflows; fetchHistory() is a well-formed history', async () => {
    const taskQueue = uid('tq-describe');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('describe'), args: [{}] });
      await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
      const running = await handle.describe();
      expect(running.status.name).toBe('RUNNING');
      expect(running.workflowId).toBe(handle.workflowId);
      expect(running.runId).toBe(handle.firstExecutionRunId);
      expect(running.type).toBe('counter');
      expect(running.taskQueue).toBe(taskQueue);
      expect(running.startTime).toBeInstanceOf(Date);
      expect(Math.abs(running.startTime.getTime() - Date.now())).toBeLessThan(60_000);
      expect(running.closeTime).toBeUndefined();

      await handle.signal(incSignal, 2);
      await handle.signal(finishSignal, 'bye');
      expect(await handle.result()).toEqual({ count: 2, signals: 1, note: 'bye' });
      const closed = await handle.describe();
      expect(closed.status.name).toBe('COMPLETED');
      expect(closed.closeTime).toBeInstanceOf(Date);
      expect(closed.closeTime!.getTime()).toBeGreaterThanOrEqual(closed.startTime.getTime());

      const history = await collect(suite, handle);
      const events = history.events ?? [];
      expect(closed.historyLength).toBe(events.length);
      expect(events.map((e) => Number(e.eventId))).toEqual(events.map((_, i) => i + 1));
      const names = eventNames(history);
      expect(names.slice(0, 3)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
      expect(names.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
      const started = events[0].workflowExecutionStartedEventAttributes!;
      expect(started.workflowType?.name).toBe('counter');
      expect(started.taskQueue?.name).toBe(taskQueue);
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_SIGNALED')).toHaveLength(2);
      // every WorkflowTaskScheduled is followed by Started then Completed
      names.forEach((n, i) => {
        if (n === 'WORKFLOW_TASK_SCHEDULED') expect(names.slice(i + 1, i + 3)).toEqual(['WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
      });
      // unknown workflow
      await expect(suite.client.workflow.getHandle(uid('nope')).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(suite.client.workflow.getHandle(uid('nope')).result()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }, 60_000);

  it('start conflicts: already started, USE_EXISTING, REJECT_DUPLICATE, ALLOW_DUPLICATE', async () => {
    const taskQueue = uid('tq-conflict');
    await withWorker(suite, { taskQueue }, async () => {
      const workflowId = uid('conflict');
      const first = await suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}] });
      const dup = suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}] });
      await expect(dup).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      const existing = await suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}], workflowIdConflictPolicy: 'USE_EXISTING' });
      expect(existing.firstExecutionRunId).toBe(first.firstExecutionRunId);
      await first.signal(finishSignal);
      await first.result();
      await collect(suite, first);

      const rejected = suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}], workflowIdReusePolicy: 'REJECT_DUPLICATE' });
      await expect(rejected).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      const onlyFailed = suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}], workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' });
      await expect(onlyFailed).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);

      const second = await suite.client.workflow.start('counter', { taskQueue, workflowId, args: [{}], workflowIdReusePolicy: 'ALLOW_DUPLICATE' });
      expect(second.firstExecutionRunId).not.toBe(first.firstExecutionRunId);
      expect((await suite.client.workflow.getHandle(workflowId).describe()).runId).toBe(second.firstExecutionRunId);
      // the first run is still addressable and unchanged
      expect((await suite.client.workflow.getHandle(workflowId, first.firstExecutionRunId).describe()).status.name).toBe('COMPLETED');
      await second.terminate('done');
      await collect(suite, second);
    });
  }, 60_000);

  it('signalWithStart starts a new workflow, then signals the running one', async () => {
    const taskQueue = uid('tq-sws');
    await withWorker(suite, { taskQueue }, async () => {
      const workflowId = uid('sws');
      const h1 = await suite.client.workflow.signalWithStart('counter', { taskQueue, workflowId, args: [{}], signal: incSignal, signalArgs: [5] });
      expect(await h1.query(stateQuery)).toEqual({ count: 5, finished: false, signals: 1 });
      const h2 = await suite.client.workflow.signalWithStart('counter', { taskQueue, workflowId, args: [{}], signal: incSignal, signalArgs: [7] });
      expect(h2.signaledRunId).toBe(h1.signaledRunId);
      expect(await h1.query(countQuery)).toBe(12);
      await h1.signal(finishSignal);
      expect(await h1.result()).toEqual({ count: 12, signals: 2 });
      const history = await collect(suite, h1);
      expect(eventNames(history).slice(0, 3)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED']);

      // the workflow is closed now: signalWithStart starts a fresh run
      const h3 = await suite.client.workflow.signalWithStart('counter', { taskQueue, workflowId, args: [{}], signal: incSignal, signalArgs: [1] });
      expect(h3.signaledRunId).not.toBe(h1.signaledRunId);
      expect(await h3.query(countQuery)).toBe(1);
      await h3.signal(finishSignal);
      expect(await suite.client.workflow.getHandle(workflowId).result()).toEqual({ count: 1, signals: 1 });
      await collect(suite, suite.client.workflow.getHandle(workflowId, h3.signaledRunId));
    });
  }, 60_000);
});

describe('workflow retries', () => {
  it('a workflow retry policy starts a new run after a failure; result() follows it', async () => {
    const taskQueue = uid('tq-wf-retry');
    await withWorker(suite, { taskQueue }, async () => {
      const h = await suite.client.workflow.start('retryingWorkflow', {
        taskQueue,
        workflowId: uid('wf-retry'),
        retry: { maximumAttempts: 3, initialInterval: '100ms' },
      });
      const r = (await h.result()) as { attempt: number; runId: string; firstRunId: string };
      expect(r.attempt).toBe(2);
      expect(r.firstRunId).toBe(h.firstExecutionRunId);
      expect(r.runId).not.toBe(h.firstExecutionRunId);
      const first = suite.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId);
      const firstHist = await collect(suite, first);
      const failed = eventsOf(firstHist, 'WORKFLOW_EXECUTION_FAILED')[0]?.workflowExecutionFailedEventAttributes;
      expect(failed?.newExecutionRunId).toBe(r.runId);
      expect(failed?.failure?.message).toBe('attempt 1 fails');
      const lastHist = await collect(suite, suite.client.workflow.getHandle(h.workflowId, r.runId));
      const started = eventsOf(lastHist, 'WORKFLOW_EXECUTION_STARTED')[0].workflowExecutionStartedEventAttributes;
      expect(started?.attempt).toBe(2);
      expect(started?.continuedFailure?.message).toBe('attempt 1 fails');
    });
  }, 60_000);
});

describe('closing a workflow', () => {
  it('cancel ends with CancelledFailure, terminate with TerminatedFailure', async () => {
    const taskQueue = uid('tq-cancel-term');
    await withWorker(suite, { taskQueue }, async () => {
      const a = await suite.client.workflow.start('waitForever', { taskQueue, workflowId: uid('to-cancel') });
      const b = await suite.client.workflow.start('waitForever', { taskQueue, workflowId: uid('to-terminate') });
      await waitForEvent(a, 'WORKFLOW_TASK_COMPLETED');
      await waitForEvent(b, 'WORKFLOW_TASK_COMPLETED');
      await a.cancel();
      await b.terminate('enough is enough');

      const errA = await a.result().catch((e) => e);
      expect(errA).toBeInstanceOf(WorkflowFailedError);
      expect(errA.cause).toBeInstanceOf(CancelledFailure);
      expect((await a.describe()).status.name).toBe('CANCELLED');
      const histA = await collect(suite, a);
      expect(eventNames(histA)).toContain('WORKFLOW_EXECUTION_CANCEL_REQUESTED');
      expect(eventNames(histA).at(-1)).toBe('WORKFLOW_EXECUTION_CANCELED');

      const errB = await b.result().catch((e) => e);
      expect(errB).toBeInstanceOf(WorkflowFailedError);
      expect(errB.cause).toBeInstanceOf(TerminatedFailure);
      expect(errB.cause.message).toBe('enough is enough');
      expect((await b.describe()).status.name).toBe('TERMINATED');
      const histB = await collect(suite, b);
      expect(eventNames(histB).at(-1)).toBe('WORKFLOW_EXECUTION_TERMINATED');
      expect(eventsOf(histB, 'WORKFLOW_EXECUTION_TERMINATED')[0].workflowExecutionTerminatedEventAttributes?.reason).toBe('enough is enough');

      // closed workflows cannot be cancelled or terminated again
      await expect(a.cancel()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      await expect(b.terminate()).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }, 60_000);

  it('a workflow that throws ApplicationFailure fails with WorkflowFailedError', async () => {
    const taskQueue = uid('tq-wf-fail');
    await withWorker(suite, { taskQueue }, async () => {
      const h = await suite.client.workflow.start('failingWorkflow', { taskQueue, workflowId: uid('wf-fail'), args: ['it broke'] });
      const err = await h.result().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(err.cause).toBeInstanceOf(ApplicationFailure);
      expect(err.cause.message).toBe('it broke');
      expect(err.cause.type).toBe('WorkflowFatal');
      expect((await h.describe()).status.name).toBe('FAILED');
      await collect(suite, h);
    });
  }, 60_000);

  it('workflowExecutionTimeout and workflowRunTimeout time the workflow out', async () => {
    const taskQueue = uid('tq-wf-timeout');
    await withWorker(suite, { taskQueue }, async () => {
      for (const opt of [{ workflowExecutionTimeout: '1s' }, { workflowRunTimeout: '1s' }]) {
        const t0 = Date.now();
        const h = await suite.client.workflow.start('sleeper', { taskQueue, workflowId: uid('wf-timeout'), args: ['1 day'], ...opt });
        const err = await h.result().catch((e) => e);
        expect(err).toBeInstanceOf(WorkflowFailedError);
        expect(err.cause).toBeInstanceOf(TimeoutFailure);
        expect(err.cause.timeoutType).toBe('START_TO_CLOSE');
        expect(Date.now() - t0).toBeLessThan(15_000);
        expect((await h.describe()).status.name).toBe('TIMED_OUT');
        const hist = await collect(suite, h);
        expect(eventNames(hist).at(-1)).toBe('WORKFLOW_EXECUTION_TIMED_OUT');
      }
    });
  }, 60_000);

  it('startDelay delays the first workflow task', async () => {
    const taskQueue = uid('tq-delay');
    await withWorker(suite, { taskQueue }, async () => {
      const t0 = Date.now();
      const h = await suite.client.workflow.start('echoWorkflow', { taskQueue, workflowId: uid('delay'), args: ['late'], startDelay: '1500ms' });
      expect(await h.result()).toBe('late');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1400);
      const history = await collect(suite, h);
      const [started, scheduled] = history.events!;
      const backoff = started.workflowExecutionStartedEventAttributes?.firstWorkflowTaskBackoff;
      expect(Number(backoff?.seconds ?? 0) * 1000 + (backoff?.nanos ?? 0) / 1e6).toBe(1500);
      // The first workflow task was scheduled only once the delay had passed (server time).
      expect(eventNames(history).slice(0, 2)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED']);
      const ms = (t: typeof started.eventTime) => Number(t?.seconds ?? 0) * 1000 + (t?.nanos ?? 0) / 1e6;
      expect(ms(scheduled.eventTime) - ms(started.eventTime)).toBeGreaterThanOrEqual(1500);
    });
  }, 60_000);
});

describe('continue-as-new and versioning', () => {
  it('follows a continue-as-new chain to the final result', async () => {
    const taskQueue = uid('tq-can');
    await withWorker(suite, { taskQueue }, async () => {
      const h = await suite.client.workflow.start('chain', { taskQueue, workflowId: uid('can'), args: [3] });
      const result = (await h.result()) as { runs: number[]; lastRunId: string; firstRunId: string };
      expect(result.runs).toEqual([3, 2, 1, 0]);
      expect(result.firstRunId).toBe(h.firstExecutionRunId);
      expect(result.lastRunId).not.toBe(h.firstExecutionRunId);
      const first = suite.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId);
      expect((await first.describe()).status.name).toBe('CONTINUED_AS_NEW');
      const latest = await suite.client.workflow.getHandle(h.workflowId).describe();
      expect(latest.runId).toBe(result.lastRunId);
      expect(latest.status.name).toBe('COMPLETED');
      const firstHistory = await collect(suite, first);
      const can = eventsOf(firstHistory, 'WORKFLOW_EXECUTION_CONTINUED_AS_NEW')[0];
      expect(can?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId).toBeTruthy();
      const last = suite.client.workflow.getHandle(h.workflowId, result.lastRunId);
      const lastHistory = await collect(suite, last);
      expect(eventsOf(lastHistory, 'WORKFLOW_EXECUTION_STARTED')[0].workflowExecutionStartedEventAttributes?.firstExecutionRunId).toBe(h.firstExecutionRunId);
      expect((await suite.client.workflow.count(`WorkflowId = '${h.workflowId}'`)).count).toBe(4);
    });
  }, 60_000);

  it('handles from start() follow the chain: terminate/cancel reach the current run; old runs reject signals', async () => {
    const taskQueue = uid('tq-can-chain-ops');
    await withWorker(suite, { taskQueue }, async () => {
      const h = await suite.client.workflow.start('canThenWait', { taskQueue, workflowId: uid('can-ops'), args: [2] });
      await waitFor('third run', async () => {
        const d = await suite.client.workflow.getHandle(h.workflowId).describe();
        return d.runId !== h.firstExecutionRunId && d.status.name === 'RUNNING' && (await suite.client.workflow.count(`WorkflowId = '${h.workflowId}'`)).count === 3;
      });
      // the first run is closed (continued as new): signalling it by run id fails
      await expect(suite.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId).signal(finishSignal)).rejects.toBeInstanceOf(WorkflowNotFoundError);
      // the start() handle carries firstExecutionRunId: terminate reaches the current (third) run
      await h.terminate('end of chain');
      const err = await h.result().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(err.cause).toBeInstanceOf(TerminatedFailure);
      const latest = await suite.client.workflow.getHandle(h.workflowId).describe();
      expect(latest.status.name).toBe('TERMINATED');
      expect(latest.runId).not.toBe(h.firstExecutionRunId);
      await collect(suite, suite.client.workflow.getHandle(h.workflowId, h.firstExecutionRunId));
      await collect(suite, suite.client.workflow.getHandle(h.workflowId, latest.runId));
    });
  }, 60_000);

  it('patched() records a core_patch marker and TemporalChangeVersion', async () => {
    const taskQueue = uid('tq-patch');
    await withWorker(suite, { taskQueue }, async () => {
      const h = await suite.client.workflow.start('patchedWorkflow', { taskQueue, workflowId: uid('patch') });
      expect(await h.result()).toBe(true);
      const hist = await collect(suite, h);
      const markers = eventsOf(hist, 'MARKER_RECORDED');
      expect(markers.map((m) => m.markerRecordedEventAttributes?.markerName)).toContain('core_patch');
      expect(eventNames(hist)).toContain('UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
      const key = defineSearchAttributeKey('TemporalChangeVersion', SearchAttributeType.KEYWORD_LIST);
      expect((await h.describe()).typedSearchAttributes.get(key)).toEqual(['my-change-id']);
      const found: string[] = [];
      for await (const wf of suite.client.workflow.list({ query: `TemporalChangeVersion = 'my-change-id' AND TaskQueue = '${taskQueue}'` })) {
        found.push(wf.workflowId);
      }
      expect(found).toEqual([h.workflowId]);
    });
  }, 60_000);

  it('a failing workflow task is retried and succeeds once a fixed worker is deployed', async () => {
    const taskQueue = uid('tq-wft-fix');
    const workflowId = uid('wft-fix');
    const handle = await withWorker(suite, { taskQueue, bundle: 'wft-broken' }, async () => {
      const h = await suite.client.workflow.start('wftFlaky', { taskQueue, workflowId, args: ['x'], workflowTaskTimeout: '1s' });
      const hist = await waitForEvent(h, 'WORKFLOW_TASK_FAILED');
      const failed = eventsOf(hist, 'WORKFLOW_TASK_FAILED')[0].workflowTaskFailedEventAttributes;
      expect(failed?.failure?.message).toContain('bug in deployment 1');
      expect((await h.describe()).status.name).toBe('RUNNING');
      return h;
    });
    const result = await withWorker(suite, { taskQueue, bundle: 'wft-fixed' }, () => handle.result());
    expect(result).toBe('fixed:x');
    const hist = await collect(suite, handle, 'wft-fixed');
    expect(eventNames(hist)).toContain('WORKFLOW_TASK_FAILED');
    expect(eventNames(hist).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    const lastStarted = eventsOf(hist, 'WORKFLOW_TASK_SCHEDULED').at(-1)?.workflowTaskScheduledEventAttributes;
    expect(lastStarted?.attempt).toBeGreaterThanOrEqual(2);
  }, 60_000);
});

describe('several workers', () => {
  it('two workers on one task queue share the work; every workflow completes', async () => {
    const taskQueue = uid('tq-two-workers');
    // core refuses two workers for one task queue on the same client: give the second its own connection
    const conn2 = await NativeConnection.connect({ address: suite.address });
    const second = await createWorker(suite, { taskQueue, connection: conn2 });
    const secondRun = second.run();
    try {
      await withWorker(suite, { taskQueue }, async () => {
        const handles = await Promise.all(
          Array.from({ length: 8 }, (_, i) => suite.client.workflow.start('activitySequence', { taskQueue, workflowId: uid(`two-workers-${i}`), args: [3] })),
        );
        const results = await Promise.all(handles.map((h) => h.result()));
        for (const r of results) expect(r).toEqual(['0:describeAttempt', '1:describeAttempt', '2:describeAttempt']);
        for (const h of handles) {
          const hist = await collect(suite, h);
          expect(eventNames(hist).filter((n) => n === 'ACTIVITY_TASK_COMPLETED')).toHaveLength(3);
        }
      });
    } finally {
      second.shutdown();
      await secondRun;
      await conn2.close();
    }
  }, 60_000);
});

describe('namespaces', () => {
  it('unknown namespace: client calls fail with NamespaceNotFoundError and Worker.create fails', async () => {
    const client = suite.clientFor('no-such-namespace');
    await expect(client.workflow.start('echoWorkflow', { taskQueue: 'tq', workflowId: uid('ns'), args: [1] })).rejects.toBeInstanceOf(
      NamespaceNotFoundError,
    );
    await expect(
      Worker.create({
        connection: suite.nativeConnection,
        namespace: 'no-such-namespace',
        taskQueue: uid('tq-ns'),
        workflowBundle: await getBundle('main'),
      }),
    ).rejects.toThrow();
  }, 30_000);

  it('a second namespace is isolated from default', async () => {
    const taskQueue = uid('tq-ns2');
    const client: Client = suite.clientFor('second-ns');
    await withWorker(suite, { taskQueue, namespace: 'second-ns' }, async () => {
      const h = await client.workflow.start('activityEcho', { taskQueue, workflowId: uid('ns2'), args: ['in ns2'] });
      expect(await h.result()).toBe('in ns2');
      await expect(suite.client.workflow.getHandle(h.workflowId).describe()).rejects.toBeInstanceOf(WorkflowNotFoundError);
      expect((await h.describe()).status.name).toBe('COMPLETED');
      await collect(suite, h);
    });
  }, 60_000);
});

describe('replay', () => {
  checkCollectedHistories(() => suite.histories, 10);
});
