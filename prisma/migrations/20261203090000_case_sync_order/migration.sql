-- The sync order of GET /v1/cases (order=updated, db/case-queue.ts): a storefront pages through
-- its merchant's cases by their last change, oldest first, then id, from the previous page's key:
-- (updatedAt, id) > (…of the last case it read). Led by merchantId, as every list is (an admin's
-- list of all merchants sorts instead). Every write of a case moves its updatedAt, so each one
-- now writes this index too.
-- CreateIndex
CREATE INDEX "Case_merchantId_updatedAt_id_idx" ON "Case"("merchantId", "updatedAt", "id");
