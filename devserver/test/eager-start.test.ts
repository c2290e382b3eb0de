/**
 * Eager workflow start: `requestEagerStart` on a client that shares the worker's NativeConnection
 * (the Temporal core then asks for eager execution when that worker has a free workflow-task slot
 * on the task queue): the first workflow task comes back in the start response, started on behalf
 * of the starter, and the workflow runs to completion (`eagerlyStarted`). Where the real server
 * declines (start delay, an existing run) the workflow starts normally. By raw gRPC: the
 * `eagerWorkflowTask` itself, never handed to a poller waiting on the queue.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { collect, eventNames, eventsOf, getBundle, startSuite, uid, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import { addItemUpdate, cartWorkflow, checkoutSignal } from './workflows/with-start.js';
import { echoWorkflow } from './workflows/basic.js';

let suite: Suite;
/** A client on the worker's NativeConnection, the only kind the SDK lets ask for an eager start. */
let eagerClient: Client;
const STARTER = 'eager-starter';

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
  eagerClient = new Client({ connection: suite.nativeConnection, namespace: suite.namespace, identity: STARTER });
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

const { CommandType, WorkflowIdConflictPolicy } = temporal.api.enums.v1;

describe('eager workflow start through the SDK', () => {
  it('a worker on the same connection gets the first task from the start response: eagerlyStarted, the workflow completes', async () => {
    const taskQueue = uid('tq-eager');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await eagerClient.workflow.start(echoWorkflow, { taskQueue, workflowId: uid('eager'), args: ['hello'], requestEagerStart: true });
      expect(handle.eagerlyStarted).toBe(true);
      expect(await handle.result()).toBe('hello');
      const history = await collect(suite, handle);
      expect(eventNames(history)).toEqual([
        'WORKFLOW_EXECUTION_STARTED',
        'WORKFLOW_TASK_SCHEDULED',
        'WORKFLOW_TASK_STARTED',
        'WORKFLOW_TASK_COMPLETED',
        'WORKFLOW_EXECUTION_COMPLETED',
      ]);
      // Started by the start request (its identity), not by a poll of the worker.
      expect(eventsOf(history, 'WORKFLOW_TASK_STARTED')[0]?.workflowTaskStartedEventAttributes?.identity).toBe(STARTER);
    });
  }, 60_000);

  it('after an eager first task the run goes on as usual (update, signal, later tasks polled by the worker)', async () => {
    const taskQueue = uid('tq-eager-cart');
    await withWorker(suite, { taskQueue }, async (worker) => {
      const handle = await eagerClient.workflow.start(cartWorkflow, { taskQueue, workflowId: uid('eager-cart'), args: ['fay'], requestEagerStart: true });
      expect(handle.eagerlyStarted).toBe(true);
      expect(await handle.executeUpdate(addItemUpdate, { args: ['hat', 9] })).toBe(9);
      await handle.signal(checkoutSignal);
      expect(await handle.result()).toMatchObject({ owner: 'fay', items: ['hat'], total: 9 });
      const started = eventsOf(await collect(suite, handle), 'WORKFLOW_TASK_STARTED').map((e) => e.workflowTaskStartedEventAttributes?.identity);
      expect(started[0]).toBe(STARTER);
      expect(started.length).toBeGreaterThan(1);
      expect(started.slice(1).every((id) => id === worker.options.identity)).toBe(true);
    });
  }, 60_000);

  it('a start delay: the server declines, the workflow starts normally (eagerlyStarted false) and completes', async () => {
    const taskQueue = uid('tq-eager-delay');
    await withWorker(suite, { taskQueue }, async () => {
      // The same client and worker without the delay: eager.
      const eager = await eagerClient.workflow.start(echoWorkflow, { taskQueue, workflowId: uid('eager-nodelay'), args: ['now'], requestEagerStart: true });
      expect(eager.eagerlyStarted).toBe(true);
      expect(await eager.result()).toBe('now');
      const handle = await eagerClient.workflow.start(echoWorkflow, { taskQueue, workflowId: uid('eager-delay'), args: ['later'], requestEagerStart: true, startDelay: '200ms' });
      expect(handle.eagerlyStarted).toBe(false);
      expect(await handle.result()).toBe('later');
      const history = await collect(suite, handle);
      expect(eventsOf(history, 'WORKFLOW_TASK_STARTED')[0]?.workflowTaskStartedEventAttributes?.identity).not.toBe(STARTER);
    });
  }, 60_000);

  it('USE_EXISTING on a running workflow: no new run, no eager task', async () => {
    const taskQueue = uid('tq-eager-existing');
    const workflowId = uid('eager-existing');
    await withWorker(suite, { taskQueue }, async () => {
      const first = await eagerClient.workflow.start(cartWorkflow, { taskQueue, workflowId, args: ['gus'], requestEagerStart: true });
      expect(first.eagerlyStarted).toBe(true);
      const again = await eagerClient.workflow.start(cartWorkflow, { taskQueue, workflowId, args: ['gus'], requestEagerStart: true, workflowIdConflictPolicy: 'USE_EXISTING' });
      expect(again.eagerlyStarted).toBe(false);
      expect(again.firstExecutionRunId).toBe(first.firstExecutionRunId);
      await first.signal(checkoutSignal);
      expect(await first.result()).toMatchObject({ owner: 'gus', items: [] });
      await collect(suite, first);
    });
  }, 60_000);
});

describe('eager workflow start by raw gRPC', () => {
  const start = (workflowId: string, taskQueue: string, extra: Partial<temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest> = {}) =>
    suite.connection.workflowService.startWorkflowExecution({
      namespace: 'default',
      workflowId,
      workflowType: { name: 'echoWorkflow' },
      taskQueue: { name: taskQueue },
      input: { payloads: [defaultPayloadConverter.toPayload('raw')] },
      requestId: randomUUID(),
      identity: 'raw-starter',
      requestEagerExecution: true,
      ...extra,
    });

  it('the response carries the started first task; a poller waiting on the queue does not get it; completing it closes the run', async () => {
    const taskQueue = uid('tq-eager-raw');
    const workflowId = uid('eager-raw');
    const abort = new AbortController();
    let polled: temporal.api.workflowservice.v1.IPollWorkflowTaskQueueResponse | undefined;
    const poll = suite.connection
      .withAbortSignal(abort.signal, () =>
        suite.connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: taskQueue }, identity: 'raw-poller' }),
      )
      .then((r) => (polled = r), () => undefined);
    // Let the poll reach the server and wait there.
    const key = suite.engine.queueKey('default', taskQueue);
    for (let i = 0; i < 100 && suite.engine.workflowTasks.pollerCount(key) === 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(suite.engine.workflowTasks.pollerCount(key)).toBe(1);

    const resp = await start(workflowId, taskQueue);
    expect(resp.started).toBe(true);
    expect(resp.status).toBe(temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING);
    const task = resp.eagerWorkflowTask!;
    expect(task).toBeTruthy();
    expect(task.taskToken?.length).toBeGreaterThan(0);
    expect(task.workflowExecution).toMatchObject({ workflowId, runId: resp.runId });
    expect(task.workflowType?.name).toBe('echoWorkflow');
    expect(Number(task.previousStartedEventId)).toBe(0);
    expect(Number(task.startedEventId)).toBe(3);
    expect(task.attempt).toBe(1);
    expect(task.workflowExecutionTaskQueue?.name).toBe(taskQueue);
    expect(eventNames(task.history)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
    expect(eventsOf(task.history, 'WORKFLOW_TASK_STARTED')[0]?.workflowTaskStartedEventAttributes?.identity).toBe('raw-starter');

    await new Promise((r) => setTimeout(r, 300));
    expect(polled).toBeUndefined();
    abort.abort();
    await poll;

    await suite.connection.workflowService.respondWorkflowTaskCompleted({
      namespace: 'default',
      taskToken: task.taskToken,
      identity: 'raw-starter',
      commands: [
        {
          commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
          completeWorkflowExecutionCommandAttributes: { result: { payloads: [defaultPayloadConverter.toPayload('raw')] } },
        },
      ],
    });
    const handle = suite.client.workflow.getHandle(workflowId);
    expect(await handle.result()).toBe('raw');
    expect(eventNames(await handle.fetchHistory()).slice(3)).toEqual(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_EXECUTION_COMPLETED']);
  });

  it('no eager task with a start delay or for an existing run', async () => {
    const taskQueue = uid('tq-eager-raw-no');
    const delayedId = uid('eager-raw-delay');
    const delayed = await start(delayedId, taskQueue, { workflowStartDelay: { nanos: 500_000_000 } });
    expect(delayed.started).toBe(true);
    expect(delayed.eagerWorkflowTask).toBeFalsy();

    const workflowId = uid('eager-raw-existing');
    const first = await start(workflowId, taskQueue);
    expect(first.eagerWorkflowTask).toBeTruthy();
    const existing = await start(workflowId, taskQueue, { workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING });
    expect(existing.started).toBe(false);
    expect(existing.runId).toBe(first.runId);
    expect(existing.eagerWorkflowTask).toBeFalsy();
    for (const id of [workflowId, delayedId]) await suite.client.workflow.getHandle(id).terminate('done');
  });
});

checkCollectedHistories(() => suite.histories, 4);
