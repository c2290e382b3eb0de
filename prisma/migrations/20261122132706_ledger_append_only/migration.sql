-- Documents and money are an append-only ledger: corrections are new entries (e.g. a reversal),
-- never edits. Enforced in the database so that no code path can rewrite history.
-- (Created with `migrate dev --create-only`; Prisma's schema language has no triggers.)
CREATE OR REPLACE FUNCTION ledger_entry_is_append_only() RETURNS trigger AS $$
BEGIN
  -- The default SQLSTATE (P0001 raise_exception): Prisma passes the message through, whereas an
  -- integrity class code such as restrict_violation would surface as "Foreign key constraint violated".
  RAISE EXCEPTION 'LedgerEntry is append-only: % is not allowed (book a correcting entry instead)', TG_OP;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "LedgerEntry_append_only"
  BEFORE UPDATE OR DELETE ON "LedgerEntry"
  FOR EACH ROW EXECUTE FUNCTION ledger_entry_is_append_only();

-- TRUNCATE skips row triggers: refuse it too.
CREATE TRIGGER "LedgerEntry_append_only_truncate"
  BEFORE TRUNCATE ON "LedgerEntry"
  FOR EACH STATEMENT EXECUTE FUNCTION ledger_entry_is_append_only();
