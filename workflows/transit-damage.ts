/**
 * Transit damage (运输破损, docs/after-sales.md §5; 003 §四, 004 §二.2):
 *
 *   photos first, the goods kept as they are; registered (customer handle, SKU, degree) → assessed
 *   by an agent (degree, cause, what is possible; reminded while open)
 *   → minor: a partial refund under the cap (order profit / return shipping) — above it an agent
 *   → severe: the goods come back (return shipping paid as the cause says) and are refunded, or a
 *     partial / full refund when they cannot come back
 *   → the cause decides who pays: transport → a courier claim of its own (the customer does not
 *     wait); product defect → the shop, both ways; customer-caused → an agent negotiates
 *   → documents (003 §四.3): a refund without the goods back → an expense note for it; a return
 *     → the return note and an expense note for the return shipping the shop paid
 *   → revisit → closed
 */
import { ApplicationFailure, ParentClosePolicy, patched, setHandler, startChild, type ChildWorkflowHandle } from '@temporalio/workflow';
import {
  carrierContract,
  damageLiability,
  damageClaimMinor,
  decideMinorDamageRefund,
  decideSevereDamage,
  paidValueMinor,
  refundOutcome,
  settlementDocuments,
  solutionDeadline,
  validateDamageReport,
  type DamageReport,
  type FulfilmentPolicy,
  type OrderSnapshot,
  type Policy,
  type ReturnAddress,
  refundableMinor,
  refundableValueMinor,
} from '../domain/index.js';
import { refundToCustomer } from './money.js';
import { activities, CaseSession, type ClosedByRevisit } from './case-machinery.js';
import { assessDamage, claimNotNeeded, claimWorkflowId, invalidInput, type DamageAssessment, type OpenedBy } from './contract.js';
import { courierClaim } from './courier-claim.js';
import { bookSettlement, SETTLEMENT_DOCUMENTS_PATCH } from './shipping.js';
import { goodsToRefund, installTakeBack, takeBack } from './take-back.js';

/**
 * Patch: the solution is given when the damage's remedy is decided for the customer, not at the
 * assessment, which the customer never hears: a minor damage's refund decided (REFUND_DECIDED), or,
 * above the cap, the agent's decision; damage the customer caused (NEGOTIATE), the agent's who
 * negotiates. Before, the assessment counted, and the console said "solution given on time" of a
 * case still waiting for an agent (as missing items whose records show a complete parcel:
 * missing-items.ts). Replayed by test/workflows/histories/transit-damage-v21-*.pb.
 */
export const SOLVED_WHEN_DECIDED_PATCH = 'transit-damage-solved-when-decided';

/**
 * Patch: a case withdrawn while its goods were asked back (the customer keeps them, nothing
 * refunded) tells its courier claim it is not needed, and the claim is taken back from the carrier:
 * the shop lost nothing to claim for (docs/after-sales.md §5). Before, the claim went on and the
 * carrier could pay the shop for goods the customer kept. Replayed by
 * test/workflows/histories/transit-damage-v31-withdrawn-claim-*.pb.
 */
export const CLAIM_WITHDRAWN_WITH_CASE_PATCH = 'transit-damage-claim-withdrawn-with-case';

export interface TransitDamageInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  fulfilment: FulfilmentPolicy;
  order: OrderSnapshot;
  report: DamageReport;
  shipment: { carrier: string; trackingNumber: string; shippedAt: number };
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  returnAddress?: ReturnAddress;
}

export async function transitDamage(input: TransitDamageInput): Promise<ClosedByRevisit | 'NOT_SHIPPED' | 'WITHDRAWN'> {
  const { policy, order, report, shipment } = input;
  const problems = validateDamageReport(order, report);
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid damage report: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  let assessment: DamageAssessment | undefined;
  const back = installTakeBack(session, policy);
  setHandler(assessDamage, (a) => ((assessment = a), session.taken()), {
    validator: (a) => {
      session.requireStage('AWAITING_ASSESSMENT');
      for (const f of ['returnShippingCostMinor', 'proposedRefundMinor', 'partialRefundMinor'] as const) {
        const v = a[f];
        if (v !== undefined && (!Number.isSafeInteger(v) || v < 0)) throw invalidInput(f, `${f} must be a whole number of minor units ≥ 0`);
      }
      if (a.degree === 'MINOR' && a.proposedRefundMinor === undefined) throw invalidInput('proposedRefundMinor', 'minor damage needs proposedRefundMinor');
      // A refund for goods the customer keeps is at most what they paid for the damaged goods (a
      // cup of 20.00 damaged in an order of 45.00 was refunded 30.00); a refused update is not in
      // the history, so cases running already replay as before.
      const damagedPaidMinor = paidValueMinor(order, report.lines);
      for (const f of ['proposedRefundMinor', 'partialRefundMinor'] as const) {
        if ((a[f] ?? 0) > order.paidTotalMinor) throw invalidInput(f, `${f} ${a[f]} is more than the ${order.paidTotalMinor} paid`);
        if ((a[f] ?? 0) > damagedPaidMinor) throw invalidInput(f, `${f} ${a[f]} is more than the ${damagedPaidMinor} paid for the damaged goods`);
      }
    },
  });

  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { customerHandle: report.customerHandle, lines: report.lines, degree: report.degree, photoUrls: report.photoUrls, carrier: shipment.carrier } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  await session.enter('AWAITING_ASSESSMENT', 'ASSESSMENT_REQUESTED', { status: 'OPEN' });
  await session.waitWithReminders(() => !!assessment, 'ASSESSMENT_REMINDER');
  const a = assessment!;
  const liability = damageLiability(a.cause);
  await session.step('ASSESSED', { actor: `${a.by.kind}:${a.by.id ?? ''}`, data: { ...a, by: undefined }, decision: session.decision('damageLiability', { cause: a.cause, ...liability }, liability.bearer) });
  const decidedLater = (liability.remedy === 'NEGOTIATE' || a.degree === 'MINOR') && patched(SOLVED_WHEN_DECIDED_PATCH);
  if (!decidedLater) solved = true;

  // The courier pays for what it broke — claimed on the side; the customer does not wait for it.
  let claim: ChildWorkflowHandle<typeof courierClaim> | undefined;
  if (liability.courierClaim) {
    const { contract, source } = carrierContract(input.fulfilment.rules, shipment.carrier);
    claim = await startChild(courierClaim, {
      workflowId: claimWorkflowId(input.caseId, shipment.trackingNumber),
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ caseId: input.caseId, carrier: shipment.carrier, trackingNumber: shipment.trackingNumber, amountMinor: damageClaimMinor(order, report.lines, a), currency: order.currency, reason: `damaged in transit (${a.degree.toLowerCase()})`, evidenceUrls: report.photoUrls, shippedAt: shipment.shippedAt, contract, contractSource: source, policyVersion: input.fulfilment.version }],
    });
    await session.step('CLAIM_STARTED', { data: { claimWorkflowId: claim.workflowId } });
  }
  if (liability.remedy === 'NEGOTIATE') {
    const resolution = await session.waitForAgent('CUSTOMER_CAUSED', { data: { customerFee: liability.customerFee } });
    solved = true;
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
  }

  const earlier = await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency });
  // Cases opened before SETTLEMENT_DOCUMENTS_PATCH book only the refund and the return note.
  const settle = patched(SETTLEMENT_DOCUMENTS_PATCH);
  let returned = false;
  /** What the damage is reckoned at; the order's other refunds may leave less to pay (amountMinor). */
  let decidedMinor: number;
  if (a.degree === 'MINOR') {
    const minor = decideMinorDamageRefund(input.fulfilment, order, a.proposedRefundMinor!, a.returnShippingCostMinor, earlier.amountMinor);
    await session.step('REFUND_DECIDED', { decision: minor });
    if (minor.outcome !== 'APPROVE') {
      // Above the cap (a return may cost less), or a proposal that cannot be paid: an agent decides.
      const resolution = await session.waitForAgent('ABOVE_CAP', { data: { capMinor: minor.values.capMinor } });
      solved = true;
      if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    }
    solved = true;
    decidedMinor = a.proposedRefundMinor!;
  } else {
    const severe = decideSevereDamage(input.fulfilment, a.returnPossible, a.goodsUsable, a.cause);
    await session.step('REFUND_DECIDED', { decision: severe });
    if (severe.outcome === 'RETURN') {
      // The customer is told what coming back brings them: the goods' value, as far as the order has money left.
      const refundOnReturn = { amountMinor: refundableValueMinor(order, report.lines, earlier.amountMinor), currency: order.currency };
      // Who pays for the parcel back is the cause's (damageLiability): the shop's for transport or a
      // defect, the customer's when they caused it; agreed with them while the cause is unknown (unsaid).
      const postage = liability.returnShippingPaidBy === 'NEGOTIATED' ? {} : { postage: liability.returnShippingPaidBy };
      const claimNotNeededNow = async () => {
        // The claim may have ended already (the carrier decided it): then there is nothing to take back.
        if (claim && patched(CLAIM_WITHDRAWN_WITH_CASE_PATCH)) await claim.signal(claimNotNeeded, { why: 'CASE_WITHDRAWN', at: Date.now() }).catch(() => undefined);
      };
      const r = await takeBack(session, back, { caseId: input.caseId, customerId: input.customer.id, policy, order, lines: report.lines, customerHasReplacement: false, withdrawable: true, beforeWithdrawnClose: claimNotNeededNow, faulty: !a.goodsUsable, refundOnReturn, refundsWhatCameBack: true, ...postage, ...(input.returnAddress ? { returnAddress: input.returnAddress } : {}) });
      if (r !== 'BACK') return r;
      returned = true;
      if (settle) {
        // 退货打退货单,退回的运费做费用单: takeBack booked the return note from the inspection; the
        // return shipping is what the warehouse says it paid, else the assessed cost when the
        // cause makes it the shop's (transport, product defect), else nothing.
        const shopPaidMinor = back.inspection?.returnShippingPaidMinor ?? (liability.returnShippingPaidBy === 'SHOP' ? a.returnShippingCostMinor : 0);
        await bookSettlement(session, input.caseId, order.currency, settlementDocuments(order, report.lines, { kind: 'RETURN_REFUND', returnShippingMinor: shopPaidMinor }), ['RETURN_NOTE']);
      }
      // Refunded for what came back (an empty box is not refunded in full): an agent decides a count that differs.
      const goods = await goodsToRefund(session, back, report.lines, order, earlier.amountMinor);
      if ('close' in goods) return session.closeByAgent(goods.close);
      decidedMinor = paidValueMinor(order, goods.lines);
    } else decidedMinor = severe.outcome === 'FULL_REFUND' ? paidValueMinor(order, report.lines) : (a.partialRefundMinor ?? 0);
  }
  const amountMinor = Math.min(decidedMinor, refundableMinor(order, earlier.amountMinor));

  let refundedMinor = 0;
  if (amountMinor > 0) {
    refundedMinor = await refundToCustomer(session, {
      caseId: input.caseId,
      merchantId: input.merchantId,
      order,
      amountMinor,
      reason: `transit damage (${a.degree.toLowerCase()})`,
      message: a.degree === 'MINOR' ? 'damageRefunded' : 'refundIssued',
      // What was decided, less what the order no longer had (a CAP line): the lines sum to what was paid.
      lines: (paid) => [{ kind: a.degree === 'MINOR' ? 'PARTIAL' : 'DAMAGE', amountMinor: decidedMinor }, ...(paid < decidedMinor ? [{ kind: 'CAP', amountMinor: paid - decidedMinor }] : [])],
      // 不退换货仅退款:做费用单 — a refund with no goods coming back is documented by an expense note of what was paid.
      ...(settle && !returned ? { document: (paid: number) => bookSettlement(session, input.caseId, order.currency, settlementDocuments(order, report.lines, { kind: 'REFUND_ONLY', refundMinor: paid }), []) } : {}),
    });
  }
  // Other cases of the order were refunded before it was decided, or since: the resolution says what
  // the refund came to against what the damage was reckoned at (a step's decision: no command).
  const capped = refundedMinor < decidedMinor ? session.decision('transitDamageRefund', { refundMinor: decidedMinor, grantedMinor: refundedMinor }, refundOutcome(decidedMinor, refundedMinor)) : undefined;
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...(capped ? { decision: capped } : {}) });
  return session.revisit();
}
