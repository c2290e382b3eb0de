-- DropIndex
DROP INDEX "Case_merchantId_status_nextDeadlineAt_idx";
