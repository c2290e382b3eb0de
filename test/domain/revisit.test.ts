import { describe, expect, it } from 'vitest';
import { decideRevisit, defaultPolicy, isSatisfied, revisitOutcome, validateSatisfactionScore } from '../../domain/index.js';

describe('satisfaction revisit (回访)', () => {
  it('≤ 2 reopens to an agent, ≥ 3 closes satisfied', () => {
    expect([1, 2, 3, 4, 5].map(revisitOutcome)).toEqual(['REOPEN', 'REOPEN', 'SATISFIED', 'SATISFIED', 'SATISFIED']);
  });
  it('no answer within the window closes the case as unanswered', () => {
    expect(revisitOutcome(undefined)).toBe('UNANSWERED');
  });
  it('validates the score: whole numbers 1–5 only', () => {
    for (const ok of [1, 3, 5]) expect(validateSatisfactionScore(ok)).toBeUndefined();
    for (const bad of [0, 6, 2.5, -1, Number.NaN, '3', null, undefined]) {
      expect(validateSatisfactionScore(bad), String(bad)).toMatch(/^score must be a whole number from 1 to 5, got /);
    }
    expect(validateSatisfactionScore(2.5)).toBe('score must be a whole number from 1 to 5, got 2.5');
    expect(() => revisitOutcome(6)).toThrow(RangeError);
    expect(() => revisitOutcome(0)).toThrow(RangeError);
  });
  it('as a Decision for the timeline', () => {
    const policy = defaultPolicy(5);
    expect(decideRevisit(policy, 2)).toEqual({ rule: 'revisitScore', values: { score: 2, reopenAtOrBelow: 2 }, policyVersion: 5, outcome: 'REOPEN' });
    expect(decideRevisit(policy, 3)).toMatchObject({ outcome: 'SATISFIED' });
    expect(decideRevisit(policy, undefined)).toEqual({ rule: 'revisitAnswerDays', values: { revisitAnswerDays: 7 }, policyVersion: 5, outcome: 'UNANSWERED' });
  });
  it('the satisfaction figure (004 §六) counts only "very satisfied" and "satisfied": 4 and 5', () => {
    expect([1, 2, 3, 4, 5].map(isSatisfied)).toEqual([false, false, false, true, true]);
  });
});
