-- Refunds of one order granted under a lock, so concurrent cases never pay more than was paid (schema.prisma RefundHold).
-- CreateTable
CREATE TABLE "RefundHold" (
    "stepKey" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "refundId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RefundHold_pkey" PRIMARY KEY ("stepKey")
);

-- CreateIndex
CREATE INDEX "RefundHold_merchantId_orderId_idx" ON "RefundHold"("merchantId", "orderId");
