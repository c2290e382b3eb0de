-- The work queue (db/case-queue.ts): a case whose solution was given waits on the customer, the
-- warehouse or a parcel, and its solution deadline is past and says nothing any more; among those,
-- the one whose wait runs out first (nextDeadlineAt: a reminder, an escalation, a default outcome)
-- comes first. Cases still owed their solution keep their order: late ones, then by solution
-- deadline. One ascending key, as before; none last.
-- (Prisma's schema language has no partial or expression indexes.)
DROP INDEX "Case_open_urgency_idx";
CREATE INDEX "Case_open_urgency_idx" ON "Case" ("merchantId", ("solutionGivenAt" IS NOT NULL), (NOT "late"),
  (COALESCE(CASE WHEN "solutionGivenAt" IS NULL THEN "solutionDueAt" ELSE "nextDeadlineAt" END, 'infinity'::timestamptz)), "id")
  WHERE "status" NOT IN ('RESOLVED', 'CLOSED');
