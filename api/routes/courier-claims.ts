/**
 * A carrier's decision on a courier claim, pushed to us (signed like tracking events): it goes to
 * the claim's own process, which books what the carrier pays. The claim process also asks the
 * carrier every few days, so a lost callback delays the booking, never loses it.
 */
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { verify } from '../../adapters/http/signature.js';
import { validateClaimResult } from '../../domain/index.js';
import { claimDecided, claimWorkflowId } from '../../workflows/contract.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest, notFound } from '../errors.js';

const ClaimParams = Type.Object({ carrier: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }), claimId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }) });
const ClaimDecisionBody = Type.Object(
  {
    status: Type.Union([Type.Literal('PAID'), Type.Literal('PARTLY_PAID'), Type.Literal('REFUSED')]),
    paidMinor: Type.Integer({ minimum: 0, description: 'what the carrier pays, minor units (0 when refused)' }),
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    at: Type.Integer({ minimum: 0, description: 'epoch milliseconds of the decision' }),
  },
  { additionalProperties: false },
);

export function courierClaimRoutes(app: FastifyInstance, deps: ApiDeps): void {
  app.post('/v1/couriers/:carrier/claims/:claimId/decision', { schema: { tags: ['courier'], summary: "The carrier's decision on a claim (signed)", params: ClaimParams, body: ClaimDecisionBody } }, async (request, reply) => {
    const { carrier, claimId } = request.params as Static<typeof ClaimParams>;
    const secret = deps.courierSecrets[carrier];
    if (!secret) throw notFound('carrier');
    const ok = verify(secret, request.headers['x-signature'] as string | undefined, request.rawBody ?? '', { toleranceSeconds: 300, now: deps.now?.() ?? Date.now() });
    if (!ok) throw new ApiError(401, 'BAD_SIGNATURE', 'X-Signature is missing, stale or does not match the body');
    const body = request.body as Static<typeof ClaimDecisionBody>;
    const filed = await deps.repos.filedClaim(claimId);
    if (!filed || filed.carrier !== carrier) throw notFound('claim');
    const problems = validateClaimResult({ outcome: body.status, claimedMinor: filed.claimedMinor, recoveredMinor: body.paidMinor, reason: body.reason });
    if (problems.length) throw badRequest(`body.${problems[0]!.field === 'recoveredMinor' ? 'paidMinor' : problems[0]!.field}`, problems[0]!.reason);
    await deps.temporal.workflow.getHandle(claimWorkflowId(filed.caseId, filed.trackingNumber)).signal(claimDecided, { claimId, status: body.status, paidMinor: body.paidMinor, at: body.at });
    return reply.status(202).send({ accepted: true, caseId: filed.caseId });
  });
}
