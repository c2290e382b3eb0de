/**
 * The case activities against the real Postgres (a database of this file's own) and the
 * in-process adapter simulators: every write and every payment is idempotent, so Temporal may
 * retry any activity without a second timeline entry, ledger line, message or refund.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities } from '../../activities/case-activities.js';
import type { Transition } from '../../activities/contract.js';
import { CourierSimulator, NotifierSimulator, PaymentSimulator, WarehouseSimulator } from '../../adapters/simulators.js';
import { createCaseStore } from '../../db/case-store.js';
import { createRefundSettlementStore } from '../../db/refund-settlement.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;
const payment = new PaymentSimulator();
const courier = new CourierSimulator();
const notifier = new NotifierSimulator();
const warehouse = new WarehouseSimulator({ strictOrders: true });
let activities: ReturnType<typeof createCaseActivities>;
/** The case workflows told of refunds paid again, and whether telling fails (Temporal away). */
const toldPaidAgain: Array<[string, string]> = [];
let tellingFails = false;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  const tellPaidAgain = async (caseId: string, returnedRefundId: string) => {
    if (tellingFails) throw new Error('14 UNAVAILABLE');
    toldPaidAgain.push([caseId, returnedRefundId]);
    return 'TOLD' as const;
  };
  activities = createCaseActivities({ store: createCaseStore(db), payment, courier, notifier, warehouse, tellPaidAgain });
  await db.merchant.create({ data: { id: 'm1', name: 'Tea Shop', defaultCurrency: 'CNY' } });
});

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

let n = 0;
async function newCase(locale = 'zh-CN', orderId?: string, merchantId = 'm1') {
  const id = `case-${++n}`;
  await db.case.create({
    data: {
      id,
      merchantId,
      type: 'RETURN_AND_REFUND',
      stage: 'OPENED',
      orderId: orderId ?? `o-${n}`,
      orderSnapshot: {},
      request: {},
      customerId: 'cust-1',
      customerLocale: locale,
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `case-${id}`,
    },
  });
  return id;
}

const transition = (caseId: string, version: number, over: Partial<Transition> = {}): Transition => ({
  caseId,
  stepKey: `${version}:STEP`,
  kind: 'STEP',
  stage: `STAGE_${version}`,
  status: 'OPEN',
  version,
  ...over,
});

describe('recordTransition', () => {
  it('writes a step once however often it is retried, and projects it', async () => {
    const id = await newCase();
    const t = transition(id, 1, { kind: 'SLA_BREACHED', stepKey: '1:SLA_BREACHED', late: true, escalated: true, decision: { rule: 'sameDaySolution', values: { x: 1 }, policyVersion: 1, outcome: 'BREACHED' } });
    await activities.recordTransition(t);
    await activities.recordTransition(t);
    const events = await db.caseEvent.findMany({ where: { caseId: id }, select: { kind: true, decision: true } });
    expect(events).toEqual([{ kind: 'SLA_BREACHED', decision: { rule: 'sameDaySolution', values: { x: 1 }, policyVersion: 1, outcome: 'BREACHED' } }]);
    expect(await db.case.findUnique({ where: { id }, select: { stage: true, late: true, escalated: true, projectionVersion: true } })).toEqual({
      stage: 'STAGE_1',
      late: true,
      escalated: true,
      projectionVersion: 1,
    });
  });

  it('never moves the read model backwards when an older step arrives late', async () => {
    const id = await newCase();
    const due = Date.now() + 3_600_000;
    await activities.recordTransition(transition(id, 2, { status: 'WAITING_CUSTOMER', deadlines: { shipDueAt: due } }));
    await activities.recordTransition(transition(id, 1, { status: 'OPEN' }));
    const c = await db.case.findUniqueOrThrow({ where: { id }, select: { stage: true, status: true, nextDeadlineAt: true } });
    expect(c).toEqual({ stage: 'STAGE_2', status: 'WAITING_CUSTOMER', nextDeadlineAt: new Date(due) });
    expect(await db.caseEvent.count({ where: { caseId: id } })).toBe(2); // the timeline still has both steps
  });
});

describe('money and documents', () => {
  it('a refund retried after a transient failure is paid exactly once', async () => {
    const id = await newCase();
    payment.setPaidAmount(`o-${n}`, 10_000);
    payment.faults.failNext(1, 'TRANSIENT');
    const req = { caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId: `o-${n}`, amountMinor: 6666, currency: 'CNY', reason: 'return' };
    await expect(activities.refundPayment(req)).rejects.toMatchObject({ type: 'TRANSIENT', retryable: true });
    const first = await activities.refundPayment(req);
    const again = await activities.refundPayment(req);
    expect(again).toEqual(first);
    expect(payment.refunds.filter((r) => r.orderId === `o-${n}`)).toHaveLength(1);
  });

  it("cases of one order refunding at the same moment pay, together, no more than the order was paid", async () => {
    const orderId = `o-race-${n}`;
    const ids = [await newCase('zh-CN', orderId), await newCase('zh-CN', orderId), await newCase('zh-CN', orderId)];
    // A refund booked before grants existed (no hold) counts too: 500 of the 3,000 are gone.
    await activities.appendLedger({ caseId: ids[0]!, stepKey: `${ids[0]}:ledger:old`, kind: 'REFUND', amountMinor: -500, currency: 'CNY', lines: [], reference: 'rf-before-holds' });
    const refund = (id: string) => ({ caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId, amountMinor: 3000, currency: 'CNY', reason: 'not shipped', orderPaidTotalMinor: 3000 });
    const paid = await Promise.all(ids.slice(1).map((id) => activities.refundPayment(refund(id))));
    expect(paid.map((p) => p.amountMinor).sort((a, b) => a - b)).toEqual([0, 2500]);
    // Nothing left: no call to the provider; a retry gets its first grant.
    expect(payment.refunds.filter((r) => r.orderId === orderId)).toHaveLength(1);
    const again = await Promise.all(ids.slice(1).map((id) => activities.refundPayment(refund(id))));
    expect(again).toEqual(paid);
    // The first case's own earlier refund does not count against it; the others' grants do.
    expect((await activities.refundPayment(refund(ids[0]!))).amountMinor).toBe(500);
  });

  it("money a case took on top of the order (an exchange's price difference) and pays back is its own: it raises the cap for it, and costs the order's other cases nothing", async () => {
    const orderId = `o-extra-${n}`;
    const [exchange, ret, late] = [await newCase('zh-CN', orderId), await newCase('zh-CN', orderId), await newCase('zh-CN', orderId)];
    const refund = (id: string, amountMinor: number, extraPaidMinor?: number) => ({ caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId, amountMinor, currency: 'CNY', reason: 'x', orderPaidTotalMinor: 40_000, ...(extraPaidMinor ? { extraPaidMinor } : {}) });
    // The exchanged item (300.00) and the 30.00 paid for the dearer replacement.
    expect((await activities.refundPayment(refund(exchange, 33_000, 3_000))).amountMinor).toBe(33_000);
    // The order's other item (100.00) is still refundable in full; nothing beyond.
    expect((await activities.refundPayment(refund(ret, 10_000))).amountMinor).toBe(10_000);
    expect((await activities.refundPayment(refund(late, 1))).amountMinor).toBe(0);
  });

  it("a grant the provider refuses for good goes back to the order's other cases", async () => {
    const orderId = `o-refused-${n}`;
    const [a, b] = [await newCase('zh-CN', orderId), await newCase('zh-CN', orderId)];
    payment.setPaidAmount(orderId, 1000); // the provider knows of 10.00 paid; the order snapshot says 30.00
    const refund = (id: string, amountMinor: number) => ({ caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId, amountMinor, currency: 'CNY', reason: 'x', orderPaidTotalMinor: 3000 });
    await expect(activities.refundPayment(refund(a, 3000))).rejects.toMatchObject({ type: 'REFUND_EXCEEDS_PAID', nonRetryable: true });
    expect((await activities.refundPayment(refund(b, 1000))).amountMinor).toBe(1000);
  });

  it("a refund the bank sends back gives the order's money back to its other cases, counts for nothing on the order, and is booked once", async () => {
    const orderId = `o-returned-${n}`;
    const [first, other] = [await newCase('zh-CN', orderId), await newCase('zh-CN', orderId)];
    payment.holdRefunds(true);
    const refund = (id: string) => ({ caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId, amountMinor: 3000, currency: 'CNY', reason: 'x', orderPaidTotalMinor: 3000 });
    const paid = await activities.refundPayment(refund(first));
    payment.holdRefunds(false);
    const settlement = createRefundSettlementStore(db);
    // Heard before the case booked its refund: asked again shortly, nothing booked back yet.
    expect(await settlement.refundReturned({ stepKey: `${first}:refund`, reason: 'CARD_CANCELLED' })).toBe('NOT_BOOKED_YET');
    expect(await db.refundHold.findUniqueOrThrow({ where: { stepKey: `${first}:refund` } })).toMatchObject({ status: 'PENDING' });
    await activities.appendLedger({ caseId: first, stepKey: `${first}:ledger:refund`, kind: 'REFUND', amountMinor: -3000, currency: 'CNY', lines: [{ kind: 'GOODS', sku: 'TEA', quantity: 1, amountMinor: 3000 }], reference: paid.refundId });
    expect(await db.refundHold.findUniqueOrThrow({ where: { stepKey: `${first}:refund` } })).toMatchObject({ status: 'PENDING', refundId: paid.refundId });
    // Sent back: booked once however often it is heard.
    expect(await settlement.refundReturned({ stepKey: `${first}:refund`, reason: 'CARD_CANCELLED' })).toBe('BOOKED');
    expect(await settlement.refundReturned({ stepKey: `${first}:refund`, reason: 'CARD_CANCELLED' })).toBe('ALREADY');
    // Once committed, due for its case's workflow to hear (Temporal's answer is not the booking's to wait for).
    const mine = async () => (await settlement.claimUntoldReturns(50, 60_000)).filter((u) => u.caseId === first);
    const untold = await mine();
    expect(untold).toEqual([{ stepKey: `${first}:refund`, caseId: first, refundId: paid.refundId, amountMinor: 3000, currency: 'CNY', reason: 'CARD_CANCELLED' }]);
    expect(await mine()).toEqual([]); // leased
    // Temporal away: tried again later; told, recorded as the case's input and not claimed again.
    await settlement.tellAgainLater(`${first}:refund`, 0);
    expect(await mine()).toHaveLength(1);
    await settlement.caseTold(untold[0]!, 'TOLD');
    await settlement.caseTold(untold[0]!, 'TOLD');
    await db.$executeRaw`UPDATE "RefundHold" SET "checkAt" = now() WHERE "stepKey" = ${`${first}:refund`}`;
    expect(await mine()).toEqual([]);
    const inputs = await db.caseInput.findMany({ where: { caseId: first, kind: 'refundSentBack' } });
    expect(inputs.map((i) => [i.via, i.senderRole, i.senderId, i.outcome, i.arg])).toEqual([['SIGNAL', 'SYSTEM', 'refund-follower', 'ACCEPTED', { refundId: paid.refundId, amountMinor: 3000, currency: 'CNY', reason: 'CARD_CANCELLED' }]]);
    await settlement.refundSettled(`${first}:refund`); // a late, contrary answer changes nothing
    expect(await db.refundHold.findUniqueOrThrow({ where: { stepKey: `${first}:refund` } })).toMatchObject({ status: 'FAILED', returnedReason: 'CARD_CANCELLED' });
    expect(await db.ledgerEntry.count({ where: { caseId: first, kind: 'REFUND_RETURNED' } })).toBe(1);
    expect(await db.notification.count({ where: { caseId: first, template: 'refundReturned' } })).toBe(1);
    expect(await activities.refundedOnOrder({ caseId: other, merchantId: 'm1', orderId, currency: 'CNY' })).toEqual({ amountMinor: 0, shippingRefunded: false });
    // The money never left the shop: the order's other case may refund it.
    expect((await activities.refundPayment(refund(other))).amountMinor).toBe(3000);
    // The first case still shows what it owes; paid again with nothing left on the order, it shows what its ledger nets to.
    expect(Number((await db.case.findUniqueOrThrow({ where: { id: first } })).refundedAmountMinor)).toBe(3000);
    expect((await activities.refundPayment({ ...refund(first), stepKey: `${first}:refund:again` })).amountMinor).toBe(0);
    // Its step written, the case's workflow is told; a telling that fails fails the activity, to be retried (the step is written once).
    const paidAgainStep = { caseId: first, stepKey: `${first}:refund:again`, kind: 'REFUND_PAID_AGAIN', data: { amountMinor: 0, returnedRefundId: paid.refundId }, settles: `${first}:refund:returned` };
    tellingFails = true;
    await expect(activities.recordCaseEvent(paidAgainStep)).rejects.toThrow('UNAVAILABLE');
    tellingFails = false;
    await activities.recordCaseEvent(paidAgainStep);
    expect(toldPaidAgain).toEqual([[first, paid.refundId]]);
    expect(await db.caseEvent.count({ where: { caseId: first, kind: 'REFUND_PAID_AGAIN' } })).toBe(1);
    // What the workflow heard is among the case's inputs, once however often the step is retried.
    await activities.recordCaseEvent(paidAgainStep);
    expect(toldPaidAgain).toHaveLength(2);
    const heard = await db.caseInput.findMany({ where: { caseId: first, kind: 'refundPaidAgain' }, select: { via: true, arg: true, senderRole: true, senderId: true, outcome: true } });
    expect(heard).toEqual([{ via: 'SIGNAL', arg: { returnedRefundId: paid.refundId }, senderRole: 'SYSTEM', senderId: 'refund-again', outcome: 'ACCEPTED' }]);
    expect(await db.case.findUniqueOrThrow({ where: { id: first }, select: { refundedAmountMinor: true, escalated: true } })).toEqual({ refundedAmountMinor: 0n, escalated: false });
    // The case's workflow, still running, writes its own figure with a later step: the ledger's stands.
    await activities.recordTransition(transition(first, 7, { stage: 'RESOLVED', status: 'RESOLVED', refundedAmountMinor: 3000 }));
    expect(await db.case.findUniqueOrThrow({ where: { id: first }, select: { stage: true, refundedAmountMinor: true } })).toEqual({ stage: 'RESOLVED', refundedAmountMinor: 0n });
  });

  it('a refund pending at the bank too long escalates its case once; sent back then, the case is escalated for the return instead', async () => {
    const caseId = await newCase();
    payment.holdRefunds(true);
    const paid = await activities.refundPayment({ caseId, stepKey: `${caseId}:refund`, merchantId: 'm1', orderId: `o-long-${n}`, amountMinor: 2000, currency: 'CNY', reason: 'x', orderPaidTotalMinor: 2000 });
    payment.holdRefunds(false);
    await activities.appendLedger({ caseId, stepKey: `${caseId}:ledger:refund`, kind: 'REFUND', amountMinor: -2000, currency: 'CNY', lines: [], reference: paid.refundId });
    const settlement = createRefundSettlementStore(db);
    const escalation = () => db.case.findUniqueOrThrow({ where: { id: caseId }, select: { escalated: true, escalatedBy: true } });
    const week = 7 * 24 * 3600_000;
    await settlement.refundStillPending(`${caseId}:refund`, 60_000, week);
    expect(await escalation()).toEqual({ escalated: false, escalatedBy: null });
    await db.$executeRaw`UPDATE "RefundHold" SET "createdAt" = now() - interval '8 days' WHERE "stepKey" = ${`${caseId}:refund`}`;
    await settlement.refundStillPending(`${caseId}:refund`, 60_000, week);
    await settlement.refundStillPending(`${caseId}:refund`, 60_000, week);
    expect(await escalation()).toEqual({ escalated: true, escalatedBy: `${caseId}:refund:pending-long` });
    expect(await db.caseEvent.count({ where: { caseId, kind: 'REFUND_PENDING_LONG' } })).toBe(1);
    // The customer hears once that it is known and followed, with the day it was paid.
    const told = await db.notification.findMany({ where: { caseId, template: 'refundPendingAtBank' } });
    expect(told).toHaveLength(1);
    expect(told[0]!.params).toMatchObject({ amountMinor: 2000, currency: 'CNY', paidAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    expect(await db.refundHold.findUniqueOrThrow({ where: { stepKey: `${caseId}:refund` } })).toMatchObject({ status: 'PENDING', checks: 3 });
    expect(await settlement.refundReturned({ stepKey: `${caseId}:refund`, reason: 'ACCOUNT_CLOSED' })).toBe('BOOKED');
    expect(await escalation()).toEqual({ escalated: true, escalatedBy: `${caseId}:refund:returned` });
  });

  it('a refund above what was paid is a non-retryable failure with its type', async () => {
    const id = await newCase();
    payment.setPaidAmount(`o-${n}`, 1000);
    const err = await activities
      .refundPayment({ caseId: id, stepKey: `${id}:refund`, merchantId: 'm1', orderId: `o-${n}`, amountMinor: 5000, currency: 'CNY', reason: 'x' })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'REFUND_EXCEEDS_PAID', nonRetryable: true });
  });

  it('a ledger document is booked once per key', async () => {
    const id = await newCase();
    const doc = { caseId: id, stepKey: `${id}:ledger:refund`, kind: 'REFUND' as const, amountMinor: -6666, currency: 'CNY', lines: [{ sku: 'MUG', quantity: 2 }], reference: 'rf_1' };
    await activities.appendLedger(doc);
    await activities.appendLedger(doc);
    const rows = await db.ledgerEntry.findMany({ where: { caseId: id }, select: { kind: true, amountMinor: true, reference: true } });
    expect(rows).toEqual([{ kind: 'REFUND', amountMinor: -6666n, reference: 'rf_1' }]);
    // The case shows the refund once it is booked (counted once), and a second refund with it.
    const refunded = async () => (await db.case.findUniqueOrThrow({ where: { id }, select: { refundedAmountMinor: true } })).refundedAmountMinor;
    expect(await refunded()).toBe(6666n);
    await activities.appendLedger({ ...doc, stepKey: `${id}:ledger:refund-2`, amountMinor: -334, reference: 'rf_2' });
    await activities.appendLedger({ ...doc, stepKey: `${id}:ledger:note`, kind: 'RETURN_NOTE', amountMinor: 0, lines: [] });
    expect(await refunded()).toBe(7000n);
    // Raised only: a figure a step wrote above the ledger's (its own reckoning) is not lowered by a later booking.
    await db.case.update({ where: { id }, data: { refundedAmountMinor: 9_000n } });
    await activities.appendLedger({ ...doc, stepKey: `${id}:ledger:refund-3`, amountMinor: -1000, reference: 'rf_3' });
    expect(await refunded()).toBe(9_000n);
    await activities.appendLedger({ ...doc, stepKey: `${id}:ledger:refund-4`, amountMinor: -2500, reference: 'rf_4' });
    expect(await refunded()).toBe(10_500n);
  });

  it('a lost-parcel claim is filed once per key', async () => {
    const claim = { caseId: 'c', stepKey: 'c:lost-return-claim', carrier: 'SF', trackingNumber: 'SF1', amountMinor: 100, currency: 'CNY', reason: 'lost', evidenceUrls: [] };
    const a = await activities.fileCourierClaim(claim);
    const b = await activities.fileCourierClaim(claim);
    expect(b).toEqual(a);
    expect(courier.claims.filter((c) => c.idempotencyKey === 'c:lost-return-claim')).toHaveLength(1);
  });
});

describe('notifications', () => {
  it('go out once, in the customer language, even when the first send failed after the outbox row was written', async () => {
    const id = await newCase('en');
    notifier.faults.failNext(1, 'TRANSIENT');
    const msg = { caseId: id, stepKey: '3:notify:refundIssued', template: 'refundIssued', params: { amountMinor: 6666, currency: 'CNY' } };
    await expect(activities.notifyCustomer(msg)).rejects.toMatchObject({ type: 'TRANSIENT' });
    await activities.notifyCustomer(msg);
    await activities.notifyCustomer(msg);
    const sent = notifier.sent.filter((m) => m.idempotencyKey === `${id}:3:notify:refundIssued`);
    expect(sent).toEqual([expect.objectContaining({ template: 'refundIssued', locale: 'en', to: { customerId: 'cust-1', channel: 'APP' } })]);
    expect(await db.notification.findMany({ where: { caseId: id }, select: { sentAt: true, providerId: true } })).toEqual([{ sentAt: expect.any(Date), providerId: sent[0]!.messageId }]);
  });
});

describe('refundedOnOrder', () => {
  it("sums the refunds of the order's other cases, in its currency, and says whether shipping went back", async () => {
    await db.merchant.create({ data: { id: 'm2', name: 'Other shop', defaultCurrency: 'CNY' } });
    const [first, second, current] = [await newCase('zh-CN', 'o-shared'), await newCase('zh-CN', 'o-shared'), await newCase('zh-CN', 'o-shared')];
    const otherMerchant = await newCase('zh-CN', 'o-shared', 'm2');
    const refund = (caseId: string, key: string, amountMinor: number, lines: Array<Record<string, unknown>>, currency = 'CNY') =>
      activities.appendLedger({ caseId, stepKey: key, kind: 'REFUND', amountMinor: -amountMinor, currency, lines });
    await refund(first, `${first}:refund`, 3333, [{ kind: 'GOODS', sku: 'MUG', quantity: 1, unitPriceMinor: 3333, amountMinor: 3333 }]);
    await refund(second, `${second}:refund`, 6000, [{ kind: 'GOODS', sku: 'TEA', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000 }, { kind: 'SHIPPING', sku: 'SHIPPING', quantity: 1, unitPriceMinor: 1000, amountMinor: 1000 }]);
    await refund(current, `${current}:refund`, 999, []); // the asking case itself is not "earlier"
    await refund(otherMerchant, `${otherMerchant}:refund`, 777, []); // same order id, another merchant
    await activities.appendLedger({ caseId: first, stepKey: `${first}:note`, kind: 'RETURN_NOTE', amountMinor: 0, currency: 'CNY', lines: [{ sku: 'SHIPPING' }] });
    expect(await activities.refundedOnOrder({ caseId: current, merchantId: 'm1', orderId: 'o-shared', currency: 'CNY' })).toEqual({ amountMinor: 9333, shippingRefunded: true });
    expect(await activities.refundedOnOrder({ caseId: second, merchantId: 'm1', orderId: 'o-shared', currency: 'CNY' })).toEqual({ amountMinor: 3333 + 999, shippingRefunded: false });
    expect(await activities.refundedOnOrder({ caseId: current, merchantId: 'm1', orderId: 'o-shared', currency: 'USD' })).toEqual({ amountMinor: 0, shippingRefunded: false });
  });

  it('leaves out a price difference an exchange paid back: the customer paid it on top of the order, so the order has as much left as before', async () => {
    const [exchange, refundedInstead, current] = [await newCase('zh-CN', 'o-dearer'), await newCase('zh-CN', 'o-dearer'), await newCase('zh-CN', 'o-dearer')];
    const difference = { kind: 'DIFFERENCE_RETURNED', sku: 'PRICE_DIFFERENCE', quantity: 1, unitPriceMinor: 3000, amountMinor: 3000 };
    // The old goods never came back: only the difference goes back (refundBeforeClose).
    await activities.appendLedger({ caseId: exchange, stepKey: `${exchange}:refund`, kind: 'REFUND', amountMinor: -3000, currency: 'CNY', lines: [difference] });
    // No stock: the goods and the difference refunded instead of a replacement.
    await activities.appendLedger({ caseId: refundedInstead, stepKey: `${refundedInstead}:refund`, kind: 'REFUND', amountMinor: -8000, currency: 'CNY', lines: [{ kind: 'GOODS', sku: 'SHOE-40', quantity: 1, unitPriceMinor: 5000, amountMinor: 5000 }, difference] });
    expect(await activities.refundedOnOrder({ caseId: current, merchantId: 'm1', orderId: 'o-dearer', currency: 'CNY' })).toEqual({ amountMinor: 5000, shippingRefunded: false });
  });
});

describe('the carrier of a case', () => {
  it('is projected from the step that names it, for the figures per carrier', async () => {
    const id = await newCase();
    await activities.recordTransition(transition(id, 1));
    await activities.recordTransition(transition(id, 2, { kind: 'RETURN_SHIPPED', stepKey: '2:RETURN_SHIPPED', data: { carrier: 'SF', trackingNumber: 'SF123' } }));
    await activities.recordTransition(transition(id, 3, { kind: 'ARRIVED', stepKey: '3:ARRIVED', data: { scannedBy: 'dock' } }));
    expect(await db.case.findUnique({ where: { id }, select: { carrier: true, returnTrackingNumber: true } })).toEqual({ carrier: 'SF', returnTrackingNumber: 'SF123' });
  });
});

describe('claim activities', () => {
  it('recordCaseEvent writes a timeline entry once and raises the escalated flag, leaving the stage alone', async () => {
    const id = await newCase();
    await activities.recordTransition(transition(id, 1));
    const e = { caseId: id, stepKey: 'claim:SF1:escalated', kind: 'CLAIM_ESCALATED', actor: 'logistics:claim', escalated: true, decision: { rule: 'escalateBeforeCloseDays', values: {}, policyVersion: 1, outcome: 'ESCALATE' } };
    await activities.recordCaseEvent(e);
    await activities.recordCaseEvent(e);
    expect(await db.caseEvent.count({ where: { caseId: id, kind: 'CLAIM_ESCALATED' } })).toBe(1);
    expect(await db.case.findUnique({ where: { id }, select: { stage: true, escalated: true } })).toEqual({ stage: 'STAGE_1', escalated: true });
  });

  it("claimStatus reads the carrier's decision", async () => {
    const { claimId } = await activities.fileCourierClaim({ caseId: 'x', stepKey: `claim-status-${Date.now()}`, carrier: 'SF', trackingNumber: 'SF77', amountMinor: 4_000, currency: 'CNY', reason: 'lost', evidenceUrls: [] });
    expect(await activities.claimStatus({ carrier: 'SF', claimId })).toEqual({ status: 'FILED' });
    courier.resolveClaim(claimId, 'PARTLY_PAID', 2_500);
    expect(await activities.claimStatus({ carrier: 'SF', claimId })).toMatchObject({ status: 'PARTLY_PAID', paidMinor: 2_500 });
  });
});

describe('warehouse activities', () => {
  it('reads where an order is, cancels it once per step, and refuses a parcel that has left (non-retryable)', async () => {
    warehouse.setOrder({ orderId: 'w-1', status: 'PICKED', outboundId: 'ob-1' });
    expect(await activities.orderDispatch({ orderId: 'w-1' })).toEqual({ status: 'PICKED', outboundId: 'ob-1' });
    const cancel = { caseId: 'c-w', stepKey: 'c-w:cancel-order', orderId: 'w-1', reason: 'refund before shipping' };
    expect(await activities.cancelOrder(cancel)).toEqual({ reversedOutboundId: 'ob-1' });
    expect(await activities.cancelOrder(cancel)).toEqual({ reversedOutboundId: 'ob-1' }); // a retry answers the same
    expect(warehouse.cancellations).toHaveLength(1);
    warehouse.ship('w-2', 'SF', 'SF55');
    const err = await activities.cancelOrder({ ...cancel, stepKey: 'c-w2:cancel-order', orderId: 'w-2' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'ALREADY_SHIPPED', nonRetryable: true });
    expect(await activities.orderDispatch({ orderId: 'w-2' })).toMatchObject({ status: 'SHIPPED', carrier: 'SF', trackingNumber: 'SF55' });
    await expect(activities.orderDispatch({ orderId: 'nope' })).rejects.toMatchObject({ type: 'NOT_FOUND', nonRetryable: true });
    // The lenient simulator of npm start takes an order nobody placed as not picked yet.
    expect(await new WarehouseSimulator().orderStatus('never-placed')).toEqual({ orderId: 'never-placed', status: 'NOT_PICKED' });
  });
});
