-- CreateTable
CREATE TABLE "CaseParcel" (
    "caseId" TEXT NOT NULL,
    "carrier" TEXT NOT NULL,
    "trackingNumber" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseParcel_pkey" PRIMARY KEY ("caseId","carrier","trackingNumber")
);

-- CreateIndex
CREATE INDEX "CaseParcel_trackingNumber_idx" ON "CaseParcel"("trackingNumber");

-- AddForeignKey
ALTER TABLE "CaseParcel" ADD CONSTRAINT "CaseParcel_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Cases from before: the return parcel the case row already names.
INSERT INTO "CaseParcel" ("caseId", "carrier", "trackingNumber", "role")
SELECT "id", UPPER("carrier"), "returnTrackingNumber", 'RETURN' FROM "Case"
WHERE "returnTrackingNumber" IS NOT NULL AND "carrier" IS NOT NULL
ON CONFLICT DO NOTHING;
