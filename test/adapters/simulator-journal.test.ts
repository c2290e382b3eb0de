/**
 * The simulated providers keep their effects in Postgres: a worker that crashed after the
 * "provider" paid and before it heard the answer retries with the same key after restarting —
 * with a simulator whose memory is empty — and gets the first answer, not a second refund. The
 * journal is what a crash test counts provider-side effects from.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAdapterError } from '../../adapters/index.js';
import { PaymentSimulator } from '../../adapters/simulators/index.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createSimulatorJournal } from '../../db/simulator-journal.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
});

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

const refund = (idempotencyKey: string, amountMinor = 3900) => ({ idempotencyKey, merchantId: 'm1', orderId: 'o-1', amountMinor, currency: 'CNY', reason: 'returned' });
const effects = () => db.simulatorEffect.count({ where: { provider: 'payment-simulator', method: 'refund' } });

describe('a simulated provider across a crash', () => {
  it('pays once per key: the restarted simulator answers a retry from the journal', async () => {
    const before = new PaymentSimulator({ journal: createSimulatorJournal(db) });
    const first = await before.refund(refund('case-1:refund'));
    const afterCrash = new PaymentSimulator({ journal: createSimulatorJournal(db) }); // the process restarted: nothing in memory
    expect(await afterCrash.refund(refund('case-1:refund'))).toEqual(first);
    expect(afterCrash.refunds).toEqual([]);
    expect(await effects()).toBe(1);
  });

  it('the same key with another request is refused, also after the crash', async () => {
    await new PaymentSimulator({ journal: createSimulatorJournal(db) }).refund(refund('case-2:refund'));
    const err = await new PaymentSimulator({ journal: createSimulatorJournal(db) }).refund(refund('case-2:refund', 100)).catch((e: unknown) => e);
    expect(isAdapterError(err) && err.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('two workers asking at once: one effect recorded, both get its answer', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => new PaymentSimulator({ journal: createSimulatorJournal(db) }).refund(refund('case-3:refund'))));
    expect(a).toEqual(b);
    expect(await db.simulatorEffect.count({ where: { idempotencyKey: 'case-3:refund' } })).toBe(1);
  });

  it('started again on its data, it knows its refunds and what the bank did with them, and never hands out a refund id twice', async () => {
    const before = new PaymentSimulator({ journal: createSimulatorJournal(db) });
    before.holdRefunds();
    const [sentBack, pending] = [await before.refund(refund('case-4:refund')), await before.refund(refund('case-5:refund'))];
    await before.failRefund(sentBack.refundId, 'CARD_CANCELLED');
    const after = new PaymentSimulator({ journal: createSimulatorJournal(db) });
    await after.restore();
    expect(await after.getRefund(sentBack.refundId)).toMatchObject({ status: 'FAILED', failureReason: 'CARD_CANCELLED', amountMinor: 3900, orderId: 'o-1', currency: 'CNY' });
    expect(await after.getRefund(pending.refundId)).toMatchObject({ status: 'PENDING' });
    const next = await after.refund(refund('case-6:refund'));
    expect(before.refunds.map((r) => r.refundId)).not.toContain(next.refundId);
    expect(after.refunds.map((r) => r.refundId)).toEqual([...new Set(after.refunds.map((r) => r.refundId))]);
    // Restored twice (asked about a refund it does not know): nothing doubles.
    await after.restore();
    expect(after.refunds.filter((r) => r.refundId === pending.refundId)).toHaveLength(1);
  });

  it("one process's simulator settles what another's paid: the journal, shared by both, carries it", async () => {
    const worker = new PaymentSimulator({ journal: createSimulatorJournal(db) });
    const api = new PaymentSimulator({ journal: createSimulatorJournal(db) });
    worker.holdRefunds();
    const paid = await worker.refund(refund('case-7:refund'));
    // The API's simulator never made it: it learns of it from the journal, then the bank sends it back.
    await api.catchUp(paid.refundId);
    await api.failRefund(paid.refundId, 'ACCOUNT_CLOSED');
    expect(await worker.getRefund(paid.refundId)).toMatchObject({ status: 'FAILED', failureReason: 'ACCOUNT_CLOSED' });
    // Two processes paying in turn never hand out one id twice.
    const ids = [await worker.refund(refund('case-8:refund')), await api.refund(refund('case-9:refund')), await worker.refund(refund('case-10:refund'))].map((r) => r.refundId);
    expect(new Set([paid.refundId, ...ids]).size).toBe(4);
  });
});
