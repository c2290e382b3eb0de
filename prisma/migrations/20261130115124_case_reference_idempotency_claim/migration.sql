/*
  Warnings:

  - A unique constraint covering the columns `[merchantId,reference]` on the table `Case` will be added. If there are existing duplicate values, this will fail.

*/
-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "reference" TEXT,
ADD COLUMN     "referenceHash" CHAR(64);

-- AlterTable
ALTER TABLE "IdempotencyRecord" ADD COLUMN     "claimToken" TEXT,
ADD COLUMN     "claimedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "status" DROP NOT NULL,
ALTER COLUMN "responseBody" DROP NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "Case_merchantId_reference_key" ON "Case"("merchantId", "reference");
