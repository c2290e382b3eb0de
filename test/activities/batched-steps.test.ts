/**
 * Batched steps (cases since the batched-case-steps patch) against the real Postgres: one
 * `recordSteps` writes the timeline, the parcels, the case row and the queued messages in one
 * statement, idempotently; the outbox sender delivers the messages once, retries a failing
 * notifier with backoff and marks the case stuck when it keeps failing.
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities } from '../../activities/case-activities.js';
import type { CaseSteps, Transition } from '../../activities/contract.js';
import { createNotificationOutbox } from '../../activities/notification-outbox.js';
import { CourierSimulator, NotifierSimulator, PaymentSimulator, WarehouseSimulator } from '../../adapters/simulators.js';
import { createCaseStore } from '../../db/case-store.js';
import { projectSteps } from '../../db/case-steps.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { PrismaClient } from '../../generated/prisma/client.js';

let db: Db;
let url: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  url = t.url;
  db = createPrisma(t.url);
  await db.merchant.create({ data: { id: 'm1', name: 'Tea Shop', defaultCurrency: 'CNY' } });
});

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

let n = 0;
async function newCase(locale = 'zh-CN') {
  const id = `bs-${++n}`;
  await db.case.create({
    data: { id, merchantId: 'm1', type: 'RETURN_AND_REFUND', stage: 'OPENED', orderId: `o-${n}`, orderSnapshot: {}, request: {}, customerId: `cust-${n}`, customerLocale: locale, currency: 'CNY', policyVersion: 1, workflowId: `case-${id}` },
  });
  return id;
}

const step = (caseId: string, version: number, kind: string, over: Partial<Transition> = {}): Transition => ({ caseId, stepKey: `${version}:${kind}`, kind, stage: 'OPENED', status: 'OPEN', version, ...over });

/** What opening a return writes before its first wait, as one batch. */
function openingBatch(caseId: string, due: number): CaseSteps {
  return {
    caseId,
    transitions: [
      step(caseId, 1, 'OPENED', { deadlines: { solutionDueAt: due } }),
      step(caseId, 3, 'SOLUTION_PROPOSED', { deadlines: { solutionDueAt: due }, decision: { rule: 'noReasonReturnDays', values: {}, policyVersion: 1, outcome: 'APPROVE' }, solutionGivenAt: due - 5000 }),
      step(caseId, 4, 'RETURN_APPROVED', { stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER', deadlines: { solutionDueAt: due, shipDueAt: due + 1000 }, solutionGivenAt: due - 5000 }),
    ],
    notifications: [
      { caseId, stepKey: '2:notify:caseOpened', template: 'caseOpened', params: { caseId } },
      { caseId, stepKey: '5:notify:shipReminder', template: 'shipReminder', params: { shipBy: due + 1000 } },
    ],
  };
}

describe('projectSteps', () => {
  it('leaves the case row as the steps one by one would: last stage, each field as last set', () => {
    const steps = [
      step('c', 1, 'A', { assigneeId: 'ag-1', escalated: true, data: { carrier: 'SF', trackingNumber: 'SF1' }, deadlines: { solutionDueAt: 50 } }),
      step('c', 2, 'B', { status: 'RESOLVED', refundedAmountMinor: 900, deadlines: { solutionDueAt: 50, revisitDueAt: 300 }, solutionGivenAt: 40 }),
      // (every step after carries the same time; the first one counts)
      step('c', 3, 'C', { stage: 'CLOSED', status: 'CLOSED', escalated: false, closeReason: 'SATISFIED', deadlines: { solutionDueAt: 50, revisitDueAt: 300 }, solutionGivenAt: 41 }),
    ];
    expect(projectSteps(steps, 100)).toEqual({
      version: 3,
      stage: 'CLOSED',
      status: 'CLOSED',
      deadlines: { solutionDueAt: 50, revisitDueAt: 300 },
      solutionDueAt: 50,
      solutionGivenAt: 40,
      nextDeadlineAt: null, // closed: nothing ahead, though revisitDueAt (300) is still in the future
      late: null,
      escalated: false,
      escalatedBy: null, // cleared by the last step
      escalatedByPerson: false,
      escalationCleared: true,
      resolvedEarlierEscalation: false,
      assigneeId: 'ag-1',
      actingAgentId: null,
      refundedAmountMinor: 900,
      satisfaction: null,
      closeReason: 'SATISFIED',
      resolved: true,
      closed: true,
      returnTrackingNumber: 'SF1',
      carrier: 'SF',
    });
  });
});

describe("the deadline a case waits until: its current stage's", () => {
  it('is the stage deadline the step carries, not the earliest of the deadlines set so far', () => {
    // At AWAITING_ARRIVAL: the shipping deadline (200) is still ahead but belongs to the stage before.
    const steps = [
      step('c', 1, 'A', { stage: 'AWAITING_RETURN_SHIPMENT', deadlines: { solutionDueAt: 150, shipDueAt: 200 }, stageDeadlineAt: 200 }),
      step('c', 2, 'B', { stage: 'AWAITING_ARRIVAL', deadlines: { solutionDueAt: 150, shipDueAt: 200, arrivalDueAt: 900 }, stageDeadlineAt: 900 }),
    ];
    expect(projectSteps(steps, 100).nextDeadlineAt).toBe(900);
    // A stage without a deadline waits until nothing; an overdue one is still the deadline.
    expect(projectSteps([step('c', 3, 'C', { stage: 'REFUNDING', deadlines: { shipDueAt: 200 }, stageDeadlineAt: null })], 100).nextDeadlineAt).toBeNull();
    expect(projectSteps([step('c', 3, 'C', { stage: 'AWAITING_INSPECTION', deadlines: { inspectionDueAt: 50 }, stageDeadlineAt: 50 })], 100).nextDeadlineAt).toBe(50);
    // Steps recorded before the workflow sent its stage deadline: the earliest one still ahead.
    expect(projectSteps([step('c', 3, 'C', { deadlines: { solutionDueAt: 50, shipDueAt: 200, arrivalDueAt: 900 } })], 100).nextDeadlineAt).toBe(200);
  });
});

describe('recordSteps', () => {
  const notifier = new NotifierSimulator();
  const store = () => createCaseStore(db);
  const activities = () => createCaseActivities({ store: store(), payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier, warehouse: new WarehouseSimulator() });

  it('writes the steps, the case row and the queued messages in one statement, and a retry adds nothing', async () => {
    const id = await newCase('en');
    const due = Date.now() + 3_600_000;
    const statements: string[] = [];
    const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: url }), log: [{ emit: 'event', level: 'query' }] });
    logged.$on('query', (e) => statements.push(e.query));
    const a = createCaseActivities({ store: createCaseStore(logged), payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier, warehouse: new WarehouseSimulator() });
    await a.recordSteps(openingBatch(id, due));
    expect(statements).toHaveLength(1);
    await a.recordSteps(openingBatch(id, due));
    await logged.$disconnect();

    const events = await db.caseEvent.findMany({ where: { caseId: id }, orderBy: { id: 'asc' }, select: { kind: true, stage: true, decision: true } });
    expect(events).toEqual([
      { kind: 'OPENED', stage: 'OPENED', decision: null },
      { kind: 'SOLUTION_PROPOSED', stage: 'OPENED', decision: expect.objectContaining({ outcome: 'APPROVE' }) },
      { kind: 'RETURN_APPROVED', stage: 'AWAITING_RETURN_SHIPMENT', decision: null },
    ]);
    const row = await db.case.findUniqueOrThrow({ where: { id }, select: { stage: true, status: true, projectionVersion: true, solutionDueAt: true, solutionGivenAt: true, nextDeadlineAt: true } });
    expect(row).toEqual({ stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER', projectionVersion: 4, solutionDueAt: new Date(due), solutionGivenAt: new Date(due - 5000), nextDeadlineAt: new Date(due) });
    const queued = await db.notification.findMany({ where: { caseId: id }, orderBy: { id: 'asc' }, select: { template: true, locale: true, sentAt: true, idempotencyKey: true } });
    expect(queued).toEqual([
      { template: 'caseOpened', locale: 'en', sentAt: null, idempotencyKey: `${id}:2:notify:caseOpened` },
      { template: 'shipReminder', locale: 'en', sentAt: null, idempotencyKey: `${id}:5:notify:shipReminder` },
    ]);
  });

  it('an unassigned case becomes the agent\'s who first acts on it; an assignment wins, and escalating or assigning takes nothing', async () => {
    const a = activities();
    const assignee = async (id: string) => (await db.case.findUniqueOrThrow({ where: { id }, select: { assigneeId: true } })).assigneeId;
    const decided = await newCase();
    // Escalated by one agent (passing it on), then decided by another: the second's.
    await a.recordSteps({ caseId: decided, transitions: [step(decided, 1, 'OPENED'), step(decided, 2, 'ESCALATED', { actor: 'agent:ag-1', escalated: true })], notifications: [] });
    expect(await assignee(decided)).toBeNull();
    await a.recordSteps({ caseId: decided, transitions: [step(decided, 3, 'SOLUTION_PROPOSED', { actor: 'agent:ag-7' }), step(decided, 4, 'AGENT_RESOLVED', { actor: 'agent:ag-8' })], notifications: [] });
    expect(await assignee(decided)).toBe('ag-7');
    // Later acts of others leave it theirs.
    await a.recordSteps({ caseId: decided, transitions: [step(decided, 5, 'AGENT_RESOLVED', { actor: 'agent:ag-9' })], notifications: [] });
    expect(await assignee(decided)).toBe('ag-7');

    // An agent assigning the case to someone else does not take it, even in the batch's first step.
    const assigned = await newCase();
    await a.recordSteps({ caseId: assigned, transitions: [step(assigned, 1, 'ASSIGNED', { actor: 'agent:ag-1', assigneeId: 'ag-2' }), step(assigned, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-3' })], notifications: [] });
    expect(projectSteps([step(assigned, 1, 'ASSIGNED', { actor: 'agent:ag-1', assigneeId: 'ag-2' })], 0).actingAgentId).toBeNull();
    expect(await assignee(assigned)).toBe('ag-2');
    // A supervisor deciding, and a revisit score an agent typed in for the customer, take nothing.
    const byOthers = await newCase();
    await a.recordSteps({ caseId: byOthers, transitions: [step(byOthers, 1, 'SOLUTION_PROPOSED', { actor: 'supervisor:su-1' }), step(byOthers, 2, 'CLOSED_SATISFIED', { actor: 'agent:ag-4', stage: 'CLOSED', status: 'CLOSED' })], notifications: [] });
    expect(await assignee(byOthers)).toBeNull();
    // A nameless agent actor (`agent:`) names nobody; the system takes nothing.
    const nameless = await newCase();
    await a.recordSteps({ caseId: nameless, transitions: [step(nameless, 1, 'OPENED', { actor: 'system' }), step(nameless, 2, 'AGENT_RESOLVED', { actor: 'agent:' })], notifications: [] });
    expect(await assignee(nameless)).toBeNull();
    // Cases from before batched steps write them one by one: the same rule.
    const single = await newCase();
    await a.recordTransition(step(single, 1, 'ESCALATED', { actor: 'agent:ag-1', escalated: true }));
    expect(await assignee(single)).toBeNull();
    await a.recordTransition(step(single, 2, 'SOLUTION_PROPOSED', { actor: 'agent:ag-4' }));
    await a.recordTransition(step(single, 3, 'AGENT_RESOLVED', { actor: 'agent:ag-5' }));
    expect(await assignee(single)).toBe('ag-4');
  });

  it('keeps the step that escalated a case while it stays escalated: the first since it was last cleared — batched, one by one, from a claim, and stuck', async () => {
    const a = activities();
    const by = async (id: string) => db.case.findUniqueOrThrow({ where: { id }, select: { escalated: true, escalatedBy: true } });
    const id = await newCase();
    await a.recordSteps({ caseId: id, transitions: [step(id, 1, 'OPENED'), step(id, 2, 'COUNT_MISMATCH', { escalated: true }), step(id, 3, 'AGENT_REMINDER', { escalated: true })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: true, escalatedBy: '2:COUNT_MISMATCH' });
    // A later reminder, in its own batch, leaves the first reason.
    await a.recordSteps({ caseId: id, transitions: [step(id, 4, 'AGENT_REMINDER', { escalated: true })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: true, escalatedBy: '2:COUNT_MISMATCH' });
    // Cleared and escalated again in one batch: the new reason.
    await a.recordSteps({ caseId: id, transitions: [step(id, 5, 'ESCALATION_CLEARED', { escalated: false }), step(id, 6, 'SLA_BREACHED', { escalated: true })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: true, escalatedBy: '6:SLA_BREACHED' });
    // A person's reason replaces the automatic one; the reminders after it leave the person's.
    await a.recordSteps({ caseId: id, transitions: [step(id, 7, 'ESCALATED', { actor: 'agent:ag-1', escalated: true, data: { reason: 'called a third time' } })], notifications: [] });
    await a.recordSteps({ caseId: id, transitions: [step(id, 8, 'AGENT_REMINDER', { escalated: true })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: true, escalatedBy: '7:ESCALATED' });
    await a.recordSteps({ caseId: id, transitions: [step(id, 9, 'ESCALATION_CLEARED', { escalated: false })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: false, escalatedBy: null });
    // A retry of an old batch moves nothing.
    await a.recordSteps({ caseId: id, transitions: [step(id, 6, 'SLA_BREACHED', { escalated: true })], notifications: [] });
    expect(await by(id)).toEqual({ escalated: false, escalatedBy: null });

    // An agent's resolution answers every escalation but a member of staff's: a hand-over, a reminder,
    // a customer's low score, a courier's report — in the same batch or before it. A supervisor clears
    // an agent's or supervisor's own escalation.
    const handedOver = await newCase();
    await a.recordSteps({ caseId: handedOver, transitions: [step(handedOver, 1, 'COUNT_MISMATCH', { escalated: true }), step(handedOver, 2, 'AGENT_REMINDER', { escalated: true })], notifications: [] });
    await a.recordSteps({ caseId: handedOver, transitions: [step(handedOver, 3, 'AGENT_RESOLVED', { actor: 'agent:ag-1' }), step(handedOver, 4, 'RESOLVED', { status: 'RESOLVED' })], notifications: [] });
    expect(await by(handedOver)).toEqual({ escalated: false, escalatedBy: null });
    const lowScore = await newCase();
    await a.recordSteps({ caseId: lowScore, transitions: [step(lowScore, 1, 'REOPENED', { escalated: true, data: { comment: '还是坏的' } }), step(lowScore, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-1' })], notifications: [] });
    expect(await by(lowScore)).toEqual({ escalated: false, escalatedBy: null });
    const byCourier = await newCase();
    await a.recordSteps({ caseId: byCourier, transitions: [step(byCourier, 1, 'ESCALATED', { actor: 'courier:SF', escalated: true })], notifications: [] });
    await a.recordSteps({ caseId: byCourier, transitions: [step(byCourier, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-1' })], notifications: [] });
    expect(await by(byCourier)).toEqual({ escalated: false, escalatedBy: null });
    const byStaff = await newCase();
    await a.recordSteps({ caseId: byStaff, transitions: [step(byStaff, 1, 'ESCALATED', { actor: 'agent:ag-1', escalated: true, data: { reason: 'wants the manager' } })], notifications: [] });
    await a.recordSteps({ caseId: byStaff, transitions: [step(byStaff, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-1' })], notifications: [] });
    expect(await by(byStaff)).toEqual({ escalated: true, escalatedBy: '1:ESCALATED' });
    const sameBatch = await newCase();
    await a.recordSteps({ caseId: sameBatch, transitions: [step(sameBatch, 1, 'ESCALATED', { actor: 'supervisor:s-1', escalated: true }), step(sameBatch, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-1' })], notifications: [] });
    expect(await by(sameBatch)).toEqual({ escalated: true, escalatedBy: '1:ESCALATED' });
    // Resolved, then escalated again (the next wait's hand-over): escalated, by that step.
    const again = await newCase();
    await a.recordSteps({ caseId: again, transitions: [step(again, 1, 'NOT_SHORT', { escalated: true })], notifications: [] });
    await a.recordSteps({ caseId: again, transitions: [step(again, 2, 'AGENT_RESOLVED', { actor: 'agent:ag-1' }), step(again, 3, 'ABOVE_CAP', { escalated: true })], notifications: [] });
    expect(await by(again)).toEqual({ escalated: true, escalatedBy: '3:ABOVE_CAP' });

    // Escalated before the reason was kept (''): unknown, not the next reminder's; a person's replaces it.
    const legacy = await newCase();
    await db.case.update({ where: { id: legacy }, data: { escalated: true, escalatedBy: '' } });
    await a.recordSteps({ caseId: legacy, transitions: [step(legacy, 1, 'AGENT_REMINDER', { escalated: true })], notifications: [] });
    expect(await by(legacy)).toEqual({ escalated: true, escalatedBy: '' });
    await a.recordSteps({ caseId: legacy, transitions: [step(legacy, 2, 'REOPENED', { escalated: true, data: { comment: '还是坏的' } })], notifications: [] });
    expect(await by(legacy)).toEqual({ escalated: true, escalatedBy: '2:REOPENED' });

    // One by one (cases from before batched steps), and a step a courier claim appends.
    const single = await newCase();
    await a.recordTransition(step(single, 1, 'SLA_BREACHED', { escalated: true }));
    await a.recordTransition(step(single, 2, 'AGENT_REMINDER', { escalated: true }));
    expect(await by(single)).toEqual({ escalated: true, escalatedBy: '1:SLA_BREACHED' });
    await a.recordTransition(step(single, 3, 'ESCALATED', { escalated: true }));
    expect(await by(single)).toEqual({ escalated: true, escalatedBy: '3:ESCALATED' });
    await a.recordTransition(step(single, 4, 'ESCALATION_CLEARED', { escalated: false }));
    expect(await by(single)).toEqual({ escalated: false, escalatedBy: null });
    // Last changed a minute ago, so the claim's change shows whatever the clock's resolution.
    const before = new Date(Date.now() - 60_000);
    await db.case.update({ where: { id: single }, data: { updatedAt: before } });
    await store().appendEvent({ caseId: single, stepKey: 'claim:1:CLAIM_ESCALATED', kind: 'CLAIM_ESCALATED', escalated: true });
    expect(await by(single)).toEqual({ escalated: true, escalatedBy: 'claim:1:CLAIM_ESCALATED' });
    // A changed row: the change feed and the storefronts' sync find it by updatedAt.
    expect((await db.case.findUniqueOrThrow({ where: { id: single }, select: { updatedAt: true } })).updatedAt.getTime()).toBeGreaterThan(before.getTime());
    // A claim's later escalation leaves the reason the case has.
    await store().appendEvent({ caseId: single, stepKey: 'claim:2:CLAIM_ESCALATED', kind: 'CLAIM_ESCALATED', escalated: true });
    expect(await by(single)).toEqual({ escalated: true, escalatedBy: 'claim:1:CLAIM_ESCALATED' });
    // A pointer left behind while not escalated (a clearing by older code) is no reason: the new step is.
    await db.case.update({ where: { id: single }, data: { escalated: false } });
    await store().appendEvent({ caseId: single, stepKey: 'claim:3:CLAIM_ESCALATED', kind: 'CLAIM_ESCALATED', escalated: true });
    expect(await by(single)).toEqual({ escalated: true, escalatedBy: 'claim:3:CLAIM_ESCALATED' });

    // A side effect that keeps failing escalates a case no step had.
    const stuck = await newCase();
    await store().markStuck({ caseId: stuck, stepKey: '3:notify:caseOpened', activity: 'notify', attempt: 5, error: 'provider down' });
    expect(await by(stuck)).toEqual({ escalated: true, escalatedBy: '3:notify:caseOpened:stuck' });
  });

  it('never moves the case row backwards: an older batch retried late leaves the newer projection', async () => {
    const id = await newCase();
    const a = activities();
    await a.recordSteps({ caseId: id, transitions: [step(id, 1, 'OPENED'), step(id, 2, 'SHIPPED', { stage: 'AWAITING_ARRIVAL', data: { carrier: 'sf', trackingNumber: 'SF9' } })], notifications: [] });
    await a.recordSteps({ caseId: id, transitions: [step(id, 1, 'OPENED')], notifications: [] });
    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { stage: true, projectionVersion: true, returnTrackingNumber: true } })).toEqual({ stage: 'AWAITING_ARRIVAL', projectionVersion: 2, returnTrackingNumber: 'SF9' });
    expect(await db.caseParcel.findMany({ where: { caseId: id }, select: { carrier: true, trackingNumber: true, role: true } })).toEqual([{ carrier: 'SF', trackingNumber: 'SF9', role: 'RETURN' }]);
  });

  it('a resolved case keeps the time it was resolved (and closed) through later steps that still say so — batched and one by one', async () => {
    const a = activities();
    const times = (id: string) => db.case.findUniqueOrThrow({ where: { id }, select: { resolvedAt: true, closedAt: true } });
    const waitPast = async (t: Date | null) => {
      while (Date.now() <= (t?.getTime() ?? 0) + 5) await new Promise((r) => setTimeout(r, 5));
    };
    const batched = await newCase();
    await a.recordSteps({ caseId: batched, transitions: [step(batched, 1, 'OPENED'), step(batched, 2, 'RESOLVED', { stage: 'RESOLVED', status: 'RESOLVED' })], notifications: [] });
    const resolved = await times(batched);
    expect(resolved.resolvedAt).not.toBeNull();
    await waitPast(resolved.resolvedAt);
    // Assigned and escalated afterwards: the steps carry the case's status, RESOLVED.
    await a.recordSteps({ caseId: batched, transitions: [step(batched, 3, 'ASSIGNED', { stage: 'RESOLVED', status: 'RESOLVED', assigneeId: 'ag-2' })], notifications: [] });
    await a.recordSteps({ caseId: batched, transitions: [step(batched, 4, 'ESCALATED', { stage: 'RESOLVED', status: 'RESOLVED', escalated: true })], notifications: [] });
    expect(await times(batched)).toEqual(resolved);
    // The revisit answered and the case closed in one batch: still resolved when it was, closed now.
    await a.recordSteps({ caseId: batched, transitions: [step(batched, 5, 'REVISIT_ANSWERED', { stage: 'RESOLVED', status: 'RESOLVED' }), step(batched, 6, 'CLOSED', { stage: 'CLOSED', status: 'CLOSED' })], notifications: [] });
    const closed = await times(batched);
    expect(closed.resolvedAt).toEqual(resolved.resolvedAt);
    expect(closed.closedAt!.getTime()).toBeGreaterThan(resolved.resolvedAt!.getTime());

    // Cases from before batched steps record one step per activity.
    const single = await newCase();
    await a.recordTransition(step(single, 1, 'RESOLVED', { stage: 'RESOLVED', status: 'RESOLVED' }));
    const first = await times(single);
    expect(first.resolvedAt).not.toBeNull();
    await waitPast(first.resolvedAt);
    await a.recordTransition(step(single, 2, 'ASSIGNED', { stage: 'RESOLVED', status: 'RESOLVED', assigneeId: 'ag-2' }));
    expect(await times(single)).toEqual(first);
  });

  it('a corrected return number replaces the mistyped one: the case follows the new parcel only, and a retry changes nothing', async () => {
    const id = await newCase();
    const a = activities();
    const parcels = () => db.caseParcel.findMany({ where: { caseId: id }, orderBy: { trackingNumber: 'asc' }, select: { carrier: true, trackingNumber: true, role: true } });
    const corrected = (version: number, from: string, to: string) =>
      step(id, version, 'RETURN_SHIPMENT_CORRECTED', { stage: 'AWAITING_ARRIVAL', data: { carrier: 'sf', trackingNumber: to, previousCarrier: 'sf', previousTrackingNumber: from } });
    await a.recordSteps({ caseId: id, transitions: [step(id, 1, 'OPENED', { data: { carrier: 'SF', originalTracking: 'SF100' } }), step(id, 2, 'RETURN_SHIPPED', { stage: 'AWAITING_ARRIVAL', data: { carrier: 'sf', trackingNumber: 'SF 18' } })], notifications: [] });
    const batch = { caseId: id, transitions: [corrected(3, 'SF 18', 'sf19')], notifications: [] };
    await a.recordSteps(batch);
    await a.recordSteps(batch);
    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { returnTrackingNumber: true } })).toEqual({ returnTrackingNumber: 'SF19' });
    // The delivery's parcel is not the return's: a correction never touches it.
    expect(await parcels()).toEqual([{ carrier: 'SF', trackingNumber: 'SF100', role: 'ORIGINAL' }, { carrier: 'SF', trackingNumber: 'SF19', role: 'RETURN' }]);
    // Corrected away and back in one batch: the last word counts.
    await a.recordSteps({ caseId: id, transitions: [corrected(4, 'SF19', 'SF20'), corrected(5, 'SF20', 'SF19')], notifications: [] });
    expect(await parcels()).toEqual([{ carrier: 'SF', trackingNumber: 'SF100', role: 'ORIGINAL' }, { carrier: 'SF', trackingNumber: 'SF19', role: 'RETURN' }]);
  });

  it('a corrected number of a parcel followed until delivered replaces the mistyped one, also as the parcel the case was opened about; a return of that number is left alone', async () => {
    const id = await newCase();
    const a = activities();
    const parcels = () => db.caseParcel.findMany({ where: { caseId: id }, orderBy: { trackingNumber: 'asc' }, select: { carrier: true, trackingNumber: true, role: true } });
    const corrected = (version: number, from: string, to: string, carrier = 'sf') =>
      step(id, version, 'FOLLOWED_PARCEL_CORRECTED', { stage: 'RESHIPPED', data: { carrier, outboundTracking: to, previousCarrier: 'sf', previousOutboundTracking: from } });
    await a.recordSteps({ caseId: id, transitions: [step(id, 1, 'OPENED', { data: { carrier: 'SF', originalTracking: 'SF100' } }), step(id, 2, 'RESHIPPED', { stage: 'RESHIPPED', data: { carrier: 'sf', outboundTracking: 'SF 30' } })], notifications: [] });
    const batch = { caseId: id, transitions: [corrected(3, 'SF 30', 'sf31')], notifications: [] };
    await a.recordSteps(batch);
    await a.recordSteps(batch);
    expect(await parcels()).toEqual([{ carrier: 'SF', trackingNumber: 'SF100', role: 'ORIGINAL' }, { carrier: 'SF', trackingNumber: 'SF31', role: 'OUTBOUND' }]);
    // Corrected to another carrier: the followed parcel is the new carrier's.
    await a.recordSteps({ caseId: id, transitions: [corrected(4, 'SF31', 'YT7', 'yto')], notifications: [] });
    expect(await parcels()).toEqual([{ carrier: 'SF', trackingNumber: 'SF100', role: 'ORIGINAL' }, { carrier: 'YTO', trackingNumber: 'YT7', role: 'OUTBOUND' }]);
    // The parcel a delay or an inquiry was opened about, followed and corrected: that row goes too
    // (its number was the mistake); a return of the number being corrected would stay.
    await a.recordSteps({ caseId: id, transitions: [corrected(5, 'SF100', 'SF101')], notifications: [] });
    expect((await parcels()).map((p) => `${p.trackingNumber}:${p.role}`)).toEqual(['SF101:OUTBOUND', 'YT7:OUTBOUND']);
    await a.recordSteps({ caseId: id, transitions: [step(id, 6, 'RETURN_SHIPPED', { stage: 'AWAITING_ARRIVAL', data: { carrier: 'sf', trackingNumber: 'SF200' } }), corrected(7, 'SF200', 'SF201')], notifications: [] });
    expect((await parcels()).map((p) => `${p.trackingNumber}:${p.role}`)).toEqual(['SF101:OUTBOUND', 'SF200:RETURN', 'SF201:OUTBOUND', 'YT7:OUTBOUND']);
  });
});

describe('the outbox sender', () => {
  it('sends a case\'s messages once each, in order and in the customer language; a failing one is retried after a backoff, holds the later ones back, and marks the case stuck until it goes out', async () => {
    const id = await newCase('en');
    const notifier = new NotifierSimulator();
    const store = createCaseStore(db);
    const a = createCaseActivities({ store, payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier, warehouse: new WarehouseSimulator() });
    await a.recordSteps(openingBatch(id, Date.now() + 3_600_000));

    const outbox = createNotificationOutbox({ store, notifier, stuckLimits: { attempts: 1, afterMs: 3_600_000 } });
    notifier.faults.failNext(1, 'TRANSIENT');
    await outbox.drain();
    const mine = () => notifier.sent.filter((m) => m.idempotencyKey.startsWith(`${id}:`));
    // The first failed: recorded, offered again only after its backoff, the case marked stuck; the second waits behind it.
    expect(mine()).toHaveLength(0);
    const failed = await db.notification.findFirstOrThrow({ where: { caseId: id, sentAt: null }, orderBy: { id: 'asc' }, select: { id: true, template: true, attempts: true, lastError: true, notBefore: true } });
    expect(failed).toMatchObject({ template: 'caseOpened', attempts: 1, lastError: expect.stringContaining('transient failure') });
    expect(failed.notBefore!.getTime()).toBeGreaterThan(Date.now());
    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { stuck: true } })).toEqual({ stuck: true });
    await outbox.drain();
    expect(mine()).toHaveLength(0);

    await db.notification.update({ where: { id: failed.id }, data: { notBefore: new Date(Date.now() - 1) } }); // the backoff is over
    await outbox.drain();
    expect(mine().map((m) => [m.template, m.locale, m.to.customerId])).toEqual([
      ['caseOpened', 'en', `cust-${n}`],
      ['shipReminder', 'en', `cust-${n}`],
    ]);
    expect(await db.notification.count({ where: { caseId: id, sentAt: null } })).toBe(0);
    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { stuck: true } })).toEqual({ stuck: false });
  });

  it('a message the provider refuses for good is given up on at once (the case stuck, with the reason) and does not hold the later ones back', async () => {
    const id = await newCase('en');
    const notifier = new NotifierSimulator();
    const store = createCaseStore(db);
    const a = createCaseActivities({ store, payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier, warehouse: new WarehouseSimulator() });
    await a.recordSteps(openingBatch(id, Date.now() + 3_600_000));
    const outbox = createNotificationOutbox({ store, notifier, stuckLimits: { attempts: 5, afterMs: 3_600_000 } });
    notifier.faults.failNext(1, 'INVALID_REQUEST');
    await outbox.drain();
    await outbox.drain();
    expect(notifier.sent.filter((m) => m.idempotencyKey.startsWith(`${id}:`)).map((m) => m.template)).toEqual(['shipReminder']);
    const given = await db.notification.findFirstOrThrow({ where: { caseId: id, sentAt: null }, select: { template: true, attempts: true, notBefore: true } });
    expect(given).toMatchObject({ template: 'caseOpened', attempts: 1 });
    expect(given.notBefore?.getTime() ?? Number.NaN).not.toBeLessThan(Date.now() + 365 * 86_400_000); // 'infinity'
    expect(await db.case.findUniqueOrThrow({ where: { id }, select: { stuck: true, stuckReason: true } })).toMatchObject({ stuck: true, stuckReason: expect.stringContaining('notifyCustomer') });
  });

  it('two senders at once never send the same message twice', async () => {
    const ids = [await newCase(), await newCase(), await newCase()];
    const notifier = new NotifierSimulator();
    const store = createCaseStore(db);
    const a = createCaseActivities({ store, payment: new PaymentSimulator(), courier: new CourierSimulator(), notifier, warehouse: new WarehouseSimulator() });
    for (const id of ids) await a.recordSteps(openingBatch(id, Date.now() + 3_600_000));
    const calls: string[] = [];
    const counting = { send: async (m: Parameters<NotifierSimulator['send']>[0]) => (calls.push(m.idempotencyKey), notifier.send(m)) };
    const one = createNotificationOutbox({ store, notifier: counting, stuckLimits: { attempts: 5, afterMs: 3_600_000 }, batchSize: 2 });
    const two = createNotificationOutbox({ store, notifier: counting, stuckLimits: { attempts: 5, afterMs: 3_600_000 }, batchSize: 2 });
    await Promise.all([one.drain(), two.drain(), one.drain()]);
    const keys = calls.filter((k) => ids.some((id) => k.startsWith(`${id}:`)));
    expect(keys).toHaveLength(6);
    expect(new Set(keys).size).toBe(6);
  });
});
