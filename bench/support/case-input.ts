/** A return-and-refund case as the first test of test/workflows/return-refund.test.ts opens it: approved by policy. */
import { defaultPolicy, type Policy } from '../../domain/index.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';
import { mugAndTeaOrder } from '../../test/support/orders.js';

/** Two mugs of an order delivered two days ago, no reason given: inside the no-reason window, so the policy approves it. */
export function returnInput(caseId: string, now: number, rules: Partial<Policy['rules']> = {}): ReturnRefundInput {
  const p = defaultPolicy();
  return {
    caseId,
    merchantId: 'm1',
    policy: { ...p, version: 3, rules: { ...p.rules, ...rules } },
    order: mugAndTeaOrder(`o-${caseId}`, now, 2),
    request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }], evidenceUrls: [] },
    customer: { id: 'cust-1', locale: 'zh-CN' },
    openedAt: now,
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州市余杭区 1 号仓' },
  };
}
