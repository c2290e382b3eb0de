/**
 * A case's escalation set and lifted by steps written outside its workflow's projection (a courier
 * claim's, a side effect stuck, a refund the bank sent back or left pending): the store of the
 * case's steps (db/case-store.ts) and the refund follower's (db/refund-settlement.ts) share them.
 */
import type { Db } from './client.js';

/**
 * Escalates a case for `stepKey`, a step outside its workflow's projection (a courier claim's, a
 * side effect stuck), in one statement that reads whether it was escalated already: a case not
 * escalated takes this step as its reason; an escalated one keeps its reason (as a batch of steps
 * does: db/case-steps.ts). It sets updatedAt itself (plain SQL: Prisma's @updatedAt is not applied):
 * a courier claim's escalation is the only change its statement makes, and the change feed on the
 * embedded database reads a case as changed by updatedAt.
 */
export function escalateFor(client: Pick<Db, '$executeRaw'>, caseId: string, stepKey: string) {
  return client.$executeRaw`UPDATE "Case" SET escalated = true, "updatedAt" = now(),
      "escalatedBy" = CASE WHEN escalated THEN COALESCE("escalatedBy", ${stepKey}) ELSE ${stepKey} END
    WHERE id = ${caseId}`;
}

/** Takes the case out of the escalation `stepKey` raised, if that is still why it is escalated. */
export function clearEscalationBy(client: Pick<Db, '$executeRaw'>, caseId: string, stepKey: string) {
  return client.$executeRaw`UPDATE "Case" SET escalated = false, "escalatedBy" = NULL, "updatedAt" = now() WHERE id = ${caseId} AND escalated AND "escalatedBy" = ${stepKey}`;
}
