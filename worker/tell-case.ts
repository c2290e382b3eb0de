/**
 * Tells a case's workflow what happened to its money outside it (the refund follower's refunds sent
 * back, and their payments again), over a Temporal client: a workflow that has ended has nothing to be told.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TellCase } from '../activities/refund-follower.js';
import { caseWorkflowId, refundPaidAgain, refundSentBack } from '../workflows/contract.js';

/** How long a signal may take before it is given up, to be sent again later (the client would otherwise retry for long). */
const SIGNAL_DEADLINE_MS = 10_000;

export function caseTeller(client: Client): TellCase {
  return async (caseId, sentBack) => {
    try {
      await client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => client.workflow.getHandle(caseWorkflowId(caseId)).signal(refundSentBack, sentBack));
      return 'TOLD';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'ENDED';
      throw err;
    }
  };
}

/** Tells a case's workflow that a refund sent back was paid again: TOLD, or ENDED (nothing to tell). */
export function paidAgainTeller(client: Client): (caseId: string, returnedRefundId: string) => Promise<'TOLD' | 'ENDED'> {
  return async (caseId, returnedRefundId) => {
    try {
      await client.withDeadline(Date.now() + SIGNAL_DEADLINE_MS, () => client.workflow.getHandle(caseWorkflowId(caseId)).signal(refundPaidAgain, { returnedRefundId }));
      return 'TOLD';
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return 'ENDED';
      throw err;
    }
  };
}
