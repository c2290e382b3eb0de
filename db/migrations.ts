/**
 * Applies the committed Prisma migrations (`prisma/migrations/<name>/migration.sql`) exactly as
 * `prisma migrate deploy` does — same `_prisma_migrations` table, same advisory lock, same row
 * lifecycle and checksums — without the native engine, which cannot be downloaded here. A machine
 * with internet may equally run `prisma migrate deploy` on the same folders.
 */
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Db } from './client.js';

export const MIGRATIONS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../prisma/migrations');
const ADVISORY_LOCK = 72707369; // the id Prisma's engine locks on

const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL,
  "checksum" VARCHAR(64) NOT NULL,
  "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL,
  "logs" TEXT,
  "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
  "applied_steps_count" INTEGER NOT NULL DEFAULT 0
)`;

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export function listMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'migration.sql')))
    .map((d) => d.name)
    .sort((a, b) => a.localeCompare(b))
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

/** The newest migration of this checkout (its folder name), or undefined when there is none. */
export function newestMigrationName(dir = MIGRATIONS_DIR): string | undefined {
  return listMigrations(dir).at(-1)?.name;
}

export class MigrationError extends Error {}

/** Applies what is not applied yet; returns the names applied. Refuses to run past a failed or edited migration. */
export async function deployMigrations(connectionString: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [ADVISORY_LOCK]);
    await client.query(CREATE_TABLE);
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished_at: Date | null; rolled_back_at: Date | null }>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY started_at',
    );
    const failed = rows.find((r) => r.finished_at === null && r.rolled_back_at === null);
    if (failed) throw new MigrationError(`migration ${failed.migration_name} failed earlier (P3009): resolve it before deploying`);
    const applied = new Map(rows.filter((r) => r.finished_at !== null).map((r) => [r.migration_name, r.checksum]));
    const done: string[] = [];
    for (const m of listMigrations(dir)) {
      const previous = applied.get(m.name);
      if (previous !== undefined) {
        if (previous !== m.checksum) throw new MigrationError(`migration ${m.name} was edited after it was applied (checksum differs)`);
        continue;
      }
      const id = randomUUID();
      await client.query('INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at) VALUES ($1, $2, $3, now())', [id, m.checksum, m.name]);
      try {
        // One simple-protocol query: the whole script runs in one implicit transaction, as with the native engine.
        await client.query(m.sql);
      } catch (err) {
        await client.query('UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1', [id, String(err)]);
        throw new MigrationError(`migration ${m.name} failed: ${(err as Error).message}`);
      }
      await client.query('UPDATE "_prisma_migrations" SET applied_steps_count = applied_steps_count + 1, finished_at = now() WHERE id = $1', [id]);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [ADVISORY_LOCK]).catch(() => undefined);
    await client.end();
  }
}

/**
 * Whether the database holds `migration` (with none given: whether it answers at all); a database
 * with no migrations table holds none. GET /ready asks it of this build's newest migration.
 */
export async function migrationApplied(db: Pick<Db, '$queryRaw'>, migration: string | undefined): Promise<boolean> {
  if (!migration) return (await db.$queryRaw`SELECT 1`, true);
  // Two statements: a query naming a table that does not exist fails to plan, whatever guards it.
  const [table] = await db.$queryRaw<Array<{ present: boolean }>>`SELECT to_regclass('"_prisma_migrations"') IS NOT NULL AS present`;
  if (!table?.present) return false;
  const [row] = await db.$queryRaw<Array<{ applied: boolean }>>`
    SELECT EXISTS (SELECT 1 FROM "_prisma_migrations" WHERE migration_name = ${migration} AND finished_at IS NOT NULL AND rolled_back_at IS NULL) AS applied`;
  return row?.applied === true;
}
