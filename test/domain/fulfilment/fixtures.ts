import type { OrderSnapshot } from '../../../domain/index.js';
import { defaultFulfilmentPolicy, type FulfilmentPolicy, type FulfilmentRules } from '../../../domain/fulfilment/index.js';

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const T0 = Date.parse('2026-03-02T10:00:00+08:00');

/** 3 mugs at 33.33 (cost 12.00), 1 lamp at 1500.00 (cost 900.00), 2 stickers at 5.00 (cost 1.00); 10.00 shipping. */
export const order: OrderSnapshot = {
  orderId: 'o-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG', name: '马克杯', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
    { sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 150_000, unitCostMinor: 90_000 },
    { sku: 'STICKER', name: '贴纸', quantity: 2, unitPriceMinor: 500, unitCostMinor: 100 },
  ],
  shippingFeeMinor: 1000,
  paidTotalMinor: 3 * 3333 + 150_000 + 2 * 500 + 1000,
  shippedAt: T0,
  deliveredAt: T0 + 2 * DAY,
};

export const policy: FulfilmentPolicy = defaultFulfilmentPolicy(7);
export const withRules = (rules: Partial<FulfilmentRules>): FulfilmentPolicy => ({ ...policy, rules: { ...policy.rules, ...rules } });
