/**
 * The refunds of a case its customer's bank sent back and that are not paid again yet, read from the
 * case's timeline: a REFUND_RETURNED step without the REFUND_PAID_AGAIN step that names it
 * (docs/refund-settlement.md). The API's case view and the console's case page both read them so.
 */
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

export function refundsOwed(timeline: readonly Step[]): OwedRefund[] {
  const paidAgain = new Set(timeline.filter((e) => e.kind === 'REFUND_PAID_AGAIN').map((e) => (e.data as { returnedRefundId?: string } | null)?.returnedRefundId));
  return timeline
    .filter((e) => e.kind === 'REFUND_RETURNED')
    .map((e) => e.data as OwedRefund | null)
    .filter((r): r is OwedRefund => !!r && typeof r.refundId === 'string' && !paidAgain.has(r.refundId));
}
