/** The customer's view of a timeline and of evidence (api/customer-view.ts), on hand-made events. */
import { describe, expect, it } from 'vitest';
import { actorForCustomer, evidenceForCustomer, isCustomerFacing, timelineForCustomer } from '../../api/customer-view.js';

describe('a case as its customer sees it', () => {
  it('drops the staff notes, assignments, escalations and reminders, keeps every other step in order', () => {
    const events = [
      { kind: 'OPENED', actor: 'storefront:key-1', data: {} },
      { kind: 'NOTE', actor: 'agent:key-7', data: { text: 'goodwill ok' } },
      { kind: 'ASSIGNED', actor: 'system', data: { assigneeId: 'key-7' } },
      { kind: 'ESCALATED', actor: 'system', data: { reason: 'agent:key-7: suspect fraud ring' } },
      { kind: 'AGENT_REMINDER', actor: 'system', data: {} },
      { kind: 'AGENT_RESOLVED', actor: 'agent:key-7', data: { action: 'APPROVE' } },
      { kind: 'RETURN_SHIPPED', actor: 'customer:cust-9', data: {} },
      { kind: 'COURIER_EVENT', actor: 'courier:SF', data: {} },
      { kind: 'INSPECTED', actor: 'warehouse:key-3', data: {} },
    ];
    expect(timelineForCustomer(events).map((e) => [e.kind, e.actor])).toEqual([
      ['OPENED', 'storefront'],
      ['AGENT_RESOLVED', 'agent'],
      ['RETURN_SHIPPED', 'customer:cust-9'],
      ['COURIER_EVENT', 'courier:SF'],
      ['INSPECTED', 'warehouse'],
    ]);
  });

  it('names staff and integration keys by role; the customer, couriers and the workflow as they are', () => {
    expect(['agent:k', 'supervisor:k', 'admin:k', 'warehouse:k', 'storefront:k'].map(actorForCustomer)).toEqual(['agent', 'supervisor', 'admin', 'warehouse', 'storefront']);
    expect(['customer:cust-9', 'courier:SF', 'system', null].map(actorForCustomer)).toEqual(['customer:cust-9', 'courier:SF', 'system', null]);
    expect(evidenceForCustomer([{ url: 'https://e.example/1.jpg', addedBy: 'agent:key-7' }])).toEqual([{ url: 'https://e.example/1.jpg', addedBy: 'agent' }]);
  });

  it('is what customer tokens and storefront keys get; staff keys read everything', () => {
    expect(['CUSTOMER', 'STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN'].filter(isCustomerFacing)).toEqual(['CUSTOMER', 'STOREFRONT']);
  });
});
