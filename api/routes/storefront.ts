import { randomUUID } from 'node:crypto';
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { requestValueMinor, validateReturnRequest } from '../../domain/index.js';
import { CASE_SEARCH_ATTRIBUTES, CASE_TASK_QUEUE, caseWorkflowId } from '../../workflows/contract.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { CustomerTokenBody, OpenReturnBody } from '../schemas.js';

export function storefrontRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/v1/returns', { schema: { tags: ['storefront'], summary: 'Open a return-and-refund case', body: OpenReturnBody } }, async (request, reply) => {
    const p = requireRole(request, 'STOREFRONT');
    if (!p.merchantId) throw new ApiError(403, 'FORBIDDEN', 'this key is not bound to a merchant');
    const body = request.body as Static<typeof OpenReturnBody>;
    const req = { lines: body.lines, evidenceUrls: body.evidenceUrls ?? [] };
    const problems = validateReturnRequest(body.order, req);
    if (problems.length) throw badRequest(`body.${problems[0]!.field}`, problems[0]!.reason);
    const merchant = await deps.repos.merchant(p.merchantId);
    // Approving a return tells the customer where to send it: no address, no return cases.
    if (!merchant?.returnAddress) throw new ApiError(409, 'MERCHANT_NOT_READY', `merchant ${p.merchantId} has no return address yet (PUT /v1/admin/merchants/${p.merchantId})`);
    const caseId = body.caseId ?? randomUUID().replace(/-/g, '').slice(0, 20);
    const policy = await deps.repos.currentPolicy(p.merchantId);
    const now = deps.now?.() ?? Date.now();
    await deps.repos.openCase({
      id: caseId,
      merchantId: p.merchantId,
      type: 'RETURN_AND_REFUND',
      orderId: body.order.orderId,
      orderSnapshot: body.order,
      request: req,
      customerId: body.customer.id,
      customerLocale: body.customer.locale,
      currency: body.order.currency,
      requestedAmountMinor: requestValueMinor(body.order, body.lines),
      policyVersion: policy.version,
      workflowId: caseWorkflowId(caseId),
    });
    const input: ReturnRefundInput = { caseId, merchantId: p.merchantId, policy, order: body.order, request: req, customer: body.customer, openedAt: now, returnAddress: merchant.returnAddress };
    const { CaseType, MerchantId, CaseStage, CaseStatus, CaseLate } = CASE_SEARCH_ATTRIBUTES;
    await deps.temporal.workflow.start('returnAndRefund', {
      taskQueue: CASE_TASK_QUEUE,
      workflowId: caseWorkflowId(caseId),
      args: [input],
      // A retried open (same case id) attaches to the case already running.
      workflowIdConflictPolicy: 'USE_EXISTING',
      staticSummary: `Return and refund ${caseId}`,
      typedSearchAttributes: [
        { key: CaseType, value: 'RETURN_AND_REFUND' },
        { key: MerchantId, value: p.merchantId },
        { key: CaseStage, value: 'OPENED' },
        { key: CaseStatus, value: 'OPEN' },
        { key: CaseLate, value: false },
      ],
    });
    if (body.evidenceUrls?.length) await deps.repos.addEvidence(caseId, body.evidenceUrls, 'photo', `customer:${body.customer.id}`);
    return reply.status(201).send({ caseId, workflowId: caseWorkflowId(caseId), policyVersion: policy.version, returnCode: caseId });
  });

  app.post('/v1/customer-tokens', { schema: { tags: ['storefront'], summary: 'Issue a token scoped to one customer', body: CustomerTokenBody } }, async (request, reply) => {
    const p = requireRole(request, 'STOREFRONT');
    if (!p.merchantId) throw new ApiError(403, 'FORBIDDEN', 'this key is not bound to a merchant');
    const { customerId } = request.body as Static<typeof CustomerTokenBody>;
    const cred = await deps.repos.createCredential({ role: 'CUSTOMER', merchantId: p.merchantId, customerId, label: `customer ${customerId}` });
    return reply.status(201).send({ token: cred.key, customerId });
  });
}
