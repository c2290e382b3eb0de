-- CreateTable
CREATE TABLE "PolicySimulation" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "requestedBy" TEXT NOT NULL,
    "from" TIMESTAMPTZ(3) NOT NULL,
    "to" TIMESTAMPTZ(3) NOT NULL,
    "changes" JSONB NOT NULL,
    "baseVersion" INTEGER NOT NULL,
    "candidate" JSONB NOT NULL,
    "status" TEXT NOT NULL,
    "runsDone" INTEGER NOT NULL DEFAULT 0,
    "runsTotal" INTEGER NOT NULL DEFAULT 0,
    "result" JSONB,
    "error" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMPTZ(3),

    CONSTRAINT "PolicySimulation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PolicySimulation_merchantId_createdAt_idx" ON "PolicySimulation"("merchantId", "createdAt");

-- AddForeignKey
ALTER TABLE "PolicySimulation" ADD CONSTRAINT "PolicySimulation_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
