/**
 * Courier claims (索赔, 004 §二.1-2, §三.3, §七.3): the carrier compensates under its contract. The
 * carrier-contract table in the rules gives each carrier's claim window, follow-up rhythm and
 * escalation point; these functions turn them into instants and into what to do now.
 * Windows are counted in elapsed days (24 h) from shipment, as carrier contracts count them.
 */
import { decision, type Decision } from '../policy.js';
import type { Problem } from '../return-refund.js';
import { checkText, DAY_MS, isWhole } from './common.js';
import { carrierContract, type FulfilmentPolicy, type FulfilmentRules } from './rules.js';

export interface ClaimDeadlines {
  carrier: string;
  contractSource: 'CONTRACT' | 'DEFAULT';
  /** After this instant the carrier no longer pays. */
  windowClosesAt: number;
  /** An unsettled claim goes to the supervisor from this instant. */
  escalateAt: number;
  /** Follow-ups every followUpEveryDays after filing, before the window closes (empty until filed). */
  followUps: number[];
}

export function claimDeadlines(rules: FulfilmentRules, carrier: string, shippedAt: number, filedAt?: number): ClaimDeadlines {
  const { contract, source } = carrierContract(rules, carrier);
  const windowClosesAt = shippedAt + contract.claimWindowDays * DAY_MS;
  const followUps: number[] = [];
  if (filedAt !== undefined) for (let t = filedAt + contract.followUpEveryDays * DAY_MS; t < windowClosesAt; t += contract.followUpEveryDays * DAY_MS) followUps.push(t);
  return { carrier, contractSource: source, windowClosesAt, escalateAt: windowClosesAt - contract.escalateBeforeCloseDays * DAY_MS, followUps };
}

/** The first follow-up after `now`, if any. */
export const nextFollowUpAt = (d: ClaimDeadlines, now: number) => d.followUps.find((t) => t > now);

export type ClaimState = { filedAt?: number; settled: boolean };

/**
 * What to do with a claim now: settled → nothing; window closed → it is lost (recorded, the shop
 * bears the cost); escalation point passed → the supervisor, at once; not filed → file now;
 * otherwise follow up at the next follow-up instant. escalateAt is inside, windowClosesAt outside.
 */
export function decideClaimStep(policy: FulfilmentPolicy, carrier: string, shippedAt: number, now: number, state: ClaimState): Decision {
  const d = claimDeadlines(policy.rules, carrier, shippedAt, state.filedAt);
  const values = { carrier, contractSource: d.contractSource, shippedAt, filedAt: state.filedAt, windowClosesAt: d.windowClosesAt, escalateAt: d.escalateAt, now };
  if (state.settled) return decision(policy, 'courierClaim', values, 'SETTLED');
  if (now >= d.windowClosesAt) return decision(policy, 'claimWindowDays', values, 'WINDOW_CLOSED');
  if (now >= d.escalateAt) return decision(policy, 'escalateBeforeCloseDays', { ...values, fileNow: state.filedAt === undefined }, 'ESCALATE');
  if (state.filedAt === undefined) return decision(policy, 'claimWindowDays', values, 'FILE_NOW');
  return decision(policy, 'followUpEveryDays', { ...values, nextFollowUpAt: nextFollowUpAt(d, now) }, 'FOLLOW_UP');
}

/** What to claim for lost or damaged goods: their value, within the carrier's per-parcel limit. */
export function claimAmountMinor(rules: FulfilmentRules, carrier: string, goodsValueMinor: number): number {
  if (!isWhole(goodsValueMinor, 0)) throw new RangeError(`goods value must be a whole number of minor units ≥ 0, got ${goodsValueMinor}`);
  const limit = carrierContract(rules, carrier).contract.maxClaimMinor;
  return limit === undefined ? goodsValueMinor : Math.min(goodsValueMinor, limit);
}

export type ClaimOutcome = 'PAID' | 'PARTLY_PAID' | 'REFUSED';
export const CLAIM_OUTCOMES: readonly ClaimOutcome[] = ['PAID', 'PARTLY_PAID', 'REFUSED'];

export interface ClaimResult {
  outcome: ClaimOutcome;
  claimedMinor: number;
  recoveredMinor: number;
  /** Required when the carrier did not pay in full. */
  reason?: string;
}

/**
 * A claim's outcome must agree with its amounts: PAID recovers exactly what was claimed,
 * PARTLY_PAID something between, REFUSED nothing; never more than claimed; a reason whenever the
 * carrier did not pay in full.
 */
export function validateClaimResult(r: ClaimResult): Problem[] {
  const problems: Problem[] = [];
  if (!CLAIM_OUTCOMES.includes(r.outcome)) problems.push({ field: 'outcome', reason: `must be one of ${CLAIM_OUTCOMES.join(', ')}` });
  if (!isWhole(r.claimedMinor, 1)) problems.push({ field: 'claimedMinor', reason: `must be a whole number of minor units ≥ 1, got ${JSON.stringify(r.claimedMinor)}` });
  if (!isWhole(r.recoveredMinor, 0)) problems.push({ field: 'recoveredMinor', reason: `must be a whole number of minor units ≥ 0, got ${JSON.stringify(r.recoveredMinor)}` });
  if (problems.length) return problems;
  const { claimedMinor: c, recoveredMinor: got } = r;
  if (got > c) problems.push({ field: 'recoveredMinor', reason: `${got} is more than the ${c} claimed` });
  else if (r.outcome === 'PAID' && got !== c) problems.push({ field: 'recoveredMinor', reason: `PAID means the ${c} claimed was recovered, got ${got}` });
  else if (r.outcome === 'PARTLY_PAID' && (got === 0 || got === c)) problems.push({ field: 'recoveredMinor', reason: `PARTLY_PAID means more than 0 and less than ${c}, got ${got}` });
  else if (r.outcome === 'REFUSED' && got !== 0) problems.push({ field: 'recoveredMinor', reason: `REFUSED means nothing was recovered, got ${got}` });
  if (r.outcome !== 'PAID') problems.push(...checkText(r.reason, 'reason'));
  return problems;
}
