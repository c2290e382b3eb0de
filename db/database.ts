/**
 * The platform's database: the Postgres at DATABASE_URL, or — on a machine without one — an embedded
 * PGlite persisted in a directory. Migrations are applied at start through Prisma's schema engine
 * (as `prisma migrate deploy` would), then a Prisma client over the `pg` driver adapter is handed out.
 */
import pg from 'pg';
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
    if (configured) await createIfMissing(configured);
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

/**
 * A DATABASE_URL naming a database its server does not have yet: created there (from the server's
 * `postgres` database, with the URL's credentials), as `prisma migrate dev` would, instead of
 * stopping the start with the driver's "database … does not exist" and its stack.
 */
export async function createIfMissing(url: string): Promise<boolean> {
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return false;
  } catch (err) {
    if ((err as { code?: string }).code !== '3D000') throw err; // invalid_catalog_name: no such database
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  target.pathname = '/postgres';
  const server = new pg.Client({ connectionString: target.toString() });
  await server.connect();
  try {
    await server.query(`CREATE DATABASE ${server.escapeIdentifier(name)}`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42P04') throw err; // created meanwhile by another start
  } finally {
    await server.end();
  }
  return true;
}
