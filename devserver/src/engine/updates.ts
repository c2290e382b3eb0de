import { invalidArgument, notFound } from '../errors.js';
import type { Obj } from '../proto.js';
import { appendEvent } from './history.js';
import type { EngineHost } from './host.js';
import { isOpen, type Run, type UpdateStage, type UpdateState } from './types.js';

const STAGE_ORDER: Record<UpdateStage, number> = { ADMITTED: 1, ACCEPTED: 2, COMPLETED: 3 };
const STAGE_ENUM: Record<UpdateStage, string> = {
  ADMITTED: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ADMITTED',
  ACCEPTED: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_ACCEPTED',
  COMPLETED: 'UPDATE_WORKFLOW_EXECUTION_LIFECYCLE_STAGE_COMPLETED',
};
const REQUEST_TYPE = 'type.googleapis.com/temporal.api.update.v1.Request';

function wantedStage(waitPolicy: Obj | undefined): UpdateStage {
  const s = String(waitPolicy?.lifecycleStage ?? '');
  if (s.endsWith('_COMPLETED')) return 'COMPLETED';
  if (s.endsWith('_ACCEPTED')) return 'ACCEPTED';
  return 'ADMITTED';
}

interface Waiter {
  runId: string;
  updateId: string;
  wanted: UpdateStage;
  resolve: () => void;
  reject: (e: Error) => void;
}

/**
 * Workflow updates: admitted by the client call, delivered to a worker as a protocol message on the
 * next workflow task, accepted or rejected by the validator, then completed. Each call waits at most
 * `maxWaitMs` and answers the stage reached; the SDK re-sends or polls until it has what it asked for.
 */
export class UpdateManager {
  private waiters: Waiter[] = [];

  constructor(
    private readonly engine: EngineHost,
    private readonly maxWaitMs = 10_000,
  ) {}

  async update(run: Run, req: Obj, onCancel: (cb: () => void) => void): Promise<Obj> {
    const request = req.request;
    const updateId: string | undefined = request?.meta?.updateId;
    if (!updateId) throw invalidArgument('Update ID is not set on request.');
    if (!request.input?.name) throw invalidArgument('Update name is not set on request.');
    let update = run.updates[updateId];
    if (!update) {
      update = this.admit(run, request);
      this.engine.flush();
    }
    await this.waitFor(run, update, wantedStage(req.waitPolicy), onCancel);
    return this.response(run, run.updates[updateId] ?? update);
  }

  /**
   * Admits an update the run does not have yet: the next workflow task carries it (one is scheduled
   * if none is pending). Update-with-start admits it right after creating the run, before the first
   * task is offered, so that this task carries it.
   */
  admit(run: Run, request: Obj): UpdateState {
    if (!isOpen(run)) throw notFound('workflow execution already completed');
    const update: UpdateState = { updateId: request.meta.updateId, request, stage: 'ADMITTED' };
    run.updates[update.updateId] = update;
    this.engine.touch(run);
    this.engine.scheduleWorkflowTask(run);
    return update;
  }

  async poll(run: Run, req: Obj, onCancel: (cb: () => void) => void): Promise<Obj> {
    const updateId: string | undefined = req.updateRef?.updateId;
    const update = updateId ? run.updates[updateId] : undefined;
    if (!update) throw notFound(`update ${updateId} not found`);
    await this.waitFor(run, update, wantedStage(req.waitPolicy), onCancel);
    return this.response(run, update);
  }

  private response(run: Run, update: UpdateState): Obj {
    if (update.stage !== 'COMPLETED' && !isOpen(run)) throw notFound('workflow execution already completed');
    return {
      updateRef: { workflowExecution: { workflowId: run.workflowId, runId: run.runId }, updateId: update.updateId },
      outcome: update.outcome,
      stage: STAGE_ENUM[update.stage],
    };
  }

  private waitFor(run: Run, update: UpdateState, wanted: UpdateStage, onCancel: (cb: () => void) => void): Promise<void> {
    if (STAGE_ORDER[update.stage] >= STAGE_ORDER[wanted] || !isOpen(run)) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { runId: run.runId, updateId: update.updateId, wanted, resolve: () => done(resolve), reject: (e) => done(() => reject(e)) };
      const timer = setTimeout(() => waiter.resolve(), this.maxWaitMs);
      const done = (fn: () => void) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== waiter);
        fn();
      };
      this.waiters.push(waiter);
      onCancel(() => waiter.resolve());
    });
  }

  private wake(run: Run, update: UpdateState): void {
    for (const w of [...this.waiters]) {
      if (w.runId === run.runId && w.updateId === update.updateId && STAGE_ORDER[update.stage] >= STAGE_ORDER[w.wanted]) w.resolve();
    }
  }

  /** Protocol messages for the updates no worker has seen yet, attached to the workflow task being dispatched. */
  deliver(run: Run, scheduledEventId: number): Obj[] {
    const messages: Obj[] = [];
    for (const u of Object.values(run.updates)) {
      if (u.stage !== 'ADMITTED' || u.deliveredIn !== undefined) continue;
      u.deliveredIn = scheduledEventId;
      messages.push({
        id: `${u.updateId}/request`,
        protocolInstanceId: u.updateId,
        eventId: String(scheduledEventId),
        body: { '@type': REQUEST_TYPE, ...u.request },
      });
    }
    return messages;
  }

  hasUndelivered(run: Run): boolean {
    return Object.values(run.updates).some((u) => u.stage === 'ADMITTED' && u.deliveredIn === undefined);
  }

  /** The task that carried them failed or timed out: deliver them again with the next one. */
  undeliver(run: Run): void {
    for (const u of Object.values(run.updates)) if (u.stage === 'ADMITTED') u.deliveredIn = undefined;
  }

  /** A message of a workflow task completion: acceptance, rejection or the update's outcome. */
  onMessage(run: Run, msg: Obj, completedId: number): void {
    const body: Obj = msg.body ?? {};
    const type = String(body['@type'] ?? '');
    const update = run.updates[msg.protocolInstanceId];
    if (!update) return;
    const now = this.engine.now();
    if (type.endsWith('temporal.api.update.v1.Acceptance')) {
      update.acceptedEventId = appendEvent(
        run,
        'WORKFLOW_EXECUTION_UPDATE_ACCEPTED',
        {
          protocolInstanceId: update.updateId,
          acceptedRequestMessageId: body.acceptedRequestMessageId,
          acceptedRequestSequencingEventId: body.acceptedRequestSequencingEventId,
          acceptedRequest: body.acceptedRequest ?? update.request,
        },
        now,
      );
      update.stage = 'ACCEPTED';
    } else if (type.endsWith('temporal.api.update.v1.Response')) {
      appendEvent(
        run,
        'WORKFLOW_EXECUTION_UPDATE_COMPLETED',
        { meta: body.meta, acceptedEventId: String(update.acceptedEventId ?? 0), outcome: body.outcome },
        now,
      );
      update.stage = 'COMPLETED';
      update.outcome = body.outcome;
    } else if (type.endsWith('temporal.api.update.v1.Rejection')) {
      // A validator rejected it: no event, the update is done with the failure as its outcome.
      update.stage = 'COMPLETED';
      update.outcome = { failure: body.failure };
      delete run.updates[update.updateId];
      this.wake(run, update);
      return;
    } else {
      return;
    }
    this.engine.touch(run);
    this.wake(run, update);
    void completedId;
  }

  /** The workflow closed: callers waiting on unfinished updates learn it at once. */
  failPending(run: Run): void {
    for (const [id, u] of Object.entries(run.updates)) if (u.stage !== 'COMPLETED') delete run.updates[id];
    for (const w of [...this.waiters]) if (w.runId === run.runId) w.resolve();
  }
}
