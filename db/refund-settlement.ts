/**
 * The refund follower's statements (activities/refund-follower.ts) over the refund holds: which
 * pending refunds are due to be asked about again, and what their answers change. A refund the bank
 * sends back is booked in one transaction: the hold stops counting against the order, the ledger
 * takes the money back in (REFUND_RETURNED, the refund's reference and lines), the case's timeline
 * says so and escalates it for an agent to pay again, and the customer's message is queued in the
 * outbox. Each statement holds only for a refund still PENDING, so an answer applied twice (two
 * workers, a retry) changes nothing the second time. docs/refund-settlement.md tells the story.
 */
import type { PendingRefund, RefundSettlementPort } from '../activities/refund-follower.js';
import { escalateFor } from './case-store.js';
import type { Db } from './client.js';

export function createRefundSettlementStore(db: Db): RefundSettlementPort {
  return {
    async claimPendingRefunds(limit, leaseMs) {
      // Pushing checkAt out is the lease: another worker takes the refund only once it has passed.
      const rows = await db.$queryRaw<Array<{ stepKey: string; caseId: string; refundId: string; amountMinor: bigint; currency: string; checks: number; createdAt: Date }>>`
        UPDATE "RefundHold" SET "checkAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
         WHERE "stepKey" IN (SELECT "stepKey" FROM "RefundHold" WHERE status = 'PENDING' AND "checkAt" <= now() ORDER BY "checkAt" LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)
        RETURNING "stepKey", "caseId", "refundId", "amountMinor", currency, checks, "createdAt"`;
      return rows.map((r): PendingRefund => ({ ...r, amountMinor: Number(r.amountMinor) }));
    },

    async refundSettled(stepKey) {
      await db.$executeRaw`UPDATE "RefundHold" SET status = 'SUCCEEDED', "settledAt" = now(), "checkAt" = NULL WHERE "stepKey" = ${stepKey} AND status = 'PENDING'`;
    },

    async refundStillPending(stepKey, askAgainInMs) {
      await db.$executeRaw`UPDATE "RefundHold" SET checks = checks + 1, "checkAt" = now() + make_interval(secs => ${askAgainInMs / 1000}::float8) WHERE "stepKey" = ${stepKey} AND status = 'PENDING'`;
    },

    async refundReturned(r) {
      return db.$transaction(async (tx) => {
        const [hold] = await tx.$queryRaw<Array<{ caseId: string; refundId: string; amountMinor: bigint; currency: string }>>`
          UPDATE "RefundHold" SET status = 'FAILED', "returnedReason" = ${r.reason}, "settledAt" = now(), "checkAt" = NULL
           WHERE "stepKey" = ${r.stepKey} AND status = 'PENDING'
          RETURNING "caseId", "refundId", "amountMinor", currency`;
        if (!hold) return false;
        const refund = await tx.ledgerEntry.findFirst({ where: { caseId: hold.caseId, kind: 'REFUND', reference: hold.refundId }, select: { lines: true }, orderBy: { id: 'asc' } });
        const key = `${r.stepKey}:returned`;
        await tx.ledgerEntry.create({
          data: { caseId: hold.caseId, kind: 'REFUND_RETURNED', amountMinor: hold.amountMinor, currency: hold.currency, lines: refund?.lines ?? [], reference: hold.refundId, idempotencyKey: key },
          select: { id: true },
        });
        // The case no longer shows money it never paid (a refund paid again raises it again: db/case-store.ts appendLedger).
        await tx.$executeRaw`UPDATE "Case" SET "refundedAmountMinor" = GREATEST(0, "refundedAmountMinor" - ${hold.amountMinor}), "updatedAt" = now() WHERE id = ${hold.caseId}`;
        const facts = { refundId: hold.refundId, amountMinor: Number(hold.amountMinor), currency: hold.currency, reason: r.reason };
        await tx.caseEvent.createMany({ data: [{ caseId: hold.caseId, stepKey: key, kind: 'REFUND_RETURNED', actor: 'system', data: facts }], skipDuplicates: true });
        await escalateFor(tx, hold.caseId, key);
        await tx.$executeRaw`
          INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
          SELECT id, 'refundReturned', "customerLocale", ${JSON.stringify({ amountMinor: facts.amountMinor, currency: facts.currency })}::jsonb, ${`${hold.caseId}:${key}`} FROM "Case" WHERE id = ${hold.caseId}
          ON CONFLICT ("idempotencyKey") DO NOTHING`;
        return true;
      });
    },
  };
}

/** One of a case's refunds as its hold knows it, with the lines it was booked with; null when the case has no such refund. */
export async function caseRefund(db: Db, caseId: string, refundId: string) {
  const hold = await db.refundHold.findFirst({ where: { caseId, refundId }, select: { stepKey: true, amountMinor: true, extraMinor: true, currency: true, status: true, returnedReason: true } });
  if (!hold) return null;
  const [booked, order] = await Promise.all([
    db.ledgerEntry.findFirst({ where: { caseId, kind: 'REFUND', reference: refundId }, select: { lines: true }, orderBy: { id: 'asc' } }),
    db.case.findUniqueOrThrow({ where: { id: caseId }, select: { orderSnapshot: true } }),
  ]);
  const lines = Array.isArray(booked?.lines) ? (booked.lines as Array<Record<string, unknown>>) : [];
  const orderPaidTotalMinor = Number((order.orderSnapshot as { paidTotalMinor?: unknown } | null)?.paidTotalMinor ?? 0);
  return { ...hold, amountMinor: Number(hold.amountMinor), extraMinor: Number(hold.extraMinor), lines, orderPaidTotalMinor };
}
