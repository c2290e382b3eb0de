-- A parcel's identifiers lose their surrounding white space at the API (api/parcel-identifiers.ts),
-- so a scan of "SF555666777" finds the return entered as " SF555666777 ". The numbers stored before
-- are trimmed the same way. A parcel of a case known in several spellings keeps one row: the
-- trimmed one, or the first.
UPDATE "Case" SET "returnTrackingNumber" = btrim("returnTrackingNumber")
 WHERE "returnTrackingNumber" IS NOT NULL AND "returnTrackingNumber" <> btrim("returnTrackingNumber");

DELETE FROM "CaseParcel" p
 WHERE (p."carrier" <> btrim(p."carrier") OR p."trackingNumber" <> btrim(p."trackingNumber"))
   AND EXISTS (SELECT 1 FROM "CaseParcel" q
                WHERE q."caseId" = p."caseId" AND btrim(q."carrier") = btrim(p."carrier") AND btrim(q."trackingNumber") = btrim(p."trackingNumber")
                  AND ((q."carrier" = btrim(q."carrier") AND q."trackingNumber" = btrim(q."trackingNumber")) OR q.ctid < p.ctid));
UPDATE "CaseParcel" SET "carrier" = btrim("carrier"), "trackingNumber" = btrim("trackingNumber")
 WHERE "carrier" <> btrim("carrier") OR "trackingNumber" <> btrim("trackingNumber");
