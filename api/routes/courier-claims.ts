/**
 * A carrier's decision on a courier claim, pushed to us (signed like tracking events): it goes to
 * the claim's own process, which books what the carrier pays. The claim process also asks the
 * carrier every few days, so a lost callback delays the booking, never loses it.
 */
import type { ApiApp } from '../typed-app.js';
import { Type } from 'typebox';
import { validateClaimResult } from '../../domain/index.js';
import { claimDecided, claimWorkflowId } from '../../workflows/contract.js';
import { deliver } from '../commands.js';
import type { ApiDeps } from '../context.js';
import { assertValid, notFound } from '../errors.js';
import { ClaimDecisionBody } from '../schemas-fulfilment.js';
import { ClaimDecisionAccepted } from '../responses.js';

const ClaimParams = Type.Object({ carrier: Type.String({ pattern: '^[A-Za-z0-9_-]{1,32}$' }), claimId: Type.String({ pattern: '^[A-Za-z0-9_.:-]{1,64}$' }) });

export function courierClaimRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/couriers/:carrier/claims/:claimId/decision', { config: { auth: 'courier-signature' }, schema: { response: { 202: ClaimDecisionAccepted }, tags: ['courier'], summary: "The carrier's decision on a claim (signed)", params: ClaimParams, body: ClaimDecisionBody } }, async (request, reply) => {
    const { carrier, claimId } = request.params;
    const body = request.body;
    const filed = await deps.repos.filedClaim(claimId);
    if (!filed || filed.carrier !== carrier) throw notFound('claim');
    const problems = validateClaimResult({ outcome: body.status, claimedMinor: filed.claimedMinor, recoveredMinor: body.paidMinor, reason: body.reason });
    assertValid('body', problems.map((p) => ({ ...p, field: p.field === 'recoveredMinor' ? 'paidMinor' : p.field })));
    const claim = deps.temporal.workflow.getHandle(claimWorkflowId(filed.caseId, filed.trackingNumber));
    const arg = { claimId, status: body.status, paidMinor: body.paidMinor, at: body.at };
    // Recorded on the case whose claim it is, addressed to the claim's own workflow.
    await deliver(deps, request, { caseId: filed.caseId, via: 'SIGNAL', kind: claimDecided.name, workflowId: claim.workflowId, arg, sender: { role: 'COURIER', id: carrier } }, () => claim.signal(claimDecided, arg));
    return reply.status(202).send({ accepted: true, caseId: filed.caseId });
  });
}
