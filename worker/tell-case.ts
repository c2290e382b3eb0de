/**
 * Tells a case's workflow what happened to its money outside it (the refund follower's refunds sent
 * back), over a Temporal client: a workflow that has ended has nothing to be told.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { TellCase } from '../activities/refund-follower.js';
import { caseWorkflowId, refundSentBack } from '../workflows/contract.js';

export function caseTeller(client: Client): TellCase {
  return async (caseId, sentBack) => {
    try {
      await client.workflow.getHandle(caseWorkflowId(caseId)).signal(refundSentBack, sentBack);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  };
}
