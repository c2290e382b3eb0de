-- Carriers are named by code wherever a parcel is matched (domain/carriers.ts): the API turns "顺丰",
-- "ＳＦ" or "SF Express" into SF before anything is stored. Cases opened before kept the name as
-- typed: SF's signed tracking events for a return stored as "顺丰" were refused as another
-- carrier's, and the figures counted "顺丰" and "SF" as two carriers. The names stored before are
-- turned into codes the same way: a known carrier's name compared folded (white space of any kind
-- removed, full-width ASCII folded, lower-cased) against the table below, which is
-- domain/carriers.ts KNOWN_CARRIERS (test/db/parcel-carrier-codes.test.ts holds them together);
-- any other name trimmed and upper-cased when that makes a valid code ("best" → BEST). A name that
-- makes no code ("小件快递") stays as it was. A parcel of a case known under several names keeps
-- one row: its RETURN row if it has one (a corrected return number removes the RETURN row of the
-- number it replaces), otherwise the earliest.
CREATE FUNCTION pg_temp.carrier_code(name text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT coalesce(
    (SELECT k.code FROM (VALUES
      ('sf', 'SF'), ('顺丰', 'SF'), ('顺丰速运', 'SF'), ('顺丰快递', 'SF'), ('顺丰速递', 'SF'), ('sfexpress', 'SF'), ('shunfeng', 'SF'),
      ('yto', 'YTO'), ('圆通', 'YTO'), ('圆通速递', 'YTO'), ('圆通快递', 'YTO'), ('ytoexpress', 'YTO'),
      ('zto', 'ZTO'), ('中通', 'ZTO'), ('中通快递', 'ZTO'), ('中通速递', 'ZTO'), ('ztoexpress', 'ZTO'),
      ('sto', 'STO'), ('申通', 'STO'), ('申通快递', 'STO'), ('stoexpress', 'STO'),
      ('yunda', 'YUNDA'), ('韵达', 'YUNDA'), ('韵达速递', 'YUNDA'), ('韵达快递', 'YUNDA'), ('yundaexpress', 'YUNDA'),
      ('ems', 'EMS'), ('邮政', 'EMS'), ('中国邮政', 'EMS'), ('邮政ems', 'EMS'), ('中国邮政ems', 'EMS'), ('ems快递', 'EMS'), ('邮政快递', 'EMS'), ('chinapost', 'EMS'), ('chinapostems', 'EMS'),
      ('jd', 'JD'), ('京东', 'JD'), ('京东物流', 'JD'), ('京东快递', 'JD'), ('jdlogistics', 'JD'), ('jdexpress', 'JD'),
      ('jtexpress', 'JTEXPRESS'), ('极兔', 'JTEXPRESS'), ('极兔速递', 'JTEXPRESS'), ('极兔快递', 'JTEXPRESS'), ('j&t', 'JTEXPRESS'), ('j&texpress', 'JTEXPRESS'),
      ('deppon', 'DEPPON'), ('德邦', 'DEPPON'), ('德邦快递', 'DEPPON'), ('德邦物流', 'DEPPON'), ('depponexpress', 'DEPPON')
    ) AS k(folded, code)
     WHERE k.folded = lower(regexp_replace(h.t, '[\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]', '', 'g'))),
    CASE WHEN upper(trimmed) ~ '^[A-Z0-9_-]{1,32}$' THEN upper(trimmed) ELSE name END)
  FROM (SELECT translate(name, '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～', '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~') AS t) h,
       LATERAL (SELECT regexp_replace(h.t, '^[\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+|[\u0009-\u000d\u0020\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]+$', '', 'g') AS trimmed) r
$$;

UPDATE "Case" SET "carrier" = pg_temp.carrier_code("carrier")
 WHERE "carrier" IS NOT NULL AND "carrier" <> pg_temp.carrier_code("carrier");

WITH n AS (SELECT ctid AS pos, row_number() OVER (PARTITION BY "caseId", "trackingNumber", pg_temp.carrier_code("carrier")
                                                ORDER BY ("role" = 'RETURN') DESC, "at", ctid) AS rank
             FROM "CaseParcel")
DELETE FROM "CaseParcel" p USING n WHERE p.ctid = n.pos AND n.rank > 1;
UPDATE "CaseParcel" SET "carrier" = pg_temp.carrier_code("carrier")
 WHERE "carrier" <> pg_temp.carrier_code("carrier");

DROP FUNCTION pg_temp.carrier_code(text);
