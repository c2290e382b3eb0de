import { notFound } from '../errors.js';
import { timestamp, type Obj } from '../proto.js';
import {
  decideRetry,
  normaliseActivityTimeouts,
  normaliseRetryPolicy,
  retryPolicyToProto,
  timeoutsToProto,
  type RetryState,
} from './activity-rules.js';
import { appendEvent } from './history.js';
import type { EngineHost } from './host.js';
import { encodeToken } from './tokens.js';
import { isOpen, type ActivityState, type Run } from './types.js';

type TimeoutType = 'TIMEOUT_TYPE_SCHEDULE_TO_START' | 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE' | 'TIMEOUT_TYPE_START_TO_CLOSE' | 'TIMEOUT_TYPE_HEARTBEAT';

/**
 * The attempts of an activity, whoever owns it (`O`): dispatch, the four timeouts, server-side
 * retries, heartbeats and cancellation. A workflow's activities (`ActivityManager`, owner: the run)
 * and standalone activities (engine/standalone-activities.ts, owner: the activity execution) differ
 * only in the hooks below: where the activity is kept, what the task says of its owner, and how its
 * end is recorded.
 */
export abstract class ActivityAttempts<O> {
  constructor(protected readonly engine: EngineHost) {}

  /** Namespace whose task queue the activity's tasks go to. */
  protected abstract namespaceOf(owner: O): string;
  /** Whether `act` is still pending under its owner. */
  protected abstract holds(owner: O, act: ActivityState): boolean;
  /** The owner changed: persist it (and re-count its time-skipping locks). */
  protected abstract touchOwner(owner: O): void;
  /** Task token and owner fields (workflow execution, activity run id) of the poll response. */
  protected abstract taskFields(owner: O, act: ActivityState, attempt: number): Obj;
  /** Ends the activity: `type` is ACTIVITY_TASK_COMPLETED / _FAILED / _CANCELED / _TIMED_OUT with its attributes. */
  protected abstract close(owner: O, act: ActivityState, type: string, attrs: Obj): void;

  /**
   * Arms a new (or restored) activity: schedule-to-close, then its backoff or its offer to pollers.
   * `eager`: a new activity kept off the task queue, to be handed to the worker that scheduled it
   * (`startEagerly`) once the rest of its workflow task's commands are applied.
   */
  protected arm(run: O, act: ActivityState, eager = false): void {
    this.armScheduleToClose(run, act);
    if (act.state === 'backoff') this.armRetry(run, act);
    else {
      act.state = 'scheduled';
      if (!eager) this.enqueue(run, act);
    }
  }

  /**
   * Eager activity dispatch: the first attempt goes to the worker that completed the workflow task
   * scheduling it (`identity`), in the completion's response, instead of through the task queue —
   * one poll round trip less. Undefined when the same completion cancelled it or closed its owner.
   */
  protected startEagerly(run: O, act: ActivityState, identity: string): Obj | undefined {
    if (this.current(run, act)?.state !== 'scheduled') return undefined;
    return this.dispatch(run, act, identity);
  }

  /** Offers the current attempt to pollers; also arms its schedule-to-start timeout. */
  protected enqueue(run: O, act: ActivityState): void {
    const e = this.engine;
    const attempt = act.attempt;
    if (act.timeouts.scheduleToStartMs > 0) {
      e.at(act.attemptScheduledTime + act.timeouts.scheduleToStartMs, () => {
        if (this.current(run, act, attempt)?.state === 'scheduled') this.finalTimeout(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_START');
      });
    }
    e.activityTasks.offer(e.queueKey(this.namespaceOf(run), act.taskQueue), (identity) => {
      if (this.current(run, act, attempt)?.state !== 'scheduled') return undefined;
      return this.dispatch(run, act, identity);
    });
  }

  private armScheduleToClose(run: O, act: ActivityState): void {
    if (act.timeouts.scheduleToCloseMs <= 0) return;
    this.engine.at(act.scheduledTime + act.timeouts.scheduleToCloseMs, () => {
      if (this.current(run, act)) this.finalTimeout(run, act, 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE');
    });
  }

  /** The activity if it is still pending (and, when given, still on that attempt). */
  protected current(run: O, act: ActivityState, attempt?: number): ActivityState | undefined {
    if (!this.holds(run, act)) return undefined;
    if (attempt !== undefined && act.attempt !== attempt) return undefined;
    return act;
  }

  private dispatch(run: O, act: ActivityState, identity: string): Obj {
    const e = this.engine;
    const now = e.now();
    act.state = 'started';
    act.startedTime = now;
    act.identity = identity;
    act.lastHeartbeatTime = undefined;
    const attempt = act.attempt;
    if (act.timeouts.startToCloseMs > 0) {
      e.at(now + act.timeouts.startToCloseMs, () => {
        if (this.current(run, act, attempt)?.state === 'started') this.attemptTimedOut(run, act, 'TIMEOUT_TYPE_START_TO_CLOSE');
      });
    }
    this.armHeartbeat(run, act);
    this.touchOwner(run);
    return {
      ...this.taskFields(run, act, attempt),
      activityType: { name: act.activityType },
      activityId: act.activityId,
      header: act.header,
      input: act.input,
      heartbeatDetails: act.heartbeatDetails,
      scheduledTime: timestamp(act.scheduledTime),
      currentAttemptScheduledTime: timestamp(act.attemptScheduledTime),
      startedTime: timestamp(now),
      attempt,
      ...timeoutsToProto(act.timeouts),
      retryPolicy: retryPolicyToProto(act.retryPolicy),
      priority: act.priority,
    };
  }

  /** The heartbeat timeout counts from the start of the attempt or the last heartbeat. */
  private armHeartbeat(run: O, act: ActivityState): void {
    const hb = act.timeouts.heartbeatMs;
    if (hb <= 0 || (act.timeouts.startToCloseMs > 0 && hb >= act.timeouts.startToCloseMs)) return;
    const generation = ++act.heartbeatGeneration;
    const attempt = act.attempt;
    const from = act.lastHeartbeatTime ?? act.startedTime ?? this.engine.now();
    this.engine.at(from + hb, () => {
      if (this.current(run, act, attempt)?.state === 'started' && act.heartbeatGeneration === generation) {
        this.attemptTimedOut(run, act, 'TIMEOUT_TYPE_HEARTBEAT');
      }
    });
  }

  // ------------------------------------------------------------- worker responses

  completed(run: O, act: ActivityState, result: Obj | undefined, identity: string | undefined): void {
    this.close(run, act, 'ACTIVITY_TASK_COMPLETED', { result, identity });
  }

  failed(run: O, act: ActivityState, failure: Obj | undefined, identity: string | undefined, lastHeartbeatDetails?: Obj): void {
    if (lastHeartbeatDetails) act.heartbeatDetails = lastHeartbeatDetails;
    act.identity = identity ?? act.identity;
    const decision = this.decide(act, failure);
    if (decision.state === 'RETRY_STATE_IN_PROGRESS') return this.retryLater(run, act, failure, decision.backoffMs);
    this.close(run, act, 'ACTIVITY_TASK_FAILED', { failure, identity, retryState: decision.state });
  }

  canceled(run: O, act: ActivityState, details: Obj | undefined, identity: string | undefined): void {
    this.close(run, act, 'ACTIVITY_TASK_CANCELED', {
      details,
      identity,
      latestCancelRequestedEventId: String(act.latestCancelRequestedEventId ?? 0),
    });
  }

  heartbeat(run: O, act: ActivityState, details: Obj | undefined): Obj {
    if (details) act.heartbeatDetails = details;
    act.lastHeartbeatTime = this.engine.now();
    this.armHeartbeat(run, act);
    this.touchOwner(run);
    return { cancelRequested: !!act.cancelRequested, activityPaused: false, activityReset: false };
  }

  // ------------------------------------------------------------- retries and timeouts

  private decide(act: ActivityState, failure: Obj | undefined) {
    return decideRetry({
      policy: act.retryPolicy,
      attempt: act.attempt,
      failure,
      now: this.engine.now(),
      scheduledTime: act.scheduledTime,
      scheduleToCloseMs: act.timeouts.scheduleToCloseMs,
    });
  }

  private retryLater(run: O, act: ActivityState, failure: Obj | undefined, backoffMs: number): void {
    const e = this.engine;
    // The workflow asked for cancellation and is waiting for it: a failed attempt ends the activity as cancelled.
    if (act.cancelRequested) return this.canceled(run, act, undefined, act.identity);
    const now = e.now();
    act.lastFailure = failure;
    act.lastAttemptCompleteTime = now;
    act.state = 'backoff';
    act.attempt += 1;
    act.attemptScheduledTime = now + backoffMs;
    this.touchOwner(run);
    this.armRetry(run, act);
  }

  private armRetry(run: O, act: ActivityState): void {
    const attempt = act.attempt;
    this.engine.at(act.attemptScheduledTime, () => {
      if (this.current(run, act, attempt)?.state !== 'backoff') return;
      act.state = 'scheduled';
      this.touchOwner(run);
      this.enqueue(run, act);
    });
  }

  /** Start-to-close and heartbeat timeouts end one attempt; the retry policy decides what follows. */
  private attemptTimedOut(run: O, act: ActivityState, timeoutType: TimeoutType): void {
    const failure = this.timeoutFailure(act, timeoutType);
    const decision = this.decide(act, failure);
    if (decision.state === 'RETRY_STATE_IN_PROGRESS') return this.retryLater(run, act, failure, decision.backoffMs);
    this.close(run, act, 'ACTIVITY_TASK_TIMED_OUT', { failure, retryState: decision.state });
  }

  /** Schedule-to-start and schedule-to-close timeouts are final. */
  private finalTimeout(run: O, act: ActivityState, timeoutType: TimeoutType): void {
    const failure = this.timeoutFailure(act, timeoutType);
    this.close(run, act, 'ACTIVITY_TASK_TIMED_OUT', { failure, retryState: 'RETRY_STATE_TIMEOUT' satisfies RetryState });
  }

  private timeoutFailure(act: ActivityState, timeoutType: TimeoutType): Obj {
    const name = timeoutType.replace('TIMEOUT_TYPE_', '').toLowerCase().replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
    return {
      message: `activity ${name[0]!.toUpperCase()}${name.slice(1)} timeout`,
      source: 'Server',
      timeoutFailureInfo: { timeoutType, lastHeartbeatDetails: act.heartbeatDetails },
      cause: act.lastFailure,
    };
  }
}

/**
 * A workflow's activity tasks. No history event is written when an attempt starts;
 * `ActivityTaskStarted` is written (with the final attempt) together with the terminal event, as
 * the real server does.
 */
export class ActivityManager extends ActivityAttempts<Run> {
  protected namespaceOf(run: Run): string {
    return run.namespace;
  }

  protected holds(run: Run, act: ActivityState): boolean {
    return isOpen(run) && run.activities[String(act.scheduledEventId)] === act;
  }

  protected touchOwner(run: Run): void {
    this.engine.touch(run);
  }

  protected taskFields(run: Run, act: ActivityState, attempt: number): Obj {
    return {
      taskToken: encodeToken({ k: 'a', ns: run.namespace, r: run.runId, s: act.scheduledEventId, a: attempt }),
      workflowNamespace: run.namespace,
      workflowType: { name: run.workflowType },
      workflowExecution: { workflowId: run.workflowId, runId: run.runId },
    };
  }

  /**
   * The ScheduleActivityTask command: its event and its first attempt. With `eager` the attempt is
   * kept for `handOver` instead of being offered to pollers.
   */
  schedule(run: Run, attrs: Obj, completedId: number, eager = false): ActivityState {
    const e = this.engine;
    const timeouts = normaliseActivityTimeouts(attrs, run.runTimeoutMs);
    const retryPolicy = normaliseRetryPolicy(attrs.retryPolicy);
    const taskQueue = attrs.taskQueue?.name || run.taskQueue;
    const now = e.now();
    const scheduledEventId = appendEvent(
      run,
      'ACTIVITY_TASK_SCHEDULED',
      {
        activityId: attrs.activityId,
        activityType: attrs.activityType,
        taskQueue: { name: taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        header: attrs.header,
        input: attrs.input,
        ...timeoutsToProto(timeouts),
        workflowTaskCompletedEventId: String(completedId),
        retryPolicy: retryPolicyToProto(retryPolicy),
        priority: attrs.priority,
      },
      now,
    );
    const act: ActivityState = {
      scheduledEventId,
      activityId: attrs.activityId,
      activityType: attrs.activityType.name,
      taskQueue,
      input: attrs.input,
      header: attrs.header,
      priority: attrs.priority,
      timeouts,
      retryPolicy,
      attempt: 1,
      scheduledTime: now,
      attemptScheduledTime: now,
      state: 'scheduled',
      heartbeatGeneration: 0,
    };
    run.activities[String(scheduledEventId)] = act;
    this.arm(run, act, eager);
    return act;
  }

  /** The activity tasks of `eager` (scheduled by one completion) for the worker that sent it, as its response carries them. */
  handOver(run: Run, eager: ActivityState[], identity: string): Obj[] {
    return eager.map((act) => this.startEagerly(run, act, identity)).filter((task): task is Obj => task !== undefined);
  }

  /** Activities kept for eager dispatch whose completion failed before handing them over: offered to pollers after all. */
  release(run: Run, eager: ActivityState[]): void {
    for (const act of eager) if (this.current(run, act)?.state === 'scheduled') this.enqueue(run, act);
  }

  /** Validates an activity task token: the attempt must still be the one in flight. */
  lookup(namespace: string, runId: string, scheduledEventId: number, attempt: number): { run: Run; act: ActivityState } {
    const run = this.engine.runs.get(runId);
    const act = run?.activities[String(scheduledEventId)];
    if (!run || run.namespace !== namespace || !isOpen(run) || !act || act.attempt !== attempt || act.state === 'backoff') {
      throw notFound('activity task not found (it completed, timed out, was cancelled, or its workflow closed)');
    }
    return { run, act };
  }

  /** REQUEST_CANCEL_ACTIVITY_TASK: an activity no worker holds is cancelled at once; a running one learns it through its heartbeat. */
  requestCancel(run: Run, scheduledEventId: number, completedId: number, identity: string | undefined): boolean {
    const cancelRequestedId = appendEvent(
      run,
      'ACTIVITY_TASK_CANCEL_REQUESTED',
      { scheduledEventId: String(scheduledEventId), workflowTaskCompletedEventId: String(completedId) },
      this.engine.now(),
    );
    const act = run.activities[String(scheduledEventId)];
    if (!act) return false;
    act.latestCancelRequestedEventId = cancelRequestedId;
    if (act.state === 'started') {
      act.cancelRequested = true;
      return false;
    }
    delete run.activities[String(scheduledEventId)];
    this.engine.addEvent(run, 'ACTIVITY_TASK_CANCELED', {
      scheduledEventId: String(scheduledEventId),
      startedEventId: '0',
      latestCancelRequestedEventId: String(cancelRequestedId),
      identity,
    });
    return true;
  }

  /** Writes Started (if an attempt ever started) and the terminal event, and wakes the workflow. */
  protected close(run: Run, act: ActivityState, type: string, attrs: Obj): void {
    const e = this.engine;
    delete run.activities[String(act.scheduledEventId)];
    const everStarted = act.startedTime !== undefined;
    const terminal = {
      type,
      attrs: { ...attrs, scheduledEventId: String(act.scheduledEventId), startedEventId: everStarted ? undefined : '0' },
      link: everStarted ? ('prev' as const) : undefined,
    };
    // Started and the result are written together: a workflow task scheduled between them would
    // separate the pair (and point the result's startedEventId at the wrong event).
    const started = {
      type: 'ACTIVITY_TASK_STARTED',
      attrs: {
        scheduledEventId: String(act.scheduledEventId),
        identity: act.identity,
        requestId: `${run.runId}/${act.scheduledEventId}/${act.attempt}`,
        attempt: act.attempt,
        lastFailure: act.lastFailure,
      },
    };
    e.addEvents(run, everStarted ? [started, terminal] : [terminal]);
  }

  /** After a restart: attempts that were out with a worker are offered again (same attempt, same token). */
  rearm(run: Run): void {
    for (const act of Object.values(run.activities)) this.arm(run, act);
  }
}
