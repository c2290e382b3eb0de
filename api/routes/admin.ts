/**
 * Administration: merchants (name, currency, return address) and their policy as numbered
 * versions. Publishing never edits a version — cases keep the version they started with — so a
 * change is a new version built from the current one plus the changes, validated by the domain.
 */
import type { FastifyRequest } from 'fastify';
import type { ApiApp } from '../typed-app.js';
import { isKnownCurrency, validateReturnAddress, type FulfilmentPolicy, type Policy } from '../../domain/index.js';
import { mergePolicyChange, samePolicyJson } from '../../domain/policy-change.js';
import { callerName, principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest, invalid, notFound } from '../errors.js';
import { CreateOnlyHeaders, MerchantBody, MerchantListQuery, MerchantParams, PolicyVersionParams, PublishPolicyBody } from '../schemas.js';
import { MerchantPage, MerchantSummary, PolicyHistory, Report } from '../responses.js';

/**
 * Admins work for every merchant; a supervisor only for their own (reading its settings, running
 * its what-ifs). Another merchant's is not found, as a case of another merchant is.
 */
export function forMerchant(request: FastifyRequest, merchantId: string): void {
  const p = principalOf(request);
  if (p.role !== 'ADMIN' && p.merchantId !== merchantId) throw notFound('merchant');
}

const policyView = (merchantId: string, p: Policy, f: FulfilmentPolicy) => ({ merchantId, version: p.version, rules: p.rules, businessHours: p.businessHours, fulfilment: f.rules });

export function adminRoutes(app: ApiApp, deps: ApiDeps): void {
  /** A merchant as its routes answer it: with its newest policy version (1, the defaults, made on first use). */
  const merchantView = async (merchantId: string) => {
    const m = await deps.repos.merchant(merchantId);
    return m && { ...m, createdAt: m.createdAt.toISOString(), policyVersion: (await deps.repos.currentPolicy(merchantId)).version };
  };

  app.get('/v1/admin/merchants', { config: { roles: ['ADMIN'] }, schema: { response: { 200: MerchantPage }, tags: ['admin'], summary: 'Every merchant, in id order, a page at a time', querystring: MerchantListQuery } }, async (request) => {
    const q = request.query;
    const limit = q.limit ?? 100;
    // One more than the page, to know whether another follows.
    const rows = await deps.repos.merchants({ after: q.cursor, limit: limit + 1 });
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? items.at(-1)!.id : null };
  });

  app.get('/v1/admin/merchants/:merchantId', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: MerchantSummary }, tags: ['admin'], summary: 'A merchant and its current policy version', params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params;
    forMerchant(request, merchantId);
    const m = await merchantView(merchantId);
    if (!m) throw notFound('merchant');
    return m;
  });

  app.put('/v1/admin/merchants/:merchantId', { config: { roles: ['ADMIN'] }, schema: { response: { 200: MerchantSummary, 201: MerchantSummary }, tags: ['admin'], summary: 'Create or change a merchant (name, currency, return address)', description: 'A return address left out is kept (an edit of the name or currency does not lose it); `null` removes it. The currency can be changed only until the merchant’s first case: after it, another currency is a 409 CURRENCY_IN_USE (its cases, ledger and figures are counted in it, and its policy’s amounts — autoApproveReturnMaxAmountMinor … — were written in it). With `If-None-Match: *` it only creates: a merchant of that id already there is left as it is and the answer is a 412 MERCHANT_EXISTS (a “new merchant” form that must not overwrite one by a mistyped id).', params: MerchantParams, body: MerchantBody, headers: CreateOnlyHeaders } }, async (request, reply) => {
    const { merchantId } = request.params;
    const body = request.body;
    const onlyIfNew = request.headers['if-none-match'] === '*';
    if (!isKnownCurrency(body.defaultCurrency)) throw badRequest('body.defaultCurrency', `${body.defaultCurrency} is not a supported ISO-4217 currency`);
    if (body.returnAddress) {
      const problems = validateReturnAddress(body.returnAddress, 'returnAddress');
      if (problems.length) throw invalid('body', problems);
    }
    const outcome = await deps.repos.saveMerchant(merchantId, body, onlyIfNew);
    if (outcome === 'exists') throw new ApiError(412, 'MERCHANT_EXISTS', `a merchant ${merchantId} exists already: nothing was changed (send the request without If-None-Match to change it)`, 'params.merchantId');
    if (typeof outcome === 'object') {
      throw new ApiError(409, 'CURRENCY_IN_USE', `the merchant has cases in ${outcome.currencyInUse}: its cases, ledger and figures are counted in it and its policy's amounts were written in it, so its currency stays ${outcome.currencyInUse}`, 'body.defaultCurrency');
    }
    const saved = await merchantView(merchantId);
    if (!saved) throw notFound('merchant'); // removed again between the write and this read
    return reply.status(outcome === 'created' ? 201 : 200).send(saved);
  });

  app.get('/v1/admin/merchants/:merchantId/policy', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: Report('{ merchantId, version, rules, businessHours, fulfilment }') }, tags: ['admin'], summary: "The merchant's current policy version", params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params;
    forMerchant(request, merchantId);
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');
    const policy = await deps.repos.currentPolicy(merchantId);
    return policyView(merchantId, policy, await deps.repos.fulfilmentPolicy(merchantId, policy.version));
  });

  app.get('/v1/admin/merchants/:merchantId/policies/:version', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: Report('{ merchantId, version, rules, businessHours, fulfilment }') }, tags: ['admin'], summary: 'One policy version (what a case opened under)', params: PolicyVersionParams } }, async (request) => {
    const { merchantId, version } = request.params;
    forMerchant(request, merchantId);
    const policy = await deps.repos.policyVersion(merchantId, version);
    if (!policy) throw notFound('policy version');
    return policyView(merchantId, policy, await deps.repos.fulfilmentPolicy(merchantId, version));
  });

  app.get('/v1/admin/merchants/:merchantId/policies', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: PolicyHistory }, tags: ['admin'], summary: "The merchant's policy versions: when, by whom and why each was published, and what it changed", params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params;
    forMerchant(request, merchantId);
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');
    await deps.repos.currentPolicy(merchantId); // version 1, the defaults, is created on first use
    return { merchantId, items: await deps.repos.policyHistory(merchantId) };
  });

  app.post('/v1/admin/merchants/:merchantId/policies', { config: { roles: ['ADMIN'] }, schema: { response: { 201: Report('The published version: { merchantId, version, rules, businessHours, fulfilment, publishedBy, note }') }, tags: ['admin'], summary: 'Publish the next policy version: the current one plus these changes, and why', params: MerchantParams, body: PublishPolicyBody } }, async (request, reply) => {
    const { merchantId } = request.params;
    const { note, ...body } = request.body;
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');
    const current = await deps.repos.currentPolicy(merchantId);
    const currentFulfilment = (await deps.repos.fulfilmentPolicy(merchantId, current.version)).rules;
    const next = mergePolicyChange(current, currentFulfilment, body);
    // A version identical to the current one would only move the version number under running what-ifs and reports.
    if (samePolicyJson(next, { rules: current.rules, businessHours: current.businessHours, fulfilment: currentFulfilment })) {
      throw badRequest('body', `changes nothing: version ${current.version} already says this`);
    }
    const audit = { publishedBy: callerName(request), ...(note ? { note: note.trim() } : {}) };
    const published = await deps.repos.publishPolicy(merchantId, next, audit);
    if (!published.policy || !published.fulfilment) throw invalid('body', published.problems);
    return reply.status(201).send({ ...policyView(merchantId, published.policy, published.fulfilment), publishedBy: audit.publishedBy, note: audit.note ?? null });
  });
}
