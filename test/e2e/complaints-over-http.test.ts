/**
 * Complaints end to end over HTTP: a case turned into a complaint (a linked COMPLAINT case, the
 * second one a repeat and prioritised higher; the same one sent twice is one), resolved by a supervisor with its cause analysis,
 * counted in the complaint rate; and the refusals.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { clearOfShanghaiMidnight, MIDNIGHT_HOOK_TIMEOUT_MS, shanghaiToday } from '../support/shop-day.js';
import { usePlatform } from './platform-harness.js';
import { waitUntil } from '../support/wait.js';

const pt = usePlatform();
// Complaints opened here are counted in today's figures: not within minutes of midnight in Shanghai.
beforeAll(() => clearOfShanghaiMidnight(), MIDNIGHT_HOOK_TIMEOUT_MS);

const order = { orderId: 'cpo-1', currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 0, paidTotalMinor: 5000, shippedAt: Date.now() - 3 * 86_400_000, deliveredAt: Date.now() - 86_400_000 };

describe('complaints over HTTP', () => {
  it('a return turned into a complaint by the customer, twice; resolved with its cause; counted once each', async () => {
    const ret = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { customer: { id: 'cust-c1', locale: 'en' }, order, lines: [{ sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] });
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-c1' })).body.token;
    // Tapped twice at once: one complaint, not a repeat of itself.
    const complain = () => pt.call('POST', `/v1/cases/${ret.body.caseId}/complaint`, token, { category: 'SERVICE_ATTITUDE', description: 'nobody answers my messages', channel: 'CHAT' });
    const taps = await Promise.all([complain(), complain()]);
    expect(taps.map((t) => t.status).sort()).toEqual([200, 201]);
    const first = taps.find((t) => t.status === 201)!;
    expect(first).toMatchObject({ body: { relatedCaseId: ret.body.caseId, repeat: false } });
    expect(taps.find((t) => t.status === 200)).toMatchObject({ body: { caseId: first.body.caseId, relatedCaseId: ret.body.caseId, repeat: false } });
    const complaint = await pt.until(first.body.caseId, token, 'AWAITING_RESOLUTION');
    expect(complaint).toMatchObject({ type: 'COMPLAINT', customerId: 'cust-c1' });
    expect(complaint.timeline.find((e: { kind: string }) => e.kind === 'OPENED').actor).toBe('customer:cust-c1');
    // Answered by the earlier of the handling time and the same-day solution deadline: the time the message promised, and the case view says.
    expect(Date.parse(complaint.waitingFor.deadlineAt)).toBe(Math.min(complaint.deadlines.handleBy, Date.parse(complaint.solutionDueAt)));
    expect(complaint.deadlines.answerBy).toBe(Date.parse(complaint.waitingFor.deadlineAt));
    // What they said and about which case, read back by the customer.
    expect(complaint.timeline.find((e: { kind: string }) => e.kind === 'OPENED').data).toMatchObject({ category: 'SERVICE_ATTITUDE', channel: 'CHAT', relatedCaseId: ret.body.caseId, description: 'nobody answers my messages' });
    // Its priority is the shop's: the customer reads the step without it, the staff with it.
    expect(complaint.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED').decision).toBeNull();
    const classified = async (caseId: string) => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED').decision;
    expect(await classified(first.body.caseId)).toMatchObject({ outcome: 'NORMAL' });
    const second = await pt.call('POST', `/v1/cases/${ret.body.caseId}/complaint`, token, { category: 'SERVICE_ATTITUDE', description: 'still nothing' });
    expect(second).toMatchObject({ status: 201, body: { repeat: true } });
    // Sent again a moment later (a retry): the same repeat complaint, answered as such.
    expect(await pt.call('POST', `/v1/cases/${ret.body.caseId}/complaint`, token, { category: 'SERVICE_ATTITUDE', description: 'still nothing' })).toMatchObject({ status: 200, body: { caseId: second.body.caseId, repeat: true } });
    await pt.until(second.body.caseId, token, 'AWAITING_RESOLUTION');
    expect(await classified(second.body.caseId)).toMatchObject({ outcome: 'HIGH' });
    // The return says on its own timeline that it was complained about, twice, each linking its
    // complaint (the double tap and the retry recorded nothing more).
    const about = (await pt.call('GET', `/v1/cases/${ret.body.caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'COMPLAINT_OPENED');
    expect(about).toEqual([
      expect.objectContaining({ actor: 'customer:cust-c1', data: { relatedCaseId: first.body.caseId, category: 'SERVICE_ATTITUDE' } }),
      expect.objectContaining({ actor: 'customer:cust-c1', data: { relatedCaseId: second.body.caseId, category: 'SERVICE_ATTITUDE' } }),
    ]);
    // The customer's own timeline links them too (their app shows "complained: see the complaint").
    const linked = (await pt.call('GET', `/v1/cases/${ret.body.caseId}`, token)).body.timeline.filter((e: { kind: string }) => e.kind === 'COMPLAINT_OPENED');
    expect(linked.map((e: { data: unknown }) => e.data)).toEqual([{ relatedCaseId: first.body.caseId, category: 'SERVICE_ATTITUDE' }, { relatedCaseId: second.body.caseId, category: 'SERVICE_ATTITUDE' }]);

    // A resolution needs its cause analysis (400 from the schema) and is the staff's to give.
    expect(await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: 'called back', improvement: 'x', shopAtFault: true })).toMatchObject({ status: 400, body: { field: 'body.cause' } });
    expect((await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, token, { plan: 'p', cause: 'c', improvement: 'i', shopAtFault: true })).status).toBe(403);
    // A blank plan: named by the schema (400), not refused by the stage (409).
    expect(await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: '   ', cause: 'c', improvement: 'i', shopAtFault: true })).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', field: 'body.plan', problems: [{ field: 'body.plan', reason: 'must not be blank' }] },
    });
    // A command the case's type never takes: said in the API's words, naming the type and the call.
    const toReturn = await pt.call('POST', `/v1/cases/${ret.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: 'p', cause: 'c', improvement: 'i', shopAtFault: true });
    expect(toReturn).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: `case ${ret.body.caseId} is of type RETURN_AND_REFUND: POST /v1/cases/${ret.body.caseId}/complaint-resolution does not apply to it` } });
    // A signal the case's type never takes would sit unread in its workflow: refused the same way,
    // before it is sent, and kept as a refused input.
    const scanOfComplaint = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { returnCode: first.body.caseId, scannedBy: 'dock-1' });
    expect(scanOfComplaint).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: `case ${first.body.caseId} is of type COMPLAINT: POST /v1/warehouse/arrivals does not apply to it` } });
    const refusalOfReturn = await pt.call('POST', `/v1/cases/${ret.body.caseId}/carrier-refusal`, pt.keys.WAREHOUSE, { carrier: 'SF', reason: 'outer box damaged' });
    expect(refusalOfReturn).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('is of type RETURN_AND_REFUND: POST') } });
    const inputs = await pt.call('GET', `/v1/cases/${first.body.caseId}/inputs`, pt.keys.SUPERVISOR);
    expect(inputs.body.inputs.find((i: { kind: string }) => i.kind === 'arrivalScanned')).toMatchObject({ outcome: 'REFUSED', reason: expect.stringContaining('does not apply') });
    // Every field the check finds wrong is named, so that a client fixes them in one round.
    const twoBlank = await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: ' ', cause: ' ', improvement: 'i', shopAtFault: true });
    expect(twoBlank).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body.plan', message: expect.stringMatching(/^2 problems: body\.plan: .*; body\.cause: /) } });
    expect(twoBlank.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.plan', 'body.cause']);
    const resolved = await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: 'called back and apologised', cause: 'chat queue unattended at night', improvement: 'night shift on the chat', shopAtFault: true });
    expect(resolved.status).toBe(200);
    const done = await pt.until(first.body.caseId, pt.keys.AGENT, 'RESOLVED');
    expect(done.timeline.find((e: { kind: string }) => e.kind === 'RESOLVED').data).toMatchObject({ cause: 'chat queue unattended at night', shopAtFault: true });
    // The customer reads what was done for them; the cause analysis and the improvement are the shop's.
    const theirs = (await pt.call('GET', `/v1/cases/${first.body.caseId}`, token)).body;
    expect(theirs.timeline.find((e: { kind: string }) => e.kind === 'RESOLVED').data).toEqual({ plan: 'called back and apologised' });
    // Resolved already: the stage's 409.
    expect(await pt.call('POST', `/v1/cases/${first.body.caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: 'p', cause: 'c', improvement: 'i', shopAtFault: false })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });

    const today = shanghaiToday();
    await pt.call('PUT', `/v1/order-counts/${today}`, pt.keys.STOREFRONT, { orders: 1000 });
    const figures = await pt.call('GET', `/v1/figures?from=${today}`, pt.keys.SUPERVISOR);
    expect(figures.body.rows[0]).toMatchObject({ complaints: 2, orders: 1000, complaintPermille: 2 });
    expect(await pt.db.case.findUnique({ where: { id: ret.body.caseId }, select: { complaint: true } })).toEqual({ complaint: true });
  });

  it('recorded by an agent from a phone call; bad input names the field; another customer cannot complain about the case', async () => {
    const opened = await pt.call('POST', '/v1/complaints', pt.keys.AGENT, { customer: { id: 'cust-c2', locale: 'zh-CN' }, order: { ...order, orderId: 'cpo-2' }, category: 'PRIVACY', description: 'my address was shown to another customer', channel: 'PHONE' });
    expect(opened.status).toBe(201);
    const c = await pt.until(opened.body.caseId, pt.keys.AGENT, 'AWAITING_RESOLUTION');
    expect(c).toMatchObject({ escalated: true });
    // The agent who took the call is named on its first step, and has the complaint (as an agent's first act on a case gives it them).
    const agentId = (await pt.db.apiCredential.findFirst({ where: { role: 'AGENT', merchantId: 'demo-merchant', revokedAt: null }, select: { id: true } }))!.id;
    expect(c.timeline.find((e: { kind: string }) => e.kind === 'OPENED')).toMatchObject({ actor: `agent:${agentId}` });
    expect(c.assigneeId).toBe(agentId);
    // The same customer complaining about the same order again, through the storefront that does not know it: a repeat, prioritised HIGH.
    const again = { reference: 'cpo-2-again', customer: { id: 'cust-c2', locale: 'zh-CN' }, order: { ...order, orderId: 'cpo-2' }, category: 'LOGISTICS', description: 'and the parcel is late' };
    const second = await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, again);
    expect(second).toMatchObject({ status: 201, body: { repeat: true } });
    await pt.until(second.body.caseId, pt.keys.AGENT, 'AWAITING_RESOLUTION');
    const classified = (await pt.call('GET', `/v1/cases/${second.body.caseId}`, pt.keys.AGENT)).body.timeline.find((e: { kind: string }) => e.kind === 'CLASSIFIED');
    expect(classified.decision).toMatchObject({ outcome: 'HIGH', values: { repeat: true } });
    // Sent again under its reference: the same complaint, not a repeat of itself; another customer's first complaint about that order is none.
    expect(await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, again)).toMatchObject({ status: 200, body: { caseId: second.body.caseId, repeat: true } });
    // The first complaint sent again after a second one: answered as it was taken, not a repeat.
    const first3 = { ...again, reference: 'cpo-3-first', order: { ...order, orderId: 'cpo-3' } };
    const opened3 = await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, first3);
    expect(opened3).toMatchObject({ status: 201, body: { repeat: false } });
    expect(await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, { ...first3, reference: 'cpo-3-second' })).toMatchObject({ status: 201, body: { repeat: true } });
    expect(await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, first3)).toMatchObject({ status: 200, body: { caseId: opened3.body.caseId, repeat: false } });
    expect(await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, { ...again, reference: 'cpo-2-other', customer: { id: 'cust-c3', locale: 'zh-CN' } })).toMatchObject({ status: 201, body: { repeat: false } });
    expect(await pt.call('POST', '/v1/complaints', pt.keys.AGENT, { customer: { id: 'x', locale: 'zh-CN' }, order, category: 'RUDE', description: 'x' })).toMatchObject({ status: 400, body: { field: 'body.category' } });
    expect((await pt.call('POST', '/v1/complaints', pt.keys.WAREHOUSE, { customer: { id: 'x', locale: 'zh-CN' }, order, category: 'OTHER', description: 'x' })).status).toBe(403);
    const stranger = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'someone-else' })).body.token;
    expect((await pt.call('POST', `/v1/cases/${opened.body.caseId}/complaint`, stranger, { category: 'OTHER', description: 'x' })).status).toBe(404);
    // The customer calls back: sorted out, the complaint withdrawn (the agent enters it for them): closed WITHDRAWN.
    expect(await pt.call('POST', `/v1/cases/${opened3.body.caseId}/withdrawal`, pt.keys.AGENT, { reason: '客户来电：问题已解决，撤销投诉' })).toMatchObject({ status: 200, body: { stage: 'CLOSED', status: 'CLOSED', waitingFor: null, closeReason: 'WITHDRAWN', refundedAmountMinor: 0 } });
    const withdrawn = await pt.until(opened3.body.caseId, pt.keys.AGENT, 'CLOSED');
    expect(withdrawn).toMatchObject({ closeReason: 'WITHDRAWN' });
    expect(withdrawn.timeline.at(-1)).toMatchObject({ kind: 'WITHDRAWN', actor: `agent:${agentId}`, data: { comment: '客户来电：问题已解决，撤销投诉' } });
    await waitUntil('the withdrawal told', () => pt.platform.simulators.notifier!.sent.find((m) => m.template === 'complaintWithdrawn' && m.idempotencyKey.startsWith(opened3.body.caseId)));
    expect(await pt.call('POST', `/v1/cases/${opened3.body.caseId}/withdrawal`, pt.keys.AGENT, { reason: 'again' })).toMatchObject({ status: 409 });
  });
  it('not satisfied with how it was handled: handled again only with a new plan the customer is told', async () => {
    // Asked at once, not after three days: this file's cases opened from here on.
    expect((await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { revisitAfterDays: 0 }, note: 'a test: revisit at once' })).status).toBeLessThan(300);
    try {
      const opened = await pt.call('POST', '/v1/complaints', pt.keys.STOREFRONT, { customer: { id: 'cust-c9', locale: 'en' }, order: { ...order, orderId: 'cpo-9' }, category: 'SERVICE_ATTITUDE', description: 'rude on the phone' });
      const caseId = opened.body.caseId as string;
      await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RESOLUTION');
      expect((await pt.call('POST', `/v1/cases/${caseId}/complaint-resolution`, pt.keys.SUPERVISOR, { plan: 'apologised by phone', cause: 'a new agent', improvement: 'coaching', shopAtFault: true })).status).toBe(200);
      const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-c9' })).body.token;
      await pt.until(caseId, token, 'AWAITING_REVISIT');
      expect((await pt.call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 2 })).status).toBe(200);
      await pt.until(caseId, pt.keys.AGENT, 'AWAITING_AGENT');
      expect(await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'called again' })).toMatchObject({ status: 400, body: { field: 'body.customerMessage' } });
      const plan = 'Our team lead will call you today, and a CN¥20 voucher is on your account.';
      expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'called again', customerMessage: plan })).status).toBe(200);
      const told = await waitUntil('the new plan sent to the customer', async () => ((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages as Array<{ template: string; text: string }>).find((m) => m.template === 'agentDecisionExplained'));
      expect(told.text).toContain(plan);
    } finally {
      await pt.call('POST', '/v1/admin/merchants/demo-merchant/policies', pt.keys.ADMIN, { rules: { revisitAfterDays: 3 }, note: 'back to three days' });
    }
  });
});
