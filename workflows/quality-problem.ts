/**
 * Quality problem (质量问题, docs/after-sales.md §6; 003 §五, 004 §三.4):
 *
 *   opened (goods, fault, photos) → an agent establishes whether it was misuse (reminded while
 *   open; unconfirmed → asked again) → misuse: the customer's own damage, an agent negotiates
 *   → otherwise a small discount is offered (within the consent deadline) → accepted: refunded
 *   → insists: a free return (the shop pays shipping both ways) for a refund, an exchange, or —
 *   where the shop repairs — a repair with fault cause, method and parts recorded (goods back short
 *   or damaged by the customer: an agent first); the return shipping the shop paid is booked as an
 *   expense note (003 §五.4 退回的运费做费用单)
 *   → revisit → closed
 */
import { ApplicationFailure, patched, setHandler } from '@temporalio/workflow';
import type { OrderRefunds } from '../activities/contract.js';
import {
  decideQualityAnswer,
  decideQualityFirstStep,
  paidValueMinor,
  repairCostMinor,
  settlementDocuments,
  solutionDeadline,
  validateOrder,
  validateOrderLines,
  validateRepairRecord,
  type Decision,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type ReturnAddress,
  type SkuQuantity,
  goodsRefundLines,
  refundableMinor,
  refundGivesShippingBack,
} from '../domain/index.js';
import { refundToCustomer, tellNothingLeft } from './money.js';
import { activities, CaseSession, hours, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { answeredBy, answerProposal, chooseRemedy, invalidInput, invalidProblems, recordMisuseFinding, recordRepair, reportReshipment, requireParcel, type Actor, type MisuseFindingReport, type RepairReport, type Reshipment, type OpenedBy } from './contract.js';
import { bookOutbound, bookSettlement, followUntilDelivered, parcelSentData, SETTLEMENT_DOCUMENTS_PATCH, warehouseTask } from './shipping.js';
import { agentDecidesWhatCameBack, goodsToRefund, installTakeBack, takeBack } from './take-back.js';

/**
 * Patch: the quality problem's messages say what its offers lead to. The discount says the goods
 * stay with the customer, that declining means a free return with a refund, an exchange (or a
 * repair) to choose, and what silence does under the policy (`qualityDiscount[WithRepair]Silence
 * Accepts|Declines`); the choice, which waited in silence before, is asked for
 * (`qualityRemedyChoice[WithRepair]`). Replayed by test/workflows/histories/quality-problem-v17-*.pb.
 */
export const QUALITY_WORDS_PATCH = 'quality-problem-words';

/**
 * Patch: goods damaged by their use (CUSTOMER_CAUSED) are solved when the agent who takes it up with
 * the customer decides, not at the finding, which the customer never hears (as missing items whose
 * records show a complete parcel: missing-items.ts). Replayed by
 * test/workflows/histories/quality-problem-v21-misuse-agent-solves-*.pb.
 */
export const MISUSE_AGENT_SOLVES_PATCH = 'quality-problem-misuse-agent-solves';

/**
 * Patch: goods the repair could not fix (a repair reported `working: false`) go to an agent
 * (REPAIR_FAILED: send a replacement instead, or refund them; no close, as the goods are the
 * customer's and they were promised one or the other), and the customer is told
 * (repairFailed). Before, such a report was refused ("otherwise exchange them", with nothing that
 * exchanges them) and the case stayed at AWAITING_REPAIR, reminded and escalated for good, the
 * customer's goods held (an integrator's trial). Replayed by
 * test/workflows/histories/quality-problem-v23-repair-failed-*.pb.
 */
export const REPAIR_FAILED_PATCH = 'quality-problem-repair-failed';

/**
 * Patch: no discount is offered when it comes to nothing — a merchant whose policy offers none
 * (qualityDiscountPercent or qualityDiscountMaxMinor 0), an order paid nothing, or one refunded in
 * full already. The case goes straight to the free return or exchange (DISCOUNT_NOT_OFFERED, then
 * the choice). Before, the customer was offered "a discount of ¥0.00" and the case waited for their
 * consent to it (an integrator's trial). Replayed by test/workflows/histories/quality-problem-v24-no-discount-*.pb.
 */
export const NO_ZERO_DISCOUNT_PATCH = 'quality-problem-no-zero-discount';

/**
 * Patch: a quality problem's goods refunded (the customer chose the refund, the repair could not fix
 * them, the replacement could not be delivered) give the order's shipping fee back too, under the
 * policy's shopFaultRefundsShipping, when the refund leaves none of the order's goods unpaid
 * (refundGivesShippingBack: once per order) — a defect is the shop's fault, as a return's DEFECTIVE
 * goods are, and a return refunds it. Before, only the goods were refunded: the customer who took
 * the quality route lost the shipping fee a return would have given back. The order's refunds are
 * read again for it (not as the case opened), and what each choice would pay, shown to the agent,
 * includes it. The marker is written only for an order with a shipping fee under such a policy.
 * Replayed by test/workflows/histories/quality-problem-v27-refund-shipping[-unpatched]-*.pb.
 */
export const QUALITY_REFUND_SHIPPING_PATCH = 'quality-problem-refund-shipping';

/** The order's refunds a goods refund is reckoned against, and whether the shipping fee may go back with it (QUALITY_REFUND_SHIPPING_PATCH). */
interface GoodsRefundBasis {
  refunds: OrderRefunds;
  withShipping: boolean;
}

/**
 * Patch: goods taken back for an exchange or a repair that came back short (an empty box, a line
 * MISSING) or damaged by the customer go to an agent (QUALITY_RETURN_PROBLEM: CONTINUE sends the
 * replacement or repairs them anyway, CLOSE ends the case — and, since 2026-12-08, REFUND_RECEIVED
 * refunds those back in good order instead: workflows/take-back.ts) before anything goes out or is repaired,
 * as an exchange's do (docs/after-sales.md §6, §11). Before, a replacement shipped, or the repair
 * began, whatever the inspection found (a reviewer's finding: an empty box, a new unit sent).
 * Asked only when the inspection found a problem, so histories where it did not replay as they
 * were written. Replayed by test/workflows/histories/quality-problem-v26-return-checked-*.pb.
 */
export const QUALITY_RETURN_CHECKED_PATCH = 'quality-problem-return-checked';

export interface QualityProblemInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  lines: SkuQuantity[];
  description: string;
  evidenceUrls: string[];
  /** The merchant repairs goods (004 §三.4 维修部门): a repair is offered besides exchange and refund. */
  hasRepairDepartment: boolean;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  returnAddress?: ReturnAddress;
}

export async function qualityProblem(input: QualityProblemInput): Promise<ClosedByRevisit | 'NOT_SHIPPED' | 'WITHDRAWN'> {
  const { policy, order, lines } = input;
  const rules = input.fulfilment.rules;
  const problems = [...validateOrder(order), ...validateOrderLines(order, lines, 'lines')];
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid quality case: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let finding: MisuseFindingReport | undefined;
  let accepted: boolean | undefined;
  /** What the customer said with their answer to the discount. */
  let answerComment: string | undefined;
  /** Staff who entered the customer's answer or choice for them (a phone call): the step's actor. */
  let consentBy: Actor | undefined;
  let choiceBy: Actor | undefined;
  let remedy: 'REFUND' | 'RESHIP' | 'REPAIR' | undefined;
  let repair: RepairReport | undefined;
  let sent: Reshipment | undefined;
  const back = installTakeBack(session, policy);
  setHandler(recordMisuseFinding, (f) => ((finding = f), session.taken()), { validator: (_f) => session.requireStage('AWAITING_MISUSE_CHECK') });
  setHandler(answerProposal, (a) => ((accepted = a.accept), (answerComment = a.comment), (consentBy = a.by), session.taken()), { validator: (_a) => session.requireStage('AWAITING_CUSTOMER_CONSENT') });
  setHandler(chooseRemedy, (c) => ((remedy = c.remedy), (choiceBy = c.by), session.taken()), {
    validator: (c) => {
      // What this case never takes is said first, whatever the stage: a 409 would invite a retry.
      if (c.remedy === 'REPAIR' && !input.hasRepairDepartment) throw invalidInput('remedy', 'this shop does not repair: choose REFUND or RESHIP');
      session.requireStage('AWAITING_CUSTOMER_CHOICE');
    },
  });
  setHandler(recordRepair, (r) => ((repair = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_REPAIR');
      const p = validateRepairRecord(order, r, lines);
      if (p.length) throw invalidProblems(p);
    },
  });
  setHandler(reportReshipment, (r) => ((sent = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_DISPATCH');
      requireParcel(r);
    },
  });

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { lines, description: input.description, evidenceUrls: input.evidenceUrls } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- misuse first (003 §五.1): asked again while it cannot be confirmed ---
  const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  // Cases opened before SETTLEMENT_DOCUMENTS_PATCH book no return-shipping expense note.
  const settle = patched(SETTLEMENT_DOCUMENTS_PATCH);
  let first;
  /** The customer was asked how the goods were used (a finding not confirmed). */
  let usageAsked = false;
  for (;;) {
    finding = undefined;
    await session.enter('AWAITING_MISUSE_CHECK', 'MISUSE_CHECK', { status: 'OPEN' });
    await session.waitWithReminders(() => !!finding, 'MISUSE_CHECK_REMINDER');
    first = decideQualityFirstStep(input.fulfilment, order, lines, finding!.finding, earlier.amountMinor);
    await session.step('MISUSE_CHECKED', { actor: `${finding!.by.kind}:${finding!.by.id ?? ''}`, data: { finding: finding!.finding, note: finding!.note }, decision: first });
    if (first.outcome !== 'ASK_CUSTOMER') break;
    // Asked how it was used, not left to wonder: the agent's finding comes after talking to them (once:
    // the agent may record "not confirmed" again). Written with the next stage's steps: no command of its own, no patch.
    if (!usageAsked) await session.notify('qualityUsageAsked', {});
    usageAsked = true;
  }
  if (!(first.outcome === 'CUSTOMER_CAUSED' && patched(MISUSE_AGENT_SOLVES_PATCH))) solved = true;
  if (first.outcome === 'CUSTOMER_CAUSED') {
    const resolution = await session.waitForAgent('CUSTOMER_CAUSED');
    solved = true;
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED' });
    return session.revisit();
  }

  // --- a small discount first (003 §五.2) ---
  const discountMinor = Number(first.values.discountMinor ?? 0);
  let told: boolean;
  let answer: Decision;
  if (discountMinor === 0 && patched(NO_ZERO_DISCOUNT_PATCH)) {
    // Nothing to offer: as if the discount were declined, the customer chooses their free return or exchange.
    told = patched(QUALITY_WORDS_PATCH);
    answer = decideQualityAnswer(input.fulfilment, false, input.hasRepairDepartment);
    await session.step('DISCOUNT_NOT_OFFERED', { data: { amountMinor: 0, currency: order.currency }, decision: answer });
  } else {
    const answerBy = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CONSENT', 'DISCOUNT_OFFERED', { status: 'WAITING_CUSTOMER', deadlines: { answerBy }, data: { amountMinor: discountMinor, currency: order.currency } });
    // What declining and silence lead to, said (before QUALITY_WORDS_PATCH: "if not, a return or exchange" only).
    told = patched(QUALITY_WORDS_PATCH);
    const accepts = policy.rules.proposalDefaultAccept;
    const discountTemplate = !told
      ? 'discountOffered'
      : input.hasRepairDepartment
        ? accepts ? 'qualityDiscountWithRepairSilenceAccepts' : 'qualityDiscountWithRepairSilenceDeclines'
        : accepts ? 'qualityDiscountSilenceAccepts' : 'qualityDiscountSilenceDeclines';
    await session.notify(discountTemplate, { amountMinor: discountMinor, currency: order.currency, answerBy });
    const answered = await waitUntil(() => accepted !== undefined, answerBy);
    answer = decideQualityAnswer(input.fulfilment, answered ? accepted === true : policy.rules.proposalDefaultAccept, input.hasRepairDepartment);
    await session.step(answered ? 'DISCOUNT_ANSWERED' : 'DISCOUNT_TIMED_OUT', {
      // The customer's own answer is theirs, with what they said (agents read why a discount was refused).
      ...(answered ? { actor: answeredBy(consentBy, input.customer.id), data: { accepted: accepted === true, ...(answerComment ? { comment: answerComment } : {}) } } : {}),
      decision: answer,
    });
  }
  let refundedMinor = 0;
  /** What refund() asked the provider for; it grants less when other cases of the order were refunded first. */
  let askedMinor = 0;
  if (answer.outcome === 'DISCOUNT_REFUND') {
    refundedMinor = await refund(Math.min(discountMinor, refundableMinor(order, earlier.amountMinor)), 'quality problem: discount', 'DISCOUNT');
  } else {
    // Insists (003 §五.3 包邮退换): the shop pays shipping both ways.
    const chooseBy = Date.now() + hours(policy.rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CHOICE', 'CHOICE_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { chooseBy } });
    if (told) await session.notify(input.hasRepairDepartment ? 'qualityRemedyChoiceWithRepair' : 'qualityRemedyChoice', { answerBy: chooseBy });
    const chose = await waitUntil(() => !!remedy, chooseBy);
    const chosen = remedy ?? 'REFUND';
    await session.step(chose ? 'CHOICE_ANSWERED' : 'CHOICE_TIMED_OUT', { ...(chose ? { actor: answeredBy(choiceBy, input.customer.id) } : {}), data: { remedy: chosen, shopPaysShippingBothWays: true } });
    // A repair sends the same goods back to the customer: they are received, but never stock (only the line's activity input changes).
    const r = await takeBack(session, back, { caseId: input.caseId, customerId: input.customer.id, policy, order, lines, customerHasReplacement: false, withdrawable: true, faulty: true, postage: 'SHOP', refundsWhatCameBack: chosen === 'REFUND', reviewsWhatCameBack: chosen !== 'REFUND', ...(input.returnAddress ? { returnAddress: input.returnAddress } : {}) });
    if (r !== 'BACK') return r;
    if (settle) {
      // The shop pays the return shipping whatever the remedy: an expense note of what the warehouse
      // says it paid (none when it reports no amount — nothing is known to book). takeBack booked
      // the return note; an exchange's outbound is booked below, and a repair sends the same goods
      // back (no new outbound) — so only the expense note is new here.
      const returnShippingMinor = back.inspection?.returnShippingPaidMinor ?? 0;
      const docs = settlementDocuments(order, lines, { kind: chosen === 'RESHIP' ? 'RETURN_EXCHANGE' : 'RETURN_REFUND', returnShippingMinor });
      await bookSettlement(session, input.caseId, order.currency, docs, ['RETURN_NOTE', 'OUTBOUND']);
    }
    // Goods that came back are booked by the return note: the refund needs no expense note of its own (before the patch it got one).
    if (chosen === 'REFUND') {
      // Refunded for what came back (an empty box is not refunded in full): an agent decides a count that differs.
      const before = await refundsBefore();
      const goods = await goodsToRefund(session, back, lines, order, before.refunds.amountMinor, (l) => payFor(l, before).amountMinor);
      if ('close' in goods) return session.closeByAgent(goods.close);
      refundedMinor = await refundGoods(goods.lines, 'quality problem: return', !settle);
    } else {
      const wrong = await returnedWrong(chosen);
      if (wrong === 'CLOSED') return 'CLOSED_BY_AGENT';
      // The agent refunds the goods back in good order instead: nothing goes out or is repaired.
      if (wrong) {
        // Why the replacement or repair became a refund of part of it, where the goods back are worth something.
        if (paidValueMinor(order, wrong.refund) > 0) await session.notify('qualityRefundedWhatCameBack', {});
        refundedMinor = await refundGoods(wrong.refund, 'quality problem: goods back short or damaged, those in good order refunded', !settle);
      } else {
        // What goes back to the customer: the repaired goods, or a replacement (also for goods the repair could not fix).
        let sends: 'SEND_REPAIRED' | 'SEND_EXCHANGE' | 'NOTHING' = chosen === 'REPAIR' ? 'SEND_REPAIRED' : 'SEND_EXCHANGE';
        if (chosen === 'REPAIR') {
          await session.enter('AWAITING_REPAIR', 'REPAIR_STARTED', { status: 'WAITING_WAREHOUSE', deadlines: { repairDueAt: Date.now() + hours(rules.warehouseTaskHours) } });
          await session.waitWithReminders(() => !!repair, 'REPAIR_REMINDER');
          const rr = repair!;
          const failed = !rr.working && patched(REPAIR_FAILED_PATCH);
          if (!failed) await session.step('REPAIRED', { actor: `repair:${rr.by}`, data: { ...rr } });
          // The repair's cost is the shop's whether or not it fixed the goods.
          await activities.appendLedger({ caseId: input.caseId, stepKey: session.key('ledger:repair'), kind: 'EXPENSE_NOTE', amountMinor: 0, currency: order.currency, lines: [{ purpose: 'REPAIR', amountMinor: repairCostMinor(rr), parts: rr.parts, labourCostMinor: rr.labourCostMinor }] });
          if (failed) {
            await session.notify('repairFailed', {});
            // What a refund would pay, on the step (an activity's input): the agent sees it, and the API asks for words for a refund of nothing.
            const before = await refundsBefore();
            const refunds = { REFUND_REQUESTED: payFor(lines, before).amountMinor };
            const resolution = await session.waitForAgent('REPAIR_FAILED', { actor: `repair:${rr.by}`, data: { ...rr, refunds } });
            // The wait offers no CLOSE (the goods are the customer's, and they were promised a replacement or a refund); one from elsewhere closes.
            if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
            if (resolution.action === 'REFUND_REQUESTED') {
              refundedMinor = await refundGoods(lines, 'quality problem: not repairable', !settle);
              sends = 'NOTHING';
            } else {
              await bookOutbound(session, input.caseId, order, lines);
              sends = 'SEND_EXCHANGE';
            }
          }
        } else {
          await bookOutbound(session, input.caseId, order, lines);
        }
        if (sends !== 'NOTHING') {
          const dispatchDueAt = Date.now() + hours(rules.warehouseTaskHours);
          await session.enter('AWAITING_DISPATCH', 'WAREHOUSE_TASK_OPENED', { status: 'WAITING_WAREHOUSE', deadlines: { dispatchDueAt }, data: { task: sends } });
          await warehouseTask(session, () => !!sent, dispatchDueAt, 'warehouseTaskHours', rules.warehouseTaskHours);
          await session.enter('SHIPPED', 'SHIPPED', { actor: `warehouse:${sent!.by}`, status: 'WAITING_COURIER', data: parcelSentData(sent!) });
          // Repaired goods are told as repaired (and what was done), a replacement as sent (only the message's name differs: no patch).
          if (sends === 'SEND_REPAIRED') await session.notify('repairedShipped', { carrier: sent!.carrier, trackingNumber: sent!.trackingNumber, method: repair!.method });
          else await session.notify('exchangeShipped', { carrier: sent!.carrier, trackingNumber: sent!.trackingNumber });
          // A replacement makes good the faulty goods: failed, the agent may refund them instead (shipping.ts MAKE_GOOD_REFUND_PATCH).
          // Repaired goods are the customer's own, followed as before.
          const followed = sends === 'SEND_EXCHANGE' ? await followUntilDelivered(session, rules, sent!, { madeGood: { refundWouldPay: async () => payFor(lines, { refunds: await refundsNow(), withShipping: shippingMayGoBack() }).amountMinor } }) : await followUntilDelivered(session, rules, sent!);
          if (followed === 'CLOSED_BY_AGENT') return followed;
          if (followed === 'REFUND_REQUESTED') refundedMinor = await refundGoods(lines, 'quality problem: replacement not delivered', !settle);
        }
      }
    }
  }
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...session.refundShortOf('qualityProblemRefund', askedMinor, refundedMinor) });
  return session.revisit();

  /**
   * The goods came back short or damaged by the customer (QUALITY_RETURN_CHECKED_PATCH): an agent
   * decides before a replacement goes out or the repair begins. returnedNotAsAsked, as
   * an exchange checks, not only the count (detectCountMismatch, as a refund is paid by): goods the
   * customer damaged are not owed a free replacement or repair as a matter of course, whatever the
   * misuse check found before they were seen. The customer was told so (goodsInspectedToBeReviewed);
   * the agent's decision reaches them in its own words (customerMessage). Those back in good order are
   * still owed: the remedy anyway, or their refund (REFUND_RECEIVED), not a close that keeps them.
   */
  function returnedWrong(forRemedy: 'RESHIP' | 'REPAIR') {
    // What a refund of the goods back in good order would pay (refundGoods), as the order stood when the case opened:
    // the wait's step only, so no command — the shipping fee by the policy, without asking the patch that pays it (at most).
    const withShipping = order.shippingFeeMinor > 0 && policy.rules.shopFaultRefundsShipping;
    const refundWouldPay = (goods: SkuQuantity[]) => payFor(goods, { refunds: earlier, withShipping }).amountMinor;
    return agentDecidesWhatCameBack(session, back, lines, { wait: 'QUALITY_RETURN_PROBLEM', since: QUALITY_RETURN_CHECKED_PATCH, data: { remedy: forRemedy }, refundOffered: true, refundWouldPay });
  }

  /** The order's refunds now (its other cases may have refunded since this one opened). */
  function refundsNow(): Promise<OrderRefunds> {
    return activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  }

  /** Whether a refund of the goods may give the shipping fee back (QUALITY_REFUND_SHIPPING_PATCH): the marker only where it could. */
  function shippingMayGoBack(): boolean {
    return order.shippingFeeMinor > 0 && policy.rules.shopFaultRefundsShipping && patched(QUALITY_REFUND_SHIPPING_PATCH);
  }

  /** The order's refunds a goods refund is reckoned against: read again where the shipping fee may go back, else as the case opened. */
  async function refundsBefore(): Promise<GoodsRefundBasis> {
    return shippingMayGoBack() ? { refunds: await refundsNow(), withShipping: true } : { refunds: earlier, withShipping: false };
  }

  /** What refunding `goods` pays: their value, with the shipping fee where it goes back, as far as the order has money left. */
  function payFor(goods: SkuQuantity[], before: GoodsRefundBasis): { amountMinor: number; shipping: boolean } {
    const valueMinor = paidValueMinor(order, goods);
    const shipping = before.withShipping && valueMinor > 0 && refundGivesShippingBack(order, goods, before.refunds);
    return { amountMinor: Math.min(valueMinor + (shipping ? order.shippingFeeMinor : 0), refundableMinor(order, before.refunds.amountMinor)), shipping };
  }

  /**
   * Refunds the goods (payFor); with the shipping fee, its lines say what each part paid, as a lost
   * parcel's. Reckoned against the order's refunds read now, not those shown to an agent before their
   * wait: another case may have given the fee back meanwhile (once per order).
   */
  async function refundGoods(goods: SkuQuantity[], reason: string, expenseNote: boolean): Promise<number> {
    const pay = payFor(goods, await refundsBefore());
    // Goods worth something, and nothing left to pay them with (the order's other cases refunded it all): said, not silence.
    if (pay.amountMinor <= 0) {
      if (paidValueMinor(order, goods) > 0) await tellNothingLeft(session);
      return 0;
    }
    return refund(pay.amountMinor, reason, 'REFUND', { expenseNote, ...(pay.shipping ? { lines: (paid: number) => goodsRefundLines(order, goods, paid, { shipping: true }) } : {}) });
  }

  /**
   * Refunds `amountMinor`, already reckoned against what the order has left. `expenseNote`: a refund
   * with no goods back is booked as an expense note (003 §四.3.1), which documents why.
   */
  async function refund(amountMinor: number, reason: string, purpose: 'DISCOUNT' | 'REFUND', o: { expenseNote?: boolean; lines?: (paidMinor: number) => Array<Record<string, unknown>> } = {}): Promise<number> {
    if (amountMinor <= 0) return 0;
    askedMinor = amountMinor;
    return refundToCustomer(session, {
      caseId: input.caseId,
      merchantId: input.merchantId,
      order,
      amountMinor,
      reason,
      lines: o.lines ?? ((paid) => [{ kind: purpose, amountMinor: paid }]),
      ...(o.expenseNote !== false ? { document: (paid: number) => activities.appendLedger({ caseId: input.caseId, stepKey: session.key('ledger:expense-note'), kind: 'EXPENSE_NOTE', amountMinor: 0, currency: order.currency, lines: [{ purpose, amountMinor: paid }] }) } : {}),
    });
  }
}
