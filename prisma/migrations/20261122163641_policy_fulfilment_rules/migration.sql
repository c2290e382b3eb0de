-- AlterTable
ALTER TABLE "PolicyVersion" ADD COLUMN     "fulfilment" JSONB;
