/**
 * A step written from outside a case's workflow — the warehouse's record of a held parcel sent back
 * or kept (./held-parcels.ts), of a loan product sent (./loans.ts) — with the message that tells
 * its customer, in one statement keyed by the step: written again (a retry), neither is written
 * twice. The case changes (its updatedAt) when the step is new, as the live feed and the
 * storefront's sync read it.
 */
import type { Db } from './shared.js';

/** A message to the case's customer, queued in the outbox in their language (adapters/templates.ts). */
export type CustomerMessage = { template: string; params: Record<string, unknown> };

export interface ToldStep {
  caseId: string;
  stepKey: string;
  kind: string;
  actor: string;
  data: Record<string, unknown>;
  message: CustomerMessage;
}

/** Writes the step and queues its message; whether this call wrote them (false: they were there already). */
export async function recordToldStep(db: Db, s: ToldStep): Promise<boolean> {
  const [row] = await db.$queryRaw<Array<{ created: boolean }>>`
    WITH step AS (
      INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, actor, data)
      VALUES (${s.caseId}, ${s.stepKey}, ${s.kind}, ${s.actor}, ${JSON.stringify(s.data)}::jsonb)
      ON CONFLICT ("caseId", "stepKey") DO NOTHING
      RETURNING "caseId"
    ), message AS (
      INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
      SELECT c.id, ${s.message.template}, c."customerLocale", ${JSON.stringify(s.message.params)}::jsonb, ${`${s.caseId}:${s.stepKey}`}
        FROM step JOIN "Case" c ON c.id = step."caseId"
      ON CONFLICT ("idempotencyKey") DO NOTHING
    ), touched AS (
      UPDATE "Case" SET "updatedAt" = now() WHERE id IN (SELECT "caseId" FROM step)
    )
    SELECT EXISTS (SELECT 1 FROM step) AS created`;
  return !!row?.created;
}
