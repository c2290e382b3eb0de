/**
 * A database as it was just before one migration (every migration up to it applied), for a test
 * that fills it with rows written the old way and then runs the migration over them.
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { deployMigrations, MIGRATIONS_DIR } from '../../db/migrations.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';

export interface DatabaseBeforeMigration {
  /** The migration's directory name (`<timestamp>_<suffix>`). */
  migration: string;
  client: pg.Client;
  q<T extends pg.QueryResultRow>(text: string, params?: unknown[]): Promise<T[]>;
  /** Applies the migration (and any later ones); resolves to the names applied. */
  migrate(): Promise<string[]>;
  drop(): Promise<void>;
}

/** The database before the migration whose name ends with `_${suffix}`. */
export async function databaseBefore(suffix: string): Promise<DatabaseBeforeMigration> {
  const migration = readdirSync(MIGRATIONS_DIR).find((name) => name.endsWith(`_${suffix}`));
  if (!migration) throw new Error(`no migration named *_${suffix} in ${MIGRATIONS_DIR}`);
  const db: TestDatabase = await createTestDatabase({ migrate: false });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const dir of readdirSync(MIGRATIONS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name < migration)) {
    cpSync(path.join(MIGRATIONS_DIR, dir.name), path.join(scratch, dir.name), { recursive: true });
  }
  await deployMigrations(db.url, scratch);
  const client = new pg.Client({ connectionString: db.url });
  await client.connect();
  return {
    migration,
    client,
    q: async (text, params = []) => (await client.query(text, params)).rows,
    migrate: () => deployMigrations(db.url),
    drop: async () => {
      await client.end();
      await db.drop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}
