/**
 * The daily housekeeping's one statement: what the platform no longer needs is deleted.
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

export function createHousekeeping(db: Db) {
  const sql = sqlOf(db);
  return {
    async sweep(c: SweepCutoffs): Promise<SweepResult> {
      const [row] = await sql.query<{ idempotency: number; tokens: number }>(
        `WITH idempotency AS (
           DELETE FROM "IdempotencyRecord" WHERE "createdAt" < $1 RETURNING 1
         ), tokens AS (
           DELETE FROM "ApiCredential"
            WHERE role = 'CUSTOMER' AND (("expiresAt" IS NOT NULL AND "expiresAt" < $2) OR ("revokedAt" IS NOT NULL AND "revokedAt" < $2))
            RETURNING 1
         )
         SELECT (SELECT count(*) FROM idempotency)::int AS idempotency, (SELECT count(*) FROM tokens)::int AS tokens`,
        [c.idempotencyBefore, c.customerTokensBefore],
      );
      return { idempotencyRecords: row?.idempotency ?? 0, customerTokens: row?.tokens ?? 0 };
    },
  };
}

export type Housekeeping = ReturnType<typeof createHousekeeping>;
