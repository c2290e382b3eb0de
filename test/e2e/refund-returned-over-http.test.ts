/**
 * A refund the payment provider accepted as PENDING and the customer's bank later sent back, over
 * real HTTP: the worker's refund follower asks the provider when each check falls due, books the
 * money back in (REFUND_RETURNED), tells the case (escalated) and the customer; an agent pays it
 * again, once.
 */
import { describe, expect, it } from 'vitest';
import { askProviderNow, holdOf, otherCaseRefunded, pendingRefund, refundBeforeShipping, returnedRefund } from '../support/returned-refund.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();

const messages = (caseId: string, template: string) => pt.platform.simulators.notifier!.sent.filter((m) => m.template === template && m.idempotencyKey.startsWith(caseId));

describe('a refund the bank sends back, over HTTP', () => {
  it('is followed until it comes back, booked back in, escalated and told; an agent pays it again once', async () => {
    const payment = pt.platform.simulators.payment!;
    const { caseId, orderId, refundId, stepKey } = await pendingRefund(pt, 'SO-RETURNED-1');
    const pending = await holdOf(pt, caseId);
    expect(pending.checks).toBe(0);
    // First asked a minute after it was accepted: not before.
    expect(pending.checkAt!.getTime()).toBeGreaterThan(Date.now());
    await pt.platform.refundFollower.drain();
    expect(await holdOf(pt, caseId)).toMatchObject({ status: 'PENDING', checks: 0 });
    // A refund not sent back is not paid again.
    const early = await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, {});
    expect(early).toMatchObject({ status: 409, body: { error: 'REFUND_NOT_RETURNED' } });
    expect(early.body.message).toContain('still pending at the bank');

    // Due, and still pending at the bank: asked again later, five minutes on.
    await askProviderNow(pt, stepKey);
    const asked = await holdOf(pt, caseId);
    expect(asked).toMatchObject({ status: 'PENDING', checks: 1 });
    expect(asked.checkAt!.getTime() - Date.now()).toBeGreaterThan(4 * 60_000);

    // The bank sends it back (the simulator's control, as someone trying the platform would).
    const settle = (id: string, body: Record<string, unknown>) => pt.call('POST', `/v1/simulators/payment/refunds/${id}/settlement`, pt.keys.ADMIN, body);
    expect((await settle('rf_none', { outcome: 'FAILED' })).status).toBe(404);
    expect(await settle(refundId, { outcome: 'SUCCEEDED', reason: 'ACCOUNT_CLOSED' })).toMatchObject({ status: 400, body: { field: 'body.reason' } });
    expect(await settle(refundId, { outcome: 'FAILED', reason: 'ACCOUNT_CLOSED' })).toMatchObject({ status: 200, body: { refundId, status: 'FAILED', failureReason: 'ACCOUNT_CLOSED', amountMinor: 10_800 } });
    expect(await settle(refundId, { outcome: 'SUCCEEDED' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    await askProviderNow(pt, stepKey);
    await pt.platform.refundFollower.drain(); // answered once: a second pass finds nothing due
    expect(await holdOf(pt, caseId)).toMatchObject({ status: 'FAILED', returnedReason: 'ACCOUNT_CLOSED', checkAt: null });
    const ledger = await pt.db.ledgerEntry.findMany({ where: { caseId, kind: { in: ['REFUND', 'REFUND_RETURNED'] } }, orderBy: { id: 'asc' } });
    expect(ledger.map((e) => [e.kind, Number(e.amountMinor), e.reference])).toEqual([
      ['REFUND', -10_800, refundId],
      ['REFUND_RETURNED', 10_800, refundId],
    ]);
    expect(ledger[1]!.lines).toEqual(ledger[0]!.lines);
    const documents = (await pt.call('GET', `/v1/cases/${caseId}/documents`, pt.keys.AGENT)).body.documents;
    expect(documents.map((d: { kind: string; bankStatus?: string }) => [d.kind, d.bankStatus])).toEqual([
      ['REFUND', 'FAILED'],
      ['REFUND_RETURNED', undefined],
    ]);
    const returned = await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT);
    // The case still owes the customer the refund: it shows it, and holds the goods against a new claim.
    expect(returned.body).toMatchObject({ escalated: true, refundedAmountMinor: 10_800 });
    const claimAgain = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, refundBeforeShipping(orderId));
    expect(claimAgain).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED' } });
    // On the worklist of refunds to pay again, closed case or not; the case's escalation names the step.
    const owed = async () => (await pt.call('GET', '/v1/cases?refundReturned=true', pt.keys.SUPERVISOR)).body.items.map((c: { id: string }) => c.id);
    expect(await owed()).toEqual([caseId]);
    expect((await pt.call('GET', '/v1/cases?refundReturned=false', pt.keys.SUPERVISOR)).body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    expect(await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { escalatedBy: true } })).toEqual({ escalatedBy: `${stepKey}:returned` });
    expect(returned.body.timeline.filter((e: { kind: string }) => e.kind === 'REFUND_RETURNED')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ refundId, amountMinor: 10_800, currency: 'CNY', reason: 'ACCOUNT_CLOSED' }) }),
    ]);
    await waitUntil('the customer to be told the refund came back', () => messages(caseId, 'refundReturned').length > 0);
    expect(messages(caseId, 'refundReturned')[0]!.text).toContain('¥108.00');
    // The case was resting before its revisit: its workflow was told and reopened it to an agent, so
    // nobody asks a customer without their money how satisfied they are; they heard of it once.
    const reopened = await pt.untilStep(caseId, pt.keys.AGENT!, 'REOPENED_ON_REFUND_RETURNED');
    expect(reopened).toMatchObject({ kind: 'REOPENED_ON_REFUND_RETURNED', actor: 'system' });
    // What moves it on is the payment first: the staff's view says so (the customer's does not name requests).
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ stage: 'AWAITING_AGENT', status: 'OPEN', escalated: true, waitingFor: { party: 'AGENT', command: `POST /v1/cases/${caseId}/refunds/${refundId}/pay-again` } });
    expect(messages(caseId, 'caseReopenedByStaff')).toEqual([]);
    // What the workflow heard is among the case's inputs, as the API's signals are (the what-if sends it again).
    expect(await pt.db.caseInput.findMany({ where: { caseId, kind: 'refundSentBack' }, select: { via: true, senderRole: true, outcome: true } })).toEqual([{ via: 'SIGNAL', senderRole: 'SYSTEM', outcome: 'ACCEPTED' }]);
    // Not resolved again (on to the revisit) before the money is paid again.
    const tooSoon = await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'done' });
    expect(tooSoon).toMatchObject({ status: 409, body: { error: 'REFUND_STILL_OWED' } });
    expect(tooSoon.body.message).toContain(`/v1/cases/${caseId}/refunds/${refundId}/pay-again`);

    // Paid again by an agent, at once this time.
    expect(await pt.call('PUT', '/v1/simulators/payment/settlement', pt.keys.ADMIN, { refundsPending: false })).toMatchObject({ status: 200, body: { refundsPending: false } });
    expect((await pt.call('POST', `/v1/cases/${caseId}/refunds/rf_none/pay-again`, pt.keys.AGENT, {})).status).toBe(404);
    // Bad input pays nothing: a body that is no object, a note too long.
    expect((await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, [1])).status).toBe(400);
    expect(await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, { note: 'x'.repeat(2001) })).toMatchObject({ status: 400, body: { field: 'body.note' } });
    expect(payment.refunds.filter((r) => r.orderId === orderId)).toHaveLength(1);
    const again = await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, { note: '顾客已更换银行卡' });
    expect(again).toMatchObject({ status: 202, body: { caseId, returnedRefundId: refundId, amountMinor: 10_800, currency: 'CNY' } });
    const paidAgain = await pt.untilStep(caseId, pt.keys.AGENT!, 'REFUND_PAID_AGAIN');
    expect(paidAgain.data).toMatchObject({ returnedRefundId: refundId, amountMinor: 10_800, note: '顾客已更换银行卡' });
    expect(payment.refunds.filter((r) => r.orderId === orderId).map((r) => [r.status, r.amountMinor])).toEqual([
      ['FAILED', 10_800],
      ['SUCCEEDED', 10_800],
    ]);
    await waitUntil('the customer to be told of the refund paid again', () => messages(caseId, 'refundIssued').length === 2);
    // The case's workflow heard it too, and that is among its inputs (the what-if sends it again).
    const heardPaidAgain = () => pt.db.caseInput.findMany({ where: { caseId, kind: 'refundPaidAgain' }, select: { arg: true, senderRole: true } });
    await waitUntil('the workflow to hear of the payment again', async () => (await heardPaidAgain()).length > 0);
    expect(await heardPaidAgain()).toEqual([{ arg: { returnedRefundId: refundId }, senderRole: 'SYSTEM' }]);
    // Paid once on the case, not twice; off the worklist, and no longer escalated for it.
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ refundedAmountMinor: 10_800, escalated: false, stage: 'AWAITING_AGENT' });
    expect(await owed()).toEqual([]);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.waitingFor).toMatchObject({ party: 'AGENT', command: `POST /v1/cases/${caseId}/resolution` });
    // The agent resolves the reopened case: it rests again, to be revisited later.
    expect((await pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'paid again' })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED');
    // Once: sent again after its payment finished, refused; the provider was asked once more in all.
    await waitUntil('a second pay-again to be refused', async () => (await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, {})).status === 409);
    const refused = await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, {});
    expect(refused.body.error).toBe('ALREADY_PAID_AGAIN');
    expect(payment.refunds.filter((r) => r.orderId === orderId)).toHaveLength(2);
    const net = await pt.db.ledgerEntry.aggregate({ where: { caseId, kind: { in: ['REFUND', 'REFUND_RETURNED'] } }, _sum: { amountMinor: true } });
    expect(Number(net._sum.amountMinor)).toBe(-10_800);
  });

  it('a case reopened on an escalation is not resolved again while a refund sent back meanwhile is owed', async () => {
    const { caseId, refundId, stepKey, release } = await pendingRefund(pt, 'SO-ESCALATED-RETURNED');
    // The customer calls: the money has not arrived. The resting case is reopened to an agent.
    expect((await pt.call('POST', `/v1/cases/${caseId}/escalations`, pt.keys.AGENT, { reason: 'customer called: refund not received' })).status).toBe(202);
    await pt.untilStep(caseId, pt.keys.AGENT!, 'REOPENED_ON_ESCALATION');
    // Then the bank sends it back: the case is with the agent already, and stays so.
    release();
    expect((await pt.call('POST', `/v1/simulators/payment/refunds/${refundId}/settlement`, pt.keys.ADMIN, { outcome: 'FAILED', reason: 'ACCOUNT_CLOSED' })).status).toBe(200);
    await askProviderNow(pt, stepKey);
    await pt.untilStep(caseId, pt.keys.AGENT!, 'REFUND_RETURNED');
    await waitUntil('the workflow to be told', async () => (await pt.db.refundHold.findUniqueOrThrow({ where: { stepKey } })).caseToldAt !== null);
    const resolve = () => pt.call('POST', `/v1/cases/${caseId}/resolution`, pt.keys.AGENT, { action: 'CONTINUE', note: 'done' });
    expect(await resolve()).toMatchObject({ status: 409, body: { error: 'REFUND_STILL_OWED' } });
    // Closing is the agent's other way out; paid again, it may go on.
    expect((await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, {})).status).toBe(202);
    await pt.untilStep(caseId, pt.keys.AGENT!, 'REFUND_PAID_AGAIN');
    expect((await resolve()).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED');
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.map((e: { kind: string }) => e.kind).filter((k: string) => k.startsWith('REOPENED'))).toEqual(['REOPENED_ON_ESCALATION']);
  });

  it('still pending at the bank a week after it was paid: the case says so once, is escalated and listed; settled, that is over', async () => {
    const { caseId, refundId, stepKey, release } = await pendingRefund(pt, 'SO-PENDING-LONG', 'en');
    const listed = async () => (await pt.call('GET', '/v1/cases?refundPendingLong=true', pt.keys.SUPERVISOR)).body.items.map((c: { id: string }) => c.id);
    const pendingLong = async () => (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.timeline.filter((e: { kind: string }) => e.kind === 'REFUND_PENDING_LONG');
    // Six days: nothing said yet.
    await pt.db.$executeRaw`UPDATE "RefundHold" SET "createdAt" = now() - interval '6 days' WHERE "stepKey" = ${stepKey}`;
    await askProviderNow(pt, stepKey);
    expect(await pendingLong()).toEqual([]);
    expect(await listed()).not.toContain(caseId);
    // Eight days, asked twice: one step, the case escalated by it, on the worklist.
    await pt.db.$executeRaw`UPDATE "RefundHold" SET "createdAt" = now() - interval '8 days' WHERE "stepKey" = ${stepKey}`;
    await askProviderNow(pt, stepKey);
    await askProviderNow(pt, stepKey);
    expect(await pendingLong()).toEqual([expect.objectContaining({ data: expect.objectContaining({ refundId, amountMinor: 10_800, currency: 'CNY', pendingSince: expect.any(String) }) })]);
    const escalated = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(escalated).toMatchObject({ escalated: true, escalation: { kind: 'REFUND_PENDING_LONG' } });
    expect(await listed()).toEqual([caseId]);
    // The refund's own view says since when it is pending and when the provider is asked next.
    const view = (await pt.call('GET', `/v1/cases/${caseId}/refunds/${refundId}`, pt.keys.AGENT)).body;
    expect(view).toMatchObject({ bankStatus: 'PENDING', checks: 3 });
    expect(Date.now() - Date.parse(view.paidAt)).toBeGreaterThan(7 * 86_400_000);
    expect(Date.parse(view.nextCheckAt)).toBeGreaterThan(Date.now());
    expect(view.bankAnsweredAt).toBeUndefined();
    // The customer (in English here) hears once that it is known and followed, with the day it was paid.
    await waitUntil('the customer to be told the refund is still on its way', () => messages(caseId, 'refundPendingAtBank').length > 0);
    expect(messages(caseId, 'refundPendingAtBank')).toHaveLength(1);
    expect(messages(caseId, 'refundPendingAtBank')[0]!.text).toMatch(/^Hello, the refund of CN¥108\.00 issued on .+ is still being processed/);
    expect((await pt.call('GET', '/v1/cases?refundPendingLong=false', pt.keys.SUPERVISOR)).body.items.map((c: { id: string }) => c.id)).not.toContain(caseId);
    expect(await pt.call('GET', '/v1/cases?refundPendingLong=maybe', pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.refundPendingLong' } });
    // The bank settles it: the timeline says so, the escalation it raised is over, off the worklist.
    release();
    expect((await pt.call('POST', `/v1/simulators/payment/refunds/${refundId}/settlement`, pt.keys.ADMIN, { outcome: 'SUCCEEDED' })).status).toBe(200);
    await askProviderNow(pt, stepKey);
    const settled = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(settled.escalated).toBe(false);
    expect(settled.timeline.map((e: { kind: string }) => e.kind).slice(-2)).toEqual(['REFUND_PENDING_LONG', 'REFUND_SETTLED']);
    expect(await listed()).toEqual([]);
  });

  it('says beforehand what paying again pays when the order has less left, pays that, and tells the customer both amounts and why', async () => {
    const { caseId, orderId, refundId } = await returnedRefund(pt, 'SO-RETURNED-CAPPED', 'en');
    const refund = (id: string) => pt.call('GET', `/v1/cases/${caseId}/refunds/${id}`, pt.keys.AGENT);
    expect(await refund(refundId)).toMatchObject({ status: 200, body: { caseId, refundId, amountMinor: 10_800, currency: 'CNY', bankStatus: 'FAILED', returnedReason: 'ACCOUNT_CLOSED', paidAgain: false, payableAgainMinor: 10_800, checks: 0 } });
    const answered = (await refund(refundId)).body;
    expect(Date.parse(answered.bankAnsweredAt)).toBeGreaterThanOrEqual(Date.parse(answered.paidAt));
    expect(answered.nextCheckAt).toBeUndefined();
    expect((await refund('rf_none')).status).toBe(404);
    expect((await pt.call('GET', `/v1/cases/${caseId}/refunds/${refundId}`, pt.keys.STOREFRONT)).status).toBe(403);
    // Meanwhile another case of the order refunded 103.00 of its 108.00 (as its own hold would record it).
    await otherCaseRefunded(pt, caseId, orderId, 10_300);
    expect((await refund(refundId)).body).toMatchObject({ payableAgainMinor: 500 });
    const again = await pt.call('POST', `/v1/cases/${caseId}/refunds/${refundId}/pay-again`, pt.keys.AGENT, {});
    expect(again.status).toBe(202);
    const paid = await pt.untilStep(caseId, pt.keys.AGENT!, 'REFUND_PAID_AGAIN');
    expect(paid.data).toMatchObject({ returnedRefundId: refundId, amountMinor: 500 });
    // The refund sent back names its payment again, which may be looked up in turn.
    const sentBack = (await refund(refundId)).body;
    expect(sentBack).toMatchObject({ paidAgain: true, paidAgainRefundId: paid.data.refundId });
    expect((await refund(sentBack.paidAgainRefundId)).body).toMatchObject({ amountMinor: 500, bankStatus: 'SUCCEEDED', paidAgain: false });
    await waitUntil('the customer to be told of the smaller payment again', () => messages(caseId, 'refundPaidAgainPart').length > 0);
    const told = messages(caseId, 'refundPaidAgainPart')[0]!.text;
    expect(told).toContain('CN¥108.00');
    expect(told).toContain('CN¥5.00');
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body).toMatchObject({ refundedAmountMinor: 500, escalated: false });
    // Paid again: nothing more is payable, and the refund says so.
    const after = (await refund(refundId)).body;
    expect(after).toMatchObject({ paidAgain: true, bankStatus: 'FAILED' });
    expect(after).not.toHaveProperty('payableAgainMinor');
  });
});
