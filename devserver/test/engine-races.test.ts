/**
 * Races that the SDK only hits under load, provoked deterministically by driving the engine the
 * way a worker would (poll → complete) with the events arriving in between.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDevServer, type DevServer } from '../src/index.js';
import { decodeToken } from '../src/engine/tokens.js';
import { historyEventsOf } from '../src/engine/encoded-history.js';
import { waitFor } from './harness.js';

let server: DevServer;
beforeAll(async () => {
  server = await startDevServer({ port: 0, longPollMs: 1000 });
});
afterAll(async () => {
  await server.stop();
});

const types = (history: Array<Record<string, any>>) => history.map((e) => String(e.eventType).replace('EVENT_TYPE_', ''));

async function pollTask(queue: string) {
  const e = server.engine;
  const task = await e.workflowTasks.poll(e.queueKey('default', queue), 'test-worker', () => undefined);
  if (!task) throw new Error('no workflow task');
  const t = decodeToken(task.taskToken);
  if (t.k !== 'w') throw new Error('not a workflow task');
  return { task, run: e.startedWorkflowTask(t.ns, t.r, t.s, t.a) };
}

describe('engine races', () => {
  it('a timer that fires while a task is out, and that the task cancels, never reaches the workflow', async () => {
    const e = server.engine;
    const run = e.createRun({ namespace: 'default', workflowId: 'race-timer', workflowType: 'wf', taskQueue: 'race-q', runTimeoutMs: 0, executionTimeoutMs: 0, workflowTaskTimeoutMs: 10_000 });
    let { run: r } = await pollTask('race-q');
    e.commands.complete(r, { commands: [{ commandType: 'COMMAND_TYPE_START_TIMER', startTimerCommandAttributes: { timerId: 't1', startToFireTimeout: { seconds: '0', nanos: 50_000_000 } } }] });

    // A signal starts a new task; while the worker holds it, the timer fires (and is buffered).
    e.signal(run, 'go', undefined, undefined, 'test');
    ({ run: r } = await pollTask('race-q'));
    await waitFor('the timer to fire while the task is out', () => run.buffered.length > 0);
    expect(run.buffered.map((b) => b.type)).toEqual(['TIMER_FIRED']);

    // The worker, not having seen the fire, cancels the timer (and the run goes on).
    e.commands.complete(r, { commands: [{ commandType: 'COMMAND_TYPE_CANCEL_TIMER', cancelTimerCommandAttributes: { timerId: 't1' } }] });
    let names = types(run.history.slice());
    expect(names).not.toContain('TIMER_FIRED');
    expect(names.at(-1)).toBe('TIMER_CANCELED');
    expect(run.wft).toBeUndefined(); // nothing new for the workflow to see

    // Cancelling it and completing in one task is not an UnhandledCommand either.
    e.signal(run, 'again', undefined, undefined, 'test');
    ({ run: r } = await pollTask('race-q'));
    e.commands.complete(r, { commands: [{ commandType: 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION', completeWorkflowExecutionCommandAttributes: {} }] });
    names = types(run.history.slice());
    expect(names.at(-1)).toBe('WORKFLOW_EXECUTION_COMPLETED');
    const canceled = run.history.slice().find((ev) => ev.eventType === 'EVENT_TYPE_TIMER_CANCELED')!;
    const started = run.history.slice().find((ev) => ev.eventType === 'EVENT_TYPE_TIMER_STARTED')!;
    expect(canceled.timerCanceledEventAttributes.startedEventId).toBe(started.eventId);
  });

  it('a signal that arrives while the task is out makes a closing completion UnhandledCommand, then is delivered', async () => {
    const e = server.engine;
    const run = e.createRun({ namespace: 'default', workflowId: 'race-signal', workflowType: 'wf', taskQueue: 'race-q2', runTimeoutMs: 0, executionTimeoutMs: 0, workflowTaskTimeoutMs: 10_000 });
    const { run: r } = await pollTask('race-q2');
    e.signal(run, 'late', undefined, undefined, 'test');
    expect(() => e.commands.complete(r, { commands: [{ commandType: 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION', completeWorkflowExecutionCommandAttributes: {} }] })).toThrow('UnhandledCommand');
    expect(run.status).toBe('Running');
    const { task } = await pollTask('race-q2');
    const names = types(historyEventsOf(task));
    expect(names.slice(-4)).toEqual(['WORKFLOW_TASK_FAILED', 'WORKFLOW_EXECUTION_SIGNALED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED']);
  });
});
