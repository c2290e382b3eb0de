import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from '../generated/prisma/client.js';

export type Db = PrismaClient;

/**
 * Plain SQL on the pool Prisma itself uses, for the few statements every opened case runs (the
 * key lookup, the opening's reads and insert, the outbox's writes): Prisma's per-call work —
 * building, compiling and interpreting the query — was a fifth of the platform's CPU under load,
 * several times what `pg` needs for the same statement. Everything else stays on Prisma.
 */
export interface Sql {
  /** Rows of one statement with `$1…` parameters; pass JSON as a string and cast it (`$1::jsonb`). */
  query<R>(text: string, values: unknown[]): Promise<R[]>;
}

const pools = new WeakMap<object, pg.Pool>();

/** A Prisma client over the `pg` driver adapter (Prisma 7 needs no query-engine binary). */
export function createPrisma(connectionString: string): Db {
  // pg's default pool size (10), as the adapter would make it; $disconnect ends it.
  const pool = new pg.Pool({ connectionString });
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  pools.set(db, pool);
  return db;
}

/**
 * The plain-SQL side of a client: its pool when `createPrisma` made it, otherwise (a client made
 * elsewhere, a transaction client) the same statement through Prisma, so results do not depend
 * on the path. Keep to column types both return alike: text, int4, bool, jsonb, timestamptz.
 */
export function sqlOf(db: object): Sql {
  const pool = pools.get(db);
  if (pool) return { query: async <R>(text: string, values: unknown[]) => (await pool.query(text, values)).rows as R[] };
  const prisma = db as Pick<PrismaClient, '$queryRawUnsafe'>;
  return { query: <R>(text: string, values: unknown[]) => prisma.$queryRawUnsafe<R[]>(text, ...values) };
}
