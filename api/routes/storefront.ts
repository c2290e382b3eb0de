import type { ApiApp } from '../typed-app.js';
import { CUSTOMER_TOKEN_TTL } from '../../app/config.js';
import { requestValueMinor, validateReturnRequest } from '../../domain/index.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { assertOpening, merchantOf, openCase, referenceOf, sendOpened } from '../open-case.js';
import { CustomerTokenBody, CustomerTokenParams, CustomerTokenQuery, OpenReturnBody } from '../schemas.js';
import { CustomerToken, CustomerTokenRevoked, CustomerTokens, CustomerTokensRevoked, OpenedResponses } from '../responses.js';

export function storefrontRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/returns', { config: { roles: ['STOREFRONT'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Open a return-and-refund case', body: OpenReturnBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const req = { lines: body.lines, evidenceUrls: body.evidenceUrls ?? [] };
    const problems = validateReturnRequest(body.order, req);
    assertOpening(deps, body.order, problems);
    // Approving a return tells the customer where to send it: no address, no return cases.
    const terms = await deps.repos.openingTerms(merchantId);
    const { returnAddress } = terms;
    if (!returnAddress) throw new ApiError(409, 'MERCHANT_NOT_READY', `merchant ${merchantId} has no return address yet (PUT /v1/admin/merchants/${merchantId})`);
    const opened = await openCase<ReturnRefundInput>(deps, request, merchantId, {
      type: 'RETURN_AND_REFUND',
      workflow: 'returnAndRefund',
      reference: referenceOf(request),
      terms,
      order: body.order,
      customer: body.customer,
      request: req,
      requestedAmountMinor: requestValueMinor(body.order, body.lines),
      summary: 'Return and refund',
      evidence: { urls: body.evidenceUrls ?? [], addedBy: `customer:${body.customer.id}` },
      input: ({ fulfilment: _rulesOfOtherTypes, ...c }) => ({ ...c, order: body.order, request: req, customer: body.customer, returnAddress }),
    });
    return sendOpened(reply, opened, { returnCode: opened.caseId });
  });

  app.post('/v1/customer-tokens', { config: { roles: ['STOREFRONT'], secretInAnswer: { field: 'token', id: 'tokenId' } }, schema: { response: { 201: CustomerToken }, tags: ['storefront'], summary: 'Issue a token scoped to one customer (expires after ttlSeconds)', body: CustomerTokenBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const { customerId, ttlSeconds } = request.body;
    const ttl = ttlSeconds ?? deps.customerTokenTtlSeconds ?? CUSTOMER_TOKEN_TTL.default;
    const expiresAt = new Date((deps.now?.() ?? Date.now()) + ttl * 1000);
    const cred = await deps.repos.createCredential({ role: 'CUSTOMER', merchantId, customerId, label: `customer ${customerId}`, expiresAt });
    return reply.status(201).send({ token: cred.key, tokenId: cred.id, customerId, expiresAt: expiresAt.toISOString() });
  });

  // A customer signed out everywhere (a lost phone, an account taken over): the storefront need not
  // have kept every token id it issued.
  app.get('/v1/customer-tokens', { config: { roles: ['STOREFRONT'] }, schema: { response: { 200: CustomerTokens }, tags: ['storefront'], summary: 'A customer’s live tokens (ids and lifetimes, never the tokens)', querystring: CustomerTokenQuery } }, async (request) => {
    const merchantId = merchantOf(principalOf(request));
    const { customerId } = request.query;
    const tokens = await deps.repos.credentials.customerTokens(merchantId, customerId);
    return { customerId, items: tokens.map((t) => ({ tokenId: t.id, createdAt: t.createdAt.toISOString(), expiresAt: t.expiresAt?.toISOString() ?? null })) };
  });

  app.delete('/v1/customer-tokens', { config: { roles: ['STOREFRONT'] }, schema: { response: { 200: CustomerTokensRevoked }, tags: ['storefront'], summary: 'Revoke every live token of a customer (sign them out everywhere)', description: 'Each token is refused from its next request on. The customer’s cases are untouched; a new token is issued as before (POST /v1/customer-tokens). Revoking again revokes nothing more.', querystring: CustomerTokenQuery } }, async (request) => {
    const merchantId = merchantOf(principalOf(request));
    const { customerId } = request.query;
    const at = new Date(deps.now?.() ?? Date.now());
    const revoked = await deps.repos.credentials.revokeCustomerTokens(merchantId, customerId, at);
    return { customerId, revoked: revoked.map((t) => t.id), revokedAt: at.toISOString() };
  });

  // The shop that issued a token (any of its storefront keys: keys get rotated) or an admin may end it early.
  app.delete('/v1/customer-tokens/:tokenId', { config: { roles: ['STOREFRONT', 'ADMIN'] }, schema: { response: { 200: CustomerTokenRevoked }, tags: ['storefront'], summary: 'Revoke a customer token', params: CustomerTokenParams } }, async (request) => {
    const p = principalOf(request);
    const { tokenId } = request.params;
    const token = await deps.repos.credentials.findById(tokenId);
    if (!token || token.role !== 'CUSTOMER' || (p.role !== 'ADMIN' && token.merchantId !== merchantOf(p))) throw notFound('customer token');
    const revoked = (await deps.repos.credentials.revoke(tokenId))!;
    return { tokenId, customerId: revoked.customerId, expiresAt: revoked.expiresAt?.toISOString() ?? null, revokedAt: revoked.revokedAt?.toISOString() ?? null };
  });
}
