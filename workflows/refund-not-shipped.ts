/**
 * Refund only, not shipped (仅退款-未发货, docs/after-sales.md §8; 001 §03):
 *
 *   opened → the warehouse system says where the order is
 *          → shipped: cannot be cancelled; with the parcel's tracking number the case goes on as a
 *            refund after shipping (workflows/refund-shipped.ts: the courier asked to bring it back,
 *            inspected, refunded); without one, the customer is told to refuse it or return it
 *          → not picked and a clear reason: cancel and refund at once
 *          → otherwise the merchant answers within merchantAnswerHours; silence refunds
 *            (the marketplaces' default outcome); a refusal closes with its reason; until the
 *            merchant answers, the customer may withdraw the request (closed WITHDRAWN: the order
 *            ships as it would have)
 *          → cancel (outbound reversal when it had been picked) → refund everything still
 *            refundable → revisit → closed
 * Operation, reason and amount are in the timeline and the ledger.
 */
import { ActivityFailure, ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import {
  decideRefundBeforeShipping,
  REFUND_BEFORE_SHIPPING_REASONS,
  refundableMinor,
  refundOutcome,
  solutionDeadline,
  validateOrder,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type RefundBeforeShippingReason,
} from '../domain/index.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, hours, waitUntil } from './case-machinery.js';
import { actorName, invalidInput, propose, type AgentProposal, type OpenedBy } from './contract.js';
import { shippedRefund, type RefundShippedOutcome } from './refund-shipped.js';
import { reverseOutbound } from './shipping.js';

export interface RefundNotShippedInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  order: OrderSnapshot;
  reason: RefundBeforeShippingReason;
  note?: string;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  /** The carriers' contracts, for a claim should an order found shipped come back short; cases opened before it have none. */
  fulfilment?: FulfilmentPolicy;
}

export type RefundNotShippedOutcome = 'ALREADY_SHIPPED' | 'REJECTED' | 'WITHDRAWN' | RefundShippedOutcome;

/**
 * Patch: an order found shipped whose dispatch record has no tracking number tells the customer so
 * without one (`alreadyShippedNoTracking`); before, `alreadyShipped` named carrier and number as "-".
 * The marker is written only on that path. Replayed by test/workflows/histories/refund-not-shipped-v18-no-number-*.pb.
 */
export const SHIPPED_WITHOUT_NUMBER_PATCH = 'already-shipped-without-number';

/**
 * Patch: an order found shipped (at the first look, after the merchant's answer, or as it was being
 * cancelled) whose dispatch record names its parcel goes on as a refund after shipping: FOUND_SHIPPED,
 * then the courier is asked to bring the parcel back, which is inspected, restocked and refunded
 * (workflows/refund-shipped.ts, docs/after-sales.md §8). Before, the case closed ALREADY_SHIPPED and
 * the customer had to ask again. Replayed by test/workflows/histories/refund-not-shipped-v27-intercepts-*.pb;
 * the -04-ALREADY_SHIPPED histories hold the path before it.
 */
export const INTERCEPTS_PATCH = 'refund-not-shipped-intercepts';

export async function refundNotShipped(input: RefundNotShippedInput): Promise<RefundNotShippedOutcome> {
  const { policy, order } = input;
  const problems = validateOrder(order);
  if (!REFUND_BEFORE_SHIPPING_REASONS.includes(input.reason)) problems.push({ field: 'reason', reason: `must be one of ${REFUND_BEFORE_SHIPPING_REASONS.join(', ')}` });
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid refund request: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let answer: AgentProposal | undefined;
  /** When the merchant's time to answer ran out: silence approved the refund, and an answer after it is refused (a validator's state: no command). */
  let silentSince: number | undefined;
  const requireMerchantsTime = () => {
    if (silentSince !== undefined) throw new Error(`the merchant's time to answer ran out at ${new Date(silentSince).toISOString()}: silence approved the refund, which goes ahead`);
  };
  setHandler(propose, (p) => ((answer = p), session.taken()), {
    validator: (p) => {
      session.requireStage('AWAITING_MERCHANT');
      // The case stays at AWAITING_MERCHANT while it cancels and refunds: a refusal then would be answered taken and ignored.
      requireMerchantsTime();
      if (p.decision !== 'APPROVE' && p.decision !== 'REJECT') throw invalidInput('decision', 'decision must be APPROVE or REJECT');
      if (p.decision === 'REJECT' && !p.reason?.trim()) throw invalidInput('reason', 'a refusal needs a reason');
      if (p.lines?.length) throw invalidInput('lines', 'a refund before shipping is for the whole order: no lines');
    },
  });

  // The customer changed their mind while the merchant decides: an update of its own, so a case
  // never sent one replays as before; one merchant's answer or one withdrawal per wait (session.taken).
  const withdrawal = session.takeWithdrawalAt(['AWAITING_MERCHANT'], requireMerchantsTime);

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { reason: input.reason, note: input.note } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- where is the order? ---
  let dispatch = await activities.orderDispatch({ orderId: order.orderId });
  let decided = decideRefundBeforeShipping(policy, dispatch.status, input.reason);
  // The order's own parcel as originalTracking: as `trackingNumber` the read model took it for a return.
  const { trackingNumber: shippedAs, ...where } = dispatch;
  await session.step('DISPATCH_CHECKED', { data: { ...where, ...(shippedAs ? { originalTracking: shippedAs } : {}) }, decision: decided });

  if (decided.outcome === 'MERCHANT_DECIDES') {
    const answerDueAt = Date.now() + hours(policy.rules.merchantAnswerHours);
    await session.enter('AWAITING_MERCHANT', 'MERCHANT_ASKED', { status: 'OPEN', deadlines: { answerDueAt } });
    const answered = await waitUntil(() => !!answer || !!withdrawal(), answerDueAt);
    solved = true;
    // Nothing was cancelled: the customer is told the order ships as it would have.
    const withdrawn = withdrawal();
    if (withdrawn && !answer) return session.closeWithdrawn(withdrawn, 'refundRequestWithdrawn');
    if (!answered) silentSince = answerDueAt;
    if (answered && answer!.decision === 'REJECT') {
      await session.enter('CLOSED', 'REJECTED', { status: 'CLOSED', closeReason: 'REJECTED', actor: actorName(answer!.by), decision: session.decision('merchantDecision', { reason: answer!.reason }, 'REJECT') });
      await session.notify('refundRejected', { reason: answer!.reason! });
      return 'REJECTED';
    }
    await session.step(answered ? 'MERCHANT_APPROVED' : 'MERCHANT_SILENT', {
      actor: answered ? actorName(answer!.by) : 'system',
      decision: answered ? undefined : session.decision('merchantAnswerHours', { answerDueAt, hours: policy.rules.merchantAnswerHours }, 'REFUND'),
    });
    // The parcel may have left while the merchant was deciding.
    dispatch = await activities.orderDispatch({ orderId: order.orderId });
    decided = decideRefundBeforeShipping(policy, dispatch.status, 'NO_LONGER_WANTED');
  }
  solved = true;
  if (decided.outcome === 'ALREADY_SHIPPED') return alreadyShipped();

  // --- cancel, then refund everything still refundable ---
  let reversedOutboundId: string | undefined;
  try {
    ({ reversedOutboundId } = await activities.cancelOrder({ caseId: input.caseId, stepKey: session.key('cancel-order'), orderId: order.orderId, reason: input.reason }));
  } catch (err) {
    const cause = err instanceof ActivityFailure ? err.cause : undefined;
    if (cause instanceof ApplicationFailure && cause.type === 'ALREADY_SHIPPED') {
      dispatch = await activities.orderDispatch({ orderId: order.orderId });
      return alreadyShipped();
    }
    throw err;
  }
  await session.step('ORDER_CANCELLED', { data: { reversedOutboundId } });
  // Picked goods go back on the shelf: the order's outbound document is reversed line by line.
  if (reversedOutboundId) await reverseOutbound(session, input.caseId, order, order.items, reversedOutboundId);
  await session.notify('orderCancelled', { orderId: order.orderId });
  const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  const amountMinor = refundableMinor(order, earlier.amountMinor);
  let refundedMinor = 0;
  if (amountMinor > 0) {
    refundedMinor = await refundToCustomer(session, {
      caseId: input.caseId,
      merchantId: input.merchantId,
      order,
      amountMinor,
      reason: `refund before shipping: ${input.reason}`,
      lines: (paid) => [{ kind: 'ORDER', orderId: order.orderId, paidTotalMinor: order.paidTotalMinor, alreadyRefundedMinor: earlier.amountMinor, amountMinor: paid, reason: input.reason }],
    });
  } else await tellNothingLeft(session); // told the refund goes back (orderCancelled): the order's other cases had refunded it all
  await session.enter('RESOLVED', 'RESOLVED', {
    status: 'RESOLVED',
    refundedAmountMinor: refundedMinor,
    decision: session.decision('refundBeforeShipping', { paidTotalMinor: order.paidTotalMinor, alreadyRefundedMinor: earlier.amountMinor, refundMinor: amountMinor, grantedMinor: refundedMinor }, refundOutcome(amountMinor, refundedMinor)),
  });
  return session.revisit();

  async function alreadyShipped(): Promise<'ALREADY_SHIPPED' | RefundShippedOutcome> {
    const { carrier, trackingNumber, shippedAt } = dispatch;
    if (carrier && trackingNumber && patched(INTERCEPTS_PATCH)) {
      // Its solution is the interception (the same day's, told at once): nothing is left to watch.
      // The parcel as `trackingNumber`: from here the case awaits it back (the read model's return
      // tracking number, which arrival scans find it by), whichever way it comes back.
      await session.step('FOUND_SHIPPED', { data: { carrier, trackingNumber, ...(shippedAt !== undefined ? { shippedAt } : {}) }, decision: session.decision('orderNotShipped', { dispatchStatus: dispatch.status }, 'INTERCEPT') });
      const shipped = { ...input, order: { ...order, shippedAt: order.shippedAt ?? shippedAt }, shipment: { carrier, trackingNumber }, reason: `found shipped: ${input.reason}` };
      return shippedRefund(session, shipped, { interception: 'shippedInterceptionRefundBy', delivered: 'shippedDeliveredUseReturn' })(() => undefined);
    }
    // The order's own parcel (originalTracking), as on DISPATCH_CHECKED: not a return the customer sent.
    await session.enter('CLOSED', 'ALREADY_SHIPPED', { status: 'CLOSED', closeReason: 'ALREADY_SHIPPED', data: { carrier: dispatch.carrier, originalTracking: dispatch.trackingNumber } });
    if (!dispatch.trackingNumber && patched(SHIPPED_WITHOUT_NUMBER_PATCH)) await session.notify('alreadyShippedNoTracking', {});
    else await session.notify('alreadyShipped', { carrier: dispatch.carrier ?? '-', trackingNumber: dispatch.trackingNumber ?? '-' });
    return 'ALREADY_SHIPPED';
  }
}
