-- A merchant's ledger by booking time (GET /v1/ledger): finance reconciles the money that moved in a
-- month, whatever month its case opened in.
CREATE INDEX "LedgerEntry_createdAt_idx" ON "LedgerEntry"("createdAt");
