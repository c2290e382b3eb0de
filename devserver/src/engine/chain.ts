import type { Obj } from '../proto.js';
import type { Run } from './types.js';

/**
 * What a run the server starts after `run` in the same chain (a retry, the next cron run) takes
 * over from it unchanged: identity, input and header of its start, memo, search attributes,
 * timeouts and retry policy, parent and root. Callers add what differs (delay, initiator, attempt…).
 */
export function nextRunOfChain(run: Run) {
  const started = run.history.first()!.workflowExecutionStartedEventAttributes as Obj;
  return {
    namespace: run.namespace,
    workflowId: run.workflowId,
    workflowType: run.workflowType,
    taskQueue: run.taskQueue,
    input: started.input,
    header: started.header,
    memo: run.memo,
    searchAttributes: run.searchAttributes,
    executionTimeoutMs: run.executionTimeoutMs,
    workflowTaskTimeoutMs: run.workflowTaskTimeoutMs,
    retryPolicy: started.retryPolicy,
    parent: run.parent,
    root: run.root,
    firstExecutionRunId: run.firstExecutionRunId,
    continuedExecutionRunId: run.runId,
  };
}
