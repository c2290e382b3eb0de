import { randomUUID } from 'node:crypto';
import { Code, invalidArgument, RpcError } from '../errors.js';
import type { Engine, NewRun } from '../engine/engine.js';
import { isOpen, STATUS_ENUM, type Run } from '../engine/types.js';
import type { CallContext } from '../grpc.js';
import { encodeMessage, lookupType, msOf, withEncodedField, type Obj } from '../proto.js';

/** `startSpec` of workflow-service.ts: validates a StartWorkflowExecutionRequest and returns the run to create. */
export type StartSpec = (req: Obj) => NewRun;

const ABORTED_DETAIL = 'type.googleapis.com/temporal.api.failure.v1.MultiOperationExecutionAborted';
const FAILURE_DETAIL = 'type.googleapis.com/temporal.api.errordetails.v1.MultiOperationExecutionFailure';
const RUNNING = STATUS_ENUM.Running;
const USE_EXISTING = 'WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING';

/** The status of the operation that was not run because another one failed (the real server's `MultiOperationAborted`). */
class Aborted extends RpcError {
  constructor() {
    super(Code.ABORTED, 'Operation was aborted.', [{ '@type': ABORTED_DETAIL }]);
  }
}

/**
 * The real server's `MultiOperationExecution` error: one status per operation (OK for one that
 * succeeded, ABORTED with `MultiOperationExecutionAborted` for one not run) in a
 * `MultiOperationExecutionFailure` detail; the call's own code is that of the first operation that
 * really failed. The SDK rethrows that operation's status (ALREADY_EXISTS becomes
 * WorkflowExecutionAlreadyStartedError).
 */
function multiOpError(errs: Array<RpcError | undefined>): RpcError {
  const statuses = errs.map((err) => (err ? { code: err.code, message: err.message, details: err.details } : { code: Code.OK, message: '' }));
  const failed = errs.find((err) => err && !(err instanceof Aborted));
  return new RpcError(failed?.code ?? Code.ABORTED, 'Update-with-Start could not be executed.', [{ '@type': FAILURE_DETAIL, statuses }]);
}

/** Runs `fn`; an RpcError it throws is returned (a server bug is thrown on). */
function attempt(fn: () => void): RpcError | undefined {
  try {
    fn();
    return undefined;
  } catch (err) {
    if (err instanceof RpcError) return err;
    throw err;
  }
}

/** The frontend's checks of the start operation (besides those of a plain start). */
function validateStart(namespace: string, req: Obj, startSpec: StartSpec): NewRun {
  if (req.namespace && req.namespace !== namespace) throw invalidArgument("Operation namespace did not match request's namespace.");
  const spec = startSpec({ ...req, namespace });
  if (req.cronSchedule) throw invalidArgument('CronSchedule is not allowed.');
  if (req.requestEagerExecution) throw invalidArgument('RequestEagerExecution is not supported.');
  if (msOf(req.workflowStartDelay) > 0) throw invalidArgument('WorkflowStartDelay is not supported.');
  return spec;
}

/** The frontend's checks of the update operation; an empty update id gets a new one, as there. */
function validateUpdate(namespace: string, req: Obj): string {
  if (req.namespace && req.namespace !== namespace) throw invalidArgument("Operation namespace did not match request's namespace.");
  const execution = req.workflowExecution;
  if (!execution) throw invalidArgument('Execution is not set on request.');
  if (!execution.workflowId) throw invalidArgument('WorkflowId is not set on request.');
  const meta = req.request?.meta;
  if (!meta) throw invalidArgument('Update meta is not set on request.');
  if (String(meta.updateId ?? '').length > 1000) throw invalidArgument('UpdateId length exceeds limit.');
  if (!meta.updateId) meta.updateId = randomUUID();
  if (!req.request.input) throw invalidArgument('Update input is not set on request.');
  if (!req.request.input.name) throw invalidArgument('Update name is not set on request.');
  // Unspecified means COMPLETED; waiting for ADMITTED only is refused.
  if (String(req.waitPolicy?.lifecycleStage ?? '').endsWith('_ADMITTED')) {
    throw new RpcError(Code.PERMISSION_DENIED, 'UpdateWorkflowExecution issued asynchronously and waiting on update admitted is not supported.');
  }
  if (req.firstExecutionRunId) throw invalidArgument('FirstExecutionRunId is not allowed.');
  if (execution.runId) throw invalidArgument('RunId is not allowed.');
  return execution.workflowId;
}

/**
 * ExecuteMultiOperation: update-with-start, the only combination the real server accepts
 * (exactly [Start, Update] on one workflow id). As there (history's `multioperation` API), in one
 * step: an update id the current run already completed is answered with its outcome; a running
 * workflow takes the update when the start is a retry of its own (same request id), already has
 * that update, or the conflict policy is USE_EXISTING; otherwise the workflow is started under its
 * id policies (FAIL on a running one: WorkflowExecutionAlreadyStarted, the update aborted) and the
 * update is admitted before the first workflow task is offered, so that task carries it. A
 * validator that rejects the update leaves the started workflow running. The answer waits for the
 * update's stage as UpdateWorkflowExecution does (the SDK re-sends until ACCEPTED).
 */
export async function executeMultiOperation(e: Engine, req: Obj, ctx: CallContext, startSpec: StartSpec): Promise<Obj> {
  const namespace = e.namespace(req.namespace).name;
  const ops: Obj[] = req.operations ?? [];
  if (ops.length !== 2 || !ops[0]?.startWorkflow || !ops[1]?.updateWorkflow) throw invalidArgument('Operations have to be exactly [Start, Update].');
  const startReq: Obj = ops[0].startWorkflow;
  const updateReq: Obj = ops[1].updateWorkflow;

  // Frontend: each operation validated on its own, then their workflow ids compared.
  let spec: NewRun | undefined;
  let updateWorkflowId = '';
  const startErr = attempt(() => void (spec = validateStart(namespace, startReq, startSpec)));
  const updateErr = attempt(() => void (updateWorkflowId = validateUpdate(namespace, updateReq)));
  if (startErr || updateErr) throw multiOpError([startErr ?? new Aborted(), updateErr ?? new Aborted()]);
  if (spec!.workflowId !== updateWorkflowId) {
    throw multiOpError([new Aborted(), invalidArgument('WorkflowId is not consistent with previous operation(s).')]);
  }
  const workflowId = spec!.workflowId;
  const updateId: string = updateReq.request.meta.updateId;

  const current = e.currentRun(namespace, workflowId);
  if (current) {
    const known = current.updates[updateId];
    // An update this run already completed: its outcome, whatever the run's state or the policies.
    if (known?.stage === 'COMPLETED') return respond(current, false, STATUS_ENUM[current.status], await updateOnly(current));
    const retried = !!startReq.requestId && startReq.requestId === current.startRequestId;
    if (isOpen(current) && (retried || known || startReq.workflowIdConflictPolicy === USE_EXISTING)) {
      return respond(current, false, RUNNING, await updateOnly(current));
    }
  }

  let run: Run;
  try {
    const { existing } = e.resolveStartConflict(namespace, startReq);
    // Only a closed run started by this very request (its update gone): the real server's answer, to be retried.
    if (existing) throw new RpcError(Code.UNAVAILABLE, 'Workflow was not started: StartDeduped');
    // The first workflow task is held back until the update is admitted, so that it carries the update.
    const { value, held } = e.workflowTasks.hold(() => e.createRun({ ...spec!, namespace }));
    run = value;
    try {
      e.updates.admit(run, updateReq.request);
    } finally {
      e.workflowTasks.release(held);
    }
  } catch (err) {
    if (err instanceof RpcError) throw multiOpError([err, new Aborted()]);
    throw err;
  }
  e.flush();
  let updated: Obj;
  try {
    updated = await e.updates.update(run, updateReq, ctx.onCancel);
  } catch (err) {
    // The start stands (status OK); only the update failed.
    if (err instanceof RpcError) throw multiOpError([undefined, err]);
    throw err;
  }
  return respond(run, true, RUNNING, updated);

  async function updateOnly(target: Run): Promise<Obj> {
    try {
      return await e.updates.update(target, updateReq, ctx.onCancel);
    } catch (err) {
      if (err instanceof RpcError) throw multiOpError([new Aborted(), err]);
      throw err;
    }
  }
}

function respond(run: Run, started: boolean, status: string, update: Obj): Obj {
  return {
    responses: [
      { startWorkflow: { runId: run.runId, started, status } },
      { updateWorkflow: update },
    ],
  };
}

/**
 * StartWorkflowExecution with `requestEagerExecution` (the Temporal core sets it only when a worker
 * of the same connection polls that namespace and task queue and has a free workflow-task slot):
 * as the real server, the new run's first workflow task is started at once on behalf of the
 * starter (WorkflowTaskStarted with the start request's identity) and returned as
 * `eagerWorkflowTask`, never offered to pollers. The caller only comes here for a new run without
 * a start delay; an existing run (conflict policy, request id retry) is answered as usual.
 */
export function startEagerly(e: Engine, spec: NewRun, identity: string | undefined): Obj {
  const { value: run, held } = e.workflowTasks.hold(() => e.createRun(spec));
  const key = e.queueKey(run.namespace, run.taskQueue);
  const i = held.findIndex((h) => h.key === key);
  const first = i >= 0 ? held[i]! : undefined;
  const task = first?.task(identity ?? '');
  if (task !== undefined) held.splice(i, 1);
  e.workflowTasks.release(held);
  const response: Obj = { runId: run.runId, started: true, status: RUNNING };
  if (task === undefined) return response;
  // The task's history is already encoded (see withEncodedField): the whole task goes as bytes.
  const pollResponse = lookupType('temporal.api.workflowservice.v1.PollWorkflowTaskQueueResponse');
  return withEncodedField(response, 'eagerWorkflowTask', encodeMessage(pollResponse, task));
}
