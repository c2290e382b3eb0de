/**
 * The platform's database: the Postgres at DATABASE_URL, or — on a machine without one — an embedded
 * PGlite persisted in a directory. Migrations are applied at start through Prisma's schema engine
 * (as `prisma migrate deploy` would), then a Prisma client over the `pg` driver adapter is handed out.
 */
import type { PrismaClient } from '../generated/prisma/client.js';
import { createPrisma } from './client.js';
import { DEFAULT_EMBEDDED_DIR, startEmbeddedPostgres } from './embedded.js';
import { deployWithEngine } from './schema-engine.js';

export interface DatabaseOptions {
  /** Default: DATABASE_URL; when neither is set, the embedded database is started. */
  url?: string;
  /** Where the embedded database lives (default PGLITE_DIR or `.data/pg`); ignored with a URL. */
  dataDir?: string;
  /** Apply pending migrations at start (default true). */
  migrate?: boolean;
}

export interface Database {
  prisma: PrismaClient;
  url: string;
  embedded: boolean;
  /** The migrations this start applied (empty when the database was up to date). */
  appliedMigrations: string[];
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  const configured = options.url ?? process.env.DATABASE_URL;
  const embedded = configured ? undefined : await startEmbeddedPostgres(options.dataDir ?? process.env.PGLITE_DIR ?? DEFAULT_EMBEDDED_DIR);
  const url = configured ?? embedded!.url;
  try {
    const appliedMigrations = options.migrate === false ? [] : await deployWithEngine(url);
    const prisma = createPrisma(url);
    return {
      prisma,
      url,
      embedded: embedded !== undefined,
      appliedMigrations,
      async close() {
        await prisma.$disconnect();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
