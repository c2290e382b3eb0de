/**
 * Policy what-if jobs (table PolicySimulation): asked for through the API, run by the worker
 * (activities/policy-simulation.ts), read back for progress and the report. One merchant's job is
 * found only under that merchant.
 */
import type { Prisma } from '../generated/prisma/client.js';
import type { LedgerDocument } from '../activities/contract.js';
import type { Db } from './client.js';

export type SimulationStatus = 'RUNNING' | 'DONE' | 'FAILED';

export interface PolicySimulationRow {
  id: string;
  merchantId: string;
  requestedBy: string;
  from: Date;
  to: Date;
  changes: unknown;
  baseVersion: number;
  candidate: unknown;
  status: string;
  runsDone: number;
  runsTotal: number;
  result: unknown;
  error: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

export type NewPolicySimulation = Pick<PolicySimulationRow, 'id' | 'merchantId' | 'requestedBy' | 'from' | 'to' | 'changes' | 'baseVersion' | 'candidate'>;

const json = (v: unknown) => v as Prisma.InputJsonValue;

/** A recorded case as it really went, from the read model: its opening, its steps and its ledger (simulation/result.ts actualResult). */
export interface ActualCaseFacts {
  caseId: string;
  /** The case type (RETURN_AND_REFUND…). */
  workflowType: string;
  openedAt: number;
  status: string;
  /** Why it closed (REJECTED, SATISFIED, ALREADY_SHIPPED…), once closed. */
  closeReason?: string;
  stage: string;
  /** The order and the request, as the case row keeps them. */
  opening: Record<string, unknown>;
  /** Its steps in order, those the figures read: the decision on the request, a missed deadline. */
  steps: Array<{ kind: string; at: number; decision: { rule: string; outcome: string; values?: Record<string, unknown> } | null }>;
  ledger: LedgerDocument[];
  /** When its workflow gave the solution (the case row's solutionGivenAt), if it did. */
  solutionGivenAt?: number;
  /** When it was resolved and closed, if it was. */
  resolvedAt?: number;
  closedAt?: number;
}

const byCase = <T extends { caseId: string }>(rows: T[]): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.caseId);
    if (list) list.push(r);
    else m.set(r.caseId, [r]);
  }
  return m;
};

/** The steps the actual figures read (simulation/result.ts): a decision on the request, a missed same-day deadline. */
const FIGURE_STEPS = ['SOLUTION_PROPOSED', 'SLA_BREACHED'];

export function createPolicySimulations(db: Db) {
  return {
    async create(s: NewPolicySimulation): Promise<PolicySimulationRow> {
      return db.policySimulation.create({ data: { ...s, changes: json(s.changes), candidate: json(s.candidate), status: 'RUNNING' } });
    },
    async get(merchantId: string, id: string): Promise<PolicySimulationRow | null> {
      return db.policySimulation.findFirst({ where: { id, merchantId } });
    },
    /** Newest first, without the reports (they can be large). */
    async list(merchantId: string, limit: number): Promise<Array<Omit<PolicySimulationRow, 'result'>>> {
      return db.policySimulation.findMany({
        where: { merchantId },
        orderBy: { createdAt: 'desc' },
        take: limit,
        omit: { result: true },
      });
    },
    async byId(id: string): Promise<PolicySimulationRow | null> {
      return db.policySimulation.findUnique({ where: { id } });
    },
    /**
     * A retried job starts again from nothing: its progress and any earlier outcome go. `error`: why
     * the attempt before failed (a retry says so while it runs), else none.
     */
    async started(id: string, runsTotal: number, error: string | null = null): Promise<void> {
      await db.policySimulation.update({ where: { id }, data: { status: 'RUNNING', runsDone: 0, runsTotal, result: undefined, error, finishedAt: null } });
    },
    /** An attempt failed and another may follow: the job says why while it is still RUNNING (the last attempt's failure marks it FAILED). */
    async attemptFailed(id: string, error: string): Promise<void> {
      await db.policySimulation.updateMany({ where: { id, status: 'RUNNING' }, data: { error } });
    },
    async progress(id: string, runsDone: number): Promise<void> {
      await db.policySimulation.update({ where: { id }, data: { runsDone } });
    },
    async finished(id: string, result: unknown): Promise<void> {
      await db.policySimulation.update({ where: { id }, data: { status: 'DONE', result: json(result), finishedAt: new Date() } });
    },
    async failed(id: string, error: string): Promise<void> {
      await db.policySimulation.update({ where: { id }, data: { status: 'FAILED', error, finishedAt: new Date() } });
    },
    /** What the recorded cases really came to, as far as they went: three reads for any number of cases. */
    async actualCases(caseIds: readonly string[]): Promise<ActualCaseFacts[]> {
      const ids = [...caseIds];
      const [cases, steps, ledger] = await Promise.all([
        db.case.findMany({ where: { id: { in: ids } }, select: { id: true, type: true, createdAt: true, status: true, closeReason: true, stage: true, orderSnapshot: true, request: true, solutionGivenAt: true, resolvedAt: true, closedAt: true } }),
        db.caseEvent.findMany({ where: { caseId: { in: ids }, kind: { in: FIGURE_STEPS } }, orderBy: [{ at: 'asc' }, { id: 'asc' }], select: { caseId: true, kind: true, at: true, decision: true } }),
        db.ledgerEntry.findMany({ where: { caseId: { in: ids } }, orderBy: { id: 'asc' }, select: { caseId: true, kind: true, amountMinor: true, currency: true, lines: true, idempotencyKey: true } }),
      ]);
      const stepsOf = byCase(steps);
      const ledgerOf = byCase(ledger);
      return cases.map((c) => ({
        caseId: c.id,
        workflowType: c.type,
        openedAt: c.createdAt.getTime(),
        status: c.status,
        ...(c.closeReason ? { closeReason: c.closeReason } : {}),
        stage: c.stage,
        opening: { order: c.orderSnapshot, request: c.request },
        steps: (stepsOf.get(c.id) ?? []).map((e) => ({ kind: e.kind, at: e.at.getTime(), decision: (e.decision ?? null) as ActualCaseFacts['steps'][number]['decision'] })),
        ledger: (ledgerOf.get(c.id) ?? []).map((l) => ({ caseId: l.caseId, stepKey: l.idempotencyKey, kind: l.kind as LedgerDocument['kind'], amountMinor: Number(l.amountMinor), currency: l.currency, lines: Array.isArray(l.lines) ? (l.lines as Array<Record<string, unknown>>) : [] })),
        ...(c.solutionGivenAt ? { solutionGivenAt: c.solutionGivenAt.getTime() } : {}),
        ...(c.resolvedAt ? { resolvedAt: c.resolvedAt.getTime() } : {}),
        ...(c.closedAt ? { closedAt: c.closedAt.getTime() } : {}),
      }));
    },
  };
}

export type PolicySimulations = ReturnType<typeof createPolicySimulations>;
