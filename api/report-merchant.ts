/**
 * Whose books a report reads (costs, the ledger, the register, root causes): a merchant's key reads
 * its own merchant's; an ADMIN key — the marketplace's operator, who answers for every merchant it
 * hosts — names the merchant. Before, an operator had to mint a supervisor key per merchant, which
 * then showed in the merchant's own key list with a supervisor's powers.
 */
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { principalOf } from './auth.js';
import type { ApiDeps } from './context.js';
import type { Principal } from '../db/repositories.js';
import { badRequest, notFound } from './errors.js';
import { merchantOf } from './open-case.js';
import { ID_PATTERN } from './validation-problems.js';

/** The `merchantId` a report's query takes. */
export const ReportMerchant = Type.Optional(
  Type.String({ pattern: ID_PATTERN, description: "for ADMIN keys, and required of them: whose books to read (GET /v1/admin/merchants lists them); a merchant's own keys read their merchant's and leave it out" }),
);

/**
 * A merchant's own key reads its own merchant: another's id is a 400 (it was once answered with the
 * key's own figures, as if asked). `what`: what it reads, for the message.
 */
export function ownMerchant(p: Principal, chosen: string | undefined, what: string): string | undefined {
  if (chosen !== undefined && chosen !== p.merchantId) throw badRequest('querystring.merchantId', `only admins choose the merchant: this key reads ${p.merchantId ?? 'no merchant'}'s ${what} (leave merchantId out)`);
  return p.merchantId ?? undefined;
}

export async function reportMerchant(deps: ApiDeps, request: FastifyRequest, chosen: string | undefined): Promise<string> {
  const p = principalOf(request);
  if (p.role !== 'ADMIN') {
    ownMerchant(p, chosen, 'books');
    return merchantOf(p);
  }
  if (!chosen) throw badRequest('querystring.merchantId', 'an admin key names the merchant whose books to read (GET /v1/admin/merchants lists them)');
  if (!(await deps.repos.merchant(chosen))) throw notFound('merchant');
  return chosen;
}
