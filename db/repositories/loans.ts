/**
 * The loan products urgent exchanges lend (SUBSTITUTE_LENT): the workflow books the loan's outbound
 * document and tells the customer it goes out first, but its parcel is the warehouse's to send. Which
 * loans still wait to be sent (the warehouse's SEND_SUBSTITUTE task), and the record of one sent:
 * its step (SUBSTITUTE_SENT) and its customer's message in one statement (./told-steps.ts). Not a
 * parcel the case follows: the loan's DELIVERED would end the wait for the replacement, a parcel of
 * its own.
 */
import { Prisma } from '../../generated/prisma/client.js';
import type { Db } from './shared.js';
import { recordToldStep, type CustomerMessage } from './told-steps.js';

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

/**
 * A loan bridges the wait for the replacement (workflows/exchange.ts): a step `n` after the lending
 * (`e`, its SUBSTITUTE_LENT) that ends that wait ends the need to send it — the replacement
 * DELIVERED, the loan asked back (SUBSTITUTE_DUE), an agent's REFUND_REQUESTED (no replacement goes
 * out: the exchange became a refund). The case's status says the rest (CLOSED, RESOLVED).
 */
const ENDS_LOAN_NEED = Prisma.sql`
  n."caseId" = e."caseId" AND n.id > e.id
  AND (n.kind IN ('DELIVERED', 'SUBSTITUTE_DUE') OR (n.kind = 'AGENT_RESOLVED' AND n.data->>'action' = 'REFUND_REQUESTED'))`;

export function createLoanRepository(db: Db) {
  /**
   * What the loan's key holds: its sending as recorded (SUBSTITUTE_SENT: the step's data and when),
   * or the case's finding that it never went out (SUBSTITUTE_NOT_SENT, `claimNotSent`); null while neither.
   */
  async function sentOf(caseId: string): Promise<{ kind: 'SUBSTITUTE_SENT' | 'SUBSTITUTE_NOT_SENT'; at: Date; actor: string; data: Record<string, unknown> } | null> {
    const e = await db.caseEvent.findUnique({ where: { caseId_stepKey: { caseId, stepKey: SENT_KEY } }, select: { kind: true, at: true, actor: true, data: true } });
    return e ? { kind: e.kind === 'SUBSTITUTE_NOT_SENT' ? 'SUBSTITUTE_NOT_SENT' : 'SUBSTITUTE_SENT', at: e.at, actor: e.actor, data: (e.data ?? {}) as Record<string, unknown> } : null;
  }

  return {
    /**
     * Loans lent and not sent, of `merchantId` (undefined: every merchant's), of cases neither closed
     * nor resolved whose customer still waits for the replacement (ENDS_LOAN_NEED), the oldest lending first.
     */
    toSend(merchantId: string | undefined, limit: number): Promise<LoanToSend[]> {
      return db.$queryRaw<LoanToSend[]>`
        SELECT c.id, c.type, c.stage, c.late, c.escalated, c."orderId", c."returnTrackingNumber", c."orderSnapshot", c.request, e.at AS "lentAt", e.data->>'sku' AS sku
          FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
         WHERE e.kind = 'SUBSTITUTE_LENT' AND c.status NOT IN ('CLOSED', 'RESOLVED')
           AND (${merchantId ?? null}::text IS NULL OR c."merchantId" = ${merchantId ?? null}::text)
           AND NOT EXISTS (SELECT 1 FROM "CaseEvent" s WHERE s."caseId" = c.id AND s.kind = 'SUBSTITUTE_SENT')
           AND NOT EXISTS (SELECT 1 FROM "CaseEvent" n WHERE ${ENDS_LOAN_NEED})
         ORDER BY e.at, c.id
         LIMIT ${limit}::int`;
    },

    sentOf,

    /**
     * The case asks, before it asks the loan back, whether it was sent (workflows/exchange.ts): the
     * answer is taken under the loan's own key, so a report of it sent and this question cannot both
     * win. Unsent, the key now holds SUBSTITUTE_NOT_SENT (the timeline says it, and a report after it is
     * refused); sent, it holds the report. Whether it was sent.
     */
    async claimNotSent(caseId: string, sku: string): Promise<boolean> {
      const [row] = await db.$queryRaw<Array<{ kind: string | null }>>`
        WITH claimed AS (
          INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, actor, data)
          VALUES (${caseId}, ${SENT_KEY}, 'SUBSTITUTE_NOT_SENT', 'system', ${JSON.stringify({ sku })}::jsonb)
          ON CONFLICT ("caseId", "stepKey") DO NOTHING
          RETURNING kind
        ), touched AS (
          UPDATE "Case" SET "updatedAt" = now() WHERE id = ${caseId} AND EXISTS (SELECT 1 FROM claimed)
        )
        SELECT COALESCE((SELECT kind FROM claimed), (SELECT kind FROM "CaseEvent" WHERE "caseId" = ${caseId} AND "stepKey" = ${SENT_KEY})) AS kind`;
      if (row?.kind) return row.kind === 'SUBSTITUTE_SENT';
      // A report committed while this statement waited on it: its snapshot, taken before, cannot see
      // the row that made the insert do nothing; a statement of its own can.
      return (await sentOf(caseId))?.kind === 'SUBSTITUTE_SENT';
    },

    /** Records the loan as sent: the step SUBSTITUTE_SENT (carrier, tracking number, SKU) and the customer's message (./told-steps.ts). Whether this call recorded it. */
    recordSent(caseId: string, s: { by: string; carrier: string; trackingNumber: string; sku: string | null; message: CustomerMessage }): Promise<boolean> {
      return recordToldStep(db, { caseId, stepKey: SENT_KEY, kind: 'SUBSTITUTE_SENT', actor: `warehouse:${s.by}`, data: { carrier: s.carrier, trackingNumber: s.trackingNumber, ...(s.sku ? { sku: s.sku } : {}) }, message: s.message });
    },
  };
}
