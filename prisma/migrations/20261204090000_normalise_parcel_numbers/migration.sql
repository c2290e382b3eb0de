-- A parcel's tracking number is normalised at the API (domain/tracking-number.ts): white space and
-- the invisible marks copy-paste carries removed, full-width ASCII (U+FF01-U+FF5E) folded, ASCII
-- letters upper-cased. "sf 1400 0000 0009" entered before was never found by the scan of
-- SF1400000000009; the numbers stored before are normalised the same way (the same character
-- class as TRACKING_NUMBER_REMOVED; test/db/normalise-parcel-numbers.test.ts holds them together),
-- so every lookup stays an exact match on its index. A parcel of a case known in several spellings
-- keeps one row: the normalised one, or the first. A number that would be empty stays as it was.
UPDATE "Case" c SET "returnTrackingNumber" = n.t
  FROM (SELECT "id", translate(translate(regexp_replace("returnTrackingNumber", '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u2066-\u2069\u3000\ufeff]', '', 'g'), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') AS t FROM "Case" WHERE "returnTrackingNumber" IS NOT NULL) n
 WHERE c."id" = n."id" AND c."returnTrackingNumber" <> n.t AND n.t <> '';

WITH n AS (SELECT ctid AS pos, "caseId", "carrier", "trackingNumber", translate(translate(regexp_replace("trackingNumber", '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u2066-\u2069\u3000\ufeff]', '', 'g'), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') AS t FROM "CaseParcel")
DELETE FROM "CaseParcel" p USING n a
 WHERE p.ctid = a.pos AND a."trackingNumber" <> a.t AND a.t <> ''
   AND EXISTS (SELECT 1 FROM n b
                WHERE b."caseId" = a."caseId" AND b."carrier" = a."carrier" AND b.t = a.t AND b.pos <> a.pos
                  AND (b."trackingNumber" = b.t OR b.pos < a.pos));
UPDATE "CaseParcel" p SET "trackingNumber" = n.t
  FROM (SELECT ctid AS pos, translate(translate(regexp_replace("trackingNumber", '[\u0009-\u000d\u0020\u0085\u00a0\u1680\u180e\u2000-\u200f\u2028-\u202f\u205f\u2060\u2066-\u2069\u3000\ufeff]', '', 'g'), '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~'), 'abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ') AS t FROM "CaseParcel") n
 WHERE p.ctid = n.pos AND p."trackingNumber" <> n.t AND n.t <> '';
