/**
 * Documents and money as an append-only ledger (the database refuses UPDATE, DELETE and TRUNCATE),
 * as the API reads it. Amounts are signed integer minor units: money paid out (a REFUND) is
 * negative. The worker books the entries, once per idempotency key (db/case-store.ts appendLedger).
 */
import type { OrderRefunds, OrderRefundsQuery } from '../../activities/contract.js';
import type { LedgerKind, Prisma } from '../../generated/prisma/client.js';
import type { Db } from './shared.js';

const ledgerEntry = {
  id: true,
  caseId: true,
  kind: true,
  amountMinor: true,
  currency: true,
  lines: true,
  reference: true,
  idempotencyKey: true,
  createdAt: true,
} satisfies Prisma.LedgerEntrySelect;

export type LedgerEntry = Prisma.LedgerEntryGetPayload<{ select: typeof ledgerEntry }>;

/** The merchant's entries booked in [from, to), of some kinds or a currency when given. */
export interface LedgerQuery {
  merchantId: string;
  from: Date;
  to: Date;
  kinds?: readonly LedgerKind[];
  currency?: string;
}

export function createLedgerRepository(db: Db) {
  return {
    /** The case's entries in booking order; only those of `kinds` when given (a customer sees only refunds). */
    async list(caseId: string, kinds?: readonly LedgerKind[]): Promise<LedgerEntry[]> {
      return db.ledgerEntry.findMany({ where: { caseId, ...(kinds ? { kind: { in: [...kinds] } } : {}) }, orderBy: { id: 'asc' }, select: ledgerEntry });
    },

    /**
     * A merchant's entries booked in a time range, in booking order, with their case's type and
     * order (finance reconciles by when money moved, not by when a case opened): `limit` after the
     * entry `afterId`, and one more to tell whether a page follows. By the index on createdAt.
     */
    async booked(q: LedgerQuery & { afterId?: bigint; limit: number }) {
      return db.ledgerEntry.findMany({
        where: { ...bookedWhere(q), ...(q.afterId !== undefined ? { id: { gt: q.afterId } } : {}) },
        orderBy: { id: 'asc' },
        take: q.limit + 1,
        select: { ...ledgerEntry, case: { select: { type: true, orderId: true } } },
      });
    },

    /** What the whole range booked, per kind and currency: count and amount. */
    async bookedTotals(q: LedgerQuery) {
      const groups = await db.ledgerEntry.groupBy({ by: ['kind', 'currency'], where: bookedWhere(q), _count: { _all: true }, _sum: { amountMinor: true } });
      // By name (Postgres orders an enum by its declaration).
      const key = (g: { kind: string; currency: string }) => `${g.kind} ${g.currency}`;
      return groups.sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((g) => ({ kind: g.kind, currency: g.currency, count: g._count._all, amountMinor: Number(g._sum.amountMinor ?? 0n) }));
    },

    /**
     * What the range's expense notes spent, per purpose of their lines (RETURN_SHIPPING, GIFT,
     * REPAIR, REFUND …) and currency: a note's own amount is 0, its money is in its lines (finance
     * reconciling the totals saw EXPENSE_NOTE 0). Lines without a purpose are goods written off,
     * not money (a blank return's lines). None when the query leaves expense notes out.
     */
    async bookedExpenses(q: LedgerQuery): Promise<Array<{ purpose: string; currency: string; count: number; amountMinor: number }>> {
      if (q.kinds && !q.kinds.includes('EXPENSE_NOTE')) return [];
      const rows = await db.$queryRaw<Array<{ purpose: string; currency: string; count: bigint; amountMinor: bigint }>>`
        SELECT l->>'purpose' AS purpose, e.currency, count(*) AS count, sum(CASE WHEN jsonb_typeof(l->'amountMinor') = 'number' THEN (l->>'amountMinor')::numeric ELSE 0 END)::bigint AS "amountMinor"
        FROM "LedgerEntry" e
        JOIN "Case" c ON c.id = e."caseId"
        CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(e.lines) = 'array' THEN e.lines ELSE '[]'::jsonb END) AS l
        WHERE e.kind = 'EXPENSE_NOTE' AND l ? 'purpose' AND c."merchantId" = ${q.merchantId} AND e."createdAt" >= ${q.from} AND e."createdAt" < ${q.to} AND (${q.currency ?? null}::text IS NULL OR e.currency = ${q.currency ?? null})
        GROUP BY 1, 2 ORDER BY 1, 2`;
      return rows.map((r) => ({ purpose: r.purpose, currency: r.currency, count: Number(r.count), amountMinor: Number(r.amountMinor) }));
    },

    /**
     * What the order's other cases refunded of the order's money, in its currency, and whether the
     * shipping fee was among it: what a return's refund is capped by (a case's workflow asks before
     * it refunds; the case view, to say what an agent's choice would refund). A price difference an
     * exchange's customer paid on top of the order and got back (its line DIFFERENCE_RETURNED) was
     * never the order's money, so it takes nothing from what the order has left — as the refund's
     * hold counts it (db/case-store.ts holdRefund), which would otherwise grant more than a decision
     * read from this had offered. A refund the bank sent back counts for nothing.
     */
    async refundedOnOrder(q: OrderRefundsQuery): Promise<OrderRefunds> {
      // Served by Case(merchantId, orderId) and LedgerEntry(caseId, kind).
      const booked = await db.ledgerEntry.findMany({
        where: { kind: { in: ['REFUND', 'REFUND_RETURNED'] }, currency: q.currency, case: { merchantId: q.merchantId, orderId: q.orderId, id: { not: q.caseId } } },
        select: { caseId: true, kind: true, amountMinor: true, lines: true, reference: true },
      });
      // A refund the bank sent back (its REFUND_RETURNED has the refund's reference) refunded nothing.
      const returned = new Set(booked.filter((e) => e.kind === 'REFUND_RETURNED').map((e) => `${e.caseId} ${e.reference}`));
      const entries = booked.filter((e) => e.kind === 'REFUND' && !returned.has(`${e.caseId} ${e.reference}`));
      const lines = (e: { lines: unknown }) => (Array.isArray(e.lines) ? e.lines.filter((l): l is Record<string, unknown> => typeof l === 'object' && l !== null) : []);
      const differenceReturned = (e: { lines: unknown }) => lines(e).reduce((sum, l) => sum + (l.kind === 'DIFFERENCE_RETURNED' && typeof l.amountMinor === 'number' ? l.amountMinor : 0), 0);
      // Refunds are booked as money going out (negative amounts).
      const amountMinor = entries.reduce((sum, e) => sum + Math.max(0, -Number(e.amountMinor) - differenceReturned(e)), 0);
      const shippingRefunded = entries.some((e) => lines(e).some((l) => l.sku === 'SHIPPING'));
      return { amountMinor, shippingRefunded };
    },
  };
}

const bookedWhere = (q: LedgerQuery): Prisma.LedgerEntryWhereInput => ({
  createdAt: { gte: q.from, lt: q.to },
  case: { merchantId: q.merchantId },
  ...(q.kinds ? { kind: { in: [...q.kinds] } } : {}),
  ...(q.currency ? { currency: q.currency } : {}),
});

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
