import { randomUUID } from 'node:crypto';
import { VirtualClock } from '../clock.js';
import { alreadyExists, invalidArgument, notFound, RpcError, Code } from '../errors.js';
import { Matching } from '../matching.js';
import { duration, msOf, timestamp, withEncodedField, type Obj } from '../proto.js';
import { SearchAttributeRegistry } from '../visibility/search-attributes.js';
import { nextRunOfChain } from './chain.js';
import { encodedHistory } from './encoded-history.js';
import { EventHistory } from './event-history.js';
import { appendEvent, changeEvent, flushBuffered, recordEvent } from './history.js';
import { StickyQueues } from './sticky.js';
import { HistoryWaiters } from './history-waiters.js';
import { encodeToken } from './tokens.js';
import { isOpen, type BufferedEvent, type ExecutionStatus, type Run } from './types.js';
import type { ActivityManager } from './activities.js';
import { decideRetry, normaliseRetryPolicy, type RetryState } from './activity-rules.js';
import type { QueryManager } from './queries.js';
import type { UpdateManager } from './updates.js';
import type { CommandProcessor } from './commands.js';
import { DEFAULT_RETENTION_DAYS, Retention } from './retention.js';
import { cronContinuation, cronScheduleOf } from './cron.js';
import type { EngineHost, EngineOptions, NamespaceState, NewRun } from './host.js';

export type { EngineOptions, NamespaceState, NewRun } from './host.js';

export const DEFAULT_WFT_TIMEOUT_MS = 10_000;
const MAX_WFT_TIMEOUT_MS = 120_000;

/** The workflow engine: runs, their histories, workflow tasks and everything that feeds them. */
export class Engine implements EngineHost {
  readonly clock: VirtualClock;
  readonly workflowTasks: Matching<Obj>;
  readonly activityTasks: Matching<Obj>;
  readonly namespaces = new Map<string, NamespaceState>();
  readonly runs = new Map<string, Run>();
  readonly sticky = new StickyQueues(this);
  readonly historyWaiters = new HistoryWaiters();
  /** `${namespace}\0${workflowId}` → id of the newest run. */
  private readonly current = new Map<string, string>();
  private readonly closeWaiters = new Map<string, Array<() => void>>();
  private readonly lockCounts = new Map<string, number>();
  private readonly dirty = new Set<Run>();
  private metaDirty = false;
  private runSeq = 0;
  activities!: ActivityManager;
  queries!: QueryManager;
  updates!: UpdateManager;
  commands!: CommandProcessor;
  readonly retention = new Retention(this);

  constructor(readonly options: EngineOptions, clockOffsetMs = 0) {
    this.clock = new VirtualClock(options.timeSkipping, clockOffsetMs, options.frozenTime);
    this.workflowTasks = new Matching(options.longPollMs);
    this.activityTasks = new Matching(options.longPollMs);
    for (const ns of ['default', ...options.namespaces]) this.ensureNamespace(ns);
  }

  log(level: 'debug' | 'info' | 'warn' | 'error', msg: string): void {
    this.options.log(level, msg);
  }

  now(): number {
    return this.clock.now();
  }

  // ---------------------------------------------------------------- namespaces

  ensureNamespace(name: string, description = '', retentionDays = this.options.retentionDays ?? DEFAULT_RETENTION_DAYS): NamespaceState {
    let ns = this.namespaces.get(name);
    if (!ns) {
      ns = { name, id: randomUUID(), description, retentionDays, registry: new SearchAttributeRegistry() };
      for (const [attr, type] of Object.entries(this.options.searchAttributes)) {
        if (ns.registry.typeOf(attr) === undefined) ns.registry.add(attr, type);
      }
      this.namespaces.set(name, ns);
      this.metaDirty = true;
    }
    return ns;
  }

  namespace(name: string | undefined): NamespaceState {
    const ns = this.namespaces.get(name || 'default');
    if (!ns) {
      throw new RpcError(Code.NOT_FOUND, `Namespace ${name} is not found.`, [
        { '@type': 'type.googleapis.com/temporal.api.errordetails.v1.NamespaceNotFoundFailure', namespace: name },
      ]);
    }
    return ns;
  }

  markMetaDirty(): void {
    this.metaDirty = true;
  }

  // ---------------------------------------------------------------- persistence bookkeeping

  /** Marks a run changed: persisted at the end of the current operation, locks re-synchronised. */
  touch(run: Run): void {
    this.dirty.add(run);
    this.syncLocks(run);
  }

  /** Writes every change of the operation before the RPC is answered (acknowledged ⇒ durable). */
  flush(): void {
    this.retention.sweep();
    const store = this.options.store;
    if (!store) {
      this.notifyReaders();
      return;
    }
    if (this.metaDirty) {
      this.metaDirty = false;
      store.writeMeta(this.metaSnapshot());
    }
    for (const run of this.dirty) store.writeRun(run);
    // One write for the whole operation, before its RPC is answered.
    store.commit();
    this.notifyReaders();
    if (store.shouldCompact()) store.compact(this.runs.values(), this.metaSnapshot());
  }

  /** History long polls (`wait_new_event`) learn of the operation's events once they are written. */
  private notifyReaders(): void {
    for (const run of this.dirty) this.historyWaiters.notify(run);
    this.dirty.clear();
  }

  /** Retention: forgets a closed run everywhere it is indexed (visibility reads `runs`). */
  removeRun(run: Run): void {
    if (this.runs.get(run.runId) !== run) return;
    this.runs.delete(run.runId);
    const key = `${run.namespace}\0${run.workflowId}`;
    if (this.current.get(key) === run.runId) this.current.delete(key);
    for (const w of [...(this.closeWaiters.get(run.runId) ?? [])]) w();
    this.closeWaiters.delete(run.runId);
    this.dirty.delete(run);
    this.historyWaiters.notify(run, true);
    const held = this.lockCounts.get(run.runId) ?? 0;
    this.lockCounts.delete(run.runId);
    for (let i = 0; i < held; i++) this.clock.unlockWork();
    this.options.store?.writeDelete(run.runId);
  }

  metaSnapshot() {
    return {
      clockOffset: this.clock.offsetMs,
      namespaces: [...this.namespaces.values()].map((ns) => ({
        name: ns.name,
        id: ns.id,
        description: ns.description,
        retentionDays: ns.retentionDays,
        searchAttributes: ns.registry.toJSON(),
      })),
      schedules: this.schedules?.snapshot(),
      nexusEndpoints: this.nexus?.endpoints.snapshot(),
    };
  }

  /**
   * Time skipping may only jump while nothing is in flight: a run holds one lock per scheduled or
   * started workflow task, per activity that is not waiting out a retry backoff and per update
   * that no worker has accepted or rejected yet.
   */
  private syncLocks(run: Run): void {
    let wanted = 0;
    if (isOpen(run)) {
      if (run.wft && !(run.wft.notBefore && run.wft.notBefore > this.now())) wanted++;
      for (const a of Object.values(run.activities)) if (a.state !== 'backoff') wanted++;
      for (const u of Object.values(run.updates)) if (u.stage === 'ADMITTED') wanted++;
    }
    const held = this.lockCounts.get(run.runId) ?? 0;
    if (wanted === held) return;
    if (wanted === 0) this.lockCounts.delete(run.runId);
    else this.lockCounts.set(run.runId, wanted);
    for (let i = held; i < wanted; i++) this.clock.lockWork();
    for (let i = wanted; i < held; i++) this.clock.unlockWork();
  }

  /** Runs a clock task as an operation of its own: changes are persisted afterwards. */
  at(time: number, fn: () => void): void {
    this.clock.schedule(time, () => {
      try {
        fn();
      } finally {
        this.flush();
      }
    });
  }

  // ---------------------------------------------------------------- lookup

  currentRun(namespace: string, workflowId: string): Run | undefined {
    const id = this.current.get(`${namespace}\0${workflowId}`);
    return id ? this.runs.get(id) : undefined;
  }

  /** The run an execution reference names: its run id, or the newest run of the workflow id. */
  findRun(namespace: string, execution: Obj | undefined, firstExecutionRunId?: string): Run {
    const workflowId = execution?.workflowId;
    if (!workflowId) throw invalidArgument('WorkflowId is not set on request.');
    const runId = execution?.runId;
    const run = runId ? this.runs.get(runId) : this.currentRun(namespace, workflowId);
    if (!run || run.workflowId !== workflowId || run.namespace !== namespace) {
      throw notFound(`workflow execution not found for workflow ID "${workflowId}"${runId ? ` and run ID "${runId}"` : ''}`);
    }
    if (firstExecutionRunId && run.firstExecutionRunId !== firstExecutionRunId) {
      throw notFound(`workflow execution not found for workflow ID "${workflowId}" in the chain of run "${firstExecutionRunId}"`);
    }
    return run;
  }

  findOpenRun(namespace: string, execution: Obj | undefined, firstExecutionRunId?: string): Run {
    const run = this.findRun(namespace, execution, firstExecutionRunId);
    if (!isOpen(run)) throw notFound('workflow execution already completed');
    return run;
  }

  // ---------------------------------------------------------------- events and workflow tasks

  /** Records a non-command event (buffered while a workflow task is started) and asks for a workflow task. */
  addEvent(run: Run, type: string, attrs: Obj, link?: BufferedEvent['link']): void {
    this.addEvents(run, [{ type, attrs, link }]);
  }

  /** Several events that belong together (an activity's Started and its result) and then one workflow task. */
  addEvents(run: Run, events: Array<{ type: string; attrs: Obj; link?: BufferedEvent['link'] }>): void {
    const time = this.now();
    for (const ev of events) recordEvent(run, { ...ev, time });
    this.scheduleWorkflowTask(run);
    this.touch(run);
  }

  scheduleWorkflowTask(run: Run, notBefore?: number): void {
    if (!isOpen(run) || run.wft) return;
    run.wft = { attempt: run.wftAttempt, scheduledTime: notBefore ?? this.now(), notBefore };
    this.touch(run);
    if (notBefore && notBefore > this.now()) {
      this.at(notBefore, () => {
        if (run.wft?.notBefore === notBefore) {
          run.wft.notBefore = undefined;
          this.offerWorkflowTask(run);
          this.touch(run);
        }
      });
    } else {
      run.wft.notBefore = undefined;
      this.offerWorkflowTask(run);
    }
  }

  offerWorkflowTask(run: Run): void {
    const wft = run.wft;
    if (!wft) return;
    // Fair dispatch: a run's first task queues apart from tasks of runs already under way (see matching.ts).
    const cls = run.lastCompletedStartedEventId === 0 ? 'first' : 'resumed';
    const offerOn = (stickyQueue?: string) => {
      const task = (identity: string) => {
        if (run.wft !== wft || wft.startedEventId !== undefined || !isOpen(run)) return undefined;
        return this.dispatchWorkflowTask(run, identity, stickyQueue);
      };
      this.workflowTasks.offer(this.queueKey(run.namespace, stickyQueue ?? run.taskQueue), task, cls);
      return task;
    };
    this.sticky.offer(run, wft, offerOn);
  }

  queueKey(namespace: string, taskQueue: string): string {
    return `${namespace}\0${taskQueue}`;
  }

  /** Hands the workflow task to a poller: its Scheduled and Started events are written now, contiguously. */
  private dispatchWorkflowTask(run: Run, identity: string, stickyQueue?: string): Obj {
    const wft = run.wft!;
    const now = this.now();
    // Taken from the run's sticky queue while still sticky to it: the worker has the run cached.
    const partial = stickyQueue !== undefined && this.sticky.get(run)?.queue === stickyQueue;
    wft.scheduledEventId = appendEvent(
      run,
      'WORKFLOW_TASK_SCHEDULED',
      {
        taskQueue: partial
          ? { name: stickyQueue, kind: 'TASK_QUEUE_KIND_STICKY', normalName: run.taskQueue }
          : { name: run.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        startToCloseTimeout: duration(run.workflowTaskTimeoutMs),
        attempt: wft.attempt,
      },
      wft.scheduledTime,
    );
    wft.startedEventId = appendEvent(
      run,
      'WORKFLOW_TASK_STARTED',
      {
        scheduledEventId: String(wft.scheduledEventId),
        identity,
        requestId: randomUUID(),
        historySizeBytes: String(run.historyBytes),
      },
      now,
    );
    wft.startedTime = now;
    const { scheduledEventId, attempt } = wft;
    this.at(now + run.workflowTaskTimeoutMs, () => {
      if (run.wft === wft && isOpen(run)) this.timeoutWorkflowTask(run);
    });
    this.touch(run);
    // A sticky task carries the events after the last completed task's started event, as the real server sends them.
    const from = partial ? run.lastCompletedStartedEventId : 0;
    this.sticky.noteDispatch(partial, run.history.length - from);
    const history = encodedHistory(run, from);
    return withEncodedField({
      taskToken: encodeToken({ k: 'w', ns: run.namespace, r: run.runId, s: scheduledEventId, a: attempt }),
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
      workflowType: { name: run.workflowType },
      previousStartedEventId: String(run.lastCompletedStartedEventId),
      startedEventId: String(wft.startedEventId),
      attempt,
      backlogCountHint: '0',
      workflowExecutionTaskQueue: { name: run.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      scheduledTime: timestamp(wft.scheduledTime),
      startedTime: timestamp(now),
      messages: this.updates.deliver(run, scheduledEventId),
      queries: this.queries.attach(run),
    }, 'history', history);
  }

  /** Validates a workflow task token: the run must still be waiting for exactly that task. */
  startedWorkflowTask(namespace: string, runId: string, scheduledEventId: number, attempt: number): Run {
    const run = this.runs.get(runId);
    const wft = run?.wft;
    if (!run || run.namespace !== namespace || !isOpen(run) || !wft || wft.scheduledEventId !== scheduledEventId || wft.attempt !== attempt || wft.startedEventId === undefined) {
      throw notFound('Workflow task not found.');
    }
    return run;
  }

  /** Ends the started workflow task after a successful completion and decides whether another is needed. */
  finishWorkflowTask(run: Run, startedEventId: number, needsAnother: boolean): void {
    run.lastCompletedStartedEventId = startedEventId;
    run.wft = undefined;
    run.wftAttempt = 1;
    const flushed = isOpen(run) ? flushBuffered(run) : 0;
    if (isOpen(run) && (flushed > 0 || needsAnother || this.updates.hasUndelivered(run))) this.scheduleWorkflowTask(run);
    this.touch(run);
    this.queries.dispatchPending(run);
  }

  /** A failed or timed-out workflow task is retried with an increasing attempt (core reports failures only on attempt 1). */
  retryWorkflowTask(run: Run, type: 'WORKFLOW_TASK_FAILED' | 'WORKFLOW_TASK_TIMED_OUT', attrs: Obj, resetAttempt = false): void {
    const wft = run.wft!;
    appendEvent(
      run,
      type,
      { scheduledEventId: String(wft.scheduledEventId), startedEventId: String(wft.startedEventId), ...attrs },
      this.now(),
    );
    run.wft = undefined;
    run.wftAttempt = resetAttempt ? 1 : wft.attempt + 1;
    // As the real server: after a failed or timed-out task the next one goes out with the full history.
    this.sticky.clear(run);
    flushBuffered(run);
    this.updates.undeliver(run);
    this.scheduleWorkflowTask(run);
    this.touch(run);
  }

  timeoutWorkflowTask(run: Run): void {
    this.log('debug', `workflow task of ${run.workflowId}/${run.runId} timed out (attempt ${run.wft?.attempt})`);
    this.retryWorkflowTask(run, 'WORKFLOW_TASK_TIMED_OUT', { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' });
  }

  // ---------------------------------------------------------------- starting runs

  /** Creates a run, writes WorkflowExecutionStarted (and the signal of signal-with-start) and schedules its first task. */
  createRun(spec: NewRun): Run {
    const runId = spec.runId ?? randomUUID();
    const now = spec.startTime ?? this.now();
    const ns = this.namespace(spec.namespace);
    const wftTimeout = Math.min(spec.workflowTaskTimeoutMs || DEFAULT_WFT_TIMEOUT_MS, MAX_WFT_TIMEOUT_MS);
    const expiration = spec.executionExpiration ?? (spec.executionTimeoutMs > 0 ? now + spec.executionTimeoutMs : 0);
    const runTimeoutMs = spec.runTimeoutMs > 0 ? spec.runTimeoutMs : spec.executionTimeoutMs;
    const delay = spec.startDelayMs ?? 0;
    const run: Run = {
      namespace: spec.namespace,
      workflowId: spec.workflowId,
      runId,
      seq: this.runSeq++,
      firstExecutionRunId: spec.firstExecutionRunId ?? runId,
      workflowType: spec.workflowType,
      taskQueue: spec.taskQueue,
      status: 'Running',
      startTime: now,
      executionTime: now + delay,
      history: new EventHistory(),
      historyBytes: 0,
      memo: spec.memo ?? {},
      searchAttributes: spec.searchAttributes ?? {},
      runTimeoutMs,
      executionTimeoutMs: spec.executionTimeoutMs,
      workflowTaskTimeoutMs: wftTimeout,
      executionExpiration: expiration,
      startRequestId: spec.requestId,
      parent: spec.parent,
      root: spec.root ?? { workflowId: spec.workflowId, runId },
      wftAttempt: 1,
      lastCompletedStartedEventId: 0,
      buffered: [],
      activities: {},
      timers: {},
      children: {},
      updates: {},
      cancelRequested: false,
      attempt: spec.attempt ?? 1,
      signalRequestIds: [],
    };
    const attrs: Obj = {
      workflowType: { name: spec.workflowType },
      taskQueue: { name: spec.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      input: spec.input,
      workflowTaskTimeout: duration(wftTimeout),
      originalExecutionRunId: runId,
      firstExecutionRunId: run.firstExecutionRunId,
      continuedExecutionRunId: spec.continuedExecutionRunId,
      cronSchedule: spec.cronSchedule ?? (spec.continuedExecutionRunId ? cronScheduleOf(this.runs.get(spec.continuedExecutionRunId)) : undefined),
      initiator: spec.initiator,
      continuedFailure: spec.continuedFailure,
      lastCompletionResult: spec.lastCompletionResult,
      identity: spec.identity,
      attempt: run.attempt,
      retryPolicy: spec.retryPolicy,
      header: spec.header,
      memo: Object.keys(run.memo).length ? { fields: run.memo } : undefined,
      searchAttributes: Object.keys(run.searchAttributes).length ? { indexedFields: ns.registry.stamp(run.searchAttributes) } : undefined,
      workflowId: spec.workflowId,
      priority: spec.priority,
    };
    if (spec.executionTimeoutMs > 0) attrs.workflowExecutionTimeout = duration(spec.executionTimeoutMs);
    if (runTimeoutMs > 0) attrs.workflowRunTimeout = duration(runTimeoutMs);
    if (expiration > 0) attrs.workflowExecutionExpirationTime = timestamp(expiration);
    if (delay > 0) attrs.firstWorkflowTaskBackoff = duration(delay);
    if (spec.parent) {
      attrs.parentWorkflowNamespace = spec.parent.namespace;
      attrs.parentWorkflowNamespaceId = this.namespaces.get(spec.parent.namespace)?.id;
      attrs.parentWorkflowExecution = { workflowId: spec.parent.workflowId, runId: spec.parent.runId };
      attrs.parentInitiatedEventId = String(spec.parent.initiatedEventId);
    }
    if (spec.parent || spec.root) attrs.rootWorkflowExecution = run.root;
    appendEvent(run, 'WORKFLOW_EXECUTION_STARTED', attrs, now);
    if (spec.userMetadata && (spec.userMetadata.summary || spec.userMetadata.details)) changeEvent(run, 0, (started) => void (started.userMetadata = spec.userMetadata));
    if (spec.signal) {
      appendEvent(
        run,
        'WORKFLOW_EXECUTION_SIGNALED',
        { signalName: spec.signal.name, input: spec.signal.input, header: spec.signal.header, identity: spec.signal.identity },
        now,
      );
    }
    this.runs.set(runId, run);
    this.current.set(`${run.namespace}\0${run.workflowId}`, runId);
    this.armRunTimeouts(run);
    this.scheduleWorkflowTask(run, delay > 0 ? now + delay : undefined);
    this.touch(run);
    return run;
  }

  /** Creation order of the next run (the newest run of a workflow id is its current run). */
  nextRunSeq(): number {
    return this.runSeq++;
  }

  /**
   * Makes a run built elsewhere (a reset run, engine/reset.ts) the current run of its workflow id
   * and arms its run timeouts; the caller arms its timers and activities and schedules its task.
   */
  adoptRun(run: Run): void {
    this.runs.set(run.runId, run);
    this.current.set(`${run.namespace}\0${run.workflowId}`, run.runId);
    this.armRunTimeouts(run);
    this.touch(run);
  }

  /** Reserves a run id now (continue-as-new writes it into the closing event) and creates the run later. */
  createRunDeferred(spec: NewRun): { runId: string; spec: NewRun; create: () => Run } {
    const runId = randomUUID();
    const startTime = this.now();
    return { runId, spec, create: () => this.createRun({ ...spec, runId, startTime }) };
  }

  /** Run and execution timeouts close the run at once, even while a workflow task is in flight. */
  armRunTimeouts(run: Run): void {
    const deadlines: number[] = [];
    if (run.runTimeoutMs > 0) deadlines.push((run.runTimeoutFrom ?? run.startTime) + run.runTimeoutMs);
    if (run.executionExpiration > 0) deadlines.push(run.executionExpiration);
    if (!deadlines.length) return;
    this.at(Math.min(...deadlines), () => {
      if (!isOpen(run)) return;
      run.buffered = [];
      // A run timeout is retried under the workflow's retry policy; the chain's execution timeout is final.
      const expired = run.executionExpiration > 0 && this.now() >= run.executionExpiration;
      const retry = expired
        ? { state: 'RETRY_STATE_TIMEOUT' as RetryState }
        : this.workflowRetry(run, { message: 'workflow run timed out', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' } });
      appendEvent(run, 'WORKFLOW_EXECUTION_TIMED_OUT', { retryState: retry.state, newExecutionRunId: retry.next?.runId }, this.now());
      this.closeRun(run, 'TimedOut', !!retry.next);
      retry.next?.create();
    });
  }

  /**
   * The workflow's own retry policy (from its start): whether a failed or timed-out run is followed
   * by a new run of the same chain (attempt + 1, after the backoff, with the failure as
   * `continuedFailure`). The caller writes the close event with the returned state and run id.
   */
  workflowRetry(run: Run, failure: Obj | undefined): { state: RetryState; next?: { runId: string; create: () => Run } } {
    const started = run.history.first()?.workflowExecutionStartedEventAttributes as Obj | undefined;
    if (!started?.retryPolicy) return { state: 'RETRY_STATE_RETRY_POLICY_NOT_SET' };
    const now = this.now();
    const decision = decideRetry({
      policy: normaliseRetryPolicy(started.retryPolicy),
      attempt: run.attempt,
      failure,
      now,
      scheduledTime: 0,
      scheduleToCloseMs: 0,
    });
    if (decision.state !== 'RETRY_STATE_IN_PROGRESS') return { state: decision.state };
    if (run.executionExpiration > 0 && now + decision.backoffMs >= run.executionExpiration) return { state: 'RETRY_STATE_TIMEOUT' };
    const next = this.createRunDeferred({
      ...nextRunOfChain(run),
      runTimeoutMs: run.runTimeoutMs,
      executionExpiration: run.executionExpiration,
      startDelayMs: decision.backoffMs,
      initiator: 'CONTINUE_AS_NEW_INITIATOR_RETRY',
      continuedFailure: failure,
      attempt: run.attempt + 1,
    });
    return { state: 'RETRY_STATE_IN_PROGRESS', next: { runId: next.runId, create: next.create } };
  }

  /** Applies the id-reuse and id-conflict policies; returns an existing run when the request must not start a new one. */
  resolveStartConflict(namespace: string, req: Obj): { existing?: Run; started?: false } {
    const existing = this.currentRun(namespace, req.workflowId);
    if (!existing) return {};
    if (req.requestId && existing.startRequestId === req.requestId) return { existing };
    const reuse = req.workflowIdReusePolicy ?? 'WORKFLOW_ID_REUSE_POLICY_UNSPECIFIED';
    const conflict = req.workflowIdConflictPolicy ?? 'WORKFLOW_ID_CONFLICT_POLICY_UNSPECIFIED';
    const alreadyStarted = (msg: string) =>
      alreadyExists(msg, [
        {
          '@type': 'type.googleapis.com/temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure',
          startRequestId: existing.startRequestId ?? '',
          runId: existing.runId,
        },
      ]);
    if (isOpen(existing)) {
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING') return { existing, started: false };
      if (conflict === 'WORKFLOW_ID_CONFLICT_POLICY_TERMINATE_EXISTING' || reuse === 'WORKFLOW_ID_REUSE_POLICY_TERMINATE_IF_RUNNING') {
        this.terminate(existing, 'terminated by a new start (TerminateExisting)', undefined, 'devserver');
        return {};
      }
      throw alreadyStarted(`Workflow execution is already running. WorkflowId: ${req.workflowId}, RunId: ${existing.runId}.`);
    }
    if (reuse === 'WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE') {
      throw alreadyStarted(`Workflow execution already finished and its WorkflowIdReusePolicy is REJECT_DUPLICATE. WorkflowId: ${req.workflowId}, RunId: ${existing.runId}.`);
    }
    if (reuse === 'WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && (existing.status === 'Completed' || existing.status === 'ContinuedAsNew')) {
      throw alreadyStarted(`Workflow execution already completed successfully and its WorkflowIdReusePolicy is AllowDuplicateFailedOnly. WorkflowId: ${req.workflowId}, RunId: ${existing.runId}.`);
    }
    return {};
  }

  // ---------------------------------------------------------------- external actions on a run

  signal(run: Run, name: string, input: Obj | undefined, header: Obj | undefined, identity: string | undefined, requestId?: string, external?: Obj): void {
    if (requestId) {
      if (run.signalRequestIds.includes(requestId)) return;
      run.signalRequestIds.push(requestId);
      if (run.signalRequestIds.length > 100) run.signalRequestIds.shift();
    }
    this.addEvent(run, 'WORKFLOW_EXECUTION_SIGNALED', {
      signalName: name,
      input,
      header,
      identity,
      externalWorkflowExecution: external,
    });
  }

  requestCancel(run: Run, reason: string | undefined, identity: string | undefined, external?: { initiatedEventId: number; execution: Obj }): void {
    if (run.cancelRequested) return;
    run.cancelRequested = true;
    this.addEvent(run, 'WORKFLOW_EXECUTION_CANCEL_REQUESTED', {
      cause: reason,
      identity,
      externalInitiatedEventId: external ? String(external.initiatedEventId) : undefined,
      externalWorkflowExecution: external?.execution,
    });
  }

  terminate(run: Run, reason: string | undefined, details: Obj | undefined, identity: string | undefined): void {
    // Terminate is written at once, even right after a started workflow task; what was buffered is dropped with the run.
    run.buffered = [];
    appendEvent(run, 'WORKFLOW_EXECUTION_TERMINATED', { reason, details, identity }, this.now());
    this.closeRun(run, 'Terminated');
  }

  // ---------------------------------------------------------------- closing runs

  /** Closes a run whose close event is already written: releases everything it held and tells whoever waits. */
  closeRun(run: Run, status: ExecutionStatus, chainContinues = status === 'ContinuedAsNew'): void {
    // A cron run that completed, failed or timed out continues with the next cron time (engine/cron.ts).
    const cronNext = chainContinues ? undefined : cronContinuation(this, run, status);
    if (cronNext) chainContinues = true;
    run.status = status;
    run.closeTime = this.now();
    run.wft = undefined;
    this.sticky.clear(run);
    run.buffered = [];
    run.activities = {};
    run.timers = {};
    this.updates.failPending(run);
    this.children.applyParentClosePolicy(run);
    // A parent hears of its child once its whole chain (continue-as-new, retries) has closed.
    if (!chainContinues) this.children.notifyParent(run);
    this.touch(run);
    this.retention.schedule(run);
    const waiters = this.closeWaiters.get(run.runId);
    this.closeWaiters.delete(run.runId);
    for (const w of waiters ?? []) w();
    this.queries.dispatchPending(run);
    cronNext?.();
    this.schedules?.onRunClosed(run, chainContinues);
    this.nexus?.onRunClosed(run, status, chainContinues);
  }

  /** Resolves when the run closes or after `maxWaitMs`, whichever is first. */
  waitForClose(run: Run, maxWaitMs: number, onCancel?: (cb: () => void) => void): Promise<void> {
    if (!isOpen(run)) return Promise.resolve();
    return new Promise((resolve) => {
      const list = this.closeWaiters.get(run.runId) ?? [];
      this.closeWaiters.set(run.runId, list);
      const done = () => {
        clearTimeout(timer);
        const i = list.indexOf(done);
        if (i >= 0) list.splice(i, 1);
        resolve();
      };
      const timer = setTimeout(done, maxWaitMs);
      list.push(done);
      onCancel?.(done);
    });
  }

  /** Lazily imported to keep the dependency graph acyclic at module load. */
  children!: import('./children.js').ChildManager;
  /** Schedules of every namespace (engine/schedules.ts): state, timers, persisted with the meta record. */
  schedules?: import('./schedules.js').ScheduleManager;
  /** Nexus endpoints and the Nexus operations of runs (engine/nexus.ts). */
  nexus?: import('./nexus.js').NexusManager;

  stop(): void {
    this.clock.stop();
    this.retention.stop();
    this.workflowTasks.stop();
    this.activityTasks.stop();
    this.nexus?.stop();
    for (const list of this.closeWaiters.values()) for (const w of [...list]) w();
    this.closeWaiters.clear();
    this.historyWaiters.stop();
  }

  /** After a restart: every timer, timeout and queued task of the persisted runs is armed again. */
  rearm(): void {
    for (const run of this.runs.values()) {
      this.current.set(`${run.namespace}\0${run.workflowId}`, this.newerRun(run));
    }
    for (const run of this.runs.values()) {
      if (!isOpen(run)) continue;
      // What was in flight when the server stopped is re-armed below and its run written again; a
      // run that only waits (a timer, a signal) is left as the log has it. Writing every open run
      // on every start cost a record per run: a second on 20,000 waiting cases, and a log that grew
      // by that much with each restart.
      // (A run keeps its completed updates for their outcome; only unfinished ones count.)
      const inFlight =
        !!run.wft ||
        Object.keys(run.activities).length > 0 ||
        Object.values(run.updates).some((u) => u.stage !== 'COMPLETED') ||
        (this.nexus?.hasOperations(run) ?? false);
      this.armRunTimeouts(run);
      for (const timer of Object.values(run.timers)) this.commands.armTimer(run, timer);
      this.activities.rearm(run);
      this.nexus?.rearm(run);
      this.updates.undeliver(run);
      const wft = run.wft;
      if (wft?.startedEventId !== undefined) {
        // The worker that held it may be gone with the old process: time it out now rather than in 10 s.
        this.timeoutWorkflowTask(run);
      } else if (wft) {
        run.wft = undefined;
        this.scheduleWorkflowTask(run, wft.notBefore);
      }
      if (inFlight) this.touch(run);
      else this.syncLocks(run);
    }
  }

  private newerRun(run: Run): string {
    const known = this.current.get(`${run.namespace}\0${run.workflowId}`);
    const other = known ? this.runs.get(known) : undefined;
    if (!other || other === run) return run.runId;
    return other.seq > run.seq ? other.runId : run.runId;
  }

  /** Restores a persisted run (before `rearm`). */
  restoreRun(run: Run): void {
    this.runs.set(run.runId, run);
    this.runSeq = Math.max(this.runSeq, run.seq + 1);
    this.retention.schedule(run);
  }

  msOf = msOf;
}
