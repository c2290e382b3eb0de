-- When a case's solution was given: the workflow stamps its steps from then on (workflows/case-machinery.ts),
-- so the agents' queue tells a case still owed its solution from one that has it and waits on the
-- customer, the warehouse or a parcel. Cases from before stay null until their next step.
ALTER TABLE "Case" ADD COLUMN "solutionGivenAt" TIMESTAMPTZ(3);

-- The work queue (db/case-queue.ts): cases still owed their solution first, then as before — late
-- ones, then by solution deadline (none last), then id. One ascending key, as before.
-- (Prisma's schema language has no partial or expression indexes.)
DROP INDEX "Case_open_urgency_idx";
CREATE INDEX "Case_open_urgency_idx" ON "Case" ("merchantId", ("solutionGivenAt" IS NOT NULL), (NOT "late"), (COALESCE("solutionDueAt", 'infinity'::timestamptz)), "id")
  WHERE "status" NOT IN ('RESOLVED', 'CLOSED');
