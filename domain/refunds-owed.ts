/**
 * The refunds of a case its customer's bank sent back and that are not paid again yet, read from the
 * case's timeline: a REFUND_RETURNED step without the REFUND_PAID_AGAIN step that names it
 * (docs/refund-settlement.md). The API's case view and guard and the console's case page all read them so.
 */
import { currentAgentWait, isReopenedWait } from './waiting.js';
export interface OwedRefund {
  refundId: string;
  amountMinor: number;
  currency: string;
  reason: string;
}

interface Step {
  kind: string;
  data?: unknown;
}

/** Every refund of the case its customer's bank sent back (REFUND_RETURNED steps), paid again or not. */
export function refundsSentBack(timeline: readonly Step[]): OwedRefund[] {
  return timeline
    .filter((e) => e.kind === 'REFUND_RETURNED')
    .map((e) => e.data as OwedRefund | null)
    .filter((r): r is OwedRefund => !!r && typeof r.refundId === 'string');
}

export function refundsOwed(timeline: readonly Step[]): OwedRefund[] {
  const paidAgain = new Set(timeline.filter((e) => e.kind === 'REFUND_PAID_AGAIN').map((e) => (e.data as { returnedRefundId?: string } | null)?.returnedRefundId));
  return refundsSentBack(timeline).filter((r) => !paidAgain.has(r.refundId));
}

/**
 * Those refunds while the case's agent wait is a reopened one (domain/waiting.ts REOPENED_WAITS):
 * resolved again then, it would go on to ask a customer still without their money how satisfied
 * they are. Empty at any other wait.
 */
export function refundsOwedAtReopen(timeline: readonly Step[]): OwedRefund[] {
  return isReopenedWait(currentAgentWait(timeline.map((e) => e.kind))) ? refundsOwed(timeline) : [];
}
