-- A photo or video link is the case's once: the same link sent again (a double click, a retried
-- request without an Idempotency-Key) adds nothing (db/repositories.ts addEvidence, openCase).
-- Links already there twice keep their first row.
DELETE FROM "Evidence" e USING "Evidence" first
 WHERE e."caseId" = first."caseId" AND e."url" = first."url" AND e."id" > first."id";

-- DropIndex
DROP INDEX "Evidence_caseId_idx";

-- CreateIndex
CREATE UNIQUE INDEX "Evidence_caseId_url_key" ON "Evidence"("caseId", "url");
