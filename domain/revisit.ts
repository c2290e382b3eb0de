/**
 * The satisfaction revisit (回访, 004): some days after resolution the customer scores 1–5.
 * 1–2 reopens the case to an agent (unsatisfied → handled again); 3–5 closes it satisfied;
 * no answer within the window closes it as unanswered.
 */
import { decision, type Decision, type Policy } from './policy.js';

export type RevisitOutcome = 'SATISFIED' | 'REOPEN' | 'UNANSWERED';

export const MIN_SCORE = 1;
export const MAX_SCORE = 5;
/** The highest score that still reopens the case. */
export const REOPEN_AT_OR_BELOW = 2;

/** Why a score is not acceptable, or undefined when it is (for update validators and the API). */
export function validateSatisfactionScore(score: unknown): string | undefined {
  if (typeof score !== 'number' || !Number.isInteger(score) || score < MIN_SCORE || score > MAX_SCORE) {
    return `score must be a whole number from ${MIN_SCORE} to ${MAX_SCORE}, got ${JSON.stringify(score)}`;
  }
  return undefined;
}

/** `undefined` = no answer within the window. Throws RangeError on an invalid score: validate first. */
export function revisitOutcome(score: number | undefined): RevisitOutcome {
  if (score === undefined) return 'UNANSWERED';
  const problem = validateSatisfactionScore(score);
  if (problem) throw new RangeError(problem);
  return score <= REOPEN_AT_OR_BELOW ? 'REOPEN' : 'SATISFIED';
}

/** The same, as a Decision for the timeline. */
export function decideRevisit(policy: Policy, score: number | undefined): Decision {
  const outcome = revisitOutcome(score);
  if (outcome === 'UNANSWERED') return decision(policy, 'revisitAnswerDays', { revisitAnswerDays: policy.rules.revisitAnswerDays }, outcome);
  return decision(policy, 'revisitScore', { score, reopenAtOrBelow: REOPEN_AT_OR_BELOW }, outcome);
}

/**
 * For the satisfaction figure (004 §六: (非常满意 + 满意) / 回访数): "very satisfied" and "satisfied"
 * are 5 and 4. A 3 closes the case but is not counted as satisfied.
 */
export const isSatisfied = (score: number) => score >= 4;
