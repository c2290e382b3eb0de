-- Cases escalated before the platform kept which step escalated them: their reason is unknown ('',
-- which the case view reads as none), not the next reminder or claim step that would otherwise fill
-- the empty column. A person's escalation, or a clearing, replaces it (db/case-steps.ts).
UPDATE "Case" SET "escalatedBy" = '' WHERE escalated AND "escalatedBy" IS NULL;
