/**
 * Policy what-if jobs (table PolicySimulation): asked for through the API, run by the worker
 * (activities/policy-simulation.ts), read back for progress and the report. One merchant's job is
 * found only under that merchant.
 */
import type { Prisma } from '../generated/prisma/client.js';
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
    /** A retried job starts again from nothing: its progress and any earlier outcome go. */
    async started(id: string, runsTotal: number): Promise<void> {
      await db.policySimulation.update({ where: { id }, data: { status: 'RUNNING', runsDone: 0, runsTotal, result: undefined, error: null, finishedAt: null } });
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
    /** The recorded cases' types, for the report. */
    async caseTypes(caseIds: readonly string[]): Promise<Map<string, string>> {
      const rows = await db.case.findMany({ where: { id: { in: [...caseIds] } }, select: { id: true, type: true } });
      return new Map(rows.map((r) => [r.id, r.type]));
    },
  };
}

export type PolicySimulations = ReturnType<typeof createPolicySimulations>;
