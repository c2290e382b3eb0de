/**
 * The daily housekeeping: what the platform no longer needs is deleted, a batch at a time.
 * - Idempotency-Key answers older than the retention (a client retries within minutes or hours;
 *   after the retention the same key is a new request, as the API documentation says).
 * - Customer tokens that expired or were revoked more than the retention ago (they can never be
 *   used again; staff keys are kept whatever their state, for the audit trail).
 */
import { sqlOf, type Db } from './client.js';

export interface SweepCutoffs {
  /** Idempotency records created before this instant are deleted. */
  idempotencyBefore: Date;
  /** Customer tokens expired or revoked before this instant are deleted. */
  customerTokensBefore: Date;
}

export interface SweepResult {
  idempotencyRecords: number;
  customerTokens: number;
}

/**
 * Rows deleted per statement. A day's Idempotency-Key answers of a big shop, or a backlog after
 * months without housekeeping (millions), in one DELETE would hold its locks and the connection for
 * minutes — past the services' statement_timeout (db/client.ts), which would cancel it every time
 * and leave the backlog for ever. Each batch commits on its own, so a retry goes on from there.
 */
export const SWEEP_BATCH = 10_000;

export function createHousekeeping(db: Db, batch = SWEEP_BATCH) {
  const sql = sqlOf(db);
  return {
    async sweep(c: SweepCutoffs): Promise<SweepResult> {
      const done: SweepResult = { idempotencyRecords: 0, customerTokens: 0 };
      for (;;) {
        const [row] = await sql.query<{ idempotency: number; tokens: number }>(
          `WITH idempotency AS (
             DELETE FROM "IdempotencyRecord" WHERE ctid IN (SELECT ctid FROM "IdempotencyRecord" WHERE "createdAt" < $1 LIMIT $3) RETURNING 1
           ), tokens AS (
             DELETE FROM "ApiCredential" WHERE ctid IN (
               SELECT ctid FROM "ApiCredential"
                WHERE role = 'CUSTOMER' AND (("expiresAt" IS NOT NULL AND "expiresAt" < $2) OR ("revokedAt" IS NOT NULL AND "revokedAt" < $2))
                LIMIT $3)
             RETURNING 1
           )
           SELECT (SELECT count(*) FROM idempotency)::int AS idempotency, (SELECT count(*) FROM tokens)::int AS tokens`,
          [c.idempotencyBefore, c.customerTokensBefore, batch],
        );
        done.idempotencyRecords += row?.idempotency ?? 0;
        done.customerTokens += row?.tokens ?? 0;
        if ((row?.idempotency ?? 0) < batch && (row?.tokens ?? 0) < batch) return done;
      }
    },
  };
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
