/**
 * A courier claim (索赔, 004 §二.1 / §三.3) as a long-lived process of its own: filed with evidence
 * under the carrier contract, followed up every few days until the carrier pays, pays in part or
 * refuses; escalated to a supervisor before the contract's claim window closes; what the carrier
 * pays is booked in the case's ledger. Started by a case as a child that outlives it (the customer
 * is never made to wait for the claim, so the case may close long before the carrier answers).
 */
import { continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { claimSchedule, type CarrierContract } from '../domain/index.js';
import { activities, waitUntil } from './case-machinery.js';
import { claimDecided, type ClaimDecision } from './contract.js';

export interface CourierClaimInput {
  caseId: string;
  carrier: string;
  trackingNumber: string;
  amountMinor: number;
  currency: string;
  reason: string;
  evidenceUrls: string[];
  /** When the parcel was handed to the carrier: the claim window counts from it. */
  shippedAt: number;
  contract: CarrierContract;
  /** Whether the contract came from the carrier table or the default (for the timeline). */
  contractSource: 'CONTRACT' | 'DEFAULT';
  policyVersion: number;
  /** Set when the process continues as new: the claim is already filed. */
  filed?: { claimId: string; claimedMinor: number; escalated: boolean; followUps: number };
}

export interface CourierClaimOutcome {
  status: 'PAID' | 'PARTLY_PAID' | 'REFUSED' | 'NOT_FILED_WINDOW_CLOSED';
  claimId?: string;
  claimedMinor: number;
  recoveredMinor: number;
}

const HISTORY_LIMIT = 5_000;

export async function courierClaim(input: CourierClaimInput): Promise<CourierClaimOutcome> {
  const schedule = claimSchedule(input.contract, input.shippedAt, input.amountMinor);
  const decision = (rule: string, values: Record<string, unknown>, outcome: string) => ({
    rule,
    values: { ...values, carrier: input.carrier, contractSource: input.contractSource },
    policyVersion: input.policyVersion,
    outcome,
  });
  const event = (step: string, kind: string, fields: { data?: Record<string, unknown>; decision?: ReturnType<typeof decision>; escalated?: boolean } = {}) =>
    activities.recordCaseEvent({ caseId: input.caseId, stepKey: `claim:${input.trackingNumber}:${step}`, kind, actor: `logistics:claim`, ...fields });

  let decided: ClaimDecision | undefined;
  setHandler(claimDecided, (d) => {
    if (!decided && d.claimId === filed?.claimId) decided = d;
  });

  let filed = input.filed;
  if (!filed) {
    if (Date.now() >= schedule.windowClosesAt) {
      await event('window-closed', 'CLAIM_NOT_FILED', {
        escalated: true,
        decision: decision('claimWindowDays', { shippedAt: input.shippedAt, windowClosesAt: schedule.windowClosesAt, days: input.contract.claimWindowDays }, 'WINDOW_CLOSED'),
      });
      return { status: 'NOT_FILED_WINDOW_CLOSED', claimedMinor: 0, recoveredMinor: 0 };
    }
    const { claimId } = await activities.fileCourierClaim({
      caseId: input.caseId,
      stepKey: `${input.caseId}:claim:${input.trackingNumber}`,
      carrier: input.carrier,
      trackingNumber: input.trackingNumber,
      amountMinor: schedule.claimableMinor,
      currency: input.currency,
      reason: input.reason,
      evidenceUrls: input.evidenceUrls,
    });
    filed = { claimId, claimedMinor: schedule.claimableMinor, escalated: false, followUps: 0 };
    await event('filed', 'CLAIM_FILED', {
      data: { claimId, carrier: input.carrier, trackingNumber: input.trackingNumber, claimedMinor: schedule.claimableMinor, currency: input.currency, windowClosesAt: schedule.windowClosesAt, filedAt: Date.now() },
      decision: decision('carrierContract', { askedMinor: input.amountMinor, maxClaimMinor: input.contract.maxClaimMinor, claimWindowDays: input.contract.claimWindowDays }, 'FILED'),
    });
  }
  const claim = filed;

  // Follow up every N days until the carrier decides; escalate once before the window closes.
  while (!decided) {
    const next = Math.min(Date.now() + schedule.followUpEveryMs, claim.escalated ? Infinity : Math.max(schedule.escalateAt, Date.now()));
    if (await waitUntil(() => !!decided, next)) break;
    if (!claim.escalated && Date.now() >= schedule.escalateAt) {
      claim.escalated = true;
      await event('escalated', 'CLAIM_ESCALATED', {
        escalated: true,
        decision: decision('escalateBeforeCloseDays', { windowClosesAt: schedule.windowClosesAt, days: input.contract.escalateBeforeCloseDays }, 'ESCALATE'),
      });
      continue;
    }
    claim.followUps += 1;
    const state = await activities.claimStatus({ carrier: input.carrier, claimId: claim.claimId });
    if (state.status !== 'FILED') {
      decided = { claimId: claim.claimId, status: state.status, paidMinor: state.paidMinor ?? 0, at: state.decidedAt ?? Date.now() };
      break;
    }
    await event(`follow-up-${claim.followUps}`, 'CLAIM_FOLLOWED_UP', { data: { claimId: claim.claimId, status: state.status } });
    // A claim can stay open for months: keep the history short.
    if (workflowInfo().historyLength > HISTORY_LIMIT) await continueAsNew<typeof courierClaim>({ ...input, filed: claim });
  }

  const outcome = decided!;
  // Never book more than was claimed, whatever a callback says.
  const recoveredMinor = outcome.status === 'REFUSED' ? 0 : Math.min(Math.max(0, outcome.paidMinor), claim.claimedMinor);
  if (recoveredMinor > 0) {
    await activities.appendLedger({
      caseId: input.caseId,
      stepKey: `${input.caseId}:claim:${input.trackingNumber}:recovery`,
      kind: 'CLAIM_RECOVERY',
      amountMinor: recoveredMinor,
      currency: input.currency,
      // Booked when the decision is processed; the carrier's own date goes with it, for the month it belongs to.
      lines: [{ claimId: claim.claimId, carrier: input.carrier, trackingNumber: input.trackingNumber, claimedMinor: claim.claimedMinor, paidMinor: recoveredMinor, decidedAt: outcome.at }],
      reference: claim.claimId,
    });
  }
  // Short of what was claimed (refused, or paid in part) goes to a supervisor, who may dispute it.
  // The step is an activity's input, not a command: no patch.
  const shortMinor = claim.claimedMinor - recoveredMinor;
  await event('decided', `CLAIM_${outcome.status}`, {
    data: { claimId: claim.claimId, claimedMinor: claim.claimedMinor, recoveredMinor, decidedAt: outcome.at, ...(outcome.reason ? { reason: outcome.reason } : {}) },
    escalated: shortMinor > 0 ? true : undefined,
  });
  return { status: outcome.status, claimId: claim.claimId, claimedMinor: claim.claimedMinor, recoveredMinor };
}
