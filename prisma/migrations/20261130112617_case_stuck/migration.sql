-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "stuck" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "stuckReason" TEXT;
