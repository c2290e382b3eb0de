/**
 * Escalating a case over HTTP at the stages where it used to fall out of every queue: a RESOLVED case
 * (waiting out the days before its revisit) is reopened to an agent, escalated, and the supervisors'
 * queue (`escalated=true&open=true`) lists it; a CLOSED case takes no escalation and says why. A
 * supervisor who dealt with an escalation clears it, and the case leaves the queue.
 */
import { describe, expect, it } from 'vitest';
import { resolvedDelay } from '../support/resolved-delay.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;

/** A return of a mug delivered yesterday (the policy approves it: the case waits for the parcel). */
function openReturn(orderId: string) {
  const now = Date.now();
  return {
    customer: { id: `cust-${orderId}`, locale: 'zh-CN' },
    order: { orderId, currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 3900, unitCostMinor: 1500 }], shippingFeeMinor: 0, paidTotalMinor: 3900, shippedAt: now - 3 * DAY, deliveredAt: now - DAY },
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  };
}
const escalatedQueue = async () => (await pt.call('GET', '/v1/cases?escalated=true&open=true', pt.keys.SUPERVISOR)).body.items.map((c: { id: string }) => c.id);

describe('escalations over HTTP', () => {
  it('a supervisor who dealt with an escalation clears it: the case leaves the queue and waits on; an agent may not, and a case not escalated is a 409', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturn('esc-clear'));
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(await pt.call('POST', `/v1/cases/${caseId}/de-escalation`, pt.keys.SUPERVISOR, { note: 'nothing to clear' })).toMatchObject({ status: 409, body: { message: expect.stringContaining('is not escalated') } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: '顾客第三次来电' })).status).toBe(202);
    await waitUntil('the escalation in the supervisors\' queue', async () => (await escalatedQueue()).includes(caseId));
    // Why it is escalated: the step, who, and the reason they gave — for the staff only.
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).body.escalation).toMatchObject({ kind: 'ESCALATED', actor: expect.stringMatching(/^agent:/), reason: '顾客第三次来电', at: expect.any(String) });
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body).toMatchObject({ escalated: false, escalation: null });
    expect((await pt.call('POST', `/v1/cases/${caseId}/de-escalation`, pt.keys.AGENT, { note: 'mine to clear?' })).status).toBe(403);
    expect(await pt.call('POST', `/v1/cases/${caseId}/de-escalation`, pt.keys.SUPERVISOR, { note: '  ' })).toMatchObject({ status: 400, body: { field: 'body.note' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/de-escalation`, pt.keys.SUPERVISOR, { note: '已回电顾客' })).status).toBe(202);
    const cleared = await pt.untilStep(caseId, pt.keys.SUPERVISOR, 'ESCALATION_CLEARED');
    expect(cleared).toMatchObject({ actor: expect.stringMatching(/^supervisor:/), data: { note: '已回电顾客' } });
    await waitUntil('the case out of the supervisors\' queue', async () => !(await escalatedQueue()).includes(caseId));
    expect(await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.SUPERVISOR)).toMatchObject({ body: { stage: 'AWAITING_RETURN_SHIPMENT', escalated: false, escalation: null } });
  });

  it('a RESOLVED case escalated is reopened to an agent and shows in the supervisors\' queue; resolved again, it waits for its revisit', async () => {
    const caseId = await resolvedDelay(pt, 'esc-1', 'ZTESC01');
    expect(await escalatedQueue()).not.toContain(caseId);
    const escalated = await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: '顾客来电：补偿款未到账' });
    expect(escalated.status).toBe(202);
    const reopened = await pt.until(caseId, pt.keys.SUPERVISOR, 'AWAITING_AGENT');
    expect(reopened).toMatchObject({ status: 'OPEN', escalated: true, waitingFor: { party: 'AGENT', command: `POST /v1/cases/${caseId}/resolution` } });
    expect(reopened.timeline.map((e: { kind: string }) => e.kind).slice(-2)).toEqual(['ESCALATED', 'REOPENED_ON_ESCALATION']);
    expect(await escalatedQueue()).toContain(caseId);
    const resolved = await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.SUPERVISOR, { action: 'CONTINUE', note: '已核实到账', customerMessage: 'The compensation reached your account on 28 November.' });
    expect(resolved).toMatchObject({ status: 200, body: { stage: 'RESOLVED', status: 'RESOLVED' } });
    expect(await escalatedQueue()).not.toContain(caseId);
    // The customer hears what was decided, in the agent's words (not the staff's note).
    const explained = async () => ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).find((m) => m.template === 'agentDecisionExplained');
    await waitUntil('the decision told', async () => !!(await explained()));
    expect((await explained())!.text).toContain('customer service has decided: The compensation reached your account on 28 November. If');
    expect((await explained())!.text).not.toContain('已核实到账');
    // The staff read on the timeline what the customer was told, beside their own note.
    expect((await pt.untilStep(caseId, pt.keys.SUPERVISOR, 'AGENT_RESOLVED')).data).toMatchObject({ action: 'CONTINUE', note: '已核实到账', customerMessage: 'The compensation reached your account on 28 November.' });
  });

  it('a CLOSED case takes no escalation: 409, saying it has closed', async () => {
    const caseId = await resolvedDelay(pt, 'esc-2', 'ZTESC02');
    expect((await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: 'second look' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
    expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.SUPERVISOR, { action: 'CLOSE', customerMessage: '   ' })).toMatchObject({ status: 400, body: { field: 'body.customerMessage' } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.SUPERVISOR, { action: 'CLOSE', note: 'nothing more to do', customerMessage: 'The compensation was confirmed paid on 28 November.' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'CLOSED');
    // The customer reads why; the staff's note stays with the staff.
    await waitUntil('the closing message', async () => ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string }>).some((m) => m.template === 'caseClosedByAgentWithReason'));
    const closing = ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).find((m) => m.template === 'caseClosedByAgentWithReason')!;
    expect(closing.text).toContain('The compensation was confirmed paid on 28 November');
    expect(closing.text).not.toContain('nothing more to do');
    const refused = await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: 'too late' });
    // How and when it closed: a late caller's agent can say why nothing more is taken.
    expect(refused).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringMatching(/^the case is closed \(nothing more to do\) at \d{4}-/) } });
    // Nor does the case's close show the customer the staff's note: not on the case, its list or a late answer.
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-esc-2' })).body.token as string;
    for (const reader of [token, pt.keys.STOREFRONT!]) {
      expect(await pt.call('GET', `/v1/cases/${caseId}`, reader)).toMatchObject({ status: 200, body: { closeReason: 'CLOSED_BY_AGENT' } });
      const listed = ((await pt.call('GET', '/v1/cases?customerId=cust-esc-2', reader)).body.items as Array<{ id: string; closeReason: string }>).find((c) => c.id === caseId);
      expect(listed?.closeReason).toBe('CLOSED_BY_AGENT');
    }
    const late = await pt.call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 });
    expect(late).toMatchObject({ status: 409, body: { message: expect.stringContaining('(CLOSED_BY_AGENT)') } });
    expect(JSON.stringify(late.body)).not.toContain('nothing more to do');
    expect(await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).toMatchObject({ body: { closeReason: 'nothing more to do' } });
  });
});
