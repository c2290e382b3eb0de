import { randomUUID } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import type { Obj } from '../proto.js';
import type { Engine } from './engine.js';
import { encodeToken } from './tokens.js';
import { isOpen, STATUS_ENUM, type Run } from './types.js';

interface PendingQuery {
  id: string;
  run: Run;
  query: Obj;
  dispatched: boolean;
  resolve: (r: Obj) => void;
  reject: (e: Error) => void;
}

/**
 * Queries go to workers as legacy query tasks: a workflow-task poll response carrying `query`, the
 * full history and no new events. That works for closed workflows too. A query waits while the run
 * has a workflow task scheduled or started, so the worker sees a settled history.
 */
export class QueryManager {
  private readonly pending = new Map<string, PendingQuery>();

  constructor(private readonly engine: Engine) {}

  query(run: Run, query: Obj, rejectCondition: string | undefined, onCancel: (cb: () => void) => void): Promise<Obj> {
    if (!query?.queryType) return Promise.reject(invalidArgument('QueryType is not set on request.'));
    const rejected =
      (rejectCondition === 'QUERY_REJECT_CONDITION_NOT_OPEN' && !isOpen(run)) ||
      (rejectCondition === 'QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY' && run.status !== 'Completed' && !isOpen(run));
    if (rejected) return Promise.resolve({ queryRejected: { status: STATUS_ENUM[run.status] } });
    return new Promise<Obj>((resolve, reject) => {
      const q: PendingQuery = { id: randomUUID(), run, query, dispatched: false, resolve, reject };
      this.pending.set(q.id, q);
      this.engine.clock.lockWork();
      onCancel(() => this.settle(q.id));
      this.dispatchPending(run);
    });
  }

  /** Offers the run's waiting queries once no workflow task is scheduled or started. */
  dispatchPending(run: Run): void {
    if (run.wft && isOpen(run)) return;
    for (const q of this.pending.values()) {
      if (q.run !== run || q.dispatched) continue;
      q.dispatched = true;
      this.engine.workflowTasks.offer(this.engine.queueKey(run.namespace, run.taskQueue), () => {
        if (!this.pending.has(q.id)) return undefined;
        return {
          taskToken: encodeToken({ k: 'q', id: q.id }),
          workflowExecution: { workflowId: run.workflowId, runId: run.runId },
          workflowType: { name: run.workflowType },
          previousStartedEventId: String(run.lastCompletedStartedEventId),
          startedEventId: String(run.lastCompletedStartedEventId),
          attempt: 1,
          history: { events: run.history },
          query: q.query,
          workflowExecutionTaskQueue: { name: run.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
          scheduledTime: undefined,
        };
      });
    }
  }

  /** RespondQueryTaskCompleted: an answer, or a failure the client sees as QueryNotRegisteredError / its message. */
  answer(id: string, req: Obj): void {
    const q = this.settle(id);
    if (!q) return;
    if (req.completedType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: req.queryResult });
    else q.reject(invalidArgument(req.errorMessage || req.failure?.message || 'query failed'));
  }

  private settle(id: string): PendingQuery | undefined {
    const q = this.pending.get(id);
    if (!q) return undefined;
    this.pending.delete(id);
    this.engine.clock.unlockWork();
    return q;
  }

  stop(): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('server stopping'));
  }
}
