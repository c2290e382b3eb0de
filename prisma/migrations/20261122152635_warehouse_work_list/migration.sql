-- CreateIndex
CREATE INDEX "Case_merchantId_status_nextDeadlineAt_idx" ON "Case"("merchantId", "status", "nextDeadlineAt");
