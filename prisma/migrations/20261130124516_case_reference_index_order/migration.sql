/*
  Warnings:

  - A unique constraint covering the columns `[reference,merchantId]` on the table `Case` will be added. If there are existing duplicate values, this will fail.

*/
-- DropIndex
DROP INDEX "Case_merchantId_reference_key";

-- CreateIndex
CREATE UNIQUE INDEX "Case_reference_merchantId_key" ON "Case"("reference", "merchantId");
