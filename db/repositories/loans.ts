/**
 * The loan products urgent exchanges lend (SUBSTITUTE_LENT): the workflow books the loan's outbound
 * document and tells the customer it goes out first, but its parcel is the warehouse's to send. Which
 * loans still wait to be sent (the warehouse's SEND_SUBSTITUTE task), and the record of one sent:
 * its step (SUBSTITUTE_SENT) and its customer's message in one statement, as the hold shelf's are
 * (./held-parcels.ts). Not a parcel the case follows: the loan's DELIVERED would end the wait for
 * the replacement, a parcel of its own.
 */
import type { Db } from './shared.js';

/** A loan waiting to be sent, with what the task list shows of its case. */
export interface LoanToSend {
  id: string;
  type: string;
  stage: string;
  late: boolean;
  escalated: boolean;
  orderId: string;
  returnTrackingNumber: string | null;
  orderSnapshot: unknown;
  request: unknown;
  /** When it was lent: the customer was told it goes out at once. */
  lentAt: Date;
  /** The loan's SKU, as the lending step names it. */
  sku: string | null;
}

/** The step key of the loan's sending: one per case (an exchange lends one loan). */
const SENT_KEY = 'loan:sent';

export function createLoanRepository(db: Db) {
  return {
    /** Loans lent and not sent, of `merchantId` (undefined: every merchant's), of cases not closed, the oldest lending first. */
    toSend(merchantId: string | undefined, limit: number): Promise<LoanToSend[]> {
      return db.$queryRaw<LoanToSend[]>`
        SELECT c.id, c.type, c.stage, c.late, c.escalated, c."orderId", c."returnTrackingNumber", c."orderSnapshot", c.request, e.at AS "lentAt", e.data->>'sku' AS sku
          FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
         WHERE e.kind = 'SUBSTITUTE_LENT' AND c.status <> 'CLOSED'
           AND (${merchantId ?? null}::text IS NULL OR c."merchantId" = ${merchantId ?? null}::text)
           AND NOT EXISTS (SELECT 1 FROM "CaseEvent" s WHERE s."caseId" = c.id AND s.kind = 'SUBSTITUTE_SENT')
         ORDER BY e.at, c.id
         LIMIT ${limit}::int`;
    },

    /** The loan's sending as recorded (its step's data and when), or null when it has not been sent. */
    async sentOf(caseId: string): Promise<{ at: Date; actor: string; data: Record<string, unknown> } | null> {
      const e = await db.caseEvent.findUnique({ where: { caseId_stepKey: { caseId, stepKey: SENT_KEY } }, select: { at: true, actor: true, data: true } });
      return e ? { at: e.at, actor: e.actor, data: (e.data ?? {}) as Record<string, unknown> } : null;
    },

    /**
     * Records the loan as sent: the step SUBSTITUTE_SENT (carrier, tracking number, SKU) and the
     * customer's message, in one statement keyed by the case, so a retry writes neither twice; the
     * case changes (its updatedAt), as the hold shelf's steps change it. Whether this call recorded it.
     */
    async recordSent(caseId: string, s: { by: string; carrier: string; trackingNumber: string; sku: string | null; message: { template: string; params: Record<string, unknown> } }): Promise<boolean> {
      const data = JSON.stringify({ carrier: s.carrier, trackingNumber: s.trackingNumber, ...(s.sku ? { sku: s.sku } : {}) });
      const [row] = await db.$queryRaw<Array<{ created: boolean }>>`
        WITH step AS (
          INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, actor, data)
          VALUES (${caseId}, ${SENT_KEY}, 'SUBSTITUTE_SENT', ${`warehouse:${s.by}`}, ${data}::jsonb)
          ON CONFLICT ("caseId", "stepKey") DO NOTHING
          RETURNING "caseId"
        ), message AS (
          INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
          SELECT c.id, ${s.message.template}, c."customerLocale", ${JSON.stringify(s.message.params)}::jsonb, ${`${caseId}:${SENT_KEY}`}
            FROM step JOIN "Case" c ON c.id = step."caseId"
          ON CONFLICT ("idempotencyKey") DO NOTHING
        ), touched AS (
          UPDATE "Case" SET "updatedAt" = now() WHERE id IN (SELECT "caseId" FROM step)
        )
        SELECT EXISTS (SELECT 1 FROM step) AS created`;
      return !!row?.created;
    },
  };
}
