/**
 * The refund follower's statements (activities/refund-follower.ts) over the refund holds: which
 * pending refunds are due to be asked about again, and what their answers change. A refund the bank
 * sends back is booked in one transaction: the hold stops counting against the order, the ledger
 * takes the money back in (REFUND_RETURNED, the booked refund's amount, reference and lines), the
 * case's timeline says so and escalates it for an agent to pay again, the customer's message is
 * queued in the outbox; once that has committed, the case's workflow is told (a resting case
 * reopens), retried until it has heard it. Each statement holds only for a refund still PENDING (or
 * not yet told), so an answer applied twice (two workers, a retry) changes nothing the second time.
 * docs/refund-settlement.md tells the story.
 */
import type { PendingRefund, RefundSettlementPort, UntoldReturn } from '../activities/refund-follower.js';
import { caseWorkflowId } from '../domain/workflow-ids.js';
import { recordCaseInput } from './case-inputs.js';
import { clearEscalationBy, escalateFor } from './case-escalation.js';
import type { Db } from './client.js';

/** The REFUND entry the case booked for a refund (its reference): what a return gives back, and what paying again pays. */
const bookedRefund = (client: Pick<Db, 'ledgerEntry'>, caseId: string, refundId: string) =>
  client.ledgerEntry.findFirst({ where: { caseId, kind: 'REFUND', reference: refundId }, select: { amountMinor: true, currency: true, lines: true }, orderBy: { id: 'asc' } });

/**
 * What a case may still refund of its order: what the order was paid (and the case took on top of
 * it), less what the order's other cases hold or refunded. Their refunds the bank sent back
 * (FAILED) paid nothing and count for nothing; money other cases took on top of the order and pay
 * back is theirs. A grant reads it under the order's lock (holdRefund); read without it, it says
 * what a payment now would be granted.
 */
export async function orderLeftToRefund(
  client: Pick<Db, '$queryRaw'>,
  q: { caseId: string; merchantId: string; orderId: string; currency: string; orderPaidTotalMinor: number; extraPaidMinor?: number },
): Promise<number> {
  const [row] = await client.$queryRaw<Array<{ left: number }>>`
    SELECT GREATEST(0, ${q.orderPaidTotalMinor}::bigint + ${q.extraPaidMinor ?? 0}::bigint
      + (SELECT coalesce(sum(h."extraMinor"), 0) FROM "RefundHold" h
          WHERE h."merchantId" = ${q.merchantId} AND h."orderId" = ${q.orderId} AND h.currency = ${q.currency} AND h."caseId" <> ${q.caseId} AND h.status IS DISTINCT FROM 'FAILED')
      - (SELECT coalesce(sum(h."amountMinor"), 0) FROM "RefundHold" h
          WHERE h."merchantId" = ${q.merchantId} AND h."orderId" = ${q.orderId} AND h.currency = ${q.currency} AND h."caseId" <> ${q.caseId} AND h.status IS DISTINCT FROM 'FAILED')
      -- refunds booked before holds existed (a booked refund whose id no hold has)
      - (SELECT coalesce(sum(-l."amountMinor"), 0) FROM "LedgerEntry" l JOIN "Case" c ON c.id = l."caseId"
          WHERE c."merchantId" = ${q.merchantId} AND c."orderId" = ${q.orderId} AND l.currency = ${q.currency} AND l.kind = 'REFUND' AND l."caseId" <> ${q.caseId}
            AND NOT EXISTS (SELECT 1 FROM "RefundHold" p WHERE p."caseId" = l."caseId" AND p."refundId" = l.reference)))::float8 AS left`;
  return row!.left;
}

/** Queues a message to the case's customer in the outbox, in their language, once per step (`stepKey`). */
const queueMessage = (tx: Pick<Db, '$executeRaw'>, caseId: string, stepKey: string, template: string, params: Record<string, unknown>) =>
  tx.$executeRaw`
    INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
    SELECT id, ${template}, "customerLocale", ${JSON.stringify(params)}::jsonb, ${`${caseId}:${stepKey}`} FROM "Case" WHERE id = ${caseId}
    ON CONFLICT ("idempotencyKey") DO NOTHING`;

/** The step that says a refund has been pending at the bank too long. */
const pendingLongKey = (stepKey: string) => `${stepKey}:pending-long`;

export function createRefundSettlementStore(db: Db): RefundSettlementPort {
  return {
    async claimPendingRefunds(limit, leaseMs) {
      // Pushing checkAt out is the lease: another worker takes the refund only once it has passed.
      return db.$queryRaw<PendingRefund[]>`
        UPDATE "RefundHold" SET "checkAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
         WHERE "stepKey" IN (SELECT "stepKey" FROM "RefundHold" WHERE status = 'PENDING' AND "checkAt" <= now() ORDER BY "checkAt" LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)
        RETURNING "stepKey", "refundId", checks`;
    },

    async refundSettled(stepKey) {
      // One transaction: a settlement whose step was lost would leave the case escalated for good
      // (the hold, no longer PENDING, is never asked about again).
      await db.$transaction(async (tx) => {
        const [hold] = await tx.$queryRaw<Array<{ caseId: string; refundId: string; pendingLong: boolean }>>`
          UPDATE "RefundHold" h SET status = 'SUCCEEDED', "settledAt" = now(), "checkAt" = NULL WHERE "stepKey" = ${stepKey} AND status = 'PENDING'
          RETURNING "caseId", "refundId", EXISTS (SELECT 1 FROM "CaseEvent" e WHERE e."caseId" = h."caseId" AND e."stepKey" = ${pendingLongKey(stepKey)}) AS "pendingLong"`;
        if (!hold) return;
        // Settled after the case was escalated for it: the timeline says the money arrived, and the
        // escalation it raised is over.
        if (hold.pendingLong) {
          await tx.caseEvent.createMany({ data: [{ caseId: hold.caseId, stepKey: `${stepKey}:settled`, kind: 'REFUND_SETTLED', actor: 'system', data: { refundId: hold.refundId } }], skipDuplicates: true });
          await clearEscalationBy(tx, hold.caseId, pendingLongKey(stepKey));
        }
        // Whoever follows the case (its live page: the refund's bank status; the sync) hears of it.
        await tx.$executeRaw`UPDATE "Case" SET "updatedAt" = now() WHERE id = ${hold.caseId}`;
      });
    },

    async refundStillPending(stepKey, askAgainInMs, tooLongMs) {
      const [hold] = await db.$queryRaw<Array<{ caseId: string; refundId: string; amountMinor: number; currency: string; createdAt: Date; tooLong: boolean }>>`
        UPDATE "RefundHold" SET checks = checks + 1, "checkAt" = now() + make_interval(secs => ${askAgainInMs / 1000}::float8) WHERE "stepKey" = ${stepKey} AND status = 'PENDING'
        RETURNING "caseId", "refundId", "amountMinor"::float8 AS "amountMinor", currency, "createdAt", "createdAt" <= now() - make_interval(secs => ${tooLongMs / 1000}::float8) AS "tooLong"`;
      if (!hold?.tooLong) return;
      // Counted from the hold's creation: when the refund was granted, moments before the provider
      // accepted it (longer only if the provider kept failing then). Said once: the step's key is
      // unique per case, and only the write that made the step escalates.
      const key = pendingLongKey(stepKey);
      await db.$transaction(async (tx) => {
        const facts = { refundId: hold.refundId, amountMinor: hold.amountMinor, currency: hold.currency, pendingSince: hold.createdAt.toISOString() };
        const created = await tx.caseEvent.createMany({ data: [{ caseId: hold.caseId, stepKey: key, kind: 'REFUND_PENDING_LONG', actor: 'system', data: facts }], skipDuplicates: true });
        if (!created.count) return;
        await escalateFor(tx, hold.caseId, key);
        // The customer, a week without their money, hears that it is known and followed.
        await queueMessage(tx, hold.caseId, key, 'refundPendingAtBank', { amountMinor: hold.amountMinor, currency: hold.currency, paidAt: facts.pendingSince });
      });
    },

    async refundReturned(r) {
      return db.$transaction(async (tx) => {
        const [hold] = await tx.$queryRaw<Array<{ caseId: string; refundId: string }>>`
          SELECT "caseId", "refundId" FROM "RefundHold" WHERE "stepKey" = ${r.stepKey} AND status = 'PENDING' FOR UPDATE`;
        if (!hold) return 'ALREADY';
        // What was booked is what is given back: its amount and lines. Heard before the case's
        // workflow booked its refund (a worker down between paying and booking): asked again later,
        // so the two entries never disagree.
        const refund = await bookedRefund(tx, hold.caseId, hold.refundId);
        if (!refund) {
          await tx.$executeRaw`UPDATE "RefundHold" SET "checkAt" = now() + interval '1 minute' WHERE "stepKey" = ${r.stepKey}`;
          return 'NOT_BOOKED_YET';
        }
        // Due at once for its case's workflow to be told, once this has committed (claimUntoldReturns).
        await tx.$executeRaw`UPDATE "RefundHold" SET status = 'FAILED', "returnedReason" = ${r.reason}, "settledAt" = now(), "checkAt" = now() WHERE "stepKey" = ${r.stepKey}`;
        const key = `${r.stepKey}:returned`;
        const amountMinor = -Number(refund.amountMinor);
        await tx.ledgerEntry.create({
          data: { caseId: hold.caseId, kind: 'REFUND_RETURNED', amountMinor: BigInt(amountMinor), currency: refund.currency, lines: refund.lines ?? [], reference: hold.refundId, idempotencyKey: key },
          select: { id: true },
        });
        // The case's refundedAmountMinor stays: it is what the case owes the customer, and it keeps
        // the case holding its goods against a new claim (domain/order-consistency.ts) until it is paid again.
        const facts = { refundId: hold.refundId, amountMinor, currency: refund.currency, reason: r.reason };
        await tx.caseEvent.createMany({ data: [{ caseId: hold.caseId, stepKey: key, kind: 'REFUND_RETURNED', actor: 'system', data: facts }], skipDuplicates: true });
        // Escalated for this refund taking long, it is now escalated for its return: what to do has changed.
        await clearEscalationBy(tx, hold.caseId, pendingLongKey(r.stepKey));
        await escalateFor(tx, hold.caseId, key);
        await queueMessage(tx, hold.caseId, key, 'refundReturned', { amountMinor, currency: refund.currency });
        return 'BOOKED';
      });
    },

    async claimUntoldReturns(limit, leaseMs) {
      // Its amount as booked back in (the REFUND_RETURNED entry); the lease as for pending refunds.
      return db.$queryRaw<UntoldReturn[]>`
        UPDATE "RefundHold" h SET "checkAt" = now() + make_interval(secs => ${leaseMs / 1000}::float8)
         WHERE "stepKey" IN (SELECT "stepKey" FROM "RefundHold" WHERE status = 'FAILED' AND "caseToldAt" IS NULL AND "checkAt" <= now() ORDER BY "checkAt" LIMIT ${limit}::int FOR UPDATE SKIP LOCKED)
        RETURNING "stepKey", "caseId", "refundId", currency, "returnedReason" AS reason,
          (SELECT l."amountMinor" FROM "LedgerEntry" l WHERE l."idempotencyKey" = h."stepKey" || ':returned')::float8 AS "amountMinor"`;
    },

    async caseTold(r, outcome) {
      await db.$transaction(async (tx) => {
        const told = await tx.$executeRaw`UPDATE "RefundHold" SET "caseToldAt" = now(), "checkAt" = NULL WHERE "stepKey" = ${r.stepKey} AND "caseToldAt" IS NULL`;
        // What the workflow heard is the case's input, as the API's signals are: its timeline of
        // inputs explains the reopening, and the policy what-if sends it again.
        if (told && outcome === 'TOLD') {
          const arg = { refundId: r.refundId, amountMinor: r.amountMinor, currency: r.currency, reason: r.reason };
          await recordCaseInput(tx, { caseId: r.caseId, via: 'SIGNAL', kind: 'refundSentBack', workflowId: caseWorkflowId(r.caseId), arg, at: new Date(), sender: { role: 'SYSTEM', id: 'refund-follower' }, outcome: 'ACCEPTED' });
        }
      });
    },

    async tellAgainLater(stepKey, inMs) {
      await db.$executeRaw`UPDATE "RefundHold" SET "checkAt" = now() + make_interval(secs => ${inMs / 1000}::float8) WHERE "stepKey" = ${stepKey} AND "caseToldAt" IS NULL`;
    },
  };
}

/**
 * A refund sent back, now paid again (or found with nothing left to pay: workflows/refund-again.ts),
 * by the step that says so: the case shows what its ledger nets to — it kept the first amount
 * while it was owed — and leaves the escalation the return (`returnedStepKey`) raised.
 */
export function returnedRefundSettled(client: Pick<Db, '$executeRaw'>, caseId: string, returnedStepKey: string) {
  return client.$executeRaw`UPDATE "Case" SET "updatedAt" = now(),
      escalated = CASE WHEN "escalatedBy" = ${returnedStepKey} THEN false ELSE escalated END,
      "escalatedBy" = CASE WHEN "escalatedBy" = ${returnedStepKey} THEN NULL ELSE "escalatedBy" END,
      "refundedAmountMinor" = (SELECT COALESCE(sum(-"amountMinor"), 0)::bigint FROM "LedgerEntry" WHERE "caseId" = ${caseId} AND kind IN ('REFUND', 'REFUND_RETURNED'))
    WHERE id = ${caseId}`;
}

/**
 * The case's workflow heard that a refund sent back was paid again (the payment again's step told
 * it: activities/case-activities.ts `recordCaseEvent`): recorded among the case's inputs, once per
 * refund (a retried step tells again), as the follower's `refundSentBack` is, so the policy what-if
 * sends it again and a case paid before it came to rest is not reopened there either.
 */
export async function recordPaidAgainHeard(db: Db, caseId: string, returnedRefundId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    // The case's inputs are numbered under its row's lock: a retry racing its first try records one.
    await tx.$executeRaw`SELECT 1 FROM "Case" WHERE id = ${caseId} FOR UPDATE`;
    const [heard] = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "CaseInput" WHERE "caseId" = ${caseId} AND kind = 'refundPaidAgain' AND arg->>'returnedRefundId' = ${returnedRefundId} LIMIT 1`;
    if (heard) return;
    await recordCaseInput(tx, { caseId, via: 'SIGNAL', kind: 'refundPaidAgain', workflowId: caseWorkflowId(caseId), arg: { returnedRefundId }, at: new Date(), sender: { role: 'SYSTEM', id: 'refund-again' }, outcome: 'ACCEPTED' });
  });
}

/**
 * One of a case's refunds as its hold knows it, with what was booked for it (amount and lines: what
 * paying it again pays and books), whether it has been paid again (the hold of the payment again
 * exists), and — sent back and not paid again — what paying it again would pay now (the order's
 * other cases may have refunded what it had left meanwhile); null when the case has no such refund.
 */
export async function caseRefund(db: Db, caseId: string, refundId: string) {
  const hold = await db.refundHold.findFirst({ where: { caseId, refundId }, select: { stepKey: true, merchantId: true, orderId: true, amountMinor: true, extraMinor: true, currency: true, status: true, returnedReason: true, createdAt: true, settledAt: true, checkAt: true, checks: true } });
  if (!hold) return null;
  const [booked, order, again] = await Promise.all([
    bookedRefund(db, caseId, refundId),
    db.case.findUniqueOrThrow({ where: { id: caseId }, select: { orderSnapshot: true } }),
    db.refundHold.findUnique({ where: { stepKey: `${hold.stepKey}:again` }, select: { stepKey: true, refundId: true } }),
  ]);
  const lines = Array.isArray(booked?.lines) ? (booked.lines as Array<Record<string, unknown>>) : [];
  const orderPaidTotalMinor = Number((order.orderSnapshot as { paidTotalMinor?: unknown } | null)?.paidTotalMinor ?? 0);
  const amountMinor = booked ? -Number(booked.amountMinor) : Number(hold.amountMinor);
  const extraMinor = Number(hold.extraMinor);
  const owed = hold.status === 'FAILED' && again === null;
  // As the payment again's grant reckons it (holdRefund), without its lock: a moment's answer.
  const payableAgainMinor = owed ? Math.min(amountMinor, await orderLeftToRefund(db, { caseId, merchantId: hold.merchantId, orderId: hold.orderId, currency: hold.currency, orderPaidTotalMinor, extraPaidMinor: extraMinor })) : undefined;
  // When it was paid (granted, moments before the provider took it), when the bank answered, and —
  // pending — when the follower asks next and how often it has asked.
  const follow = { paidAt: hold.createdAt, bankAnsweredAt: hold.settledAt, nextCheckAt: hold.status === 'PENDING' ? hold.checkAt : null, checks: hold.checks };
  return { stepKey: hold.stepKey, currency: hold.currency, status: hold.status, returnedReason: hold.returnedReason, amountMinor, extraMinor, lines, orderPaidTotalMinor, paidAgain: again !== null, paidAgainRefundId: again?.refundId ?? null, payableAgainMinor, ...follow };
}
