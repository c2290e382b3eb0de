/**
 * Eager activity dispatch: a ScheduleActivityTask command with `requestEagerExecution` (the
 * Temporal core sets it when the completing worker has a free activity slot on the workflow's task
 * queue) comes back as an activity task in the RespondWorkflowTaskCompleted response, started on
 * behalf of that worker, and never reaches a poller waiting on the queue. Without the flag, or on a
 * server started with eager dispatch off, the activity goes through the task queue as before. The
 * SDK's worker takes the handed-over task and runs it (the other suites run all their activities
 * this way too).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import Long from 'long';
import { parseArgs } from '../src/cli.js';
import { checkCollectedHistories, collect, eventNames, eventsOf, getBundle, startSuite, uid, waitFor, withWorker, type Suite } from './harness.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

const { CommandType, TaskQueueKind } = temporal.api.enums.v1;
const payload = (v: unknown) => ({ payloads: [defaultPayloadConverter.toPayload(v)] });

describe('eager activities through the SDK', () => {
  it('the worker gets its activity in the completion response and runs it; the history is as for a polled one', async () => {
    const taskQueue = uid('tq-eager-act');
    const handOver = vi.spyOn(suite.engine.activities, 'handOver');
    try {
      const { outcome, history } = await withWorker(suite, { taskQueue }, async (worker) => {
        const handle = await suite.client.workflow.start('runActivity', { taskQueue, workflowId: uid('eager-act'), args: [{ activity: 'echo', args: ['hi'] }] });
        const outcome = await handle.result();
        const history = await collect(suite, handle);
        expect(eventsOf(history, 'ACTIVITY_TASK_STARTED')[0]?.activityTaskStartedEventAttributes?.identity).toBe(worker.options.identity);
        return { outcome, history };
      });
      expect(outcome).toEqual({ ok: true, result: 'hi' });
      // Called for every completion; one of them handed the activity over.
      expect(handOver.mock.results.map((r) => (r.value as unknown[]).length).filter((n) => n > 0)).toEqual([1]);
      expect(eventNames(history).filter((n) => n.startsWith('ACTIVITY_'))).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED']);
    } finally {
      handOver.mockRestore();
    }
  }, 60_000);

  it('an eager attempt that fails is retried through the task queue', async () => {
    const taskQueue = uid('tq-eager-retry');
    const handOver = vi.spyOn(suite.engine.activities, 'handOver');
    const enqueue = vi.spyOn(suite.engine.activities as unknown as { enqueue: (...a: unknown[]) => void }, 'enqueue');
    try {
      const outcome = await withWorker(suite, { taskQueue }, async () => {
        const handle = await suite.client.workflow.start('runActivity', {
          taskQueue,
          workflowId: uid('eager-retry'),
          args: [{ activity: 'failUntil', args: [2], retry: { initialIntervalMs: 50, maximumAttempts: 3 } }],
        });
        const result = await handle.result();
        const started = eventsOf(await collect(suite, handle), 'ACTIVITY_TASK_STARTED')[0];
        expect(started?.activityTaskStartedEventAttributes?.attempt).toBe(2);
        return result;
      });
      expect(outcome).toEqual({ ok: true, result: 2 });
      // Attempt 1 went to the worker in the completion; attempt 2 was offered on the task queue.
      expect(handOver.mock.results.map((r) => (r.value as unknown[]).length).filter((n) => n > 0)).toEqual([1]);
      expect(enqueue).toHaveBeenCalledTimes(1);
    } finally {
      handOver.mockRestore();
      enqueue.mockRestore();
    }
  }, 60_000);
});

/** A workflow driven by hand: started, its first task polled, an activity poller waiting on its queue. */
async function handDriven(on: Suite, taskQueue: string) {
  const svc = on.connection.workflowService;
  const workflowId = uid('eager-hand');
  const { runId } = await svc.startWorkflowExecution({ namespace: 'default', workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: randomUUID() });
  const task = await svc.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'hand-worker' });
  expect(task.workflowExecution?.runId).toBe(runId);
  const abort = new AbortController();
  let polled: temporal.api.workflowservice.v1.IPollActivityTaskQueueResponse | undefined;
  const activityPoll = on.connection
    .withAbortSignal(abort.signal, () => svc.pollActivityTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'hand-activity-poller' }))
    .then((r) => (polled = r), () => undefined);
  const key = on.engine.queueKey('default', taskQueue);
  await waitFor('the activity poll to wait on the queue', () => on.engine.activityTasks.pollerCount(key) === 1);
  return {
    workflowId,
    runId,
    token: task.taskToken!,
    /** What the waiting activity poller got (undefined: nothing yet). */
    polled: () => polled,
    waitingPollers: () => on.engine.activityTasks.pollerCount(key),
    stopPolling: async () => {
      abort.abort();
      await activityPoll;
    },
  };
}

const scheduleActivity = (activityId: string, eager: boolean, taskQueue: string): temporal.api.command.v1.ICommand => ({
  commandType: CommandType.COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK,
  scheduleActivityTaskCommandAttributes: {
    activityId,
    activityType: { name: 'echo' },
    taskQueue: { name: taskQueue },
    input: payload(activityId),
    startToCloseTimeout: { seconds: Long.fromNumber(10) },
    requestEagerExecution: eager,
  },
});

describe('eager activities by raw gRPC', () => {
  const svc = () => suite.connection.workflowService;
  /** The hand-driven worker completes its workflow task with `commands`. */
  const complete = (hand: { token: Uint8Array }, commands: temporal.api.command.v1.ICommand[]) =>
    svc().respondWorkflowTaskCompleted({ namespace: 'default', taskToken: hand.token, identity: 'hand-worker', commands });

  it('the response carries the started activity task; the waiting poller does not get it; its result wakes the workflow', async () => {
    const taskQueue = uid('tq-eager-raw-act');
    const hand = await handDriven(suite, taskQueue);
    const response = await complete(hand, [scheduleActivity('a1', true, taskQueue)]);
    const tasks = response.activityTasks ?? [];
    expect(tasks).toHaveLength(1);
    const task = tasks[0]!;
    expect(task.activityId).toBe('a1');
    expect(task.activityType?.name).toBe('echo');
    expect(defaultPayloadConverter.fromPayload(task.input!.payloads![0]!)).toBe('a1');
    expect(task.workflowExecution).toMatchObject({ workflowId: hand.workflowId, runId: hand.runId });
    expect(task.workflowType?.name).toBe('handDriven');
    expect(task.workflowNamespace).toBe('default');
    expect(task.attempt).toBe(1);
    expect(Number(task.startToCloseTimeout?.seconds)).toBe(10);
    expect(task.taskToken?.length).toBeGreaterThan(0);
    // Handed over, not queued: the poller that was waiting still waits, and nothing is left on the queue.
    expect(hand.waitingPollers()).toBe(1);
    expect(hand.polled()).toBeUndefined();
    expect(suite.engine.activityTasks.backlog(suite.engine.queueKey('default', taskQueue))).toBe(0);
    await hand.stopPolling();

    await svc().respondActivityTaskCompleted({ namespace: 'default', taskToken: task.taskToken, identity: 'hand-worker', result: payload('done') });
    const next = await svc().pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'hand-worker' });
    const events = next.history?.events ?? [];
    expect(eventNames(next.history).slice(-5)).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_STARTED', 'ACTIVITY_TASK_COMPLETED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
    expect(events.find((e) => e.activityTaskStartedEventAttributes)?.activityTaskStartedEventAttributes?.identity).toBe('hand-worker');
    await suite.client.workflow.getHandle(hand.workflowId).terminate('done');
  });

  it('without the flag the activity goes to the waiting poller', async () => {
    const taskQueue = uid('tq-eager-raw-off');
    const hand = await handDriven(suite, taskQueue);
    const response = await complete(hand, [scheduleActivity('a1', false, taskQueue)]);
    expect(response.activityTasks ?? []).toHaveLength(0);
    const polled = await waitFor('the polled activity task', () => hand.polled());
    expect(polled.activityId).toBe('a1');
    await hand.stopPolling();
    await suite.client.workflow.getHandle(hand.workflowId).terminate('done');
  });

  it('an activity cancelled by the same completion is not handed over', async () => {
    const taskQueue = uid('tq-eager-raw-cancel');
    const hand = await handDriven(suite, taskQueue);
    // Events so far: started, task scheduled, task started; the completion writes 4, the activity 5.
    const response = await complete(hand, [
      scheduleActivity('a1', true, taskQueue),
      { commandType: CommandType.COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK, requestCancelActivityTaskCommandAttributes: { scheduledEventId: Long.fromNumber(5) } },
    ]);
    expect(response.activityTasks ?? []).toHaveLength(0);
    expect(hand.polled()).toBeUndefined();
    await hand.stopPolling();
    const events = eventNames(await suite.client.workflow.getHandle(hand.workflowId).fetchHistory());
    expect(events.slice(4, 7)).toEqual(['ACTIVITY_TASK_SCHEDULED', 'ACTIVITY_TASK_CANCEL_REQUESTED', 'ACTIVITY_TASK_CANCELED']);
    await suite.client.workflow.getHandle(hand.workflowId).terminate('done');
  });

  it('a completion that also closes the workflow hands nothing over', async () => {
    const taskQueue = uid('tq-eager-raw-close');
    const hand = await handDriven(suite, taskQueue);
    const response = await complete(hand, [
      scheduleActivity('a1', true, taskQueue),
      { commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: { result: payload('closed') } },
    ]);
    expect(response.activityTasks ?? []).toHaveLength(0);
    expect(hand.polled()).toBeUndefined();
    await hand.stopPolling();
    expect(await suite.client.workflow.getHandle(hand.workflowId).result()).toBe('closed');
  });
});

describe('eager activities turned off', () => {
  it('the CLI takes the real server\'s dynamic config key for it', () => {
    expect(parseArgs([]).eagerActivities).toBeUndefined();
    expect(parseArgs(['--dynamic-config-value', 'system.enableActivityEagerExecution=false']).eagerActivities).toBe(false);
    expect(parseArgs(['--dynamic-config-value=system.enableActivityEagerExecution=true']).eagerActivities).toBe(true);
    expect(parseArgs(['--dynamic-config-value', 'frontend.enableUpdateWorkflowExecution=true']).eagerActivities).toBeUndefined();
    expect(() => parseArgs(['--dynamic-config-value', 'system.enableActivityEagerExecution=yes'])).toThrow(/true or false/);
    expect(() => parseArgs(['--dynamic-config-value', 'system.enableActivityEagerExecution'])).toThrow(/KEY=VALUE/);
  });

  it('a server started without eager dispatch queues the activity even when the command asks for it', async () => {
    const own = await startSuite({ eagerActivities: false });
    try {
      const taskQueue = uid('tq-eager-disabled');
      const hand = await handDriven(own, taskQueue);
      const response = await own.connection.workflowService.respondWorkflowTaskCompleted({ namespace: 'default', taskToken: hand.token, identity: 'hand-worker', commands: [scheduleActivity('a1', true, taskQueue)] });
      expect(response.activityTasks ?? []).toHaveLength(0);
      const polled = await waitFor('the polled activity task', () => hand.polled());
      expect(polled.activityId).toBe('a1');
      await hand.stopPolling();
    } finally {
      await own.stop();
    }
  }, 60_000);
});

checkCollectedHistories(() => suite.histories, 2);
