/**
 * Sticky task queues with incremental history, and fair dispatch of workflow tasks.
 *
 * With the SDK's worker: after a run's first task its later tasks are served on the worker's sticky
 * queue carrying only the new events; a new worker (cache lost) still completes the run; a worker
 * whose cache evicts runs fetches the missing history; a query and an update on a cached run work.
 * With raw gRPC calls (a hand-driven "worker"): the partial history starts right after
 * `previousStartedEventId`; queries go with the run's next workflow task; an untaken sticky task moves to the normal queue with the full history
 * after its schedule-to-start timeout; RESET_STICKY_TASK_QUEUE and ResetStickyTaskQueue end
 * stickiness; a timer's task is dispatched ahead of a backlog of first tasks of new workflows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { temporal } from '@temporalio/proto';
import { Matching } from '../src/matching.js';
import { checkCollectedHistories, collect, eventsOf, getBundle, startSuite, uid, waitFor, waitForEvent, withWorker, type Suite } from './harness.js';
import { addUpdate, countQuery, finishSignal, incSignal } from './workflows/basic.js';

type History = temporal.api.history.v1.IHistory;
const { CommandType, TaskQueueKind, WorkflowExecutionStatus, WorkflowTaskFailedCause } = temporal.api.enums.v1;

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

/** Kinds of the task queues the run's workflow tasks were dispatched on, in order. */
function scheduledKinds(history: History): string[] {
  return eventsOf(history, 'WORKFLOW_TASK_SCHEDULED').map((e) => kindName(e.workflowTaskScheduledEventAttributes?.taskQueue?.kind));
}
const NORMAL = 'TASK_QUEUE_KIND_NORMAL';
const STICKY = 'TASK_QUEUE_KIND_STICKY';
/** The client decodes enums as numbers. */
const kindName = (k: unknown) => (k === TaskQueueKind.TASK_QUEUE_KIND_NORMAL ? NORMAL : k === TaskQueueKind.TASK_QUEUE_KIND_STICKY ? STICKY : String(k));

/** Events a sticky server sends for this history: all of the first task's, then those after each completed task's started event. */
function expectedEventsSent(history: History): number {
  const events = history.events ?? [];
  let prevStarted = 0;
  let sent = 0;
  for (const e of events) {
    const id = Number(e.eventId);
    if (e.workflowTaskStartedEventAttributes) sent += id - prevStarted;
    if (e.workflowTaskCompletedEventAttributes) prevStarted = Number(e.workflowTaskCompletedEventAttributes.startedEventId);
  }
  return sent;
}

describe('sticky task queues with the SDK worker', () => {
  it('serves every task after the first on the sticky queue with only the new events', async () => {
    const taskQueue = uid('tq-sticky');
    const stats = suite.engine.sticky.stats;
    const before = { ...stats };
    const { result, history } = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('ticker', { taskQueue, workflowId: uid('sticky'), args: [8] });
      const result = await handle.result();
      return { result, history: await collect(suite, handle) };
    });
    expect(result).toEqual({ ticks: 8, count: 0, signals: 0 });
    const kinds = scheduledKinds(history);
    expect(kinds.length).toBeGreaterThanOrEqual(9);
    expect(kinds[0]).toBe(NORMAL);
    expect(kinds.slice(1)).toEqual(kinds.slice(1).map(() => STICKY));
    expect(stats.stickyTasks - before.stickyTasks).toBe(kinds.length - 1);
    expect(stats.fullTasks - before.fullTasks).toBe(1);
    const sent = stats.eventsSent - before.eventsSent;
    expect(sent).toBe(expectedEventsSent(history));
    // a full history per task would have sent the sum of every task's started event id
    const full = eventsOf(history, 'WORKFLOW_TASK_STARTED').reduce((n, e) => n + Number(e.eventId), 0);
    expect(sent).toBeLessThan(full / 2);
  }, 60_000);

  it('a new worker (cache lost) completes a run that was sticky to a worker that stopped', async () => {
    const taskQueue = uid('tq-sticky-restart');
    const handle = await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('sticky-restart'), args: [{}] });
      // The first task done before the signal: a signal sent sooner joins that first (normal) task, and
      // the run then has no task for the sticky queue to carry (a flake seen once in CI).
      await waitForEvent(handle, 'WORKFLOW_TASK_COMPLETED');
      await handle.signal(incSignal, 1);
      await waitFor('first signal applied', () => handle.query(countQuery).then((n) => n === 1));
      return handle;
    });
    // the first worker is gone; the next task must not wait on its sticky queue
    await handle.signal(incSignal, 2);
    const result = await withWorker(suite, { taskQueue }, async () => {
      await handle.signal(finishSignal, 'after restart');
      return handle.result();
    });
    expect(result).toEqual({ count: 3, signals: 2, note: 'after restart' });
    const kinds = scheduledKinds(await collect(suite, handle));
    expect(kinds).toContain(STICKY);
    // the first task after the restart went to the normal queue
    expect(kinds.lastIndexOf(NORMAL)).toBeGreaterThan(0);
  }, 60_000);

  it('runs evicted from a small worker cache fetch their history and complete; many signals and timers', async () => {
    const taskQueue = uid('tq-sticky-evict');
    const results = await withWorker(suite, { taskQueue, options: { maxCachedWorkflows: 2 } }, async () => {
      const handles = await Promise.all(
        Array.from({ length: 6 }, (_, i) => suite.client.workflow.start('ticker', { taskQueue, workflowId: uid(`sticky-evict-${i}`), args: [15] })),
      );
      await Promise.all(handles.flatMap((h) => Array.from({ length: 10 }, (_, i) => h.signal(incSignal, i + 1))));
      const results = await Promise.all(handles.map((h) => h.result()));
      for (const h of handles) await collect(suite, h);
      return results;
    });
    for (const r of results) expect(r).toEqual({ ticks: 15, count: 55, signals: 10 });
  }, 60_000);

  it('answers a query and an update on a run cached by its worker', async () => {
    const taskQueue = uid('tq-sticky-query');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('sticky-query'), args: [{}] });
      await handle.signal(incSignal, 4);
      await waitFor('signal applied', () => handle.query(countQuery).then((n) => n === 4));
      await handle.signal(incSignal, 5);
      await waitFor('second signal applied', () => handle.query(countQuery).then((n) => n === 9));
      const up = await suite.client.workflow.start('ticker', { taskQueue, workflowId: uid('sticky-update'), args: [1000] });
      await waitForEvent(up, 'TIMER_FIRED');
      expect(await up.executeUpdate(addUpdate, { args: [7] })).toBe(7);
      expect(await up.query(countQuery)).toBe(7);
      await up.terminate('done');
      await handle.signal(finishSignal);
      expect(await handle.result()).toMatchObject({ count: 9 });
      const kinds = scheduledKinds(await collect(suite, handle));
      expect(kinds.slice(1).every((k) => k === STICKY)).toBe(true);
      const upHistory = await up.fetchHistory();
      expect(eventsOf(upHistory, 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toHaveLength(1);
    });
  }, 60_000);
});

describe('sticky protocol, driven by hand', () => {
  const ns = 'default';
  const svc = () => suite.connection.workflowService;
  const poll = (name: string, kind: temporal.api.enums.v1.TaskQueueKind, ms = 10_000) =>
    suite.connection.withDeadline(Date.now() + ms, () => svc().pollWorkflowTaskQueue({ namespace: ns, taskQueue: { name, kind }, identity: 'hand' }));
  const [N, S] = [TaskQueueKind.TASK_QUEUE_KIND_NORMAL, TaskQueueKind.TASK_QUEUE_KIND_STICKY];
  const stickyAttrs = (name: string) => ({ workerTaskQueue: { name, kind: S }, scheduleToStartTimeout: { nanos: 900_000_000 } });
  const ids = (r: { history?: History | null }) => (r.history?.events ?? []).map((e) => Number(e.eventId));

  it('a query waiting when the run’s next workflow task is handed out goes with it, also one taken as a query task and never answered', async () => {
    // The SDK's core may drop a query task of a run whose workflow task reaches it after it: the
    // query then waited for the re-offer (10 s, two arrival scans of one parcel at once).
    const taskQueue = uid('tq-hand-query');
    const workflowId = uid('hand-query');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    const signal = () => svc().signalWorkflowExecution({ namespace: ns, workflowExecution: execution, signalName: 'go', requestId: uid('sig') });
    const query = (queryType: string) => svc().queryWorkflow({ namespace: ns, execution, query: { queryType } });
    const answer = (text: string) => ({ resultType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, answer: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) }] } });
    const answered = (r: temporal.api.workflowservice.v1.IQueryWorkflowResponse) => JSON.parse(Buffer.from(r.queryResult!.payloads![0]!.data!).toString());

    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: (await poll(taskQueue, N)).taskToken, commands: [] });
    // Asked while the run is settled: a query task, which the hand takes and never answers.
    const lost = query('lost');
    const queryTask = await poll(taskQueue, N);
    expect(queryTask.query?.queryType).toBe('lost');
    // A signal schedules a workflow task; a query asked now waits for it.
    await signal();
    const waiting = query('waiting');
    const t2 = await poll(taskQueue, N);
    expect(t2.query).toBeFalsy();
    const attached = Object.entries(t2.queries ?? {}).map(([id, q]) => [id, q.queryType] as const);
    expect(attached.map(([, type]) => type).sort()).toEqual(['lost', 'waiting']);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: t2.taskToken, commands: [], queryResults: Object.fromEntries(attached.map(([id, type]) => [id, answer(`${type} answered`)])) });
    expect(answered(await lost)).toBe('lost answered');
    expect(answered(await waiting)).toBe('waiting answered');
    await svc().terminateWorkflowExecution({ namespace: ns, workflowExecution: execution, reason: 'test over' });
  });

  /** Runs `body` with query tasks re-offered (or dropped) only after `ms`: no re-offer lands inside an empty poll of a slow machine. */
  async function withReofferAfter(ms: number, body: () => Promise<void>) {
    const before = suite.engine.queries.reofferAfterMs;
    suite.engine.queries.reofferAfterMs = ms;
    try {
      await body();
    } finally {
      suite.engine.queries.reofferAfterMs = before;
    }
  }

  it('a run has one query task out at a time: the next is offered when the one before is answered', () => withReofferAfter(600_000, async () => {
    // The SDK's core drops query tasks that reach it while it replays a run it does not hold (a
    // closed workflow) for another query task; clients querying a case as it closed waited 10–30 s.
    const taskQueue = uid('tq-hand-queries');
    const workflowId = uid('hand-queries');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    const complete = { commandType: temporal.api.enums.v1.CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} };
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: (await poll(taskQueue, N)).taskToken, commands: [complete] });
    const query = (queryType: string) => svc().queryWorkflow({ namespace: ns, execution, query: { queryType } });
    const answer = (taskToken: Uint8Array, text: string) =>
      svc().respondQueryTaskCompleted({ namespace: ns, taskToken, completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, queryResult: { payloads: [{ metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(text)) }] } });
    const answered = (r: temporal.api.workflowservice.v1.IQueryWorkflowResponse) => JSON.parse(Buffer.from(r.queryResult!.payloads![0]!.data!).toString());

    const first = query('first');
    const firstTask = await poll(taskQueue, N);
    expect(firstTask.query?.queryType).toBe('first');
    const second = query('second');
    // While the first is out, a poll gets nothing (it answers empty about a second before its deadline).
    expect((await poll(taskQueue, N, 2_500)).taskToken?.length ?? 0).toBe(0);
    await answer(firstTask.taskToken!, 'first answered');
    expect(answered(await first)).toBe('first answered');
    const secondTask = await poll(taskQueue, N);
    expect(secondTask.query?.queryType).toBe('second');
    await answer(secondTask.taskToken!, 'second answered');
    expect(answered(await second)).toBe('second answered');
  }));

  it('a query whose caller gave up keeps its run’s query task out until the worker answers it; then the next goes out', () => withReofferAfter(600_000, async () => {
    const taskQueue = uid('tq-hand-abandoned');
    const workflowId = uid('hand-abandoned');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: (await poll(taskQueue, N)).taskToken, commands: [] });
    const answer = (taskToken: Uint8Array) =>
      svc().respondQueryTaskCompleted({ namespace: ns, taskToken, completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, queryResult: { payloads: [] } });
    const giveUp = new AbortController();
    const abandoned = suite.connection.withAbortSignal(giveUp.signal, () => svc().queryWorkflow({ namespace: ns, execution, query: { queryType: 'abandoned' } }));
    const abandonedTask = await poll(taskQueue, N);
    expect(abandonedTask.query?.queryType).toBe('abandoned');
    giveUp.abort();
    await expect(abandoned).rejects.toThrow();
    // The worker may still be replaying the run for the abandoned query: the next one waits for its answer.
    const next = svc().queryWorkflow({ namespace: ns, execution, query: { queryType: 'next' } });
    expect((await poll(taskQueue, N, 2_500)).taskToken?.length ?? 0).toBe(0);
    await answer(abandonedTask.taskToken!);
    const nextTask = await poll(taskQueue, N);
    expect(nextTask.query?.queryType).toBe('next');
    await answer(nextTask.taskToken!);
    await next;
    await svc().terminateWorkflowExecution({ namespace: ns, workflowExecution: execution, reason: 'test over' });
  }));

  it('a query whose caller gave up goes with no workflow task, and is dropped, not offered again, once its re-offer time has passed', () => withReofferAfter(600_000, async () => {
    const taskQueue = uid('tq-hand-dropped');
    const workflowId = uid('hand-dropped');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: (await poll(taskQueue, N)).taskToken, commands: [] });
    const giveUp = new AbortController();
    const abandoned = suite.connection.withAbortSignal(giveUp.signal, () => svc().queryWorkflow({ namespace: ns, execution, query: { queryType: 'abandoned' } }));
    expect((await poll(taskQueue, N)).query?.queryType).toBe('abandoned');
    giveUp.abort();
    await expect(abandoned).rejects.toThrow();
    // A workflow task handed out meanwhile carries no query: nobody waits for the answer.
    await svc().signalWorkflowExecution({ namespace: ns, workflowExecution: execution, signalName: 'go', requestId: uid('sig') });
    const task = await poll(taskQueue, N);
    expect(task.query).toBeFalsy();
    expect(Object.keys(task.queries ?? {})).toEqual([]);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: task.taskToken, commands: [] });
    expect(suite.engine.queries.waitingFor(runId)).toBe(1);
    // The worker never answers: past its re-offer time the query is dropped, and the run's next query goes out.
    suite.engine.queries.reofferAfterMs = 100;
    await waitFor('the abandoned query dropped', () => suite.engine.queries.waitingFor(runId) === 0);
    const after = svc().queryWorkflow({ namespace: ns, execution, query: { queryType: 'after' } });
    const afterTask = await poll(taskQueue, N);
    expect(afterTask.query?.queryType).toBe('after');
    await svc().respondQueryTaskCompleted({ namespace: ns, taskToken: afterTask.taskToken!, completedType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, queryResult: { payloads: [] } });
    await after;
    await svc().terminateWorkflowExecution({ namespace: ns, workflowExecution: execution, reason: 'test over' });
  }));

  it('a query offered while its run was settled is not handed out as a query task once a workflow task is scheduled: it goes with that task', async () => {
    const taskQueue = uid('tq-hand-offered');
    const workflowId = uid('hand-offered');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: (await poll(taskQueue, N)).taskToken, commands: [] });
    // Asked while nobody polls: offered as a query task, not yet taken.
    const asked = svc().queryWorkflow({ namespace: ns, execution, query: { queryType: 'asked' } });
    // A signal schedules a workflow task before any worker takes the offer.
    await waitFor('the query to reach the server', async () => suite.engine.queries.waitingFor(runId) === 1 || undefined);
    await svc().signalWorkflowExecution({ namespace: ns, workflowExecution: execution, signalName: 'go', requestId: uid('sig') });
    const task = await poll(taskQueue, N);
    expect(task.query).toBeFalsy();
    const attached = Object.entries(task.queries ?? {});
    expect(attached.map(([, q]) => q.queryType)).toEqual(['asked']);
    await svc().respondWorkflowTaskCompleted({
      namespace: ns,
      taskToken: task.taskToken,
      commands: [],
      queryResults: { [attached[0]![0]]: { resultType: temporal.api.enums.v1.QueryResultType.QUERY_RESULT_TYPE_ANSWERED, answer: { payloads: [] } } },
    });
    await asked;
    await svc().terminateWorkflowExecution({ namespace: ns, workflowExecution: execution, reason: 'test over' });
  });

  it('partial history after previousStartedEventId; timeout, RESET_STICKY_TASK_QUEUE and ResetStickyTaskQueue end stickiness', async () => {
    const taskQueue = uid('tq-hand');
    const sticky = `${taskQueue}-sticky`;
    const workflowId = uid('hand');
    const { runId } = await svc().startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const execution = { workflowId, runId };
    const signal = () => svc().signalWorkflowExecution({ namespace: ns, workflowExecution: execution, signalName: 'go', requestId: uid('sig') });

    const t1 = await poll(taskQueue, N);
    expect(ids(t1)).toEqual([1, 2, 3]);
    // the sticky queue's poller is seen (an empty poll) before the task it will get is scheduled
    expect((await poll(sticky, S, 1500)).taskToken?.length ?? 0).toBe(0);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: t1.taskToken, commands: [], stickyAttributes: stickyAttrs(sticky) });

    await signal();
    const t2 = await poll(sticky, S);
    expect(Number(t2.previousStartedEventId)).toBe(3);
    expect(ids(t2)).toEqual([4, 5, 6, 7]); // completed, signaled, scheduled, started
    expect(kindName(t2.history?.events?.[2]?.workflowTaskScheduledEventAttributes?.taskQueue?.kind)).toBe(STICKY);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: t2.taskToken, commands: [], stickyAttributes: stickyAttrs(sticky) });

    // nobody polls the sticky queue: after its 0.9 s schedule-to-start timeout the task moves to the normal queue, full history
    await signal();
    const t3 = await poll(taskQueue, N);
    expect(ids(t3)[0]).toBe(1);
    expect(ids(t3).at(-1)).toBe(Number(t3.startedEventId));
    expect(kindName(t3.history?.events?.at(-2)?.workflowTaskScheduledEventAttributes?.taskQueue?.kind)).toBe(NORMAL);
    expect((await poll(sticky, S, 1500)).taskToken?.length ?? 0).toBe(0);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: t3.taskToken, commands: [], stickyAttributes: stickyAttrs(sticky) });

    // the worker lost the run: it fails the sticky task with RESET_STICKY_TASK_QUEUE, the retry carries the full history
    await signal();
    const t4 = await poll(sticky, S);
    expect(ids(t4)[0]).toBeGreaterThan(1);
    await svc().respondWorkflowTaskFailed({ namespace: ns, taskToken: t4.taskToken, cause: WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE, identity: 'hand' });
    const t5 = await poll(taskQueue, N);
    expect(ids(t5)[0]).toBe(1);
    expect((await poll(sticky, S, 1500)).taskToken?.length ?? 0).toBe(0);
    await svc().respondWorkflowTaskCompleted({ namespace: ns, taskToken: t5.taskToken, commands: [], stickyAttributes: stickyAttrs(sticky) });

    // ResetStickyTaskQueue: the next task goes to the normal queue
    await svc().resetStickyTaskQueue({ namespace: ns, execution });
    await signal();
    const t6 = await poll(taskQueue, N);
    expect(ids(t6)[0]).toBe(1);
    await svc().respondWorkflowTaskCompleted({
      namespace: ns,
      taskToken: t6.taskToken,
      commands: [{ commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION, completeWorkflowExecutionCommandAttributes: {} }],
    });
    const { workflowExecutionInfo } = await svc().describeWorkflowExecution({ namespace: ns, execution });
    expect(workflowExecutionInfo?.status).toBe(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED);
  }, 60_000);
});

describe('fair dispatch', () => {
  it('a timer that falls due is dispatched ahead of a backlog of first tasks of new workflows', async () => {
    const ns = 'default';
    const svc = suite.connection.workflowService;
    const taskQueue = uid('tq-fair');
    const workflowId = uid('fair-timer');
    const { runId } = await svc.startWorkflowExecution({ namespace: ns, workflowId, workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    const first = await svc.pollWorkflowTaskQueue({ namespace: ns, taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'hand' });
    expect(first.workflowExecution?.workflowId).toBe(workflowId);
    // 100 new workflows queue their first tasks while nobody polls
    for (let i = 0; i < 100; i++) {
      await svc.startWorkflowExecution({ namespace: ns, workflowId: uid(`fair-new-${i}`), workflowType: { name: 'handDriven' }, taskQueue: { name: taskQueue }, requestId: uid('req') });
    }
    await svc.respondWorkflowTaskCompleted({
      namespace: ns,
      taskToken: first.taskToken,
      commands: [{ commandType: CommandType.COMMAND_TYPE_START_TIMER, startTimerCommandAttributes: { timerId: 't', startToFireTimeout: { nanos: 1_000_000 } } }],
    });
    const run = suite.engine.runs.get(runId!)!;
    await waitFor('the timer fired', () => run.history.slice().some((e) => e.eventType === 'EVENT_TYPE_TIMER_FIRED'));
    const next = await svc.pollWorkflowTaskQueue({ namespace: ns, taskQueue: { name: taskQueue, kind: TaskQueueKind.TASK_QUEUE_KIND_NORMAL }, identity: 'hand' });
    expect(next.workflowExecution?.workflowId).toBe(workflowId);
    expect(suite.engine.workflowTasks.backlog(suite.engine.queueKey(ns, taskQueue))).toBe(100);
  }, 30_000);

  it('serves resumed tasks first but gives first tasks a turn after every few, FIFO within each class', () => {
    const m = new Matching<string>(1000);
    for (let i = 0; i < 6; i++) m.offer('q', () => `f${i}`, 'first');
    for (let i = 0; i < 9; i++) m.offer('q', () => `r${i}`, 'resumed');
    const order: string[] = [];
    const noCancel = () => undefined;
    return (async () => {
      for (let i = 0; i < 15; i++) order.push((await m.poll('q', 'p', noCancel))!);
      expect(order).toEqual(['r0', 'r1', 'r2', 'r3', 'f0', 'r4', 'r5', 'r6', 'r7', 'f1', 'r8', 'f2', 'f3', 'f4', 'f5']);
      m.stop();
    })();
  });
});

describe('replay', () => {
  checkCollectedHistories(() => suite.histories, 8);
});
