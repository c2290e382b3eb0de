import { randomUUID } from 'node:crypto';
import { invalidArgument, notFound } from '../errors.js';
import { Matching } from '../matching.js';
import { duration, msOf, timestamp, type Obj } from '../proto.js';
import { NexusEndpointRegistry } from '../service/nexus-endpoints.js';
import { appendEvent, changeEvent, recordEvent } from './history.js';
import type { EngineHost } from './host.js';
import { isOpen, type ExecutionStatus, type Run } from './types.js';

/**
 * Nexus operations called from workflows, as the real server runs them (components/nexusoperations):
 *
 * - `ScheduleNexusOperation` → NEXUS_OPERATION_SCHEDULED, and a start request offered as a Nexus task
 *   to the endpoint's target task queue (PollNexusTaskQueue), with a request id, the caller's
 *   scheduled event as a link, and a callback (URL + a token header naming the caller run and the
 *   operation) that a workflow-run handler passes on as `completionCallbacks` when it starts its
 *   workflow.
 * - The worker answers with RespondNexusTaskCompleted: a synchronous result (COMPLETED), an async
 *   start with an operation token (STARTED; the outcome comes later through the callback), or an
 *   operation failure (FAILED / CANCELED); or with RespondNexusTaskFailed: a handler error, retried
 *   with backoff while retryable, FAILED when not. An attempt a worker does not answer within the
 *   request timeout is retried too.
 * - The workflow started with a callback closes (its whole chain): the caller gets COMPLETED with its
 *   result, FAILED, or CANCELED, in process, without HTTP.
 * - Schedule-to-close timeout → TIMED_OUT. `RequestCancelNexusOperation` → CANCEL_REQUESTED and a
 *   cancel request to the handler (a workflow-run handler cancels its workflow, whose close then
 *   completes the operation as CANCELED), CANCEL_REQUEST_COMPLETED / _FAILED when it is answered.
 *
 * The state of a caller's operations lives on its run (`nexusOps`, persisted with it); the callbacks
 * of a handler workflow on the run started with them (`nexusCallbacks`).
 */
export interface NexusOpState {
  scheduledEventId: number;
  endpoint: string;
  endpointId: string;
  service: string;
  operation: string;
  input?: Obj;
  header?: Record<string, string>;
  requestId: string;
  scheduledTime: number;
  scheduleToCloseMs: number;
  /** scheduled: a start attempt is queued or in flight; backoff: waiting to retry; started: async, waiting for its completion. */
  state: 'scheduled' | 'backoff' | 'started';
  attempt: number;
  /** The start attempt a worker holds (its request timeout is armed). */
  inFlight?: boolean;
  operationToken?: string;
  lastFailure?: Obj;
  nextAttemptTime?: number;
  cancelRequestedEventId?: number;
  /** Cancel request: waiting for the start, queued or in flight, or answered. */
  cancel?: { state: 'waiting' | 'queued' | 'done'; attempt: number };
}

interface NexusCallback {
  /** Our callback token: names the caller run and the operation. */
  token: string;
  /** The operation token the handler gave the workflow (header `nexus-operation-token`). */
  operationToken?: string;
}

type NexusRun = Run & { nexusOps?: Record<string, NexusOpState>; nexusCallbacks?: NexusCallback[] };

interface CallbackToken {
  ns: string;
  r: string;
  s: number;
  q: string;
}

interface TaskToken {
  k: 'n';
  ns: string;
  r: string;
  s: number;
  a: number;
  c?: 1;
}

/** What the server sends as the callback URL; the completion is delivered in process. */
export const CALLBACK_URL = 'temporal://system';
const CALLBACK_TOKEN_HEADER = 'temporal-callback-token';
const OPERATION_TOKEN_HEADER = 'nexus-operation-token';
/** The real server's default `component.nexusoperations.request.timeout`. */
const REQUEST_TIMEOUT_MS = 10_000;
const RETRY_INITIAL_MS = 1_000;
const RETRY_MAX_MS = 3_600_000;
const WORKFLOW_EVENT_LINK = 'temporal.api.common.v1.Link.WorkflowEvent';

/** Handler error types the real server does not retry (nexus-rpc's `HandlerError.Retryable`). */
const NON_RETRYABLE_TYPES = new Set(['BAD_REQUEST', 'UNAUTHENTICATED', 'UNAUTHORIZED', 'NOT_FOUND', 'NOT_IMPLEMENTED']);

const ops = (run: Run): Record<string, NexusOpState> => ((run as NexusRun).nexusOps ??= {});

function encode(o: unknown): string {
  return Buffer.from(JSON.stringify(o)).toString('base64');
}

function decodeTaskToken(b64: string | undefined): TaskToken {
  if (!b64) throw invalidArgument('task token is empty');
  try {
    const t = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    if (t?.k === 'n') return t as TaskToken;
  } catch {
    // fall through
  }
  throw invalidArgument('not a Nexus task token');
}

const pascal = (type: string) =>
  type
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');

/** A history event as a Nexus link (the URL form the SDKs parse). */
function eventLink(namespace: string, workflowId: string, runId: string, eventId: number, eventType: string): Obj {
  const q = new URLSearchParams({ referenceType: 'EventReference', eventID: String(eventId), eventType: pascal(eventType) });
  const path = `/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}/${encodeURIComponent(runId)}/history`;
  return { url: `temporal://${path}?${q.toString()}`, type: WORKFLOW_EVENT_LINK };
}

/** A Nexus link of a workflow event back into a Temporal link (others are dropped, as the real server does). */
function toTemporalLink(link: Obj): Obj | undefined {
  if (link?.type !== WORKFLOW_EVENT_LINK || typeof link.url !== 'string') return undefined;
  try {
    const url = new URL(link.url);
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (parts[0] !== 'namespaces' || parts[2] !== 'workflows' || parts[5] !== 'history') return undefined;
    const eventType = url.searchParams.get('eventType') ?? '';
    const constant = eventType.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
    return {
      workflowEvent: {
        namespace: parts[1],
        workflowId: parts[3],
        runId: parts[4],
        eventRef: { eventId: url.searchParams.get('eventID') ?? '0', eventType: constant ? `EVENT_TYPE_${constant}` : undefined },
      },
    };
  } catch {
    return undefined;
  }
}

/** A Nexus failure (legacy responses) as a Temporal failure. */
function fromNexusFailure(f: Obj | undefined, fallback: string): Obj {
  return { message: f?.message || fallback, stackTrace: f?.stackTrace, applicationFailureInfo: {} };
}

export class NexusManager {
  readonly tasks: Matching<Obj>;
  readonly endpoints: NexusEndpointRegistry;

  constructor(private readonly engine: EngineHost) {
    this.tasks = new Matching(engine.options.longPollMs);
    this.endpoints = new NexusEndpointRegistry(engine);
  }

  stop(): void {
    this.tasks.stop();
  }

  // ---------------------------------------------------------------- commands

  /**
   * Checks the Nexus commands of a completion before anything is written; a bad one fails the
   * workflow task with the real server's cause and message.
   */
  validateCommands(run: Run, commands: Obj[]): void {
    const fail = (cause: string, message: string) => {
      this.engine.retryWorkflowTask(run, 'WORKFLOW_TASK_FAILED', {
        cause,
        failure: { message, source: 'devserver', applicationFailureInfo: { type: 'BadCommand', nonRetryable: true } },
      });
      throw invalidArgument(message);
    };
    const cancelled = new Set<number>();
    for (const cmd of commands) {
      if (cmd.commandType === 'COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION') {
        const attrs = cmd.scheduleNexusOperationCommandAttributes;
        const bad = 'WORKFLOW_TASK_FAILED_CAUSE_BAD_SCHEDULE_NEXUS_OPERATION_ATTRIBUTES';
        if (!attrs) fail(bad, 'empty ScheduleNexusOperationCommandAttributes');
        if (!this.endpoints.byName(attrs.endpoint ?? '')) fail(bad, `endpoint ${JSON.stringify(attrs.endpoint ?? '')} not found`);
        if ((attrs.service ?? '').length > 1000) fail(bad, 'ScheduleNexusOperationCommandAttributes.Service exceeds length limit of 1000');
        if ((attrs.operation ?? '').length > 1000) fail(bad, 'ScheduleNexusOperationCommandAttributes.Operation exceeds length limit of 1000');
      } else if (cmd.commandType === 'COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION') {
        const bad = 'WORKFLOW_TASK_FAILED_CAUSE_BAD_REQUEST_CANCEL_NEXUS_OPERATION_ATTRIBUTES';
        const attrs = cmd.requestCancelNexusOperationCommandAttributes;
        if (!attrs) fail(bad, 'empty CancelNexusOperationCommandAttributes');
        const id = Number(attrs.scheduledEventId ?? 0);
        const op = ops(run)[String(id)];
        if (!op) fail(bad, `requested cancelation for a non-existing or already completed operation with scheduled event ID of ${id}`);
        if (op!.cancelRequestedEventId || cancelled.has(id)) fail(bad, `cancelation was already requested for an operation with scheduled event ID of ${id}`);
        cancelled.add(id);
      }
    }
  }

  schedule(run: Run, attrs: Obj, completedId: number, userMetadata?: Obj): void {
    const e = this.engine;
    const endpoint = this.endpoints.byName(attrs.endpoint)!;
    const now = e.now();
    // As the real server: the operation's timeout is trimmed to the caller's run timeout.
    let scheduleToCloseMs = msOf(attrs.scheduleToCloseTimeout);
    if (run.runTimeoutMs > 0 && (scheduleToCloseMs === 0 || scheduleToCloseMs > run.runTimeoutMs)) scheduleToCloseMs = run.runTimeoutMs;
    const requestId = randomUUID();
    const scheduledEventId = appendEvent(
      run,
      'NEXUS_OPERATION_SCHEDULED',
      {
        endpoint: attrs.endpoint,
        endpointId: endpoint.id,
        service: attrs.service,
        operation: attrs.operation,
        input: attrs.input,
        scheduleToCloseTimeout: scheduleToCloseMs > 0 ? duration(scheduleToCloseMs) : undefined,
        nexusHeader: attrs.nexusHeader,
        workflowTaskCompletedEventId: String(completedId),
        requestId,
      },
      now,
    );
    if (userMetadata && (userMetadata.summary || userMetadata.details)) changeEvent(run, scheduledEventId - 1, (scheduled) => void (scheduled.userMetadata = userMetadata));
    const op: NexusOpState = {
      scheduledEventId,
      endpoint: attrs.endpoint,
      endpointId: endpoint.id,
      service: attrs.service,
      operation: attrs.operation,
      input: attrs.input,
      header: attrs.nexusHeader,
      requestId,
      scheduledTime: now,
      scheduleToCloseMs,
      state: 'scheduled',
      attempt: 1,
    };
    ops(run)[String(scheduledEventId)] = op;
    this.armTimeout(run, op);
    this.offerStart(run, op);
  }

  requestCancel(run: Run, attrs: Obj, completedId: number): void {
    const e = this.engine;
    const id = Number(attrs.scheduledEventId);
    const op = ops(run)[String(id)];
    const requestedId = appendEvent(
      run,
      'NEXUS_OPERATION_CANCEL_REQUESTED',
      { scheduledEventId: String(id), workflowTaskCompletedEventId: String(completedId) },
      e.now(),
    );
    if (!op) return;
    op.cancelRequestedEventId = requestedId;
    if (op.state === 'started') {
      op.cancel = { state: 'queued', attempt: 1 };
      this.offerCancel(run, op);
    } else if (op.state === 'backoff' || !op.inFlight) {
      // Never reached a handler (waiting to retry, or still queued): nothing to cancel remotely.
      this.finish(run, op, 'NEXUS_OPERATION_CANCELED', {
        failure: this.operationFailure(op, { message: 'operation canceled before it was started', canceledFailureInfo: {} }),
      });
    } else {
      // The start request is with a handler: the cancel follows once it answers with a token.
      op.cancel = { state: 'waiting', attempt: 1 };
    }
  }

  // ---------------------------------------------------------------- tasks

  private current(run: Run, op: NexusOpState): boolean {
    return isOpen(run) && ops(run)[String(op.scheduledEventId)] === op;
  }

  private endpointTarget(op: NexusOpState): { namespace: string; taskQueue: string; name: string } | undefined {
    const ep = this.endpoints.get(op.endpointId) ?? this.endpoints.byName(op.endpoint);
    const w = ep?.target.worker;
    return ep && w ? { namespace: w.namespace, taskQueue: w.taskQueue, name: ep.name } : undefined;
  }

  private offerStart(run: Run, op: NexusOpState): void {
    const e = this.engine;
    const target = this.endpointTarget(op);
    if (!target) {
      // Deleted since (or an external endpoint): the real server fails the operation at once.
      this.finish(run, op, 'NEXUS_OPERATION_FAILED', {
        failure: this.operationFailure(op, { message: 'endpoint not registered', nexusHandlerFailureInfo: { type: 'NOT_FOUND' } }),
      });
      return;
    }
    const attempt = op.attempt;
    this.tasks.offer(e.queueKey(target.namespace, target.taskQueue), () => {
      if (!this.current(run, op) || op.state !== 'scheduled' || op.attempt !== attempt || op.inFlight) return undefined;
      return this.dispatchStart(run, op, target);
    });
  }

  private requestTimeout(op: NexusOpState): number {
    if (op.scheduleToCloseMs <= 0) return REQUEST_TIMEOUT_MS;
    return Math.max(1, Math.min(REQUEST_TIMEOUT_MS, op.scheduledTime + op.scheduleToCloseMs - this.engine.now()));
  }

  private dispatchStart(run: Run, op: NexusOpState, target: { name: string }): Obj {
    const e = this.engine;
    const now = e.now();
    op.inFlight = true;
    const attempt = op.attempt;
    const timeoutMs = this.requestTimeout(op);
    e.at(now + timeoutMs, () => {
      if (this.current(run, op) && op.state === 'scheduled' && op.attempt === attempt && op.inFlight) {
        this.attemptFailed(run, op, { message: 'request timed out', nexusHandlerFailureInfo: { type: 'UPSTREAM_TIMEOUT' } });
      }
    });
    e.touch(run);
    const header: Record<string, string> = { ...(op.header ?? {}), 'request-timeout': `${timeoutMs}ms` };
    if (op.scheduleToCloseMs > 0) header['operation-timeout'] = `${Math.max(0, op.scheduledTime + op.scheduleToCloseMs - now)}ms`;
    const callbackToken: CallbackToken = { ns: run.namespace, r: run.runId, s: op.scheduledEventId, q: op.requestId };
    return {
      taskToken: encode({ k: 'n', ns: run.namespace, r: run.runId, s: op.scheduledEventId, a: attempt } satisfies TaskToken),
      request: {
        header,
        scheduledTime: timestamp(now),
        capabilities: { temporalFailureResponses: true },
        endpoint: target.name,
        startOperation: {
          service: op.service,
          operation: op.operation,
          requestId: op.requestId,
          callback: CALLBACK_URL,
          payload: op.input,
          callbackHeader: { [CALLBACK_TOKEN_HEADER]: encode(callbackToken) },
          links: [eventLink(run.namespace, run.workflowId, run.runId, op.scheduledEventId, 'NEXUS_OPERATION_SCHEDULED')],
        },
      },
    };
  }

  private offerCancel(run: Run, op: NexusOpState): void {
    const e = this.engine;
    const target = this.endpointTarget(op);
    const cancel = op.cancel!;
    if (!target) {
      this.cancelAnswered(run, op, { message: 'endpoint not registered', nexusHandlerFailureInfo: { type: 'NOT_FOUND' } });
      return;
    }
    const attempt = cancel.attempt;
    this.tasks.offer(e.queueKey(target.namespace, target.taskQueue), () => {
      if (!this.current(run, op) || op.cancel !== cancel || cancel.state !== 'queued' || cancel.attempt !== attempt) return undefined;
      const now = e.now();
      const timeoutMs = this.requestTimeout(op);
      e.at(now + timeoutMs, () => {
        if (this.current(run, op) && op.cancel === cancel && cancel.state === 'queued' && cancel.attempt === attempt) this.retryCancel(run, op);
      });
      return {
        taskToken: encode({ k: 'n', ns: run.namespace, r: run.runId, s: op.scheduledEventId, a: attempt, c: 1 } satisfies TaskToken),
        request: {
          header: { 'request-timeout': `${timeoutMs}ms` },
          scheduledTime: timestamp(now),
          capabilities: { temporalFailureResponses: true },
          endpoint: target.name,
          cancelOperation: { service: op.service, operation: op.operation, operationToken: op.operationToken, operationId: op.operationToken },
        },
      };
    });
  }

  private retryCancel(run: Run, op: NexusOpState): void {
    const cancel = op.cancel!;
    cancel.attempt++;
    const at = this.engine.now() + this.backoff(cancel.attempt - 1);
    this.engine.touch(run);
    this.engine.at(at, () => {
      if (this.current(run, op) && op.cancel === cancel && cancel.state === 'queued') this.offerCancel(run, op);
    });
  }

  private backoff(failedAttempt: number): number {
    return Math.min(RETRY_MAX_MS, RETRY_INITIAL_MS * 2 ** Math.max(0, failedAttempt - 1));
  }

  private armTimeout(run: Run, op: NexusOpState): void {
    if (op.scheduleToCloseMs <= 0) return;
    this.engine.at(op.scheduledTime + op.scheduleToCloseMs, () => {
      if (!this.current(run, op)) return;
      this.finish(run, op, 'NEXUS_OPERATION_TIMED_OUT', {
        failure: this.operationFailure(op, { message: 'operation timed out', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_SCHEDULE_TO_CLOSE' } }),
      });
    });
  }

  /** A retryable failure of a start attempt: backoff, then the next attempt (until schedule-to-close). */
  private attemptFailed(run: Run, op: NexusOpState, failure: Obj): void {
    const e = this.engine;
    op.inFlight = false;
    op.lastFailure = failure;
    op.state = 'backoff';
    const wait = this.backoff(op.attempt);
    op.attempt++;
    op.nextAttemptTime = e.now() + wait;
    e.touch(run);
    const attempt = op.attempt;
    e.at(op.nextAttemptTime, () => {
      if (!this.current(run, op) || op.state !== 'backoff' || op.attempt !== attempt) return;
      op.state = 'scheduled';
      op.nextAttemptTime = undefined;
      e.touch(run);
      this.offerStart(run, op);
    });
  }

  /** The failure of the real server's FAILED / CANCELED / TIMED_OUT events: the cause wrapped in NexusOperationFailureInfo. */
  private operationFailure(op: NexusOpState, cause: Obj): Obj {
    return {
      message: 'nexus operation completed unsuccessfully',
      nexusOperationExecutionFailureInfo: {
        scheduledEventId: String(op.scheduledEventId),
        endpoint: op.endpoint,
        service: op.service,
        operation: op.operation,
        operationToken: op.operationToken ?? '',
        operationId: op.operationToken ?? '',
      },
      cause,
    };
  }

  /** Writes an event of the operation (buffered while a workflow task is out) and asks for a workflow task. */
  private write(run: Run, type: string, attrs: Obj, extra?: { links?: Obj[]; workerMayIgnore?: boolean }): void {
    const e = this.engine;
    const id = recordEvent(run, { type, attrs, time: e.now() });
    if (id !== undefined && extra) {
      changeEvent(run, id - 1, (ev) => {
        if (extra.links?.length) ev.links = extra.links;
        if (extra.workerMayIgnore) ev.workerMayIgnore = true;
      });
    }
    e.scheduleWorkflowTask(run);
    e.touch(run);
  }

  /** The operation's terminal event; it is no longer pending. */
  private finish(run: Run, op: NexusOpState, type: string, attrs: Obj, links?: Obj[]): void {
    delete ops(run)[String(op.scheduledEventId)];
    this.write(run, type, { scheduledEventId: String(op.scheduledEventId), requestId: op.requestId, ...attrs }, { links });
  }

  private started(run: Run, op: NexusOpState, token: string, links?: Obj[]): void {
    op.state = 'started';
    op.inFlight = false;
    op.operationToken = token;
    this.write(run, 'NEXUS_OPERATION_STARTED', { scheduledEventId: String(op.scheduledEventId), operationToken: token, operationId: token, requestId: op.requestId }, { links });
    if (op.cancel?.state === 'waiting') {
      op.cancel.state = 'queued';
      this.offerCancel(run, op);
    }
  }

  private lookup(token: TaskToken): { run: Run; op: NexusOpState } {
    const run = this.engine.runs.get(token.r);
    const op = run && run.namespace === token.ns && isOpen(run) ? ops(run)[String(token.s)] : undefined;
    if (!run || !op) throw notFound('Nexus task not found or already expired');
    return { run, op };
  }

  /** RespondNexusTaskCompleted. */
  completed(req: Obj): Obj {
    const token = decodeTaskToken(req.taskToken);
    const { run, op } = this.lookup(token);
    const response: Obj = req.response ?? {};
    if (token.c) {
      if (!op.cancel || op.cancel.state !== 'queued' || op.cancel.attempt !== token.a) throw notFound('Nexus task not found or already expired');
      this.cancelAnswered(run, op);
      return {};
    }
    if (op.state !== 'scheduled' || op.attempt !== token.a || !op.inFlight) throw notFound('Nexus task not found or already expired');
    const start: Obj = response.startOperation ?? {};
    const links = (list: Obj[] | undefined) => (list ?? []).map(toTemporalLink).filter((l): l is Obj => !!l);
    if (start.syncSuccess) {
      this.finish(run, op, 'NEXUS_OPERATION_COMPLETED', { result: start.syncSuccess.payload }, links(start.syncSuccess.links));
    } else if (start.asyncSuccess) {
      const opToken = start.asyncSuccess.operationToken || start.asyncSuccess.operationId || '';
      if (!opToken) throw invalidArgument('operation token not set on an async start response');
      this.started(run, op, opToken, links(start.asyncSuccess.links));
    } else if (start.failure) {
      const canceled = !!start.failure.canceledFailureInfo;
      this.finish(run, op, canceled ? 'NEXUS_OPERATION_CANCELED' : 'NEXUS_OPERATION_FAILED', { failure: this.operationFailure(op, start.failure) });
    } else if (start.operationError) {
      const canceled = start.operationError.operationState === 'canceled';
      const cause = fromNexusFailure(start.operationError.failure, `operation ${canceled ? 'canceled' : 'failed'}`);
      if (canceled) {
        delete cause.applicationFailureInfo;
        cause.canceledFailureInfo = {};
      }
      this.finish(run, op, canceled ? 'NEXUS_OPERATION_CANCELED' : 'NEXUS_OPERATION_FAILED', { failure: this.operationFailure(op, cause) });
    } else {
      throw invalidArgument('Nexus response has no start operation outcome');
    }
    return {};
  }

  /** RespondNexusTaskFailed: a handler error, retried unless the handler said it is not retryable. */
  failed(req: Obj): Obj {
    const token = decodeTaskToken(req.taskToken);
    const { run, op } = this.lookup(token);
    let failure: Obj;
    let type: string;
    let behavior: string | undefined;
    if (req.failure) {
      failure = req.failure;
      type = req.failure.nexusHandlerFailureInfo?.type ?? 'INTERNAL';
      behavior = req.failure.nexusHandlerFailureInfo?.retryBehavior;
    } else {
      const err: Obj = req.error ?? {};
      type = err.errorType || 'INTERNAL';
      behavior = err.retryBehavior;
      failure = { message: err.failure?.message ?? '', nexusHandlerFailureInfo: { type, retryBehavior: behavior }, cause: err.failure ? fromNexusFailure(err.failure, '') : undefined };
    }
    const retryable =
      behavior === 'NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_RETRYABLE' ? true : behavior === 'NEXUS_HANDLER_ERROR_RETRY_BEHAVIOR_NON_RETRYABLE' ? false : !NON_RETRYABLE_TYPES.has(type);
    if (token.c) {
      if (!op.cancel || op.cancel.state !== 'queued' || op.cancel.attempt !== token.a) throw notFound('Nexus task not found or already expired');
      if (retryable) this.retryCancel(run, op);
      else this.cancelAnswered(run, op, failure);
      return {};
    }
    if (op.state !== 'scheduled' || op.attempt !== token.a || !op.inFlight) throw notFound('Nexus task not found or already expired');
    if (retryable) this.attemptFailed(run, op, failure);
    else this.finish(run, op, 'NEXUS_OPERATION_FAILED', { failure: this.operationFailure(op, failure) });
    return {};
  }

  private cancelAnswered(run: Run, op: NexusOpState, failure?: Obj): void {
    op.cancel = { state: 'done', attempt: op.cancel?.attempt ?? 1 };
    const common = { scheduledEventId: String(op.scheduledEventId), requestedEventId: String(op.cancelRequestedEventId ?? 0) };
    if (failure) this.write(run, 'NEXUS_OPERATION_CANCEL_REQUEST_FAILED', { ...common, failure }, { workerMayIgnore: true });
    else this.write(run, 'NEXUS_OPERATION_CANCEL_REQUEST_COMPLETED', common, { workerMayIgnore: true });
  }

  // ---------------------------------------------------------------- handler workflows (completion callbacks)

  /**
   * StartWorkflowExecution of a workflow-run handler: keeps its `completionCallbacks` that point
   * back at one of our operations, writes the request's links on the started event, and answers
   * the started event as the response link.
   */
  onWorkflowStart(run: Run, req: Obj, created: boolean): Obj {
    const callbacks: Obj[] = req.completionCallbacks ?? [];
    const attach = created || !!req.onConflictOptions?.attachCompletionCallbacks;
    if (attach && isOpen(run)) {
      for (const cb of callbacks) {
        const header: Record<string, string> = {};
        for (const [k, v] of Object.entries((cb.nexus?.header ?? {}) as Record<string, string>)) header[k.toLowerCase()] = v;
        const token = header[CALLBACK_TOKEN_HEADER];
        if (cb.nexus?.url !== CALLBACK_URL || !token) continue;
        const list = ((run as NexusRun).nexusCallbacks ??= []);
        if (!list.some((c) => c.token === token)) list.push({ token, operationToken: header[OPERATION_TOKEN_HEADER] });
        this.engine.touch(run);
      }
    }
    // Re-encoded in new bytes: a first task already out (a poller was waiting) keeps what it was sent.
    if (created && req.links?.length) changeEvent(run, 0, (started) => void (started.links = req.links));
    if (!callbacks.length) return {};
    return {
      link: {
        workflowEvent: {
          namespace: run.namespace,
          workflowId: run.workflowId,
          runId: run.runId,
          eventRef: { eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' },
        },
      },
    };
  }

  /** Engine.closeRun: a caller's pending operations end with it; a handler chain's close completes its operations. */
  onRunClosed(run: Run, status: ExecutionStatus, chainContinues: boolean): void {
    if ((run as NexusRun).nexusOps && Object.keys((run as NexusRun).nexusOps!).length) (run as NexusRun).nexusOps = {};
    if (chainContinues) return;
    const first = this.engine.runs.get(run.firstExecutionRunId) as NexusRun | undefined;
    const callbacks = [...((run as NexusRun).nexusCallbacks ?? []), ...(first && first !== run ? (first.nexusCallbacks ?? []) : [])];
    for (const cb of callbacks) this.deliver(run, status, cb);
  }

  private deliver(handler: Run, status: ExecutionStatus, cb: NexusCallback): void {
    let token: CallbackToken;
    try {
      token = JSON.parse(Buffer.from(cb.token, 'base64').toString('utf8')) as CallbackToken;
    } catch {
      return;
    }
    const caller = this.engine.runs.get(token.r);
    const op = caller && isOpen(caller) ? ops(caller)[String(token.s)] : undefined;
    if (!caller || !op || op.requestId !== token.q) return;
    // The workflow may close before its start was recorded (the handler's answer still on its way).
    if (op.state !== 'started') this.started(caller, op, cb.operationToken ?? op.operationToken ?? '');
    const close = handler.history.last() ?? {};
    switch (status) {
      case 'Completed':
        this.finish(caller, op, 'NEXUS_OPERATION_COMPLETED', { result: close.workflowExecutionCompletedEventAttributes?.result?.payloads?.[0] });
        return;
      case 'Failed':
        this.finish(caller, op, 'NEXUS_OPERATION_FAILED', { failure: this.operationFailure(op, close.workflowExecutionFailedEventAttributes?.failure ?? { message: 'workflow failed' }) });
        return;
      case 'Canceled':
        this.finish(caller, op, 'NEXUS_OPERATION_CANCELED', {
          failure: this.operationFailure(op, { message: 'operation canceled', canceledFailureInfo: { details: close.workflowExecutionCanceledEventAttributes?.details } }),
        });
        return;
      case 'Terminated':
        this.finish(caller, op, 'NEXUS_OPERATION_FAILED', { failure: this.operationFailure(op, { message: 'operation terminated', terminatedFailureInfo: {} }) });
        return;
      case 'TimedOut':
        this.finish(caller, op, 'NEXUS_OPERATION_FAILED', {
          failure: this.operationFailure(op, { message: 'operation exceeded internal timeout', timeoutFailureInfo: { timeoutType: 'TIMEOUT_TYPE_START_TO_CLOSE' } }),
        });
        return;
      default:
        return;
    }
  }

  // ---------------------------------------------------------------- restart

  /** Does the run have Nexus operations that have not ended (Engine.rearm: a run with some is written again)? */
  hasOperations(run: Run): boolean {
    return Object.keys((run as NexusRun).nexusOps ?? {}).length > 0;
  }

  /** After a restart: timeouts armed again, start and cancel requests offered again (what a worker held is lost). */
  rearm(run: Run): void {
    for (const op of Object.values((run as NexusRun).nexusOps ?? {})) {
      this.armTimeout(run, op);
      if (op.state === 'backoff') {
        op.state = 'scheduled';
        op.nextAttemptTime = undefined;
      }
      if (op.state === 'scheduled') {
        op.inFlight = false;
        if (op.cancel?.state === 'waiting') {
          // Its start was in flight when the server stopped: nothing reached a handler that we know of.
          this.finish(run, op, 'NEXUS_OPERATION_CANCELED', {
            failure: this.operationFailure(op, { message: 'operation canceled before it was started', canceledFailureInfo: {} }),
          });
          continue;
        }
        this.offerStart(run, op);
      } else if (op.cancel?.state === 'queued') {
        this.offerCancel(run, op);
      }
    }
  }
}
