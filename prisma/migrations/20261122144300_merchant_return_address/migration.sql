-- AlterTable
ALTER TABLE "Merchant" ADD COLUMN     "returnAddress" JSONB;

-- CreateIndex
CREATE INDEX "Case_merchantId_orderId_idx" ON "Case"("merchantId", "orderId");
