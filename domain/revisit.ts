/** The satisfaction revisit (回访): 1–5; 1–2 reopens the case to an agent; silence closes it as unanswered. */
export type RevisitOutcome = 'SATISFIED' | 'REOPEN' | 'UNANSWERED';

export function revisitOutcome(score: number | undefined): RevisitOutcome {
  if (score === undefined) return 'UNANSWERED';
  if (!Number.isInteger(score) || score < 1 || score > 5) throw new RangeError('score must be a whole number from 1 to 5');
  return score <= 2 ? 'REOPEN' : 'SATISFIED';
}

/** For the satisfaction figure (004 §六): "very satisfied" and "satisfied" are scores 5 and 4. */
export const isSatisfied = (score: number) => score >= 4;
