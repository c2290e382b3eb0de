-- CreateTable
CREATE TABLE "CaseInput" (
    "caseId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "merchantId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "via" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "workflowId" TEXT NOT NULL,
    "arg" JSONB NOT NULL,
    "senderRole" TEXT NOT NULL,
    "senderId" TEXT,
    "requestId" TEXT,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,

    CONSTRAINT "CaseInput_pkey" PRIMARY KEY ("caseId","seq")
);

-- CreateIndex
CREATE INDEX "CaseInput_merchantId_at_idx" ON "CaseInput"("merchantId", "at");

-- AddForeignKey
ALTER TABLE "CaseInput" ADD CONSTRAINT "CaseInput_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
