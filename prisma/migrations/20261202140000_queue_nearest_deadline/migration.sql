-- The work queue (db/case-queue.ts): a case still owed its solution may wait on something due
-- before its solution deadline — an urgent complaint's handling time (4 hours against the end of
-- the day), an agent's decision reminder — and its row counts down to that nearer deadline; it now
-- sorts by it too (it ranked 12th of 17 by the later solution deadline). The nearest of the two,
-- NULLs ignored (LEAST); cases with their solution keep the deadline of what they wait for.
-- (Prisma's schema language has no partial or expression indexes.)
DROP INDEX "Case_open_urgency_idx";
CREATE INDEX "Case_open_urgency_idx" ON "Case" ("merchantId", ("solutionGivenAt" IS NOT NULL), (NOT "late"),
  (COALESCE(CASE WHEN "solutionGivenAt" IS NULL THEN LEAST("solutionDueAt", "nextDeadlineAt") ELSE "nextDeadlineAt" END, 'infinity'::timestamptz)), "id")
  WHERE "status" NOT IN ('RESOLVED', 'CLOSED');
