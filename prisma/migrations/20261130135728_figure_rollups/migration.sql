-- CreateTable
CREATE TABLE "FigureZone" (
    "zone" TEXT NOT NULL,
    "addedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FigureZone_pkey" PRIMARY KEY ("zone")
);

-- CreateTable
CREATE TABLE "FigureDay" (
    "zone" TEXT NOT NULL,
    "merchantId" TEXT NOT NULL,
    "dim" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "keyed" BOOLEAN NOT NULL,
    "key" TEXT NOT NULL,
    "cases" INTEGER NOT NULL,
    "resolved" INTEGER NOT NULL,
    "onTime" INTEGER NOT NULL,
    "revisited" INTEGER NOT NULL,
    "satisfied" INTEGER NOT NULL,
    "complaints" INTEGER NOT NULL,

    CONSTRAINT "FigureDay_pkey" PRIMARY KEY ("zone","merchantId","dim","day","keyed","key")
);

-- The business figures read these daily rollups instead of every case of the period (db/figures.ts).
-- (Created with `migrate dev --create-only`; Prisma's schema language has no triggers or GiST
-- expression indexes.) Statement triggers on "Case" keep them exact: each statement's old rows
-- count -1 and its new rows +1, summed per zone, merchant, breakdown, local day and value, and added
-- to the rollup rows in key order (so two statements lock shared rows in the same order).

-- The statement that adds the counts of `facts` (a SELECT of "merchantId", "createdAt", "type",
-- "assigneeId", "carrier", resolved, "late", "satisfaction", sign) to the rollups of every zone, or
-- of zone $1 only. Built as text because transition tables are visible only to statements run by
-- the trigger function itself, not by a function it calls.
CREATE FUNCTION figure_day_sql(facts text) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format($q$
    INSERT INTO "FigureDay" AS r ("zone", "merchantId", "dim", "day", "keyed", "key", "cases", "resolved", "onTime", "revisited", "satisfied", "complaints")
    SELECT * FROM (
      SELECT z."zone", f."merchantId", d.dim, (f."createdAt" AT TIME ZONE z."zone")::date AS day, d.keyed, d.key,
             sum(f.sign)::int AS cases,
             sum(f.sign * f.resolved::int)::int AS resolved,
             sum(f.sign * (NOT f."late")::int)::int AS on_time,
             sum(f.sign * (f."satisfaction" IS NOT NULL)::int)::int AS revisited,
             sum(f.sign * coalesce(f."satisfaction" >= 4, false)::int)::int AS satisfied,
             sum(f.sign * (f."type" = 'COMPLAINT')::int)::int AS complaints
        FROM (%s) f
        JOIN "FigureZone" z ON $1::text IS NULL OR z."zone" = $1
       CROSS JOIN LATERAL (VALUES ('none', true, ''), ('type', true, f."type"),
                                  ('agent', f."assigneeId" IS NOT NULL, coalesce(f."assigneeId", '')),
                                  ('carrier', f."carrier" IS NOT NULL, coalesce(f."carrier", ''))) d(dim, keyed, key)
       GROUP BY 1, 2, 3, 4, 5, 6) g
     -- An update that changes nothing counted nets to zero: no row is touched (nor locked).
     WHERE (g.cases, g.resolved, g.on_time, g.revisited, g.satisfied, g.complaints) <> (0, 0, 0, 0, 0, 0)
     ORDER BY 1, 2, 3, 4, 5, 6
    ON CONFLICT ("zone", "merchantId", "dim", "day", "keyed", "key") DO UPDATE
       SET "cases" = r."cases" + EXCLUDED."cases", "resolved" = r."resolved" + EXCLUDED."resolved",
           "onTime" = r."onTime" + EXCLUDED."onTime", "revisited" = r."revisited" + EXCLUDED."revisited",
           "satisfied" = r."satisfied" + EXCLUDED."satisfied", "complaints" = r."complaints" + EXCLUDED."complaints"
  $q$, facts)
$fn$;

-- What the figures count of a case (resolvedAt only matters as set or not).
CREATE FUNCTION figure_case_facts(source text, sign int) RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
  SELECT format('SELECT "merchantId", "createdAt", "type"::text AS "type", "assigneeId", "carrier", "resolvedAt" IS NOT NULL AS resolved, "late", "satisfaction", %s AS sign FROM %s', sign, source)
$fn$;

CREATE FUNCTION case_figures_changed() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  IF TG_OP = 'INSERT' THEN
    EXECUTE figure_day_sql(figure_case_facts('new_cases', 1)) USING NULL::text;
  ELSIF TG_OP = 'DELETE' THEN
    EXECUTE figure_day_sql(figure_case_facts('old_cases', -1)) USING NULL::text;
  ELSE
    -- Most updates (stage, deadlines, projection version, a no-op updateMany) change nothing the
    -- figures count: stop before building the statement.
    IF NOT EXISTS (SELECT "merchantId", "createdAt", "type", "assigneeId", "carrier", "resolvedAt" IS NOT NULL, "late", "satisfaction" FROM old_cases
                   EXCEPT ALL
                   SELECT "merchantId", "createdAt", "type", "assigneeId", "carrier", "resolvedAt" IS NOT NULL, "late", "satisfaction" FROM new_cases) THEN
      RETURN NULL;
    END IF;
    EXECUTE figure_day_sql(figure_case_facts('old_cases', -1) || ' UNION ALL ' || figure_case_facts('new_cases', 1)) USING NULL::text;
  END IF;
  RETURN NULL;
END;
$fn$;

CREATE TRIGGER "Case_figures_insert" AFTER INSERT ON "Case"
  REFERENCING NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION case_figures_changed();
CREATE TRIGGER "Case_figures_update" AFTER UPDATE ON "Case"
  REFERENCING OLD TABLE AS old_cases NEW TABLE AS new_cases FOR EACH STATEMENT EXECUTE FUNCTION case_figures_changed();
CREATE TRIGGER "Case_figures_delete" AFTER DELETE ON "Case"
  REFERENCING OLD TABLE AS old_cases FOR EACH STATEMENT EXECUTE FUNCTION case_figures_changed();

CREATE FUNCTION case_figures_truncated() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM "FigureDay";
  RETURN NULL;
END;
$fn$;
CREATE TRIGGER "Case_figures_truncate" AFTER TRUNCATE ON "Case" FOR EACH STATEMENT EXECUTE FUNCTION case_figures_truncated();

-- Starts keeping rollups in zone `z` and fills them from the cases: true when added. Case writes wait
-- meanwhile (SHARE ROW EXCLUSIVE), so that no change is counted twice or missed between the fill
-- and the first trigger that sees the zone. A zone Postgres does not know is not added: its
-- figures are computed from the cases table (db/figures.ts).
CREATE FUNCTION figure_zone_add(z text) RETURNS boolean LANGUAGE plpgsql AS $fn$
BEGIN
  IF z IS NULL OR EXISTS (SELECT 1 FROM "FigureZone" WHERE "zone" = z) THEN
    RETURN false;
  END IF;
  BEGIN
    PERFORM now() AT TIME ZONE z;
  EXCEPTION WHEN invalid_parameter_value THEN
    RETURN false;
  END;
  LOCK TABLE "Case" IN SHARE ROW EXCLUSIVE MODE;
  INSERT INTO "FigureZone" ("zone") VALUES (z) ON CONFLICT DO NOTHING;
  IF NOT FOUND THEN
    RETURN false;
  END IF;
  EXECUTE figure_day_sql(figure_case_facts('"Case"', 1)) USING z;
  RETURN true;
END;
$fn$;

-- A merchant's figures are read in its policy's zone: a policy naming a new zone adds it.
CREATE FUNCTION policy_figure_zone() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
  PERFORM figure_zone_add(NEW."businessHours"->>'timeZone');
  RETURN NULL;
END;
$fn$;
CREATE TRIGGER "PolicyVersion_figure_zone" AFTER INSERT OR UPDATE OF "businessHours" ON "PolicyVersion"
  FOR EACH ROW EXECUTE FUNCTION policy_figure_zone();

-- Backfill: Beijing time (the zone of the all-merchants figures) and every policy's zone.
SELECT figure_zone_add('Asia/Shanghai');
SELECT figure_zone_add(z) FROM (SELECT DISTINCT "businessHours"->>'timeZone' AS z FROM "PolicyVersion") p ORDER BY 1;

-- The daily register (db/register.ts) asks for the cases open during a day: opened before its end
-- and not closed before its start. As a range [createdAt, closedAt] (unbounded while open) that is an
-- overlap, which a GiST index answers without reading the cases closed long ago. GREATEST keeps a
-- closedAt before createdAt from making an invalid range; the register re-checks the exact condition.
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX "Case_open_during_idx" ON "Case" USING gist ("merchantId",
  tstzrange("createdAt", CASE WHEN "closedAt" IS NULL THEN NULL ELSE GREATEST("closedAt", "createdAt") END, '[]'));
