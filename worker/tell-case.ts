/**
 * Tells a case's workflow what happened to its money outside it (the refund follower's refunds sent
 * back, and their payments again), over a Temporal client: a workflow that has ended has nothing to be told.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { SignalDefinition } from '@temporalio/common';
import type { TellCase } from '../activities/refund-follower.js';
import { caseWorkflowId, refundPaidAgain, refundSentBack } from '../workflows/contract.js';

/** How long a signal may take before it is given up, to be sent again later (the client would otherwise retry for long). */
const SIGNAL_DEADLINE_MS = 10_000;

/** Signals the case's workflow, within the deadline: TOLD, or ENDED when it has ended. */
async function signalCase<A>(client: Client, caseId: string, signal: SignalDefinition<[A]>, arg: A): Promise<'TOLD' | 'ENDED'> {
  try {
    await client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => client.workflow.getHandle(caseWorkflowId(caseId)).signal(signal, arg));
    return 'TOLD';
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return 'ENDED';
    throw err;
  }
}

export const caseTeller = (client: Client): TellCase => (caseId, sentBack) => signalCase(client, caseId, refundSentBack, sentBack);

/** Tells a case's workflow that a refund sent back was paid again. */
export const paidAgainTeller = (client: Client) => (caseId: string, returnedRefundId: string) => signalCase(client, caseId, refundPaidAgain, { returnedRefundId });
