-- Openings whose workflow may not have started (Temporal away when the case was opened): cases no
-- workflow step has reached yet. The API looks for them every minute (api/unstarted-openings.ts);
-- the index holds only those rows, a handful at any time, so the look costs nothing at a year of
-- cases. (Written by hand: Prisma's schema language has no partial indexes.)
CREATE INDEX "Case_unprojected_idx" ON "Case" ("createdAt") WHERE "projectionVersion" = 0;
