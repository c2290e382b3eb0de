-- A refund that pays back money its case took on top of the order (an exchange's price difference,
-- refunded when no good stock ships) raises the order's refund cap by that much, for itself and for
-- the order's other cases: without it, the difference refunded counted against what the order's
-- other returns could still refund (db/case-store.ts holdRefund).
ALTER TABLE "RefundHold" ADD COLUMN "extraMinor" BIGINT NOT NULL DEFAULT 0;
