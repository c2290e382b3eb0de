/**
 * A case's refunds as the payment provider last answered for them, and paying again a refund the
 * customer's bank sent back (REFUND_RETURNED on the case's timeline, booked by the refund follower:
 * docs/refund-settlement.md) when an agent says so — once the customer has sorted out their
 * account. The payment runs as its own workflow (workflows/refund-again.ts), keyed by the returned
 * refund, so it is paid again once.
 */
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/client';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { BankStatus, bankStatusOf } from '../responses.js';
import { caseRefund } from '../../db/refund-settlement.js';
import { CASE_TASK_QUEUE, refundAgainWorkflowId } from '../../workflows/contract.js';
import type { RefundAgainInput } from '../../workflows/refund-again.js';
import { callerName } from '../auth.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { ID_PATTERN, Text } from '../validation-problems.js';
import type { ApiApp } from '../typed-app.js';

const RefundParams = Type.Object({
  caseId: Type.String({ pattern: ID_PATTERN }),
  refundId: Type.String({ minLength: 1, maxLength: 200, description: 'the payment provider’s id of the refund that came back (its REFUND_RETURNED step’s refundId, the ledger entry’s reference)' }),
});

const PayAgainBody = Type.Object(
  { note: Type.Optional(Text(2000, { description: 'for the staff, on the REFUND_PAID_AGAIN step: what the customer confirmed (their account sorted out, a new card)' })) },
  { additionalProperties: false, examples: [{ note: '顾客已更换银行卡，确认原路退回' }, {}] },
);

const PayingAgain = Type.Object(
  {
    caseId: Type.String(),
    returnedRefundId: Type.String(),
    amountMinor: Type.Integer({ description: 'what is paid again: what the returned refund had paid (the order’s refund cap may pay less, as the case’s timeline will say)' }),
    currency: Type.String(),
    workflowId: Type.String({ description: 'the payment’s workflow, in the Temporal UI' }),
  },
  { additionalProperties: false },
);

const CaseRefundView = Type.Object(
  {
    caseId: Type.String(),
    refundId: Type.String(),
    amountMinor: Type.Integer({ description: 'what the refund paid, as the case’s ledger booked it' }),
    currency: Type.String(),
    bankStatus: Type.Optional(BankStatus),
    returnedReason: Type.Optional(Type.String({ description: 'FAILED: the bank’s reason, as the provider gave it (ACCOUNT_CLOSED, CARD_CANCELLED …)' })),
    paidAt: Type.String({ format: 'date-time', description: 'when the refund was paid (granted on the order, moments before the provider accepted it): a refund still PENDING a week after it is escalated (REFUND_PENDING_LONG)' }),
    bankAnsweredAt: Type.Optional(Type.String({ format: 'date-time', description: 'when the bank’s answer was heard: the money arrived (SUCCEEDED) or was sent back (FAILED). Absent while PENDING and for refunds paid at once' })),
    nextCheckAt: Type.Optional(Type.String({ format: 'date-time', description: 'PENDING: when the payment provider is asked about it next (a minute after it was paid, then 5, 15 and 60 minutes, then every 6 hours)' })),
    checks: Type.Integer({ description: 'how many times the provider was asked and said it was still pending (its final answer is not counted)' }),
    paidAgain: Type.Boolean({ description: 'FAILED: whether it has been paid again, or is being paid (REFUND_PAID_AGAIN on the timeline once done)' }),
    paidAgainRefundId: Type.Optional(Type.String({ description: 'the payment again’s own refund id, once the provider took it (look it up here in turn)' })),
    payableAgainMinor: Type.Optional(
      Type.Integer({ description: 'FAILED and not paid again: what paying it again would pay now — amountMinor, or less when the order’s other cases have refunded what it had left meanwhile (0: nothing left, the customer is told so). A moment’s answer: the payment reckons it again' }),
    ),
  },
  { additionalProperties: false },
);

const alreadyPaidAgain = (refundId: string, caseId: string) => new ApiError(409, 'ALREADY_PAID_AGAIN', `refund ${refundId} of case ${caseId} was paid again already (REFUND_PAID_AGAIN on the case's timeline)`);

export function refundReturnedRoutes(app: ApiApp, deps: ApiDeps): void {
  /** The case the caller may see, and its refund named in the path; 404 for a refund it has no record of. */
  async function refundOfCase(request: FastifyRequest, { caseId, refundId }: { caseId: string; refundId: string }) {
    const c = await visibleCase(deps, request, caseId);
    const refund = await caseRefund(deps.repos.db, c.id, refundId);
    if (!refund) throw notFound(`refund ${refundId} of case ${c.id}`);
    return { c, refund, refundId };
  }

  app.get(
    '/v1/cases/:caseId/refunds/:refundId',
    {
      config: { roles: ['AGENT', 'SUPERVISOR'] },
      schema: {
        response: { 200: CaseRefundView },
        tags: ['agent'],
        summary: 'One of a case’s refunds (its refundId: the ledger’s reference, a REFUND_RETURNED step’s refundId): where its money is and, sent back, what paying it again would pay now; 404 for a refund the case has no record of',
        params: RefundParams,
      },
    },
    async (request) => {
      const { c, refund, refundId } = await refundOfCase(request, request.params);
      return {
        caseId: c.id,
        refundId,
        amountMinor: refund.amountMinor,
        currency: refund.currency,
        ...(bankStatusOf(refund.status) ? { bankStatus: bankStatusOf(refund.status) } : {}),
        ...(refund.returnedReason ? { returnedReason: refund.returnedReason } : {}),
        paidAt: refund.paidAt.toISOString(),
        ...(refund.bankAnsweredAt ? { bankAnsweredAt: refund.bankAnsweredAt.toISOString() } : {}),
        ...(refund.nextCheckAt ? { nextCheckAt: refund.nextCheckAt.toISOString() } : {}),
        checks: refund.checks,
        paidAgain: refund.paidAgain,
        ...(refund.paidAgainRefundId ? { paidAgainRefundId: refund.paidAgainRefundId } : {}),
        ...(refund.payableAgainMinor !== undefined ? { payableAgainMinor: refund.payableAgainMinor } : {}),
      };
    },
  );

  app.post(
    '/v1/cases/:caseId/refunds/:refundId/pay-again',
    {
      config: { roles: ['AGENT', 'SUPERVISOR'] },
      schema: {
        response: { 202: PayingAgain },
        tags: ['agent'],
        summary: 'Pay again a refund the customer’s bank sent back: 202 while it is paid (REFUND_PAID_AGAIN on the timeline, the customer told); 404 for a refund the case has no record of; 409 when the refund did not come back or was paid again already',
        params: RefundParams,
        body: PayAgainBody,
      },
    },
    async (request, reply) => {
      const { c, refund, refundId } = await refundOfCase(request, request.params);
      if (refund.status !== 'FAILED') {
        throw new ApiError(409, 'REFUND_NOT_RETURNED', `refund ${refundId} of case ${c.id} did not come back (${refund.status === 'PENDING' ? 'at our last check it was still pending at the bank' : 'it was paid'}): only a refund the bank sent back is paid again`);
      }
      // Once, in the database too: Temporal forgets a finished workflow's id after the namespace's retention.
      if (refund.paidAgain) throw alreadyPaidAgain(refundId, c.id);
      const input: RefundAgainInput = {
        caseId: c.id,
        merchantId: c.merchantId,
        orderId: c.orderId,
        currency: refund.currency,
        orderPaidTotalMinor: refund.orderPaidTotalMinor,
        returned: { refundId, stepKey: refund.stepKey, amountMinor: refund.amountMinor, extraMinor: refund.extraMinor, lines: refund.lines },
        by: callerName(request),
        ...(request.body.note ? { note: request.body.note } : {}),
      };
      const workflowId = refundAgainWorkflowId(c.id, refundId);
      await deps.temporal.workflow
        // A request sent again while it runs is answered as the first; a run that failed (the provider
        // refused for good: nothing paid, no hold left) may be started again.
        .start('refundAgain', { taskQueue: CASE_TASK_QUEUE, workflowId, args: [input], workflowIdConflictPolicy: 'USE_EXISTING', workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY', staticSummary: `Refund paid again ${c.id}` })
        .catch((err: unknown) => {
          if (err instanceof WorkflowExecutionAlreadyStartedError) throw alreadyPaidAgain(refundId, c.id);
          throw err;
        });
      return reply.status(202).send({ caseId: c.id, returnedRefundId: refundId, amountMinor: refund.amountMinor, currency: refund.currency, workflowId });
    },
  );
}
