-- A refund sent back is told to its case's workflow once its booking has committed (the refund
-- follower, docs/refund-settlement.md): "caseToldAt" is null until the workflow has heard it, and
-- "checkAt" is when to try next. Returns booked before this are taken as told (their workflows were
-- not told then, and most have ended).
ALTER TABLE "RefundHold" ADD COLUMN "caseToldAt" TIMESTAMPTZ(3);
UPDATE "RefundHold" SET "caseToldAt" = "settledAt" WHERE "status" = 'FAILED';
CREATE INDEX "RefundHold_untold_checkAt_idx" ON "RefundHold" ("checkAt") WHERE "status" = 'FAILED' AND "caseToldAt" IS NULL;
