/** Reading cases, and what customers, the warehouse and agents tell a case's workflow. */
import type { Static } from 'typebox';
import type { FastifyInstance } from 'fastify';
import {
  answerProposal,
  answerRevisit,
  arrivalScanned,
  assign,
  escalate,
  propose,
  reportInspection,
  resolveByAgent,
  submitReturnShipment,
} from '../../workflows/contract.js';
import { requireRole } from '../auth.js';
import { actorOf, caseView, openWorkflow, visibleCase, type ApiDeps } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import {
  ArrivalBody,
  AssignmentBody,
  CaseParams,
  EscalationBody,
  EvidenceBody,
  InspectionBody,
  ListQuery,
  NoteBody,
  ProposalAnswerBody,
  ProposalBody,
  ResolutionBody,
  ReturnShipmentBody,
  RevisitBody,
} from '../schemas.js';

const STAFF = ['AGENT', 'SUPERVISOR', 'ADMIN'] as const;
const FOR_CUSTOMER = ['CUSTOMER', 'STOREFRONT'] as const;

export function caseRoutes(app: FastifyInstance, deps: ApiDeps): void {
  const param = (request: { params: unknown }) => (request.params as { caseId: string }).caseId;

  app.get('/v1/cases/:caseId', { schema: { tags: ['cases'], summary: 'A case: status, stage, deadlines, timeline', params: CaseParams } }, async (request) => {
    requireRole(request, 'CUSTOMER', 'STOREFRONT', 'WAREHOUSE', ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    const [timeline, evidence] = await Promise.all([deps.repos.timeline(c.id), deps.repos.evidence(c.id)]);
    return { ...caseView(c), timeline, evidence };
  });

  app.get('/v1/cases', { schema: { tags: ['agent'], summary: 'List and filter cases (newest first, keyset paging)', querystring: ListQuery } }, async (request) => {
    const p = requireRole(request, ...STAFF);
    const q = request.query as Static<typeof ListQuery>;
    const page = await deps.repos.listCases({
      merchantId: p.role === 'ADMIN' ? undefined : (p.merchantId ?? undefined),
      status: q.status,
      type: q.type,
      late: q.late,
      escalated: q.escalated,
      assigneeId: q.assigneeId,
      customerId: q.customerId,
      createdFrom: q.createdFrom ? new Date(q.createdFrom) : undefined,
      createdTo: q.createdTo ? new Date(q.createdTo) : undefined,
      cursor: q.cursor,
      limit: q.limit ?? 50,
    });
    return { items: page.items.map(caseView), nextCursor: page.nextCursor ?? null };
  });

  // ---- customer (or the storefront on their behalf) ----
  app.post('/v1/cases/:caseId/return-shipment', { schema: { tags: ['customer'], params: CaseParams, body: ReturnShipmentBody } }, async (request) => {
    requireRole(request, ...FOR_CUSTOMER);
    const c = await visibleCase(deps, request, param(request));
    const result = await openWorkflow(deps, c).executeUpdate(submitReturnShipment, { args: [request.body as Static<typeof ReturnShipmentBody>] });
    return { caseId: c.id, ...result };
  });

  app.post('/v1/cases/:caseId/proposal-answer', { schema: { tags: ['customer'], params: CaseParams, body: ProposalAnswerBody } }, async (request) => {
    requireRole(request, ...FOR_CUSTOMER);
    const c = await visibleCase(deps, request, param(request));
    return { caseId: c.id, ...(await openWorkflow(deps, c).executeUpdate(answerProposal, { args: [request.body as Static<typeof ProposalAnswerBody>] })) };
  });

  app.post('/v1/cases/:caseId/revisit', { schema: { tags: ['customer'], params: CaseParams, body: RevisitBody } }, async (request) => {
    requireRole(request, ...FOR_CUSTOMER);
    const c = await visibleCase(deps, request, param(request));
    return { caseId: c.id, ...(await openWorkflow(deps, c).executeUpdate(answerRevisit, { args: [request.body as Static<typeof RevisitBody>] })) };
  });

  app.post('/v1/cases/:caseId/evidence', { schema: { tags: ['customer'], params: CaseParams, body: EvidenceBody } }, async (request, reply) => {
    const p = requireRole(request, ...FOR_CUSTOMER);
    const c = await visibleCase(deps, request, param(request));
    const body = request.body as Static<typeof EvidenceBody>;
    await deps.repos.addEvidence(c.id, body.urls, body.kind ?? 'photo', p.role === 'CUSTOMER' ? `customer:${p.customerId}` : `storefront:${p.id}`);
    return reply.status(201).send({ caseId: c.id, added: body.urls.length });
  });

  // ---- warehouse ----
  app.post('/v1/warehouse/arrivals', { schema: { tags: ['warehouse'], summary: 'Arrival scan of a returned parcel (by tracking number or return code)', body: ArrivalBody } }, async (request, reply) => {
    const p = requireRole(request, 'WAREHOUSE');
    const body = request.body as Static<typeof ArrivalBody>;
    if (!body.trackingNumber && !body.returnCode) throw badRequest('body.trackingNumber', 'trackingNumber or returnCode is required');
    const c = body.returnCode ? await deps.repos.caseById(body.returnCode) : await deps.repos.caseByReturnTracking(body.trackingNumber!, p.merchantId ?? undefined);
    if (!c || (p.merchantId && c.merchantId !== p.merchantId)) throw notFound('return parcel');
    await openWorkflow(deps, c).signal(arrivalScanned, { trackingNumber: body.trackingNumber, returnCode: body.returnCode, scannedAt: Date.now(), scannedBy: body.scannedBy });
    return reply.status(202).send({ caseId: c.id, accepted: true });
  });

  app.post('/v1/cases/:caseId/inspection', { schema: { tags: ['warehouse'], params: CaseParams, body: InspectionBody } }, async (request) => {
    requireRole(request, 'WAREHOUSE');
    const c = await visibleCase(deps, request, param(request));
    return { caseId: c.id, ...(await openWorkflow(deps, c).executeUpdate(reportInspection, { args: [request.body as Static<typeof InspectionBody>] })) };
  });

  // ---- agents and supervisors ----
  app.post('/v1/cases/:caseId/proposals', { schema: { tags: ['agent'], params: CaseParams, body: ProposalBody } }, async (request) => {
    requireRole(request, ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    const body = request.body as Static<typeof ProposalBody>;
    return { caseId: c.id, ...(await openWorkflow(deps, c).executeUpdate(propose, { args: [{ ...body, by: actorOf(request) }] })) };
  });

  app.post('/v1/cases/:caseId/resolution', { schema: { tags: ['agent'], params: CaseParams, body: ResolutionBody } }, async (request) => {
    requireRole(request, ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    const body = request.body as Static<typeof ResolutionBody>;
    return { caseId: c.id, ...(await openWorkflow(deps, c).executeUpdate(resolveByAgent, { args: [{ ...body, by: actorOf(request) }] })) };
  });

  app.post('/v1/cases/:caseId/escalations', { schema: { tags: ['agent'], params: CaseParams, body: EscalationBody } }, async (request, reply) => {
    requireRole(request, ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    await openWorkflow(deps, c).signal(escalate, { by: actorOf(request), reason: (request.body as Static<typeof EscalationBody>).reason });
    return reply.status(202).send({ caseId: c.id, accepted: true });
  });

  app.post('/v1/cases/:caseId/assignment', { schema: { tags: ['agent'], params: CaseParams, body: AssignmentBody } }, async (request, reply) => {
    requireRole(request, ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    await openWorkflow(deps, c).signal(assign, { by: actorOf(request), agentId: (request.body as Static<typeof AssignmentBody>).agentId });
    return reply.status(202).send({ caseId: c.id, accepted: true });
  });

  app.post('/v1/cases/:caseId/notes', { schema: { tags: ['agent'], params: CaseParams, body: NoteBody } }, async (request, reply) => {
    const p = requireRole(request, ...STAFF);
    const c = await visibleCase(deps, request, param(request));
    await deps.repos.addNote(c.id, `${p.role.toLowerCase()}:${p.id}`, (request.body as Static<typeof NoteBody>).text);
    return reply.status(201).send({ caseId: c.id });
  });
}
