/**
 * What one simulated case came to, read from what its workflow recorded in memory: the stages it
 * went through, its decisions, refunds, ledger, times, and how far it rests on history (diverged:
 * recorded inputs the new path refused; assumed: waits history had no answer for). Pure.
 */
import type { LedgerDocument } from '../activities/contract.js';
import type { CostBreakdown } from '../db/costs.js';
import type { ActualCaseFacts } from '../db/policy-simulations.js';
import type { InMemoryCaseActivities, TimedTransition } from './in-memory-activities.js';

export interface DecisionTaken {
  /** The step that recorded it (SOLUTION_PROPOSED, NOT_SHIPPED, REFUND_DECIDED…). */
  kind: string;
  stage: string;
  rule: string;
  outcome: string;
}

export interface DroppedInput {
  afterMs: number;
  kind: string;
  /** What the workflow answered under the simulated policy (validator message, or "the case is closed"). */
  reason: string;
  /** The simulated case's stage when it refused (its last step), for words in any language. */
  stage: string;
}

/** A wait history has no answer for, ended by the policy's default for silence. */
export interface Assumption {
  /** The stage the case waited at (UNFINISHED: the case was still open when the simulation stopped). */
  stage: string;
  rule: string;
  outcome: string;
}

export interface CaseResult {
  /** The recorded case and the id it ran under in the simulation. */
  caseId: string;
  simulatedCaseId: string;
  workflowType: string;
  /** The workflow's result (REJECTED, NOT_SHIPPED, CLOSED_UNANSWERED…), or FAILED / UNFINISHED. */
  outcome: string;
  /** The status and stage of its last step. */
  status: string;
  stage: string;
  /** Every stage it entered, in order (consecutive repeats once). */
  stages: string[];
  decisions: DecisionTaken[];
  /** The decision on the request, as the SOLUTION_PROPOSED step recorded it: APPROVE / REJECT for returns, another type's own outcome (REFUND_NOW, …). */
  decision?: string;
  /** What the approval grants at the order's prices (the approved lines), before anything comes back; 0 when rejected. */
  approvedMinor: number;
  /** Refunds paid to the customer. */
  refunds: number[];
  /** Reminders to staff while the case waited for them (an agent, the warehouse…: steps *_REMINDER), each escalating it. */
  reminders: number;
  refundedMinor: number;
  shippingRefundedMinor: number;
  /** Who decided the request: the policy's rules, or an agent (recorded proposal). */
  decidedBy?: 'POLICY' | 'AGENT';
  /** The ledger: documents by kind, amounts summed (refunds negative). */
  ledger: Record<string, number>;
  /** What the case cost, by the rules of db/costs.ts. */
  cost: CostBreakdown;
  /** From the opening, on the simulated clock; undefined when never reached. */
  timeToSolutionMs?: number;
  timeToCloseMs?: number;
  slaBreached: boolean;
  diverged: boolean;
  dropped: DroppedInput[];
  /** Recorded refusals that the simulated workflow took. */
  formerlyRefusedAccepted: Array<{ afterMs: number; kind: string }>;
  assumed: boolean;
  assumptions: string[];
  /** The same, as data. */
  assumedAt: Assumption[];
  /** Why the run did not finish, when it did not. */
  error?: string;
}

/** Decisions taken because nobody answered in time: the policy's default for silence. */
export const SILENCE_RULES = new Set([
  'customerShipReturnDays',
  'proposalAcceptanceHours',
  'proposalDefaultAccept',
  'revisitAnswerDays',
  'returnArrivalDays',
  'merchantAnswerHours',
  'inspectionHours',
  'missingItemsDefaultRemedy',
  'interceptionDays',
]);

/** The input that answers a wait at each stage: a silence there means history had no such input, when it has none of this kind. */
const ANSWERED_BY: Record<string, string[]> = {
  AWAITING_DECISION: ['propose'],
  AWAITING_CUSTOMER_CONSENT: ['answerProposal'],
  AWAITING_RETURN_SHIPMENT: ['submitReturnShipment'],
  AWAITING_ARRIVAL: ['arrivalScanned'],
  AWAITING_INSPECTION: ['reportInspection'],
  AWAITING_REVISIT: ['answerRevisit'],
  AWAITING_AGENT: ['resolveByAgent'],
};

export interface CaseRunFacts {
  caseId: string;
  simulatedCaseId: string;
  workflowType: string;
  openedAt: number;
  opening: Record<string, unknown>;
  outcome: string;
  error?: string;
  store: InMemoryCaseActivities;
  dropped: DroppedInput[];
  formerlyRefusedAccepted: Array<{ afterMs: number; kind: string }>;
  /** The kinds of every recorded input (accepted or not). */
  recordedKinds: Set<string>;
  recordedStages?: string[];
}

export function caseResult(f: CaseRunFacts): CaseResult {
  const steps: TimedTransition[] = [...f.store.transitions].sort((a, b) => a.version - b.version);
  const stages: string[] = [];
  for (const t of steps) if (stages.at(-1) !== t.stage) stages.push(t.stage);
  const decisions = steps.filter((t) => t.decision).map((t) => ({ kind: t.kind, stage: t.stage, rule: t.decision!.rule, outcome: t.decision!.outcome }));
  const { decision, decidedBy } = requestDecision(steps);
  const ledger = ledgerByKind(f.store.ledger);
  const shippingRefundedMinor = shippingRefunded(f.store.ledger);
  const refunds = f.store.refunds.map((r) => r.amountMinor);
  const solvedAt = solutionGivenAt(steps) ?? steps.find((t) => t.kind === 'SOLUTION_PROPOSED' || t.status === 'RESOLVED' || t.status === 'CLOSED')?.at;
  const closedAt = steps.find((t) => t.status === 'CLOSED')?.at;
  const last = steps.at(-1);

  // Silence at a stage the real case never reached (or, not knowing its stages, a stage no recorded
  // input answers): assumed. So is silence at the stage the real case is still at (its last): its wait
  // has not ended in reality — a return still to be sent, a revisit or a merchant still to answer —
  // and the replay, run on past the end of history, ended it by the policy's default.
  const stillWaitsAt = f.recordedStages?.at(-1);
  const assumptions: string[] = [];
  const assumedAt: Assumption[] = [];
  steps.forEach((t, n) => {
    if (!t.decision || !SILENCE_RULES.has(t.decision.rule)) return;
    const waitedAt = steps[n - 1]?.stage ?? t.stage;
    const stillWaiting = waitedAt === stillWaitsAt;
    const unknown = f.recordedStages ? !f.recordedStages.includes(waitedAt) || stillWaiting : !(ANSWERED_BY[waitedAt] ?? []).some((k) => f.recordedKinds.has(k));
    if (!unknown) return;
    assumptions.push(`at ${waitedAt} ${stillWaiting ? 'the real case still waits' : 'history has no answer'}: ${t.decision.rule} → ${t.decision.outcome} (the policy's default for silence)`);
    assumedAt.push({ stage: waitedAt, rule: t.decision.rule, outcome: t.decision.outcome });
  });
  for (const a of f.store.providerAnswers) {
    // What the warehouse told another case of the order: history's, but not this case's (reported as any stand-in).
    if (a.fromAnotherCase) assumptions.push(`at ${a.stage} the warehouse's dispatch record is not in this case's history: what the warehouse told another case of the order stood in`);
    else assumptions.push(`at ${a.stage} the ${a.kind === 'courierTrace' ? "courier's trace" : "warehouse's dispatch record"} is not in history: the simulator's answer stood in`);
    assumedAt.push({ stage: a.stage, rule: a.kind, outcome: 'SIMULATED' });
  }
  if (f.outcome === 'UNFINISHED') {
    assumptions.push('the case was still open when the simulation stopped');
    assumedAt.push({ stage: last?.stage ?? 'OPENED', rule: 'runOnDays', outcome: 'UNFINISHED' });
  }

  return {
    caseId: f.caseId,
    simulatedCaseId: f.simulatedCaseId,
    workflowType: f.workflowType,
    outcome: f.outcome,
    status: last?.status ?? 'UNKNOWN',
    stage: last?.stage ?? 'UNKNOWN',
    stages,
    decisions,
    decision,
    ...(decidedBy ? { decidedBy } : {}),
    approvedMinor: decision === 'APPROVE' ? approvedValue(f.opening, steps) : 0,
    refunds,
    reminders: remindersIn(steps),
    refundedMinor: refunds.reduce((a, b) => a + b, 0),
    shippingRefundedMinor,
    ledger,
    cost: ledgerCost(f.store.ledger),
    timeToSolutionMs: solvedAt === undefined ? undefined : solvedAt - f.openedAt,
    timeToCloseMs: closedAt === undefined ? undefined : closedAt - f.openedAt,
    slaBreached: steps.some((t) => t.kind === 'SLA_BREACHED'),
    diverged: f.dropped.length > 0,
    dropped: f.dropped,
    formerlyRefusedAccepted: f.formerlyRefusedAccepted,
    assumed: assumptions.length > 0,
    assumptions,
    assumedAt,
    ...(f.error ? { error: f.error } : {}),
  };
}

/**
 * When the solution was given, as the workflow itself judged it (its `solved` test, stamped on
 * every step from then on: workflows/case-machinery.ts `withSolutionGiven`), which is what the
 * same-day deadline and the read model's case row count. A case type without a SOLUTION_PROPOSED
 * step is solved by its own rule — a quality problem by the discount offered once misuse is ruled
 * out — and reading its first RESOLVED step instead gave a replay whose customer then never sent
 * the free return a solution time of days (its close), against seconds in reality. Steps without
 * the stamp (none written after the solution) fall back to that older reading.
 */
const solutionGivenAt = (steps: ReadonlyArray<{ solutionGivenAt?: number }>): number | undefined => steps.find((t) => t.solutionGivenAt !== undefined)?.solutionGivenAt;

type Line = { sku: string; quantity: number };
type DecidedStep = { kind: string; decision?: { rule: string; outcome: string; values?: Record<string, unknown> } | null };

/** The decision on the request as its SOLUTION_PROPOSED step recorded it, and who took it. */
function requestDecision(steps: readonly DecidedStep[]): { decision?: string; decidedBy?: 'POLICY' | 'AGENT' } {
  const proposed = steps.find((t) => t.kind === 'SOLUTION_PROPOSED')?.decision;
  if (!proposed) return {};
  return {
    decision: ['APPROVE', 'REJECT'].includes(proposed.outcome) ? proposed.outcome : String(proposed.values?.decision ?? proposed.outcome),
    decidedBy: proposed.rule === 'agentDecision' ? 'AGENT' : 'POLICY',
  };
}

const ledgerByKind = (docs: readonly LedgerDocument[]): Record<string, number> => {
  const ledger: Record<string, number> = {};
  for (const d of docs) ledger[d.kind] = (ledger[d.kind] ?? 0) + d.amountMinor;
  return ledger;
};

/** Reminders to staff among a case's steps (AGENT_REMINDER, WAREHOUSE_REMINDER, COMPLAINT_REMINDER…): how often the case had to chase someone. */
const remindersIn = (steps: ReadonlyArray<{ kind: string }>) => steps.filter((t) => t.kind.endsWith('_REMINDER')).length;

const shippingRefunded = (docs: readonly LedgerDocument[]) =>
  docs
    .filter((d) => d.kind === 'REFUND')
    .flatMap((d) => d.lines)
    .filter((l) => l.kind === 'SHIPPING')
    .reduce((sum, l) => sum + Number(l.amountMinor ?? 0), 0);

/**
 * What a recorded case really came to, as a result of the same shape as a simulated one (the
 * what-if's "actual" column): the same decision, approval, cost and time rules, read from the real
 * timeline and ledger instead of a simulated run. Nothing is diverged or assumed: it happened.
 */
export function actualResult(f: ActualCaseFacts): CaseResult {
  const { decision, decidedBy } = requestDecision(f.steps);
  // The same rule as a simulated case: the workflow's own "solution given", kept on the case row.
  const solvedAt = f.solutionGivenAt ?? f.steps.find((t) => t.kind === 'SOLUTION_PROPOSED')?.at ?? f.resolvedAt ?? f.closedAt;
  const refunds = f.ledger.filter((d) => d.kind === 'REFUND').map((d) => -d.amountMinor);
  return {
    caseId: f.caseId,
    simulatedCaseId: f.caseId,
    workflowType: f.workflowType,
    // Closed: why, as a replay's outcome says it (a rejected case reads "Rejected", not "Closed").
    outcome: (f.status === 'CLOSED' && f.closeReason) || f.status,
    status: f.status,
    stage: f.stage,
    stages: [],
    decisions: [],
    ...(decision ? { decision } : {}),
    ...(decidedBy ? { decidedBy } : {}),
    approvedMinor: decision === 'APPROVE' ? approvedValue(f.opening, f.steps) : 0,
    refunds,
    reminders: remindersIn(f.steps),
    refundedMinor: refunds.reduce((a, b) => a + b, 0),
    shippingRefundedMinor: shippingRefunded(f.ledger),
    ledger: ledgerByKind(f.ledger),
    cost: ledgerCost(f.ledger),
    ...(solvedAt === undefined ? {} : { timeToSolutionMs: solvedAt - f.openedAt }),
    ...(f.closedAt === undefined ? {} : { timeToCloseMs: f.closedAt - f.openedAt }),
    slaBreached: f.steps.some((t) => t.kind === 'SLA_BREACHED'),
    diverged: false,
    dropped: [],
    formerlyRefusedAccepted: [],
    assumed: false,
    assumptions: [],
    assumedAt: [],
  };
}

/** The value of the approved lines (the agent's, else the request's) at the order's prices. */
function approvedValue(opening: Record<string, unknown>, steps: readonly DecidedStep[]): number {
  const order = opening.order as { items?: Array<{ sku: string; unitPriceMinor: number }> } | undefined;
  const request = opening.request as { lines?: Line[] } | undefined;
  const agentLines = steps.find((t) => t.kind === 'SOLUTION_PROPOSED')?.decision?.values?.lines as Line[] | undefined;
  const lines = agentLines ?? request?.lines ?? [];
  return lines.reduce((sum, l) => sum + l.quantity * (order?.items?.find((i) => i.sku === l.sku)?.unitPriceMinor ?? 0), 0);
}

/**
 * A simulated case's cost from its in-memory ledger, by the rules db/costs.ts applies to the real
 * ledger in SQL: refunds out, claims recovered in, replacement goods at cost (OUTBOUND lines),
 * return logistics, repairs and compensation from expense notes (notes that only document a refund are not
 * counted again), and a refund paid as compensation (a delay's: its line of kind COMPENSATION)
 * counted as compensation, not as a refund. Without that last rule the what-if's compensation
 * total said 0 for a run whose delays were compensated, while the case's costs said otherwise.
 */
export function ledgerCost(docs: readonly LedgerDocument[]): CostBreakdown {
  const c = { refundsMinor: 0, replacementGoodsMinor: 0, logisticsMinor: 0, repairsMinor: 0, compensationMinor: 0, recoveredMinor: 0 };
  const n = (v: unknown) => Number(v ?? 0) || 0;
  for (const d of docs) {
    if (d.kind === 'REFUND') c.refundsMinor -= d.amountMinor;
    if (d.kind === 'CLAIM_RECOVERY') c.recoveredMinor += d.amountMinor;
    for (const l of d.lines) {
      if (d.kind === 'REFUND' && l.kind === 'COMPENSATION') {
        c.refundsMinor -= n(l.amountMinor);
        c.compensationMinor += n(l.amountMinor);
      }
      // The customer's own money going back (db/costs.ts): no cost.
      if (d.kind === 'REFUND' && l.kind === 'DIFFERENCE_RETURNED') c.refundsMinor -= n(l.amountMinor);
      // Goods booked out and put back unsent (db/costs.ts): their negative quantities take them off.
      if (d.kind === 'OUTBOUND' || (d.kind === 'OUTBOUND_REVERSAL' && l.unsent === true)) c.replacementGoodsMinor += n(l.quantity) * n(l.unitCostMinor);
      // A loan product back in good order is back in stock (db/costs.ts): off the goods.
      if (d.kind === 'RETURN_NOTE' && l.loan === true) c.replacementGoodsMinor -= n(l.stockDelta) * n(l.unitCostMinor);
      if (d.kind === 'EXPENSE_NOTE' && l.purpose === 'RETURN_SHIPPING') c.logisticsMinor += n(l.amountMinor);
      if (d.kind === 'EXPENSE_NOTE' && l.purpose === 'REPAIR') c.repairsMinor += n(l.amountMinor);
      if (d.kind === 'EXPENSE_NOTE' && (l.purpose === 'COMPENSATION' || l.purpose === 'GIFT')) c.compensationMinor += n(l.amountMinor);
    }
  }
  return { ...c, netMinor: c.refundsMinor + c.replacementGoodsMinor + c.logisticsMinor + c.repairsMinor + c.compensationMinor - c.recoveredMinor };
}
