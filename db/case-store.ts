/**
 * The case store the workflows write through (activities) — timeline, read-model projection,
 * ledger and notification outbox — built on Prisma with explicit selects. Every write is
 * idempotent: by (case, stepKey) for the timeline, by idempotency key for ledger and outbox, and
 * by projection version for the case row, so Temporal may retry any activity freely.
 */
import type { CaseStore } from '../activities/case-activities.js';
import type { QueuedNotification } from '../activities/notification-outbox.js';
import type { CaseEvent, LedgerDocument, Transition } from '../activities/contract.js';
import type { Prisma } from '../generated/prisma/client.js';
import { sqlOf, type Db } from './client.js';
import { applySteps } from './case-steps.js';
import { createLoanRepository } from './repositories/loans.js';
import { displayLocaleOf } from '../domain/money.js';
import { itemNamesOf } from '../domain/return-refund.js';
import { isUniqueViolation } from './repositories/shared.js';
import { createLedgerRepository } from './repositories/ledger.js';
import { escalateFor } from './case-escalation.js';
import { orderLeftToRefund, recordPaidAgainHeard, returnedRefundSettled } from './refund-settlement.js';

/**
 * How long a sender has a message to itself before another may send it: above the longest an
 * adapter call may take (ADAPTER_TIMEOUT_MS, at most 120 s), so a slow send is never sent twice.
 */
export const OUTBOX_LEASE_MS = 180_000;


export function createCaseStore(db: Db): CaseStore {
  // The outbox's statements, run for every message, in plain SQL (db/client.ts).
  const sql = sqlOf(db);
  return {
    // A case from before batched steps writes its steps one at a time: the same statement as a
    // batch of one, so both kinds of case project alike (they had drifted apart: carriers not
    // turned into codes, a corrected return parcel still followed, the solution's time overwritten).
    async applyTransition(t: Transition) {
      await applySteps(db, { caseId: t.caseId, transitions: [t], notifications: [] });
    },

    async applySteps(steps) {
      await applySteps(db, steps);
    },

    async recipient(caseId: string) {
      const c = await db.case.findUniqueOrThrow({ where: { id: caseId }, select: { customerId: true, customerLocale: true, orderSnapshot: true } });
      return { customerId: c.customerId, locale: displayLocaleOf(c.customerLocale), itemNames: itemNamesOf(c.orderSnapshot) };
    },

    async appendLedger(d: LedgerDocument & { idempotencyKey: string }) {
      try {
        await db.ledgerEntry.create({
          data: {
            caseId: d.caseId,
            kind: d.kind,
            amountMinor: BigInt(d.amountMinor),
            currency: d.currency,
            lines: d.lines as Prisma.InputJsonValue,
            reference: d.reference,
            idempotencyKey: d.idempotencyKey,
          },
          select: { id: true },
        });
      } catch (err) {
        if (!isUniqueViolation(err)) throw err; // booked by an earlier attempt
      }
      // The case shows what it has refunded once the money has gone, not only when a later step
      // says so: an exchange refunded instead waited for its loan product (weeks) showing 0, and an
      // agent's close after that never said it. Raised only (a step's own figure may come later); run
      // again by a retry whose first attempt booked the entry.
      // Net of refunds the bank sent back (db/refund-settlement.ts), so a refund paid again counts once.
      if (d.kind === 'REFUND') {
        await db.$executeRaw`UPDATE "Case" SET "refundedAmountMinor" = t.total, "updatedAt" = now()
            FROM (SELECT COALESCE(sum(-"amountMinor"), 0)::bigint AS total FROM "LedgerEntry" WHERE "caseId" = ${d.caseId} AND kind IN ('REFUND', 'REFUND_RETURNED')) t
           WHERE id = ${d.caseId} AND t.total > COALESCE("refundedAmountMinor", 0)`;
      }
    },

    async recordNotification(n) {
      const existing = await db.notification.upsert({
        where: { idempotencyKey: n.idempotencyKey },
        // Sent by the activity itself (cases from before batched steps): the outbox sender leaves it
        // alone unless the activity has not marked it sent within the lease.
        create: { caseId: n.caseId, idempotencyKey: n.idempotencyKey, template: n.template, locale: n.locale, params: n.params as Prisma.InputJsonValue, notBefore: new Date(Date.now() + OUTBOX_LEASE_MS) },
        update: {},
        select: { sentAt: true },
      });
      return { sent: existing.sentAt !== null };
    },

    async appendEvent(e: CaseEvent) {
      await db.$transaction(async (tx) => {
        // ON CONFLICT DO NOTHING on (caseId, stepKey): a retried write neither duplicates nor aborts.
        const created = await tx.caseEvent.createMany({
          data: [{ caseId: e.caseId, stepKey: e.stepKey, kind: e.kind, actor: e.actor ?? 'system', data: (e.data ?? {}) as Prisma.InputJsonValue, decision: (e.decision ?? undefined) as Prisma.InputJsonValue | undefined }],
          skipDuplicates: true,
        });
        // The case row changes either way, so whoever follows the case (the console's live page, the
        // sync of GET /v1/cases) hears of the new step: a claim's follow-up, a refund paid again.
        if (!created.count) return;
        if (e.escalated) await escalateFor(tx, e.caseId, e.stepKey);
        else if (e.settles) await returnedRefundSettled(tx, e.caseId, e.settles);
        else await tx.$executeRaw`UPDATE "Case" SET "updatedAt" = now() WHERE id = ${e.caseId}`;
      });
    },

    refundedOnOrder: createLedgerRepository(db).refundedOnOrder,

    loanSent: (caseId, sku) => createLoanRepository(db).claimNotSent(caseId, sku),

    recordPaidAgainHeard: (caseId, returnedRefundId) => recordPaidAgainHeard(db, caseId, returnedRefundId),

    async holdRefund(r) {
      // The lock serialises the order's grants; the grant reads, after it, every other case's
      // holds and the refunds booked before holds existed (a booked refund whose id no hold has).
      // A refund the bank sent back (FAILED) paid nothing: its hold no longer counts.
      return db.$transaction(async (tx) => {
        await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`refund-hold:${r.merchantId}:${r.orderId}`}, 0))`;
        const left = await orderLeftToRefund(tx, r);
        await tx.$executeRaw`
          INSERT INTO "RefundHold" ("stepKey", "caseId", "merchantId", "orderId", currency, "amountMinor", "extraMinor")
          VALUES (${r.stepKey}, ${r.caseId}, ${r.merchantId}, ${r.orderId}, ${r.currency}, LEAST(${r.amountMinor}::bigint, ${left}::bigint), ${r.extraPaidMinor ?? 0}::bigint)
          ON CONFLICT ("stepKey") DO NOTHING`;
        const [hold] = await tx.$queryRaw<Array<{ amountMinor: bigint }>>`SELECT "amountMinor" FROM "RefundHold" WHERE "stepKey" = ${r.stepKey}`;
        return Number(hold!.amountMinor);
      });
    },

    async settleRefundHold(stepKey, paid) {
      // Once: a retry after the refund follower has heard the bank's answer leaves that answer alone.
      // A pending refund is first asked about again a minute later (activities/refund-follower.ts).
      const status = paid.status ?? null;
      await db.$executeRaw`UPDATE "RefundHold" SET "refundId" = ${paid.refundId}, status = ${status},
          "checkAt" = CASE WHEN ${status}::text = 'PENDING' THEN now() + interval '1 minute' END
        WHERE "stepKey" = ${stepKey} AND "refundId" IS NULL`;
    },

    async releaseRefundHold(stepKey) {
      await db.$executeRaw`DELETE FROM "RefundHold" WHERE "stepKey" = ${stepKey} AND "refundId" IS NULL`;
    },

    async markNotificationSent(idempotencyKey: string, providerId: string) {
      await db.notification.update({ where: { idempotencyKey }, data: { sentAt: new Date(), providerId }, select: { id: true } });
    },

    async markNotificationsSent(sent) {
      await sql.query(
        `UPDATE "Notification" n SET "sentAt" = now(), "providerId" = s."providerId"
         FROM jsonb_to_recordset($1::jsonb) AS s("idempotencyKey" text, "providerId" text)
         WHERE n."idempotencyKey" = s."idempotencyKey"`,
        [JSON.stringify(sent)],
      );
    },

    async claimNotifications(limit: number, leaseMs: number): Promise<QueuedNotification[]> {
      // The id goes out as text (pg and Prisma read bigint differently) and comes back a bigint.
      const rows = await sql.query<Omit<QueuedNotification, 'locale' | 'id' | 'itemNames'> & { id: string; locale: string; orderSnapshot: unknown }>(
        `UPDATE "Notification" n SET "notBefore" = now() + make_interval(secs => $1::float8)
         FROM "Case" c
         WHERE n.id IN (
           SELECT id FROM "Notification" x
           WHERE "sentAt" IS NULL AND ("notBefore" IS NULL OR "notBefore" <= now())
             -- A case's messages go out in the order it sent them: only its oldest unsent one
             -- (one given up on for good does not hold the others back).
             AND NOT EXISTS (SELECT 1 FROM "Notification" o WHERE o."caseId" = x."caseId" AND o."sentAt" IS NULL AND o.id < x.id AND o."notBefore" IS DISTINCT FROM 'infinity')
           ORDER BY id LIMIT $2::int FOR UPDATE SKIP LOCKED
         ) AND c.id = n."caseId"
         RETURNING n.id::text AS id, n."caseId", n."idempotencyKey", n.template, n.locale, n.params, c."customerId", n.attempts, n."createdAt",
           -- The goods a message lists are named as the customer knows them (domain itemNamesOf).
           CASE WHEN n.params ? 'lines' THEN c."orderSnapshot" END AS "orderSnapshot"`,
        [leaseMs / 1000, limit],
      );
      return rows.map(({ orderSnapshot, ...r }) => ({ ...r, id: BigInt(r.id), locale: displayLocaleOf(r.locale), itemNames: orderSnapshot ? itemNamesOf(orderSnapshot) : null }));
    },

    async notificationFailed(id: bigint, error: string, retryInMs: number | null) {
      // On the database's clock, as the claim compares; null: given up on for good (never offered again).
      await sql.query(
        `UPDATE "Notification" SET attempts = attempts + 1, "lastError" = $2,
                "notBefore" = CASE WHEN $3::float8 IS NULL THEN 'infinity'::timestamptz ELSE now() + make_interval(secs => $3::float8) END
          WHERE id = $1::bigint`,
        [String(id), error, retryInMs === null ? null : retryInMs / 1000],
      );
    },

    async markStuck(m) {
      // One STUCK event per step (the first error it stuck on); the case keeps the latest error.
      await db.$transaction([
        db.caseEvent.createMany({
          data: [{ caseId: m.caseId, stepKey: `${m.stepKey}:stuck`, kind: 'STUCK', actor: 'system', data: { activity: m.activity, attempt: m.attempt, error: m.error } }],
          skipDuplicates: true,
        }),
        escalateFor(db, m.caseId, `${m.stepKey}:stuck`),
        db.case.updateMany({ where: { id: m.caseId }, data: { stuck: true, stuckReason: `${m.activity} (attempt ${m.attempt}): ${m.error}` } }),
      ]);
    },

    async clearStuck(m) {
      const cleared = await db.case.updateMany({ where: { id: m.caseId, stuck: true }, data: { stuck: false, stuckReason: null } });
      if (cleared.count) {
        await db.caseEvent.createMany({ data: [{ caseId: m.caseId, stepKey: `${m.stepKey}:unstuck`, kind: 'UNSTUCK', actor: 'system', data: { activity: m.activity, attempt: m.attempt } }], skipDuplicates: true });
      }
    },
  };
}
