-- A return an agent approved in part expects back the lines approved, not its whole request: the
-- goods checks of later openings (repos.approvedLines) and the daily register (db/register.ts) read
-- the latest such approval of a case. Few cases have one, so the index holds only those steps and a
-- register day costs a probe of it per return, not of every case's timeline. (Written by hand:
-- Prisma's schema language has no partial indexes.)
CREATE INDEX "CaseEvent_agent_approval_idx" ON "CaseEvent" ("caseId", "at")
  WHERE "kind" = 'SOLUTION_PROPOSED' AND ("decision"->>'rule') = 'agentDecision' AND ("decision"->>'outcome') = 'APPROVE';
