-- Answers stored for an Idempotency-Key kept the secret they handed out: a new API key (POST
-- /v1/admin/keys: { id, role, …, key }) or a customer token (POST /v1/customer-tokens: { token,
-- tokenId, … }), readable in the database and its backups for the records' 7 days. They are now
-- stored without it (api/idempotency.ts); those already stored lose it here.
UPDATE "IdempotencyRecord" SET "responseBody" = "responseBody" - 'key' WHERE jsonb_typeof("responseBody") = 'object' AND "responseBody" ? 'key' AND "responseBody" ? 'role' AND "responseBody" ? 'id';
UPDATE "IdempotencyRecord" SET "responseBody" = "responseBody" - 'token' WHERE jsonb_typeof("responseBody") = 'object' AND "responseBody" ? 'token' AND "responseBody" ? 'tokenId';
