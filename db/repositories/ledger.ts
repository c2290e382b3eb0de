/**
 * Documents and money as an append-only ledger (the database refuses UPDATE, DELETE and TRUNCATE),
 * as the API reads it. Amounts are signed integer minor units: money paid out (a REFUND) is
 * negative. The worker books the entries, once per idempotency key (db/case-store.ts appendLedger).
 */
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

export function createLedgerRepository(db: Db) {
  return {
    /** The case's entries in booking order; only those of `kinds` when given (a customer sees only refunds). */
    async list(caseId: string, kinds?: readonly LedgerKind[]): Promise<LedgerEntry[]> {
      return db.ledgerEntry.findMany({ where: { caseId, ...(kinds ? { kind: { in: [...kinds] } } : {}) }, orderBy: { id: 'asc' }, select: ledgerEntry });
    },
  };
}

export type LedgerRepository = ReturnType<typeof createLedgerRepository>;
