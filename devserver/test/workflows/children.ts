import {
  ApplicationFailure,
  ChildWorkflowFailure,
  ParentClosePolicy,
  executeChild,
  getExternalWorkflowHandle,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { waitForever } from './basic.js';

/** Child: doubles its input and reports its parent. */
export async function doubler(n: number): Promise<{ value: number; parentId?: string; parentRunId?: string }> {
  const info = workflowInfo();
  return { value: n * 2, parentId: info.parent?.workflowId, parentRunId: info.parent?.runId ?? undefined };
}

export async function failingChild(message: string): Promise<never> {
  throw ApplicationFailure.nonRetryable(message, 'ChildFatal');
}

/** Executes a child and returns its result together with the parent's own ids. */
export async function parentOfDoubler(n: number): Promise<{ child: Awaited<ReturnType<typeof doubler>>; myId: string; myRunId: string }> {
  const child = await executeChild(doubler, { args: [n], workflowId: `${workflowInfo().workflowId}-child` });
  return { child, myId: workflowInfo().workflowId, myRunId: workflowInfo().runId };
}

/** Executes a failing child and reports the failure chain. */
export async function parentOfFailingChild(message: string): Promise<{ name?: string; causeName?: string; causeMessage?: string; causeType?: string; childType?: string }> {
  try {
    await executeChild(failingChild, { args: [message], workflowId: `${workflowInfo().workflowId}-child` });
    return {};
  } catch (err) {
    if (err instanceof ChildWorkflowFailure) {
      const cause = err.cause as ApplicationFailure | undefined;
      return {
        name: err.name,
        causeName: cause?.name,
        causeMessage: cause?.message,
        causeType: cause?.type ?? undefined,
        childType: err.workflowType,
      };
    }
    return { name: (err as Error).name, causeMessage: (err as Error).message };
  }
}

/** Starts a long-running child with the given parent-close policy, then completes. */
export async function parentThatLeaves(policy: 'TERMINATE' | 'ABANDON', childId: string): Promise<string> {
  const handle = await startChild(waitForever, {
    workflowId: childId,
    parentClosePolicy: policy === 'TERMINATE' ? ParentClosePolicy.TERMINATE : ParentClosePolicy.ABANDON,
  });
  return handle.firstExecutionRunId;
}

/** Signals an external workflow `times` times with `inc(by)`. */
export async function signalExternal(targetId: string, by: number, times: number): Promise<void> {
  const h = getExternalWorkflowHandle(targetId);
  for (let i = 0; i < times; i++) await h.signal('inc', by);
  await h.signal('finish', `from ${workflowInfo().workflowId}`);
}

/** Requests cancellation of an external workflow. */
export async function cancelExternal(targetId: string): Promise<string> {
  await getExternalWorkflowHandle(targetId).cancel();
  return 'cancel-requested';
}

/** Signals a workflow that does not exist; reports the failure. */
export async function signalMissingExternal(targetId: string): Promise<{ failed: boolean; name?: string }> {
  try {
    await getExternalWorkflowHandle(targetId).signal('inc', 1);
    return { failed: false };
  } catch (err) {
    return { failed: true, name: (err as Error).name };
  }
}

/** Waits on a child that waits forever; cancelling this workflow cancels the child too. */
export async function parentOfWaiter(childId: string): Promise<void> {
  await executeChild(waitForever, { workflowId: childId });
}
