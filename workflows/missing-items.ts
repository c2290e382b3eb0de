/**
 * Missing items (少货, docs/after-sales.md §2; 003 §二), from the customer's report to the revisit:
 *
 *   opened → warehouse checks the three records (outbound record, waybill weight, stock count)
 *          → verdict → records say the parcel left complete: an agent explains with the evidence
 *                     → small and light (or unverifiable and small): refund at once
 *                     → otherwise the customer chooses refund or re-shipment (silence → refund)
 *          → refund: outbound reversal + expense note + refund; re-shipment: reversal + new
 *            outbound, the warehouse ships, the trace is followed until delivered
 *          → revisit → closed
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import {
  decideMissingItemsRemedy,
  goodsRefundLines,
  missingItemsDocuments,
  missingItemsVerdict,
  paidValueMinor,
  refundableMinor,
  refundableValueMinor,
  solutionDeadline,
  validateOrder,
  validateOrderLines,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type SkuQuantity,
} from '../domain/index.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { answeredBy, chooseRemedy, invalidSentences, reportReshipment, reportWarehouseCheck, requireParcel, requireRefundOrReship, type Actor, type Reshipment, type WarehouseCheck, type OpenedBy } from './contract.js';
import { bookDocument, bookPaidDocuments, DOCUMENTS_AFTER_REFUND_PATCH, followUntilDelivered, parcelSentData, warehouseTask } from './shipping.js';

/**
 * Patch: the outbound is reversed (the goods back in stock) only when the warehouse's checks
 * confirmed the shortage. Before, an unverifiable one was reversed too: stock rose by units no check
 * showed were still there — twice, when the unit had come back with a return of the same order.
 * Replayed by test/workflows/histories/missing-items-v12-unverified-no-reversal-*.pb.
 */
export const REVERSAL_WHEN_CONFIRMED_PATCH = 'missing-items-reversal-when-confirmed';

/**
 * Patch: records showing the parcel left complete (EXPLAIN_WITH_EVIDENCE) solve nothing by
 * themselves: the solution is the agent's, who shows the customer and decides, so the same-day
 * watch runs on until they do. Before, the warehouse's verdict counted as the solution: the console
 * said "solution given on time" and the figures counted it while the customer had heard nothing
 * (found by a console trial). Replayed by test/workflows/histories/missing-items-v19-not-short-agent-solves-*.pb.
 */
export const NOT_SHORT_AGENT_SOLVES_PATCH = 'missing-items-not-short-agent-solves';

export interface MissingItemsInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  /** The fulfilment rules the case started with (thresholds, warehouse and trace timers). */
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  /** What the customer says is missing. */
  missing: SkuQuantity[];
  evidenceUrls: string[];
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
}

export type MissingItemsOutcome = ClosedByRevisit | 'WITHDRAWN';

export async function missingItems(input: MissingItemsInput): Promise<MissingItemsOutcome> {
  const { policy, order, missing } = input;
  const rules = input.fulfilment.rules;
  const problems = [...validateOrder(order), ...validateOrderLines(order, missing, 'missing')];
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid missing-items case: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let check: WarehouseCheck | undefined;
  let choice: 'REFUND' | 'RESHIP' | undefined;
  /** Staff who entered the customer's choice for them (a phone call): the step's actor. */
  let choiceBy: Actor | undefined;
  let reshipment: Reshipment | undefined;
  setHandler(reportWarehouseCheck, (c) => ((check = c), session.taken()), {
    validator: (c) => {
      session.requireStage('AWAITING_WAREHOUSE_CHECK');
      const problems = (['outboundRecord', 'stockCount'] as const).flatMap((list) => {
        const lines: Array<{ sku: string }> = c[list] ?? [];
        return lines.flatMap((line, at) => (order.items.some((i) => i.sku === line.sku) ? [] : [{ field: `${list}[${at}].sku`, reason: `unknown SKU ${line.sku}: not part of order ${order.orderId}` }]));
      });
      if (problems.length) throw invalidSentences(problems);
    },
  });
  // Until the warehouse has checked its records (a new update, no patch: see takeWithdrawalAt).
  const withdrawal = session.takeWithdrawalAt(['AWAITING_WAREHOUSE_CHECK']);
  setHandler(chooseRemedy, (c) => ((choice = c.remedy as 'REFUND' | 'RESHIP'), (choiceBy = c.by), session.taken()), { // the validator refuses REPAIR here
    validator: (c) => {
      requireRefundOrReship(c.remedy, 'missing items are');
      session.requireStage('AWAITING_CUSTOMER_CHOICE');
    },
  });
  setHandler(reportReshipment, (r) => ((reshipment = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_RESHIPMENT');
      requireParcel(r);
    },
  });

  // --- opened: same-day solution deadline; the warehouse checks the three records ---
  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { missing } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  const checkDueAt = Date.now() + hours(rules.warehouseTaskHours);
  await session.enter('AWAITING_WAREHOUSE_CHECK', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { checkDueAt }, data: { task: 'VERIFY_DISPATCH', missing } });
  await warehouseTask(session, () => !!check || !!withdrawal(), checkDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
  // Found after all (in another box, with a neighbour): the customer takes the request back before the check.
  const withdrawn = withdrawal();
  if (withdrawn && !check) {
    solved = true;
    return session.closeWithdrawn(withdrawn, 'caseWithdrawn');
  }
  const evidence = check!;
  const verdict = missingItemsVerdict(input.fulfilment, order, missing, evidence);
  await session.step('WAREHOUSE_CHECKED', { actor: `warehouse:${evidence.by}`, data: { verdict: verdict.verdict }, decision: verdict.decision });

  const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  const remedy = decideMissingItemsRemedy(input.fulfilment, order, missing, verdict.verdict, evidence, earlier.amountMinor);
  const agentSolves = remedy.outcome === 'EXPLAIN_WITH_EVIDENCE' && patched(NOT_SHORT_AGENT_SOLVES_PATCH);
  if (!agentSolves) solved = true;
  await session.step('SOLUTION_PROPOSED', { decision: remedy });

  let chosen: 'REFUND' | 'RESHIP';
  if (remedy.outcome === 'EXPLAIN_WITH_EVIDENCE') {
    // The records say everything left: an agent shows the customer and decides (goodwill refund or close).
    const resolution = await session.waitForAgent('NOT_SHORT', { data: { verdict: verdict.verdict } });
    solved = true;
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    chosen = 'REFUND';
  } else if (remedy.outcome === 'REFUND_NOW') {
    chosen = 'REFUND';
  } else {
    // Bigger amounts: apologise, the customer chooses; silence means the refund (no goods in limbo).
    const choiceDueAt = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CHOICE', 'CHOICE_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { choiceDueAt } });
    await session.notify('remedyChoice', { lines: missing, answerBy: choiceDueAt });
    const answered = await waitUntil(() => !!choice, choiceDueAt);
    chosen = choice ?? 'REFUND';
    await session.step(answered ? 'CHOICE_ANSWERED' : 'CHOICE_TIMED_OUT', {
      ...(answered ? { actor: answeredBy(choiceBy, input.customer.id) } : {}),
      data: { remedy: chosen },
      decision: answered ? undefined : session.decision('missingItemsDefaultRemedy', { choiceDueAt }, 'REFUND'),
    });
  }

  const refundMinor = Number(remedy.values.refundMinor ?? 0);
  // The outbound is reversed for a confirmed shortage only (REVERSAL_WHEN_CONFIRMED_PATCH).
  const confirmedShort = verdict.verdict === 'CONFIRMED_SHORT' || !patched(REVERSAL_WHEN_CONFIRMED_PATCH);
  const documents = (paidMinor: number) => missingItemsDocuments(order, missing, chosen === 'REFUND' ? { kind: 'REFUND', refundMinor: paidMinor } : { kind: 'RESHIP' }, { confirmedShort });
  // The documents, with what the refund came to: after it (shipping.ts, DOCUMENTS_AFTER_REFUND_PATCH).
  const afterRefund = patched(DOCUMENTS_AFTER_REFUND_PATCH);
  if (!afterRefund) for (const [i, doc] of documents(refundMinor).entries()) await bookDocument(session, input.caseId, order.currency, doc, i);
  let refundedMinor = 0;
  if (chosen === 'REFUND' && refundMinor > 0) {
    refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor: refundMinor, reason: 'missing items', lines: (paid) => goodsRefundLines(order, missing, paid) });
  } else if (chosen === 'REFUND' && refundableMinor(order, earlier.amountMinor) === 0) await tellNothingLeft(session);
  if (afterRefund) await bookPaidDocuments(session, input.caseId, order.currency, documents(refundedMinor));
  /** What the refund was reckoned at: the remedy's, or the re-shipped goods' when they are refunded instead. */
  let askedMinor = refundMinor;
  let refunded = chosen === 'REFUND';
  if (chosen === 'RESHIP') {
    const followed = await reship();
    if (followed === 'CLOSED_BY_AGENT') return followed;
    if (followed === 'REFUND_REQUESTED') {
      // The re-shipment will not reach the customer (shipping.ts MAKE_GOOD_REFUND_PATCH): the missing goods' price, as far as the order has money left.
      const now = await refundedNow();
      // The resolution says when the order had less left than the goods were paid (refundShortOf).
      askedMinor = paidValueMinor(order, missing);
      refunded = true;
      const amountMinor = refundableValueMinor(order, missing, now.amountMinor);
      if (amountMinor > 0) refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor, reason: 'missing items: re-shipment not delivered', lines: (paid) => goodsRefundLines(order, missing, paid) });
      else await tellNothingLeft(session);
    }
  }
  // Other cases of the order may have been refunded first: the resolution says what the refund came to.
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...(refunded ? session.refundShortOf('missingItemsRefund', askedMinor, refundedMinor) : {}) });
  return session.revisit();

  /** What the order's other cases have refunded by now. */
  function refundedNow() {
    return activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  }

  /** The warehouse ships the missing goods; the trace is followed until delivered (跟踪到交易确认), or refunded instead when it cannot be. */
  async function reship(): Promise<'DELIVERED' | 'CLOSED_BY_AGENT' | 'REFUND_REQUESTED'> {
    const reshipDueAt = Date.now() + hours(rules.warehouseTaskHours);
    await session.enter('AWAITING_RESHIPMENT', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { reshipDueAt }, data: { task: 'RESHIP', lines: missing } });
    await warehouseTask(session, () => !!reshipment, reshipDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
    const parcel = reshipment!;
    await session.enter('RESHIPPED', 'RESHIPPED', { actor: `warehouse:${parcel.by}`, status: 'WAITING_COURIER', data: parcelSentData(parcel) });
    await session.notify('parcelReshipped', { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber });
    return followUntilDelivered(session, rules, parcel, { madeGood: { refundWouldPay: async () => refundableValueMinor(order, missing, (await refundedNow()).amountMinor) } });
  }
}
