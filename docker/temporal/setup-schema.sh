#!/bin/sh
# One-shot (temporalio/admin-tools): Temporal's own databases and schemas in PostgreSQL, created or
# brought up to the image's version. Safe to run at every start: `create` leaves an existing
# database alone, `setup-schema -v 0.0` keeps a newer version, `update-schema` applies only what is new.
set -eu
: "${POSTGRES_SEEDS:?}" "${POSTGRES_USER:?}" "${SQL_PASSWORD:?}"
PORT="${DB_PORT:-5432}"
SCHEMA=/etc/temporal/schema/postgresql/v12

for db in temporal temporal_visibility; do
  dir=temporal
  [ "$db" = temporal_visibility ] && dir=visibility
  echo "schema of $db"
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$PORT" --db "$db" create
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$PORT" --db "$db" setup-schema -v 0.0
  temporal-sql-tool --plugin postgres12 --ep "$POSTGRES_SEEDS" -u "$POSTGRES_USER" -p "$PORT" --db "$db" update-schema -d "$SCHEMA/$dir/versioned"
done
echo "Temporal schemas are up to date"
