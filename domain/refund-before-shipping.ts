/**
 * Refund only, not shipped (仅退款-未发货, docs/after-sales.md §8; 001 §03): check that the order really has
 * not left, check the reason, cancel, refund at once. Nothing has left the shop, so the customer
 * gets back everything still refundable — goods and shipping.
 */
import { decision, type Decision, type Policy } from './policy.js';
import type { Problem } from './return-refund.js';

export type RefundBeforeShippingReason = 'NO_LONGER_WANTED' | 'ORDERED_BY_MISTAKE' | 'DUPLICATE_ORDER' | 'DELIVERY_TOO_SLOW' | 'PRICE_CHANGED' | 'OTHER';
export const REFUND_BEFORE_SHIPPING_REASONS: readonly RefundBeforeShippingReason[] = ['NO_LONGER_WANTED', 'ORDERED_BY_MISTAKE', 'DUPLICATE_ORDER', 'DELIVERY_TOO_SLOW', 'PRICE_CHANGED', 'OTHER'];

export type DispatchStatus = 'NOT_PICKED' | 'PICKED' | 'PACKED' | 'SHIPPED' | 'CANCELLED';

/**
 * What happens to the request:
 *   SHIPPED → it cannot be cancelled here: the parcel is intercepted as a refund after shipping's
 *     is (workflows/refund-not-shipped.ts), or, with no tracking number known, the customer refuses it;
 *   not picked and a clear reason → cancel and refund now;
 *   picked or packed (goods to put back), or reason OTHER (to be talked through, 有争议的沟通) →
 *   the merchant answers within merchantAnswerHours, and silence refunds (the marketplaces' rule).
 */
export function decideRefundBeforeShipping(policy: Policy, status: DispatchStatus, reason: RefundBeforeShippingReason): Decision {
  const values = { dispatchStatus: status, reason, merchantAnswerHours: policy.rules.merchantAnswerHours };
  if (status === 'SHIPPED') return decision(policy, 'orderNotShipped', values, 'ALREADY_SHIPPED');
  if (status === 'CANCELLED') return decision(policy, 'orderNotShipped', values, 'REFUND_NOW');
  if (status === 'NOT_PICKED' && reason !== 'OTHER') return decision(policy, 'refundBeforeShipping', values, 'REFUND_NOW');
  return decision(policy, 'merchantAnswerHours', values, 'MERCHANT_DECIDES');
}

/**
 * What a refund came to against what was asked: the payment side grants at most what the order has
 * left when other cases of the same order pay at the same moment, so a case may get less (CAPPED)
 * or nothing (NOTHING_LEFT). The resolution says so rather than "refunded" with the asked amount.
 */
export const refundOutcome = (askedMinor: number, grantedMinor: number): 'REFUNDED' | 'CAPPED' | 'NOTHING_LEFT' =>
  grantedMinor <= 0 ? 'NOTHING_LEFT' : grantedMinor < askedMinor ? 'CAPPED' : 'REFUNDED';

/**
 * An order the request itself says has shipped or arrived is not refunded before shipping: the
 * workflow asks only the warehouse, and a refund there would leave the goods with the customer.
 * Fields as in the request body's `order`.
 */
export function alreadyShippedProblems(order: { shippedAt?: number; deliveredAt?: number }): Problem[] {
  if (order.deliveredAt !== undefined) return [{ field: 'order.deliveredAt', reason: 'says the order was delivered: a refund before shipping is for orders not shipped yet; for goods the customer has, open a return (POST /v1/returns)' }];
  if (order.shippedAt !== undefined) return [{ field: 'order.shippedAt', reason: 'says the order has shipped: a refund before shipping is for orders not shipped yet; open a refund after shipping (POST /v1/refunds-after-shipping), which has the parcel intercepted' }];
  return [];
}
