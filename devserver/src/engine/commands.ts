import { invalidArgument, RpcError, Code } from '../errors.js';
import { msOf, type Obj } from '../proto.js';
import { normaliseActivityTimeouts, normaliseRetryPolicy } from './activity-rules.js';
import { appendEvent } from './history.js';
import type { EngineHost } from './host.js';
import { isOpen, type ActivityState, type Run, type TimerState } from './types.js';

const CLOSING = new Set([
  'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION',
  'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION',
]);

/** `COMMAND_TYPE_START_TIMER` → `startTimerCommandAttributes`. */
function attrsOf(cmd: Obj): Obj {
  const type = String(cmd.commandType).replace(/^COMMAND_TYPE_/, '');
  const key = type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) + 'CommandAttributes';
  return cmd[key] ?? {};
}

/**
 * Turns a workflow task completion into history: `WorkflowTaskCompleted`, then one event per
 * command in command order (echoing the identifying fields core checks on replay), then what the
 * protocol messages say, then the events buffered while the task was out.
 */
export class CommandProcessor {
  constructor(private readonly engine: EngineHost) {}

  complete(run: Run, req: Obj): Obj {
    const e = this.engine;
    const commands: Obj[] = req.commands ?? [];
    const messages: Obj[] = req.messages ?? [];
    const closingIndex = commands.findIndex((c) => CLOSING.has(c.commandType));
    e.nexus?.validateCommands(run, commands);
    this.validate(run, commands);

    if (closingIndex >= 0) {
      if (closingIndex !== commands.length - 1) {
        this.failTask(run, 'WORKFLOW_TASK_FAILED_CAUSE_BAD_COMMAND', 'a workflow-closing command must be the last command');
        throw invalidArgument('a workflow-closing command must be the last command');
      }
      // New events (or updates no worker has seen) arrived while the task was out: the workflow
      // must see them before it may close. Core recognises this exact message and retries quietly.
      // (A timer this completion cancels does not count: its buffered fire is dropped below.)
      const cancelled = new Set(commands.filter((c) => c.commandType === 'COMMAND_TYPE_CANCEL_TIMER').map((c) => attrsOf(c).timerId));
      const unseen = run.buffered.filter((b) => !(b.type === 'TIMER_FIRED' && cancelled.has(b.attrs.timerId)));
      if (unseen.length > 0 || e.updates.hasUndelivered(run)) {
        e.retryWorkflowTask(run, 'WORKFLOW_TASK_FAILED', { cause: 'WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND', identity: req.identity }, true);
        throw new RpcError(Code.INVALID_ARGUMENT, 'UnhandledCommand');
      }
    }

    const wft = run.wft!;
    const completedId = appendEvent(
      run,
      'WORKFLOW_TASK_COMPLETED',
      {
        scheduledEventId: String(wft.scheduledEventId),
        startedEventId: String(wft.startedEventId),
        identity: req.identity,
        binaryChecksum: req.binaryChecksum,
        sdkMetadata: req.sdkMetadata,
        meteringMetadata: req.meteringMetadata,
      },
      e.now(),
    );
    // Completed from here on: a command below that closes the run hands the queries waiting on it
    // to a worker at once (closeRun), and their full history must say this task was completed, or
    // the worker's core replays it as new work and fails a patch marker recorded in it.
    run.lastCompletedStartedEventId = wft.startedEventId!;
    const messagesById = new Map(messages.map((m) => [m.id as string, m]));
    const usedMessages = new Set<string>();
    let needsAnother = !!req.forceCreateNewWorkflowTask;
    const eager: ActivityState[] = [];
    try {
      for (const cmd of commands) {
        if (!isOpen(run)) break;
        if (cmd.commandType === 'COMMAND_TYPE_PROTOCOL_MESSAGE') {
          const id = attrsOf(cmd).messageId;
          const msg = messagesById.get(id);
          if (msg) {
            usedMessages.add(id);
            e.updates.onMessage(run, msg, completedId);
          }
          continue;
        }
        needsAnother = this.apply(run, cmd, completedId, req.identity, eager) || needsAnother;
      }
      // Rejections travel without a command; they write no event.
      for (const msg of messages) if (!usedMessages.has(msg.id) && isOpen(run)) e.updates.onMessage(run, msg, completedId);
      e.finishWorkflowTask(run, wft.startedEventId!, needsAnother);
      // After every command: one cancelled by a later command of the same completion is not handed over.
      const activityTasks = e.activities.handOver(run, eager, req.identity ?? '');
      return activityTasks.length ? { activityTasks } : {};
    } catch (err) {
      // Whatever was kept for the worker and not handed over goes to the task queue after all.
      e.activities.release(run, eager);
      throw err;
    }
  }

  /** Reject a malformed completion before anything is written (the real server fails the task with a BAD_* cause). */
  private validate(run: Run, commands: Obj[]): void {
    const ns = this.engine.namespace(run.namespace);
    for (const cmd of commands) {
      const attrs = attrsOf(cmd);
      try {
        switch (cmd.commandType) {
          case 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK':
            if (!attrs.activityId) throw invalidArgument('ActivityId is not set on ScheduleActivityTaskCommand.');
            if (!attrs.activityType?.name) throw invalidArgument('ActivityType is not set on ScheduleActivityTaskCommand.');
            normaliseActivityTimeouts(attrs, run.runTimeoutMs);
            normaliseRetryPolicy(attrs.retryPolicy);
            break;
          case 'COMMAND_TYPE_START_TIMER':
            if (!attrs.timerId) throw invalidArgument('TimerId is not set on StartTimerCommand.');
            if (msOf(attrs.startToFireTimeout) <= 0) throw invalidArgument('A valid StartToFireTimeout is not set on StartTimerCommand.');
            break;
          case 'COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES':
            ns.registry.validate(attrs.searchAttributes?.indexedFields ?? {});
            break;
          case 'COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION':
            if (!attrs.workflowId) throw invalidArgument('WorkflowId is not set on StartChildWorkflowExecutionCommand.');
            if (!attrs.workflowType?.name) throw invalidArgument('WorkflowType is not set on StartChildWorkflowExecutionCommand.');
            if (attrs.searchAttributes?.indexedFields) ns.registry.validate(attrs.searchAttributes.indexedFields);
            break;
          case 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK':
          case 'COMMAND_TYPE_CANCEL_TIMER':
          case 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION':
          case 'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION':
          case 'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION':
          case 'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION':
          case 'COMMAND_TYPE_RECORD_MARKER':
          case 'COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES':
          case 'COMMAND_TYPE_PROTOCOL_MESSAGE':
          case 'COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION':
          case 'COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION':
            break;
          case 'COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION':
          case 'COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION':
            if (!this.engine.nexus) throw invalidArgument(`command ${cmd.commandType} is not supported by this development server`);
            break; // checked by e.nexus.validateCommands (engine/nexus.ts)
          default:
            throw invalidArgument(`command ${cmd.commandType} is not supported by this development server`);
        }
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.failTask(run, 'WORKFLOW_TASK_FAILED_CAUSE_BAD_COMMAND', message);
        throw invalidArgument(message);
      }
    }
  }

  private failTask(run: Run, cause: string, message: string): void {
    this.engine.retryWorkflowTask(run, 'WORKFLOW_TASK_FAILED', {
      cause,
      failure: { message, source: 'devserver', applicationFailureInfo: { type: 'BadCommand', nonRetryable: true } },
    });
  }

  /** Writes the command's event and carries out its effect; returns true if a new workflow task is needed at once. */
  private apply(run: Run, cmd: Obj, completedId: number, identity: string | undefined, eager: ActivityState[]): boolean {
    const e = this.engine;
    const attrs = attrsOf(cmd);
    const now = e.now();
    const wftCompleted = String(completedId);
    switch (cmd.commandType) {
      case 'COMMAND_TYPE_SCHEDULE_ACTIVITY_TASK': {
        // The worker asks for it only when it has reserved a slot for the activity (and polls its task queue).
        const handOver = !!attrs.requestEagerExecution && e.options.eagerActivities;
        const act = e.activities.schedule(run, attrs, completedId, handOver);
        if (handOver) eager.push(act);
        return false;
      }
      case 'COMMAND_TYPE_REQUEST_CANCEL_ACTIVITY_TASK':
        return e.activities.requestCancel(run, Number(attrs.scheduledEventId), completedId, identity);
      case 'COMMAND_TYPE_START_TIMER': {
        const ms = msOf(attrs.startToFireTimeout);
        const startedEventId = appendEvent(
          run,
          'TIMER_STARTED',
          { timerId: attrs.timerId, startToFireTimeout: attrs.startToFireTimeout, workflowTaskCompletedEventId: wftCompleted },
          now,
        );
        const timer: TimerState = { timerId: attrs.timerId, startedEventId, fireAt: now + ms };
        run.timers[attrs.timerId] = timer;
        this.armTimer(run, timer);
        return false;
      }
      case 'COMMAND_TYPE_CANCEL_TIMER': {
        // The timer may have fired while this task was out: its TimerFired is still buffered. The
        // workflow cancelled it before seeing it, so it must never see it (the real server's
        // checkAndClearTimerFiredEvent); otherwise core finds a fired event for a cancelled timer.
        const fired = run.buffered.find((b) => b.type === 'TIMER_FIRED' && b.attrs.timerId === attrs.timerId);
        if (fired) run.buffered = run.buffered.filter((b) => b !== fired);
        const startedEventId = run.timers[attrs.timerId]?.startedEventId ?? Number(fired?.attrs.startedEventId ?? 0);
        appendEvent(
          run,
          'TIMER_CANCELED',
          { timerId: attrs.timerId, startedEventId: String(startedEventId), workflowTaskCompletedEventId: wftCompleted, identity },
          now,
        );
        delete run.timers[attrs.timerId];
        return false;
      }
      case 'COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION':
        appendEvent(run, 'WORKFLOW_EXECUTION_COMPLETED', { result: attrs.result, workflowTaskCompletedEventId: wftCompleted }, now);
        e.closeRun(run, 'Completed');
        return false;
      case 'COMMAND_TYPE_FAIL_WORKFLOW_EXECUTION': {
        const retry = e.workflowRetry(run, attrs.failure);
        appendEvent(
          run,
          'WORKFLOW_EXECUTION_FAILED',
          { failure: attrs.failure, retryState: retry.state, workflowTaskCompletedEventId: wftCompleted, newExecutionRunId: retry.next?.runId },
          now,
        );
        e.closeRun(run, 'Failed', !!retry.next);
        retry.next?.create();
        return false;
      }
      case 'COMMAND_TYPE_CANCEL_WORKFLOW_EXECUTION':
        appendEvent(run, 'WORKFLOW_EXECUTION_CANCELED', { details: attrs.details, workflowTaskCompletedEventId: wftCompleted }, now);
        e.closeRun(run, 'Canceled');
        return false;
      case 'COMMAND_TYPE_CONTINUE_AS_NEW_WORKFLOW_EXECUTION':
        this.continueAsNew(run, attrs, completedId);
        return false;
      case 'COMMAND_TYPE_RECORD_MARKER':
        appendEvent(
          run,
          'MARKER_RECORDED',
          { markerName: attrs.markerName, details: attrs.details, header: attrs.header, failure: attrs.failure, workflowTaskCompletedEventId: wftCompleted },
          now,
        );
        return false;
      case 'COMMAND_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES': {
        const registry = e.namespace(run.namespace).registry;
        const fields = attrs.searchAttributes?.indexedFields ?? {};
        appendEvent(
          run,
          'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES',
          { searchAttributes: { indexedFields: registry.stamp(fields) }, workflowTaskCompletedEventId: wftCompleted },
          now,
        );
        run.searchAttributes = registry.merge(run.searchAttributes, fields);
        return false;
      }
      case 'COMMAND_TYPE_MODIFY_WORKFLOW_PROPERTIES': {
        const fields: Obj = attrs.upsertedMemo?.fields ?? {};
        appendEvent(run, 'WORKFLOW_PROPERTIES_MODIFIED', { upsertedMemo: attrs.upsertedMemo, workflowTaskCompletedEventId: wftCompleted }, now);
        for (const [k, v] of Object.entries(fields)) {
          // An empty payload removes the key (what the SDK sends for `upsertMemo({ key: undefined })`).
          if (!v || (!v.data && !v.metadata)) delete run.memo[k];
          else run.memo[k] = v;
        }
        return false;
      }
      case 'COMMAND_TYPE_START_CHILD_WORKFLOW_EXECUTION':
        e.children.start(run, attrs, completedId);
        return false;
      case 'COMMAND_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION':
        e.children.signalExternal(run, attrs, completedId);
        return false;
      case 'COMMAND_TYPE_REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION':
        e.children.cancelExternal(run, attrs, completedId);
        return false;
      case 'COMMAND_TYPE_SCHEDULE_NEXUS_OPERATION':
        e.nexus!.schedule(run, attrs, completedId, cmd.userMetadata);
        return false;
      case 'COMMAND_TYPE_REQUEST_CANCEL_NEXUS_OPERATION':
        e.nexus!.requestCancel(run, attrs, completedId);
        return false;
      default:
        return false;
    }
  }

  armTimer(run: Run, timer: TimerState): void {
    const e = this.engine;
    e.at(timer.fireAt, () => {
      if (!isOpen(run) || run.timers[timer.timerId] !== timer) return;
      delete run.timers[timer.timerId];
      e.addEvent(run, 'TIMER_FIRED', { timerId: timer.timerId, startedEventId: String(timer.startedEventId) });
    });
  }

  private continueAsNew(run: Run, attrs: Obj, completedId: number): void {
    const e = this.engine;
    const registry = e.namespace(run.namespace).registry;
    const started = run.history.first()!.workflowExecutionStartedEventAttributes as Obj;
    const runTimeoutMs = msOf(attrs.workflowRunTimeout) || (run.runTimeoutMs !== run.executionTimeoutMs ? run.runTimeoutMs : 0);
    const next = e.createRunDeferred({
      namespace: run.namespace,
      workflowId: run.workflowId,
      workflowType: attrs.workflowType?.name || run.workflowType,
      taskQueue: attrs.taskQueue?.name || run.taskQueue,
      input: attrs.input,
      header: attrs.header ?? started.header,
      memo: attrs.memo?.fields ?? run.memo,
      searchAttributes: attrs.searchAttributes?.indexedFields ? registry.validate(attrs.searchAttributes.indexedFields) : run.searchAttributes,
      runTimeoutMs,
      executionTimeoutMs: run.executionTimeoutMs,
      workflowTaskTimeoutMs: msOf(attrs.workflowTaskTimeout) || run.workflowTaskTimeoutMs,
      executionExpiration: run.executionExpiration,
      startDelayMs: msOf(attrs.backoffStartInterval),
      retryPolicy: attrs.retryPolicy ?? started.retryPolicy,
      parent: run.parent,
      root: run.root,
      firstExecutionRunId: run.firstExecutionRunId,
      continuedExecutionRunId: run.runId,
      initiator: attrs.initiator || 'CONTINUE_AS_NEW_INITIATOR_WORKFLOW',
      lastCompletionResult: attrs.lastCompletionResult,
      continuedFailure: attrs.failure,
    });
    appendEvent(
      run,
      'WORKFLOW_EXECUTION_CONTINUED_AS_NEW',
      {
        newExecutionRunId: next.runId,
        workflowType: { name: next.spec.workflowType },
        taskQueue: { name: next.spec.taskQueue, kind: 'TASK_QUEUE_KIND_NORMAL' },
        input: attrs.input,
        workflowRunTimeout: attrs.workflowRunTimeout,
        workflowTaskTimeout: attrs.workflowTaskTimeout,
        workflowTaskCompletedEventId: String(completedId),
        backoffStartInterval: attrs.backoffStartInterval,
        initiator: next.spec.initiator,
        header: attrs.header,
        memo: attrs.memo,
        searchAttributes: attrs.searchAttributes,
      },
      e.now(),
    );
    run.newExecutionRunId = next.runId;
    e.closeRun(run, 'ContinuedAsNew');
    next.create();
  }
}
