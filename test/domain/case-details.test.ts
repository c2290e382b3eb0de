import { describe, expect, it } from 'vitest';
import { caseCurrentDetails, caseStaticDetails, caseSummary } from '../../domain/case-details.js';

const at = Date.UTC(2026, 11, 7, 10, 0);

describe('what ops read about a case in the Temporal UI', () => {
  it('names the type and case in the summary, and only ids in the details', () => {
    expect(caseSummary({ caseId: 'c-1', type: 'RETURN_AND_REFUND' })).toMatch(/^Return.* · 退货退款 — case c-1$/);
    const details = caseStaticDetails({ caseId: 'c-1', type: 'LOST_PARCEL', merchantId: 'm-1', orderId: 'SO-2026_1', customerId: 'cust-9' });
    expect(details).toContain('**Order** SO\\-2026\\_1');
    expect(details).toContain('**customer ref** cust\\-9');
  });

  it('says what the case waits for and until when, in both languages', () => {
    const details = caseCurrentDetails({ stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER', late: false, escalated: false, stageDeadlineAt: at });
    expect(details).toContain('**Stage** Awaiting the return shipment · 待顾客寄回 (`AWAITING_RETURN_SHIPMENT`)');
    expect(details).toContain('**Waiting for** customer: the customer sends the goods back and enters the tracking number; not sent by the deadline, the request closes (an exchange whose replacement or a loan product came first goes to an agent) — until 2026-12-07 10:00 UTC');
    expect(details).not.toMatch(/late|escalated/);
  });

  it('flags a missed solution deadline, an escalation and the assignee; a working stage waits for nobody', () => {
    const details = caseCurrentDetails({ stage: 'REFUNDING', status: 'OPEN', late: true, escalated: true, assigneeId: 'agent_7', solutionDueAt: at });
    expect(details).not.toContain('Waiting for');
    expect(details).toContain('**Solution due** 2026-12-07 10:00 UTC — **missed**');
    expect(details).toContain('**late** · **escalated** · assigned to agent\\_7');
  });

  it('shows an unknown stage by its code', () => {
    expect(caseCurrentDetails({ stage: 'SOMETHING_NEW', status: 'OPEN', late: false, escalated: false })).toContain('**Stage** SOMETHING_NEW');
  });
});
