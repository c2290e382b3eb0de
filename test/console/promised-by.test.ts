/** When the shop promised a case's answer (console/src/lib/solution.ts, promisedBy): what "breaching today" counts by. */
import { describe, expect, it } from 'vitest';
import { promisedBy } from '../../console/src/lib/solution.js';

const solutionDueAt = '2026-12-10T10:00:00.000Z';
const twoHoursIn = Date.parse('2026-12-09T18:00:00.000Z');

describe('the time a case’s answer was promised by', () => {
  it('is the same-day solution’s deadline', () => {
    expect(promisedBy({ type: 'RETURN_AND_REFUND', solutionDueAt, deadlines: {} })).toBe(solutionDueAt);
    expect(promisedBy({ type: 'RETURN_AND_REFUND', solutionDueAt: null })).toBeNull();
  });
  it('is a complaint’s sooner answer time when its priority promised one (an urgent complaint opened in the evening is owed today)', () => {
    expect(promisedBy({ type: 'COMPLAINT', solutionDueAt, deadlines: { answerBy: twoHoursIn } })).toBe('2026-12-09T18:00:00.000Z');
    // Never later than the solution's deadline.
    expect(promisedBy({ type: 'COMPLAINT', solutionDueAt, deadlines: { answerBy: Date.parse(solutionDueAt) + 3_600_000 } })).toBe(solutionDueAt);
  });
  it('leaves the customer’s own time to answer an offer alone (answerBy of a discount on another case type)', () => {
    expect(promisedBy({ type: 'WRONG_ITEM', solutionDueAt, deadlines: { answerBy: twoHoursIn } })).toBe(solutionDueAt);
  });
});
