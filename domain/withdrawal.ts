/**
 * Whether a case takes the customer's withdrawal now (POST /v1/cases/{caseId}/withdrawal): before
 * anything was sent, cancelled, paid or answered that the withdrawal would leave half done
 * (docs/after-sales.md, the withdrawal rules of §5, §6, §8, §10, §11 and §12). The workflows decide;
 * this says the same from the case's type, stage and timeline, so that a storefront shows its
 * customer a "withdraw" button, and the console an agent's, only where it is taken. The workflow
 * still refuses what this cannot see from the read model (a command taken a moment before).
 */
import type { CaseType } from './case-types.js';

/** The stages each type is withdrawn at (goods asked back, where listed, only while not yet sent). */
const WITHDRAWABLE_AT: Readonly<Partial<Record<CaseType, readonly string[]>>> = {
  RETURN_AND_REFUND: ['AWAITING_DECISION', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_RETURN_SHIPMENT'],
  REFUND_NOT_SHIPPED: ['AWAITING_MERCHANT'],
  COMPLAINT: ['AWAITING_RESOLUTION'],
  // Until the warehouse has looked: the goods turned up after all, or what came will do.
  MISSING_ITEMS: ['AWAITING_WAREHOUSE_CHECK'],
  LOST_PARCEL: ['AWAITING_DISPATCH_CONFIRMATION'],
  WRONG_ITEM: ['AWAITING_VERIFICATION'],
  EXCHANGE_RESHIPMENT: ['AWAITING_PAYMENT', 'AWAITING_RETURN_SHIPMENT'],
  QUALITY_PROBLEM: ['AWAITING_RETURN_SHIPMENT'],
  TRANSIT_DAMAGE: ['AWAITING_RETURN_SHIPMENT'],
};

/**
 * Steps after which an exchange's goods asked back are the shop's to have back: the replacement (or a
 * loan product) went to the customer first, or, with no good unit in stock (NO_GOOD_STOCK), they come
 * back for the refund instead of it.
 */
const GOODS_OWED_BACK_AFTER = ['SHIPPED', 'SUBSTITUTE_LENT', 'NO_GOOD_STOCK'];

/** Steps after which a refund before shipping is under way although the case still shows AWAITING_MERCHANT (it cancels and refunds there). */
const REFUND_UNDER_WAY_AFTER = ['MERCHANT_APPROVED', 'MERCHANT_SILENT'];

/** The stages a case of `type` may be withdrawn at (none for a type that takes no withdrawal). */
export const withdrawableStages = (type: string): readonly string[] => (Object.hasOwn(WITHDRAWABLE_AT, type) ? WITHDRAWABLE_AT[type as CaseType]! : []);

export function withdrawableNow(c: { type: string; stage: string }, timelineKinds: readonly string[]): boolean {
  if (!withdrawableStages(c.type).includes(c.stage)) return false;
  if (c.type === 'EXCHANGE_RESHIPMENT' && c.stage === 'AWAITING_RETURN_SHIPMENT') return !timelineKinds.some((k) => GOODS_OWED_BACK_AFTER.includes(k));
  if (c.type === 'REFUND_NOT_SHIPPED') return !timelineKinds.some((k) => REFUND_UNDER_WAY_AFTER.includes(k));
  return true;
}
