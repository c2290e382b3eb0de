/**
 * Wrong item (错货 / 错发, docs/after-sales.md §4; 003 §三, 004 §二.4, 002):
 *
 *   the barcode of what arrived against the order → the same: the customer ordered it; explained,
 *   closed → otherwise the warehouse establishes what was short and what came instead (outbound
 *   record, photos, weight; a task with a deadline) → the value rule: worth more than the return
 *   shipping → returned for an exchange or a refund (the customer chooses; silence: refund);
 *   worth less → a discount offered; refused → kept as a gift and the missing goods re-sent or
 *   refunded at once (a discount of nothing is not offered: the goods are a gift at once) → the
 *   documents of 003 §三.4 with their stock movements → a root cause from the 002 taxonomy must be
 *   on the case before it resolves → revisit → closed
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import {
  checkArrivedBarcode,
  decideDiscountRefused,
  decideWrongItemValue,
  goodsRefundLines,
  paidValueMinor,
  refundOutcome,
  solutionDeadline,
  validateWrongItemOpening,
  validateWrongItemCase,
  wrongItemDocuments,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type ReturnAddress,
  type WrongItemCase,
  type WrongItemResolution,
  refundableValueMinor,
} from '../domain/index.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { answeredBy, answerProposal, chooseRemedy, invalidProblems, reportReshipment, requireParcel, requireRefundOrReship, reportWrongItem, rootCauseRecorded, type Reshipment, type Actor, type RootCauseNotice, type WrongItemFindings, type OpenedBy } from './contract.js';
import { bookDocument, bookPaidDocuments, DOCUMENTS_AFTER_REFUND_PATCH, followUntilDelivered, parcelSentData, warehouseTask } from './shipping.js';
import { bookReturnShipping, installTakeBack, takeBack } from './take-back.js';

/**
 * Patch: the customer's answer to the discount is a step of its own — theirs, with what they said —
 * and so is their silence (DISCOUNT_ANSWERED / DISCOUNT_TIMED_OUT, as a quality problem records
 * them). Before, the timeline went from the offer to the refund or the choice with nothing saying
 * who accepted, when, or that nobody answered. Replayed by test/workflows/histories/wrong-item-v10-*.pb.
 */
export const DISCOUNT_ANSWER_STEP_PATCH = 'wrong-item-discount-answer-step';
/**
 * Patch: the customer is told what the wrong item's offers mean. The discount (`wrongItemDiscountOffered`)
 * is to keep the goods at that price, and declining or silence leaves them as a gift, with the right
 * goods or a refund to choose; the choice says whether the goods go back (`wrongItemChoiceSendBack`)
 * or stay (`wrongItemChoiceKeep`). Before, the discount promised "we take it back or exchange it" (the
 * quality problem's words), and the choice never said whether to send anything. Replayed by
 * test/workflows/histories/wrong-item-v17-*.pb.
 */
export const WRONG_ITEM_WORDS_PATCH = 'wrong-item-words';
/**
 * Patch: no discount is offered when it comes to nothing (NO_DISCOUNT: what arrived sells for as
 * much as what is missing, nothing is missing, or the order has nothing left to refund). Declining
 * an offer of ¥0.00 always served the customer better (the goods a gift, and the right goods or the
 * money), so accepting it could only trap a hasty customer. Now the goods are a gift at once
 * (GIFT_WITHOUT_DISCOUNT): the customer chooses the right goods or a refund (`wrongItemChoiceGift`);
 * with nothing left to refund on the order the right goods are sent without asking
 * (`wrongItemGiftReship`: a refund of nothing is no choice); with nothing ordered missing, the
 * customer is told the extra goods are theirs (`wrongItemGiftKept`) and asked nothing. Replayed by
 * test/workflows/histories/wrong-item-v25-no-discount-*.pb.
 */
export const NO_ZERO_DISCOUNT_PATCH = 'wrong-item-no-zero-discount';

export interface WrongItemInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  /** What the customer ordered and what the barcode of what arrived says (003 §三.1). */
  orderedSku: string;
  arrivedBarcode: string;
  /** The catalogue's barcodes of the order's SKUs (and the usual mix-ups). */
  barcodes: Record<string, string>;
  evidenceUrls: string[];
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  returnAddress?: ReturnAddress;
}

// WITHDRAWN: before the warehouse's findings (never once it asks the shop's goods back).
export type WrongItemOutcome = 'EXPLAINED' | 'NOT_SHIPPED' | 'WITHDRAWN' | ClosedByRevisit;

export async function wrongItem(input: WrongItemInput): Promise<WrongItemOutcome> {
  const { policy, order } = input;
  const rules = input.fulfilment.rules;
  const problems = validateWrongItemOpening(order, input.orderedSku);
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid wrong-item case: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let findings: WrongItemFindings | undefined;
  let accepted: boolean | undefined;
  /** What the customer said with their answer to the discount: on the step, for the agents to read. */
  let answerComment: string | undefined;
  /** Staff who entered the customer's answer or choice for them (a phone call): the step's actor. */
  let consentBy: Actor | undefined;
  let choiceBy: Actor | undefined;
  let remedy: 'REFUND' | 'RESHIP' | undefined;
  let sent: Reshipment | undefined;
  let rootCause: RootCauseNotice | undefined;
  // The customer may withdraw until the warehouse has established what happened (take-back.ts, withdrawRequest).
  const back = installTakeBack(session, policy, undefined, 'AWAITING_VERIFICATION');
  setHandler(reportWrongItem, (f) => ((findings = f), session.taken()), {
    validator: (f) => {
      session.requireStage('AWAITING_VERIFICATION');
      const p = validateWrongItemCase(order, { shortShipped: f.shortShipped, overShipped: f.overShipped, returnShippingCostMinor: f.returnShippingCostMinor, alreadyRefundedMinor: 0 });
      if (p.length) throw invalidProblems(p);
    },
  });
  setHandler(answerProposal, (a) => ((accepted = a.accept), (answerComment = a.comment), (consentBy = a.by), session.taken()), { validator: (_a) => session.requireStage('AWAITING_CUSTOMER_CONSENT') });
  setHandler(chooseRemedy, (c) => ((remedy = c.remedy as 'REFUND' | 'RESHIP'), (choiceBy = c.by), session.taken()), {
    validator: (c) => {
      requireRefundOrReship(c.remedy, 'a wrong item is');
      session.requireStage('AWAITING_CUSTOMER_CHOICE');
    },
  });
  setHandler(reportReshipment, (r) => ((sent = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_DISPATCH');
      requireParcel(r);
    },
  });
  setHandler(rootCauseRecorded, (r) => void (rootCause = r));

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { orderedSku: input.orderedSku, arrivedBarcode: input.arrivedBarcode, evidenceUrls: input.evidenceUrls } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- first: did the customer get what they ordered? ---
  const barcode = checkArrivedBarcode(input.fulfilment, input.orderedSku, input.arrivedBarcode, input.barcodes);
  await session.step('BARCODE_CHECKED', { decision: barcode });
  if (barcode.outcome === 'EXPLAIN_AND_CLOSE') {
    solved = true;
    await session.enter('CLOSED', 'EXPLAINED', { status: 'CLOSED', closeReason: 'EXPLAINED' });
    await session.notify('wrongItemExplained', { sku: input.orderedSku });
    return 'EXPLAINED';
  }

  // --- the warehouse establishes what was short and what came instead ---
  const verifyDueAt = Date.now() + hours(rules.warehouseTaskHours);
  await session.enter('AWAITING_VERIFICATION', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { verifyDueAt }, data: { task: 'VERIFY_OUTBOUND_AND_WEIGHT' } });
  await warehouseTask(session, () => !!findings || !!back.withdrawal(), verifyDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
  // The customer keeps what came (it will do after all, or it was theirs): closed before anything is decided.
  const withdrawn = back.withdrawal();
  if (withdrawn && !findings) {
    solved = true;
    return session.closeWithdrawn(withdrawn, 'caseWithdrawn');
  }
  const f = findings!;
  const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  const c: WrongItemCase = { shortShipped: f.shortShipped, overShipped: f.overShipped, returnShippingCostMinor: f.returnShippingCostMinor, alreadyRefundedMinor: earlier.amountMinor };
  const value = decideWrongItemValue(input.fulfilment, order, c);
  await session.step('VALUE_DECIDED', { actor: f.reportedBy ? `agent:${f.reportedBy.id}` : `warehouse:${f.by}`, data: { shortShipped: f.shortShipped, overShipped: f.overShipped }, decision: value });
  solved = true;

  let resolution: WrongItemResolution;
  if (value.outcome === 'RETURN_OR_EXCHANGE') {
    const wants = await choose('SEND_BACK');
    const r = await takeBack(session, back, { caseId: input.caseId, customerId: input.customer.id, policy, order, lines: f.overShipped.map((o) => ({ sku: o.sku, quantity: o.quantity, ...(o.name ? { name: o.name } : {}) })), customerHasReplacement: false, bookReturnNote: false, postage: 'SHOP', ...(input.returnAddress ? { returnAddress: input.returnAddress } : {}) });
    if (r !== 'BACK') return r;
    resolution = wants === 'RESHIP' ? { kind: 'EXCHANGE' } : { kind: 'RETURN_REFUND', refundMinor: refundableValueMinor(order, c.shortShipped, c.alreadyRefundedMinor) };
  } else if (Number(value.values.discountMinor ?? 0) === 0 && patched(NO_ZERO_DISCOUNT_PATCH)) {
    // Nothing to offer: the goods are a gift, as if a discount had been declined (003 §三.3 赠送).
    await session.step('GIFT_WITHOUT_DISCOUNT', {});
    // Then the right goods or the money; the money only if the order has any left to pay back.
    const refundOffered = refundableValueMinor(order, c.shortShipped, c.alreadyRefundedMinor) > 0;
    const wants = c.shortShipped.length && refundOffered ? await choose('GIFT') : 'RESHIP';
    const gift = decideDiscountRefused(input.fulfilment, order, c, wants);
    await session.step('GIFT_DECIDED', { decision: gift });
    if (!c.shortShipped.length) await session.notify('wrongItemGiftKept', { lines: f.overShipped.map((o) => ({ sku: o.sku, quantity: o.quantity, ...(o.name ? { name: o.name } : {}) })) });
    else if (!refundOffered) await session.notify('wrongItemGiftReship', { lines: c.shortShipped });
    resolution = wants === 'RESHIP' ? { kind: 'GIFT_RESHIP' } : { kind: 'GIFT_REFUND', refundMinor: Number(gift.values.refundMinor ?? 0) };
  } else {
    const discountMinor = Number(value.values.discountMinor ?? 0);
    const answerBy = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CONSENT', 'DISCOUNT_OFFERED', { status: 'WAITING_CUSTOMER', deadlines: { answerBy }, data: { amountMinor: discountMinor, currency: order.currency } });
    await session.notify(patched(WRONG_ITEM_WORDS_PATCH) ? 'wrongItemDiscountOffered' : 'discountOffered', { amountMinor: discountMinor, currency: order.currency, answerBy });
    const answered = await waitUntil(() => accepted !== undefined, answerBy);
    if (patched(DISCOUNT_ANSWER_STEP_PATCH)) {
      await session.step(answered ? 'DISCOUNT_ANSWERED' : 'DISCOUNT_TIMED_OUT', {
        ...(answered ? { actor: answeredBy(consentBy, input.customer.id) } : {}),
        // Silence declines: the goods are then kept as a gift and the customer asked what they want instead.
        data: { accepted: answered && accepted === true, ...(answered && answerComment ? { comment: answerComment } : {}) },
      });
    }
    if (answered && accepted) resolution = { kind: 'DISCOUNT', discountMinor };
    else {
      // Not wanted at a discount: kept as a gift, the missing goods re-sent or refunded at once.
      const wants = await choose('KEEP');
      const gift = decideDiscountRefused(input.fulfilment, order, c, wants);
      await session.step('GIFT_DECIDED', { decision: gift });
      resolution = wants === 'RESHIP' ? { kind: 'GIFT_RESHIP' } : { kind: 'GIFT_REFUND', refundMinor: Number(gift.values.refundMinor ?? 0) };
    }
  }

  // --- the documents of 003 §三.4, then the money and the goods ---
  // With what the refund came to: after it (shipping.ts, DOCUMENTS_AFTER_REFUND_PATCH).
  const afterRefund = patched(DOCUMENTS_AFTER_REFUND_PATCH);
  if (!afterRefund) for (const [i, doc] of wrongItemDocuments(order, c, resolution).entries()) await bookDocument(session, input.caseId, order.currency, doc, i);
  let refundMinor = 'refundMinor' in resolution ? resolution.refundMinor : 'discountMinor' in resolution ? resolution.discountMinor : 0;
  let refundedMinor = 0;
  if (refundMinor > 0) {
    refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor: refundMinor, reason: `wrong item: ${resolution.kind.toLowerCase()}`, lines: (paid) => [{ kind: resolution.kind, amountMinor: paid }] });
  }
  if (afterRefund) await bookPaidDocuments(session, input.caseId, order.currency, wrongItemDocuments(order, c, paidResolution(resolution, refundedMinor)));
  // The goods sent by mistake came back at the shop's cost (it pays the shipping both ways): what the
  // warehouse says it paid, else the return shipping the findings reckoned (return-shipping-booked).
  if (resolution.kind === 'EXCHANGE' || resolution.kind === 'RETURN_REFUND') await bookReturnShipping(session, input.caseId, order.currency, back.inspection?.returnShippingPaidMinor ?? c.returnShippingCostMinor);
  if ((resolution.kind === 'EXCHANGE' || resolution.kind === 'GIFT_RESHIP') && c.shortShipped.length) {
    const dispatchDueAt = Date.now() + hours(rules.warehouseTaskHours);
    await session.enter('AWAITING_DISPATCH', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { dispatchDueAt }, data: { task: 'SEND_ORDERED', lines: c.shortShipped } });
    await warehouseTask(session, () => !!sent, dispatchDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
    await session.enter('SHIPPED', 'SHIPPED', { actor: `warehouse:${sent!.by}`, status: 'WAITING_COURIER', data: parcelSentData(sent!) });
    await session.notify('exchangeShipped', { carrier: sent!.carrier, trackingNumber: sent!.trackingNumber });
    const refundedNow = () => activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
    const followed = await followUntilDelivered(session, rules, sent!, { madeGood: { refundWouldPay: async () => refundableValueMinor(order, c.shortShipped, (await refundedNow()).amountMinor) } });
    if (followed === 'CLOSED_BY_AGENT') return followed;
    if (followed === 'REFUND_REQUESTED') {
      // The right goods will not reach the customer (shipping.ts MAKE_GOOD_REFUND_PATCH): their price, as far as the order has money left; the root cause is still owed.
      const now = await refundedNow();
      refundMinor = paidValueMinor(order, c.shortShipped);
      const amountMinor = refundableValueMinor(order, c.shortShipped, now.amountMinor);
      if (amountMinor > 0) refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor, reason: 'wrong item: right goods not delivered', lines: (paid) => goodsRefundLines(order, c.shortShipped, paid) });
      else await tellNothingLeft(session);
    }
  }

  // --- no wrong shipment is closed without its root cause (002; 004 §二.4) ---
  if (!rootCause) {
    // Any refund above is paid already: the case view counts it while the root cause is awaited
    // (a field of this step, not a step of its own, so the workflow's command sequence is unchanged).
    // Due, as an agent's wait with no deadline of its own is, when its first reminder escalates it:
    // the queue sorts it by that and the case says when (a field too, no command).
    const agentDueAt = Date.now() + hours(policy.rules.agentReminderHours);
    await session.enter('AWAITING_ROOT_CAUSE', 'ROOT_CAUSE_REQUIRED', { status: 'OPEN', refundedAmountMinor: refundedMinor, deadlines: { agentDueAt } });
    await session.waitWithReminders(() => !!rootCause, 'ROOT_CAUSE_REMINDER');
  }
  await session.step('ROOT_CAUSE_ON_FILE', { data: { ...rootCause } });
  // Other cases of the order may have been refunded first: the resolution says what the refund came to.
  const capped = refundedMinor < refundMinor ? session.decision('wrongItemRefund', { refundMinor, grantedMinor: refundedMinor }, refundOutcome(refundMinor, refundedMinor)) : undefined;
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...(capped ? { decision: capped } : {}) });
  return session.revisit();

  /** The customer's choice of the goods (re-sent) or the money; silence refunds. */
  /**
   * `goods`: what becomes of the wrong goods whatever the customer chooses (said in the message):
   * sent back, kept after the discount was declined, or a gift with no discount offered first.
   */
  async function choose(goods: 'SEND_BACK' | 'KEEP' | 'GIFT'): Promise<'REFUND' | 'RESHIP'> {
    remedy = undefined;
    const chooseBy = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CHOICE', 'CHOICE_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { chooseBy } });
    const template = goods === 'GIFT' ? 'wrongItemChoiceGift' : patched(WRONG_ITEM_WORDS_PATCH) ? (goods === 'KEEP' ? 'wrongItemChoiceKeep' : 'wrongItemChoiceSendBack') : 'wrongItemChoice';
    await session.notify(template, { answerBy: chooseBy });
    const answered = await waitUntil(() => !!remedy, chooseBy);
    const chosen = remedy ?? 'REFUND';
    await session.step(answered ? 'CHOICE_ANSWERED' : 'CHOICE_TIMED_OUT', { ...(answered ? { actor: answeredBy(choiceBy, input.customer.id) } : {}), data: { remedy: chosen }, decision: answered ? undefined : session.decision('proposalAcceptanceHours', { chooseBy }, 'REFUND') });
    return chosen;
  }
}

/** The resolution as it was paid: its refund or discount what the refund came to (capped by the order's other cases). */
function paidResolution(resolution: WrongItemResolution, paidMinor: number): WrongItemResolution {
  if ('refundMinor' in resolution) return { ...resolution, refundMinor: paidMinor };
  if ('discountMinor' in resolution) return { ...resolution, discountMinor: paidMinor };
  return resolution;
}
