/**
 * Administration: merchants (name, currency, return address) and their policy as numbered
 * versions. Publishing never edits a version — cases keep the version they started with — so a
 * change is a new version built from the current one plus the changes, validated by the domain.
 */
import type { Static } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { isKnownCurrency, validateReturnAddress, type FulfilmentPolicy, type Policy } from '../../domain/index.js';
import { requireRole } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest, notFound } from '../errors.js';
import { MerchantBody, MerchantParams, PolicyChangeBody, PolicyVersionParams } from '../schemas.js';

type Problem = { field: string; reason: string };

/** 400 naming the first field, with every problem in the message. */
function invalid(problems: Problem[], prefix: string): ApiError {
  const named = problems.map((p) => ({ field: `${prefix}.${p.field}`, reason: p.reason }));
  return new ApiError(400, 'BAD_REQUEST', named.map((p) => `${p.field}: ${p.reason}`).join('; '), named[0]!.field);
}

/** Admins manage every merchant; a supervisor may read their own merchant's settings. */
function mayRead(request: FastifyRequest, merchantId: string): void {
  const p = requireRole(request, 'ADMIN', 'SUPERVISOR');
  if (p.role !== 'ADMIN' && p.merchantId !== merchantId) throw notFound('merchant');
}

const policyView = (merchantId: string, p: Policy, f: FulfilmentPolicy) => ({ merchantId, version: p.version, rules: p.rules, businessHours: p.businessHours, fulfilment: f.rules });

export function adminRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.get('/v1/admin/merchants/:merchantId', { schema: { tags: ['admin'], summary: 'A merchant and its current policy version', params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params as Static<typeof MerchantParams>;
    mayRead(request, merchantId);
    const m = await deps.repos.merchant(merchantId);
    if (!m) throw notFound('merchant');
    const policy = await deps.repos.currentPolicy(merchantId);
    return { ...m, policyVersion: policy.version };
  });

  app.put('/v1/admin/merchants/:merchantId', { schema: { tags: ['admin'], summary: 'Create or change a merchant (name, currency, return address)', params: MerchantParams, body: MerchantBody } }, async (request, reply) => {
    requireRole(request, 'ADMIN');
    const { merchantId } = request.params as Static<typeof MerchantParams>;
    const body = request.body as Static<typeof MerchantBody>;
    if (!isKnownCurrency(body.defaultCurrency)) throw badRequest('body.defaultCurrency', `${body.defaultCurrency} is not a supported ISO-4217 currency`);
    if (body.returnAddress) {
      const problems = validateReturnAddress(body.returnAddress, 'returnAddress');
      if (problems.length) throw invalid(problems, 'body');
    }
    const created = await deps.repos.saveMerchant(merchantId, body);
    return reply.status(created ? 201 : 200).send(await deps.repos.merchant(merchantId));
  });

  app.get('/v1/admin/merchants/:merchantId/policy', { schema: { tags: ['admin'], summary: "The merchant's current policy version", params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params as Static<typeof MerchantParams>;
    mayRead(request, merchantId);
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');
    const policy = await deps.repos.currentPolicy(merchantId);
    return policyView(merchantId, policy, await deps.repos.fulfilmentPolicy(merchantId, policy.version));
  });

  app.get('/v1/admin/merchants/:merchantId/policies/:version', { schema: { tags: ['admin'], summary: 'One policy version (what a case opened under)', params: PolicyVersionParams } }, async (request) => {
    const { merchantId, version } = request.params as Static<typeof PolicyVersionParams>;
    mayRead(request, merchantId);
    const policy = await deps.repos.policyVersion(merchantId, version);
    if (!policy) throw notFound('policy version');
    return policyView(merchantId, policy, await deps.repos.fulfilmentPolicy(merchantId, version));
  });

  app.post('/v1/admin/merchants/:merchantId/policies', { schema: { tags: ['admin'], summary: 'Publish the next policy version: the current one plus these changes', params: MerchantParams, body: PolicyChangeBody } }, async (request, reply) => {
    requireRole(request, 'ADMIN');
    const { merchantId } = request.params as Static<typeof MerchantParams>;
    const body = request.body as Static<typeof PolicyChangeBody>;
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');
    const current = await deps.repos.currentPolicy(merchantId);
    const rules: Record<string, unknown> = { ...current.rules };
    for (const [key, value] of Object.entries(body.rules ?? {})) {
      if (value === null) delete rules[key];
      else rules[key] = value;
    }
    const currentFulfilment = (await deps.repos.fulfilmentPolicy(merchantId, current.version)).rules;
    const changes = (body.fulfilment ?? {}) as Record<string, unknown>;
    // Carrier contracts merge by carrier code (null removes one); the other rules are replaced one by one.
    const carriers: Record<string, unknown> = { ...currentFulfilment.carriers };
    for (const [code, contract] of Object.entries((changes.carriers ?? {}) as Record<string, unknown>)) {
      if (contract === null) delete carriers[code];
      else carriers[code] = contract;
    }
    const fulfilment = { ...currentFulfilment, ...changes, carriers };
    const published = await deps.repos.publishPolicy(merchantId, { rules, businessHours: { ...current.businessHours, ...body.businessHours }, fulfilment });
    if (!published.policy || !published.fulfilment) throw invalid(published.problems, 'body');
    return reply.status(201).send(policyView(merchantId, published.policy, published.fulfilment));
  });
}
