import { msOf, type Obj } from '../proto.js';
import { appendEvent } from './history.js';
import type { EngineHost } from './host.js';
import { isOpen, type Run } from './types.js';

/** Child workflows, parent-close policies, and signals / cancellations sent to other workflows. */
export class ChildManager {
  constructor(private readonly engine: EngineHost) {}

  start(parent: Run, attrs: Obj, completedId: number): void {
    const e = this.engine;
    const namespace = attrs.namespace || parent.namespace;
    const initiatedEventId = appendEvent(
      parent,
      'START_CHILD_WORKFLOW_EXECUTION_INITIATED',
      {
        namespace,
        workflowId: attrs.workflowId,
        workflowType: attrs.workflowType,
        taskQueue: attrs.taskQueue,
        input: attrs.input,
        workflowExecutionTimeout: attrs.workflowExecutionTimeout,
        workflowRunTimeout: attrs.workflowRunTimeout,
        workflowTaskTimeout: attrs.workflowTaskTimeout,
        parentClosePolicy: attrs.parentClosePolicy,
        control: attrs.control,
        workflowTaskCompletedEventId: String(completedId),
        workflowIdReusePolicy: attrs.workflowIdReusePolicy,
        retryPolicy: attrs.retryPolicy,
        cronSchedule: attrs.cronSchedule,
        header: attrs.header,
        memo: attrs.memo,
        searchAttributes: attrs.searchAttributes,
        priority: attrs.priority,
      },
      e.now(),
    );
    const fail = (cause: string) =>
      e.addEvent(parent, 'START_CHILD_WORKFLOW_EXECUTION_FAILED', {
        namespace,
        workflowId: attrs.workflowId,
        workflowType: attrs.workflowType,
        cause,
        control: attrs.control,
        initiatedEventId: String(initiatedEventId),
        workflowTaskCompletedEventId: String(completedId),
      });
    if (!e.namespaces.has(namespace)) return fail('START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_NAMESPACE_NOT_FOUND');
    try {
      const { existing } = e.resolveStartConflict(namespace, {
        workflowId: attrs.workflowId,
        workflowIdReusePolicy: attrs.workflowIdReusePolicy,
      });
      if (existing) return fail('START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS');
    } catch {
      return fail('START_CHILD_WORKFLOW_EXECUTION_FAILED_CAUSE_WORKFLOW_ALREADY_EXISTS');
    }
    const registry = e.namespace(namespace).registry;
    const child = e.createRun({
      namespace,
      workflowId: attrs.workflowId,
      workflowType: attrs.workflowType.name,
      taskQueue: attrs.taskQueue?.name || parent.taskQueue,
      input: attrs.input,
      header: attrs.header,
      memo: attrs.memo?.fields,
      searchAttributes: attrs.searchAttributes?.indexedFields ? registry.validate(attrs.searchAttributes.indexedFields) : undefined,
      runTimeoutMs: msOf(attrs.workflowRunTimeout),
      executionTimeoutMs: msOf(attrs.workflowExecutionTimeout),
      workflowTaskTimeoutMs: msOf(attrs.workflowTaskTimeout),
      retryPolicy: attrs.retryPolicy,
      parent: { namespace: parent.namespace, workflowId: parent.workflowId, runId: parent.runId, initiatedEventId },
      root: parent.root,
      priority: attrs.priority,
    });
    parent.children[String(initiatedEventId)] = {
      initiatedEventId,
      namespace,
      workflowId: child.workflowId,
      workflowType: child.workflowType,
      runId: child.runId,
      parentClosePolicy: attrs.parentClosePolicy ?? 'PARENT_CLOSE_POLICY_TERMINATE',
    };
    e.addEvent(parent, 'CHILD_WORKFLOW_EXECUTION_STARTED', {
      namespace,
      initiatedEventId: String(initiatedEventId),
      workflowExecution: { workflowId: child.workflowId, runId: child.runId },
      workflowType: { name: child.workflowType },
      header: attrs.header,
    });
  }

  /** A child's chain closed: its parent gets the matching ChildWorkflowExecution* event. */
  notifyParent(child: Run): void {
    const ref = child.parent;
    if (!ref) return;
    const parent = this.engine.runs.get(ref.runId);
    const state = parent?.children[String(ref.initiatedEventId)];
    if (!parent || !state || !isOpen(parent)) return;
    delete parent.children[String(ref.initiatedEventId)];
    const close = child.history.last()!;
    const common = {
      namespace: child.namespace,
      workflowExecution: { workflowId: child.workflowId, runId: child.runId },
      workflowType: { name: child.workflowType },
      initiatedEventId: String(ref.initiatedEventId),
    };
    const link = { childInitiatedEventId: ref.initiatedEventId };
    switch (child.status) {
      case 'Completed':
        return this.engine.addEvent(parent, 'CHILD_WORKFLOW_EXECUTION_COMPLETED', { ...common, result: close.workflowExecutionCompletedEventAttributes?.result }, link);
      case 'Failed':
        return this.engine.addEvent(
          parent,
          'CHILD_WORKFLOW_EXECUTION_FAILED',
          { ...common, failure: close.workflowExecutionFailedEventAttributes?.failure, retryState: close.workflowExecutionFailedEventAttributes?.retryState },
          link,
        );
      case 'Canceled':
        return this.engine.addEvent(parent, 'CHILD_WORKFLOW_EXECUTION_CANCELED', { ...common, details: close.workflowExecutionCanceledEventAttributes?.details }, link);
      case 'TimedOut':
        return this.engine.addEvent(parent, 'CHILD_WORKFLOW_EXECUTION_TIMED_OUT', { ...common, retryState: 'RETRY_STATE_TIMEOUT' }, link);
      case 'Terminated':
        return this.engine.addEvent(parent, 'CHILD_WORKFLOW_EXECUTION_TERMINATED', common, link);
      default:
        return;
    }
  }

  /** The parent closed: TERMINATE (default), REQUEST_CANCEL or ABANDON each open child. */
  applyParentClosePolicy(parent: Run): void {
    const children = Object.values(parent.children);
    parent.children = {};
    for (const c of children) {
      const child = this.engine.currentRun(c.namespace, c.workflowId);
      if (!child || !isOpen(child) || child.parent?.runId !== parent.runId) continue;
      if (c.parentClosePolicy === 'PARENT_CLOSE_POLICY_ABANDON') continue;
      if (c.parentClosePolicy === 'PARENT_CLOSE_POLICY_REQUEST_CANCEL') {
        this.engine.requestCancel(child, 'by parent close policy', 'devserver');
      } else {
        this.engine.terminate(child, 'by parent close policy', undefined, 'devserver');
      }
    }
  }

  signalExternal(run: Run, attrs: Obj, completedId: number): void {
    const e = this.engine;
    const namespace = attrs.namespace || run.namespace;
    const initiatedEventId = appendEvent(
      run,
      'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
      {
        workflowTaskCompletedEventId: String(completedId),
        namespace,
        workflowExecution: attrs.execution,
        signalName: attrs.signalName,
        input: attrs.input,
        control: attrs.control,
        childWorkflowOnly: attrs.childWorkflowOnly,
        header: attrs.header,
      },
      e.now(),
    );
    const target = this.openTarget(namespace, attrs.execution);
    const common = { initiatedEventId: String(initiatedEventId), namespace, workflowExecution: attrs.execution, control: attrs.control };
    if (!target) {
      return e.addEvent(run, 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', {
        ...common,
        cause: 'SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: String(completedId),
      });
    }
    e.signal(target, attrs.signalName, attrs.input, attrs.header, undefined, undefined, { workflowId: run.workflowId, runId: run.runId });
    e.addEvent(run, 'EXTERNAL_WORKFLOW_EXECUTION_SIGNALED', {
      ...common,
      workflowExecution: { workflowId: target.workflowId, runId: target.runId },
    });
  }

  cancelExternal(run: Run, attrs: Obj, completedId: number): void {
    const e = this.engine;
    const namespace = attrs.namespace || run.namespace;
    const execution = { workflowId: attrs.workflowId, runId: attrs.runId };
    const initiatedEventId = appendEvent(
      run,
      'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED',
      {
        workflowTaskCompletedEventId: String(completedId),
        namespace,
        workflowExecution: execution,
        control: attrs.control,
        childWorkflowOnly: attrs.childWorkflowOnly,
        reason: attrs.reason,
      },
      e.now(),
    );
    const target = this.openTarget(namespace, execution);
    if (!target) {
      return e.addEvent(run, 'REQUEST_CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED', {
        cause: 'CANCEL_EXTERNAL_WORKFLOW_EXECUTION_FAILED_CAUSE_EXTERNAL_WORKFLOW_EXECUTION_NOT_FOUND',
        workflowTaskCompletedEventId: String(completedId),
        namespace,
        workflowExecution: execution,
        initiatedEventId: String(initiatedEventId),
        control: attrs.control,
      });
    }
    e.requestCancel(target, attrs.reason, undefined, { initiatedEventId, execution: { workflowId: run.workflowId, runId: run.runId } });
    e.addEvent(run, 'EXTERNAL_WORKFLOW_EXECUTION_CANCEL_REQUESTED', {
      initiatedEventId: String(initiatedEventId),
      namespace,
      workflowExecution: { workflowId: target.workflowId, runId: target.runId },
    });
  }

  private openTarget(namespace: string, execution: Obj | undefined): Run | undefined {
    if (!execution?.workflowId || !this.engine.namespaces.has(namespace)) return undefined;
    try {
      const run = this.engine.findRun(namespace, execution);
      return isOpen(run) ? run : undefined;
    } catch {
      return undefined;
    }
  }
}
