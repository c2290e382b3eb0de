/**
 * Complaints over HTTP: opened by the storefront (or an agent taking a call), or any case turned
 * into one — a COMPLAINT case of its own, linked to it; resolved by an agent or supervisor with the
 * plan, the cause and the improvement.
 */
import type { Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp } from '../typed-app.js';
import { displayLocaleOf, validateOrder, type OrderSnapshot } from '../../domain/index.js';
import { canonicalJson } from '../../domain/canonical-json.js';
import { resolveComplaint } from '../../workflows/contract.js';
import type { CaseSummary } from '../../db/repositories.js';
import { OneAtATime } from '../one-at-a-time.js';
import type { ComplaintInput } from '../../workflows/complaint.js';
import { callerName, principalOf } from '../auth.js';
import { CommandReply, runUpdate } from '../commands.js';
import { actorOf, visibleCase, type ApiDeps } from '../context.js';
import { asOpenedBefore, assertOpening, finishOpening, merchantOf, openCase, referenceOf, SAME_OPENING_MINUTES, sendOpened, type OpenCase, type Reference } from '../open-case.js';
import { CaseParams } from '../schemas.js';
import { ComplaintResolutionBody, OpenComplaintBody, TurnIntoComplaintBody } from '../schemas-fulfilment.js';
import { OpenedCase, OpenedResponses } from '../responses.js';

type Facts = Static<typeof TurnIntoComplaintBody>;

/** How long the same complaint sent again about the same case is taken for the first (a double tap, a retry), not a repeat: as any opening sent again. */
const SAME_COMPLAINT_MINUTES = SAME_OPENING_MINUTES;
/** Complaints about one case, one at a time (api/one-at-a-time.ts). */
const complaining = new OneAtATime();

export function complaintRoutes(app: ApiApp, deps: ApiDeps): void {
  type Complaint = { reference?: Reference; order: OrderSnapshot; customer: ComplaintInput['customer']; facts: Facts; repeat: boolean; relatedCaseId?: string };
  const start = (request: FastifyRequest, merchantId: string, o: Complaint) => openCase<ComplaintInput>(deps, request, merchantId, opening(o));
  const opening = (o: Complaint): OpenCase<ComplaintInput> => ({
    type: 'COMPLAINT',
    workflow: 'complaint',
    reference: o.reference,
    order: o.order,
    customer: o.customer,
    // `repeat` kept on the row too: the same complaint sent again is answered with it.
    request: { ...o.facts, relatedCaseId: o.relatedCaseId, repeat: o.repeat },
    requestedAmountMinor: 0,
    summary: 'Complaint',
    input: (c) => ({
      ...c,
      order: o.order,
      customer: o.customer,
      category: o.facts.category,
      description: o.facts.description,
      channel: o.facts.channel ?? 'STOREFRONT',
      threatensEscalation: o.facts.threatensEscalation ?? false,
      repeat: o.repeat,
      ...(o.relatedCaseId ? { relatedCaseId: o.relatedCaseId } : {}),
    }),
  });

  app.post('/v1/complaints', { config: { roles: ['STOREFRONT', 'AGENT', 'SUPERVISOR'] }, schema: { response: OpenedResponses, tags: ['storefront'], summary: 'Record a complaint (投诉): the storefront, or an agent taking a call', body: OpenComplaintBody } }, async (request, reply) => {
    const merchantId = merchantOf(principalOf(request));
    const body = request.body;
    const problems = validateOrder(body.order);
    assertOpening(deps, body.order, problems);
    const { caseId: _alias, reference: _reference, customer, order, repeat: saidRepeat, ...facts } = body;
    // The customer complained about this order before, as this platform recorded it: a repeat, whatever the storefront knew.
    // (Not itself: the same complaint sent again under its reference is answered as it was opened.)
    const reference = referenceOf(request);
    const ofOrder = await deps.repos.casesOfOrder(merchantId, order.orderId);
    const complainedBefore = ofOrder.some((c) => c.type === 'COMPLAINT' && c.customerId === customer.id && !sameOpening(c, reference));
    const repeat = saidRepeat === true || complainedBefore;
    const opened = await start(request, merchantId, { reference, order, customer, facts, repeat });
    // Sent again: answered with what the complaint was taken for when it opened, not what a later one makes of it.
    const stored = opened.created ? undefined : (ofOrder.find((c) => c.id === opened.caseId)?.request as { repeat?: boolean } | undefined)?.repeat;
    return sendOpened(reply, opened, { repeat: stored ?? repeat });
  });

  app.post('/v1/cases/:caseId/complaint', { config: { roles: ['CUSTOMER', 'STOREFRONT', 'AGENT', 'SUPERVISOR'] }, schema: { response: { 200: OpenedResponses[200], 201: OpenedCase }, tags: ['customer'], summary: 'Turn a case into a complaint (a linked COMPLAINT case)', description: `A second complaint about the same case is a repeat (\`repeat\`): it is prioritised higher. The same complaint sent again — the same body about the same case within ${SAME_COMPLAINT_MINUTES} minutes, while the first is still open (a double tap, a retried request) — is not a second one: it is answered 200 with the complaint it opened, and where it stands now.`, params: CaseParams, body: TurnIntoComplaintBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const facts = request.body;
    // One complaint about a case at a time: two taps at once both read "no complaint yet".
    return complaining.run(c.id, async () => {
      const [related, earlier] = await Promise.all([deps.repos.caseDetails(c.id), sameComplaintOpened(c, facts)]);
      const complaint = { order: related.orderSnapshot as unknown as OrderSnapshot, customer: { id: c.customerId, locale: displayLocaleOf(related.customerLocale) }, facts, relatedCaseId: c.id };
      if (earlier) {
        // The first tap's opening may have stopped before its workflow started (Temporal away): finished now.
        await finishOpening(deps, request, c.merchantId, opening({ ...complaint, repeat: earlier.repeat }), earlier.row);
        return sendOpened(reply, asOpenedBefore(earlier.row), { relatedCaseId: c.id, repeat: earlier.repeat });
      }
      const repeat = await deps.repos.markComplained(c.id);
      const opened = await start(request, c.merchantId, { ...complaint, repeat });
      // The case complained about says so on its own timeline, linking the complaint.
      await deps.repos.recordComplaintAbout(c.id, { caseId: opened.caseId, category: facts.category }, callerName(request));
      return sendOpened(reply, opened, { relatedCaseId: c.id, repeat });
    });
  });

  /** Whether `c` is the case this opening names already (its reference, or the case its Idempotency-Key opened): sent again, not a second one. */
  function sameOpening(c: { id: string; reference: string | null }, reference: Reference | undefined): boolean {
    return !!reference && ((reference.value !== undefined && c.reference === reference.value) || c.id === reference.caseId);
  }

  /** The open complaint this very request opened about `c` a moment ago, if any (with whether it was a repeat). */
  async function sameComplaintOpened(c: CaseSummary, facts: Facts) {
    const since = (deps.now?.() ?? Date.now()) - SAME_COMPLAINT_MINUTES * 60_000;
    const asked = canonicalJson({ ...facts, relatedCaseId: c.id });
    const found = (await deps.repos.casesOfOrder(c.merchantId, c.orderId)).find((o) => {
      if (o.type !== 'COMPLAINT' || o.status === 'RESOLVED' || o.status === 'CLOSED' || o.createdAt.getTime() < since) return false;
      const { repeat: _repeat, ...request } = (o.request ?? {}) as Record<string, unknown>;
      return canonicalJson(request) === asked;
    });
    const row = found && (await deps.repos.caseById(found.id));
    return row ? { row, repeat: (found.request as { repeat?: boolean }).repeat === true } : undefined;
  }

  app.post('/v1/cases/:caseId/complaint-resolution', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: "A complaint's plan, cause and improvement", description: 'Taken at AWAITING_RESOLUTION (a complaint). The agent records how the complaint was dealt with: the `plan` (what was done for the customer, who is sent it), the `cause` found and the `improvement` that keeps it from happening again (step RESOLVED; `shopAtFault: true` makes the customer’s message an apology). It is due by `deadlines.handleBy`, the policy’s hours for the complaint’s priority (`complaintUrgentHours`, `complaintHighHours`, `complaintNormalHours`); past it the case is marked late and escalated and waits on, reminded. The case resolves and the satisfaction revisit follows: a score of 1–2 reopens it to an agent.', params: CaseParams, body: ComplaintResolutionBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, resolveComplaint, { ...body, by: actorOf(request) });
  });
}
