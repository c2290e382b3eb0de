-- Return parcels on the warehouse's hold shelf (api/held-parcels.ts): scanned while their case did
-- not take them. (Created with `migrate dev --create-only`; the partial unique index is added by hand:
-- Prisma's schema language has none.)

-- CreateTable
CREATE TABLE "HeldParcel" (
    "id" TEXT NOT NULL,
    "caseId" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "trackingNumber" TEXT,
    "heldBy" TEXT NOT NULL,
    "heldAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "outcome" TEXT,
    "endedBy" TEXT,
    "endedAt" TIMESTAMPTZ(3),
    "endNote" TEXT,

    CONSTRAINT "HeldParcel_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HeldParcel_caseId_idx" ON "HeldParcel"("caseId");

-- CreateIndex
CREATE INDEX "HeldParcel_merchantId_heldAt_idx" ON "HeldParcel"("merchantId", "heldAt");

-- AddForeignKey
ALTER TABLE "HeldParcel" ADD CONSTRAINT "HeldParcel_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- One row per parcel on the shelf: the same parcel scanned again is the hold already there (by its
-- label's number; by return code alone, the case's one parcel without a number).
CREATE UNIQUE INDEX "HeldParcel_on_shelf_key" ON "HeldParcel"("caseId", (COALESCE("trackingNumber", ''))) WHERE "endedAt" IS NULL;
