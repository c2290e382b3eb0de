-- The cases with a refund still pending at the bank (GET /v1/cases?refundPendingLong=true, a
-- case's refunds on its page): by case, as the refunds sent back are (docs/refund-settlement.md).
CREATE INDEX "RefundHold_pending_caseId_idx" ON "RefundHold" ("caseId") WHERE "status" = 'PENDING';
