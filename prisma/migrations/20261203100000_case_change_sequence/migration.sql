-- The sync order of GET /v1/cases (order=updated, db/case-queue.ts) by the transaction that last
-- changed each case, not by its updatedAt. A row is stamped with its transaction's start, which
-- can commit seconds later (a lock wait, an fsync stall, a writer's clock): a client that had read
-- past that time never saw the change. Here each change of a case writes the id of the transaction
-- making it, and the sync lists only changes older than the oldest transaction still running
-- (pg_snapshot_xmin): whatever commits later has a larger id, after every cursor handed out.
-- The key sits in a narrow table of its own: on "Case" an index on a column every write moves
-- would take every step write off Postgres' in-place (HOT) updates, and so write all of the
-- table's indexes each time.

-- DropIndex (case_sync_order: (merchantId, updatedAt, id), replaced by the table below)
DROP INDEX "Case_merchantId_updatedAt_id_idx";

-- CreateTable
CREATE TABLE "CaseChange" (
    "caseId" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "seq" BIGINT NOT NULL,

    CONSTRAINT "CaseChange_pkey" PRIMARY KEY ("caseId")
);

-- CreateIndex
CREATE INDEX "CaseChange_merchantId_seq_caseId_idx" ON "CaseChange"("merchantId", "seq", "caseId");

-- AddForeignKey
ALTER TABLE "CaseChange" ADD CONSTRAINT "CaseChange_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The cases there already: changed before any sync could start.
INSERT INTO "CaseChange" ("caseId", "merchantId", "seq") SELECT "id", "merchantId", 0 FROM "Case";

CREATE FUNCTION case_change_sequence() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  INSERT INTO "CaseChange" ("caseId", "merchantId", "seq")
  VALUES (NEW."id", NEW."merchantId", pg_current_xact_id()::text::bigint)
  ON CONFLICT ("caseId") DO UPDATE SET "seq" = EXCLUDED."seq", "merchantId" = EXCLUDED."merchantId";
  RETURN NULL;
END;
$fn$;

-- As the live updates: an update that changes nothing (a projection already applied) is no change.
CREATE TRIGGER "Case_change_sequence_insert" AFTER INSERT ON "Case"
  FOR EACH ROW EXECUTE FUNCTION case_change_sequence();
CREATE TRIGGER "Case_change_sequence_update" AFTER UPDATE ON "Case"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION case_change_sequence();
