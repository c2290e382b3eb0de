/**
 * What a customer reads of their case: not the staff's internal notes, and staff named by role,
 * never by key id (api/customer-view.ts). The staff read the same case in full.
 */
import { describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES } from '../../domain/case-types.js';

const pt = usePlatform();
const DAY = 86_400_000;

interface Event {
  kind: string;
  actor: string | null;
  data: unknown;
  decision?: { rule: string; outcome: string; policyVersion: number; values?: Record<string, unknown> };
}

/** A return of one mug (39.00, all the order was), delivered yesterday, for no reason given: the storefront's answer. */
function openMugReturn(customer: { id: string; locale: string }, orderId: string, mugName: string) {
  const now = Date.now();
  return pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
    customer,
    order: { orderId, currency: 'CNY', items: [{ sku: 'MUG-01', name: mugName, quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 0, paidTotalMinor: 3900, shippedAt: now - 3 * DAY, deliveredAt: now - DAY },
    lines: [{ sku: 'MUG-01', quantity: 1, reason: 'NO_REASON' }],
  });
}

describe('a case as its customer sees it', () => {
  it('has no internal notes and names staff by role only', async () => {
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-view-1', locale: 'en' },
      order: { orderId: 'SO-VIEW-1', currency: 'CNY', items: [{ sku: 'MUG-01', name: 'Mug', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 800, paidTotalMinor: 8600, shippedAt: now - 3 * DAY, deliveredAt: now - DAY },
      lines: [{ sku: 'MUG-01', quantity: 1, reason: 'DEFECTIVE' }],
      evidenceUrls: ['https://evidence.example.com/view-1/crack.jpg'],
    });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    const me = (await pt.call('GET', '/v1/console/session', pt.keys.AGENT)).body;
    expect((await pt.call('POST', `/v1/cases/${caseId}/notes`, pt.keys.AGENT, { text: 'customer sounded upset; goodwill ok' })).status).toBe(201);

    // The staff: the note, by the agent's key.
    const staff = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    const note = staff.timeline.find((e: Event) => e.kind === 'NOTE');
    expect(note).toMatchObject({ actor: `agent:${me.actorId}`, data: { text: 'customer sounded upset; goodwill ok' } });
    expect(staff.evidence[0].addedBy).toMatch(/^customer:cust-view-1$|^storefront:.+/);

    const staffDecision = staff.timeline.find((e: Event) => e.kind === 'SOLUTION_PROPOSED').decision;
    expect(Object.keys(staffDecision.values ?? {}).length).toBeGreaterThan(0);

    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-view-1' })).body.token as string;
    for (const [who, key] of [['customer', token], ['storefront', pt.keys.STOREFRONT!]] as const) {
      const view = (await pt.call('GET', `/v1/cases/${caseId}`, key)).body;
      const kinds = view.timeline.map((e: Event) => e.kind);
      expect(kinds, who).toContain('OPENED');
      expect(kinds, who).not.toContain('NOTE');
      expect(JSON.stringify(view), who).not.toContain('goodwill');
      expect(JSON.stringify(view), who).not.toContain(me.actorId);
      // The same timeline otherwise: every other step, in the same order.
      expect(kinds, who).toEqual(staff.timeline.map((e: Event) => e.kind).filter((k: string) => k !== 'NOTE'));
      for (const e of view.timeline as Event[]) expect(e.actor === null || !/^(agent|supervisor|admin|warehouse|storefront):/.test(e.actor), `${who}: ${e.actor}`).toBe(true);
      // Decisions by rule and outcome and what was offered; not the rest of the values they weighed; never what the goods cost the shop.
      expect(view.timeline.find((e: Event) => e.kind === 'SOLUTION_PROPOSED').decision, who).toEqual({ rule: staffDecision.rule, outcome: staffDecision.outcome, policyVersion: staffDecision.policyVersion, values: { currency: 'CNY' } });
      expect(JSON.stringify(view.timeline), who).not.toContain('unitCostMinor');
      expect(view.evidence.map((e: { addedBy: string }) => e.addedBy), who).toEqual(staff.evidence.map((e: { addedBy: string }) => e.addedBy.replace(/^storefront:.*$/, 'storefront')));
    }
  });

  it('names the command of a wait only where the customer is the one to send it', async () => {
    const opened = await openMugReturn({ id: 'cust-view-cmd', locale: 'en' }, 'SO-VIEW-CMD', 'Mug');
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-view-cmd' })).body.token as string;
    // Theirs to send: named.
    expect((await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT')).waitingFor).toMatchObject({ party: 'CUSTOMER', command: `POST /v1/cases/${caseId}/return-shipment` });
    // The warehouse's: what happens, not a path the customer cannot call (in the command's answer too); the staff and the storefront still read it.
    expect(await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFVIEWCMD01' })).toMatchObject({ status: 200, body: { stage: 'AWAITING_ARRIVAL', waitingFor: { party: 'WAREHOUSE', command: null } } });
    const waiting = await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    expect(waiting.waitingFor).toMatchObject({ party: 'WAREHOUSE', command: null, what: expect.any(String) });
    expect(waiting.waitingFor.what).not.toContain('/v1/');
    expect(((await pt.call('GET', '/v1/cases?customerId=cust-view-cmd', token)).body.items as Array<{ id: string; waitingFor: unknown }>).find((c) => c.id === caseId)!.waitingFor).toMatchObject({ party: 'WAREHOUSE', command: null });
    for (const key of [pt.keys.AGENT, pt.keys.STOREFRONT]) expect((await pt.call('GET', `/v1/cases/${caseId}`, key)).body.waitingFor).toMatchObject({ party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals' });
  });

  it('names its type, stage, status and steps in the customer’s language; the staff read English', async () => {
    const opened = await openMugReturn({ id: 'cust-view-zh', locale: 'zh-CN' }, 'SO-VIEW-ZH', '马克杯');
    const caseId = opened.body.caseId as string;
    const staff = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(staff.names).toEqual({ type: 'Return and refund', stage: CASE_STAGE_NAMES.AWAITING_RETURN_SHIPMENT!.en, status: 'Waiting for the customer', closeReason: null });
    expect(staff.timeline.find((e: Event) => e.kind === 'OPENED').name).toBe('Case opened');
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-view-zh' })).body.token as string;
    const mine = (await pt.call('GET', `/v1/cases/${caseId}`, token)).body;
    expect(mine.names).toEqual({ type: '退货退款', stage: CASE_STAGE_NAMES.AWAITING_RETURN_SHIPMENT!['zh-CN'], status: CASE_STATUS_NAMES.WAITING_CUSTOMER['zh-CN'], closeReason: null });
    expect(mine.timeline.find((e: Event) => e.kind === 'OPENED').name).toBe('受理售后');
    // Every step has words, in Chinese.
    for (const e of mine.timeline as Array<Event & { name: string }>) expect(e.name, e.kind).not.toBe(e.kind);
    // The list's cards carry the same words.
    expect((await pt.call('GET', '/v1/cases', token)).body.items.find((c: { id: string }) => c.id === caseId).names).toEqual(mine.names);
    // Withdrawn: why it closed, in words too.
    expect((await pt.call('POST', `/v1/cases/${caseId}/withdrawal`, token, { reason: '不想退了' })).status).toBe(200);
    await pt.until(caseId, token, 'CLOSED');
    expect((await pt.call('GET', `/v1/cases/${caseId}`, token)).body.names).toMatchObject({ closeReason: '顾客撤销申请' });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.names).toMatchObject({ closeReason: 'Withdrawn by the customer' });
  });
});
