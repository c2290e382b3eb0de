/** Reading cases, and what customers, the warehouse and agents tell a case's workflow. */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { ApiApp } from '../typed-app.js';
import {
  answerProposal,
  answerRevisit,
  arrivalScanned,
  assign,
  clearEscalation,
  escalate,
  propose,
  reportInspection,
  resolveByAgent,
  submitReturnShipment,
  withdrawRequest,
  takesSignal,
} from '../../workflows/contract.js';
import { caseInputs } from '../../db/case-inputs.js';
import { UnknownCursor } from '../../db/case-queue.js';
import { inputTimeline } from '../../domain/case-inputs.js';
import { refundsOwedAtReopen, refundsSentBack } from '../../domain/refunds-owed.js';
import { evidenceKinds } from '../../domain/evidence.js';
import { approvedLinesOf } from '../../domain/goods-lines.js';
import { offerAt } from '../../domain/offer.js';
import { callerName, principalOf } from '../auth.js';
import { caseFieldsForCustomer, evidenceForCustomer, customerLocaleOf, isCustomerFacing, readerOf, STAFF_ONLY_FILTERS, timelineForCustomer, waitingForRole } from '../customer-view.js';
import { CaseDetail, CaseInputs, CasePage, EvidenceAdded, NoteAdded } from '../responses.js';
import { afterTaken, ArrivalReply, caseAsItIs, CommandReply, InspectionReply, runUpdate, sendSignal, unlessAnsweredAlready } from '../commands.js';
import { actorOf, caseView, CUSTOMER_ANSWER_BY_STAFF, CUSTOMER_ANSWER_ROLES, enteredFor, orderView, solutionDeadlineView, stepName, visibleCase, type ApiDeps } from '../context.js';
import { assertAssignee } from '../assignees.js';
import { ownMerchant } from '../report-merchant.js';
import { ApiError, badRequest, conflict, notFound } from '../errors.js';
import type { CaseSummary, Principal } from '../../db/repositories.js';
import type { Policy } from '../../domain/index.js';
import { withdrawClaimOfParcelBack } from '../claim-withdrawal.js';
import { withdrawableNow, withdrawableStages } from '../../domain/withdrawal.js';
import { alreadyArrived, arrivingCase, assertLoanParcelNamed, assertLoanScan, assertReturnExpected, assertReturnParcel, parcelHoldReason } from '../return-parcels.js';
import { heldParcelView } from '../held-parcels.js';
import { heldParcelMessage } from '../../domain/held-parcels.js';
import { agentActions, agentWaitWhat, currentAgentWait, isSupervisorsAction } from '../../domain/waiting.js';
import { escalationView } from '../escalation-view.js';
import { agentRefunds, workflowPatches } from '../agent-refunds.js';
import { OneAtATime } from '../one-at-a-time.js';
import {
  ArrivalBody,
  AssignmentBody,
  CaseParams,
  EscalationBody,
  EscalationClearedBody,
  EvidenceBody,
  InspectionBody,
  ListQuery,
  NoteBody,
  ProposalAnswerBody,
  ProposalBody,
  ResolutionBody,
  ReturnShipmentBody,
  RevisitBody,
  WithdrawalBody,
} from '../schemas.js';

const STAFF = ['AGENT', 'SUPERVISOR', 'ADMIN'] as const;
/** Arrival scans by case, in this API process (api/one-at-a-time.ts says what that does not cover). */
const arrivals = new OneAtATime();

/** The filters a case leaves as it moves on: not taken by the sync order (order=updated). */
const SYNC_MOVING_FILTERS = ['status', 'stage', 'open', 'late', 'escalated', 'stuck', 'refundReturned', 'refundPendingLong', 'assigneeId', 'mine', 'q'] as const;

/** What a customer said with an answer, as its step keeps it and as sent again: the same words, spaces aside. */
const sameWords = (kept: unknown, sent: string | undefined) => (typeof kept === 'string' ? kept : '').trim() === (sent ?? '').trim();

/**
 * Whether the case has this return parcel on record: read from the read model, where the first
 * click's step may land a moment after the second click was refused (waits up to 2 s for it).
 */
async function returnRecorded(deps: ApiDeps, caseId: string, trackingNumber: string): Promise<boolean> {
  for (let waited = 0; waited <= 2_000; waited += 50) {
    const c = await deps.repos.caseById(caseId);
    if (c?.returnTrackingNumber === trackingNumber) return true;
    if (!c || c.stage !== 'AWAITING_RETURN_SHIPMENT') return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

/**
 * The customer a customer token is for: its list is theirs alone, never the merchant's whole list.
 * A customer id is the merchant's name for its customer, so the token's merchant bounds it too.
 */
function ownCustomer(p: Principal): string {
  if (!p.customerId || !p.merchantId) throw new ApiError(403, 'FORBIDDEN', 'this token is bound to no customer of a merchant');
  return p.customerId;
}

/** Whether an INSPECTED step's data is this report: the same lines in the same order, and the same freight paid. */
function sameInspection(d: Record<string, unknown>, r: { lines: Array<{ sku: string; receivedQuantity: number; condition: string }>; returnShippingPaidMinor?: number }): boolean {
  const lines = Array.isArray(d.lines) ? (d.lines as Array<Record<string, unknown>>) : [];
  return d.returnShippingPaidMinor === r.returnShippingPaidMinor && lines.length === r.lines.length && lines.every((l, i) => l.sku === r.lines[i]!.sku && l.receivedQuantity === r.lines[i]!.receivedQuantity && l.condition === r.lines[i]!.condition);
}

export function caseRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/cases/:caseId', { config: { roles: ['CUSTOMER', 'STOREFRONT', 'WAREHOUSE', ...STAFF] }, schema: { response: { 200: CaseDetail }, tags: ['cases'], summary: 'A case: status, stage, deadlines, the order it was opened with, timeline', description: 'A customer token or a storefront key reads it without the staff’s internal notes, assignments, escalations, reminders and findings, without an agent’s own deadline (`agentDueAt`: while a case handed to an agent waits at AWAITING_AGENT, `nextDeadlineAt` and `waitingFor.deadlineAt` read null for them; the solution deadline is theirs) (root causes, accountability; `escalated` and `stuck` read false), staff named by role only (`agent`, `warehouse`), no assignee, an agent’s closing as one step (`CLOSED_BY_AGENT` by `agent`, with what they wrote for the customer as `customerMessage`, where staff read `AGENT_RESOLVED` then `CLOSED_BY_AGENT`), each step’s data cut to parcels, dates, the goods line by line and what was decided for them (no costs, courier claims or staff) and, on the OPENED step, what the customer gave (a complaint’s category, channel and `relatedCaseId`; a refund’s or exchange’s reason), and each decision as rule, outcome and policy version (a lost parcel’s cause, `lostParcelCause`, reads `LOST` whether the shop claims it from the courier or holds its own warehouse to account) with, of the values it weighed, only what the customer is offered and why (the goods approved or sent, a discount, a price difference, a refund and what it came to, how a refund of returned goods is made up — goodsMinor, shippingMinor, cappedMinor, excluded lines —, a late delivery’s daysLate and compensationMinor, the remedies offered (options; EXCHANGE and RETURN_REFUND are remedy-choice’s RESHIP and REFUND), the reason given). For them the reasons the platform’s rules give, `solutionDeadline.explanation` and `waitingFor.what` are in the case’s `customerLocale` (Chinese for zh-CN, English for en); a reason an agent or a carrier wrote reads as written. A customer token reads `waitingFor.command` only where the wait is theirs (`party` CUSTOMER), null where another party acts (the warehouse, an agent, the storefront, the courier: calls it cannot make). Staff read everything, in English.', params: CaseParams } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // The customer, and the storefront showing the case to them, read it in the customer's language; the staff in English.
    const customerFacing = isCustomerFacing(principalOf(request).role);
    const reader = readerOf(principalOf(request).role, c);
    const [timeline, evidence, policy, opened] = await Promise.all([deps.repos.timeline(c.id), deps.repos.evidence(c.id), deps.repos.policyVersion(c.merchantId, c.policyVersion), deps.repos.caseDetails(c.id)]);
    const offer = offerAt(c.stage, timeline);
    const view = {
      // With the case's own policy version: what silence does at a consent is said outright; at a choice, only the remedies offered.
      ...caseView(c, reader, policy?.rules, offer?.kind === 'CHOICE' ? offer.remedies : undefined),
      order: orderView(opened.orderSnapshot),
      solutionDeadline: solutionDeadlineView(policy, c, reader),
      timeline: timeline.map(({ stepKey: _, ...e }) => ({ ...e, at: e.at.toISOString(), name: stepName(e.kind, reader) })),
      evidence: evidence.map((e) => ({ ...e, at: e.at.toISOString() })),
      approvedLines: approvedLinesOf(timeline),
      offer,
      withdrawable: withdrawableNow(c, timeline.map((e) => e.kind)),
      escalation: escalationView(c.escalated, opened.escalatedBy, timeline),
    };
    // Internal notes and who on the staff did what stay with the staff (api/customer-view.ts).
    if (!customerFacing) {
      const [held, refunds] = await Promise.all([deps.repos.heldParcels.ofCase(c.id), agentRefunds(deps.repos, (id) => workflowPatches(deps.temporal, id), c, opened, timeline, policy)]);
      return { ...view, waitingFor: payFirstAtReopen(c, timeline, atAgentWait(c, timeline, view.waitingFor)), heldParcels: held.map(heldParcelView), agentRefunds: refunds };
    }
    return { ...caseFieldsForCustomer(view), waitingFor: waitingForRole(principalOf(request).role, view.waitingFor), escalation: null, timeline: timelineForCustomer(view.timeline, customerLocaleOf(c)), evidence: evidenceForCustomer(view.evidence) };
  });

  // What came in from outside, for the policy what-if (README: Recorded inputs). The merchant's
  // supervisors and admins only: the arguments hold customers' orders and everyone's messages.
  app.get('/v1/cases/:caseId/inputs', { config: { roles: ['SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: CaseInputs }, tags: ['supervisor'], summary: 'What came into a case from outside, as sent: the opening, every update and signal (accepted or refused), each with its offset from the opening', params: CaseParams } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const recorded = await caseInputs(deps.repos.db, c.id);
    const openedAt = recorded.find((i) => i.via === 'START')?.at ?? c.createdAt.getTime();
    const timeline = inputTimeline(recorded, openedAt);
    return {
      caseId: c.id,
      policyVersion: c.policyVersion,
      openedAt: new Date(openedAt).toISOString(),
      inputs: recorded.map((i, n) => ({ seq: i.seq, at: new Date(i.at).toISOString(), afterMs: timeline[n]!.afterMs, via: i.via, kind: i.kind, workflowId: i.workflowId, arg: i.arg, sender: i.sender, requestId: i.requestId, outcome: i.outcome, reason: i.reason })),
    };
  });

  // A storefront lists its merchant's cases too, to show its customers where their cases are and to
  // sync them (order=updated); a customer token lists its customer's own cases ("my after-sales"
  // in a shop's app, straight from the customer's device). Each item is what GET /v1/cases/{caseId}
  // shows them of the case: the row without who has it, whether it was escalated or is stuck
  // (api/customer-view.ts) — the other fields (stage, deadlines, amounts, what it waits for) they
  // read there already.
  app.get(
    '/v1/cases',
    {
      config: { roles: [...STAFF, 'STOREFRONT', 'CUSTOMER'] },
      schema: {
        response: { 200: CasePage },
        tags: ['agent', 'storefront', 'customer'],
        summary: 'List, filter and search cases: newest first, the work queue most urgent first, or by last change to sync them (keyset paging)',
        description:
          'A storefront key lists its merchant’s cases as GET /v1/cases/{caseId} shows them to it (no assignee; `escalated` and `stuck` read false) and may not filter by `mine`, `assigneeId`, `escalated` or `stuck`. For them each item’s `waitingFor.what` is in the case’s `customerLocale`, as there. A customer token (POST /v1/customer-tokens) lists its own customer’s cases at its merchant, shown and filtered as for the storefront but for `waitingFor.command`, which it reads only where the wait is theirs (null otherwise, as in GET /v1/cases/{caseId}); a `customerId` naming another customer, and the sync order, are refused. To sync: `order=updated`, following `nextCursor` until it is null; keep the last page’s `syncCursor` and start the next sync with it as `cursor` (the first sync may start from `updatedAfter`). In the sync order only filters a case never leaves are taken (`orderId`, `customerId`, `type`, `reference`, `createdFrom`, `createdTo`, `updatedAfter`): a case that left a filter like `open` would never be listed again.',
        querystring: ListQuery,
      },
    },
    async (request) => {
      const p = principalOf(request);
      const q = request.query;
      const customerFacing = isCustomerFacing(p.role);
      const staffOnly = customerFacing ? STAFF_ONLY_FILTERS.find((f) => q[f] !== undefined) : undefined;
      const caller = p.role === 'CUSTOMER' ? 'a customer token' : 'a storefront key';
      if (staffOnly) throw badRequest(`querystring.${staffOnly}`, `is for the merchant’s staff: ${caller} may not filter by it`);
      if (p.role === 'CUSTOMER' && q.customerId !== undefined && q.customerId !== p.customerId) throw badRequest('querystring.customerId', 'names another customer: a customer token lists its own cases (leave customerId out)');
      // The sync order's cursor carries the database's transaction counter, which tells how busy the
      // whole platform is: an integration (the storefront) syncs, a customer's app lists.
      if (p.role === 'CUSTOMER' && q.order === 'updated') throw badRequest('querystring.order', 'updated is the storefront’s sync order: a customer token lists its cases newest first (leave order out)');
      if (q.mine && q.assigneeId && q.assigneeId !== p.id) throw badRequest('querystring.assigneeId', 'names someone else: leave it out with mine=true');
      // With another order a sync would miss changes: a case read on an early page that changes
      // again stays where it was, behind the client, while its updatedAt passes the next sync's start.
      if (q.updatedAfter && q.order !== 'updated') throw badRequest('querystring.updatedAfter', 'starts a sync: send it with order=updated');
      // An empty range from swapped bounds looks like "no cases" to the caller.
      if (q.createdFrom && q.createdTo && Date.parse(q.createdFrom) > Date.parse(q.createdTo)) throw badRequest('querystring.createdFrom', `is after createdTo (${q.createdTo}): the range is empty`);
      // A sync lists a case when it changes: filtered by something the case leaves (open, a stage),
      // it would drop out at that very change and the client would never hear of it again.
      const moving = q.order === 'updated' ? SYNC_MOVING_FILTERS.find((f) => q[f] !== undefined) : undefined;
      if (moving) throw badRequest(`querystring.${moving}`, 'changes as the case moves on, so a sync filtered by it would miss the change that takes a case out of it: with order=updated filter only by orderId, customerId, type, reference, createdFrom, createdTo or updatedAfter');
      // An admin naming a merchant that does not exist hears so, rather than an empty list.
      if (p.role === 'ADMIN' && q.merchantId && !(await deps.repos.merchant(q.merchantId))) throw notFound('merchant');
      const page = await deps.repos
        .listCases({
          merchantId: p.role === 'ADMIN' ? q.merchantId : ownMerchant(p, q.merchantId, 'cases'),
          status: q.status,
          type: q.type,
          stage: q.stage,
          late: q.late,
          escalated: q.escalated,
          stuck: q.stuck,
          refundReturned: q.refundReturned,
          refundPendingLong: q.refundPendingLong,
          reference: q.reference,
          // "Mine": what the API records as the actor of this key's commands (api/context.ts actorOf).
          assigneeId: q.mine ? p.id : q.assigneeId,
          // A customer token is its customer's, at its merchant (merchantId above): their cases only.
          customerId: p.role === 'CUSTOMER' ? ownCustomer(p) : q.customerId,
          createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
          createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
          updatedAfter: q.updatedAfter ? new Date(q.updatedAfter) : undefined,
          orderId: q.orderId,
          open: q.open,
          search: q.q || undefined,
          order: q.order,
          cursor: q.cursor,
          limit: q.limit ?? 50,
        })
        .catch((err: unknown) => {
          throw err instanceof UnknownCursor ? badRequest('querystring.cursor', err.reason) : err;
        });
      // Each item's waitingFor.what in its case's customer locale for them, as GET /v1/cases/{caseId} says it —
      // at a consent with what silence does, from the case's policy version (few on a page: read once each).
      const rules = await consentRules(deps, page.items);
      const items = page.items.map((c) => {
        const view = caseView(c, readerOf(p.role, c), rules.get(`${c.merchantId}:${c.policyVersion}`));
        return { ...view, waitingFor: waitingForRole(p.role, view.waitingFor) };
      });
      return { items: customerFacing ? items.map(caseFieldsForCustomer) : items, nextCursor: page.nextCursor ?? null, ...(q.order === 'updated' ? { syncCursor: page.syncCursor ?? null } : {}) };
    },
  );

  // ---- the customer's answers (sent by the customer, their storefront, or staff entering what the customer said) ----
  app.post('/v1/cases/:caseId/return-shipment', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: 'The customer sent the return: carrier and tracking number', description: 'Taken at AWAITING_RETURN_SHIPMENT. Sent again at AWAITING_ARRIVAL, before the parcel arrived, it corrects a mistyped carrier or number: the case follows the new parcel (the courier is chased and a lost parcel claimed under it, the warehouse scan matches it, the old number no longer does), records RETURN_SHIPMENT_CORRECTED with the previous one, and keeps its arrival deadline. The parcel the case already follows, sent again, is answered with the case as it is. Goods that reached the warehouse before any number was given (scanned in by their return code, or taken in from the hold shelf) need none: 409 WRONG_STATE saying so. ' + CUSTOMER_ANSWER_BY_STAFF, params: CaseParams, body: ReturnShipmentBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    await assertReturnParcel(deps, c, request.body);
    return runUpdate(deps, request, c, submitReturnShipment, enteredFor(request, request.body)).catch(async (err: unknown) => {
      // The same parcel entered twice (a second click, a retry without an Idempotency-Key): the case
      // took it the first time, so it is answered as it is now, not refused for its stage.
      if (err instanceof WorkflowUpdateFailedError && (await returnRecorded(deps, c.id, request.body.trackingNumber))) return caseAsItIs(deps, request, c);
      // The goods reached the warehouse before any number was given (scanned in by their return code,
      // or taken in from the hold shelf): said so, not only that the case is past the stage.
      const shipped = err instanceof WorkflowUpdateFailedError ? await deps.repos.latestStepData(c.id, ['RETURN_SHIPPED']) : undefined;
      if (shipped?.scannedBeforeShipment === true) throw conflict(`the goods of case ${c.id} are at the warehouse already (scanned in before a tracking number was given): no tracking number is needed`);
      throw err;
    });
  });

  app.post('/v1/cases/:caseId/withdrawal', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: 'The customer withdraws a request (or a complaint) where the case takes it (its withdrawable): the case closes WITHDRAWN', description: `A return (RETURN_AND_REFUND) is withdrawn while an agent decides on it (AWAITING_DECISION), while it waits for the customer's consent (AWAITING_CUSTOMER_CONSENT) or for the return parcel (AWAITING_RETURN_SHIPMENT): nothing has been sent or refunded yet; the customer is told (message requestWithdrawn). Once the parcel is sent it is a 409 (the return goes on). A refund before shipping (REFUND_NOT_SHIPPED) is withdrawn while the merchant decides (AWAITING_MERCHANT): nothing was cancelled, so the order ships as it would have, and the customer is told so (message refundRequestWithdrawn); once the merchant answered, or its time ran out (silence approves the refund), it is a 409. An exchange (EXCHANGE_RESHIPMENT) is withdrawn while it waits for its price difference to be paid (AWAITING_PAYMENT: nothing was sent or paid yet; message exchangeWithdrawn). Goods asked back that the customer would rather keep — an exchange's old goods before the replacement went out, a quality problem's goods for a refund, replacement or repair, transit damage returned for a refund — are withdrawn while the case waits for them to be sent (AWAITING_RETURN_SHIPMENT): a price difference paid is refunded first (refundedAmountMinor), transit damage's courier claim is withdrawn (the shop lost nothing: CLAIM_WITHDRAWN on the timeline), and the customer is told (message requestWithdrawn); not where the customer has the replacement already, nor a wrong item's goods (the shop's): 409. A complaint (COMPLAINT) is withdrawn until it is answered (AWAITING_RESOLUTION, also once overdue: 撤销投诉, the problem went away or was settled elsewhere); the customer is told (message complaintWithdrawn); once resolved it is a 409 (a low revisit score reopens it instead). Each way the case closes (closeReason WITHDRAWN; step WITHDRAWN with the reason as its comment). Missing items (MISSING_ITEMS) until the warehouse has checked its records (AWAITING_WAREHOUSE_CHECK), a lost parcel (LOST_PARCEL) until the warehouse has confirmed its dispatch (AWAITING_DISPATCH_CONFIRMATION), a wrong item (WRONG_ITEM) until the warehouse has verified it (AWAITING_VERIFICATION) are withdrawn too (the goods turned up, or what came will do; message caseWithdrawn). Other case types never take it, nor these at other stages — a quality problem or transit damage still being assessed, say (409). The case view's withdrawable field says whether it is taken now. The same withdrawal sent again once taken (a second tap, a retry without an Idempotency-Key) is answered 200 with the case as it is; another reason after it is a 409. ${CUSTOMER_ANSWER_BY_STAFF}`, params: CaseParams, body: WithdrawalBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // Tapped twice (or retried without an Idempotency-Key): the second is answered as the first was.
    return unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, withdrawRequest, enteredFor(request, request.body)), {
      stages: withdrawableStages(c.type),
      asked: ['OPENED'],
      kinds: ['WITHDRAWN'],
      same: (d) => sameWords(d.comment, request.body.reason),
    });
  });

  app.post('/v1/cases/:caseId/proposal-answer', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: 'The customer accepts or declines a proposal that differs from the request', description: 'Taken at AWAITING_CUSTOMER_CONSENT. The same answer sent again once the case took it (a second tap, a retry without an Idempotency-Key) is answered 200 with the case as it is; a different answer after it is a 409: the first one stands. ' + CUSTOMER_ANSWER_BY_STAFF, params: CaseParams, body: ProposalAnswerBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const { accept, comment } = request.body;
    return unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, answerProposal, enteredFor(request, request.body)), {
      stages: ['AWAITING_CUSTOMER_CONSENT'],
      asked: ['CONSENT_REQUESTED', 'DISCOUNT_OFFERED'],
      kinds: ['CONSENT_ANSWERED', 'DISCOUNT_ANSWERED'],
      same: (d) => d.accepted === accept && sameWords(d.comment, comment),
    });
  });

  app.post('/v1/cases/:caseId/revisit', { config: { roles: [...CUSTOMER_ANSWER_ROLES] }, schema: { response: { 200: CommandReply }, tags: ['customer'], summary: "The customer's satisfaction revisit answer (score 1–5, comment)", description: 'Taken at AWAITING_REVISIT only. The revisit opens the policy’s `revisitAfterDays` (3 by default) after the case is RESOLVED: the case then moves to AWAITING_REVISIT (`waitingFor` names this command, `nextDeadlineAt` the answer’s deadline, `revisitAnswerDays` later) and the customer gets the `revisit` message; a storefront learns of it by syncing (GET /v1/cases?order=updated) or from the case-change stream (GET /v1/case-changes). Before that, a RESOLVED case waits for nobody (`waitingFor` null) and this command is a 409. A score of 1–2 reopens the case to an agent; 3–5 closes it; silence closes it as unanswered. An escalation, or a refund the customer’s bank sent back, while the revisit is out reopens the case to an agent instead: the revisit is withdrawn (a score then is a 409) and asked again once the agent resolves the case again. The same answer sent again once the case took it (a second tap, a retry without an Idempotency-Key) is answered 200 with the case as it is; a different answer after it is a 409: the first one stands. That holds within one revisit: once the case asks again (a low score reopened it and it was resolved again), the same score is taken as the answer to the new revisit, so a late retry of the first answer must carry its Idempotency-Key to be answered as the first. ' + CUSTOMER_ANSWER_BY_STAFF, params: CaseParams, body: RevisitBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const { score, comment } = request.body;
    return unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, answerRevisit, enteredFor(request, request.body)), {
      stages: ['AWAITING_REVISIT'],
      asked: ['REVISIT_SENT'],
      // A score of 3–5 closes the case, 1–2 reopens it: either step keeps the score and what was said.
      kinds: ['CLOSED_SATISFIED', 'REOPENED'],
      same: (d) => d.score === score && sameWords(d.comment, comment),
    });
  });

  app.post('/v1/cases/:caseId/evidence', { config: { roles: [...CUSTOMER_ANSWER_ROLES, 'WAREHOUSE'] }, schema: { response: { 201: EvidenceAdded }, tags: ['customer'], summary: 'Add evidence (photo or video URLs) to a case', description: 'Staff (an agent, supervisor or admin key) may add what the customer sent them (by e-mail or in a chat), the warehouse what it photographed (a parcel as it arrived, goods as unpacked): the evidence then names the key as who added it (the customer reads `agent` or `warehouse`).', params: CaseParams, body: EvidenceBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // Nobody reads a closed case's evidence again: taking it would tell the customer they had
    // appealed when nothing happens. A complaint about the case is how it is looked at again.
    if (c.status === 'CLOSED') throw conflict(`case ${c.id} is closed: it takes no more evidence (to have it looked at again, turn it into a complaint: POST /v1/cases/${c.id}/complaint)`);
    const body = request.body;
    const added = await deps.repos.addEvidence(c.id, body.urls, evidenceKinds(body.urls, body.kind), callerName(request));
    return reply.status(201).send({ caseId: c.id, added });
  });

  // ---- warehouse ----
  app.post('/v1/warehouse/arrivals', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 202: ArrivalReply }, tags: ['warehouse'], summary: 'Arrival scan of a returned parcel (by tracking number or return code)', description: 'A parcel for a case that takes none back (a complaint, a delay, a lost parcel, a refund before shipping — until it finds the order shipped and has the parcel brought back, then it takes that parcel as a refund after shipping does —, a tracking inquiry, missing items, a re-shipment without a loan product) is refused with 409 WRONG_STATE. A parcel its case does not wait for — scanned before the case asked for the goods back, or once it no longer waits for them (closed, resolved, refunded them as lost) — is put on the hold shelf instead of being recorded as the case’s arrival: the answer is the case as it is with `held` (why, when and by whom; `again` when it was on the shelf already), the case’s timeline gets PARCEL_HELD and its customer a message saying what becomes of the parcel (kept until their request is decided, sent back, or for the shop to decide), and `GET /v1/warehouse/held-parcels` lists the shelf with what each parcel waits for; once the case asks for the goods, the platform takes the parcel in by itself within seconds, as the scan that held it (its clerk and time; the hold ends SCANNED_IN with that said in its `endNote`; one parcel per case; the customer, just asked to send the goods, is told there is nothing to send), unless the customer reported another parcel’s number meanwhile or the case lent a loan product — then, or sooner, a clerk’s scan of it takes it in and off the shelf (its label alone names the case the shelf holds it for, though no case reported that number). A parcel a refund after shipping (or before, once found shipped) or a return claimed from the courier as lost on its way back — never scanned in before — has that claim withdrawn while the carrier has not decided it (CLAIM_WITHDRAWN; paid already: an escalated CLAIM_PAID_PARCEL_FOUND, to be paid back). A return parcel scanned again after its case took it in (step ARRIVED, the case no longer waiting for a parcel) is answered with the case as it is and `alreadyArrived`: when and by whom it was scanned in; nothing is recorded again. Where an exchange lent a loan product, its parcel is another one: the return’s parcel scanned again by its tracking number is still answered so (also while the case waits for the loan), and the loan’s parcel once the loan was scanned in (step SUBSTITUTE_ARRIVED). While the case waits for the loan after its return was scanned in, a scan by the return code alone is a 409 PARCEL_CONFLICT naming `trackingNumber`: the code is on the return parcel’s slip too, so the loan’s parcel is scanned with its own label — or, a loan item without a label of its own (handed in, packed inside the return parcel), with `loanProduct: true`. Scans of one case’s parcel are taken one at a time, so of two scanners reading it at once one records it and the other hears `alreadyArrived`.', body: ArrivalBody } }, async (request, reply) => {
    const p = principalOf(request);
    const body = request.body;
    if (!body.trackingNumber && !body.returnCode) throw badRequest('body.trackingNumber', 'trackingNumber or returnCode is required');
    const found = await arrivingCase(deps, body, p.merchantId ?? undefined);
    // One scan of a case's parcel at a time: two scanners at once both heard "recorded".
    return arrivals.run(found.id, async (waited) => {
      // Behind another scan of it: the case as that scan left it.
      const c = (waited && (await deps.repos.caseById(found.id))) || found;
      await assertReturnExpected(deps, c);
      // The loan product marked as such by the clerk is told apart from its return by that, not by a label.
      if (body.loanProduct) await assertLoanScan(deps, c);
      else await assertLoanParcelNamed(deps, c, body.trackingNumber);
      // A second scan of a parcel the case took in already: the clerk is told so, instead of "recorded" again.
      const arrived = await alreadyArrived(deps, c, body.loanProduct ? undefined : body.trackingNumber);
      if (arrived) {
        // A hold of this parcel still on the shelf (written by another API process as the scan-in ran) comes off it.
        await deps.repos.heldParcels.end({ caseId: c.id, trackingNumber: body.trackingNumber }, { outcome: 'SCANNED_IN', by: body.scannedBy });
        return reply.status(202).send({ ...(await caseAsItIs(deps, request, c)), alreadyArrived: arrived });
      }
      // A parcel claimed from the courier as lost on its way back, here after all: the claim is withdrawn.
      if (!body.loanProduct && takesSignal(arrivalScanned.name, c)) await withdrawClaimOfParcelBack(deps, request, c, body.trackingNumber ?? c.returnTrackingNumber, body.scannedBy);
      // Goods the case has not asked for (yet, or any more): on the hold shelf, recorded, not taken as the case's arrival.
      const reason = parcelHoldReason(c);
      if (reason) {
        // The same parcel scanned the other way (its slip's code, then its label, or the other way
        // round) is the one on the shelf, not a second parcel told to the customer again; a label of
        // another number is another parcel.
        const onShelf = (await deps.repos.heldParcels.ofCase(c.id)).filter((h) => !h.endedAt);
        const sameParcel = body.trackingNumber ? (onShelf.some((h) => h.trackingNumber === body.trackingNumber) ? undefined : onShelf.find((h) => h.trackingNumber === null)) : onShelf[0];
        if (sameParcel) {
          const named = (body.trackingNumber && (await deps.repos.heldParcels.name(sameParcel.id, body.trackingNumber))) || sameParcel;
          return reply.status(202).send({ ...(await caseAsItIs(deps, request, c)), held: { heldParcelId: named.id, reason, at: named.heldAt.toISOString(), by: named.heldBy, again: true } });
        }
        const told = heldParcelMessage(c);
        const { parcel, created } = await deps.repos.heldParcels.hold({ caseId: c.id, merchantId: c.merchantId, trackingNumber: body.trackingNumber, heldBy: body.scannedBy, ...(told ? { told } : {}) });
        return reply.status(202).send({ ...(await caseAsItIs(deps, request, c)), held: { heldParcelId: parcel.id, reason, at: parcel.heldAt.toISOString(), by: parcel.heldBy, again: !created } });
      }
      // A loan product marked as such came without a label of its own: a label scanned with it is its return parcel's, which the workflow hears as that parcel again (not news).
      const answer = await sendSignal(deps, request, c, arrivalScanned, { trackingNumber: body.loanProduct ? undefined : body.trackingNumber, returnCode: body.returnCode, scannedAt: Date.now(), scannedBy: body.scannedBy });
      // Taken in: this parcel's hold, if it was on the shelf, is off it (a scan again ends it too, as alreadyArrived).
      await afterTaken(request, { caseId: c.id, trackingNumber: body.trackingNumber, returnCode: body.returnCode }, 'parcel scanned in but its hold not ended', () =>
        deps.repos.heldParcels.end({ caseId: c.id, trackingNumber: body.trackingNumber }, { outcome: 'SCANNED_IN', by: body.scannedBy }),
      );
      return reply.status(202).send(answer);
    });
  });

  app.post('/v1/cases/:caseId/inspection', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: InspectionReply }, tags: ['warehouse'], summary: "The warehouse's inspection of what came back, line by line", description: 'The same report sent again once the case took it (a scanner retrying after a timeout, without an Idempotency-Key) is answered 200 with the case as it is; another report after it is a 409: the first one stands. The photos sent with it (`evidenceUrls`) are kept with the case once the case has taken the inspection (a refused inspection keeps none). Should the database fail to store them after the case took the inspection, the answer is still 200 and lists them in `evidenceNotKept`: send them again with POST /v1/cases/{caseId}/evidence.', params: CaseParams, body: InspectionBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // The photos are the case's evidence, not the workflow's input: kept once the case took the inspection.
    const { evidenceUrls, ...inspection } = request.body;
    // The same report sent again once taken (a scanner retrying after a timeout): the case as it is, its photos kept once.
    const answer = await unlessAnsweredAlready(deps, request, c, runUpdate(deps, request, c, reportInspection, inspection), {
      stages: ['AWAITING_INSPECTION'],
      // An exchange's loan product is asked for (and inspected) after its return was: its report is not the return's.
      asked: ['ARRIVED', 'PARCEL_BACK', 'SUBSTITUTE_DUE', 'SUBSTITUTE_ARRIVED'],
      kinds: ['INSPECTED'],
      same: (d) => sameInspection(d, inspection),
    });
    // The case took the inspection: a failed write must not answer 500 (sent again, it would be
    // refused as taken). The answer hands back the photos not kept, for POST …/evidence; the log
    // names their number only (a photo's link can be a signed one, showing a name and address).
    if (evidenceUrls?.length) {
      const kept = await afterTaken(request, { caseId: c.id, photos: evidenceUrls.length }, 'inspection taken but its photos not kept', () =>
        deps.repos.addEvidence(c.id, evidenceUrls, evidenceKinds(evidenceUrls), `warehouse:${inspection.by}`),
      );
      if (!kept) return { ...answer, evidenceNotKept: evidenceUrls };
    }
    return answer;
  });

  // ---- agents and supervisors ----
  app.post('/v1/cases/:caseId/proposals', { config: { roles: [...STAFF] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'An agent approves (all or some lines) or rejects the request', description: 'An agent’s decision on a request policy did not decide alone. A return (AWAITING_DECISION: outside the no-reason window, above the policy’s `autoApproveReturnMaxAmountMinor`, or not yet delivered): APPROVE without `lines` approves everything asked for, and the customer is sent the return instructions (AWAITING_RETURN_SHIPMENT); APPROVE with `lines` approves those only (each SKU once, at most the quantity asked: 400 otherwise) and, being other than what was asked, needs the customer’s consent first (AWAITING_CUSTOMER_CONSENT, `POST …/proposal-answer`; silence as the policy’s `proposalDefaultAccept` says); REJECT, with a `reason` and no lines, closes the case REJECTED and tells the customer the reason. A refund before shipping (AWAITING_MERCHANT: the order was picked already, or its reason is unclear) takes the merchant’s answer for the whole order, no `lines`: APPROVE cancels the order and refunds it (or, should it have shipped meanwhile, closes the case and tells the customer to refuse or return the parcel); REJECT closes it with the reason; silence until `deadlines.answerDueAt` refunds.', params: CaseParams, body: ProposalBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, propose, { ...body, by: actorOf(request) });
  });

  app.post('/v1/cases/:caseId/resolution', { config: { roles: [...STAFF] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: 'An agent decides how a case that needs one ends', description: 'Taken at AWAITING_AGENT: a case that stopped for an agent (`waitingFor.party` AGENT). The step that began the wait says why (NOT_SHORT, ABOVE_CAP, DIFFERENCE_UNPAID, NO_GOOD_STOCK, COUNT_MISMATCH, CUSTOMER_CAUSED …) and which `action`s it takes (listed on the field; any other is a 400): CLOSE ends the case (closeReason CLOSED_BY_AGENT for the customer and storefront, the `note` for staff); CONTINUE lets the case go on from there, which at some waits pays money (a goodwill refund, a refund above the cap: the field says where) — above the policy’s cap (ABOVE_CAP) only a supervisor’s or an admin’s (an agent’s is a 403 SUPERVISOR_REQUIRED on `body.action`; they may CLOSE); a complaint reopened after a low revisit score (REOPENED) goes on only with the new plan in `customerMessage` (400 without); REFUND_RECEIVED (refund what came back) and REFUND_REQUESTED (refund as asked) only where the wait offers them — goods sent back counted differently from what was asked (COUNT_MISMATCH: a return, transit damage, a quality problem refunded) or lost on the way (PARCEL_LOST), an exchange with no good stock (NO_GOOD_STOCK), a quality problem’s repair that could not fix the goods (REPAIR_FAILED), a parcel sent to make good a problem that could not be delivered (REPLACEMENT_NOT_DELIVERED: its goods refunded instead, as far as the order has money left), goods taken back for an exchange or a quality problem’s replacement or repair that came back short or damaged by the customer (EXCHANGE_RETURN_PROBLEM, QUALITY_RETURN_PROBLEM: REFUND_RECEIVED refunds those back in good order instead; refused where the replacement went out first, which paid for them; CLOSE is refused while goods came back in good order and are still owed); the case view’s `agentRefunds` says what each would pay. A reopened case (REOPENED, REOPENED_ON_ESCALATION, REOPENED_ON_REFUND_RETURNED) takes CONTINUE only once every refund the customer’s bank sent back is paid again (REFUND_PAID_AGAIN on the timeline; 409 REFUND_STILL_OWED before). `note` is for the staff (on the timeline); `customerMessage` is what the customer is told of the decision. At any other stage: 409 WRONG_STATE.', params: CaseParams, body: ResolutionBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    const timeline = body.action === 'CONTINUE' ? await deps.repos.timeline(c.id) : undefined;
    // Past the policy's cap only with a supervisor's word: an agent's CONTINUE there is refused, not sent.
    const role = principalOf(request).role;
    const wait = timeline && c.stage === 'AWAITING_AGENT' ? currentAgentWait(timeline.map((e) => e.kind)) : undefined;
    if (role === 'AGENT' && isSupervisorsAction(wait, body.action)) {
      throw new ApiError(403, 'SUPERVISOR_REQUIRED', `case ${c.id} waits for a refund above the policy's cap to be approved: a supervisor decides that (the case is in their escalated queue); an agent may CLOSE it`, 'body.action');
    }
    // A complaint the customer was not satisfied with is handled again (docs/after-sales.md §12): with a new plan they are told, before they are asked again.
    if (c.type === 'COMPLAINT' && wait === 'REOPENED' && !body.customerMessage?.trim()) {
      throw badRequest('body.customerMessage', 'a complaint the customer was not satisfied with is handled again: say what is now done for them (customerMessage); it is sent before they are asked how satisfied they are');
    }
    // The refunds sent back the guard saw go with it: one the workflow hears of meanwhile is refused there.
    const seen = timeline ? { refundsSentBackSeen: assertNoRefundOwed(c.id, timeline) } : {};
    if ((body.action === 'REFUND_RECEIVED' || body.action === 'REFUND_REQUESTED') && !body.customerMessage?.trim()) await assertRefundTold(deps, c, body.action);
    return runUpdate(deps, request, c, resolveByAgent, { ...body, by: actorOf(request), asOffered: true, rolesChecked: true, ...seen });
  });

  app.post('/v1/cases/:caseId/escalations', { config: { roles: [...STAFF] }, schema: { response: { 202: CommandReply }, tags: ['agent'], summary: 'Escalate a case to a supervisor, with the reason', description: 'Records the reason on the case’s timeline (step ESCALATED) and marks the case escalated: the supervisors’ queue is `GET /v1/cases?escalated=true&open=true`. The case goes on waiting for what it waited for. A RESOLVED case (waiting out the days before its revisit), or one whose revisit is out and not yet answered (AWAITING_REVISIT: the customer’s score is then no longer taken), is reopened instead: it moves to AWAITING_AGENT (step REOPENED_ON_ESCALATION), escalated, and the customer gets the `caseReopenedByStaff` message (a refund the customer’s bank sends back reopens it too, as REOPENED_ON_REFUND_RETURNED, without that message: docs/refund-settlement.md); an agent then resolves it again (CONTINUE: RESOLVED, revisited later) or closes it. Taken asynchronously (202): the answer shows the case as it was when the escalation arrived. A CLOSED case is a 409.', params: CaseParams, body: EscalationBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    return reply.status(202).send(await sendSignal(deps, request, c, escalate, { by: actorOf(request), reason: request.body.reason }));
  });

  app.post('/v1/cases/:caseId/de-escalation', { config: { roles: ['SUPERVISOR', 'ADMIN'] }, schema: { response: { 202: CommandReply }, tags: ['agent'], summary: 'A supervisor has dealt with the escalation: the case leaves the escalated queue', description: 'Records what was done on the case’s timeline (step ESCALATION_CLEARED) and marks the case no longer escalated, so that `GET /v1/cases?escalated=true&open=true` holds only what still needs a supervisor. The case goes on waiting for what it waited for; a later escalation, reminder or missed deadline escalates it again. A case that is not escalated, or is closed, is a 409. Taken asynchronously (202), as an escalation is.', params: CaseParams, body: EscalationClearedBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    if (!c.escalated) throw conflict(`case ${c.id} is not escalated: nothing to clear`);
    return reply.status(202).send(await sendSignal(deps, request, c, clearEscalation, { by: actorOf(request), note: request.body.note }));
  });

  app.post('/v1/cases/:caseId/assignment', { config: { roles: [...STAFF] }, schema: { response: { 202: CommandReply }, tags: ['agent'], summary: 'Assign a case to one of its merchant’s agents or supervisors (their ids: GET /v1/agents)', params: CaseParams, body: AssignmentBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    await assertAssignee(deps, c.merchantId, request.body.agentId);
    return reply.status(202).send(await sendSignal(deps, request, c, assign, { by: actorOf(request), agentId: request.body.agentId }));
  });

  app.post('/v1/cases/:caseId/notes', { config: { roles: [...STAFF] }, schema: { response: { 201: NoteAdded }, tags: ['agent'], summary: "An internal note on the case's timeline", params: CaseParams, body: NoteBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    await deps.repos.addNote(c.id, callerName(request), request.body.text);
    return reply.status(201).send({ caseId: c.id });
  });
}

/**
 * Goods refunded at their value that came back short (transit damage sent back, a quality problem
 * refunded: COUNT_MISMATCH), that a repair could not fix (REPAIR_FAILED), or sent to make good a
 * problem and not delivered (REPLACEMENT_NOT_DELIVERED), resolve on the agent's
 * refund without a message of their own — the refund's message is it. A refund that pays nothing (an
 * empty box refunded as received; an order its other cases refunded in full) would end the case with
 * the customer told only that customer service was looking into it: the agent says why in
 * `customerMessage`, or closes the case where the wait offers it. (A return tells its customer
 * itself: nothingRefunded.)
 */
async function assertRefundTold(deps: ApiDeps, c: CaseSummary, action: 'REFUND_RECEIVED' | 'REFUND_REQUESTED'): Promise<void> {
  if (c.type === 'RETURN_AND_REFUND' || c.stage !== 'AWAITING_AGENT') return;
  const [timeline, opened] = await Promise.all([deps.repos.timeline(c.id), deps.repos.caseDetails(c.id)]);
  const refunds = await agentRefunds(deps.repos, (id) => workflowPatches(deps.temporal, id), c, opened, timeline, null);
  if (refunds?.[action] === 0) {
    const closes = agentActions(currentAgentWait(timeline.map((e) => e.kind)) ?? '').includes('CLOSE');
    throw badRequest('body.customerMessage', `${action} refunds nothing here (0 is refundable): the case would resolve with its customer told nothing of it; say why in customerMessage${closes ? ', or CLOSE the case' : ''}`);
  }
}

/** At an agent's wait, what the agent is to decide there (domain/waiting.ts agentWaitWhat), in the staff's English. */
function atAgentWait<W extends { what: string }>(c: CaseSummary, timeline: ReadonlyArray<{ kind: string }>, waitingFor: W | null): W | null {
  const what = waitingFor && c.stage === 'AWAITING_AGENT' ? agentWaitWhat(currentAgentWait(timeline.map((e) => e.kind)), c.type) : undefined;
  return what ? { ...waitingFor!, what: what.en } : waitingFor;
}

/**
 * A reopened case with a refund the bank sent back owed waits first for an agent to pay it again (its
 * CONTINUE is refused until then): the request that moves it on is that payment, for the staff.
 */
function payFirstAtReopen<W extends { command: string; what: string }>(c: CaseSummary, timeline: ReadonlyArray<{ kind: string; data: unknown }>, waitingFor: W | null): W | null {
  const owed = refundsOwedAtReopen(timeline);
  if (!waitingFor || c.stage !== 'AWAITING_AGENT' || !owed.length) return waitingFor;
  return { ...waitingFor, command: `POST /v1/cases/${c.id}/refunds/${owed[0]!.refundId}/pay-again`, what: `an agent pays again the refund the customer’s bank sent back (${owed.map((r) => r.refundId).join(', ')}), then resolves the case again or closes it` };
}

/**
 * A reopened case (after a low score, an escalation, a refund sent back) goes on to its revisit only
 * once every refund the bank sent back is paid again: CONTINUE before that would ask a customer
 * still without their money how satisfied they are. Answers every refund sent back it saw, for the
 * workflow to refuse one it heard of since (AgentResolution.refundsSentBackSeen).
 */
function assertNoRefundOwed(caseId: string, timeline: Parameters<typeof refundsOwedAtReopen>[0]): string[] {
  const owed = refundsOwedAtReopen(timeline).map((r) => r.refundId);
  if (owed.length) {
    throw new ApiError(409, 'REFUND_STILL_OWED', `the customer's bank sent back refund ${owed.join(', ')} of case ${caseId}, not paid again yet: pay it again first (POST /v1/cases/${caseId}/refunds/${owed[0]}/pay-again, then wait for REFUND_PAID_AGAIN on the timeline), or CLOSE the case; resolved again now, the customer would be asked how satisfied they are without their money`);
  }
  return refundsSentBack(timeline).map((r) => r.refundId);
}

/** The rules of the policy versions the cases at a consent were opened under, by `merchantId:version`. */
async function consentRules(deps: ApiDeps, cases: readonly CaseSummary[]): Promise<Map<string, Policy['rules']>> {
  const versions = new Map(cases.filter((c) => c.stage === 'AWAITING_CUSTOMER_CONSENT').map((c) => [`${c.merchantId}:${c.policyVersion}`, c] as const));
  const rules = new Map<string, Policy['rules']>();
  await Promise.all(
    [...versions].map(async ([key, c]) => {
      const policy = await deps.repos.policyVersion(c.merchantId, c.policyVersion);
      if (policy) rules.set(key, policy.rules);
    }),
  );
  return rules;
}
