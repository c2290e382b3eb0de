import { describe, expect, it } from 'vitest';
import { refundsOwed } from '../../domain/refunds-owed.js';
import { isReopenedWait } from '../../domain/waiting.js';

const returned = (refundId: string, amountMinor = 100) => ({ kind: 'REFUND_RETURNED', data: { refundId, amountMinor, currency: 'CNY', reason: 'ACCOUNT_CLOSED' } });

describe('refunds owed', () => {
  it('are the refunds sent back that no REFUND_PAID_AGAIN names, oldest first', () => {
    const timeline = [{ kind: 'OPENED' }, returned('rf_1'), returned('rf_2', 200), { kind: 'REFUND_PAID_AGAIN', data: { returnedRefundId: 'rf_1', refundId: 'rf_3' } }, returned('rf_3', 50)];
    expect(refundsOwed(timeline).map((r) => [r.refundId, r.amountMinor])).toEqual([
      ['rf_2', 200],
      ['rf_3', 50],
    ]);
  });

  it('are none without a refund sent back, or with a step whose data is missing', () => {
    expect(refundsOwed([{ kind: 'OPENED' }, { kind: 'REFUND_RETURNED', data: null }])).toEqual([]);
  });
});

describe('reopened waits', () => {
  it('are the waits a RESOLVED case is reopened to, whatever reopened it', () => {
    expect(['REOPENED', 'REOPENED_ON_ESCALATION', 'REOPENED_ON_REFUND_RETURNED', 'NOT_SHORT', undefined].map(isReopenedWait)).toEqual([true, true, true, false, false]);
  });
});
