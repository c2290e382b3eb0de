-- The daily register (db/register.ts) shows per case type the facts recorded by the day's end
-- (the damage assessed, the root cause, what the warehouse verified, the quality remedy): the
-- latest step of seven kinds. Most cases have none, so reading each open case's timeline for them
-- cost a probe per case (a third of the register's time on a busy day); the index holds only
-- those steps. (Created with `migrate dev --create-only`; Prisma's schema language has no partial
-- indexes.)
CREATE INDEX "CaseEvent_register_facts_idx" ON "CaseEvent" ("caseId", "at")
  WHERE "kind" IN ('ASSESSED', 'ROOT_CAUSE_RECORDED', 'VALUE_DECIDED', 'DISCOUNT_ANSWERED', 'DISCOUNT_TIMED_OUT', 'CHOICE_ANSWERED', 'CHOICE_TIMED_OUT');
