/**
 * Child workflows (result, failure, parent-close policies) and external workflow handles
 * (signal / cancel from another workflow).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkflowFailedError } from '@temporalio/client';
import { CancelledFailure } from '@temporalio/common';
import { collect, eventNames, waitForEvent, eventsOf, getBundle, startSuite, uid, waitFor, withWorker, type Suite, checkCollectedHistories } from './harness.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

describe('child workflows', () => {
  it("returns a child's result to the parent", async () => {
    const taskQueue = uid('tq-child');
    const parentId = uid('parent');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('parentOfDoubler', { taskQueue, workflowId: parentId, args: [21] });
      const result = (await handle.result()) as any;
      expect(result.child).toEqual({ value: 42, parentId, parentRunId: handle.firstExecutionRunId });
      const history = await collect(suite, handle);
      const names = eventNames(history);
      for (const n of ['START_CHILD_WORKFLOW_EXECUTION_INITIATED', 'CHILD_WORKFLOW_EXECUTION_STARTED', 'CHILD_WORKFLOW_EXECUTION_COMPLETED']) {
        expect(names).toContain(n);
      }
      const child = suite.client.workflow.getHandle(`${parentId}-child`);
      const desc = await child.describe();
      expect(desc.status.name).toBe('COMPLETED');
      expect(desc.type).toBe('doubler');
      expect(desc.parentExecution).toMatchObject({ workflowId: parentId, runId: handle.firstExecutionRunId });
      expect(await child.result()).toEqual(result.child);
      await collect(suite, child);
    });
  }, 60_000);

  it('reports a child failure to the parent as ChildWorkflowFailure', async () => {
    const taskQueue = uid('tq-child-fail');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('parentOfFailingChild', { taskQueue, workflowId: uid('parent-fail'), args: ['kaboom'] });
      expect(await handle.result()).toEqual({
        name: 'ChildWorkflowFailure',
        causeName: 'ApplicationFailure',
        causeMessage: 'kaboom',
        causeType: 'ChildFatal',
        childType: 'failingChild',
      });
      const history = await collect(suite, handle);
      expect(eventNames(history)).toContain('CHILD_WORKFLOW_EXECUTION_FAILED');
      const child = suite.client.workflow.getHandle(`${handle.workflowId}-child`);
      expect((await child.describe()).status.name).toBe('FAILED');
      await collect(suite, child);
    });
  }, 60_000);

  it('parent-close policy TERMINATE terminates the child, ABANDON leaves it running', async () => {
    const taskQueue = uid('tq-child-close');
    await withWorker(suite, { taskQueue }, async () => {
      const termChildId = uid('child-term');
      const abandonChildId = uid('child-abandon');
      const p1 = await suite.client.workflow.start('parentThatLeaves', { taskQueue, workflowId: uid('parent-term'), args: ['TERMINATE', termChildId] });
      const p2 = await suite.client.workflow.start('parentThatLeaves', { taskQueue, workflowId: uid('parent-abandon'), args: ['ABANDON', abandonChildId] });
      const termRun = await p1.result();
      const abandonRun = await p2.result();
      await collect(suite, p1);
      await collect(suite, p2);

      const termChild = suite.client.workflow.getHandle(termChildId);
      await waitFor('terminated child', async () => (await termChild.describe()).status.name === 'TERMINATED');
      expect((await termChild.describe()).runId).toBe(termRun);
      await expect(termChild.result()).rejects.toBeInstanceOf(WorkflowFailedError);
      await collect(suite, termChild);

      const abandonChild = suite.client.workflow.getHandle(abandonChildId);
      // give a broken server time to (wrongly) close it
      await new Promise((r) => setTimeout(r, 1000));
      const desc = await abandonChild.describe();
      expect(desc.status.name).toBe('RUNNING');
      expect(desc.runId).toBe(abandonRun);
      expect(desc.parentExecution?.workflowId).toBe(p2.workflowId);
      await abandonChild.terminate('cleanup');
      await collect(suite, abandonChild);
    });
  }, 60_000);
});

describe('child cancellation', () => {
  it('cancelling the parent cancels the child it waits on', async () => {
    const taskQueue = uid('tq-child-cancel');
    const childId = uid('child-cancel');
    await withWorker(suite, { taskQueue }, async () => {
      const parent = await suite.client.workflow.start('parentOfWaiter', { taskQueue, workflowId: uid('parent-cancel'), args: [childId] });
      await waitForEvent(parent, 'CHILD_WORKFLOW_EXECUTION_STARTED');
      await parent.cancel();
      const err = await parent.result().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(err.cause).toBeInstanceOf(CancelledFailure);
      const child = suite.client.workflow.getHandle(childId);
      const childErr = await child.result().catch((e) => e);
      expect(childErr).toBeInstanceOf(WorkflowFailedError);
      expect(childErr.cause).toBeInstanceOf(CancelledFailure);
      expect((await child.describe()).status.name).toBe('CANCELLED');
      const ph = await collect(suite, parent);
      expect(eventNames(ph)).toContain('CHILD_WORKFLOW_EXECUTION_CANCELED');
      await collect(suite, child);
    });
  }, 60_000);
});

describe('external workflows', () => {
  it('signals an external workflow from another workflow', async () => {
    const taskQueue = uid('tq-ext-signal');
    await withWorker(suite, { taskQueue }, async () => {
      const target = await suite.client.workflow.start('counter', { taskQueue, workflowId: uid('ext-target'), args: [{}] });
      const sender = await suite.client.workflow.start('signalExternal', { taskQueue, workflowId: uid('ext-sender'), args: [target.workflowId, 3, 4] });
      await sender.result();
      expect(await target.result()).toEqual({ count: 12, signals: 4, note: `from ${sender.workflowId}` });
      const senderHistory = await collect(suite, sender);
      expect(eventsOf(senderHistory, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED')).toHaveLength(5);
      expect(eventsOf(senderHistory, 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED')).toHaveLength(5);
      const targetHistory = await collect(suite, target);
      const signaled = eventsOf(targetHistory, 'WORKFLOW_EXECUTION_SIGNALED');
      expect(signaled).toHaveLength(5);
      expect(signaled[0].workflowExecutionSignaledEventAttributes?.externalWorkflowExecution?.workflowId).toBe(sender.workflowId);
    });
  }, 60_000);

  it('cancels an external workflow from another workflow', async () => {
    const taskQueue = uid('tq-ext-cancel');
    await withWorker(suite, { taskQueue }, async () => {
      const target = await suite.client.workflow.start('waitForever', { taskQueue, workflowId: uid('ext-cancel-target') });
      const sender = await suite.client.workflow.start('cancelExternal', { taskQueue, workflowId: uid('ext-canceller'), args: [target.workflowId] });
      expect(await sender.result()).toBe('cancel-requested');
      const err = await target.result().catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowFailedError);
      expect(err.cause).toBeInstanceOf(CancelledFailure);
      expect((await target.describe()).status.name).toBe('CANCELLED');
      const senderHistory = await collect(suite, sender);
      expect(eventNames(senderHistory)).toContain('EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED');
      const targetHistory = await collect(suite, target);
      const req = eventsOf(targetHistory, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED')[0];
      expect(req?.workflowExecutionCancelRequestedEventAttributes?.externalWorkflowExecution?.workflowId).toBe(sender.workflowId);
      expect(eventNames(targetHistory).at(-1)).toBe('WORKFLOW_EXECUTION_CANCELED');
    });
  }, 60_000);

  it('signalling a workflow that does not exist fails inside the workflow', async () => {
    const taskQueue = uid('tq-ext-missing');
    await withWorker(suite, { taskQueue }, async () => {
      const sender = await suite.client.workflow.start('signalMissingExternal', { taskQueue, workflowId: uid('ext-missing'), args: [uid('nobody')] });
      expect(await sender.result()).toMatchObject({ failed: true });
      const history = await collect(suite, sender);
      expect(eventNames(history)).toContain('SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED');
    });
  }, 60_000);
});

describe('replay', () => {
  checkCollectedHistories(() => suite.histories, 6);
});
