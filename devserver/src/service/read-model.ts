import { invalidArgument } from '../errors.js';
import type { Engine } from '../engine/engine.js';
import { isOpen, STATUS_ENUM, type ActivityState, type Run } from '../engine/types.js';
import { retryPolicyToProto, timeoutsToProto } from '../engine/activity-rules.js';
import { duration, timestamp, withEncodedField, type Obj } from '../proto.js';
import { encodedHistory } from '../engine/encoded-history.js';

const CLOSE_WAIT_MS = 20_000;
const DEFAULT_PAGE_SIZE = 1000;

/** `WorkflowExecutionInfo` as describe and list return it (search attributes stamped with their types). */
export function executionInfo(e: Engine, run: Run): Obj {
  const registry = e.namespace(run.namespace).registry;
  return {
    execution: { workflowId: run.workflowId, runId: run.runId },
    type: { name: run.workflowType },
    startTime: timestamp(run.startTime),
    closeTime: run.closeTime !== undefined ? timestamp(run.closeTime) : undefined,
    status: STATUS_ENUM[run.status],
    historyLength: String(run.history.length),
    historySizeBytes: String(run.historyBytes),
    executionTime: timestamp(run.executionTime),
    executionDuration: run.closeTime !== undefined ? duration(run.closeTime - run.executionTime) : undefined,
    memo: { fields: run.memo },
    searchAttributes: { indexedFields: registry.stamp(run.searchAttributes) },
    taskQueue: run.taskQueue,
    parentNamespaceId: run.parent ? e.namespaces.get(run.parent.namespace)?.id : undefined,
    parentExecution: run.parent ? { workflowId: run.parent.workflowId, runId: run.parent.runId } : undefined,
    rootExecution: run.root,
    firstRunId: run.firstExecutionRunId,
    stateTransitionCount: String(run.history.length),
  };
}

export function describeExecution(e: Engine, run: Run): Obj {
  return {
    executionConfig: {
      taskQueue: { name: run.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
      workflowExecutionTimeout: duration(run.executionTimeoutMs),
      workflowRunTimeout: duration(run.runTimeoutMs),
      defaultWorkflowTaskTimeout: duration(run.workflowTaskTimeoutMs),
      userMetadata: run.history.first()?.userMetadata,
    },
    workflowExecutionInfo: executionInfo(e, run),
    pendingActivities: Object.values(run.activities).map((a) => pendingActivity(e, a)),
    pendingChildren: Object.values(run.children).map((c) => ({
      workflowId: c.workflowId,
      runId: c.runId,
      workflowTypeName: c.workflowType,
      initiatedId: String(c.initiatedEventId),
      parentClosePolicy: c.parentClosePolicy,
    })),
    pendingWorkflowTask: run.wft
      ? {
          state: run.wft.startedEventId !== undefined ? 'PENDING_WORKFLOW_TASK_STATE_STARTED' : 'PENDING_WORKFLOW_TASK_STATE_SCHEDULED',
          scheduledTime: timestamp(run.wft.scheduledTime),
          startedTime: run.wft.startedTime !== undefined ? timestamp(run.wft.startedTime) : undefined,
          attempt: run.wft.attempt,
        }
      : undefined,
    callbacks: [],
  };
}

/**
 * A pending activity as the real server describes it (`workflow.GetPendingActivityInfo`): an
 * attempt waiting out its retry backoff is SCHEDULED, with `nextAttemptScheduleTime` and
 * `currentRetryInterval` (from the end of the failed attempt to the next one) until it is due;
 * `lastFailure`, `lastStartedTime`, `lastWorkerIdentity` and `lastAttemptCompleteTime` describe the
 * attempt before.
 */
function pendingActivity(e: Engine, a: ActivityState): Obj {
  const waiting = a.state === 'backoff' && a.attemptScheduledTime > e.now();
  return {
    activityId: a.activityId,
    activityType: { name: a.activityType },
    state: a.cancelRequested
      ? 'PENDING_ACTIVITY_STATE_CANCEL_REQUESTED'
      : a.state === 'started'
        ? 'PENDING_ACTIVITY_STATE_STARTED'
        : 'PENDING_ACTIVITY_STATE_SCHEDULED',
    heartbeatDetails: a.heartbeatDetails,
    lastHeartbeatTime: a.lastHeartbeatTime !== undefined ? timestamp(a.lastHeartbeatTime) : undefined,
    lastStartedTime: a.startedTime !== undefined ? timestamp(a.startedTime) : undefined,
    attempt: a.attempt,
    maximumAttempts: a.retryPolicy.maximumAttempts,
    scheduledTime: timestamp(a.attemptScheduledTime),
    expirationTime: a.timeouts.scheduleToCloseMs > 0 ? timestamp(a.scheduledTime + a.timeouts.scheduleToCloseMs) : undefined,
    lastFailure: a.lastFailure,
    lastWorkerIdentity: a.identity,
    lastAttemptCompleteTime: a.lastAttemptCompleteTime !== undefined ? timestamp(a.lastAttemptCompleteTime) : undefined,
    nextAttemptScheduleTime: waiting ? timestamp(a.attemptScheduledTime) : undefined,
    currentRetryInterval: waiting && a.lastAttemptCompleteTime !== undefined ? duration(a.attemptScheduledTime - a.lastAttemptCompleteTime) : undefined,
    activityOptions: {
      taskQueue: { name: a.taskQueue, normalName: a.taskQueue },
      ...timeoutsToProto(a.timeouts),
      retryPolicy: retryPolicyToProto(a.retryPolicy),
    },
  };
}

/** `handle.result()`: waits (bounded; the SDK simply asks again) for the close event and returns only it. */
export async function waitForCloseEvent(e: Engine, run: Run, wait: boolean, onCancel: (cb: () => void) => void): Promise<Obj> {
  if (wait && isOpen(run)) await e.waitForClose(run, CLOSE_WAIT_MS, onCancel);
  if (isOpen(run)) return { history: { events: [] } };
  return { history: { events: [run.history.last()] } };
}

interface PageToken {
  r: string;
  n: number;
}

export function parseToken<T>(token: string | undefined, what: string): T | undefined {
  if (!token) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as T;
  } catch {
    throw invalidArgument(`${what}: next_page_token is malformed`);
  }
}

export const makeToken = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

/**
 * Pages of a run's history. With `wait_new_event` (the Web UI and `temporal workflow show --follow`
 * tail a running workflow this way), a request whose token is at the end of the history waits until
 * the next event is written or the run closes (bounded; the caller asks again with the same token),
 * and stops waiting when the caller cancels.
 */
export async function historyPage(e: Engine, run: Run, req: Obj, onCancel: (cb: () => void) => void): Promise<Obj> {
  const token = parseToken<PageToken>(req.nextPageToken, 'GetWorkflowExecutionHistory');
  const from = token?.r === run.runId ? token.n : 0;
  const pageSize = Number(req.maximumPageSize) > 0 ? Number(req.maximumPageSize) : DEFAULT_PAGE_SIZE;
  if (req.waitNewEvent && from >= run.history.length && isOpen(run)) {
    await e.historyWaiters.wait(run, from, CLOSE_WAIT_MS, onCancel);
  }
  const next = Math.min(run.history.length, from + pageSize);
  const more = next < run.history.length || (req.waitNewEvent && isOpen(run));
  const page = { nextPageToken: more ? makeToken({ r: run.runId, n: next } satisfies PageToken) : undefined };
  return withEncodedField(page, 'history', encodedHistory(run, from, next));
}

interface ReversePageToken {
  r: string;
  /** Index (0-based, exclusive) of the newest event the next page holds. */
  e: number;
}

/**
 * GetWorkflowExecutionHistoryReverse: pages from the newest event backwards, each page newest
 * first. The first page fixes where the reading starts: events written later are not part of the
 * pages that follow (the token carries the index to continue from), as on the real server.
 */
export function historyReversePage(run: Run, req: Obj): Obj {
  const token = parseToken<ReversePageToken>(req.nextPageToken, 'GetWorkflowExecutionHistoryReverse');
  const end = token?.r === run.runId ? Math.min(token.e, run.history.length) : run.history.length;
  const pageSize = Number(req.maximumPageSize) > 0 ? Number(req.maximumPageSize) : DEFAULT_PAGE_SIZE;
  const start = Math.max(0, end - pageSize);
  return {
    history: { events: run.history.slice(start, end).reverse() },
    nextPageToken: start > 0 ? makeToken({ r: run.runId, e: start } satisfies ReversePageToken) : undefined,
  };
}

