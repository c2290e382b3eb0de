import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { requestValueMinor, validateReturnRequest } from '../../domain/index.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { merchantOf, openCase } from '../open-case.js';
import { CustomerTokenBody, OpenReturnBody } from '../schemas.js';

export function storefrontRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/v1/returns', { schema: { tags: ['storefront'], summary: 'Open a return-and-refund case', body: OpenReturnBody } }, async (request, reply) => {
    const merchantId = merchantOf(requireRole(request, 'STOREFRONT'));
    const body = request.body as Static<typeof OpenReturnBody>;
    const req = { lines: body.lines, evidenceUrls: body.evidenceUrls ?? [] };
    const problems = validateReturnRequest(body.order, req);
    if (problems.length) throw badRequest(`body.${problems[0]!.field}`, problems[0]!.reason);
    // Approving a return tells the customer where to send it: no address, no return cases.
    const returnAddress = (await deps.repos.merchant(merchantId))?.returnAddress;
    if (!returnAddress) throw new ApiError(409, 'MERCHANT_NOT_READY', `merchant ${merchantId} has no return address yet (PUT /v1/admin/merchants/${merchantId})`);
    const opened = await openCase<ReturnRefundInput>(deps, merchantId, {
      type: 'RETURN_AND_REFUND',
      workflow: 'returnAndRefund',
      caseId: body.caseId,
      order: body.order,
      customer: body.customer,
      request: req,
      requestedAmountMinor: requestValueMinor(body.order, body.lines),
      summary: 'Return and refund',
      input: ({ fulfilment: _rulesOfOtherTypes, ...c }) => ({ ...c, order: body.order, request: req, customer: body.customer, returnAddress }),
    });
    const { caseId } = opened;
    if (body.evidenceUrls?.length) await deps.repos.addEvidence(caseId, body.evidenceUrls, 'photo', `customer:${body.customer.id}`);
    return reply.status(201).send({ ...opened, returnCode: caseId });
  });

  app.post('/v1/customer-tokens', { schema: { tags: ['storefront'], summary: 'Issue a token scoped to one customer', body: CustomerTokenBody } }, async (request, reply) => {
    const merchantId = merchantOf(requireRole(request, 'STOREFRONT'));
    const { customerId } = request.body as Static<typeof CustomerTokenBody>;
    const cred = await deps.repos.createCredential({ role: 'CUSTOMER', merchantId, customerId, label: `customer ${customerId}` });
    return reply.status(201).send({ token: cred.key, customerId });
  });
}
