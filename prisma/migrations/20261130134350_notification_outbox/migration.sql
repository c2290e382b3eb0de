-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "notBefore" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Notification_sentAt_notBefore_idx" ON "Notification"("sentAt", "notBefore");
