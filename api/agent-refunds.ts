/**
 * What each of an agent's refund choices would refund, for the case view: where a return waits for
 * an agent after its count came out different from what was expected (COUNT_MISMATCH: refund what
 * came back, or what was asked) or after its parcel was lost on the way back (PARCEL_LOST: refund
 * what was asked). Worked out by the workflow's own rule (domain/count-mismatch-refunds.ts) from the
 * case's order, request, approval, inspection and the refunds the order's other cases made. Null for
 * every other case and moment.
 */
import { approvedLinesOf, countMismatchRefunds, goodsLines, type InspectedLine, type OrderSnapshot, type Policy, type ReturnRequest } from '../domain/index.js';
import { currentAgentWait } from '../domain/waiting.js';
import type { Repositories } from '../db/repositories.js';

interface Step {
  kind: string;
  data: unknown;
  decision?: unknown;
}

export type AgentRefunds = Partial<Record<'REFUND_RECEIVED' | 'REFUND_REQUESTED', number>>;

export async function agentRefunds(
  repos: Pick<Repositories, 'refundedOnOrder'>,
  c: { id: string; type: string; stage: string; merchantId: string; orderId: string },
  details: { orderSnapshot: unknown; request: unknown },
  timeline: readonly Step[],
  policy: Policy | null,
): Promise<AgentRefunds | null> {
  if (c.type !== 'RETURN_AND_REFUND' || c.stage !== 'AWAITING_AGENT' || !policy) return null;
  const wait = currentAgentWait(timeline.map((e) => e.kind));
  if (wait !== 'COUNT_MISMATCH' && wait !== 'PARCEL_LOST') return null;
  const order = details.orderSnapshot as OrderSnapshot | null;
  const request = details.request as ReturnRequest | null;
  if (!order?.currency || !Array.isArray(order.items) || !goodsLines(request?.lines).length) return null;
  const inspected = [...timeline].reverse().find((e) => e.kind === 'INSPECTED')?.data as { lines?: InspectedLine[] } | undefined;
  const earlier = await repos.refundedOnOrder({ caseId: c.id, merchantId: c.merchantId, orderId: c.orderId, currency: order.currency });
  const refunds = countMismatchRefunds(policy, order, request!, approvedLinesOf(timeline), inspected?.lines ?? [], earlier);
  return wait === 'COUNT_MISMATCH' ? refunds : { REFUND_REQUESTED: refunds.REFUND_REQUESTED };
}
