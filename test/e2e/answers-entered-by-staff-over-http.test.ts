/**
 * A customer's answers entered by staff for them, over HTTP — the customer rang up, and the revisit
 * (回访) is a phone call as often as not: an agent enters the return parcel, corrects its number and
 * records the revisit score; each step names the agent as its actor (the customer's own answers name
 * the customer), and the customer reading the case sees the agent by role only.
 */
import { describe, expect, it } from 'vitest';
import { mugAndTeaOrder } from '../support/orders.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
type Step = { kind: string; actor: string | null };

describe("a customer's answers entered by staff", () => {
  it('an agent enters the return parcel, corrects it and records the revisit score: the steps name the agent', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: 'cust-phone', locale: 'zh-CN' }, order: mugAndTeaOrder('SO-PHONE-1', Date.now(), 1), lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] });
    expect(opened.status, JSON.stringify(opened.body)).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_RETURN_SHIPMENT');
    // Nobody names the staff member in the body: only a staff key makes an answer staff-entered.
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-phone' })).body.token;
    expect(await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFPHONE0009', by: { kind: 'agent', id: 'someone' } })).toMatchObject({ status: 400, body: { field: 'body.by' } });
    // Still refused to the warehouse: it is the customer's word, not the dock's.
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.WAREHOUSE, { carrier: 'SF', trackingNumber: 'SFPHONE0001' })).status).toBe(403);
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: 'SFPHONE0001' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ARRIVAL');
    // The customer calls again: one digit was wrong.
    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: 'SFPHONE0002' })).status).toBe(200);
    const correction = await pt.untilStep(caseId, pt.keys.AGENT!, 'RETURN_SHIPMENT_CORRECTED');
    const agent = (await pt.untilStep(caseId, pt.keys.AGENT!, 'RETURN_SHIPPED')).actor as string;
    expect(agent).toMatch(/^agent:\S+$/);
    expect(correction).toMatchObject({ actor: agent, data: { trackingNumber: 'SFPHONE0002', previousTrackingNumber: 'SFPHONE0001' } });

    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFPHONE0002', scannedBy: 'dock-1' })).status).toBe(202);
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED');
    await pt.skip(3 * 86_400 + 3_600);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_REVISIT');
    // The revisit call: the agent records what the customer said.
    expect((await pt.call('POST', `/v1/cases/${caseId}/revisit`, pt.keys.AGENT, { score: 5, comment: '电话回访：满意' })).status).toBe(200);
    const closed = await pt.until(caseId, pt.keys.AGENT!, 'CLOSED');
    expect(closed).toMatchObject({ closeReason: 'SATISFIED', satisfaction: 5 });
    expect(closed.timeline.at(-1)).toMatchObject({ kind: 'CLOSED_SATISFIED', actor: agent });

    // The customer's own view names staff by role only.
    const seen = (await pt.call('GET', `/v1/cases/${caseId}`, token)).body;
    expect(seen.timeline.find((e: Step) => e.kind === 'RETURN_SHIPPED').actor).toBe('agent');
  });
});
