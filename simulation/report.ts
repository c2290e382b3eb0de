/**
 * The what-if report: the same recorded cases run under the current policy (the baseline) and a
 * candidate, compared case by case and in total. Every total says how many cases it rests on, and
 * the effects of a change that history cannot show (what customers would have done differently)
 * are said in words, never estimated. Pure.
 */
import type { PolicyChange } from '../domain/policy-change.js';
import { COMPARED_FIGURES, type CaseComparison, type CaseFigures, type SimulationReport, type Total, type TotalName } from './report-schema.js';
import type { CaseResult } from './result.js';

export type { CaseComparison, CaseFigures, SimulationReport, Total, TotalName } from './report-schema.js';
export { COMPARED_FIGURES } from './report-schema.js';

const HOUR_MS = 3_600_000;
const hours = (ms: number | undefined) => (ms === undefined ? null : Math.round((ms / HOUR_MS) * 10) / 10);

export function caseFigures(r: CaseResult): CaseFigures {
  return {
    outcome: r.outcome,
    stage: r.stage,
    decision: r.decision ?? null,
    decidedBy: r.decidedBy ?? null,
    approvedMinor: r.approvedMinor,
    // Refunds as the costs count them (db/costs.ts, simulation/result.ts ledgerCost): a refund paid
    // as compensation (a delay's) is in compensationMinor, not here too, so that refunds, goods,
    // logistics, repairs and compensation less what was recovered add up to costMinor.
    refundedMinor: r.cost.refundsMinor,
    shippingRefundedMinor: r.shippingRefundedMinor,
    reminders: r.reminders,
    compensationMinor: r.cost.compensationMinor,
    costMinor: r.cost.netMinor,
    hoursToSolution: hours(r.timeToSolutionMs),
    hoursToClose: hours(r.timeToCloseMs),
    slaBreached: r.slaBreached,
    diverged: r.diverged,
    assumed: r.assumed,
    why: [...r.dropped.map((d) => `${d.kind} (after ${hours(d.afterMs)} h) dropped: ${d.reason}`), ...r.assumptions, ...(r.error ? [r.error] : [])],
    dropped: r.dropped.map((d) => ({ input: d.kind, afterHours: hours(d.afterMs)!, stage: d.stage, reason: d.reason })),
    assumedAt: r.assumedAt,
  };
}

const differences = (a: CaseFigures, b: CaseFigures) => COMPARED_FIGURES.filter((k) => a[k] !== b[k]);

type Figure = (rows: CaseFigures[]) => { value: number | null; cases: number };

/**
 * Each total is rounded to the precision the console shows it in (whole minor units, 0.1 % of a
 * share, 0.1 h), and its difference is the candidate's rounded value less the baseline's. Rounded
 * finer than shown, the page's figures did not add up: a cost per case of 1716.5 and 1583.2 minor
 * units shows as ¥17.17 and ¥15.83, its difference of 133.3 as ¥1.33 (not ¥1.34); shares of 0.3333
 * and 0.6667 as 33.3 % and 66.7 %, their difference as 33.3 %.
 */
const DECIMALS: Record<Total['unit'], number> = { minor: 0, share: 3, hours: 1, count: 0 };
const rounded = (v: number, decimals: number) => Math.round(v * 10 ** decimals) / 10 ** decimals;

const sum =
  (pick: (f: CaseFigures) => number): Figure =>
  (rows) => ({ value: rows.reduce((s, f) => s + pick(f), 0), cases: rows.length });

const mean =
  (pick: (f: CaseFigures) => number | null): Figure =>
  (rows) => {
    const known = rows.map(pick).filter((v): v is number => v !== null);
    return { value: known.length ? known.reduce((s, v) => s + v, 0) / known.length : null, cases: known.length };
  };

const share =
  (among: (f: CaseFigures) => boolean, hit: (f: CaseFigures) => boolean): Figure =>
  (rows) => {
    const base = rows.filter(among);
    return { value: base.length ? base.filter(hit).length / base.length : null, cases: base.length };
  };

const unfinished = (f: CaseFigures) => f.outcome === 'UNFINISHED' || f.outcome === 'FAILED';

/**
 * Money is summed over the cases both runs carried equally far: both finished, or both stopped at
 * the same stage (a parcel never delivered counts what both paid on the way). A case one run
 * finished and the other left waiting (for an agent history has no answer from), or that they left
 * at different stages, has refunded nothing *yet* in one of them, and counted as 0 it read as money
 * saved. Each total's `cases` says how many it rests on.
 */
const carriedAsFar = (a: CaseFigures, b: CaseFigures) => (!unfinished(a) && !unfinished(b)) || (unfinished(a) && unfinished(b) && a.stage === b.stage);

const FIGURES: Array<{ name: TotalName; unit: Total['unit']; of: Figure }> = [
  { name: 'refundedMinor', unit: 'minor', of: sum((f) => f.refundedMinor) },
  { name: 'approvedMinor', unit: 'minor', of: sum((f) => f.approvedMinor) },
  { name: 'shippingRefundedMinor', unit: 'minor', of: sum((f) => f.shippingRefundedMinor) },
  { name: 'compensationMinor', unit: 'minor', of: sum((f) => f.compensationMinor) },
  { name: 'costPerCaseMinor', unit: 'minor', of: mean((f) => f.costMinor) },
  // Of the requests approved or rejected: approved by the policy's rules without an agent. Only
  // APPROVE / REJECT count: another case type's decision (a missing item's REFUND_NOW…) can never be
  // an approval, and counted among the requests it pulled the rate down (2 of 4 decided by the
  // policy on the page, 25 % in the total).
  { name: 'autoApprovalRate', unit: 'share', of: share((f) => f.decision === 'APPROVE' || f.decision === 'REJECT', (f) => f.decision === 'APPROVE' && f.decidedBy === 'POLICY') },
  // How often cases had to chase staff: what a reminder policy changes (each reminder escalates the case).
  { name: 'reminders', unit: 'count', of: sum((f) => f.reminders ?? 0) },
  { name: 'slaBreaches', unit: 'count', of: (rows) => ({ value: rows.filter((f) => f.slaBreached).length, cases: rows.length }) },
  // Of the cases that reached a solution or missed the deadline without one: within the same-day
  // deadline. Counting only the solved, a run with more deadlines missed could read 100 % on time.
  { name: 'onTimeRate', unit: 'share', of: share((f) => f.hoursToSolution !== null || f.slaBreached, (f) => !f.slaBreached) },
  { name: 'meanHoursToClose', unit: 'hours', of: mean((f) => f.hoursToClose) },
];

/**
 * `types`: each recorded case's type, from the read model. `actual`: what each recorded case
 * really came to (simulation/result.ts actualResult), for each total's `actual`: over the same
 * cases as the two runs' figures, those of them the read model has.
 */
export function compareRuns(baseline: readonly CaseResult[], candidate: readonly CaseResult[], change: PolicyChange, types: ReadonlyMap<string, string> = new Map(), actual?: ReadonlyMap<string, CaseResult>): SimulationReport {
  const byCase = new Map(candidate.map((r) => [r.caseId, r]));
  const rows: CaseComparison[] = baseline.flatMap((b) => {
    const c = byCase.get(b.caseId);
    if (!c) return [];
    const [bf, cf] = [caseFigures(b), caseFigures(c)];
    const differs = differences(bf, cf);
    return [{ caseId: b.caseId, type: types.get(b.caseId) ?? b.workflowType, baseline: bf, candidate: cf, changed: differs.length > 0, differences: differs }];
  });
  const alike = rows.filter((r) => carriedAsFar(r.baseline, r.candidate));
  const totals = FIGURES.map(({ name, unit, of }): Total => {
    const over = unit === 'minor' ? alike : rows;
    const [b, c] = [of(over.map((r) => r.baseline)), of(over.map((r) => r.candidate))];
    const [baseline, candidate] = [b.value, c.value].map((v) => (v === null ? null : rounded(v, DECIMALS[unit])));
    // Of the rounded values (rounded again: 0.667 − 0.333 is 0.33400000000000002 in floating point).
    const difference = baseline === null || candidate === null ? null : rounded(candidate - baseline, DECIMALS[unit]);
    if (!actual) return { name, unit, baseline, candidate, difference, cases: Math.min(b.cases, c.cases) };
    const real = of(over.flatMap((r) => (actual.has(r.caseId) ? [caseFigures(actual.get(r.caseId)!)] : [])));
    return { name, unit, baseline, candidate, difference, cases: Math.min(b.cases, c.cases), actual: real.value === null ? null : rounded(real.value, DECIMALS[unit]) };
  });
  return {
    cases: rows.length,
    totals,
    counts: {
      changed: rows.filter((r) => r.changed).length,
      diverged: rows.filter((r) => r.candidate.diverged).length,
      assumed: rows.filter((r) => r.candidate.assumed).length,
      unfinished: { baseline: rows.filter((r) => unfinished(r.baseline)).length, candidate: rows.filter((r) => unfinished(r.candidate)).length },
    },
    notShown: notShown(change),
    rows,
  };
}

/**
 * What history cannot show about a change: recorded customers asked, shipped and answered as they
 * did under the old rules, and the replay sends exactly that. The words for the rules where this
 * matters most; a general sentence for every other changed rule.
 */
const NOT_SHOWN: Record<string, string> = {
  noReasonReturnDays:
    'The no-reason window changes who may ask for a return: history has only the requests customers made under the current window, so returns that would be asked for within a longer window (or not asked for within a shorter one) are not in these figures.',
  outsideWindowAction: 'Customers told their late request is rejected at once may complain or ask again; history has only how they reacted to the current answer.',
  customerShipReturnDays:
    'Customers told they have a different number of days to ship may ship at another time; the replay keeps the recorded shipping times, so a shorter deadline closes the late shippers as not shipped.',
  proposalAcceptanceHours: "Customers' answers to a proposal are replayed when they were given; a different answering time does not change when customers answer.",
  proposalDefaultAccept: 'Where customers did not answer, the new default decides; whether they would have answered knowing the default is not in history.',
  revisitAfterDays: 'Satisfaction answers are replayed as recorded; asking at another time may change who answers and what they score.',
  revisitAnswerDays: 'Satisfaction answers are replayed as recorded; a different answering time may change who answers.',
  shopFaultRefundsShipping: 'Refunding shipping may change how many customers ask for a return or complain; history has only the current behaviour.',
  autoApproveReturnMaxAmountMinor: "Faster approvals may change customers' satisfaction and complaints; history has only the recorded answers.",
};

function notShown(change: PolicyChange): string[] {
  const keys = [...Object.keys(change.rules ?? {}), ...Object.keys(change.businessHours ?? {}).map((k) => `businessHours.${k}`), ...Object.keys(change.fulfilment ?? {}).map((k) => `fulfilment.${k}`)];
  return keys.map(
    (k) =>
      NOT_SHOWN[k] ??
      `${k}: the replay sends every recorded input as it was; how customers, couriers or staff would have acted differently under the changed rule is not in history and not estimated.`,
  );
}
