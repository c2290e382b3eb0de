/**
 * The ids of the platform's workflows, derived from what they are about, so the API can signal a
 * case knowing only its id, a returned refund is paid again once, and the console can link a step
 * to the workflow that did it in the Temporal UI.
 */

/** A case's own workflow. */
export const caseWorkflowId = (caseId: string) => `case-${caseId}`;
/** A courier claim runs as a process of its own (child of its case): one per case and parcel. */
export const claimWorkflowId = (caseId: string, trackingNumber: string) => `claim-${caseId}-${trackingNumber}`;
/** A returned refund is paid again once (workflows/refund-again.ts). */
export const refundAgainWorkflowId = (caseId: string, refundId: string) => `refund-again-${caseId}-${refundId}`;
