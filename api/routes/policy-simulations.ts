/**
 * The policy what-if (docs/policy-simulation.md): a merchant's recorded cases of a period run
 * again under the current policy and under a candidate (the current one plus `changes`, validated
 * exactly as publishing validates them), compared case by case. The run is a job on the worker
 * (workflows/policy-simulation.ts); this route stores the request, starts it and reads it back.
 * The merchant's supervisors and admins only; a job is found only under its merchant.
 */
import { randomUUID } from 'node:crypto';
import type { ApiApp } from '../typed-app.js';
import { createPolicySimulations, type PolicySimulationRow } from '../../db/policy-simulations.js';
import { startOfLocalDate } from '../../domain/business-calendar.js';
import { mergePolicyChange, parsePolicyVersion, samePolicyJson } from '../../domain/policy-change.js';
import { simulationCsv, simulationXlsx } from '../../reports/simulation-export.js';
import { caseFigures, type SimulationReport } from '../../simulation/report.js';
import { actualResult } from '../../simulation/result.js';
import { CASE_TASK_QUEUE } from '../../workflows/contract.js';
import { policySimulationWorkflowId } from '../../workflows/policy-simulation.js';
import { callerName } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badInput, invalid, notFound } from '../errors.js';
import { SimulationBody, SimulationExportQuery, SimulationList, SimulationParams, SimulationView } from '../schemas-simulation.js';
import { JsonOrFile, XLSX } from '../responses.js';
import { MerchantParams } from '../schemas.js';
import { isRealDate } from '../local-days.js';
import { LOCAL_DATE } from '../validation-problems.js';
import { forMerchant } from './admin.js';

const LOCAL_DATE_RE = new RegExp(LOCAL_DATE);
const MAX_RANGE_DAYS = 92;
const DAY_MS = 86_400_000;

/** A simulation without its report (lists). */
function summary(s: Omit<PolicySimulationRow, 'result'>) {
  return {
    id: s.id,
    merchantId: s.merchantId,
    from: s.from.toISOString(),
    to: s.to.toISOString(),
    changes: s.changes,
    baseVersion: s.baseVersion,
    status: s.status as 'RUNNING' | 'DONE' | 'FAILED',
    progress: { done: s.runsDone, total: s.runsTotal },
    requestedBy: s.requestedBy,
    createdAt: s.createdAt.toISOString(),
    finishedAt: s.finishedAt?.toISOString() ?? null,
    error: s.error,
  };
}

/** One simulation with its report (null until it is DONE; the job stored it as JSON). */
const view = (s: PolicySimulationRow) => ({ ...summary(s), result: (s.result ?? null) as SimulationReport | null });

export function policySimulationRoutes(app: ApiApp, deps: ApiDeps): void {
  const jobs = createPolicySimulations(deps.repos.db);

  app.post('/v1/admin/merchants/:merchantId/policy-simulations', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 202: SimulationView }, tags: ['admin'], summary: "What-if: run the merchant's recorded cases of a period under the current policy and under these changes (a job: follow it with GET)", params: MerchantParams, body: SimulationBody } }, async (request, reply) => {
    const { merchantId } = request.params;
    forMerchant(request, merchantId);
    const body = request.body;
    if (!(await deps.repos.merchant(merchantId))) throw notFound('merchant');

    const current = await deps.repos.currentPolicy(merchantId);
    // A local date is the start of that day where the merchant is.
    const instant = (v: string, field: string) => {
      if (!LOCAL_DATE_RE.test(v)) return new Date(v);
      if (!isRealDate(v)) throw badInput([{ field: `body.${field}`, reason: `${v} is not a date` }]);
      return new Date(startOfLocalDate({ timeZone: current.businessHours.timeZone }, v));
    };
    const [from, to] = [instant(body.from, 'from'), instant(body.to, 'to')];
    const currentFulfilment = (await deps.repos.fulfilmentPolicy(merchantId, current.version)).rules;
    const merged = mergePolicyChange(current, currentFulfilment, body.changes);
    // Validated as publishing validates; the fields are named as in the publishing body, under `changes`.
    const candidate = parsePolicyVersion(merged, current.version + 1);
    // A candidate that is the current version (no changes, or only values it already has) would run
    // the whole job to compare the baseline with itself: refused as publishing refuses it, in its words.
    const unchanged = candidate.policy && samePolicyJson(merged, { rules: current.rules, businessHours: current.businessHours, fulfilment: currentFulfilment });
    // Every problem at once: the period's and the changes'.
    const problems = [
      ...(to <= from ? [{ field: 'body.to', reason: 'must be after from' }] : to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY_MS ? [{ field: 'body.to', reason: `at most ${MAX_RANGE_DAYS} days after from` }] : []),
      ...(candidate.policy ? [] : invalid('body.changes', candidate.problems).problems),
      ...(unchanged ? [{ field: 'body.changes', reason: `changes nothing: version ${current.version} already says this` }] : []),
    ];
    if (problems.length) throw badInput(problems);

    const job = await jobs.create({ id: randomUUID().replace(/-/g, '').slice(0, 20), merchantId, requestedBy: callerName(request), from, to, changes: body.changes, baseVersion: current.version, candidate: merged });
    try {
      await deps.temporal.workflow.start('policySimulation', { taskQueue: CASE_TASK_QUEUE, workflowId: policySimulationWorkflowId(job.id), args: [{ simulationId: job.id }] });
    } catch (err) {
      await jobs.failed(job.id, `not started: ${(err as Error).message}`);
      throw new ApiError(503, 'UNAVAILABLE', 'the simulation could not be started (Temporal unavailable); try again');
    }
    return reply.status(202).header('location', `/v1/admin/merchants/${merchantId}/policy-simulations/${job.id}`).send({ ...summary(job), result: null });
  });

  app.get('/v1/admin/merchants/:merchantId/policy-simulations', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: SimulationList }, tags: ['admin'], summary: "The merchant's latest what-if simulations (newest first, without their reports)", params: MerchantParams } }, async (request) => {
    const { merchantId } = request.params;
    forMerchant(request, merchantId);
    return { items: (await jobs.list(merchantId, 50)).map(summary) };
  });

  app.get('/v1/admin/merchants/:merchantId/policy-simulations/:simulationId', { config: { roles: ['ADMIN', 'SUPERVISOR'] }, schema: { response: { 200: JsonOrFile(SimulationView, 'The per-case table', 'A what-if simulation: progress (case runs done of total) and, when DONE, the report; format=csv|xlsx gives the per-case table as a file') }, tags: ['admin'], summary: 'A what-if simulation: progress (case runs done of total) and, when DONE, the report; format=csv|xlsx gives the per-case table as a file', params: SimulationParams, querystring: SimulationExportQuery } }, async (request, reply) => {
    const { merchantId, simulationId } = request.params;
    forMerchant(request, merchantId);
    const q = request.query;
    const job = await jobs.get(merchantId, simulationId);
    if (!job) throw notFound('policy simulation');
    if (!q.format || q.format === 'json') return view(job);
    if (job.status !== 'DONE') throw new ApiError(409, 'CONFLICT', `the simulation is ${job.status}: the table is there when it is DONE`);
    const rows = (job.result as SimulationReport).rows;
    // What happened to each case, as it stands now: read from the read model as the job reads it for
    // the totals' `actual` (the report keeps no per-case figures of it).
    const actual = new Map((await jobs.actualCases(rows.map((r) => r.caseId))).map((f) => [f.caseId, caseFigures(actualResult(f))]));
    const lang = q.lang ?? 'zh-CN';
    const name = `policy-simulation-${merchantId}-${job.id}`;
    if (q.format === 'csv') return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(simulationCsv(rows, actual, lang));
    return reply.type(XLSX).header('content-disposition', `attachment; filename="${name}.xlsx"`).send(await simulationXlsx(rows, actual, lang));
  });
}
