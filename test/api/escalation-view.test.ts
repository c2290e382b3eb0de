import { describe, expect, it } from 'vitest';
import { escalationView } from '../../api/escalation-view.js';

const at = new Date('2026-12-09T02:00:00Z');
const timeline = [
  { stepKey: '1:OPENED', at, kind: 'OPENED', actor: 'customer:c1', data: {} },
  { stepKey: '4:COUNT_MISMATCH', at, kind: 'COUNT_MISMATCH', actor: 'system', data: { mismatch: [] } },
  { stepKey: '4:CLASSIFIED', at, kind: 'CLASSIFIED', actor: 'system', data: {}, decision: { rule: 'complaintPriority', outcome: 'URGENT', values: {} } },
  { stepKey: '5:ESCALATED', at, kind: 'ESCALATED', actor: 'agent:a1', data: { reason: '顾客第三次来电' } },
  { stepKey: '6:notify:stuck', at, kind: 'STUCK', actor: 'system', data: { activity: 'notify', attempt: 5, error: 'provider down' } },
  { stepKey: '9:REOPENED', at, kind: 'REOPENED', actor: 'customer:c1', data: { score: 1, comment: '还是坏的' } },
];

describe('why a case is escalated', () => {
  it('is the kept step: its kind, when, who, and the reason a person gave or a failing step’s error', () => {
    expect(escalationView(true, '4:COUNT_MISMATCH', timeline)).toEqual({ kind: 'COUNT_MISMATCH', at: at.toISOString(), actor: 'system', reason: null, rule: null, outcome: null });
    expect(escalationView(true, '5:ESCALATED', timeline)).toMatchObject({ kind: 'ESCALATED', actor: 'agent:a1', reason: '顾客第三次来电' });
    expect(escalationView(true, '6:notify:stuck', timeline)).toMatchObject({ kind: 'STUCK', reason: 'provider down' });
    expect(escalationView(true, '9:REOPENED', timeline)).toMatchObject({ kind: 'REOPENED', reason: '还是坏的' });
    // What its rule decided, so that a reader need not find the step again by kind and time (two steps of a batch share one).
    expect(escalationView(true, '4:CLASSIFIED', timeline)).toMatchObject({ kind: 'CLASSIFIED', rule: 'complaintPriority', outcome: 'URGENT' });
  });

  it('is nothing for a case not escalated, or escalated before the step was kept', () => {
    expect(escalationView(false, '5:ESCALATED', timeline)).toBeNull();
    expect(escalationView(true, null, timeline)).toBeNull();
    expect(escalationView(true, '', timeline)).toBeNull();
    expect(escalationView(true, '9:GONE', timeline)).toBeNull();
  });
});
