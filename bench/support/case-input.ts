/** A return-and-refund case as the first test of test/workflows/return-refund.test.ts opens it: approved by policy. */
import { defaultPolicy, type Policy } from '../../domain/index.js';
import type { ReturnRefundInput } from '../../workflows/return-refund.js';

const DAY = 86_400_000;

/** Two mugs of an order delivered two days ago, no reason given: inside the no-reason window, so the policy approves it. */
export function returnInput(caseId: string, now: number, rules: Partial<Policy['rules']> = {}): ReturnRefundInput {
  const p = defaultPolicy();
  return {
    caseId,
    merchantId: 'm1',
    policy: { ...p, version: 3, rules: { ...p.rules, ...rules } },
    order: {
      orderId: `o-${caseId}`,
      currency: 'CNY',
      items: [
        { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
        { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 },
      ],
      shippingFeeMinor: 1000,
      paidTotalMinor: 3 * 3333 + 5000 + 1000,
      shippedAt: now - 4 * DAY,
      deliveredAt: now - 2 * DAY,
    },
    request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }], evidenceUrls: [] },
    customer: { id: 'cust-1', locale: 'zh-CN' },
    openedAt: now,
    returnAddress: { name: '售后部', phone: '+86 571 0000 0000', address: '杭州市余杭区 1 号仓' },
  };
}
