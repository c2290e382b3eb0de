-- A refund the provider accepts as PENDING is paid only once the bank settles it, and a bank may
-- still send it back (an account closed, a card cancelled). Before, PENDING counted as paid and a
-- refund sent back went unnoticed: the customer had no money and the case said refunded. The hold
-- now keeps the provider's status, and the worker's refund follower (activities/refund-follower.ts)
-- asks the provider again at "checkAt" until the refund settles or comes back (docs/refund-settlement.md).
ALTER TABLE "RefundHold" ADD COLUMN "status" TEXT;
ALTER TABLE "RefundHold" ADD COLUMN "checkAt" TIMESTAMPTZ(3);
ALTER TABLE "RefundHold" ADD COLUMN "checks" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "RefundHold" ADD COLUMN "returnedReason" TEXT;
ALTER TABLE "RefundHold" ADD COLUMN "settledAt" TIMESTAMPTZ(3);
CREATE INDEX "RefundHold_pending_checkAt_idx" ON "RefundHold" ("checkAt") WHERE "status" = 'PENDING';
-- The cases with a refund sent back (GET /v1/cases?refundReturned=true), and whether a case has one.
CREATE INDEX "RefundHold_returned_caseId_idx" ON "RefundHold" ("caseId") WHERE "status" = 'FAILED';
-- A refund sent back: its money is back with the shop (positive, the refund's reference).
ALTER TYPE "LedgerKind" ADD VALUE 'REFUND_RETURNED';
