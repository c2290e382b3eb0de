import type { Obj, Payload } from '../proto.js';
import type { ActivityTimeouts, RetryPolicy } from './activity-rules.js';
import type { EventHistory } from './event-history.js';

export type ExecutionStatus = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';

export const STATUS_ENUM: Record<ExecutionStatus, string> = {
  Running: 'WORKFLOW_EXECUTION_STATUS_RUNNING',
  Completed: 'WORKFLOW_EXECUTION_STATUS_COMPLETED',
  Failed: 'WORKFLOW_EXECUTION_STATUS_FAILED',
  Canceled: 'WORKFLOW_EXECUTION_STATUS_CANCELED',
  Terminated: 'WORKFLOW_EXECUTION_STATUS_TERMINATED',
  ContinuedAsNew: 'WORKFLOW_EXECUTION_STATUS_CONTINUED_AS_NEW',
  TimedOut: 'WORKFLOW_EXECUTION_STATUS_TIMED_OUT',
};

/** A workflow task: scheduled (waiting for a poller) or started (a worker holds it). */
export interface WorkflowTask {
  attempt: number;
  scheduledTime: number;
  /** Set when dispatched: both the Scheduled and the Started event are written then, keeping them contiguous. */
  scheduledEventId?: number;
  startedEventId?: number;
  startedTime?: number;
  /** First workflow task of a delayed start: not offered before this time. */
  notBefore?: number;
}

export interface ActivityState {
  scheduledEventId: number;
  activityId: string;
  activityType: string;
  taskQueue: string;
  input?: Obj;
  header?: Obj;
  priority?: Obj;
  timeouts: ActivityTimeouts;
  retryPolicy: RetryPolicy;
  attempt: number;
  scheduledTime: number;
  attemptScheduledTime: number;
  state: 'scheduled' | 'started' | 'backoff';
  startedTime?: number;
  identity?: string;
  heartbeatDetails?: Obj;
  lastHeartbeatTime?: number;
  lastFailure?: Obj;
  /** When the last failed attempt ended (its retry waits until `attemptScheduledTime`). */
  lastAttemptCompleteTime?: number;
  cancelRequested?: boolean;
  latestCancelRequestedEventId?: number;
  /** Bumped on every heartbeat so an older heartbeat-timeout timer becomes a no-op. */
  heartbeatGeneration: number;
}

export interface TimerState {
  timerId: string;
  startedEventId: number;
  fireAt: number;
}

export interface ChildState {
  initiatedEventId: number;
  namespace: string;
  workflowId: string;
  workflowType: string;
  runId?: string;
  startedEventId?: number;
  parentClosePolicy: string;
}

export type UpdateStage = 'ADMITTED' | 'ACCEPTED' | 'COMPLETED';

export interface UpdateState {
  updateId: string;
  request: Obj;
  stage: UpdateStage;
  /** Scheduled event id of the workflow task that carried the request to a worker. */
  deliveredIn?: number;
  outcome?: Obj;
  acceptedEventId?: number;
}

/** An event produced while a workflow task is started: written after that task completes. */
export interface BufferedEvent {
  type: string;
  attrs: Obj;
  time: number;
  /** `prev`: `startedEventId` is the id of the event written just before (activity started + result). */
  link?: 'prev' | { childInitiatedEventId: number };
}

export interface ParentRef {
  namespace: string;
  workflowId: string;
  runId: string;
  initiatedEventId: number;
}

/** Everything the server knows of one run; JSON-serialisable (the history as its events) so that it can be persisted as is. */
export interface Run {
  namespace: string;
  workflowId: string;
  runId: string;
  /** Creation order across the server, to know the newest run of a workflow id after a restart. */
  seq: number;
  firstExecutionRunId: string;
  workflowType: string;
  taskQueue: string;
  status: ExecutionStatus;
  startTime: number;
  executionTime: number;
  /** A reset run keeps its base's start time, but its run timeout counts from the reset. */
  runTimeoutFrom?: number;
  closeTime?: number;
  /** Its events, kept encoded (`EventHistory`); persisted apart from the rest of the run. */
  history: EventHistory;
  historyBytes: number;
  memo: Record<string, Payload>;
  searchAttributes: Record<string, Payload>;
  runTimeoutMs: number;
  executionTimeoutMs: number;
  workflowTaskTimeoutMs: number;
  /** Deadline of the whole chain (continue-as-new keeps it), 0 = none. */
  executionExpiration: number;
  startRequestId?: string;
  parent?: ParentRef;
  root: { workflowId: string; runId: string };
  wft?: WorkflowTask;
  wftAttempt: number;
  lastCompletedStartedEventId: number;
  buffered: BufferedEvent[];
  activities: Record<string, ActivityState>;
  timers: Record<string, TimerState>;
  children: Record<string, ChildState>;
  updates: Record<string, UpdateState>;
  cancelRequested: boolean;
  attempt: number;
  newExecutionRunId?: string;
  /** Recent signal request ids, so a retried signal is not delivered twice. */
  signalRequestIds: string[];
}

export const isOpen = (run: Run) => run.status === 'Running';
