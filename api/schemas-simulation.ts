/**
 * The policy what-if's request and answers (api/routes/policy-simulations.ts). The candidate is
 * `changes` in exactly the shape of publishing a policy version (PolicyChangeBody), so a change
 * tried here can be published as it is.
 */
import { Type } from 'typebox';
import { SimulationReportSchema } from '../simulation/report-schema.js';
import { PolicyChangeBody } from './schemas.js';
import { ID_PATTERN, LOCAL_DATE } from './validation-problems.js';

export const SimulationParams = Type.Object({
  merchantId: Type.String({ pattern: ID_PATTERN }),
  simulationId: Type.String({ pattern: ID_PATTERN }),
});

/** An instant, or a local date as the ledger and the figures take days (an integrator sent 2026-10-01 and was refused). */
const PeriodBound = (what: string) =>
  Type.Union([Type.String({ format: 'date-time' }), Type.String({ pattern: LOCAL_DATE })], {
    description: `${what}: an instant (RFC 3339, e.g. 2026-10-01T00:00:00+08:00), or a local date YYYY-MM-DD, which is that day's start in the merchant's time zone`,
  });

export const SimulationBody = Type.Object(
  {
    from: PeriodBound('the recorded cases opened at or after this instant'),
    to: PeriodBound('and before this one (at most 92 days after from; a date: the day after the last one counted, as the ledger and the figures take it)'),
    changes: {
      ...PolicyChangeBody,
      description:
        'the candidate: changes to the current policy version, in the shape of publishing one (less its note), merged and validated as publishing does them — a wrong field is a 400 naming it under `body.changes` (`body.changes.rules.noReasonReturnDays`). A change that leaves the current version as it is (none, or only values it already has) is a 400 naming `body.changes` ("changes nothing: version N already says this"), as publishing refuses it: there would be nothing to compare',
    },
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
export const SimulationView = Type.Object({ ...SimulationFields, result: Type.Union([SimulationReportSchema, Type.Null()], { description: 'the report, when DONE' }) }, { additionalProperties: false });
export const SimulationList = Type.Object({ items: Type.Array(SimulationSummary) }, { additionalProperties: false });
