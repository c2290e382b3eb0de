/**
 * A parcel a courier claim was filed for as lost turns up — a lost parcel delivered after all (the
 * courier's event), or a parcel that never came back scanned in at the warehouse — while the claim
 * is still open: its claim process is told (`parcelFound`), and withdraws the claim unless the carrier
 * decided it first (workflows/courier-claim.ts; docs/after-sales.md §3 and §9). The shop may not be
 * paid for goods it did not lose. A claim the carrier paid already gets an escalated step on the case
 * (CLAIM_PAID_PARCEL_FOUND), for a supervisor to pay it back. A claim for goods that came back short or
 * damaged, or for damage in transit, is for goods the parcel did not bring: the claim process
 * withdraws only a claim filed for a parcel lost as a whole (domain/courier-claim.ts claimsALostParcel).
 */
import type { FastifyRequest } from 'fastify';
import { WorkflowNotFoundError } from '@temporalio/client';
import { caseInputs } from '../db/case-inputs.js';
import { createCaseStore } from '../db/case-store.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { claimWorkflowId, parcelFound, type ParcelFound } from '../workflows/contract.js';
import { deliver } from './commands.js';
import type { ApiDeps } from './context.js';

/** What a claim's process ends on: the carrier's decision or our withdrawal (its CLAIM_<status> step). */
const CLAIM_ENDED = new Set(['CLAIM_PAID', 'CLAIM_PARTLY_PAID', 'CLAIM_REFUSED', 'CLAIM_WITHDRAWN', 'CLAIM_NOT_FILED']);
/** Ended with money from the carrier. */
const CLAIM_PAID = new Set(['CLAIM_PAID', 'CLAIM_PARTLY_PAID']);

/**
 * Tells the open claim of case `caseId` for this parcel, if there is one, that the parcel turned up.
 * Once per parcel (a courier's retried event, a second scan send nothing again); a claim process that
 * has ended meanwhile hears nothing. Whether a claim was told.
 */
export async function tellClaimParcelFound(deps: ApiDeps, request: FastifyRequest, caseId: string, found: ParcelFound, sender: { role: string; id: string }): Promise<boolean> {
  const parcel = normaliseTrackingNumber(found.trackingNumber);
  const timeline = await deps.repos.timeline(caseId);
  // The claim's steps are keyed claim:<tracking number as the case's workflow had it>:<step>.
  const ofParcel = (stepKey: string) => {
    const named = /^claim:(.+):[^:]+$/.exec(stepKey)?.[1];
    return named !== undefined && normaliseTrackingNumber(named) === parcel ? named : undefined;
  };
  // A claim started but not filed yet (its process is filing it, or waits for the carrier's gateway)
  // is told too, by its process's id: it withdraws the claim as soon as it is filed.
  const startedFor = (s: { kind: string; data: unknown }) => {
    const id = s.kind === 'CLAIM_STARTED' ? (s.data as { claimWorkflowId?: unknown } | null)?.claimWorkflowId : undefined;
    const named = typeof id === 'string' && id.startsWith(claimWorkflowId(caseId, '')) ? id.slice(claimWorkflowId(caseId, '').length) : undefined;
    return named !== undefined && normaliseTrackingNumber(named) === parcel ? named : undefined;
  };
  const filed = timeline.find((s) => s.kind === 'CLAIM_FILED' && ofParcel(s.stepKey) !== undefined);
  const started = filed ? undefined : timeline.find((s) => startedFor(s) !== undefined);
  if (!filed && !started) return false;
  const ended = timeline.find((s) => CLAIM_ENDED.has(s.kind) && ofParcel(s.stepKey) !== undefined);
  if (ended) {
    if (CLAIM_PAID.has(ended.kind)) await paidForAParcelFound(deps, caseId, ofParcel(ended.stepKey)!, ended.data, found, sender);
    return false;
  }
  const told = (await caseInputs(deps.repos.db, caseId)).some((i) => i.kind === parcelFound.name && i.outcome === 'ACCEPTED' && normaliseTrackingNumber(String((i.arg as { trackingNumber?: unknown } | null)?.trackingNumber ?? '')) === parcel);
  if (told) return false;
  const named = filed ? ofParcel(filed.stepKey)! : startedFor(started!)!;
  const claim = deps.temporal.workflow.getHandle(claimWorkflowId(caseId, named));
  const arg = { ...found, trackingNumber: named };
  try {
    await deliver(deps, request, { caseId, via: 'SIGNAL', kind: parcelFound.name, workflowId: claim.workflowId, arg, sender }, () => claim.signal(parcelFound, arg));
    return true;
  } catch (err) {
    // Ended between the timeline's read and the signal (the carrier decided): nothing to withdraw.
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The types that claim a parcel coming back that never came (a refund after shipping's, before shipping's once found shipped; a return lost on its way). */
const CLAIMS_A_PARCEL_NOT_BACK: ReadonlySet<string> = new Set(['REFUND_SHIPPED', 'REFUND_NOT_SHIPPED', 'RETURN_AND_REFUND']);

/**
 * A parcel scanned in at the warehouse: a claim its case filed before the parcel had ever come back
 * (lost on its way back: a refund after shipping's PARCEL_NOT_BACK) is withdrawn. A claim filed after
 * it came back (ARRIVED, PARCEL_BACK) is for goods missing from it or damaged, and stands.
 */
export async function withdrawClaimOfParcelBack(deps: ApiDeps, request: FastifyRequest, c: { id: string; type: string }, trackingNumber: string | null | undefined, scannedBy: string): Promise<void> {
  if (!trackingNumber || !CLAIMS_A_PARCEL_NOT_BACK.has(c.type)) return;
  const caseId = c.id;
  const steps = await deps.repos.stepsOf(caseId, ['CLAIM_FILED', 'ARRIVED', 'PARCEL_BACK']);
  if (!steps.some((s) => s.kind === 'CLAIM_FILED') || steps.some((s) => s.kind !== 'CLAIM_FILED')) return;
  await tellClaimParcelFound(deps, request, caseId, { trackingNumber, at: deps.now?.() ?? Date.now(), how: 'SCANNED_IN', by: scannedBy }, { role: 'WAREHOUSE', id: scannedBy });
}

/**
 * The carrier paid a claim for a parcel that has turned up since: the case gets an escalated step
 * saying so (once per claim), for a supervisor to pay the carrier back — open or closed, since the
 * claim outlives the case. The claim's own process has ended, so the step is written here.
 */
async function paidForAParcelFound(deps: ApiDeps, caseId: string, named: string, decided: unknown, found: ParcelFound, sender: { role: string; id: string }): Promise<void> {
  const d = (decided ?? {}) as { claimId?: unknown; recoveredMinor?: unknown };
  await createCaseStore(deps.repos.db).appendEvent({
    caseId,
    stepKey: `claim:${named}:paid-parcel-found`,
    kind: 'CLAIM_PAID_PARCEL_FOUND',
    actor: `${sender.role.toLowerCase()}:${sender.id}`,
    escalated: true,
    data: { ...(typeof d.claimId === 'string' ? { claimId: d.claimId } : {}), ...(typeof d.recoveredMinor === 'number' ? { recoveredMinor: d.recoveredMinor } : {}), parcelFound: found.how, foundAt: found.at, foundBy: found.by },
  });
}
