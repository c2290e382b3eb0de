/**
 * The case read model: written before the case's workflow starts (idempotent on the id the API
 * chose), then moved forward by the workflow's projections, and listed by the agents' filters.
 */
import type { CaseStatus, CaseType, Prisma } from '../../generated/prisma/client.js';
import { IdempotencyConflict, type Db, type Json } from './shared.js';

/** What lists and case views show. The order snapshot and the request stay out (ask `details`). */
export const caseSummarySelect = {
  id: true,
  merchantId: true,
  reference: true,
  type: true,
  status: true,
  stage: true,
  orderId: true,
  customerId: true,
  customerLocale: true,
  currency: true,
  requestedAmountMinor: true,
  refundedAmountMinor: true,
  deadlines: true,
  solutionDueAt: true,
  nextDeadlineAt: true,
  assigneeId: true,
  escalated: true,
  late: true,
  policyVersion: true,
  workflowId: true,
  satisfaction: true,
  closeReason: true,
  stuck: true,
  stuckReason: true,
  projectionVersion: true,
  createdAt: true,
  updatedAt: true,
  resolvedAt: true,
  closedAt: true,
} satisfies Prisma.CaseSelect;
const caseSummary = caseSummarySelect;

export type CaseSummary = Prisma.CaseGetPayload<{ select: typeof caseSummary }>;

const caseDetails = { ...caseSummary, orderSnapshot: true, request: true, returnTrackingNumber: true } satisfies Prisma.CaseSelect;
export type CaseDetails = Prisma.CaseGetPayload<{ select: typeof caseDetails }>;

export interface NewCase {
  /** Chosen by the API (ULID/uuid); the idempotency key of the creation. */
  id: string;
  merchantId: string;
  type: CaseType;
  orderId: string;
  orderSnapshot: Json;
  request?: Json;
  customerId: string;
  customerLocale?: string;
  currency: string;
  requestedAmountMinor?: bigint | number;
  /** The policy version the case starts with and keeps. */
  policyVersion: number;
  workflowId: string;
  stage?: string;
  createdAt?: Date;
}

/** What a workflow projection may change; `version` orders projections (newer wins, older is ignored). */
export interface CaseProjection {
  id: string;
  version: number;
  stage?: string;
  status?: CaseStatus;
  deadlines?: Record<string, string | number>;
  solutionDueAt?: Date | null;
  nextDeadlineAt?: Date | null;
  assigneeId?: string | null;
  escalated?: boolean;
  late?: boolean;
  refundedAmountMinor?: bigint | number;
  satisfaction?: number | null;
  closeReason?: string | null;
  resolvedAt?: Date | null;
  closedAt?: Date | null;
  returnTrackingNumber?: string | null;
}

export interface CaseFilter {
  merchantId?: string;
  status?: CaseStatus | CaseStatus[];
  type?: CaseType;
  assigneeId?: string;
  customerId?: string;
  late?: boolean;
  escalated?: boolean;
  createdFrom?: Date;
  createdBefore?: Date;
  /** From the previous page's `nextCursor`. */
  cursor?: string;
  /** 1…100, default 50. */
  limit?: number;
}

// Keyset paging on (createdAt, id), newest first: served by the (…, createdAt) indexes at any depth.
const encodeCursor = (c: { createdAt: Date; id: string }) => Buffer.from(JSON.stringify([c.createdAt.toISOString(), c.id])).toString('base64url');
function decodeCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
  const createdAt = new Date(at);
  if (typeof id !== 'string' || Number.isNaN(createdAt.getTime())) throw new RangeError('invalid cursor');
  return { createdAt, id };
}

export function createCaseRepository(db: Db) {
  return {
    /** Creates the case row once; the same id again returns the row (`created: false`). */
    async create(c: NewCase): Promise<{ case: CaseSummary; created: boolean }> {
      const [row] = await db.case.createManyAndReturn({
        data: [
          {
            ...c,
            stage: c.stage ?? 'OPENED',
            request: c.request ?? {},
            requestedAmountMinor: BigInt(c.requestedAmountMinor ?? 0),
          },
        ],
        skipDuplicates: true,
        select: caseSummary,
      });
      if (row) return { case: row, created: true };
      const existing = await db.case.findUnique({ where: { id: c.id }, select: caseSummary });
      // ON CONFLICT DO NOTHING also skips a clash on workflowId, which belongs to another case.
      if (!existing || existing.workflowId !== c.workflowId || existing.orderId !== c.orderId) throw new IdempotencyConflict(`case ${c.id} / workflow ${c.workflowId}`);
      return { case: existing, created: false };
    },

    /** Applies a projection only if it is newer than the stored one; returns whether it was applied. */
    async project(p: CaseProjection): Promise<boolean> {
      const { id, version, refundedAmountMinor, ...fields } = p;
      const { count } = await db.case.updateMany({
        where: { id, projectionVersion: { lt: version } },
        data: {
          ...fields,
          projectionVersion: version,
          ...(refundedAmountMinor !== undefined ? { refundedAmountMinor: BigInt(refundedAmountMinor) } : {}),
        },
      });
      return count === 1;
    },

    async get(id: string): Promise<CaseSummary | null> {
      return db.case.findUnique({ where: { id }, select: caseSummary });
    },

    async details(id: string): Promise<CaseDetails | null> {
      return db.case.findUnique({ where: { id }, select: caseDetails });
    },

    async byWorkflowId(workflowId: string): Promise<CaseSummary | null> {
      return db.case.findUnique({ where: { workflowId }, select: caseSummary });
    },

    /** A page of cases, newest first, by the agents' filters. */
    async list(f: CaseFilter = {}): Promise<{ items: CaseSummary[]; nextCursor?: string }> {
      const limit = Math.min(Math.max(Math.trunc(f.limit ?? 50), 1), 100);
      const after = f.cursor ? decodeCursor(f.cursor) : undefined;
      const where: Prisma.CaseWhereInput = {
        merchantId: f.merchantId,
        status: Array.isArray(f.status) ? { in: f.status } : f.status,
        type: f.type,
        assigneeId: f.assigneeId,
        customerId: f.customerId,
        late: f.late,
        escalated: f.escalated,
        createdAt: f.createdFrom || f.createdBefore ? { gte: f.createdFrom, lt: f.createdBefore } : undefined,
        ...(after ? { OR: [{ createdAt: { lt: after.createdAt } }, { createdAt: after.createdAt, id: { lt: after.id } }] } : {}),
      };
      const rows = await db.case.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit + 1, select: caseSummary });
      const items = rows.slice(0, limit);
      return rows.length > limit ? { items, nextCursor: encodeCursor(items[items.length - 1]!) } : { items };
    },
  };
}

export type CaseRepository = ReturnType<typeof createCaseRepository>;
