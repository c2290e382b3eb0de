/**
 * Starting a case's workflow, with the options every case starts with: at its opening
 * (api/open-case.ts) and when an opening whose start failed is finished later
 * (api/unstarted-openings.ts).
 */
import type { Client } from '@temporalio/client';
import { caseStaticDetails } from '../domain/case-details.js';
import type { CaseType } from '../domain/index.js';
import { CASE_SEARCH_ATTRIBUTES, CASE_TASK_QUEUE, caseWorkflowId } from '../workflows/contract.js';

export interface CaseStart {
  caseId: string;
  /** The workflow type (lostParcel, returnRefund …). */
  workflow: string;
  input: Record<string, unknown>;
  type: CaseType;
  merchantId: string;
  orderId: string;
  customerId: string;
  /** What the Temporal UI lists it as, before the case id. */
  summary: string;
}

/**
 * Starts the case's workflow, or attaches to it while it runs (USE_EXISTING); never starts a
 * second run of a workflow that has ended (REJECT_DUPLICATE: WorkflowExecutionAlreadyStartedError).
 */
export async function startCaseWorkflow(temporal: Client, s: CaseStart): Promise<void> {
  const { CaseType, MerchantId, CaseStage, CaseStatus, CaseLate, Escalated, OrderId } = CASE_SEARCH_ATTRIBUTES;
  await temporal.workflow.start(s.workflow, {
    taskQueue: CASE_TASK_QUEUE,
    workflowId: caseWorkflowId(s.caseId),
    args: [s.input],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
    staticSummary: `${s.summary} ${s.caseId}`,
    // What ops see in the Temporal UI; ids only, no personal data (domain/case-details.ts).
    staticDetails: caseStaticDetails({ caseId: s.caseId, type: s.type, merchantId: s.merchantId, orderId: s.orderId, customerId: s.customerId }),
    typedSearchAttributes: [
      { key: CaseType, value: s.type },
      { key: MerchantId, value: s.merchantId },
      { key: CaseStage, value: 'OPENED' },
      { key: CaseStatus, value: 'OPEN' },
      { key: CaseLate, value: false },
      { key: Escalated, value: false },
      { key: OrderId, value: s.orderId },
    ],
  });
}
