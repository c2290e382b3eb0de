-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "notBefore" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "Notification_sentAt_notBefore_idx" ON "Notification"("sentAt", "notBefore");

-- Messages left unsent before the outbox sender existed (cases that failed on a message long ago)
-- are not sent now: they are kept, as given up on.
UPDATE "Notification" SET "notBefore" = 'infinity' WHERE "sentAt" IS NULL;
