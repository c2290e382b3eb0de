/**
 * The shape of the what-if report (simulation/report.ts), as TypeBox schemas: the report's types
 * are inferred from them and the API documents and serialises the report with them.
 */
import { Type, type Static } from 'typebox';

/**
 * The figures of a case the totals are computed from: a case is changed when any of them differs,
 * so that a total that differs always rests on at least one changed case (who decided counts
 * towards the auto-approval rate, the times towards the on-time rate and the mean time to close,
 * shipping and compensation towards their sums).
 */
export const COMPARED_FIGURES = ['outcome', 'decision', 'decidedBy', 'approvedMinor', 'refundedMinor', 'shippingRefundedMinor', 'compensationMinor', 'costMinor', 'slaBreached', 'hoursToSolution', 'hoursToClose', 'reminders'] as const;

const Nullable = <T extends ReturnType<typeof Type.Number>>(t: T) => Type.Union([t, Type.Null()]);

export const CaseFiguresSchema = Type.Object({
  outcome: Type.String({ description: "the workflow's result (REFUNDED, REJECTED, NOT_SHIPPED…), or UNFINISHED / FAILED" }),
  stage: Type.String(),
  decision: Type.Union([Type.String(), Type.Null()], { description: 'the outcome of the decision on the request, as its SOLUTION_PROPOSED step recorded it: APPROVE or REJECT for returns, other types’ own (a missing item’s REFUND_NOW, …); null where the case type decides none' }),
  decidedBy: Type.Union([Type.Literal('POLICY'), Type.Literal('AGENT'), Type.Null()]),
  approvedMinor: Type.Integer({ description: 'what the approval grants at the order prices' }),
  refundedMinor: Type.Integer({ description: 'refunds paid, as the costs count them: a refund paid as compensation (a delay\'s) is in compensationMinor instead' }),
  shippingRefundedMinor: Type.Integer(),
  compensationMinor: Type.Integer(),
  costMinor: Type.Integer({ description: 'the net cost from the ledger (refunds, goods, logistics, repairs, compensation, less recovered claims)' }),
  hoursToSolution: Nullable(Type.Number()),
  hoursToClose: Nullable(Type.Number()),
  slaBreached: Type.Boolean(),
  reminders: Type.Optional(Type.Integer({ description: 'reminders sent to staff (an agent, the warehouse…) while the case waited for them, each escalating it; absent from reports made before it was reported' })),
  diverged: Type.Boolean({ description: 'recorded inputs the new path refused (dropped; see why)' }),
  assumed: Type.Boolean({ description: "waits history had no answer for, ended by the policy's default for silence" }),
  why: Type.Array(Type.String(), { description: 'the same in English sentences (the files carry these)' }),
  dropped: Type.Array(
    Type.Object({
      input: Type.String({ description: 'the update or signal (submitReturnShipment, propose…)' }),
      afterHours: Type.Number({ description: 'its recorded offset from the opening' }),
      stage: Type.String({ description: 'where the simulated case was when it refused it' }),
      reason: Type.String({ description: "the workflow's own words" }),
    }),
  ),
  assumedAt: Type.Array(Type.Object({ stage: Type.String(), rule: Type.String(), outcome: Type.String() }), { description: "waits history had no answer for: the stage, the policy's rule and what it decided" }),
});

export const TotalSchema = Type.Object({
  name: Type.Union([
    Type.Literal('refundedMinor'),
    Type.Literal('approvedMinor'),
    Type.Literal('shippingRefundedMinor'),
    Type.Literal('compensationMinor'),
    Type.Literal('costPerCaseMinor'),
    Type.Literal('autoApprovalRate'),
    Type.Literal('reminders'),
    Type.Literal('slaBreaches'),
    Type.Literal('onTimeRate'),
    Type.Literal('meanHoursToClose'),
  ]),
  unit: Type.Union([Type.Literal('minor'), Type.Literal('share'), Type.Literal('hours'), Type.Literal('count')]),
  baseline: Nullable(Type.Number()),
  candidate: Nullable(Type.Number()),
  difference: Type.Union([Type.Number(), Type.Null()], { description: 'candidate less baseline; both rounded as shown (whole minor units, 0.1 % of a share, 0.1 h)' }),
  actual: Type.Optional(
    Type.Union([Type.Number(), Type.Null()], {
      description: 'what really happened to the same cases, by the same rule, from their timelines and ledgers (the cases still open count as far as they went); absent from reports made before it was reported',
    }),
  ),
  cases: Type.Integer({ description: 'how many cases the figure rests on (money: the cases both runs finished, or both left open; the on-time rate: those solved or past their deadline)' }),
});

export const CaseComparisonSchema = Type.Object({
  caseId: Type.String(),
  type: Type.String({ description: 'the case type (RETURN_AND_REFUND…), or its workflow type where unknown' }),
  changed: Type.Boolean({ description: 'whether the candidate took the case anywhere else: any of the figures the totals are computed from (see differences)' }),
  differences: Type.Optional(
    Type.Array(
      Type.Union([
        Type.Literal('outcome'),
        Type.Literal('decision'),
        Type.Literal('decidedBy'),
        Type.Literal('approvedMinor'),
        Type.Literal('refundedMinor'),
        Type.Literal('shippingRefundedMinor'),
        Type.Literal('compensationMinor'),
        Type.Literal('costMinor'),
        Type.Literal('slaBreached'),
        Type.Literal('hoursToSolution'),
        Type.Literal('hoursToClose'),
        Type.Literal('reminders'),
      ]),
      { description: 'the figures of the case that differ between baseline and candidate (empty when unchanged; absent from reports made before it was reported)' },
    ),
  ),
  baseline: CaseFiguresSchema,
  candidate: CaseFiguresSchema,
});

export const SimulationReportSchema = Type.Object({
  cases: Type.Integer(),
  totals: Type.Array(TotalSchema),
  counts: Type.Object({
    changed: Type.Integer(),
    diverged: Type.Integer(),
    assumed: Type.Integer(),
    unfinished: Type.Object({ baseline: Type.Integer(), candidate: Type.Integer() }),
  }),
  notShown: Type.Array(Type.String(), { description: 'what the candidate changes that history cannot show, in words' }),
  rows: Type.Array(CaseComparisonSchema),
});


export type CaseFigures = Static<typeof CaseFiguresSchema>;
export type CaseComparison = Static<typeof CaseComparisonSchema>;
export type Total = Static<typeof TotalSchema>;
export type TotalName = Total['name'];
export type SimulationReport = Static<typeof SimulationReportSchema>;
