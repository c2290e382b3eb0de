/**
 * Signals (incl. many signals racing workflow tasks), queries on running/closed workflows and
 * unknown query types, and workflow updates (accept, reject via validator, complete, async
 * handles, idempotent update ids, update pending when the workflow completes).
 */
import { workflowMetadataQuery } from '@temporalio/workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  QueryNotRegisteredError,
  WorkflowUpdateFailedError,
  WorkflowUpdateStage,
  WorkflowNotFoundError,
} from '@temporalio/client';
import { collect, debug, eventNames, eventsOf, getBundle, startSuite, uid, waitForEvent, WAIT_MS, withTimeout, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import { addUpdate, countQuery, finishSignal, incSignal, slowAddUpdate, stateQuery } from './workflows/basic.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

describe('signals', () => {
  it('counts 50 signals sent concurrently while the workflow is busy running activities', async () => {
    const taskQueue = uid('tq-sig-race');
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('sig-race'), args: [{ busy: true }] });
      // let the workflow start its activity loop so signals race real workflow tasks
      await waitForEvent(handle, 'ACTIVITY_TASK_SCHEDULED');
      // a query in the middle of the storm must be answered too (it may see any prefix of the signals)
      const [midQuery] = await Promise.all([
        // Named, so that a query the server never answers is reported as such (not as a hang of the whole body).
        withTimeout(handle.query(countQuery), WAIT_MS, 'the query sent amid the 50 signals'),
        ...Array.from({ length: 50 }, (_, i) => handle.signal(incSignal, i + 1)),
      ]);
      expect(midQuery).toBeGreaterThanOrEqual(0);
      expect(midQuery).toBeLessThanOrEqual((50 * 51) / 2);
      await handle.signal(finishSignal, 'done');
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toEqual({ count: (50 * 51) / 2, signals: 50, note: 'done' });
    const signaled = eventsOf(history, 'WORKFLOW_EXECUTION_SIGNALED');
    expect(signaled).toHaveLength(51);
    // several workflow tasks were needed (the workflow kept running activities in between)
    expect(eventNames(history).filter((n) => n === 'ACTIVITY_TASK_COMPLETED').length).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('signals racing the workflow-completing task are never lost (UnhandledCommand)', async () => {
    const taskQueue = uid('tq-sig-complete-race');
    await withWorker(suite, { taskQueue }, async () => {
      for (let round = 0; round < 3; round++) {
        const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('sig-complete-race'), args: [{}] });
        await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
        // `finish` first, then 30 increments while the completing workflow task is in flight
        const finish = handle.signal(finishSignal, 'race');
        const incs = await Promise.allSettled(Array.from({ length: 30 }, (_, i) => handle.signal(incSignal, i + 1)));
        await finish;
        const accepted = incs.map((r, i) => (r.status === 'fulfilled' ? i + 1 : 0)).filter((n) => n > 0);
        for (const r of incs) if (r.status === 'rejected') expect(r.reason).toBeInstanceOf(WorkflowNotFoundError);
        const result = (await handle.result()) as { count: number; signals: number };
        // every signal the server accepted is in history before the close event and was seen by the workflow
        expect(result).toMatchObject({ count: accepted.reduce((a, b) => a + b, 0), signals: accepted.length });
        const history = await collect(suite, handle);
        const names = eventNames(history);
        expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_SIGNALED')).toHaveLength(accepted.length + 1);
        expect(names.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
        debug(`round ${round}: ${accepted.length}/30 increments accepted before completion`);
      }
    });
  }, 60_000);

  it('signal to an unknown or closed workflow fails with WorkflowNotFoundError', async () => {
    await expect(suite.client.workflow.getHandle(uid('no-such-wf')).signal(incSignal, 1)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    const taskQueue = uid('tq-sig-closed');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('echoWorkflow', { taskQueue, workflowId: uid('sig-closed'), args: ['x'] });
      expect(await handle.result()).toBe('x');
      await collect(suite, handle);
      await expect(handle.signal(incSignal, 1)).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }, 60_000);
});

describe('queries', () => {
  it('answers queries on running and closed workflows; unknown query types are rejected', async () => {
    const taskQueue = uid('tq-query');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('query'), args: [{}] });
      expect(await handle.query(countQuery)).toBe(0);
      await handle.signal(incSignal, 5);
      await handle.signal(incSignal, 7);
      // the signals are in history before the query is answered, so the query sees them
      expect(await handle.query(countQuery)).toBe(12);
      expect(await handle.query(stateQuery)).toEqual({ count: 12, finished: false, signals: 2 });

      const unknown = handle.query('noSuchQuery');
      await expect(unknown).rejects.toBeInstanceOf(QueryNotRegisteredError);
      await expect(unknown).rejects.toThrow(/noSuchQuery/);

      await handle.signal(finishSignal);
      expect(await handle.result()).toEqual({ count: 12, signals: 2 });
      // closed workflow: still queryable (replayed from full history)
      expect(await handle.query(countQuery)).toBe(12);
      expect(await handle.query(stateQuery)).toEqual({ count: 12, finished: true, signals: 2 });
      await expect(handle.query('noSuchQuery')).rejects.toBeInstanceOf(QueryNotRegisteredError);
      // a query never writes history events
      const before = eventNames(await handle.fetchHistory()).length;
      expect(await handle.query(countQuery)).toBe(12);
      const history = await collect(suite, handle);
      expect(eventNames(history)).toHaveLength(before);
      expect(eventNames(history).at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    });
    await expect(suite.client.workflow.getHandle(uid('no-such-wf')).query(countQuery)).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }, 60_000);

  it('a query sent while the workflow task that closes the run is out sees that task as completed', async () => {
    // The query waits for the task; the run's close hands it to a worker at once. Its history
    // said no task had completed yet (previousStartedEventId 0), so the SDK's core replayed the
    // only task as new work and refused its patch marker ("Unexpected notifyHasPatch job on
    // non-replay activation"). Asked before any worker polls, the query is sure to wait.
    const taskQueue = uid('tq-query-patched');
    const handle = await suite.client.workflow.start('patchedAtOnce', { taskQueue, workflowId: uid('query-patched') });
    const metadata = handle.query(workflowMetadataQuery);
    await withWorker(suite, { taskQueue }, async () => {
      expect((await metadata).definition?.type).toBe('patchedAtOnce');
      expect(await handle.result()).toBe(true);
    });
  }, 60_000);
});

describe('updates', () => {
  it('accepts, rejects (validator), completes, and supports startUpdate(ACCEPTED) + result()', async () => {
    const taskQueue = uid('tq-update');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('updatable', { taskQueue, workflowId: uid('update') });
      expect(await handle.executeUpdate(addUpdate, { args: [5] })).toBe(5);
      expect(await handle.executeUpdate(addUpdate, { args: [3] })).toBe(8);

      const rejected = handle.executeUpdate(addUpdate, { args: [-1] });
      await expect(rejected).rejects.toBeInstanceOf(WorkflowUpdateFailedError);
      await expect(rejected).rejects.toSatisfy((e: any) => /negative values are rejected: -1/.test(String(e.cause?.message)));
      expect(await handle.query(countQuery)).toBe(8);

      const upd = await handle.startUpdate(addUpdate, { args: [10], waitForStage: WorkflowUpdateStage.ACCEPTED, updateId: 'upd-ten' });
      expect(upd.updateId).toBe('upd-ten');
      expect(await upd.result()).toBe(18);
      // same update id again: the existing outcome is returned, not applied twice
      expect(await handle.executeUpdate(addUpdate, { args: [10], updateId: 'upd-ten' })).toBe(18);
      // a handle obtained by id sees the outcome too
      expect(await handle.getUpdateHandle<number>('upd-ten').result()).toBe(18);
      expect(await handle.query(countQuery)).toBe(18);

      await handle.signal(finishSignal);
      expect(await handle.result()).toBe(18);
      const history = await collect(suite, handle);
      const names = eventNames(history);
      // 3 accepted+completed updates (5, 3, 10); the rejected one leaves no event
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toHaveLength(3);
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toHaveLength(3);
      const accepted = eventsOf(history, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED').map((e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.meta?.updateId);
      expect(accepted).toContain('upd-ten');
    });
  }, 60_000);

  it('an update still pending when the workflow completes fails instead of hanging', async () => {
    const taskQueue = uid('tq-update-pending');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('updatable', { taskQueue, workflowId: uid('update-pending') });
      const pending = handle.executeUpdate(slowAddUpdate, { args: [1], updateId: 'slow' });
      pending.catch(() => undefined);
      await waitForEvent(handle, 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED');
      await handle.signal(finishSignal);
      expect(await handle.result()).toBe(0);
      const outcome = await Promise.race([
        pending.then(
          (v) => ({ kind: 'resolved', v }),
          (e) => ({ kind: 'rejected', e }),
        ),
        new Promise((r) => setTimeout(() => r({ kind: 'hang' }), 20_000)),
      ]);
      expect(outcome).toMatchObject({ kind: 'rejected' });
      const err = (outcome as any).e;
      expect(err instanceof WorkflowUpdateFailedError || err instanceof WorkflowNotFoundError).toBe(true);
      const history = await collect(suite, handle);
      expect(eventNames(history)).not.toContain('WORKFLOW_EXECUTION_UPDATE_COMPLETED');
    });
  }, 60_000);

  it('update on an unknown or closed workflow fails with WorkflowNotFoundError', async () => {
    await expect(suite.client.workflow.getHandle(uid('no-such-wf')).executeUpdate(addUpdate, { args: [1] })).rejects.toBeInstanceOf(
      WorkflowNotFoundError,
    );
    const taskQueue = uid('tq-update-closed');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('updatable', { taskQueue, workflowId: uid('update-closed') });
      await handle.signal(finishSignal);
      expect(await handle.result()).toBe(0);
      await collect(suite, handle);
      await expect(handle.executeUpdate(addUpdate, { args: [1] })).rejects.toBeInstanceOf(WorkflowNotFoundError);
    });
  }, 30_000);
});

describe('replay', () => {
  checkCollectedHistories(() => suite.histories, 5);
});
