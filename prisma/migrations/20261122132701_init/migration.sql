-- CreateEnum
CREATE TYPE "CaseType" AS ENUM ('TRACKING_INQUIRY', 'MISSING_ITEMS', 'LOST_PARCEL', 'WRONG_ITEM', 'TRANSIT_DAMAGE', 'QUALITY_PROBLEM', 'DELAY', 'REFUND_NOT_SHIPPED', 'REFUND_SHIPPED', 'RETURN_AND_REFUND', 'EXCHANGE_RESHIPMENT', 'COMPLAINT');

-- CreateEnum
CREATE TYPE "CaseStatus" AS ENUM ('OPEN', 'WAITING_CUSTOMER', 'WAITING_AGENT', 'WAITING_WAREHOUSE', 'WAITING_COURIER', 'WAITING_REPAIR', 'WAITING_FINANCE', 'RESOLVED', 'CLOSED');

-- CreateEnum
CREATE TYPE "LedgerKind" AS ENUM ('RETURN_NOTE', 'EXPENSE_NOTE', 'REFUND', 'OUTBOUND', 'OUTBOUND_REVERSAL', 'CLAIM_RECOVERY');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('CUSTOMER', 'STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR', 'ADMIN', 'COURIER');

-- CreateTable
CREATE TABLE "Merchant" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "defaultCurrency" CHAR(3) NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Merchant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PolicyVersion" (
    "merchantId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "rules" JSONB NOT NULL,
    "businessHours" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PolicyVersion_pkey" PRIMARY KEY ("merchantId","version")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "type" "CaseType" NOT NULL,
    "status" "CaseStatus" NOT NULL DEFAULT 'OPEN',
    "stage" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "orderSnapshot" JSONB NOT NULL,
    "request" JSONB NOT NULL,
    "customerId" TEXT NOT NULL,
    "customerLocale" TEXT NOT NULL DEFAULT 'zh-CN',
    "currency" CHAR(3) NOT NULL,
    "requestedAmountMinor" BIGINT NOT NULL DEFAULT 0,
    "refundedAmountMinor" BIGINT NOT NULL DEFAULT 0,
    "deadlines" JSONB NOT NULL DEFAULT '{}',
    "solutionDueAt" TIMESTAMPTZ(3),
    "nextDeadlineAt" TIMESTAMPTZ(3),
    "assigneeId" TEXT,
    "escalated" BOOLEAN NOT NULL DEFAULT false,
    "late" BOOLEAN NOT NULL DEFAULT false,
    "policyVersion" INTEGER NOT NULL,
    "workflowId" TEXT NOT NULL,
    "returnTrackingNumber" TEXT,
    "satisfaction" INTEGER,
    "closeReason" TEXT,
    "projectionVersion" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "resolvedAt" TIMESTAMPTZ(3),
    "closedAt" TIMESTAMPTZ(3),

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseEvent" (
    "id" BIGSERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "stepKey" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "kind" TEXT NOT NULL,
    "actor" TEXT NOT NULL DEFAULT 'system',
    "data" JSONB NOT NULL DEFAULT '{}',
    "decision" JSONB,

    CONSTRAINT "CaseEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Evidence" (
    "id" BIGSERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "url" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'photo',
    "addedBy" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Evidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LedgerEntry" (
    "id" BIGSERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "kind" "LedgerKind" NOT NULL,
    "amountMinor" BIGINT NOT NULL,
    "currency" CHAR(3) NOT NULL,
    "lines" JSONB NOT NULL DEFAULT '[]',
    "reference" TEXT,
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LedgerEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Notification" (
    "id" BIGSERIAL NOT NULL,
    "caseId" TEXT NOT NULL,
    "template" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "channel" TEXT NOT NULL DEFAULT 'SMS',
    "params" JSONB NOT NULL DEFAULT '{}',
    "idempotencyKey" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sentAt" TIMESTAMPTZ(3),
    "providerId" TEXT,

    CONSTRAINT "Notification_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ApiCredential" (
    "id" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "keyHash" CHAR(64) NOT NULL,
    "merchantId" TEXT,
    "customerId" TEXT,
    "label" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revokedAt" TIMESTAMPTZ(3),

    CONSTRAINT "ApiCredential_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "IdempotencyRecord" (
    "principal" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "requestHash" CHAR(64) NOT NULL,
    "status" INTEGER NOT NULL,
    "responseBody" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "IdempotencyRecord_pkey" PRIMARY KEY ("principal","key")
);

-- CreateIndex
CREATE UNIQUE INDEX "Case_workflowId_key" ON "Case"("workflowId");

-- CreateIndex
CREATE INDEX "Case_merchantId_status_createdAt_idx" ON "Case"("merchantId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "Case_merchantId_type_createdAt_idx" ON "Case"("merchantId", "type", "createdAt");

-- CreateIndex
CREATE INDEX "Case_merchantId_late_createdAt_idx" ON "Case"("merchantId", "late", "createdAt");

-- CreateIndex
CREATE INDEX "Case_assigneeId_status_idx" ON "Case"("assigneeId", "status");

-- CreateIndex
CREATE INDEX "Case_customerId_createdAt_idx" ON "Case"("customerId", "createdAt");

-- CreateIndex
CREATE INDEX "Case_returnTrackingNumber_idx" ON "Case"("returnTrackingNumber");

-- CreateIndex
CREATE INDEX "CaseEvent_caseId_at_idx" ON "CaseEvent"("caseId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "CaseEvent_caseId_stepKey_key" ON "CaseEvent"("caseId", "stepKey");

-- CreateIndex
CREATE INDEX "Evidence_caseId_idx" ON "Evidence"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "LedgerEntry_idempotencyKey_key" ON "LedgerEntry"("idempotencyKey");

-- CreateIndex
CREATE INDEX "LedgerEntry_caseId_kind_idx" ON "LedgerEntry"("caseId", "kind");

-- CreateIndex
CREATE UNIQUE INDEX "Notification_idempotencyKey_key" ON "Notification"("idempotencyKey");

-- CreateIndex
CREATE INDEX "Notification_caseId_idx" ON "Notification"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "ApiCredential_keyHash_key" ON "ApiCredential"("keyHash");

-- AddForeignKey
ALTER TABLE "PolicyVersion" ADD CONSTRAINT "PolicyVersion_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Case" ADD CONSTRAINT "Case_merchantId_fkey" FOREIGN KEY ("merchantId") REFERENCES "Merchant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseEvent" ADD CONSTRAINT "CaseEvent_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Evidence" ADD CONSTRAINT "Evidence_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LedgerEntry" ADD CONSTRAINT "LedgerEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Notification" ADD CONSTRAINT "Notification_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
