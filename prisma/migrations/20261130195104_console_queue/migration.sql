-- The console (issue 13): the agents' work queue and its live updates.
-- (Created with `migrate dev --create-only`; Prisma's schema language has no triggers, partial or
-- expression indexes.)

-- The work queue: a merchant's open cases, most urgent first — late ones, then by solution deadline
-- (none last), then id (db/case-queue.ts). Open cases are a small part of all a merchant ever had,
-- so the index holds only them; the expressions make the order one ascending key, which keyset
-- paging compares as a row: (NOT late, due, id) > (…of the previous page's last case).
CREATE INDEX "Case_open_urgency_idx" ON "Case" ("merchantId", (NOT "late"), (COALESCE("solutionDueAt", 'infinity'::timestamptz)), "id")
  WHERE "status" NOT IN ('RESOLVED', 'CLOSED');

-- Live updates: every change of a case row is announced on the channel `case_changes` with what a
-- list shows of it; the API listens on one connection and fans it out to its SSE subscribers
-- (api/routes/case-change-feed.ts). Sent at commit, never for a rolled-back change.
CREATE FUNCTION case_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM pg_notify('case_changes', json_build_object(
    'caseId', NEW."id", 'merchantId', NEW."merchantId", 'type', NEW."type", 'stage', NEW."stage",
    'status', NEW."status", 'updatedAt', to_char(NEW."updatedAt" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text);
  RETURN NULL;
END;
$fn$;

-- An update that changes nothing (a projection already applied) announces nothing.
CREATE TRIGGER "Case_changed_insert" AFTER INSERT ON "Case"
  FOR EACH ROW EXECUTE FUNCTION case_changed_notify();
CREATE TRIGGER "Case_changed_update" AFTER UPDATE ON "Case"
  FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION case_changed_notify();
