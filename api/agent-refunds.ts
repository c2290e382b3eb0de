/**
 * What each of an agent's refund choices would refund, for the case view: where a return waits for
 * an agent after its count came out different from what was expected (COUNT_MISMATCH: refund what
 * came back, or what was asked) or after its parcel was lost on the way back (PARCEL_LOST: refund
 * what was asked). Worked out by the workflow's own rule with the inputs it builds
 * (domain/count-mismatch-refunds.ts) from the case's order, request, approval, inspection and the
 * refunds the order's other cases made — under the rules the case's workflow runs by: a return
 * approved before the return-rules-v2 patch refunds without the other cases' cap and counts any
 * reason but NO_REASON as the shop's fault. Which it is, is read from the workflow's patches (its
 * TemporalChangeVersion search attribute); when that cannot be read, no amounts rather than wrong
 * ones. Also where missing items the warehouse's records say were sent wait for an agent
 * (NOT_SHORT): what CONTINUE, the goodwill refund, would pay; and where minor transit damage
 * waits for an agent above the cap (ABOVE_CAP): what CONTINUE, the proposed refund, would pay; and
 * where transit damage or a quality problem came back counted otherwise than asked (COUNT_MISMATCH):
 * both refunds, as the workflow wrote them on the wait's step; and where a quality problem's repair
 * could not fix the goods (REPAIR_FAILED), and where a parcel sent to make good a problem could not
 * be delivered (REPLACEMENT_NOT_DELIVERED): what refunding them would pay, from that step; and where
 * goods taken back for an exchange or a quality problem's remedy came back short or damaged by the
 * customer (EXCHANGE_RETURN_PROBLEM, QUALITY_RETURN_PROBLEM): what refunding those back in good order
 * would pay, from that step. Null for every other case and moment.
 */
import type { Client } from '@temporalio/client';
import { approvedLinesOf, countMismatchRefunds, goodsLines, type InspectedLine, type OrderSnapshot, type Policy, type ReturnRequest } from '../domain/index.js';
import { currentAgentWait } from '../domain/waiting.js';
import type { Repositories } from '../db/repositories.js';
import { caseWorkflowId, RETURN_RULES_V2_PATCH } from '../workflows/contract.js';

interface Step {
  kind: string;
  data: unknown;
  decision?: unknown;
}

/** An amount as a decision recorded it: whole minor units, not negative. */
const isMinorAmount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

export type AgentRefunds = Partial<Record<'REFUND_RECEIVED' | 'REFUND_REQUESTED' | 'CONTINUE', number>>;

/**
 * Waits whose workflow wrote on the wait's step what their refunds would pay, and which refunds those
 * are (a return's count mismatch aside, worked out from its inputs): a quality problem's goods the
 * repair could not fix (workflows/quality-problem.ts) and a parcel sent to make good a problem that
 * could not be delivered (workflows/shipping.ts) — refunding the goods instead; goods taken back for an exchange or a quality problem's remedy that came back short
 * or damaged by the customer (workflows/take-back.ts agentDecidesWhatCameBack) — refunding those
 * back in good order, not written where the replacement went out first (nothing is refunded then).
 */
const REFUND_ON_THE_STEP: Readonly<Record<string, ReadonlyArray<'REFUND_REQUESTED' | 'REFUND_RECEIVED'>>> = {
  // Goods refunded at their value (transit damage returned, a quality problem refunded) counted otherwise than asked (workflows/take-back.ts goodsToRefund).
  COUNT_MISMATCH: ['REFUND_RECEIVED', 'REFUND_REQUESTED'],
  REPAIR_FAILED: ['REFUND_REQUESTED'],
  REPLACEMENT_NOT_DELIVERED: ['REFUND_REQUESTED'],
  EXCHANGE_RETURN_PROBLEM: ['REFUND_RECEIVED'],
  QUALITY_RETURN_PROBLEM: ['REFUND_RECEIVED'],
};

/** The patches a case's workflow has run under (`patched()` records each in TemporalChangeVersion); undefined when it cannot be told. */
export async function workflowPatches(temporal: Client, caseId: string): Promise<string[] | undefined> {
  const described = await temporal.workflow.getHandle(caseWorkflowId(caseId)).describe().catch(() => undefined);
  const versions = described?.searchAttributes?.TemporalChangeVersion;
  return described ? (Array.isArray(versions) ? versions.map(String) : []) : undefined;
}

export async function agentRefunds(
  repos: Pick<Repositories, 'refundedOnOrder'>,
  patchesOf: (caseId: string) => Promise<string[] | undefined>,
  c: { id: string; type: string; stage: string; merchantId: string; orderId: string },
  details: { orderSnapshot: unknown; request: unknown },
  timeline: readonly Step[],
  policy: Policy | null,
): Promise<AgentRefunds | null> {
  if (c.stage !== 'AWAITING_AGENT') return null;
  const wait = currentAgentWait(timeline.map((e) => e.kind));
  // Missing items the warehouse's records say were sent: CONTINUE refunds them anyway, as the
  // solution proposed reckoned it (the workflow pays that figure, capped by what the order has left).
  if (c.type === 'MISSING_ITEMS' && wait === 'NOT_SHORT') {
    const proposed = [...timeline].reverse().find((e) => e.kind === 'SOLUTION_PROPOSED')?.decision as { values?: { refundMinor?: unknown } } | undefined;
    const refundMinor = proposed?.values?.refundMinor;
    return isMinorAmount(refundMinor) ? { CONTINUE: refundMinor } : null;
  }
  // Minor transit damage above the cap: CONTINUE pays the proposed refund as far as the order had
  // money left, both reckoned by the decision the wait began with (workflows/transit-damage.ts).
  if (c.type === 'TRANSIT_DAMAGE' && wait === 'ABOVE_CAP') {
    const decided = [...timeline].reverse().find((e) => e.kind === 'REFUND_DECIDED')?.decision as { values?: { proposedMinor?: unknown; refundableMinor?: unknown } } | undefined;
    const { proposedMinor, refundableMinor } = decided?.values ?? {};
    return isMinorAmount(proposedMinor) && isMinorAmount(refundableMinor) ? { CONTINUE: Math.min(proposedMinor, refundableMinor) } : null;
  }
  // The waits whose step says what their refunds would pay (REFUND_ON_THE_STEP); a return works its count mismatch out below.
  const onStep = wait !== undefined && c.type !== 'RETURN_AND_REFUND' && Object.hasOwn(REFUND_ON_THE_STEP, wait) ? REFUND_ON_THE_STEP[wait]! : undefined;
  if (onStep) {
    const written = ([...timeline].reverse().find((e) => e.kind === wait)?.data as { refunds?: Record<string, unknown> } | undefined)?.refunds ?? {};
    return onStep.every((action) => isMinorAmount(written[action])) ? Object.fromEntries(onStep.map((action) => [action, written[action] as number])) : null;
  }
  if (c.type !== 'RETURN_AND_REFUND' || !policy) return null;
  if (wait !== 'COUNT_MISMATCH' && wait !== 'PARCEL_LOST') return null;
  const order = details.orderSnapshot as OrderSnapshot | null;
  const request = details.request as ReturnRequest | null;
  if (!order?.currency || !Array.isArray(order.items) || !goodsLines(request?.lines).length) return null;
  const inspected = [...timeline].reverse().find((e) => e.kind === 'INSPECTED')?.data as { lines?: InspectedLine[] } | undefined;
  const [patches, earlier] = await Promise.all([patchesOf(c.id), repos.refundedOnOrder({ caseId: c.id, merchantId: c.merchantId, orderId: c.orderId, currency: order.currency })]);
  if (!patches) return null;
  const rulesV2 = patches.includes(RETURN_RULES_V2_PATCH);
  const refunds = countMismatchRefunds(policy, order, request!, approvedLinesOf(timeline), inspected?.lines ?? [], earlier, { rulesV2 });
  return wait === 'COUNT_MISMATCH' ? refunds : { REFUND_REQUESTED: refunds.REFUND_REQUESTED };
}
