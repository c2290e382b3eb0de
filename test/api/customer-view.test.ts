/** The customer's view of a timeline and of evidence (api/customer-view.ts), on hand-made events. */
import { describe, expect, it } from 'vitest';
import { actorForCustomer, caseFieldsForCustomer, customerLocaleOf, dataForCustomer, decisionForCustomer, evidenceForCustomer, isCustomerFacing, timelineForCustomer } from '../../api/customer-view.js';

describe('a case as its customer sees it', () => {
  it('drops the staff notes, assignments, escalations, reminders, the shop\'s findings and its claims against the courier, keeps every other step in order', () => {
    const events = [
      { kind: 'OPENED', actor: 'storefront:key-1', data: {} },
      { kind: 'NOTE', actor: 'agent:key-7', data: { text: 'goodwill ok' } },
      { kind: 'ASSIGNED', actor: 'system', data: { assigneeId: 'key-7' } },
      { kind: 'ESCALATED', actor: 'system', data: { reason: 'agent:key-7: suspect fraud ring' } },
      { kind: 'ESCALATION_CLEARED', actor: 'supervisor:key-8', data: { note: 'not a fraud ring after all' } },
      { kind: 'CLAIM_FILED', actor: 'logistics:claim', data: { claimId: 'cl_1', carrier: 'SF', trackingNumber: 'SF1', windowClosesAt: 5 } },
      { kind: 'CLAIM_PARTLY_PAID', actor: 'logistics:claim', data: { claimId: 'cl_1', recoveredMinor: 5_000 } },
      { kind: 'AGENT_REMINDER', actor: 'system', data: {} },
      { kind: 'WAREHOUSE_REMINDER', actor: 'system', data: {} },
      { kind: 'ROOT_CAUSE_REQUIRED', actor: 'system', data: {} },
      { kind: 'ROOT_CAUSE_RECORDED', actor: 'agent:key-7', data: { category: 'PEOPLE', subCause: 'PICKER', warehouse: 'HZ-1' } },
      { kind: 'RESPONSIBILITY_RECORDED', actor: 'system', data: { accountable: 'RESPONSIBLE_PERSON' } },
      { kind: 'AGENT_RESOLVED', actor: 'agent:key-7', data: { action: 'APPROVE' } },
      { kind: 'RETURN_SHIPPED', actor: 'customer:cust-9', data: {} },
      { kind: 'COURIER_EVENT', actor: 'courier:SF', data: {} },
      { kind: 'INSPECTED', actor: 'warehouse:key-3', data: {} },
    ];
    expect(timelineForCustomer(events, 'en').map((e) => [e.kind, e.actor])).toEqual([
      ['OPENED', 'storefront'],
      ['AGENT_RESOLVED', 'agent'],
      ['RETURN_SHIPPED', 'customer:cust-9'],
      ['COURIER_EVENT', 'courier:SF'],
      ['INSPECTED', 'warehouse'],
    ]);
  });

  it('reads an agent\'s CLOSE as one step, the closing by the agent with what they wrote for the customer; other resolutions stay', () => {
    const events = [
      { kind: 'AGENT_RESOLVED', actor: 'agent:key-7', data: { action: 'CONTINUE', note: 'ok', customerMessage: '已核实' } },
      { kind: 'RESOLVED_AGAIN', actor: 'system', data: {} },
      { kind: 'AGENT_RESOLVED', actor: 'agent:key-7', data: { action: 'CLOSE', note: 'duplicate of c1', customerMessage: '此申请与您的另一申请重复，已合并处理' } },
      { kind: 'NOTE', actor: 'agent:key-7', data: { text: 'merged' } },
      { kind: 'CLOSED_BY_AGENT', actor: 'system', data: {} },
    ];
    expect(timelineForCustomer(events, 'zh-CN').map((e) => [e.kind, e.actor, e.data])).toEqual([
      ['AGENT_RESOLVED', 'agent', { customerMessage: '已核实' }],
      ['RESOLVED_AGAIN', 'system', {}],
      ['CLOSED_BY_AGENT', 'agent', { customerMessage: '此申请与您的另一申请重复，已合并处理' }],
    ]);
    // The staff's timeline, and the events handed in, are left as they were.
    expect(events.map((e) => e.kind)).toHaveLength(5);
    expect(events[4]).toEqual({ kind: 'CLOSED_BY_AGENT', actor: 'system', data: {} });
    // A CLOSE with no closing step after it (the case still writing it) is shown as it is.
    expect(timelineForCustomer(events.slice(0, 3), 'en').map((e) => e.kind)).toEqual(['AGENT_RESOLVED', 'RESOLVED_AGAIN', 'AGENT_RESOLVED']);
  });

  it('keeps of each step where the goods and parcels are and what was decided, not the shop’s costs, claims, staff or the values a decision weighed', () => {
    const [classified, wrongItem, shipped, courier] = timelineForCustomer([
      { kind: 'CLASSIFIED', actor: 'system', data: { class: 'SERVICE', priority: 'HIGH' }, decision: { rule: 'complaintClass', outcome: 'SERVICE', policyVersion: 3, values: { difficult: true, unitCostMinor: 1200 } } },
      { kind: 'FINDINGS', actor: 'warehouse:k', data: { responsiblePerson: 'Zhou', improvement: 'retrain', overShipped: [{ sku: 'RED', quantity: 1 }], lines: [{ sku: 'MUG', quantity: 1, unitCostMinor: 2200, unitPriceMinor: 5500 }] }, decision: null },
      { kind: 'RETURN_SHIPPED', actor: 'customer:c', data: { carrier: 'SF', trackingNumber: 'SF1', returnCode: 'R1' }, decision: null },
      { kind: 'COURIER_EVENT', actor: 'courier:SF', data: { carrier: 'SF', trackingNumber: 'SF1', code: 'IN_TRANSIT', description: '杭州中转', at: 5 } },
    ], 'en');
    expect(classified).toMatchObject({ data: {}, decision: { rule: 'complaintClass', outcome: 'SERVICE', policyVersion: 3 } });
    expect(classified!.decision).not.toHaveProperty('values');
    expect(wrongItem!.data).toEqual({ lines: [{ sku: 'MUG', quantity: 1 }] });
    expect(shipped!.data).toEqual({ carrier: 'SF', trackingNumber: 'SF1', returnCode: 'R1' });
    // Not the carrier's own words: they name whoever signed and where (another shop's parcel entered as a return showed them).
    expect(courier!.data).toEqual({ carrier: 'SF', trackingNumber: 'SF1', code: 'IN_TRANSIT', at: 5 });
    expect(courier).not.toHaveProperty('decision');
  });

  it('reads back on the opening what the customer gave (a complaint’s category, channel and case), never a root cause’s category', () => {
    const [opened, rootCause] = timelineForCustomer([
      { kind: 'OPENED', actor: 'system', data: { category: 'SERVICE_ATTITUDE', channel: 'CHAT', relatedCaseId: 'c0', orderId: 'SO-1', description: 'no answer' } },
      { kind: 'RESOLVED', actor: 'agent:k', data: { category: 'PEOPLE', plan: 'called back' } },
    ], 'zh-CN');
    expect(opened!.data).toEqual({ category: 'SERVICE_ATTITUDE', channel: 'CHAT', relatedCaseId: 'c0', orderId: 'SO-1', description: 'no answer' });
    expect(rootCause!.data).toEqual({ plan: 'called back' });
  });

  it('names staff and integration keys by role; the customer, couriers and the workflow as they are', () => {
    expect(['agent:k', 'supervisor:k', 'admin:k', 'warehouse:k', 'storefront:k'].map(actorForCustomer)).toEqual(['agent', 'supervisor', 'admin', 'warehouse', 'storefront']);
    expect(['customer:cust-9', 'courier:SF', 'system', null].map(actorForCustomer)).toEqual(['customer:cust-9', 'courier:SF', 'system', null]);
    expect(evidenceForCustomer([{ url: 'https://e.example/1.jpg', addedBy: 'agent:key-7' }])).toEqual([{ url: 'https://e.example/1.jpg', addedBy: 'agent' }]);
  });

  it('reads the case as not escalated, not stuck and with nobody assigned', () => {
    const c = { caseId: 'c1', stage: 'AWAITING_DECISION', assigneeId: 'key-7', escalated: true, stuck: true, stuckReason: 'refund: provider 503', late: true, closeReason: null };
    expect(caseFieldsForCustomer(c)).toEqual({ caseId: 'c1', stage: 'AWAITING_DECISION', assigneeId: null, escalated: false, stuck: false, stuckReason: null, late: true, closeReason: null });
  });

  it("does not show an agent's own deadline (when a reminder escalates the case) as the case's next one", () => {
    const due = Date.parse('2026-12-06T01:25:05Z');
    const held = { assigneeId: 'key-7', escalated: true, stuck: false, stuckReason: null, closeReason: null, deadlines: { solutionDueAt: due - 60_000, agentDueAt: due }, nextDeadlineAt: new Date(due).toISOString() };
    expect(caseFieldsForCustomer(held)).toMatchObject({ deadlines: { solutionDueAt: due - 60_000 }, nextDeadlineAt: null });
    expect(caseFieldsForCustomer(held).deadlines).not.toHaveProperty('agentDueAt');
    // Another deadline next (the warehouse's inspection) stays the customer's to read.
    const inspecting = { ...held, deadlines: { inspectionDueAt: due + 1, agentDueAt: due }, nextDeadlineAt: new Date(due + 1).toISOString() };
    expect(caseFieldsForCustomer(inspecting)).toMatchObject({ deadlines: { inspectionDueAt: due + 1 }, nextDeadlineAt: new Date(due + 1).toISOString() });
  });

  it('names the complaint a case led to, so the app can link to it', () => {
    expect(dataForCustomer({ relatedCaseId: 'cmp-1', category: 'LOGISTICS' }, 'COMPLAINT_OPENED')).toEqual({ relatedCaseId: 'cmp-1', category: 'LOGISTICS' });
    // Elsewhere a category is the shop's root cause: not the customer's.
    expect(dataForCustomer({ category: 'PICKING', subCause: 'WRONG_SHELF' }, 'ROOT_CAUSE_ON_FILE')).toEqual({});
  });

  it('shows what an agent wrote to the customer with a decision, not their note for the staff', () => {
    expect(dataForCustomer({ action: 'CONTINUE', note: 'carrier photos show no crush', customerMessage: '经核实，破损不属于运输问题' }, 'AGENT_RESOLVED')).toEqual({ customerMessage: '经核实，破损不属于运输问题' });
  });

  it("reads an agent's close by its code, never the agent's note; the workflows' own codes as they are", () => {
    const closed = { assigneeId: null, escalated: false, stuck: false, stuckReason: null, closeReason: 'customer rude on the phone, refund paid' };
    expect(caseFieldsForCustomer(closed).closeReason).toBe('CLOSED_BY_AGENT');
    expect(caseFieldsForCustomer({ ...closed, closeReason: 'NOT_SHIPPED' }).closeReason).toBe('NOT_SHIPPED');
    // A note that looks like a code is still the staff's.
    expect(caseFieldsForCustomer({ ...closed, closeReason: 'FRAUD' }).closeReason).toBe('CLOSED_BY_AGENT');
  });

  it('gives the reason a rule gave in the customer’s locale, someone’s own words as written', () => {
    const ruled = { rule: 'deliveredBeforeReturn', outcome: 'NEEDS_AGENT', policyVersion: 2, values: { shippedAt: 5, reason: 'the order has not been delivered', currency: 'CNY' } };
    expect(decisionForCustomer(ruled, 'zh-CN')).toEqual({ rule: 'deliveredBeforeReturn', outcome: 'NEEDS_AGENT', policyVersion: 2, values: { reason: '订单尚未签收', currency: 'CNY' } });
    expect(decisionForCustomer(ruled, 'en')).toEqual({ rule: 'deliveredBeforeReturn', outcome: 'NEEDS_AGENT', policyVersion: 2, values: { reason: 'the order has not been delivered', currency: 'CNY' } });
    const agent = { rule: 'agentDecision', outcome: 'REJECT', policyVersion: 2, values: { lines: [{ sku: 'MUG', quantity: 1, unitCostMinor: 900 }], reason: 'photos show the mug was used' } };
    expect(decisionForCustomer(agent, 'zh-CN')).toEqual({ rule: 'agentDecision', outcome: 'REJECT', policyVersion: 2, values: { lines: [{ sku: 'MUG', quantity: 1 }], reason: 'photos show the mug was used' } });
    expect([{ customerLocale: 'zh-CN' }, { customerLocale: 'en' }, { customerLocale: 'fr' }].map(customerLocaleOf)).toEqual(['zh-CN', 'en', 'zh-CN']);
  });

  it('shows how a refund of returned goods was made up, and a late delivery’s compensation; not the shop’s reckonings', () => {
    const refund = {
      rule: 'refundReceivedGoods',
      outcome: 'REFUND',
      policyVersion: 3,
      values: { goodsMinor: 6_600, shippingMinor: 800, paidTotalMinor: 7_400, alreadyRefundedMinor: 1_000, refundableMinor: 6_400, cappedMinor: 1_000, shopAtFault: true, shopFaultRefundsShipping: true, excluded: [{ sku: 'TEA', quantity: 1, reason: 'DAMAGED' }], currency: 'CNY' },
    };
    expect(decisionForCustomer(refund, 'zh-CN')).toEqual({
      rule: 'refundReceivedGoods',
      outcome: 'REFUND',
      policyVersion: 3,
      values: { goodsMinor: 6_600, shippingMinor: 800, cappedMinor: 1_000, excluded: [{ sku: 'TEA', quantity: 1, reason: 'DAMAGED' }], currency: 'CNY' },
    });
    const delay = { rule: 'delayCompensation', outcome: 'APOLOGISE_AND_COMPENSATE', policyVersion: 3, values: { etaAt: 1, now: 2, daysLate: 2, cause: 'WAREHOUSE_BACKLOG', internal: true, compensationMinor: 1_000, delayCompensationPerDayMinor: 500, delayCompensationMaxMinor: 3_000, expedite: true, currency: 'CNY' } };
    expect(decisionForCustomer(delay, 'en')).toEqual({ rule: 'delayCompensation', outcome: 'APOLOGISE_AND_COMPENSATE', policyVersion: 3, values: { daysLate: 2, compensationMinor: 1_000, currency: 'CNY' } });
    // The remedies offered are the customer's to choose from; who is accountable for a lost parcel is the shop's.
    const insists = { rule: 'qualityInsists', outcome: 'FREE_RETURN_EXCHANGE', policyVersion: 3, values: { acceptsDiscount: false, shopPaysShippingBothWays: true, options: ['EXCHANGE', 'RETURN_REFUND'] } };
    expect(decisionForCustomer(insists, 'zh-CN')).toEqual({ ...insists, values: { shopPaysShippingBothWays: true, options: ['EXCHANGE', 'RETURN_REFUND'] } });
    const lost = { rule: 'lostParcelCause', outcome: 'COURIER_CLAIM', policyVersion: 3, values: { cause: 'TRANSIT', accountable: 'COURIER', options: ['RESHIP', 'REFUND'] } };
    expect(decisionForCustomer(lost, 'zh-CN')).toEqual({ ...lost, outcome: 'LOST', values: { options: ['RESHIP', 'REFUND'] } });
    // Nor whether the shop's own warehouse lost it: the same word to the customer.
    expect(decisionForCustomer({ ...lost, outcome: 'INTERNAL_ACCOUNTABILITY', values: { cause: 'INTERNAL', accountable: 'RESPONSIBLE_PERSON', options: ['RESHIP', 'REFUND'] } }, 'en')).toEqual({ ...lost, outcome: 'LOST', values: { options: ['RESHIP', 'REFUND'] } });
    // Its other outcomes say what happens next, and stay.
    expect(decisionForCustomer({ ...lost, outcome: 'TREAT_AS_DELAY', values: {} }, 'en')).toMatchObject({ outcome: 'TREAT_AS_DELAY' });
  });

  it('keeps a complaint’s priority from its customer: URGENT would say the staff marked them as threatening escalation', () => {
    const classified = { rule: 'complaintPriority', outcome: 'URGENT', policyVersion: 3, values: { category: 'PRIVACY', difficult: true } };
    expect(decisionForCustomer(classified, 'zh-CN')).toBeNull();
    const [step] = timelineForCustomer([{ kind: 'CLASSIFIED', actor: 'system', data: {}, decision: classified }], 'zh-CN');
    expect(step).toEqual({ kind: 'CLASSIFIED', actor: 'system', data: {}, decision: null });
  });

  it('is what customer tokens and storefront keys get; staff keys read everything', () => {
    expect(['CUSTOMER', 'STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'].filter(isCustomerFacing)).toEqual(['CUSTOMER', 'STOREFRONT']);
  });
});
