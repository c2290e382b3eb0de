/**
 * The policy what-if's request and answers (api/routes/policy-simulations.ts). The candidate is
 * `changes` in exactly the shape of publishing a policy version (PolicyChangeBody), so a change
 * tried here can be published as it is.
 */
import { Type } from 'typebox';
import { PolicyChangeBody } from './schemas.js';

export const SimulationParams = Type.Object({
  merchantId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
  simulationId: Type.String({ pattern: '^[A-Za-z0-9_-]{1,64}$' }),
});

export const SimulationBody = Type.Object(
  {
    from: Type.String({ format: 'date-time', description: 'the recorded cases opened at or after this instant' }),
    to: Type.String({ format: 'date-time', description: 'and before this one (at most 92 days after from)' }),
    changes: PolicyChangeBody,
  },
  {
    additionalProperties: false,
    examples: [{ from: '2026-10-01T00:00:00+08:00', to: '2026-11-01T00:00:00+08:00', changes: { rules: { noReasonReturnDays: 15 } } }],
  },
);

export const SimulationExportQuery = Type.Object(
  {
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv'), Type.Literal('xlsx')], { description: 'csv or xlsx: the per-case table as a file' })),
    lang: Type.Optional(Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { description: 'column names of the file (default zh-CN)' })),
  },
  { additionalProperties: false },
);

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

const CaseFigures = Type.Object({
  outcome: Type.String({ description: "the workflow's result (REFUNDED, REJECTED, NOT_SHIPPED…), or UNFINISHED / FAILED" }),
  stage: Type.String(),
  decision: Type.Union([Type.String(), Type.Null()], { description: 'APPROVE / REJECT where the case type decides a request' }),
  decidedBy: Type.Union([Type.Literal('POLICY'), Type.Literal('AGENT'), Type.Null()]),
  approvedMinor: Type.Integer({ description: 'what the approval grants at the order prices' }),
  refundedMinor: Type.Integer(),
  shippingRefundedMinor: Type.Integer(),
  compensationMinor: Type.Integer(),
  costMinor: Type.Integer({ description: 'the net cost from the ledger (refunds, goods, logistics, compensation, less recovered claims)' }),
  hoursToSolution: Nullable(Type.Number()),
  hoursToClose: Nullable(Type.Number()),
  slaBreached: Type.Boolean(),
  diverged: Type.Boolean({ description: 'recorded inputs the new path refused (dropped; see why)' }),
  assumed: Type.Boolean({ description: "waits history had no answer for, ended by the policy's default for silence" }),
  why: Type.Array(Type.String()),
});

const Total = Type.Object({
  name: Type.String({ description: 'refundedMinor, approvedMinor, shippingRefundedMinor, compensationMinor, costPerCaseMinor, autoApprovalRate, slaBreaches, onTimeRate, meanHoursToClose' }),
  unit: Type.Union([Type.Literal('minor'), Type.Literal('share'), Type.Literal('hours'), Type.Literal('count')]),
  baseline: Nullable(Type.Number()),
  candidate: Nullable(Type.Number()),
  difference: Nullable(Type.Number()),
  cases: Type.Integer({ description: 'how many cases the figure rests on' }),
});

const Report = Type.Object({
  cases: Type.Integer(),
  totals: Type.Array(Total),
  counts: Type.Object({
    changed: Type.Integer(),
    diverged: Type.Integer(),
    assumed: Type.Integer(),
    unfinished: Type.Object({ baseline: Type.Integer(), candidate: Type.Integer() }),
  }),
  notShown: Type.Array(Type.String(), { description: 'what the candidate changes that history cannot show, in words' }),
  rows: Type.Array(Type.Object({ caseId: Type.String(), type: Type.String(), changed: Type.Boolean(), baseline: CaseFigures, candidate: CaseFigures })),
});

const SimulationFields = {
  id: Type.String(),
  merchantId: Type.String(),
  from: Type.String({ format: 'date-time' }),
  to: Type.String({ format: 'date-time' }),
  changes: Type.Unknown({ description: 'the changes as sent' }),
  baseVersion: Type.Integer({ description: 'the policy version the baseline runs (current when asked)' }),
  status: Type.Union([Type.Literal('RUNNING'), Type.Literal('DONE'), Type.Literal('FAILED')]),
  progress: Type.Object({ done: Type.Integer(), total: Type.Integer({ description: 'case runs: twice the cases (baseline and candidate); 0 until the cases are counted' }) }),
  requestedBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
};

export const SimulationSummary = Type.Object(SimulationFields, { additionalProperties: false });
export const SimulationView = Type.Object({ ...SimulationFields, result: Type.Union([Report, Type.Null()], { description: 'the report, when DONE' }) }, { additionalProperties: false });
export const SimulationList = Type.Object({ items: Type.Array(SimulationSummary) }, { additionalProperties: false });
