/**
 * Update-with-start (`ExecuteMultiOperation`) through the SDK's `executeUpdateWithStart` /
 * `startUpdateWithStart`: a new workflow whose first workflow task carries the update, USE_EXISTING
 * on a running workflow, FAIL on a running workflow (WorkflowExecutionAlreadyStartedError, update
 * not applied), a validator rejecting the update of a fresh start (the workflow stays started, as
 * on the real server), idempotent update ids; by raw gRPC, the real server's validation messages
 * and its multi-operation error shape (per-operation statuses, the other operation aborted).
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, WorkflowUpdateStage, type WorkflowHandle } from '@temporalio/client';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { google, temporal } from '@temporalio/proto';
import { collect, eventNames, getBundle, startSuite, uid, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import { addItemUpdate, cartQuery, cartWorkflow, checkoutSignal, type Cart } from './workflows/with-start.js';

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([startSuite(), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

const { WorkflowIdConflictPolicy, UpdateWorkflowExecutionLifecycleStage } = temporal.api.enums.v1;
const UPDATE_EVENTS = ['WORKFLOW_EXECUTION_UPDATE_ACCEPTED', 'WORKFLOW_EXECUTION_UPDATE_COMPLETED'];

function cartStart(workflowId: string, taskQueue: string, policy: 'USE_EXISTING' | 'FAIL', owner = 'ann') {
  return new WithStartWorkflowOperation(cartWorkflow, { workflowId, taskQueue, workflowIdConflictPolicy: policy, args: [owner] });
}

async function checkout(handle: WorkflowHandle): Promise<Cart> {
  await handle.signal(checkoutSignal);
  return (await handle.result()) as Cart;
}

describe('update-with-start through the SDK', () => {
  it('starts a new workflow whose first workflow task carries the update', async () => {
    const taskQueue = uid('tq-uws-new');
    const workflowId = uid('uws-new');
    await withWorker(suite, { taskQueue }, async () => {
      const op = cartStart(workflowId, taskQueue, 'FAIL');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['book', 12], startWorkflowOperation: op })).toBe(12);
      const handle = await op.workflowHandle();
      expect(handle.workflowId).toBe(workflowId);
      const cart = await checkout(handle);
      // The update ran in the run's first activation: only the first three events existed then.
      expect(cart).toEqual({ owner: 'ann', items: ['book'], total: 12, firstItemAtHistoryLength: 3 });
      const names = eventNames(await collect(suite, handle));
      expect(names.slice(0, 6)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', ...UPDATE_EVENTS]);
    });
  }, 60_000);

  it('startUpdateWithStart waits for ACCEPTED and gives an update handle whose result() is the outcome', async () => {
    const taskQueue = uid('tq-uws-accepted');
    const workflowId = uid('uws-accepted');
    await withWorker(suite, { taskQueue }, async () => {
      const op = cartStart(workflowId, taskQueue, 'USE_EXISTING', 'bob');
      const update = await suite.client.workflow.startUpdateWithStart(addItemUpdate, {
        args: ['pen', 3],
        updateId: 'first-pen',
        waitForStage: WorkflowUpdateStage.ACCEPTED,
        startWorkflowOperation: op,
      });
      expect(update.updateId).toBe('first-pen');
      expect(update.workflowId).toBe(workflowId);
      expect(await update.result()).toBe(3);
      const handle = await op.workflowHandle();
      expect(update.workflowRunId).toBe((await handle.describe()).runId);
      expect(await checkout(handle)).toMatchObject({ owner: 'bob', items: ['pen'], total: 3 });
      await collect(suite, handle);
    });
  }, 60_000);

  it('USE_EXISTING on a running workflow: the update goes to that run, no new run is started', async () => {
    const taskQueue = uid('tq-uws-existing');
    const workflowId = uid('uws-existing');
    await withWorker(suite, { taskQueue }, async () => {
      const original = await suite.client.workflow.start(cartWorkflow, { workflowId, taskQueue, args: ['cid'] });
      const op = cartStart(workflowId, taskQueue, 'USE_EXISTING', 'someone-else');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['lamp', 40], startWorkflowOperation: op })).toBe(40);
      const handle = await op.workflowHandle();
      expect((await handle.describe()).runId).toBe(original.firstExecutionRunId);
      const again = cartStart(workflowId, taskQueue, 'USE_EXISTING');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['bulb', 2], startWorkflowOperation: again })).toBe(42);
      // The workflow's own input is kept: the start operation's arguments were not used.
      expect(await checkout(original)).toMatchObject({ owner: 'cid', items: ['lamp', 'bulb'], total: 42 });
      const names = eventNames(await collect(suite, original));
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_UPDATE_COMPLETED')).toHaveLength(2);
    });
  }, 60_000);

  it('FAIL on a running workflow: WorkflowExecutionAlreadyStartedError, the update is not applied', async () => {
    const taskQueue = uid('tq-uws-fail');
    const workflowId = uid('uws-fail');
    await withWorker(suite, { taskQueue }, async () => {
      const original = await suite.client.workflow.start(cartWorkflow, { workflowId, taskQueue, args: ['dee'] });
      const op = cartStart(workflowId, taskQueue, 'FAIL');
      const err = await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['tv', 300], startWorkflowOperation: op }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      expect(err.workflowId).toBe(workflowId);
      expect(err.workflowType).toBe('cartWorkflow');
      // The start operation's handle fails the same way.
      await expect(op.workflowHandle()).rejects.toBeInstanceOf(WorkflowExecutionAlreadyStartedError);
      expect(await original.query(cartQuery)).toMatchObject({ items: [], total: 0 });
      const names = eventNames(await original.fetchHistory());
      expect(names.some((n) => UPDATE_EVENTS.includes(n))).toBe(false);
      expect(await checkout(original)).toMatchObject({ owner: 'dee', items: [], total: 0 });
      await collect(suite, original);
    });
  }, 60_000);

  it('a validator rejecting the update of a fresh start: WorkflowUpdateFailedError, the workflow stays started and running', async () => {
    const taskQueue = uid('tq-uws-rejected');
    const workflowId = uid('uws-rejected');
    await withWorker(suite, { taskQueue }, async () => {
      const op = cartStart(workflowId, taskQueue, 'FAIL', 'eve');
      const err = await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['refund', -5], startWorkflowOperation: op }).catch((e) => e);
      expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
      expect(String(err.cause?.message)).toContain('negative price for refund');
      // As on the real server, the start is not undone: the run exists and keeps running.
      const handle = await op.workflowHandle();
      const described = await handle.describe();
      expect(described.status.name).toBe('RUNNING');
      const names = eventNames(await handle.fetchHistory());
      expect(names.slice(0, 4)).toEqual(['WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED']);
      expect(names.some((n) => UPDATE_EVENTS.includes(n))).toBe(false);
      // A later update-with-start with USE_EXISTING reaches the same run.
      const next = cartStart(workflowId, taskQueue, 'USE_EXISTING');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['socks', 7], startWorkflowOperation: next })).toBe(7);
      expect((await (await next.workflowHandle()).describe()).runId).toBe(described.runId);
      expect(await checkout(handle)).toMatchObject({ owner: 'eve', items: ['socks'], total: 7 });
      await collect(suite, handle);
    });
  }, 60_000);

  it('the same update id is applied once: its outcome is returned again, even with FAIL on the running workflow', async () => {
    const taskQueue = uid('tq-uws-idem');
    const workflowId = uid('uws-idem');
    await withWorker(suite, { taskQueue }, async () => {
      const first = cartStart(workflowId, taskQueue, 'USE_EXISTING');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['cup', 5], updateId: 'cup-1', startWorkflowOperation: first })).toBe(5);
      const second = cartStart(workflowId, taskQueue, 'USE_EXISTING');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['cup', 5], updateId: 'cup-1', startWorkflowOperation: second })).toBe(5);
      // A completed update is answered before the conflict policy is looked at (as history's multioperation API does).
      const third = cartStart(workflowId, taskQueue, 'FAIL');
      expect(await suite.client.workflow.executeUpdateWithStart(addItemUpdate, { args: ['cup', 5], updateId: 'cup-1', startWorkflowOperation: third })).toBe(5);
      const handle = await first.workflowHandle();
      expect(await handle.getUpdateHandle<number>('cup-1').result()).toBe(5);
      expect(await checkout(handle)).toMatchObject({ items: ['cup'], total: 5 });
      const names = eventNames(await collect(suite, handle));
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_UPDATE_ACCEPTED')).toHaveLength(1);
      expect(names.filter((n) => n === 'WORKFLOW_EXECUTION_STARTED')).toHaveLength(1);
    });
  }, 60_000);
});

// ------------------------------------------------------------------ raw gRPC: validation and error shape

interface OpStatus {
  code: number;
  message: string;
  detailTypes: string[];
}

/** The gRPC error of a failed ExecuteMultiOperation: its code, message and per-operation statuses. */
async function multiOpFailure(req: temporal.api.workflowservice.v1.IExecuteMultiOperationRequest) {
  const err = await suite.connection.workflowService.executeMultiOperation(req).then(
    () => undefined,
    (e) => e as { code: number; details: string; metadata: { get(k: string): unknown[] } },
  );
  if (!err) throw new Error('ExecuteMultiOperation succeeded');
  const bin = err.metadata.get('grpc-status-details-bin')?.[0] as Buffer | undefined;
  const details = bin ? google.rpc.Status.decode(bin).details : [];
  const failure = details.find((d) => d.type_url?.endsWith('temporal.api.errordetails.v1.MultiOperationExecutionFailure'));
  const statuses: OpStatus[] | undefined = failure
    ? temporal.api.errordetails.v1.MultiOperationExecutionFailure.decode(failure.value!).statuses.map((s) => ({
        code: s.code ?? 0,
        message: s.message ?? '',
        detailTypes: (s.details ?? []).map((d) => String(d.type_url).replace(/^type.googleapis.com\//, '')),
      }))
    : undefined;
  return { code: err.code, message: err.details, statuses };
}

const ABORTED: OpStatus = { code: 10, message: 'Operation was aborted.', detailTypes: ['temporal.api.failure.v1.MultiOperationExecutionAborted'] };

function rawStart(workflowId: string, taskQueue: string, extra: Partial<temporal.api.workflowservice.v1.IStartWorkflowExecutionRequest> = {}) {
  return {
    namespace: 'default',
    workflowId,
    workflowType: { name: 'cartWorkflow' },
    taskQueue: { name: taskQueue },
    requestId: randomUUID(),
    workflowIdConflictPolicy: WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_FAIL,
    ...extra,
  };
}

function rawUpdate(workflowId: string, extra: Partial<temporal.api.workflowservice.v1.IUpdateWorkflowExecutionRequest> = {}) {
  return {
    namespace: 'default',
    workflowExecution: { workflowId },
    request: { meta: { updateId: randomUUID() }, input: { name: 'addItem' } },
    waitPolicy: { lifecycleStage: UpdateWorkflowExecutionLifecycleStage.UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED },
    ...extra,
  };
}

describe('ExecuteMultiOperation by raw gRPC', () => {
  it('refuses what the real server refuses, with its messages and per-operation statuses', async () => {
    const taskQueue = uid('tq-uws-invalid');
    const id = uid('uws-invalid');
    const onlyStartAndUpdate = await multiOpFailure({ namespace: 'default', operations: [{ updateWorkflow: rawUpdate(id) }, { startWorkflow: rawStart(id, taskQueue) }] });
    expect(onlyStartAndUpdate).toMatchObject({ code: 3, message: 'Operations have to be exactly [Start, Update].', statuses: undefined });
    const single = await multiOpFailure({ namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue) }] });
    expect(single.message).toBe('Operations have to be exactly [Start, Update].');

    const cases: Array<[string, temporal.api.workflowservice.v1.IExecuteMultiOperationRequest, OpStatus[]]> = [
      [
        'different workflow ids',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue) }, { updateWorkflow: rawUpdate(`${id}-other`) }] },
        [ABORTED, { code: 3, message: 'WorkflowId is not consistent with previous operation(s).', detailTypes: [] }],
      ],
      [
        'a start delay',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue, { workflowStartDelay: { nanos: 500_000_000 } }) }, { updateWorkflow: rawUpdate(id) }] },
        [{ code: 3, message: 'WorkflowStartDelay is not supported.', detailTypes: [] }, ABORTED],
      ],
      [
        'eager execution',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue, { requestEagerExecution: true }) }, { updateWorkflow: rawUpdate(id) }] },
        [{ code: 3, message: 'RequestEagerExecution is not supported.', detailTypes: [] }, ABORTED],
      ],
      [
        'a run id on the update',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue) }, { updateWorkflow: rawUpdate(id, { workflowExecution: { workflowId: id, runId: randomUUID() } }) }] },
        [ABORTED, { code: 3, message: 'RunId is not allowed.', detailTypes: [] }],
      ],
      [
        'an update without a name',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue) }, { updateWorkflow: rawUpdate(id, { request: { meta: { updateId: 'x' }, input: {} } }) }] },
        [ABORTED, { code: 3, message: 'Update name is not set on request.', detailTypes: [] }],
      ],
      [
        'another namespace in an operation',
        { namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue, { namespace: 'elsewhere' }) }, { updateWorkflow: rawUpdate(id) }] },
        [{ code: 3, message: "Operation namespace did not match request's namespace.", detailTypes: [] }, ABORTED],
      ],
    ];
    for (const [what, req, statuses] of cases) {
      const failure = await multiOpFailure(req);
      expect({ what, ...failure }).toEqual({ what, code: 3, message: 'Update-with-Start could not be executed.', statuses });
    }
    // Nothing was started by any of them.
    await expect(suite.client.workflow.getHandle(id).describe()).rejects.toThrow();
  });

  it('a running workflow with FAIL: ALREADY_EXISTS for the start (with its run id), the update aborted', async () => {
    const taskQueue = uid('tq-uws-raw-fail');
    const id = uid('uws-raw-fail');
    const running = await suite.client.workflow.start(cartWorkflow, { workflowId: id, taskQueue, args: ['raw'] });
    const failure = await multiOpFailure({ namespace: 'default', operations: [{ startWorkflow: rawStart(id, taskQueue) }, { updateWorkflow: rawUpdate(id) }] });
    expect(failure.code).toBe(6);
    expect(failure.message).toBe('Update-with-Start could not be executed.');
    expect(failure.statuses).toEqual([
      {
        code: 6,
        message: `Workflow execution is already running. WorkflowId: ${id}, RunId: ${running.firstExecutionRunId}.`,
        detailTypes: ['temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure'],
      },
      ABORTED,
    ]);
    await running.terminate('done');
  });
});

checkCollectedHistories(() => suite.histories, 6);
