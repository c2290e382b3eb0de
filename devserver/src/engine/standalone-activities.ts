import { randomUUID } from 'node:crypto';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { duration, jsonPayload, msOf, timestamp, type Obj, type Payload } from '../proto.js';
import type { Store } from '../store.js';
import { parseListQuery, type VisibilityRecord } from '../visibility/list-filter.js';
import { SearchAttributeRegistry } from '../visibility/search-attributes.js';
import { ActivityAttempts } from './activities.js';
import { normaliseActivityTimeouts, normaliseRetryPolicy, retryPolicyToProto, timeoutsToProto } from './activity-rules.js';
import type { Engine } from './engine.js';
import { DEFAULT_RETENTION_DAYS } from './retention.js';
import { encodeToken, type TaskToken } from './tokens.js';
import type { ActivityState } from './types.js';

export type ActivityStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'TimedOut';

/** One standalone activity execution (an activity id's run): JSON-serialisable, persisted as is. */
export interface StandaloneActivity {
  namespace: string;
  activityId: string;
  runId: string;
  /** Creation order: the newest run of an activity id is its current one. */
  seq: number;
  requestId?: string;
  status: ActivityStatus;
  /** When StartActivityExecution was answered; the first attempt is scheduled at `executionTime` (start delay). */
  scheduleTime: number;
  executionTime: number;
  startDelayMs: number;
  closeTime?: number;
  /** The attempts' state, shared with workflow activities (engine/activities.ts); kept after the close for describe. */
  act: ActivityState;
  searchAttributes: Record<string, Payload>;
  userMetadata?: Obj;
  outcome?: { result?: Obj; failure?: Obj; retryState?: string };
  cancel?: { reason?: string; identity?: string; requestId?: string };
  totalHeartbeatCount: number;
  transitions: number;
}

const STATUS_ENUM: Record<ActivityStatus, string> = {
  Running: 'ACTIVITY_EXECUTION_STATUS_RUNNING',
  Completed: 'ACTIVITY_EXECUTION_STATUS_COMPLETED',
  Failed: 'ACTIVITY_EXECUTION_STATUS_FAILED',
  Canceled: 'ACTIVITY_EXECUTION_STATUS_CANCELED',
  Terminated: 'ACTIVITY_EXECUTION_STATUS_TERMINATED',
  TimedOut: 'ACTIVITY_EXECUTION_STATUS_TIMED_OUT',
};

const DEFAULT_PAGE_SIZE = 1000;
const DAY_MS = 86_400_000;

/** Task tokens of standalone activities: an activity token (`k: 'a'`) marked `sa`, naming the activity's run id. */
type StandaloneToken = Extract<TaskToken, { k: 'a' }> & { sa?: 1 };
export const isStandaloneToken = (t: TaskToken): boolean => t.k === 'a' && (t as StandaloneToken).sa === 1;

const managers = new WeakMap<Engine, StandaloneActivities>();

/** The engine's standalone activities (created on first use; `restore` fills it after a restart). */
export function standaloneActivities(engine: Engine): StandaloneActivities {
  let m = managers.get(engine);
  if (!m) {
    m = new StandaloneActivities(engine);
    managers.set(engine, m);
  }
  return m;
}

/**
 * Standalone activities (`client.activity.start`): an activity without a workflow, addressed by
 * activity id (unique per namespace under the id reuse and conflict policies) and run id. Its task
 * goes to the task queue's activity pollers exactly as a workflow's activity task does (the attempt
 * machinery is engine/activities.ts'); its end is kept as the execution's outcome, which
 * PollActivityExecution long-polls. Persisted as records of their own in the store's log.
 */
export class StandaloneActivities extends ActivityAttempts<StandaloneActivity> {
  private readonly byRunId = new Map<string, StandaloneActivity>();
  /** `${namespace}\0${activityId}` → run id of its newest run. */
  private readonly currentRun = new Map<string, string>();
  /** Run ids holding one time-skipping lock (an attempt scheduled or started). */
  private readonly locked = new Set<string>();
  /** Run id → callbacks waiting for any change (describe long poll, outcome poll). */
  private readonly waiters = new Map<string, Set<() => void>>();
  private seq = 0;

  private get store(): Store | undefined {
    return this.engine.options.store;
  }

  // ---------------------------------------------------------------- hooks of the attempt machinery

  protected namespaceOf(a: StandaloneActivity): string {
    return a.namespace;
  }

  protected holds(a: StandaloneActivity, act: ActivityState): boolean {
    return a.status === 'Running' && a.act === act && this.byRunId.get(a.runId) === a;
  }

  protected touchOwner(a: StandaloneActivity): void {
    a.transitions++;
    this.store?.writeActivity(a.runId, a);
    const wanted = a.status === 'Running' && a.act.state !== 'backoff';
    if (wanted && !this.locked.has(a.runId)) {
      this.locked.add(a.runId);
      this.engine.clock.lockWork();
    } else if (!wanted && this.locked.delete(a.runId)) {
      this.engine.clock.unlockWork();
    }
    const ws = this.waiters.get(a.runId);
    if (ws) {
      this.waiters.delete(a.runId);
      for (const w of ws) w();
    }
  }

  protected taskFields(a: StandaloneActivity, _act: ActivityState, attempt: number): Obj {
    const token: StandaloneToken = { k: 'a', ns: a.namespace, r: a.runId, s: 0, a: attempt, sa: 1 };
    return { taskToken: encodeToken(token), workflowNamespace: a.namespace, activityRunId: a.runId };
  }

  protected close(a: StandaloneActivity, act: ActivityState, type: string, attrs: Obj): void {
    const now = this.engine.now();
    if (attrs.identity) act.identity = attrs.identity;
    switch (type) {
      case 'ACTIVITY_TASK_COMPLETED':
        a.status = 'Completed';
        // An empty Payloads still marks the outcome as a result (the SDK polls until it sees one).
        a.outcome = { result: attrs.result ?? {} };
        break;
      case 'ACTIVITY_TASK_FAILED': {
        const failure = attrs.failure ?? { message: 'activity task failed without failure details' };
        a.status = 'Failed';
        act.lastFailure = failure;
        a.outcome = { failure, retryState: attrs.retryState };
        break;
      }
      case 'ACTIVITY_TASK_CANCELED':
        a.status = 'Canceled';
        a.outcome = { failure: { message: 'Activity canceled', canceledFailureInfo: { details: attrs.details, identity: a.cancel?.identity } } };
        break;
      default:
        a.status = 'TimedOut';
        a.outcome = { failure: attrs.failure, retryState: attrs.retryState };
    }
    if (act.startedTime !== undefined) act.lastAttemptCompleteTime = now;
    a.closeTime = now;
    this.touchOwner(a);
  }

  // ---------------------------------------------------------------- lookups

  private key(namespace: string, activityId: string): string {
    return `${namespace}\0${activityId}`;
  }

  /** The execution a request names: its run id, or the newest run of the activity id. */
  find(namespace: string, activityId: unknown, runId?: unknown): StandaloneActivity {
    if (typeof activityId !== 'string' || !activityId) throw invalidArgument('ActivityId is not set on request.');
    this.sweep();
    const id = typeof runId === 'string' && runId ? runId : this.currentRun.get(this.key(namespace, activityId));
    const a = id ? this.byRunId.get(id) : undefined;
    if (!a || a.namespace !== namespace || a.activityId !== activityId) {
      throw notFound(`activity execution not found for activity ID "${activityId}"${runId ? ` and run ID "${String(runId)}"` : ''}`);
    }
    return a;
  }

  /** A worker's task token: the attempt must still be the one in flight. */
  fromToken(token: TaskToken): { a: StandaloneActivity; act: ActivityState } {
    const t = token as StandaloneToken;
    const a = this.byRunId.get(t.r);
    if (!a || a.namespace !== t.ns || a.status !== 'Running' || a.act.attempt !== t.a || a.act.state === 'backoff') {
      throw notFound('activity task not found (it completed, timed out, was cancelled or terminated)');
    }
    return { a, act: a.act };
  }

  /** `…ById` calls without a workflow id: the running execution of the activity id (and run id). */
  byId(namespace: string, activityId: unknown, runId?: unknown): { a: StandaloneActivity; act: ActivityState } {
    const a = this.find(namespace, activityId, runId);
    if (a.status !== 'Running' || a.act.state === 'backoff') throw notFound(`activity ${String(activityId)} is not running`);
    return { a, act: a.act };
  }

  // ---------------------------------------------------------------- client operations

  start(namespace: string, req: Obj): Obj {
    const activityId = req.activityId;
    if (typeof activityId !== 'string' || !activityId) throw invalidArgument('ActivityId is not set on request.');
    if (activityId.length > 1000) throw invalidArgument('ActivityId is longer than 1000 characters.');
    const activityType = req.activityType?.name;
    if (typeof activityType !== 'string' || !activityType) throw invalidArgument('ActivityType is not set on request.');
    const taskQueue = req.taskQueue?.name;
    if (typeof taskQueue !== 'string' || !taskQueue) throw invalidArgument('TaskQueue is not set on request.');
    if (msOf(req.scheduleToCloseTimeout) <= 0 && msOf(req.startToCloseTimeout) <= 0) {
      throw invalidArgument('A valid StartToClose or ScheduleToCloseTimeout is not set on request.');
    }
    const startDelayMs = msOf(req.startDelay);
    if (startDelayMs < 0) throw invalidArgument('StartDelay must not be negative.');
    const reuse = req.idReusePolicy || 'ACTIVITY_ID_REUSE_POLICY_UNSPECIFIED';
    const conflict = req.idConflictPolicy || 'ACTIVITY_ID_CONFLICT_POLICY_UNSPECIFIED';
    const timeouts = normaliseActivityTimeouts(req, 0);
    const retryPolicy = normaliseRetryPolicy(req.retryPolicy);
    const ns = this.engine.namespace(namespace);
    const searchAttributes = req.searchAttributes?.indexedFields ? ns.registry.validate(req.searchAttributes.indexedFields) : {};

    this.sweep();
    const existing = this.currentRun.get(this.key(namespace, activityId));
    const prev = existing ? this.byRunId.get(existing) : undefined;
    if (prev) {
      if (req.requestId && prev.requestId === req.requestId) return { runId: prev.runId, started: true, link: this.link(prev) };
      const alreadyStarted = () =>
        alreadyExists('activity execution already started', [
          {
            '@type': 'type.googleapis.com/temporal.api.errordetails.v1.ActivityExecutionAlreadyStartedFailure',
            startRequestId: prev.requestId ?? '',
            runId: prev.runId,
          },
        ]);
      if (prev.status === 'Running') {
        if (conflict === 'ACTIVITY_ID_CONFLICT_POLICY_USE_EXISTING') return { runId: prev.runId, started: false, link: this.link(prev) };
        throw alreadyStarted();
      }
      if (reuse === 'ACTIVITY_ID_REUSE_POLICY_REJECT_DUPLICATE') throw alreadyStarted();
      if (reuse === 'ACTIVITY_ID_REUSE_POLICY_ALLOW_DUPLICATE_FAILED_ONLY' && prev.status === 'Completed') throw alreadyStarted();
    }

    const now = this.engine.now();
    const act: ActivityState = {
      scheduledEventId: 0,
      activityId,
      activityType,
      taskQueue,
      input: req.input,
      header: req.header,
      priority: req.priority,
      timeouts,
      retryPolicy,
      attempt: 1,
      scheduledTime: now + startDelayMs,
      attemptScheduledTime: now + startDelayMs,
      // A start delay is waited out as a retry backoff is (no lock on the skipping clock meanwhile).
      state: startDelayMs > 0 ? 'backoff' : 'scheduled',
      heartbeatGeneration: 0,
    };
    const a: StandaloneActivity = {
      namespace,
      activityId,
      runId: randomUUID(),
      seq: this.seq++,
      requestId: req.requestId || undefined,
      status: 'Running',
      scheduleTime: now,
      executionTime: now + startDelayMs,
      startDelayMs,
      act,
      searchAttributes,
      userMetadata: req.userMetadata && (req.userMetadata.summary || req.userMetadata.details) ? req.userMetadata : undefined,
      totalHeartbeatCount: 0,
      transitions: 0,
    };
    this.byRunId.set(a.runId, a);
    this.currentRun.set(this.key(namespace, activityId), a.runId);
    this.touchOwner(a);
    this.arm(a, act);
    return { runId: a.runId, started: true, link: this.link(a) };
  }

  private link(a: StandaloneActivity): Obj {
    return { activity: { namespace: a.namespace, activityId: a.activityId, runId: a.runId } };
  }

  /** Heartbeat of a worker (by token or id): the cancellation request reaches the activity here. */
  recordHeartbeat(a: StandaloneActivity, act: ActivityState, details: Obj | undefined): Obj {
    a.totalHeartbeatCount++;
    return this.heartbeat(a, act, details);
  }

  /** A request no worker holds is cancelled at once; a started attempt learns it from its next heartbeat. */
  requestCancel(a: StandaloneActivity, req: Obj): void {
    if (a.status !== 'Running') throw failedPrecondition('activity execution is already closed');
    if (a.cancel) return;
    a.cancel = { reason: req.reason || undefined, identity: req.identity || undefined, requestId: req.requestId || undefined };
    const act = a.act;
    if (act.state === 'started') {
      act.cancelRequested = true;
      this.touchOwner(a);
      return;
    }
    this.close(a, act, 'ACTIVITY_TASK_CANCELED', { identity: req.identity });
  }

  terminate(a: StandaloneActivity, req: Obj): void {
    if (a.status !== 'Running') throw failedPrecondition('activity execution is already closed');
    const now = this.engine.now();
    a.status = 'Terminated';
    a.closeTime = now;
    a.outcome = { failure: { message: req.reason ?? '', terminatedFailureInfo: { identity: req.identity } } };
    this.touchOwner(a);
  }

  /** Resolves at the next change of the execution, or after `maxWaitMs`. */
  waitForChange(a: StandaloneActivity, maxWaitMs: number, onCancel?: (cb: () => void) => void): Promise<void> {
    return new Promise((resolve) => {
      let set = this.waiters.get(a.runId);
      if (!set) this.waiters.set(a.runId, (set = new Set()));
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, maxWaitMs));
      set.add(done);
      onCancel?.(done);
    });
  }

  stop(): void {
    for (const set of this.waiters.values()) for (const w of [...set]) w();
    this.waiters.clear();
  }

  // ---------------------------------------------------------------- read model

  describe(a: StandaloneActivity, req: Obj): Obj {
    const act = a.act;
    const open = a.status === 'Running';
    const backoff = open && act.state === 'backoff' && act.attempt > 1;
    const runState = !open
      ? 'PENDING_ACTIVITY_STATE_UNSPECIFIED'
      : act.cancelRequested
        ? 'PENDING_ACTIVITY_STATE_CANCEL_REQUESTED'
        : act.state === 'started'
          ? 'PENDING_ACTIVITY_STATE_STARTED'
          : 'PENDING_ACTIVITY_STATE_SCHEDULED';
    const info: Obj = {
      activityId: a.activityId,
      runId: a.runId,
      activityType: { name: act.activityType },
      status: STATUS_ENUM[a.status],
      runState,
      taskQueue: act.taskQueue,
      ...timeoutsToProto(act.timeouts),
      retryPolicy: retryPolicyToProto(act.retryPolicy),
      heartbeatDetails: req.includeHeartbeatDetails ? act.heartbeatDetails : undefined,
      lastHeartbeatTime: act.lastHeartbeatTime !== undefined ? timestamp(act.lastHeartbeatTime) : undefined,
      lastStartedTime: act.startedTime !== undefined ? timestamp(act.startedTime) : undefined,
      attempt: act.attempt,
      executionDuration: a.closeTime !== undefined ? duration(a.closeTime - a.scheduleTime) : undefined,
      scheduleTime: timestamp(a.scheduleTime),
      expirationTime: act.timeouts.scheduleToCloseMs > 0 ? timestamp(act.scheduledTime + act.timeouts.scheduleToCloseMs) : undefined,
      closeTime: a.closeTime !== undefined ? timestamp(a.closeTime) : undefined,
      lastFailure: req.includeLastFailure ? act.lastFailure : undefined,
      lastWorkerIdentity: act.identity,
      currentRetryInterval: backoff && act.lastAttemptCompleteTime !== undefined ? duration(act.attemptScheduledTime - act.lastAttemptCompleteTime) : undefined,
      lastAttemptCompleteTime: act.lastAttemptCompleteTime !== undefined ? timestamp(act.lastAttemptCompleteTime) : undefined,
      nextAttemptScheduleTime: backoff ? timestamp(act.attemptScheduledTime) : undefined,
      priority: act.priority,
      stateTransitionCount: String(a.transitions),
      searchAttributes: this.searchAttributesOf(a),
      header: act.header,
      userMetadata: a.userMetadata,
      canceledReason: a.cancel?.reason,
      totalHeartbeatCount: String(a.totalHeartbeatCount),
      startDelay: a.startDelayMs > 0 ? duration(a.startDelayMs) : undefined,
      executionTime: timestamp(a.executionTime),
    };
    return {
      runId: a.runId,
      info,
      input: req.includeInput ? act.input : undefined,
      outcome: req.includeOutcome ? a.outcome : undefined,
      longPollToken: Buffer.from(String(a.transitions)).toString('base64'),
    };
  }

  /** Whether a describe long-poll token still names the current state. */
  unchangedSince(a: StandaloneActivity, token: string): boolean {
    return Buffer.from(token, 'base64').toString('utf8') === String(a.transitions);
  }

  private searchAttributesOf(a: StandaloneActivity): Obj | undefined {
    if (!Object.keys(a.searchAttributes).length) return undefined;
    return { indexedFields: this.engine.namespace(a.namespace).registry.stamp(a.searchAttributes) };
  }

  private listInfo(a: StandaloneActivity): Obj {
    return {
      activityId: a.activityId,
      runId: a.runId,
      activityType: { name: a.act.activityType },
      scheduleTime: timestamp(a.scheduleTime),
      closeTime: a.closeTime !== undefined ? timestamp(a.closeTime) : undefined,
      status: STATUS_ENUM[a.status],
      searchAttributes: this.searchAttributesOf(a),
      taskQueue: a.act.taskQueue,
      stateTransitionCount: String(a.transitions),
      executionDuration: a.closeTime !== undefined ? duration(a.closeTime - a.scheduleTime) : undefined,
      executionTime: timestamp(a.executionTime),
    };
  }

  /**
   * The list-filter language of workflows over activity executions: `ActivityId`, `ActivityType`
   * (Keyword), `ExecutionStatus`, `TaskQueue`, `StartTime` (the schedule time), `ExecutionTime`,
   * `CloseTime`, `RunId` and the namespace's custom attributes.
   */
  private matching(namespace: string, query: string | undefined) {
    const registry = SearchAttributeRegistry.fromJSON(this.engine.namespace(namespace).registry.toJSON());
    for (const name of ['ActivityId', 'ActivityType']) if (registry.typeOf(name) === undefined) registry.add(name, 'Keyword');
    const parsed = parseListQuery(query ?? '', registry);
    this.sweep();
    const rows: Array<{ a: StandaloneActivity; rec: VisibilityRecord }> = [];
    for (const a of this.byRunId.values()) {
      if (a.namespace !== namespace) continue;
      const rec: VisibilityRecord = {
        namespace,
        workflowId: a.activityId,
        runId: a.runId,
        workflowType: a.act.activityType,
        status: a.status,
        taskQueue: a.act.taskQueue,
        startTime: a.scheduleTime,
        executionTime: a.executionTime,
        closeTime: a.closeTime,
        historyLength: 0,
        searchAttributes: { ...a.searchAttributes, ActivityId: jsonPayload(a.activityId, 'Keyword'), ActivityType: jsonPayload(a.act.activityType, 'Keyword') },
      };
      if (parsed.matches(rec)) rows.push({ a, rec });
    }
    return { parsed, rows };
  }

  list(namespace: string, req: Obj): Obj {
    const { parsed, rows } = this.matching(namespace, req.query);
    if (parsed.groupBy) throw invalidArgument('GROUP BY is only supported by CountActivityExecutions');
    rows.sort((x, y) => parsed.compare(x.rec, y.rec));
    let offset = 0;
    if (req.nextPageToken) {
      const raw = Buffer.from(req.nextPageToken, 'base64').toString('utf8');
      offset = Number(raw);
      if (!Number.isInteger(offset) || offset < 0) throw invalidArgument('ListActivityExecutions: next_page_token is malformed');
    }
    const pageSize = Number(req.pageSize) > 0 ? Number(req.pageSize) : DEFAULT_PAGE_SIZE;
    const page = rows.slice(offset, offset + pageSize);
    const next = offset + page.length;
    return {
      executions: page.map((r) => this.listInfo(r.a)),
      nextPageToken: next < rows.length ? Buffer.from(String(next)).toString('base64') : undefined,
    };
  }

  count(namespace: string, req: Obj): Obj {
    const { parsed, rows } = this.matching(namespace, req.query);
    if (!parsed.groupBy) return { count: String(rows.length), groups: [] };
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.a.status, (counts.get(r.a.status) ?? 0) + 1);
    return {
      count: String(rows.length),
      groups: [...counts.entries()].map(([status, n]) => ({ groupValues: [jsonPayload(status, 'Keyword')], count: String(n) })),
    };
  }

  // ---------------------------------------------------------------- retention and restart

  /** Closed executions leave after their namespace's retention, as closed workflow runs do. */
  private sweep(): void {
    const now = this.engine.now();
    for (const a of this.byRunId.values()) {
      if (a.status === 'Running' || a.closeTime === undefined) continue;
      const days = this.engine.namespaces.get(a.namespace)?.retentionDays ?? this.engine.options.retentionDays ?? DEFAULT_RETENTION_DAYS;
      if (a.closeTime + days * DAY_MS > now) continue;
      this.byRunId.delete(a.runId);
      const key = this.key(a.namespace, a.activityId);
      if (this.currentRun.get(key) === a.runId) this.currentRun.delete(key);
      this.store?.writeActivity(a.runId, undefined);
    }
  }

  /** After a restart: the persisted executions (store records), their timers and queued attempts re-armed. */
  restore(records: unknown[] | undefined): void {
    const list = (records ?? []).filter((r): r is StandaloneActivity => !!r && typeof r === 'object' && typeof (r as StandaloneActivity).runId === 'string');
    list.sort((x, y) => x.seq - y.seq);
    for (const a of list) {
      this.byRunId.set(a.runId, a);
      this.currentRun.set(this.key(a.namespace, a.activityId), a.runId);
      this.seq = Math.max(this.seq, a.seq + 1);
    }
    this.sweep();
    for (const a of this.byRunId.values()) {
      if (a.status !== 'Running') continue;
      this.arm(a, a.act);
      this.touchOwner(a);
    }
  }
}
