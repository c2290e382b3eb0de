import { invalidArgument } from '../errors.js';
import type { Engine, NamespaceState } from '../engine/engine.js';
import { isOpen, STATUS_ENUM, type Run } from '../engine/types.js';
import { duration, jsonPayload, timestamp, withEncodedField, type Obj } from '../proto.js';
import { encodedHistory } from '../engine/encoded-history.js';
import { parseListQuery, type VisibilityRecord } from '../visibility/list-filter.js';

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
    },
    workflowExecutionInfo: executionInfo(e, run),
    pendingActivities: Object.values(run.activities).map((a) => ({
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
    })),
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

/** `handle.result()`: waits (bounded; the SDK simply asks again) for the close event and returns only it. */
export async function waitForCloseEvent(e: Engine, run: Run, wait: boolean, onCancel: (cb: () => void) => void): Promise<Obj> {
  if (wait && isOpen(run)) await e.waitForClose(run, CLOSE_WAIT_MS, onCancel);
  if (isOpen(run)) return { history: { events: [] } };
  return { history: { events: [run.history[run.history.length - 1]] } };
}

interface PageToken {
  r: string;
  n: number;
}

function parseToken<T>(token: string | undefined, what: string): T | undefined {
  if (!token) return undefined;
  try {
    return JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as T;
  } catch {
    throw invalidArgument(`${what}: next_page_token is malformed`);
  }
}

const makeToken = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');

/** Pages of a run's history; with `wait_new_event`, waits for events past the token (CLI-style tailing). */
export async function historyPage(e: Engine, run: Run, req: Obj, onCancel: (cb: () => void) => void): Promise<Obj> {
  const token = parseToken<PageToken>(req.nextPageToken, 'GetWorkflowExecutionHistory');
  const from = token?.r === run.runId ? token.n : 0;
  const pageSize = Number(req.maximumPageSize) > 0 ? Number(req.maximumPageSize) : DEFAULT_PAGE_SIZE;
  if (req.waitNewEvent && from >= run.history.length && isOpen(run)) {
    await e.waitForClose(run, CLOSE_WAIT_MS, onCancel);
  }
  const next = Math.min(run.history.length, from + pageSize);
  const more = next < run.history.length || (req.waitNewEvent && isOpen(run));
  const page = { nextPageToken: more ? makeToken({ r: run.runId, n: next } satisfies PageToken) : undefined };
  return withEncodedField(page, 'history', encodedHistory(run, from, next));
}

function visibilityRecord(run: Run): VisibilityRecord {
  return {
    namespace: run.namespace,
    workflowId: run.workflowId,
    runId: run.runId,
    workflowType: run.workflowType,
    status: run.status,
    taskQueue: run.taskQueue,
    startTime: run.startTime,
    executionTime: run.executionTime,
    closeTime: run.closeTime,
    historyLength: run.history.length,
    parentWorkflowId: run.parent?.workflowId,
    parentRunId: run.parent?.runId,
    rootWorkflowId: run.root.workflowId,
    rootRunId: run.root.runId,
    searchAttributes: run.searchAttributes,
  };
}

function matchingRuns(e: Engine, ns: NamespaceState, query: string | undefined) {
  const parsed = parseListQuery(query ?? '', ns.registry);
  const rows: Array<{ run: Run; rec: VisibilityRecord }> = [];
  for (const run of e.runs.values()) {
    if (run.namespace !== ns.name) continue;
    const rec = visibilityRecord(run);
    if (parsed.matches(rec)) rows.push({ run, rec });
  }
  return { parsed, rows };
}

export function listExecutions(e: Engine, ns: NamespaceState, req: Obj): Obj {
  const { parsed, rows } = matchingRuns(e, ns, req.query);
  if (parsed.groupBy) throw invalidArgument('GROUP BY is only supported by CountWorkflowExecutions');
  rows.sort((a, b) => parsed.compare(a.rec, b.rec));
  const offset = parseToken<{ o: number }>(req.nextPageToken, 'ListWorkflowExecutions')?.o ?? 0;
  const pageSize = Number(req.pageSize) > 0 ? Number(req.pageSize) : 1000;
  const page = rows.slice(offset, offset + pageSize);
  const next = offset + page.length;
  return {
    executions: page.map((r) => executionInfo(e, r.run)),
    nextPageToken: next < rows.length ? makeToken({ o: next }) : undefined,
  };
}

export function countExecutions(e: Engine, ns: NamespaceState, req: Obj): Obj {
  const { parsed, rows } = matchingRuns(e, ns, req.query);
  if (!parsed.groupBy) return { count: String(rows.length), groups: [] };
  const counts = new Map<string, number>();
  for (const r of rows) counts.set(r.run.status, (counts.get(r.run.status) ?? 0) + 1);
  return {
    count: String(rows.length),
    groups: [...counts.entries()].map(([status, count]) => ({ groupValues: [jsonPayload(status, 'Keyword')], count: String(count) })),
  };
}
