/** Which deadline a work-queue row leads with (console/src/lib/solution.ts, queueLeads). */
import { describe, expect, it } from 'vitest';
import { queueLeads, solutionState } from '../../console/src/lib/solution.js';

const open = { status: 'OPEN', late: false, resolvedAt: null, closedAt: null, solutionDueAt: '2026-12-09T10:00:00Z', solutionGivenAt: null };

describe('the deadline a queue row leads with', () => {
  it('while the solution is owed: the wait when it comes first, else the solution', () => {
    expect(queueLeads({ ...open, waitingFor: { party: 'AGENT', deadlineAt: '2026-12-09T08:00:00Z' } })).toBe('WAIT');
    expect(queueLeads({ ...open, waitingFor: { party: 'AGENT', deadlineAt: '2026-12-12T08:00:00Z' } })).toBe('SOLUTION');
    expect(queueLeads({ ...open, waitingFor: { party: 'AGENT', deadlineAt: null } })).toBe('SOLUTION');
    // Due at the same time (an urgent complaint opened in the shop's last hour): the wait leads, as
    // on the case page; the queue said "solution" while the case page said "waiting for an agent".
    expect(queueLeads({ ...open, waitingFor: { party: 'AGENT', deadlineAt: open.solutionDueAt } })).toBe('WAIT');
    expect(queueLeads({ ...open, waitingFor: null })).toBe('SOLUTION');
  });

  it('once the solution is given, the wait that is left (an agent deciding a reopened case), not "on time"', () => {
    const given = { ...open, solutionGivenAt: '2026-12-09T09:00:00Z' };
    expect(queueLeads({ ...given, waitingFor: { party: 'AGENT', deadlineAt: '2026-12-12T08:00:00Z' } })).toBe('WAIT');
    // The customer's too (a parcel to send, a proposal to answer): a second trial missed them behind "On time".
    expect(queueLeads({ ...given, waitingFor: { party: 'CUSTOMER', deadlineAt: '2026-12-12T08:00:00Z' } })).toBe('WAIT');
    expect(queueLeads({ ...given, waitingFor: { party: 'WAREHOUSE', deadlineAt: '2026-12-12T08:00:00Z' } })).toBe('WAIT');
    // Nothing to wait for by a time: the solution's outcome.
    expect(queueLeads({ ...given, waitingFor: { party: 'AGENT', deadlineAt: null } })).toBe('SOLUTION');
  });
});

describe('whether the solution has been given', () => {
  const proposed = { ...open, timeline: [{ kind: 'OPENED' }, { kind: 'SOLUTION_PROPOSED' }] };
  it('a proposal an agent must still decide is not the solution: its deadline still runs', () => {
    // Records said nothing was missing: the workflow proposes, an agent decides; solutionGivenAt stays null.
    expect(solutionState({ ...proposed, createdAt: '2026-12-07T09:00:00Z' })).toBe('RUNNING');
    expect(solutionState({ ...proposed, createdAt: '2026-12-07T09:00:00Z', solutionGivenAt: '2026-12-07T10:00:00Z' })).toBe('MET');
  });
  it('a case from before the record began reads its proposal as given', () => {
    expect(solutionState({ ...proposed, createdAt: '2026-11-20T09:00:00Z' })).toBe('MET');
    expect(solutionState({ ...proposed, createdAt: '2026-11-20T09:00:00Z', late: true })).toBe('MISSED');
  });
});
