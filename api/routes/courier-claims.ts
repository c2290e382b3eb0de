/**
 * A carrier's decision on a courier claim, pushed to us (signed like tracking events): it goes to
 * the claim's own process, which books what the carrier pays. The claim process also asks the
 * carrier every few days, so a lost callback delays the booking, never loses it.
 */
import type { ApiApp } from '../typed-app.js';
import { Type } from 'typebox';
import { validateClaimResult } from '../../domain/index.js';
import { caseInputs } from '../../db/case-inputs.js';
import { claimDecided, claimWorkflowId } from '../../workflows/contract.js';
import { deliver } from '../commands.js';
import type { ApiDeps } from '../context.js';
import { ApiError, assertValid, notFound } from '../errors.js';
import { ClaimDecisionBody } from '../schemas-fulfilment.js';
import { ClaimDecisionAccepted } from '../responses.js';
import { CourierCode } from '../schemas.js';
import { reportedTimeProblem } from '../reported-times.js';
import { CLAIM_ID_PATTERN } from '../validation-problems.js';
import { carrierCodeOf } from '../../domain/carriers.js';

const ClaimParams = Type.Object({ carrier: CourierCode, claimId: Type.String({ pattern: CLAIM_ID_PATTERN }) });

export function courierClaimRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/couriers/:carrier/claims/:claimId/decision', { config: { auth: 'courier-signature', signedUrl: true }, schema: { response: { 202: ClaimDecisionAccepted }, tags: ['courier'], summary: "The carrier's decision on a claim (signed)", description: 'Signed in the v2 form of the courierSignature scheme, which covers this URL: a decision signed for one claim cannot be replayed to another (a v1 signature is a 401 saying so). The `claimId` is the carrier’s own, as its claims API answered our filing (it is also on the case’s CLAIM_FILED step); amounts are minor units of the currency the claim was filed in (CNY: 分). A claim the carrier does not decide by callback is asked after every few days, so a lost callback delays the booking, never loses it.', params: ClaimParams, body: ClaimDecisionBody } }, async (request, reply) => {
    // The carrier by its code, however the URL spells it (the auth hook found its secret so).
    const carrier = carrierCodeOf(request.params.carrier);
    const { claimId } = request.params;
    const body = request.body;
    const filed = await deps.repos.filedClaim(claimId, carrier);
    if (!filed) throw notFound('claim');
    const problems = validateClaimResult({ outcome: body.status, claimedMinor: filed.claimedMinor, recoveredMinor: body.paidMinor, reason: body.reason });
    // A decision is dated when the carrier made it: after the claim was filed, and not ahead of now.
    const when = reportedTimeProblem(body.at, deps.now?.() ?? Date.now(), { at: filed.filedAt.getTime(), what: `claim ${claimId} was filed` });
    assertValid('body', [...problems.map((p) => ({ ...p, field: p.field === 'recoveredMinor' ? 'paidMinor' : p.field })), ...(when ? [{ field: 'at', reason: when }] : [])]);
    // A carrier that retries after a timeout sends the same decision again: by then the claim's
    // process has ended. The same decision is acknowledged again; another one is refused.
    const earlier = (await caseInputs(deps.repos.db, filed.caseId)).find((i) => i.kind === claimDecided.name && i.outcome === 'ACCEPTED' && (i.arg as { claimId?: unknown }).claimId === claimId);
    if (earlier) {
      const first = earlier.arg as { status: string; paidMinor: number };
      if (first.status === body.status && first.paidMinor === body.paidMinor) return reply.status(202).send({ accepted: true, caseId: filed.caseId, duplicate: true });
      throw new ApiError(409, 'CLAIM_ALREADY_DECIDED', `claim ${claimId} was already decided: ${first.status}, ${first.paidMinor} paid`, 'body.status');
    }
    const claim = deps.temporal.workflow.getHandle(claimWorkflowId(filed.caseId, filed.trackingNumber));
    // The carrier's reason goes with it: a refused or partly paid claim is disputed on it.
    const arg = { claimId, status: body.status, paidMinor: body.paidMinor, at: body.at, ...(body.reason?.trim() ? { reason: body.reason.trim() } : {}) };
    // Recorded on the case whose claim it is, addressed to the claim's own workflow.
    await deliver(deps, request, { caseId: filed.caseId, via: 'SIGNAL', kind: claimDecided.name, workflowId: claim.workflowId, arg, sender: { role: 'COURIER', id: carrier } }, () => claim.signal(claimDecided, arg));
    return reply.status(202).send({ accepted: true, caseId: filed.caseId, duplicate: false });
  });
}
