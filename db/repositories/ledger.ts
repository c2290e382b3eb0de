/**
 * Documents and money as an append-only ledger (the database refuses UPDATE, DELETE and TRUNCATE).
 * Amounts are signed integer minor units: money paid out (a REFUND) is negative. Each entry carries
 * an idempotency key derived from the case and the step, so a retried append books nothing twice.
 */
import type { LedgerKind, Prisma } from '../../generated/prisma/client.js';
import { IdempotencyConflict, type Db, type Json } from './shared.js';

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

export interface NewLedgerEntry {
  caseId: string;
  kind: LedgerKind;
  amountMinor: bigint | number;
  currency: string;
  /** Per-SKU quantities, prices, … of the document. */
  lines?: Json;
  /** e.g. the payment provider's refund id. */
  reference?: string;
  idempotencyKey: string;
}

const sameEntry = (a: LedgerEntry, b: NewLedgerEntry) =>
  a.caseId === b.caseId && a.kind === b.kind && a.amountMinor === BigInt(b.amountMinor) && a.currency === b.currency;

export function createLedgerRepository(db: Db) {
  return {
    /**
     * Books the entry once per idempotency key. A retry returns the entry booked first (`created: false`);
     * the same key with another case, kind, amount or currency is an IdempotencyConflict.
     */
    async append(e: NewLedgerEntry): Promise<{ entry: LedgerEntry; created: boolean }> {
      const [entry] = await db.ledgerEntry.createManyAndReturn({
        data: [{ caseId: e.caseId, kind: e.kind, amountMinor: BigInt(e.amountMinor), currency: e.currency, lines: e.lines ?? [], reference: e.reference, idempotencyKey: e.idempotencyKey }],
        skipDuplicates: true,
        select: ledgerEntry,
      });
      if (entry) return { entry, created: true };
      const existing = await db.ledgerEntry.findUniqueOrThrow({ where: { idempotencyKey: e.idempotencyKey }, select: ledgerEntry });
      if (!sameEntry(existing, e)) throw new IdempotencyConflict(`ledger entry ${e.idempotencyKey}`);
      return { entry: existing, created: false };
    },

    /** The case's entries in booking order; only those of `kinds` when given (a customer sees only refunds). */
    async list(caseId: string, kinds?: readonly LedgerKind[]): Promise<LedgerEntry[]> {
      return db.ledgerEntry.findMany({ where: { caseId, ...(kinds ? { kind: { in: [...kinds] } } : {}) }, orderBy: { id: 'asc' }, select: ledgerEntry });
    },

    /** What the customer got back, per currency, as a positive amount (REFUND entries are booked negative). */
    async refundedPerCurrency(caseId: string): Promise<Array<{ currency: string; refundedMinor: bigint }>> {
      const sums = await db.ledgerEntry.groupBy({ by: ['currency'], where: { caseId, kind: 'REFUND' }, _sum: { amountMinor: true }, orderBy: { currency: 'asc' } });
      return sums.map((s) => ({ currency: s.currency, refundedMinor: -(s._sum.amountMinor ?? 0n) }));
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
