/**
 * Opening a case, the same for every case type: the case row first (idempotent on the case id),
 * then its workflow (a retried open attaches to the one already running), with the search
 * attributes ops filter by. The route validates its own body and builds the workflow input.
 */
import { randomUUID } from 'node:crypto';
import type { CaseType, FulfilmentPolicy, OrderSnapshot, Policy } from '../domain/index.js';
import type { Principal } from '../db/repositories.js';
import { CASE_SEARCH_ATTRIBUTES, CASE_TASK_QUEUE, caseWorkflowId } from '../workflows/contract.js';
import type { ApiDeps } from './context.js';
import { ApiError } from './errors.js';

export interface OpenCase<I> {
  type: CaseType;
  /** The workflow function's name, as the worker registers it. */
  workflow: string;
  caseId?: string;
  order: OrderSnapshot;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  /** What the customer asked for, kept on the case row. */
  request: unknown;
  requestedAmountMinor: number;
  summary: string;
  /** `fulfilment`: the fulfilment rules of the same policy version (the case keeps both). */
  input: (c: { caseId: string; merchantId: string; policy: Policy; fulfilment: FulfilmentPolicy; openedAt: number }) => I;
}

/** The merchant a storefront key acts for (403 for a key bound to none). */
export function merchantOf(p: Principal): string {
  if (!p.merchantId) throw new ApiError(403, 'FORBIDDEN', 'this key is not bound to a merchant');
  return p.merchantId;
}

export async function openCase<I>(deps: ApiDeps, merchantId: string, o: OpenCase<I>) {
  const caseId = o.caseId ?? randomUUID().replace(/-/g, '').slice(0, 20);
  const policy = await deps.repos.currentPolicy(merchantId);
  const fulfilment = await deps.repos.fulfilmentPolicy(merchantId, policy.version);
  const openedAt = deps.now?.() ?? Date.now();
  await deps.repos.openCase({
    id: caseId,
    merchantId,
    type: o.type,
    orderId: o.order.orderId,
    orderSnapshot: o.order,
    request: o.request,
    customerId: o.customer.id,
    customerLocale: o.customer.locale,
    currency: o.order.currency,
    requestedAmountMinor: o.requestedAmountMinor,
    policyVersion: policy.version,
    workflowId: caseWorkflowId(caseId),
  });
  // The parcel the case is about (tracking, delay, loss, interception): its courier events belong to it.
  const shipment = (o.request as { shipment?: { carrier?: unknown; trackingNumber?: unknown } } | undefined)?.shipment;
  if (typeof shipment?.carrier === 'string' && typeof shipment.trackingNumber === 'string') {
    await deps.repos.followParcel(caseId, { carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, role: 'ORIGINAL' });
  }
  const { CaseType, MerchantId, CaseStage, CaseStatus, CaseLate } = CASE_SEARCH_ATTRIBUTES;
  await deps.temporal.workflow.start(o.workflow, {
    taskQueue: CASE_TASK_QUEUE,
    workflowId: caseWorkflowId(caseId),
    args: [o.input({ caseId, merchantId, policy, fulfilment, openedAt })],
    workflowIdConflictPolicy: 'USE_EXISTING',
    staticSummary: `${o.summary} ${caseId}`,
    typedSearchAttributes: [
      { key: CaseType, value: o.type },
      { key: MerchantId, value: merchantId },
      { key: CaseStage, value: 'OPENED' },
      { key: CaseStatus, value: 'OPEN' },
      { key: CaseLate, value: false },
    ],
  });
  return { caseId, workflowId: caseWorkflowId(caseId), policyVersion: policy.version };
}
