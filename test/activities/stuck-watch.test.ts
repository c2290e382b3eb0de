/**
 * A refund whose provider keeps failing: Temporal retries it for ever, and from the configured
 * attempt on the case is marked stuck — escalated, the step and its error in the timeline and on
 * the case, found by the agents' `stuck` filter — until the refund goes through, which clears it.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/activity';
import { DefaultLogger } from '@temporalio/worker';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaseActivities, type PaymentPort } from '../../activities/case-activities.js';
import { CourierSimulator, NotifierSimulator, WarehouseSimulator } from '../../adapters/simulators.js';
import { createCaseStore } from '../../db/case-store.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;
let providerDown = true;
let refundCalls = 0;
const payment: PaymentPort = {
  async refund(r) {
    refundCalls += 1;
    if (r.reason === 'refused') throw Object.assign(new Error('refund exceeds what was paid'), { retryable: false, code: 'REFUND_EXCEEDS_PAID' });
    if (providerDown) throw new Error('payment provider answered 503');
    return { refundId: `rf-${r.idempotencyKey}`, amountMinor: r.amountMinor };
  },
};

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.create({ data: { id: 'm1', name: 'Tea Shop', defaultCurrency: 'CNY' } });
  for (const id of ['stuck-1', 'stuck-2']) {
    await db.case.create({ data: { id, merchantId: 'm1', type: 'RETURN_AND_REFUND', stage: 'REFUNDING', orderId: `o-${id}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `case-${id}` } });
  }
});

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

const activities = () => createCaseActivities({ store: createCaseStore(db), payment, courier: new CourierSimulator(), notifier: new NotifierSimulator(), warehouse: new WarehouseSimulator(), stuckLimits: { attempts: 3, afterMs: 3_600_000 } });
const refund = (caseId: string, reason = 'returned goods') => ({ caseId, stepKey: `${caseId}:refund`, merchantId: 'm1', orderId: `o-${caseId}`, amountMinor: 3900, currency: 'CNY', reason });
// The mock would log every failed attempt: these failures are the point of the test.
const quiet = new DefaultLogger('ERROR', () => undefined);
const attempt = (n: number) => new MockActivityEnvironment({ attempt: n, scheduledTimestampMs: Date.now() }, { logger: quiet });
const caseRow = (id: string) => db.case.findUniqueOrThrow({ where: { id }, select: { stuck: true, stuckReason: true, escalated: true } });
const kinds = async (id: string) => (await db.caseEvent.findMany({ where: { caseId: id }, orderBy: { id: 'asc' }, select: { kind: true, data: true } }));

describe('a side effect that keeps failing', () => {
  it('is only retried before the limit; from it on the case is stuck, escalated, with the error; success clears it', async () => {
    const a = activities();
    for (const n of [1, 2]) await expect(attempt(n).run(a.refundPayment, refund('stuck-1'))).rejects.toThrow('503');
    expect(await caseRow('stuck-1')).toMatchObject({ stuck: false, escalated: false });

    for (const n of [3, 4, 5]) await expect(attempt(n).run(a.refundPayment, refund('stuck-1'))).rejects.toThrow('503');
    expect(await caseRow('stuck-1')).toEqual({ stuck: true, escalated: true, stuckReason: 'refundPayment (attempt 5): Error: payment provider answered 503' });
    const stuckEvents = (await kinds('stuck-1')).filter((e) => e.kind === 'STUCK');
    expect(stuckEvents).toEqual([{ kind: 'STUCK', data: { activity: 'refundPayment', attempt: 3, error: 'Error: payment provider answered 503' } }]);
    const listed = await createRepositories(db).listCases({ merchantId: 'm1', stuck: true, limit: 10 });
    expect(listed.items.map((c) => c.id)).toEqual(['stuck-1']);

    providerDown = false;
    await expect(attempt(6).run(a.refundPayment, refund('stuck-1'))).resolves.toMatchObject({ amountMinor: 3900 });
    expect(await caseRow('stuck-1')).toMatchObject({ stuck: false, stuckReason: null });
    expect((await kinds('stuck-1')).map((e) => e.kind)).toEqual(['STUCK', 'UNSTUCK']);
    providerDown = true;
  });

  it('a final refusal is not "stuck": it fails the step at once and the workflow decides', async () => {
    const before = refundCalls;
    await expect(attempt(9).run(activities().refundPayment, refund('stuck-2', 'refused'))).rejects.toBeInstanceOf(ApplicationFailure);
    expect(refundCalls).toBe(before + 1);
    expect(await caseRow('stuck-2')).toMatchObject({ stuck: false });
  });
});
