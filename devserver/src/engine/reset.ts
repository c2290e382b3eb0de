import { randomUUID } from 'node:crypto';
import { invalidArgument } from '../errors.js';
import { msOf, type Obj } from '../proto.js';
import { normaliseActivityTimeouts, normaliseRetryPolicy } from './activity-rules.js';
import type { Engine } from './engine.js';
import { appendEvent } from './history.js';
import { isOpen, type ActivityState, type Run, type TimerState } from './types.js';

/** Identities the real server writes into the events of a reset (`service/history/consts`). */
const IDENTITY_RESETTER = 'history-resetter';
const IDENTITY_HISTORY_SERVICE = 'history-service';

const ACTIVITY_CLOSED = new Set(['ACTIVITY_TASK_COMPLETED', 'ACTIVITY_TASK_FAILED', 'ACTIVITY_TASK_TIMED_OUT', 'ACTIVITY_TASK_CANCELED']);
const CHILD_CLOSED = new Set([
  'START_CHILD_WORKFLOW_EXECUTION_FAILED',
  'CHILD_WORKFLOW_EXECUTION_COMPLETED',
  'CHILD_WORKFLOW_EXECUTION_FAILED',
  'CHILD_WORKFLOW_EXECUTION_CANCELED',
  'CHILD_WORKFLOW_EXECUTION_TIMED_OUT',
  'CHILD_WORKFLOW_EXECUTION_TERMINATED',
]);
const WFT_CLOSED = new Set(['WORKFLOW_TASK_COMPLETED', 'WORKFLOW_TASK_FAILED', 'WORKFLOW_TASK_TIMED_OUT']);

const typeOf = (ev: Obj) => String(ev.eventType).replace(/^EVENT_TYPE_/, '');
/** The attributes of an event, whatever its type (the one `…EventAttributes` field it has). */
const attrsOf = (ev: Obj): Obj => ev[Object.keys(ev).find((k) => k.endsWith('EventAttributes'))!] ?? {};
const msOfTime = (t: Obj | string | undefined) => (typeof t === 'string' ? Date.parse(t) : Number(t?.seconds ?? 0) * 1000 + Math.floor(Number(t?.nanos ?? 0) / 1e6));

/**
 * ResetWorkflowExecution, following the real server (history `resetworkflow/api.go` and
 * `ndc/workflow_resetter.go`): a new run of the same workflow id gets a copy of the base run's
 * history up to `workflowTaskFinishEventId` − 1, its then-pending workflow task (started if it was
 * only scheduled) fails with cause RESET_WORKFLOW, the signals written after the reset point are
 * re-applied (unless `resetReapplyType` / `resetReapplyExcludeTypes` exclude them), and a new
 * workflow task is scheduled. The current run, if still running, is terminated first with the
 * reset's reason. A request id already used by the current run's creation returns that run.
 *
 * State the copy implies is rebuilt from it: activities scheduled and not closed are scheduled
 * again (attempt 1, as of now), timers started and not fired keep their original fire time. Like the
 * real server without `AllowResetWithPendingChildren`, a reset point with a pending child workflow is
 * refused; updates are not re-applied.
 */
export function resetWorkflow(e: Engine, req: Obj): { runId: string } {
  const ns = e.namespace(req.namespace);
  const requestId: unknown = req.requestId;
  if (typeof requestId !== 'string' || requestId.length === 0) throw invalidArgument('RequestId is not set on request.');
  if (!req.workflowExecution) throw invalidArgument('Execution is not set on request.');
  const base = e.findRun(ns.name, req.workflowExecution);
  const finishId = Number(req.workflowTaskFinishEventId ?? 0);
  if (!(finishId > 1) || finishId > base.history.length) {
    throw invalidArgument('Workflow task finish ID must be > 1 && <= workflow last event ID.');
  }
  const current = e.currentRun(ns.name, base.workflowId);
  if (current && current.startRequestId === requestId) return { runId: current.runId };

  const copied = base.history.slice(0, finishId - 1);
  const state = replay(e, base, copied);
  if (!state.wft) {
    throw invalidArgument(`Can only reset workflow to event ID in range [WorkflowTaskScheduled +1, WorkflowTaskStarted + 1]: ${finishId}`);
  }
  if (state.pendingChildren > 0) throw invalidArgument('WorkflowResetter encountered pending child workflows.');

  const reason: string = req.reason ?? '';
  const signals = signalsToReapply(e, req, base, current, finishId);
  if (current && isOpen(current)) terminateForReset(e, current, reason);

  const now = e.now();
  const runId = randomUUID();
  const run: Run = {
    namespace: base.namespace,
    workflowId: base.workflowId,
    runId,
    seq: e.nextRunSeq(),
    firstExecutionRunId: base.firstExecutionRunId,
    workflowType: base.workflowType,
    taskQueue: base.taskQueue,
    status: 'Running',
    startTime: base.startTime,
    executionTime: base.executionTime,
    runTimeoutFrom: now,
    history: base.history.truncated(finishId - 1),
    historyBytes: base.history.framed(0, finishId - 1).length,
    memo: state.memo,
    searchAttributes: state.searchAttributes,
    runTimeoutMs: base.runTimeoutMs,
    executionTimeoutMs: base.executionTimeoutMs,
    workflowTaskTimeoutMs: base.workflowTaskTimeoutMs,
    executionExpiration: base.executionExpiration,
    startRequestId: requestId,
    parent: base.parent,
    root: base.root,
    wftAttempt: 1,
    lastCompletedStartedEventId: state.lastCompletedStartedEventId,
    buffered: [],
    activities: {},
    timers: state.timers,
    children: {},
    updates: {},
    cancelRequested: state.cancelRequested,
    attempt: base.attempt,
    signalRequestIds: [],
  };
  for (const a of state.activities) {
    const act = { ...a, scheduledTime: now, attemptScheduledTime: now };
    run.activities[String(act.scheduledEventId)] = act;
  }

  let startedEventId = state.wft.startedEventId;
  if (startedEventId === undefined) {
    startedEventId = appendEvent(
      run,
      'WORKFLOW_TASK_STARTED',
      { scheduledEventId: String(state.wft.scheduledEventId), identity: IDENTITY_HISTORY_SERVICE, requestId: randomUUID(), historySizeBytes: String(run.historyBytes) },
      now,
    );
  }
  appendEvent(
    run,
    'WORKFLOW_TASK_FAILED',
    {
      scheduledEventId: String(state.wft.scheduledEventId),
      startedEventId: String(startedEventId),
      cause: 'WORKFLOW_TASK_FAILED_CAUSE_RESET_WORKFLOW',
      failure: { message: reason, resetWorkflowFailureInfo: {} },
      identity: IDENTITY_HISTORY_SERVICE,
      baseRunId: base.runId,
      newRunId: runId,
      forkEventVersion: '0',
    },
    now,
  );
  for (const s of signals) {
    appendEvent(run, 'WORKFLOW_EXECUTION_SIGNALED', { signalName: s.signalName, input: s.input, header: s.header, identity: s.identity }, now);
  }

  e.adoptRun(run);
  for (const timer of Object.values(run.timers)) e.commands.armTimer(run, timer);
  e.activities.rearm(run);
  e.scheduleWorkflowTask(run);
  e.log('info', `reset ${run.workflowId}/${base.runId} at event ${finishId}: new run ${runId}`);
  return { runId };
}

interface Replayed {
  wft?: { scheduledEventId: number; startedEventId?: number };
  lastCompletedStartedEventId: number;
  activities: ActivityState[];
  timers: Record<string, TimerState>;
  pendingChildren: number;
  cancelRequested: boolean;
  memo: Run['memo'];
  searchAttributes: Run['searchAttributes'];
}

/** The mutable state the copied events imply (what the real server rebuilds by replaying them). */
function replay(e: Engine, base: Run, events: Obj[]): Replayed {
  const registry = e.namespace(base.namespace).registry;
  const started = attrsOf(events[0] ?? {});
  const out: Replayed = {
    lastCompletedStartedEventId: 0,
    activities: [],
    timers: {},
    pendingChildren: 0,
    cancelRequested: false,
    memo: { ...(started.memo?.fields ?? {}) },
    searchAttributes: started.searchAttributes?.indexedFields ? registry.merge({}, started.searchAttributes.indexedFields) : {},
  };
  const activities = new Map<string, ActivityState>();
  const children = new Set<string>();
  for (const ev of events) {
    const type = typeOf(ev);
    const a = attrsOf(ev);
    const id = Number(ev.eventId);
    if (type === 'WORKFLOW_TASK_SCHEDULED') out.wft = { scheduledEventId: id };
    else if (type === 'WORKFLOW_TASK_STARTED' && out.wft) out.wft.startedEventId = id;
    else if (WFT_CLOSED.has(type)) {
      if (type === 'WORKFLOW_TASK_COMPLETED') out.lastCompletedStartedEventId = Number(a.startedEventId);
      out.wft = undefined;
    } else if (type === 'ACTIVITY_TASK_SCHEDULED') activities.set(String(id), activityFrom(id, a, base.runTimeoutMs));
    else if (ACTIVITY_CLOSED.has(type)) activities.delete(String(a.scheduledEventId));
    else if (type === 'ACTIVITY_TASK_CANCEL_REQUESTED') {
      const act = activities.get(String(a.scheduledEventId));
      if (act) Object.assign(act, { cancelRequested: true, latestCancelRequestedEventId: id });
    } else if (type === 'TIMER_STARTED') {
      out.timers[a.timerId] = { timerId: a.timerId, startedEventId: id, fireAt: msOfTime(ev.eventTime) + msOf(a.startToFireTimeout) };
    } else if (type === 'TIMER_FIRED' || type === 'TIMER_CANCELED') delete out.timers[a.timerId];
    else if (type === 'START_CHILD_WORKFLOW_EXECUTION_INITIATED') children.add(String(id));
    else if (CHILD_CLOSED.has(type)) children.delete(String(a.initiatedEventId));
    else if (type === 'WORKFLOW_EXECUTION_CANCEL_REQUESTED') out.cancelRequested = true;
    else if (type === 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES') out.searchAttributes = registry.merge(out.searchAttributes, a.searchAttributes?.indexedFields);
    else if (type === 'WORKFLOW_PROPERTIES_MODIFIED') {
      for (const [k, v] of Object.entries<Obj>(a.upsertedMemo?.fields ?? {})) {
        if (!v || (!v.data && !v.metadata)) delete out.memo[k];
        else out.memo[k] = v as Run['memo'][string];
      }
    }
  }
  out.activities = [...activities.values()];
  out.pendingChildren = children.size;
  return out;
}

function activityFrom(scheduledEventId: number, a: Obj, runTimeoutMs: number): ActivityState {
  return {
    scheduledEventId,
    activityId: a.activityId,
    activityType: a.activityType?.name,
    taskQueue: a.taskQueue?.name,
    input: a.input,
    header: a.header,
    priority: a.priority,
    timeouts: normaliseActivityTimeouts(a, runTimeoutMs),
    retryPolicy: normaliseRetryPolicy(a.retryPolicy),
    attempt: 1,
    scheduledTime: 0,
    attemptScheduledTime: 0,
    state: 'scheduled',
    heartbeatGeneration: 0,
  };
}

/**
 * Signals written after the reset point: in the base run from `finishId` on, then in every later
 * run of the chain up to the current one (continue-as-new, retries), including what the current
 * run holds buffered behind a started workflow task.
 */
function signalsToReapply(e: Engine, req: Obj, base: Run, current: Run | undefined, finishId: number): Obj[] {
  const type: string = req.resetReapplyType ?? 'RESET_REAPPLY_TYPE_UNSPECIFIED';
  const excluded: string[] = req.resetReapplyExcludeTypes ?? [];
  if (type === 'RESET_REAPPLY_TYPE_NONE' || excluded.includes('RESET_REAPPLY_EXCLUDE_TYPE_SIGNAL')) return [];
  const out: Obj[] = [];
  const take = (events: Obj[]) => {
    for (const ev of events) if (typeOf(ev) === 'WORKFLOW_EXECUTION_SIGNALED') out.push(attrsOf(ev));
  };
  take(base.history.slice(finishId - 1));
  let run: Run | undefined = base;
  while (run && run !== current && run.newExecutionRunId) {
    run = e.runs.get(run.newExecutionRunId);
    if (run) take(run.history.slice());
  }
  if (current && (current === base || run === current)) {
    for (const b of current.buffered) if (b.type === 'WORKFLOW_EXECUTION_SIGNALED') out.push(b.attrs);
  }
  return out;
}

/**
 * The real server terminates the current run with the reset's reason and identity
 * `history-resetter`. A run closed by a reset does not report to its parent: its chain goes on in
 * the reset run.
 */
function terminateForReset(e: Engine, run: Run, reason: string): void {
  run.buffered = [];
  appendEvent(run, 'WORKFLOW_EXECUTION_TERMINATED', { reason, identity: IDENTITY_RESETTER }, e.now());
  e.closeRun(run, 'Terminated', true);
}
