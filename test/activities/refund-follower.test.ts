/**
 * The refund follower's decisions, over ports in memory: what each answer of the provider does to
 * a pending refund, the back-off between checks, and that a provider that cannot answer is asked
 * again on the same schedule (the store's statements are tested against Postgres in
 * case-activities.test.ts and over HTTP in test/e2e/refund-returned-over-http.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { askAgainInMs, createRefundFollower, type PendingRefund, type RefundSettlementPort, type UntoldReturn } from '../../activities/refund-follower.js';

const MINUTE = 60_000;

function storeOf(refunds: PendingRefund[], returns: UntoldReturn[] = []) {
  const due = [...refunds];
  const untold = [...returns];
  const log: string[] = [];
  const store: RefundSettlementPort = {
    async claimPendingRefunds(limit) {
      return due.splice(0, limit);
    },
    async refundSettled(stepKey) {
      log.push(`settled ${stepKey}`);
    },
    async refundStillPending(stepKey, ms, tooLongMs) {
      log.push(`again ${stepKey} in ${ms / MINUTE} min, too long after ${tooLongMs / (24 * 60 * MINUTE)} d`);
    },
    async refundReturned(r) {
      log.push(`returned ${r.stepKey} ${r.reason}`);
      return 'BOOKED';
    },
    async claimUntoldReturns(limit) {
      return untold.splice(0, limit);
    },
    async caseTold(r, outcome) {
      log.push(`${outcome} ${r.caseId} of ${r.refundId}`);
    },
    async tellAgainLater(stepKey, ms) {
      log.push(`tell ${stepKey} again in ${ms / MINUTE} min`);
    },
  };
  return { store, log };
}

const pending = (n: number, checks = 0): PendingRefund => ({ stepKey: `c${n}:refund`, refundId: `rf_${n}`, checks });

describe('the refund follower', () => {
  it('asks after 1, 5, 15 and 60 minutes, then every 6 hours', () => {
    expect([0, 1, 2, 3, 4, 10].map((n) => askAgainInMs(n) / MINUTE)).toEqual([1, 5, 15, 60, 360, 360]);
  });

  it('applies each answer, asks a provider that cannot answer again on the same back-off, and drains in batches', async () => {
    const { store, log } = storeOf([pending(1), pending(2, 3), pending(3), pending(4, 1), pending(5)]);
    const answers: Record<string, () => Promise<{ status: 'SUCCEEDED' | 'PENDING' | 'FAILED'; failureReason?: string }>> = {
      rf_1: async () => ({ status: 'SUCCEEDED' }),
      rf_2: async () => ({ status: 'PENDING' }),
      rf_3: async () => ({ status: 'FAILED', failureReason: 'ACCOUNT_CLOSED' }),
      rf_4: async () => Promise.reject(new Error('provider away')),
      rf_5: async () => ({ status: 'FAILED' }),
    };
    const errors: unknown[] = [];
    let returned = 0;
    const follower = createRefundFollower({ store, payment: { getRefund: (id) => answers[id]!() }, batchSize: 2, onReturned: () => returned++, onError: (e) => errors.push(e) });
    await follower.drain();
    expect(log).toEqual(['settled c1:refund', 'again c2:refund in 360 min, too long after 7 d', 'returned c3:refund ACCOUNT_CLOSED', 'again c4:refund in 15 min, too long after 7 d', 'returned c5:refund UNKNOWN']);
    expect(returned).toBe(2);
    expect(errors).toEqual([new Error('provider away')]);
  });

  it("tells each case's workflow of its refund sent back after booking it; one Temporal could not reach is told again a minute on", async () => {
    const sentBack = (n: number): UntoldReturn => ({ stepKey: `c${n}:refund`, caseId: `c${n}`, refundId: `rf_${n}`, amountMinor: 100 * n, currency: 'CNY', reason: 'ACCOUNT_CLOSED' });
    const { store, log } = storeOf([], [sentBack(1), sentBack(2), sentBack(3)]);
    const heard: unknown[] = [];
    const errors: unknown[] = [];
    const tellCase = async (caseId: string, r: { refundId: string; amountMinor: number }) => {
      if (caseId === 'c2') return 'ENDED' as const;
      if (caseId === 'c3') throw new Error('14 UNAVAILABLE: Temporal away');
      heard.push([caseId, r]);
      return 'TOLD' as const;
    };
    const follower = createRefundFollower({ store, payment: { getRefund: async () => ({ status: 'PENDING' }) }, tellCase, batchSize: 2, onError: (e) => errors.push(e) });
    await follower.drain();
    expect(heard).toEqual([['c1', { refundId: 'rf_1', amountMinor: 100, currency: 'CNY', reason: 'ACCOUNT_CLOSED' }]]);
    expect(log).toEqual(['TOLD c1 of rf_1', 'ENDED c2 of rf_2', 'tell c3:refund again in 1 min']);
    expect(errors).toEqual([new Error('14 UNAVAILABLE: Temporal away')]);
  });

  it('without the case workflows to tell (no Temporal client), leaves refunds sent back untold', async () => {
    const { store, log } = storeOf([], [{ stepKey: 'c1:refund', caseId: 'c1', refundId: 'rf_1', amountMinor: 100, currency: 'CNY', reason: 'X' }]);
    await createRefundFollower({ store, payment: { getRefund: async () => ({ status: 'PENDING' }) } }).drain();
    expect(log).toEqual([]);
  });

  it("an answer the database could not take is asked again when its lease runs out, not counted as still pending", async () => {
    const { store, log } = storeOf([pending(1), pending(2)]);
    store.refundReturned = async () => {
      throw new Error('database away');
    };
    const errors: unknown[] = [];
    const answers: Record<string, { status: 'FAILED' | 'PENDING' }> = { rf_1: { status: 'FAILED' }, rf_2: { status: 'PENDING' } };
    await createRefundFollower({ store, payment: { getRefund: async (id) => answers[id]! }, onError: (e) => errors.push(e) }).drain();
    // The pending one is counted; the one sent back is neither booked nor taken for pending.
    expect(log).toEqual(['again c2:refund in 5 min, too long after 7 d']);
    expect(errors).toEqual([new Error('database away')]);
  });
});
