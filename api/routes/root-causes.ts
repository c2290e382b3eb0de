/** Root causes of wrong and missing shipments (002): recorded on a case, counted per category, sub-cause, warehouse, SKU or carrier. */
import { LOCAL_DATE } from '../validation-problems.js';
import type { ApiApp } from '../typed-app.js';
import { Type, type Static } from 'typebox';
import { rootCauseCounts } from '../../db/root-causes.js';
import { responsibleParty, ROOT_CAUSE_CASE_TYPES, rootCauseName, startOfLocalDate, validateRootCauseRecord, type RootCauseRecord, type SubCause } from '../../domain/index.js';
import { caseWorkflowId, rootCauseRecorded } from '../../workflows/contract.js';
import { callerName } from '../auth.js';
import { deliver, refusalOf } from '../commands.js';
import { closedCaseMessage, visibleCase, type ApiDeps } from '../context.js';
import { assertValid, badRequest, conflict } from '../errors.js';
import { reportMerchant, ReportMerchant } from '../report-merchant.js';
import { CaseParams } from '../schemas.js';
import { RootCauseBody } from '../schemas-fulfilment.js';
import { Report, RootCauseBy, RootCauseCounts } from '../responses.js';

const CountsQuery = Type.Object(
  {
    from: Type.String({ pattern: LOCAL_DATE }),
    to: Type.String({ pattern: LOCAL_DATE }),
    by: Type.Optional(RootCauseBy),
    merchantId: ReportMerchant,
  },
  { additionalProperties: false },
);

export function rootCauseRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/cases/:caseId/root-cause', { config: { roles: ['AGENT', 'SUPERVISOR', 'WAREHOUSE'] }, schema: { response: { 201: Report('The recorded root cause: category, sub-cause, responsible person and improvement where internal'), 200: Report('The same cause as the one on record (sent again): nothing added, `duplicate: true`') }, tags: ['agent'], summary: 'Record the root cause of a wrong or missing shipment (002 taxonomy)', description: 'The cause’s `category` and one of its `subCause`s (listed under subCause); a cause that is the shop’s own needs `responsiblePerson` and `improvement` too (each field says which causes): without them a 400 names the field. The answer is the recorded cause (201), or the one on record when the same cause is sent again (200, `duplicate: true`) — a report, not the command answer with `waitingFor`: the case does not move on.', params: CaseParams, body: RootCauseBody } }, async (request, reply) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    // Counted as the shop's wrong or missing shipments: another type's case would count as one.
    if (!ROOT_CAUSE_CASE_TYPES.includes(c.type)) throw conflict(`case ${c.id} is of type ${c.type}: root causes are recorded for wrong and missing shipments (${ROOT_CAUSE_CASE_TYPES.join(', ')})`);
    const body = request.body;
    const problems = validateRootCauseRecord(body as unknown as RootCauseRecord);
    assertValid('body', problems.map((p) => ({ ...p, field: p.field.replace(/^rootCause\./, '') })));
    const category = body.category;
    const subCause = body.subCause as SubCause;
    const record = { ...body, responsibleParty: responsibleParty(category, subCause), name: rootCauseName(category, subCause) };
    const added = await deps.repos.recordRootCause(c.id, callerName(request), record);
    // Cases that may not resolve without one (错货) are waiting for it; a closed case or an ended
    // workflow has nothing to tell (recorded as refused: under another policy it might be open), and
    // the cause stays recorded. Temporal away is the request's failure (503): the cause is recorded,
    // but the case waiting for it is not told until the client sends it again — the retry is the
    // duplicate below, and tells the case.
    const handle = deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
    const notice = { category, subCause: String(subCause) };
    const input = { caseId: c.id, via: 'SIGNAL' as const, kind: rootCauseRecorded.name, workflowId: handle.workflowId, arg: notice };
    await deliver(deps, request, input, async () => {
      if (c.status === 'CLOSED') throw conflict(closedCaseMessage(c));
      await handle.signal(rootCauseRecorded, notice);
    }).catch((err: unknown) => {
      if (refusalOf(err, input) === undefined) throw err;
    });
    // Sent again, the case is told again: the first request's signal may be the one that failed.
    return added ? reply.status(201).send({ caseId: c.id, ...record }) : reply.status(200).send({ caseId: c.id, ...record, duplicate: true });
  });

  app.get('/v1/root-causes', { config: { roles: ['SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: RootCauseCounts }, tags: ['supervisor'], summary: 'Root causes of the period, the biggest first', querystring: CountsQuery } }, async (request): Promise<Static<typeof RootCauseCounts>> => {
    const q = request.query;
    const merchantId = await reportMerchant(deps, request, q.merchantId);
    const timeZone = (await deps.repos.currentPolicy(merchantId)).businessHours.timeZone;
    const at = (d: string, field: string) => {
      const t = new Date(`${d}T00:00:00Z`);
      if (Number.isNaN(t.getTime()) || !t.toISOString().startsWith(d)) throw badRequest(`querystring.${field}`, `${d} is not a date`);
      return new Date(startOfLocalDate({ timeZone }, d)); // the merchant's local midnight
    };
    const from = at(q.from, 'from');
    const to = at(q.to, 'to');
    if (to <= from) throw badRequest('querystring.to', 'must be after from');
    return { merchantId, from: q.from, to: q.to, by: q.by ?? 'category', rows: await rootCauseCounts(deps.repos.db, { merchantId, from, to, by: q.by ?? 'category' }) };
  });
}
