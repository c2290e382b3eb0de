-- Money a customer paid the shop within a case (an exchange's price difference for a dearer
-- replacement) is booked when it is paid: before, only the replacement's outbound note carried it,
-- so a difference paid and then refunded (no good stock, or the old goods never sent back) left a
-- refund in the ledger with no payment in. (Prisma's schema enum says the same.)
ALTER TYPE "LedgerKind" ADD VALUE 'PAYMENT_RECEIVED';
