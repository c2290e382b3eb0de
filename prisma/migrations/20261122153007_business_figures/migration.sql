-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "carrier" TEXT,
ADD COLUMN     "complaint" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OrderCount" (
    "merchantId" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "orders" INTEGER NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OrderCount_pkey" PRIMARY KEY ("merchantId","day")
);

-- CreateTable
CREATE TABLE "Budget" (
    "merchantId" TEXT NOT NULL,
    "period" CHAR(7) NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Budget_pkey" PRIMARY KEY ("merchantId","period")
);

-- CreateIndex
CREATE INDEX "Case_merchantId_createdAt_idx" ON "Case"("merchantId", "createdAt");

-- AddForeignKey
ALTER TABLE "OrderCount" ADD CONSTRAINT "OrderCount_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Budget" ADD CONSTRAINT "Budget_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
