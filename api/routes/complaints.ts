/**
 * Complaints over HTTP: opened by the storefront (or an agent taking a call), or any case turned
 * into one — a COMPLAINT case of its own, linked to it; resolved by an agent or supervisor with the
 * plan, the cause and the improvement.
 */
import type { Static } from 'typebox';
import type { FastifyRequest } from 'fastify';
import type { ApiApp } from '../typed-app.js';
import { displayLocaleOf, validateOrder, type OrderSnapshot } from '../../domain/index.js';
import { resolveComplaint } from '../../workflows/contract.js';
import type { ComplaintInput } from '../../workflows/complaint.js';
import { principalOf } from '../auth.js';
import { CommandReply, runUpdate } from '../commands.js';
import { actorOf, visibleCase, type ApiDeps } from '../context.js';
import { assertOpening, merchantOf, openCase, referenceOf, sendOpened, type Reference } from '../open-case.js';
import { CaseParams } from '../schemas.js';
import { ComplaintResolutionBody, OpenComplaintBody, TurnIntoComplaintBody } from '../schemas-fulfilment.js';
import { OpenedCase, OpenedResponses } from '../responses.js';

type Facts = Static<typeof TurnIntoComplaintBody>;

export function complaintRoutes(app: ApiApp, deps: ApiDeps): void {
  const start = (request: FastifyRequest, merchantId: string, o: { reference?: Reference; order: OrderSnapshot; customer: ComplaintInput['customer']; facts: Facts; repeat: boolean; relatedCaseId?: string }) =>
    openCase<ComplaintInput>(deps, request, merchantId, {
      type: 'COMPLAINT',
      workflow: 'complaint',
      reference: o.reference,
      order: o.order,
      customer: o.customer,
      request: { ...o.facts, relatedCaseId: o.relatedCaseId },
      requestedAmountMinor: 0,
      summary: 'Complaint',
      input: (c) => ({
        ...c,
        order: o.order,
        customer: o.customer,
        category: o.facts.category as ComplaintInput['category'],
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
    const { caseId: _alias, reference: _reference, customer, order, repeat, ...facts } = body;
    return sendOpened(reply, await start(request, merchantId, { reference: referenceOf(request), order, customer, facts, repeat: repeat ?? false }));
  });

  app.post('/v1/cases/:caseId/complaint', { config: { roles: ['CUSTOMER', 'STOREFRONT', 'AGENT', 'SUPERVISOR'] }, schema: { response: { 201: OpenedCase }, tags: ['customer'], summary: 'Turn a case into a complaint (a linked COMPLAINT case)', params: CaseParams, body: TurnIntoComplaintBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const related = await deps.repos.caseDetails(c.id);
    // A second complaint about the same case is a repeat: it is prioritised higher.
    const repeat = await deps.repos.markComplained(c.id);
    const opened = await start(request, c.merchantId, { order: related.orderSnapshot as unknown as OrderSnapshot, customer: { id: c.customerId, locale: displayLocaleOf(related.customerLocale) }, facts: request.body as Facts, repeat, relatedCaseId: c.id });
    return sendOpened(reply, opened, { relatedCaseId: c.id, repeat });
  });

  app.post('/v1/cases/:caseId/complaint-resolution', { config: { roles: ['AGENT', 'SUPERVISOR'] }, schema: { response: { 200: CommandReply }, tags: ['agent'], summary: "A complaint's plan, cause and improvement", params: CaseParams, body: ComplaintResolutionBody } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const body = request.body;
    return runUpdate(deps, request, c, resolveComplaint, { ...body, by: actorOf(request) });
  });
}
