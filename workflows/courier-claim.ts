/**
 * A courier claim (索赔, 004 §二.1 / §三.3) as a long-lived process of its own: filed with evidence
 * under the carrier contract, followed up every few days until the carrier pays, pays in part or
 * refuses; escalated to a supervisor before the contract's claim window closes; what the carrier
 * pays is booked in the case's ledger. Started by a case as a child that outlives it (the customer
 * is never made to wait for the claim, so the case may close long before the carrier answers).
 * A parcel that turns up while the claim is open (`parcelFound`: delivered after all, or back at the
 * warehouse) has the claim withdrawn — the shop may not be paid for goods it did not lose; decided by
 * the carrier first, what it paid is booked and escalated, to be paid back (docs/after-sales.md §3).
 * So too when the case withdrew the request it was claimed for (`claimNotNeeded`: transit damage
 * whose customer kept the goods, nothing refunded — docs/after-sales.md §5).
 * Signals of their own: a claim process without one replays as before.
 */
import { ActivityFailure, continueAsNew, setHandler, workflowInfo } from '@temporalio/workflow';
import { claimSchedule, claimsALostParcel, type CarrierContract } from '../domain/index.js';
import { activities, waitUntil } from './case-machinery.js';
import { claimDecided, claimNotNeeded, parcelFound, type ClaimDecision, type ClaimNotNeeded, type ParcelFound } from './contract.js';
import type { ClaimState } from '../activities/contract.js';

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
  /** Set when the process continues as new after the parcel turned up: what was heard, and whether the withdrawal was asked for. */
  found?: { parcel: ParcelFound; withdrawalAsked: boolean };
  /** Set when the process continues as new after its case said the claim is not needed (and whether the withdrawal was asked for). */
  notNeeded?: { said: ClaimNotNeeded; withdrawalAsked: boolean };
}

export interface CourierClaimOutcome {
  status: 'PAID' | 'PARTLY_PAID' | 'REFUSED' | 'WITHDRAWN' | 'NOT_FILED_WINDOW_CLOSED';
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

  /** The carrier's decision (its callback or our asking), or our withdrawal as the carrier confirmed it. */
  let decided: (Omit<ClaimDecision, 'status'> & { status: Exclude<ClaimState['status'], 'FILED'> }) | undefined;
  setHandler(claimDecided, (d) => {
    if (!decided && d.claimId === filed?.claimId) decided = d;
  });
  // Only a claim for a parcel lost as a whole: one for goods broken or missing from a parcel that came stands.
  let found: ParcelFound | undefined = input.found?.parcel;
  /** Whether the withdrawal was asked for (once: a carrier that answers it FILED, or refuses it, is followed up until it decides). */
  let withdrawalAsked = input.found?.withdrawalAsked ?? input.notNeeded?.withdrawalAsked ?? false;
  setHandler(parcelFound, (f) => {
    if (f.trackingNumber === input.trackingNumber && claimsALostParcel(input.reason)) found ??= f;
  });
  /** The case no longer needs the claim (it was withdrawn): taken back as for a parcel found. */
  let notNeeded: ClaimNotNeeded | undefined = input.notNeeded?.said;
  setHandler(claimNotNeeded, (n) => void (notNeeded ??= n));
  /** Why the claim was (to be) taken back, on its steps: the parcel turned up, or the case was withdrawn. */
  const whyTakenBack = () => (found ? { parcelFound: found.how, foundAt: found.at, foundBy: found.by } : notNeeded ? { caseWithdrawnAt: notNeeded.at } : {});

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
    if (await waitUntil(() => !!decided || ((!!found || !!notNeeded) && !withdrawalAsked), next)) {
      if (decided) break;
      withdrawalAsked = true;
      const state = await withdraw(claim.claimId);
      if (state && state.status !== 'FILED') decided ??= { claimId: claim.claimId, status: state.status, paidMinor: state.paidMinor ?? 0, at: state.decidedAt ?? Date.now() };
      continue;
    }
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
    if (workflowInfo().historyLength > HISTORY_LIMIT) await continueAsNew<typeof courierClaim>({ ...input, filed: claim, ...(found ? { found: { parcel: found, withdrawalAsked } } : {}), ...(notNeeded ? { notNeeded: { said: notNeeded, withdrawalAsked } } : {}) });
  }

  const outcome = decided!;
  const foundData = whyTakenBack();
  if (outcome.status === 'WITHDRAWN') {
    await event('withdrawn', 'CLAIM_WITHDRAWN', { data: { claimId: claim.claimId, claimedMinor: claim.claimedMinor, ...foundData } });
    return { status: 'WITHDRAWN', claimId: claim.claimId, claimedMinor: claim.claimedMinor, recoveredMinor: 0 };
  }
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
  // Paid for a parcel that turned up: a supervisor sees to paying it back (the found parcel in the step).
  const shortMinor = claim.claimedMinor - recoveredMinor;
  await event('decided', `CLAIM_${outcome.status}`, {
    data: { claimId: claim.claimId, claimedMinor: claim.claimedMinor, recoveredMinor, decidedAt: outcome.at, ...(outcome.reason ? { reason: outcome.reason } : {}), ...foundData },
    escalated: shortMinor > 0 || ((!!found || !!notNeeded) && recoveredMinor > 0) ? true : undefined,
  });
  return { status: outcome.status, claimId: claim.claimId, claimedMinor: claim.claimedMinor, recoveredMinor };

  /**
   * Asks the carrier to take the claim back. A carrier that refuses (the claim under review, no such
   * route) leaves it open: its refusal is on the timeline, escalated, and the claim is followed up
   * until the carrier decides — a payment then is booked and escalated to be paid back.
   */
  async function withdraw(claimId: string): Promise<ClaimState | undefined> {
    const reason = found ? `parcel ${FOUND_WORDS[found.how]} after all` : 'the customer withdrew the request: nothing was refunded for the goods';
    try {
      return await activities.withdrawCourierClaim({ caseId: input.caseId, stepKey: `${input.caseId}:claim:${input.trackingNumber}:withdrawal`, carrier: input.carrier, claimId, reason });
    } catch (err) {
      if (!(err instanceof ActivityFailure)) throw err;
      await event('withdrawal-refused', 'CLAIM_WITHDRAWAL_REFUSED', { escalated: true, data: { claimId, reason: err.cause?.message ?? err.message, ...whyTakenBack() } });
      return undefined;
    }
  }
}

/** How the parcel turned up, in the withdrawal's reason to the carrier. */
const FOUND_WORDS: Record<ParcelFound['how'], string> = { DELIVERED: 'delivered', COMING_BACK: 'on its way back to the sender', SCANNED_IN: 'back at the sender' };
