import { randomUUID } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import { withEncodedField, type Obj } from '../proto.js';
import { encodedHistory } from './encoded-history.js';
import type { EngineHost } from './host.js';
import { encodeToken } from './tokens.js';
import { isOpen, STATUS_ENUM, type Run } from './types.js';

interface PendingQuery {
  id: string;
  run: Run;
  query: Obj;
  dispatched: boolean;
  /** Sent with a workflow task of the run (its `queries`), not as a query task of its own. */
  attached?: boolean;
  /** When a worker took the query task (wall clock), to offer it again if no answer comes. */
  takenAt?: number;
  retry?: ReturnType<typeof setInterval>;
  /**
   * Its caller gave up while a worker held its query task: kept as the run's task out until the
   * worker answers or the re-offer time passes (a worker still replaying the run for it would drop
   * the next one), then dropped without being offered again.
   */
  abandoned?: boolean;
  /** The time-skipping clock's lock was released (on the answer, or when the caller gave up). */
  unlocked?: boolean;
  resolve: (r: Obj) => void;
  reject: (e: Error) => void;
}

/**
 * A query task a worker took but never answered is offered again after this long. The SDK's core
 * keeps one buffered task per run: a workflow task arriving while the query task waits can replace
 * it, and the query would otherwise wait for ever (seen under load in the concurrent-signals test).
 * A second answer to the same query is ignored.
 */
const QUERY_REOFFER_MS = 5_000;
/** How often a taken query is checked for that: a lost one blocks its run's next queries (one task out per run). */
const QUERY_REOFFER_CHECK_MS = 1_000;

/**
 * Queries go to workers as legacy query tasks: a workflow-task poll response carrying `query`, the
 * full history and no new events. That works for closed workflows too. A query waits while the run
 * has a workflow task scheduled or started, so the worker sees a settled history. When the run's
 * next workflow task is handed out while a query waits (a signal came in meanwhile), the query goes
 * with it (`queries`, answered in RespondWorkflowTaskCompleted's `queryResults`), as the real
 * server attaches buffered queries: the SDK's core may drop a query task of a run whose workflow
 * task reaches it after it, and the query then waited for the re-offer (10 s, seen by two arrival
 * scans of one parcel at once).
 *
 * A run has at most one query task out at a time; the next is offered when it is answered (or
 * given up and offered again). The SDK's core drops query tasks that reach it while it replays a
 * run it does not hold — a closed workflow, or one evicted from its cache — for another query
 * task: twelve clients querying a workflow as it closed lost queries to the re-offer again and
 * again, the slowest answered after 30 s; one at a time, 0.2 s (bench/queries.ts). The price: a
 * query task a worker never answers (it was killed holding it) holds up its run's next queries
 * until the re-offer, 5–6 s (devserver/test/sticky.test.ts, driven by hand).
 */
export class QueryManager {
  private readonly pending = new Map<string, PendingQuery>();
  /** The same queries by run (in the order asked): what a run's dispatch and attach look at. */
  private readonly byRun = new Map<string, Set<PendingQuery>>();

  /** A query task taken and not answered this long is offered again (dropped, if its caller gave up). Tests shorten or lengthen it. */
  reofferAfterMs = QUERY_REOFFER_MS;

  constructor(private readonly engine: EngineHost) {}

  query(run: Run, query: Obj, rejectCondition: string | undefined, onCancel: (cb: () => void) => void): Promise<Obj> {
    if (!query?.queryType) return Promise.reject(invalidArgument('QueryType is not set on request.'));
    const rejected =
      (rejectCondition === 'QUERY_REJECT_CONDITION_NOT_OPEN' && !isOpen(run)) ||
      (rejectCondition === 'QUERY_REJECT_CONDITION_NOT_COMPLETED_CLEANLY' && run.status !== 'Completed' && !isOpen(run));
    if (rejected) return Promise.resolve({ queryRejected: { status: STATUS_ENUM[run.status] } });
    return new Promise<Obj>((resolve, reject) => {
      const q: PendingQuery = { id: randomUUID(), run, query, dispatched: false, resolve, reject };
      this.pending.set(q.id, q);
      this.runQueries(run.runId, true)!.add(q);
      this.engine.clock.lockWork();
      // Before onCancel: a call cancelled already settles at once, and must find the interval to clear.
      q.retry = setInterval(() => this.reofferIfLost(q), Math.min(QUERY_REOFFER_CHECK_MS, this.reofferAfterMs / 5));
      q.retry.unref();
      onCancel(() => {
        if (!this.pending.has(q.id)) return;
        if (q.takenAt !== undefined && !q.attached) {
          q.abandoned = true;
          this.unlock(q);
          return;
        }
        if (this.settle(q.id)) this.dispatchPending(run);
      });
      this.dispatchPending(run);
    });
  }

  /** Offers the run's next waiting query once no workflow task is scheduled or started and no other query task of the run is out. */
  dispatchPending(run: Run): void {
    if (run.wft && isOpen(run)) return;
    let next: PendingQuery | undefined;
    for (const q of this.runQueries(run.runId) ?? []) {
      if (q.dispatched && !q.attached) return; // offered or out: the next waits for its answer
      if (!q.dispatched) next ??= q;
    }
    if (!next) return;
    const q = next;
    q.dispatched = true;
    this.engine.workflowTasks.offer(this.engine.queueKey(run.namespace, run.taskQueue), () => {
      if (!this.pending.has(q.id) || q.attached) return undefined;
      // A workflow task was scheduled since the offer: the query goes with it, or after it.
      if (run.wft && isOpen(run)) {
        q.dispatched = false;
        return undefined;
      }
      q.takenAt = Date.now();
      return withEncodedField({
        taskToken: encodeToken({ k: 'q', id: q.id }),
        workflowExecution: { workflowId: run.workflowId, runId: run.runId },
        workflowType: { name: run.workflowType },
        previousStartedEventId: String(run.lastCompletedStartedEventId),
        startedEventId: String(run.lastCompletedStartedEventId),
        attempt: 1,
        query: q.query,
        workflowExecutionTaskQueue: { name: run.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        scheduledTime: undefined,
      }, 'history', encodedHistory(run));
    });
  }

  /**
   * The run's waiting queries, to go with the workflow task being handed out (its `queries` map);
   * also those a worker took as query tasks and has not answered (it may have dropped them). A
   * second answer to a query is ignored.
   */
  attach(run: Run): Record<string, Obj> | undefined {
    let attached: Record<string, Obj> | undefined;
    for (const q of this.runQueries(run.runId) ?? []) {
      if (q.abandoned) continue;
      q.dispatched = true;
      q.attached = true;
      q.takenAt = Date.now();
      (attached ??= {})[q.id] = q.query;
    }
    return attached;
  }

  /** How many queries of run `runId` are pending: waiting for an answer, or given up by their caller with their task still out (for tests that look inside). */
  waitingFor(runId: string): number {
    return this.runQueries(runId)?.size ?? 0;
  }

  /** RespondWorkflowTaskCompleted's `queryResults`: the answers to the queries that went with the task. */
  answerAttached(results: Record<string, Obj> | undefined): void {
    for (const [id, r] of Object.entries(results ?? {})) {
      const q = this.settle(id);
      if (!q) continue;
      if (r.resultType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: r.answer });
      else q.reject(invalidArgument(r.errorMessage || r.failure?.message || 'query failed'));
    }
  }

  /** RespondQueryTaskCompleted: an answer, or a failure the client sees as QueryNotRegisteredError / its message. */
  answer(id: string, req: Obj): void {
    const q = this.settle(id);
    if (!q) return;
    this.dispatchPending(q.run);
    if (req.completedType === 'QUERY_RESULT_TYPE_ANSWERED') q.resolve({ queryResult: req.queryResult });
    else q.reject(invalidArgument(req.errorMessage || req.failure?.message || 'query failed'));
  }

  /** Taken by a worker long enough ago and still unanswered: offered again (once the run is settled). */
  private reofferIfLost(q: PendingQuery): void {
    if (!this.pending.has(q.id) || !q.dispatched || q.takenAt === undefined || Date.now() - q.takenAt < this.reofferAfterMs) return;
    if (q.abandoned) {
      this.settle(q.id);
      this.dispatchPending(q.run);
      return;
    }
    q.dispatched = false;
    q.attached = false;
    q.takenAt = undefined;
    this.dispatchPending(q.run);
  }

  private settle(id: string): PendingQuery | undefined {
    const q = this.pending.get(id);
    if (!q) return undefined;
    clearInterval(q.retry);
    this.pending.delete(id);
    const ofRun = this.runQueries(q.run.runId);
    ofRun?.delete(q);
    if (ofRun?.size === 0) this.byRun.delete(q.run.runId);
    this.unlock(q);
    return q;
  }

  private runQueries(runId: string, create = false): Set<PendingQuery> | undefined {
    let queries = this.byRun.get(runId);
    if (!queries && create) this.byRun.set(runId, (queries = new Set()));
    return queries;
  }

  private unlock(q: PendingQuery): void {
    if (q.unlocked) return;
    q.unlocked = true;
    this.engine.clock.unlockWork();
  }

  stop(): void {
    for (const id of [...this.pending.keys()]) this.settle(id)?.reject(new Error('server stopping'));
  }
}
