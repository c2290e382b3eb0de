/**
 * Return and refund (退货退款, docs/after-sales.md §10), from the storefront's request to the revisit:
 *
 *   opened → approval (policy, or an agent; a changed proposal needs the customer's consent)
 *          → the customer ships the return (reminder; closed as not shipped after the deadline)
 *          (until the return is sent, the customer may withdraw the request: closed WITHDRAWN)
 *          → arrival scan (courier chased when late; past the final deadline: lost → claim + agent)
 *          → inspection per line → refund of what came back → documents → revisit → closed
 *
 * Every wait has a deadline from the case's policy version; every automatic decision is recorded
 * with the rule and values that made it.
 */
import { ApplicationFailure, ParentClosePolicy, patched, setHandler, startChild } from '@temporalio/workflow';
import {
  computeRefund,
  refundLinesPaid,
  decideReturnApproval,
  decisionReason,
  DEFAULT_CARRIER_CONTRACT,
  detectCountMismatch,
  returnAddressField,
  inspectionProblems,
  restockedQuantities,
  sameLines,
  solutionDeadline,
  validateReturnRequest,
  type OrderSnapshot,
  type Policy,
  type ReturnAddress,
  type ReturnRequest,
  returnRefundInspection,
  asIfReceived,
  LOST_PARCEL_CLAIM,
} from '../domain/index.js';
import {
  actorName,
  answeredBy,
  answerProposal,
  arrivalScanned,
  claimWorkflowId,
  courierEvent,
  invalidSentences,
  propose,
  reportInspection,
  type Actor,
  type AgentProposal,
  type AgentResolution,
  type ArrivalScan,
  type InspectionReport,
  type ReturnShipment,
  type Withdrawal,
  type OpenedBy,
} from './contract.js';
import { activities, CaseSession, days, hours, SEND_BACK_TOLD_PATCH, SCAN_BEFORE_SHIPMENT_PATCH, waitUntil, type ClosedByRevisit } from './case-machinery.js';
import { ReturnParcel } from './return-parcel.js';
import { returnPostage } from '../domain/return-postage.js';
import { bookReturnShipping, closeKeepingGoodsRefused, paidForReturn, returnShippingProblems } from './take-back.js';
import { refundToCustomer } from './money.js';
import { courierClaim } from './courier-claim.js';

export interface ReturnRefundInput extends OpenedBy {
  caseId: string;
  merchantId: string;
  policy: Policy;
  order: OrderSnapshot;
  request: ReturnRequest;
  customer: { id: string; locale: 'zh-CN' | 'en' };
  openedAt: number;
  /** The merchant's return address when the case opened (absent in cases opened before it existed). */
  returnAddress?: ReturnAddress;
}

/**
 * Patch: cases opened since count the no-reason window in calendar days to local midnight (as the
 * law does), refund shipping only for the shop's faults (not for OTHER), and ask the ledger what
 * other cases already refunded on the order. Older cases replay with the rules they started under.
 */
export { RETURN_RULES_V2_PATCH } from './contract.js';
import { RETURN_RULES_V2_PATCH } from './contract.js';

/**
 * Patch: a lost return parcel's courier claim runs as its own process (courierClaim, a child that
 * outlives the case: follow-ups, escalation before the window closes, recovery booked) instead
 * of a single filing activity.
 */
export const CLAIM_PROCESS_PATCH = 'claim-process';

/**
 * Patch: an agent's approval is compared with the request as goods (per SKU, summed, in any
 * order), so approving every requested line in another order is a full approval; before, the
 * lines were compared as JSON and such an approval asked the customer's consent (silence declined
 * it). Replayed by test/workflows/histories/return-refund-v3-reordered-approval-DECLINED.pb
 * (before: consent asked, declined) and return-refund-v4-reordered-approval-NOT_SHIPPED.pb (after).
 */
export const APPROVAL_LINES_ANY_ORDER_PATCH = 'approval-lines-any-order';
/** From this patch on, a ship reminder whose deadline has passed by the time it is due is not sent. */
export const LATE_SHIP_REMINDER_PATCH = 'late-ship-reminder';
/**
 * Patch: the refund of what came back counts no more of each SKU than the return was approved for
 * (domain/return-refund.ts, `approved`). Before, an agent who settled a count mismatch by
 * REFUND_RECEIVED refunded every unit that arrived: three mugs where two were asked back. Replayed
 * by test/workflows/histories/return-refund-v10-surplus-refunded-as-approved-*.pb.
 */
export const REFUND_APPROVED_ONLY_PATCH = 'refund-approved-only';
/**
 * Patch: a return whose inspection excludes every line tells its customer so (`nothingRefunded`);
 * before, the last message was the inspection's result and the case resolved in silence. Replayed by
 * test/workflows/histories/return-refund-v14-nothing-refunded-*.pb.
 */
export const NOTHING_REFUNDED_TOLD_PATCH = 'nothing-refunded-told';
/**
 * Patch: a return whose goods came back in order, but whose order its other cases had refunded in
 * full, tells its customer nothing was left to refund (`refundNothingLeft`, as a missing-items case
 * says it); before, they heard the inspection's result and then the revisit (found by a finance
 * trial). Replayed by test/workflows/histories/return-refund-v21-nothing-left-told-*.pb.
 */
export const RETURN_NOTHING_LEFT_TOLD_PATCH = 'return-nothing-left-told';

export type ReturnRefundOutcome = 'REJECTED' | 'DECLINED' | 'NOT_SHIPPED' | 'WITHDRAWN' | ClosedByRevisit;

/** The stages a customer may withdraw the request at: nothing has been sent or refunded yet. */
const WITHDRAWABLE = ['AWAITING_DECISION', 'AWAITING_CUSTOMER_CONSENT', 'AWAITING_RETURN_SHIPMENT'] as const;

type Line = { sku: string; quantity: number };
type InspectedLine = InspectionReport['lines'][number];

export async function returnAndRefund(input: ReturnRefundInput): Promise<ReturnRefundOutcome> {
  const { policy, order, request } = input;
  const rules = policy.rules;
  const problems = validateReturnRequest(order, request);
  if (problems.length) throw ApplicationFailure.nonRetryable(`invalid return request: ${JSON.stringify(problems)}`, 'INVALID_REQUEST');

  const session = new CaseSession(input.caseId, policy, input.openedBy, input.customer.id);
  const requested: Line[] = request.lines.map((l) => ({ sku: l.sku, quantity: l.quantity }));
  let proposal: AgentProposal | undefined;
  let consent: boolean | undefined;
  /** What the customer said with their answer: on the step, for the agents (and the customer) to read. */
  let consentComment: string | undefined;
  /** Staff who entered the customer's answer or shipment for them (a phone call): the step's actor. */
  let consentBy: Actor | undefined;
  let shipmentBy: Actor | undefined;
  let shipment: ReturnShipment | undefined;
  let arrival: ArrivalScan | undefined;
  let inspection: InspectionReport | undefined;

  setHandler(courierEvent, () => undefined); // tracking events are recorded by the API; the scan decides arrival
  setHandler(arrivalScanned, (scan) => void (arrival ??= scan));
  setHandler(propose, (p) => ((proposal = p), session.taken()), { validator: (p) => validateProposal(session, request, p) });
  setHandler(answerProposal, (a) => ((consent = a.accept), (consentComment = a.comment), (consentBy = a.by), session.taken()), {
    validator: (_a) => session.requireStage('AWAITING_CUSTOMER_CONSENT'),
  });
  // Histories from before it never hold this update: every wait below ends on it only when it came.
  const withdrawal = session.takeWithdrawalAt(WITHDRAWABLE);
  let shippedAt = 0;
  const returnParcel = new ReturnParcel(session, () => !!arrival);
  returnParcel.handleShipments(rules.returnArrivalDays, (s, by) => ((shipment = s), (shipmentBy = by), (shippedAt = Date.now())));
  setHandler(reportInspection, (r) => ((inspection = r), session.taken()), {
    validator: (r) => {
      session.requireStage('AWAITING_INSPECTION');
      const problems = [...inspectionProblems(order, r.lines), ...returnShippingProblems(r)];
      if (problems.length) throw invalidSentences(problems);
    },
  });

  // --- opened: the same-day solution deadline starts now ---
  const solutionDueAt = solutionDeadline(policy, input.openedAt);
  await session.step('OPENED', { status: 'OPEN', deadlines: { solutionDueAt }, data: { lines: request.lines } });
  await session.notify('caseOpenedSolutionBy', { caseId: input.caseId, solutionDueAt });
  let solved = false;
  void session.watchSolutionDeadline(solutionDueAt, () => solved, { openedAt: input.openedAt, solutionDueAt, businessHours: policy.businessHours });

  // --- approval: policy first, an agent when policy cannot decide ---
  const rulesV2 = patched(RETURN_RULES_V2_PATCH);
  const automatic = decideReturnApproval(policy, order, request, Date.now(), { noReasonWindow: rulesV2 ? 'CALENDAR_DAYS' : 'ELAPSED_DAYS' });
  if (automatic.outcome === 'NEEDS_AGENT') {
    await session.enter('AWAITING_DECISION', 'NEEDS_AGENT', { status: 'OPEN', decision: automatic });
    await session.waitWithReminders(() => !!proposal || !!withdrawal(), 'DECISION_REMINDER');
    const w = withdrawal();
    if (w && !proposal) return withdrawn(w);
  }
  solved = true;
  const approved = proposal ? proposal.decision === 'APPROVE' : automatic.outcome === 'APPROVE';
  const lines: Line[] = proposal?.lines ?? requested;
  await session.step('SOLUTION_PROPOSED', {
    actor: proposal ? actorName(proposal.by) : 'system',
    decision: proposal ? session.decision('agentDecision', { lines, reason: proposal.reason }, proposal.decision) : automatic,
  });
  if (!approved) {
    await session.enter('CLOSED', 'REJECTED', { status: 'CLOSED', closeReason: 'REJECTED' });
    // The rule's reason in the customer's language (domain/decision-reasons.ts); an agent's as typed.
    await session.notify('returnRejected', { reason: proposal?.reason ?? String(decisionReason(automatic, input.customer.locale) ?? automatic.rule) });
    return 'REJECTED';
  }

  // A proposal that differs from what the customer asked needs the customer's consent (004 §四.4).
  // Cases from before the patch keep the JSON comparison (replay: histories/return-refund-v3-reordered-approval-DECLINED.pb).
  const changed = patched(APPROVAL_LINES_ANY_ORDER_PATCH) ? !sameLines(lines, requested) : JSON.stringify(lines) !== JSON.stringify(requested);
  if (changed) {
    const consentDueAt = Date.now() + hours(rules.proposalAcceptanceHours);
    await session.enter('AWAITING_CUSTOMER_CONSENT', 'CONSENT_REQUESTED', { status: 'WAITING_CUSTOMER', deadlines: { consentDueAt } });
    // What declining and silence do, said in the message (the case view says it too: domain/waiting.ts).
    // With the agent's reason when one was given (without its closing stop: the message adds its own).
    const reason = proposal?.reason?.trim().replace(/[。.！!]+$/u, '');
    if (reason) await session.notify(rules.proposalDefaultAccept ? 'returnProposalWithReasonSilenceAccepts' : 'returnProposalWithReasonSilenceDeclines', { lines, reason, answerBy: consentDueAt });
    else await session.notify(rules.proposalDefaultAccept ? 'returnProposalSilenceAccepts' : 'returnProposalSilenceDeclines', { lines, answerBy: consentDueAt });
    const answered = await waitUntil(() => consent !== undefined || !!withdrawal(), consentDueAt);
    const w = withdrawal();
    if (w && consent === undefined) return withdrawn(w);
    const accepted = answered ? consent === true : rules.proposalDefaultAccept;
    await session.step(answered ? 'CONSENT_ANSWERED' : 'CONSENT_TIMED_OUT', {
      ...(answered ? { actor: answeredBy(consentBy, input.customer.id) } : {}),
      data: { accepted, ...(answered && consentComment ? { comment: consentComment } : {}) },
      decision: answered ? undefined : session.decision('proposalDefaultAccept', { consentDueAt }, accepted ? 'ACCEPT' : 'DECLINE'),
    });
    if (!accepted) {
      await session.enter('CLOSED', 'DECLINED', { status: 'CLOSED', closeReason: 'DECLINED' });
      // Closed with nothing refunded: said so, not "completed" (caseClosed).
      await session.notify(answered ? 'returnProposalDeclined' : 'returnProposalLapsed', { caseId: input.caseId });
      return 'DECLINED';
    }
  }

  // --- the customer ships the return (reminder before the deadline, closed after it) ---
  const shipBy = session.customerShipDeadline(rules.customerShipReturnDays);
  const shipDueAt = shipBy.dueAt;
  // Where to and by when, on the step too: the storefront shows its customer the case, not the message.
  // Who pays for the parcel back: the shop where any approved line comes back through its fault (domain/return-postage.ts).
  const postage = returnPostage(request.lines.filter((l) => lines.some((a) => a.sku === l.sku)));
  const returnTo = { returnCode: input.caseId, shipBy: shipDueAt, ...returnAddressField(input.returnAddress), postage };
  await session.enter('AWAITING_RETURN_SHIPMENT', 'RETURN_APPROVED', { status: 'WAITING_CUSTOMER', deadlines: { shipDueAt }, data: returnTo });
  // The message's name and parameters only (who pays the postage, since): no command changes. The
  // patch is asked where it always was (its marker's place in the history).
  if (patched(SEND_BACK_TOLD_PATCH)) await session.notify('returnApprovedWithPostage', { lines, shipBy: shipDueAt, ...returnAddressField(input.returnAddress), returnCode: input.caseId, postage });
  else await session.notify('returnApprovedWithLines', { lines, shipBy: shipDueAt, ...returnAddressField(input.returnAddress) });
  const scanEndsShipmentWait = patched(SCAN_BEFORE_SHIPMENT_PATCH);
  const sentOrArrived = () => !!shipment || (scanEndsShipmentWait && !!arrival);
  const settled = () => sentOrArrived() || !!withdrawal();
  if (!(await waitUntil(settled, shipBy.reminderAt(rules.returnShipReminderBeforeHours)))) {
    // Woken only after the deadline itself (the worker was down through both): a reminder now would
    // name a time already past, a second before the case closes. Sent as before in older runs.
    const deadlinePassed = Date.now() >= shipDueAt && patched(LATE_SHIP_REMINDER_PATCH);
    if (!deadlinePassed) await session.notify('shipReminder', { shipBy: shipDueAt });
    if (!(await waitUntil(settled, shipDueAt))) {
      await session.enter('CLOSED', 'NOT_SHIPPED', {
        status: 'CLOSED',
        closeReason: 'NOT_SHIPPED',
        decision: session.decision('customerShipReturnDays', { shipDueAt, days: rules.customerShipReturnDays }, 'CLOSE'),
      });
      await session.notify('closedNotShipped', {});
      return 'NOT_SHIPPED';
    }
  }
  const w = withdrawal();
  if (w && !sentOrArrived()) return withdrawn(w);
  // Scanned before the customer said it was sent: the parcel is the one the warehouse holds (the
  // arrival wait below is over at once, so no courier is asked about it).
  const parcel: ReturnShipment = shipment ?? { carrier: '', trackingNumber: arrival!.trackingNumber ?? '' };

  // --- waiting for the parcel at the warehouse: chase the courier when late, lost after the final deadline ---
  const arrivalDueAt = Date.now() + days(rules.returnArrivalDays);
  const chaseAt = Date.now() + days(rules.returnArrivalChaseAfterDays);
  await session.enter('AWAITING_ARRIVAL', 'RETURN_SHIPPED', {
    status: 'WAITING_WAREHOUSE',
    deadlines: { arrivalDueAt },
    ...(shipment
      ? { actor: answeredBy(shipmentBy, input.customer.id), data: { ...parcel } }
      : { actor: `warehouse:${arrival!.scannedBy}`, data: { scannedBeforeShipment: true, ...(arrival!.trackingNumber ? { trackingNumber: arrival!.trackingNumber } : {}), ...(arrival!.returnCode ? { returnCode: arrival!.returnCode } : {}) } }),
  });
  // The customer may correct a mistyped number from here until the parcel arrives (workflows/return-parcel.ts).
  returnParcel.follow(shipment, arrivalDueAt, input.customer.id);
  const followed = () => returnParcel.current ?? parcel;
  if (!(await waitUntil(() => !!arrival, chaseAt))) {
    const { carrier, trackingNumber } = followed();
    const trace = await activities.trackParcel({ carrier, trackingNumber });
    await session.step('COURIER_CHASED', { data: { trace: trace.status }, decision: session.decision('returnArrivalChaseAfterDays', { chaseAt }, 'CHASE') });
  }
  let received: InspectedLine[];
  // Set when the return parcel was lost and an agent refunded anyway: the refund counts the lines as
  // received in order, but nothing reached the warehouse, so the return note restocks nothing.
  let parcelLost = false;
  // Set when an agent refunded a count mismatch as requested: what the warehouse counted, for the return note.
  let counted: InspectedLine[] | undefined;
  if (!(await waitUntil(() => !!arrival, arrivalDueAt))) {
    const claimedMinor = valueOf(order, lines);
    const lost = followed();
    let claimRef: Record<string, unknown>;
    if (patched(CLAIM_PROCESS_PATCH)) {
      const claim = await startChild(courierClaim, {
        workflowId: claimWorkflowId(input.caseId, lost.trackingNumber),
        parentClosePolicy: ParentClosePolicy.ABANDON, // the carrier may answer long after the case closed
        args: [
          {
            caseId: input.caseId,
            carrier: lost.carrier,
            trackingNumber: lost.trackingNumber,
            amountMinor: claimedMinor,
            currency: order.currency,
            reason: LOST_PARCEL_CLAIM.returnInTransit,
            evidenceUrls: request.evidenceUrls ?? [],
            shippedAt,
            contract: { ...DEFAULT_CARRIER_CONTRACT },
            contractSource: 'DEFAULT',
            policyVersion: policy.version,
          },
        ],
      });
      claimRef = { claimWorkflowId: claim.workflowId };
    } else {
      const claim = await activities.fileCourierClaim({
        caseId: input.caseId,
        stepKey: session.key('lost-return-claim'),
        carrier: lost.carrier,
        trackingNumber: lost.trackingNumber,
        amountMinor: claimedMinor,
        currency: order.currency,
        reason: 'return parcel lost in transit',
        evidenceUrls: request.evidenceUrls ?? [],
      });
      claimRef = { claimId: claim.claimId };
    }
    // The customer is not made to wait for the claim: an agent decides now.
    const resolution = await session.waitForAgent('PARCEL_LOST', {
      data: { ...claimRef, claimedMinor },
      decision: session.decision('returnArrivalDays', { arrivalDueAt, days: rules.returnArrivalDays }, 'LOST'),
    });
    if (resolution.action === 'CLOSE') return session.closeByAgent(resolution);
    received = asIfReceived(lines);
    parcelLost = true;
  } else {
    const inspected = await inspect();
    if ('close' in inspected) return session.closeByAgent(inspected.close);
    received = inspected.lines;
    counted = inspected.counted;
  }

  // --- refund what actually came back, by the refund deadline ---
  const earlier = rulesV2
    ? await activities.refundedOnOrder({ caseId: input.caseId, merchantId: input.merchantId, orderId: order.orderId, currency: order.currency })
    : { amountMinor: 0, shippingRefunded: false };
  const approvedOnly = patched(REFUND_APPROVED_ONLY_PATCH);
  // The same inputs the case view's agentRefunds gives the rule (domain/count-mismatch-refunds.ts).
  const refund = computeRefund(order, returnRefundInspection(request, received, lines, earlier, { rulesV2, approvedOnly }), policy);
  const refundDueAt = Date.now() + hours(rules.refundHours);
  await session.enter('REFUNDING', 'REFUND_DECIDED', { status: 'OPEN', deadlines: { refundDueAt }, decision: refund.decision });
  let refundedMinor = 0;
  if (refund.amountMinor > 0) {
    refundedMinor = await refundToCustomer(session, { caseId: input.caseId, merchantId: input.merchantId, order, amountMinor: refund.amountMinor, reason: 'return and refund', lines: (paid) => refundLinesPaid(refund, paid).map((b) => ({ ...b })) });
  } else if (refund.decision.values.goodsMinor === 0 && patched(NOTHING_REFUNDED_TOLD_PATCH)) {
    // Only when the inspection excluded every line: a refund cut to nothing because the order was
    // refunded already by its other cases is not the inspection's doing, and its message would say it was.
    await session.notify('nothingRefunded', { lines: received.map((l) => ({ sku: l.sku, receivedQuantity: l.receivedQuantity, condition: l.condition })) });
  } else if (Number(refund.decision.values.goodsMinor) > 0 && patched(RETURN_NOTHING_LEFT_TOLD_PATCH)) {
    await session.notify('refundNothingLeft', {});
  }
  // The note records what the warehouse counted, also when the agent refunded as requested: goods
  // that never arrived go back into no stock, and are not recorded as received in good condition.
  const noted = counted ?? received;
  const restocked = restockedQuantities(noted, approvedOnly ? lines : undefined);
  await activities.appendLedger({
    caseId: input.caseId,
    stepKey: session.key('ledger:return-note'),
    kind: 'RETURN_NOTE',
    amountMinor: 0,
    currency: order.currency,
    // Like the take-back and refund-after-shipping return notes: only goods back in sellable
    // condition (OK) go back into stock; damaged or missing ones move none, nor (since
    // REFUND_APPROVED_ONLY_PATCH) units beyond those approved, which are not refunded. Changing these
    // lines changes only the activity's input, not the commands, so cases already running replay as before.
    lines: noted.map((l, i) => ({ sku: l.sku, quantity: l.receivedQuantity, condition: l.condition, stockDelta: parcelLost ? 0 : restocked[i]! })),
  });
  if (!parcelLost) await bookReturnShipping(session, input.caseId, order.currency, inspection?.returnShippingPaidMinor);
  // Less than decided when another case of the order was paid at the same moment: said, with both amounts.
  await session.enter('RESOLVED', 'RESOLVED', { status: 'RESOLVED', refundedAmountMinor: refundedMinor, ...(Date.now() > refundDueAt ? { late: true } : {}), ...session.refundShortOf('refundReceivedGoods', refund.amountMinor, refundedMinor) });
  return session.revisit();

  /** The customer took the request back before anything was sent or refunded: closed, and told so. */
  async function withdrawn(w: Withdrawal): Promise<'WITHDRAWN'> {
    solved = true;
    return session.closeWithdrawn(w, 'requestWithdrawn');
  }

  /** Arrival → inspection per line within its deadline; a counting mismatch goes to an agent, who may close the case. */
  async function inspect(): Promise<{ lines: InspectedLine[]; counted?: InspectedLine[] } | { close: AgentResolution }> {
    const inspectionDueAt = Date.now() + hours(rules.inspectionHours);
    await session.enter('AWAITING_INSPECTION', 'ARRIVED', { ...(arrival ? { actor: `warehouse:${arrival.scannedBy}` } : {}), status: 'WAITING_WAREHOUSE', deadlines: { inspectionDueAt }, data: { ...arrival } });
    await session.notify('parcelReceived', {});
    if (!(await waitUntil(() => !!inspection, inspectionDueAt))) {
      await session.step('INSPECTION_LATE', { late: true, escalated: true, decision: session.decision('inspectionHours', { inspectionDueAt }, 'LATE') });
      await session.waitWithReminders(() => !!inspection, 'INSPECTION_REMINDER');
    }
    const report = inspection!;
    await session.step('INSPECTED', { actor: `warehouse:${report.by}`, data: { lines: report.lines, by: report.by, ...paidForReturn(report) } });
    const announced = request.lines.filter((l) => lines.some((a) => a.sku === l.sku)).map((l) => ({ ...l, quantity: lines.find((a) => a.sku === l.sku)!.quantity }));
    const mismatch = detectCountMismatch({ ...request, lines: announced }, report.lines);
    // Not what was asked back: the customer is told an agent looks into it before the refund (the
    // message's name and words only: the same notification, no command changes).
    await session.notify(mismatch.length ? 'inspectionMismatch' : 'inspectionResult', { lines: report.lines });
    if (mismatch.length === 0) return { lines: report.lines };
    // Counting mismatches belong to the missing / wrong-item procedure (docs/after-sales.md §2, §4): an agent decides for now.
    const resolution = await session.waitForAgent('COUNT_MISMATCH', { data: { mismatch } }, closeKeepingGoodsRefused(report.lines));
    if (resolution.action === 'CLOSE') return { close: resolution };
    // Refunded as if all came back; the return note keeps what was counted.
    if (resolution.action === 'REFUND_REQUESTED') return { lines: asIfReceived(lines), counted: report.lines };
    return { lines: report.lines };
  }
}

function validateProposal(session: CaseSession, request: ReturnRequest, p: AgentProposal): void {
  session.requireStage('AWAITING_DECISION');
  // Every problem of the proposal at once: the agent fixes them in one round.
  const problems: Array<{ field: string; reason: string }> = [];
  if (p.decision !== 'APPROVE' && p.decision !== 'REJECT') problems.push({ field: 'decision', reason: 'decision must be APPROVE or REJECT' });
  if (p.decision === 'REJECT' && !p.reason?.trim()) problems.push({ field: 'reason', reason: 'a rejection needs a reason' });
  // Lines with a rejection read as "reject these": it rejects the whole request, and the lines were kept on it unread.
  if (p.decision === 'REJECT' && p.lines?.length) problems.push({ field: 'lines', reason: 'a rejection takes no lines: it rejects the whole request (to refuse some lines, approve the others)' });
  else (p.lines ?? []).forEach((line, i) => {
    const asked = request.lines.find((l) => l.sku === line.sku);
    if (!asked) return void problems.push({ field: `lines[${i}].sku`, reason: `line ${line.sku} is not part of the return request` });
    // Each line checked alone, two lines of one SKU would approve more than was asked for.
    if (p.lines!.findIndex((l) => l.sku === line.sku) !== i) problems.push({ field: `lines[${i}].sku`, reason: `line ${line.sku} appears twice: one line per SKU` });
    if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > asked.quantity) problems.push({ field: `lines[${i}].quantity`, reason: `quantity for ${line.sku} must be 1…${asked.quantity}` });
  });
  if (problems.length) throw invalidSentences(problems);
}

function valueOf(order: OrderSnapshot, lines: Line[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * (order.items.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0), 0);
}
