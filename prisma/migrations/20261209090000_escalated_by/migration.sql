-- Which step escalated a case (its CaseEvent stepKey), so the staff read why it is escalated and not
-- only that it is: the workflow hands a case to an agent, a deadline passes, someone escalates it.
-- AlterTable
ALTER TABLE "Case" ADD COLUMN "escalatedBy" TEXT;
