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

/** What a pool says when one of its idle connections fails (the server restarted, a proxy dropped it). */
export type IdleConnectionError = (err: Error) => void;

const warnIdleConnectionError: IdleConnectionError = (err) => {
  // One line: the error's own dump would print the connection's user and its backend's cancel key.
  console.warn(`postgres: an idle connection was lost (${err.message}); the pool opens a new one when it is next needed`);
};

/**
 * How long the platform's processes wait on Postgres: a connection (made, or free in the pool) within
 * 10 s, a statement's answer within 30 s. Without them a database that stops answering — a hung
 * server, a stalled network — held every request open for minutes (an ops drill waited 170 s for
 * no answer, /metrics too); now they fail, and the API answers 503 (api/unavailable.ts). Scripts,
 * tests and benchmarks pass none: a migration or a bulk load may take longer.
 *
 * The server is told the same bound (statement_timeout, sent when connecting): pg's own timeout
 * only stops waiting, and the statement — a slow report, one stuck behind a lock — went on holding
 * its connection and its locks after the client had been answered. Postgres cancels it now (57014,
 * also a 503), a moment before pg would give up on it. The embedded database (PGlite) ignores it.
 */
export const SERVICE_DATABASE_TIMEOUTS = { connectionTimeoutMillis: 10_000, statement_timeout: 30_000, query_timeout: 31_000 } as const;

/**
 * A worker of its own (`npm run worker`) waits for a connection as long, but for an answer as long as
 * the activity may take (its own timeouts end a hung one, and Temporal retries it): pg's answer
 * timeout does not stop the statement on the server, so a long one (the daily housekeeping's DELETE
 * after a backlog) would be sent again while it still runs.
 */
export const WORKER_DATABASE_TIMEOUTS = { connectionTimeoutMillis: 10_000, statement_timeout: 0, query_timeout: 0 } as const;

/** The idle-connection note as a line of a JSON log (the processes' loggers), not a plain line among them. */
export const logIdleConnectionError =
  (logger: { warn(obj: object, msg: string): void }): IdleConnectionError =>
  (err) =>
    logger.warn({ cause: err.message }, 'postgres: an idle connection was lost; the pool opens a new one when it is next needed');

/** pg's: waiting for a connection, the server's bound on a statement (0: none), waiting for an answer (0: for ever). */
export interface DatabaseTimeouts {
  connectionTimeoutMillis: number;
  statement_timeout?: number;
  query_timeout: number;
}

/** A Prisma client over the `pg` driver adapter (Prisma 7 needs no query-engine binary). */
export function createPrisma(connectionString: string, onIdleError: IdleConnectionError = warnIdleConnectionError, timeouts?: DatabaseTimeouts): Db {
  // pg's default pool size (10), as the adapter would make it; $disconnect ends it.
  const pool = new pg.Pool({ connectionString, ...timeouts });
  // An idle connection that fails makes the pool emit 'error', and an 'error' nobody listens to
  // ends the process: a worker died whenever Postgres or a proxy dropped its connections before
  // Prisma's adapter (which listens only from its first query) had been used — the outbox uses
  // the pool directly from start. The pool drops the connection itself; work goes on with new ones.
  pool.on('error', onIdleError);
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  // $disconnect ends the pool whether or not Prisma itself ever ran a statement: Prisma ends it only
  // when it had connected, and a client used only through `sqlOf` (the worker's outbox polls from
  // start, before any case activity) kept its idle connection — and the process alive — for pg's
  // idleTimeoutMillis (10 s): `npm run worker` lingered 10 s after it had stopped on SIGTERM.
  const prismaDisconnect = db.$disconnect.bind(db);
  Object.defineProperty(db, '$disconnect', {
    configurable: true,
    value: async () => {
      await prismaDisconnect();
      if (!pool.ending) await pool.end();
    },
  });
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
