/**
 * ResetWorkflowExecution by raw gRPC (what the Web UI's "Reset" calls): a new run with the history
 * copied up to the reset point, WorkflowTaskFailed (RESET_WORKFLOW) with base and new run ids, the
 * current run terminated with the reason, signals after the reset point re-applied, idempotent
 * request ids, the real server's validation messages, and a reset run that survives a restart of a
 * server persisting to `dbFilename`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { checkCollectedHistories, collect, eventNames, eventsOf, getBundle, startSuite, uid, waitForEvent, withWorker, type Suite } from './harness.js';
import { activities } from './activities.js';
import { noteSignal } from './workflows/ui.js';


/** Event ids are int64 (typed as protobufjs Long) on the raw gRPC client, which also takes a number. */
type EventId = NonNullable<temporal.api.workflowservice.v1.IResetWorkflowExecutionRequest['workflowTaskFinishEventId']>;
const eventId = (n: number) => n as unknown as EventId;
let suite: Suite;
let counter = 0;
const acts = { ...activities, nextValue: async () => ++counter };

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

/** Id of the first WorkflowTaskCompleted: resetting there re-runs the workflow from its start. */
function firstCompletedId(history: temporal.api.history.v1.IHistory): number {
  return Number(eventsOf(history, 'WORKFLOW_TASK_COMPLETED')[0]!.eventId);
}

describe('ResetWorkflowExecution', () => {
  it('re-runs from the first workflow task in a new run; the old run is terminated; later signals are re-applied', async () => {
    const taskQueue = uid('tq-reset');
    await withWorker(suite, { taskQueue, activities: acts }, async () => {
      const handle = await suite.client.workflow.start('recordThenWait', { taskQueue, workflowId: uid('reset') });
      await waitForEvent(handle, 'ACTIVITY_TASK_COMPLETED');
      await handle.signal(noteSignal, 'before-reset');
      const base = await waitForEvent(handle, 'WORKFLOW_EXECUTION_SIGNALED');
      const valueBefore = counter;
      const finishId = firstCompletedId(base);
      const requestId = randomUUID();
      const reset = () =>
        suite.connection.workflowService.resetWorkflowExecution({
          namespace: 'default',
          workflowExecution: { workflowId: handle.workflowId, runId: handle.firstExecutionRunId },
          reason: 'replay with the fixed activity',
          workflowTaskFinishEventId: eventId(finishId),
          requestId,
        });
      const { runId } = await reset();
      expect(runId).toBeTruthy();
      expect(runId).not.toBe(handle.firstExecutionRunId);
      // The same request id returns the same run.
      expect((await reset()).runId).toBe(runId);

      const oldHandle = suite.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      const old = await oldHandle.describe();
      expect(old.status.name).toBe('TERMINATED');
      const oldHistory = await oldHandle.fetchHistory();
      const terminated = eventsOf(oldHistory, 'WORKFLOW_EXECUTION_TERMINATED')[0]!.workflowExecutionTerminatedEventAttributes!;
      expect(terminated.reason).toBe('replay with the fixed activity');
      expect(terminated.identity).toBe('history-resetter');

      const newHandle = suite.client.workflow.getHandle(handle.workflowId, runId);
      // The workflow id now names the reset run.
      expect((await suite.client.workflow.getHandle(handle.workflowId).describe()).runId).toBe(runId);
      await waitForEvent(newHandle, 'ACTIVITY_TASK_COMPLETED');
      await newHandle.signal(noteSignal, 'done');
      const result = (await newHandle.result()) as { value: number; notes: string[] };
      expect(result.value).toBe(valueBefore + 1);
      expect(result.notes).toEqual(['before-reset', 'done']);

      const history = await newHandle.fetchHistory();
      const events = history.events!;
      // Copied events: the same ids, types and attributes as the base run's up to the reset point.
      for (let i = 0; i < finishId - 1; i++) {
        expect(temporal.api.history.v1.HistoryEvent.toObject(events[i] as never)).toEqual(temporal.api.history.v1.HistoryEvent.toObject(base.events![i] as never));
      }
      const names = eventNames(history);
      expect(names.slice(finishId - 1, finishId + 2)).toEqual(['WORKFLOW_TASK_FAILED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED']);
      const failed = events[finishId - 1]!.workflowTaskFailedEventAttributes!;
      expect(failed.cause).toBe(temporal.api.enums.v1.WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW);
      expect(failed.failure?.message).toBe('replay with the fixed activity');
      expect(failed.failure?.resetWorkflowFailureInfo).toBeTruthy();
      expect(failed.baseRunId).toBe(handle.firstExecutionRunId);
      expect(failed.newRunId).toBe(runId);
      expect(names.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
      await collect(suite, oldHandle);
      suite.histories.push({ workflowId: handle.workflowId, history, bundle: 'main' });
    });
  }, 60_000);

  it('a reset point at a WorkflowTaskStarted event writes the Started-then-Failed pair; a closed run can be reset too', async () => {
    const taskQueue = uid('tq-reset-started');
    await withWorker(suite, { taskQueue, activities: acts }, async () => {
      const handle = await suite.client.workflow.start('recordThenWait', { taskQueue, workflowId: uid('reset-started') });
      await waitForEvent(handle, 'ACTIVITY_TASK_COMPLETED');
      await handle.signal(noteSignal, 'done');
      await handle.result();
      const base = await handle.fetchHistory();
      const startedId = Number(eventsOf(base, 'WORKFLOW_TASK_STARTED')[0]!.eventId);
      const { runId } = await suite.connection.workflowService.resetWorkflowExecution({
        namespace: 'default',
        workflowExecution: { workflowId: handle.workflowId },
        reason: 'again',
        workflowTaskFinishEventId: eventId(startedId),
        requestId: randomUUID(),
        resetReapplyType: temporal.api.enums.v1.ResetReapplyType.RESET_REAPPLY_TYPE_NONE,
      });
      const baseHandle = suite.client.workflow.getHandle(handle.workflowId, handle.firstExecutionRunId);
      expect((await baseHandle.describe()).status.name).toBe('COMPLETED');
      await collect(suite, baseHandle);
      const newHandle = suite.client.workflow.getHandle(handle.workflowId, runId);
      await waitForEvent(newHandle, 'ACTIVITY_TASK_COMPLETED');
      const names = eventNames(await newHandle.fetchHistory());
      expect(names.slice(0, 5)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_SCHEDULED']);
      // RESET_REAPPLY_TYPE_NONE: the 'done' signal was not re-applied, so the run waits for it.
      expect(names).not.toContain('WORKFLOW_EXECUTION_SIGNALED');
      await newHandle.signal(noteSignal, 'done');
      await newHandle.result();
      await collect(suite, newHandle);
    });
  }, 60_000);

  it('rejects reset points the real server rejects, with its messages', async () => {
    const taskQueue = uid('tq-reset-invalid');
    await withWorker(suite, { taskQueue, activities: acts }, async () => {
      const handle = await suite.client.workflow.start('recordThenWait', { taskQueue, workflowId: uid('reset-invalid') });
      const history = await waitForEvent(handle, 'ACTIVITY_TASK_COMPLETED');
      const scheduledId = Number(eventsOf(history, 'ACTIVITY_TASK_SCHEDULED')[0]!.eventId);
      const reset = (finishId: number, requestId: string | undefined = randomUUID()) =>
        suite.connection.workflowService.resetWorkflowExecution({
          namespace: 'default',
          workflowExecution: { workflowId: handle.workflowId },
          reason: 'x',
          workflowTaskFinishEventId: eventId(finishId),
          requestId,
        });
      await expect(reset(1)).rejects.toMatchObject({ code: 3, details: 'Workflow task finish ID must be > 1 && <= workflow last event ID.' });
      await expect(reset(history.events!.length + 5)).rejects.toMatchObject({ code: 3, details: 'Workflow task finish ID must be > 1 && <= workflow last event ID.' });
      await expect(reset(scheduledId + 1)).rejects.toMatchObject({
        code: 3,
        details: `Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${scheduledId + 1}`,
      });
      await expect(reset(firstCompletedId(history), '')).rejects.toMatchObject({ code: 3, details: 'RequestId is not set on request.' });
      expect((await handle.describe()).status.name).toBe('RUNNING');
      await handle.signal(noteSignal, 'done');
      await handle.result();
      await collect(suite, handle);
    });
  }, 60_000);
});

describe('ResetWorkflowExecution with persistence', () => {
  it('the reset run is in the log and survives a restart', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-reset-'));
    const dbFilename = path.join(dir, 'temporal.db');
    try {
      const taskQueue = uid('tq-reset-persist');
      const workflowId = uid('reset-persist');
      let first = await startSuite({ dbFilename });
      let runId: string;
      let copied: number;
      let baseRunId: string;
      try {
        runId = await withWorker(first, { taskQueue, activities: acts }, async () => {
          const handle = await first.client.workflow.start('recordThenWait', { taskQueue, workflowId });
          baseRunId = handle.firstExecutionRunId;
          const history = await waitForEvent(handle, 'ACTIVITY_TASK_COMPLETED');
          copied = firstCompletedId(history) - 1;
          const r = await first.connection.workflowService.resetWorkflowExecution({
            namespace: 'default',
            workflowExecution: { workflowId },
            reason: 'persisted reset',
            workflowTaskFinishEventId: eventId(firstCompletedId(history)),
            requestId: randomUUID(),
          });
          return r.runId!;
        });
      } finally {
        await first.stop();
      }
      const second = await startSuite({ dbFilename });
      try {
        const d = await second.client.workflow.getHandle(workflowId).describe();
        expect(d.runId).toBe(runId);
        expect(d.status.name).toBe('RUNNING');
        expect((await second.client.workflow.getHandle(workflowId, baseRunId!).describe()).status.name).toBe('TERMINATED');
        await withWorker(second, { taskQueue, activities: acts }, async () => {
          const handle = second.client.workflow.getHandle(workflowId, runId);
          await waitForEvent(handle, 'ACTIVITY_TASK_COMPLETED');
          await handle.signal(noteSignal, 'done');
          await handle.result();
          const names = eventNames(await handle.fetchHistory());
          expect(names[copied!]).toBe('WORKFLOW_TASK_FAILED');
          await collect(suite, handle);
        });
      } finally {
        await second.stop();
      }
      void first;
      first = undefined as never;
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});

checkCollectedHistories(() => suite.histories, 5);
