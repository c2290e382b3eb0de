-- AlterTable
ALTER TABLE "CaseEvent" ADD COLUMN     "stage" TEXT;
