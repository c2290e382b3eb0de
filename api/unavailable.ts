/**
 * Failures that are not the request's fault nor a bug, but a service behind the API being away for a
 * moment: the database (refused, dropped, restarting, out of connections) or Temporal (gRPC
 * UNAVAILABLE, or RESOURCE_EXHAUSTED: rate-limited). They are answered 503 with Retry-After, so a client retries (with its
 * Idempotency-Key, the work is done once) instead of reading a 500 as a bug.
 */

/**
 * Node's socket errors and Postgres' connection-class SQLSTATEs (08…, 57P01–57P03, 53300 too many
 * connections), and 57014, a statement cancelled: past the services' statement_timeout
 * (db/client.ts SERVICE_DATABASE_TIMEOUTS) or by an operator. Only the database is reached over a plain socket from a request (Temporal's errors are
 * gRPC's). Not ENOTFOUND: a host name that does not resolve is a configuration to fix, not a moment to wait.
 */
const DATABASE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'EPIPE', '57014', '57P01', '57P02', '57P03', '53300', '08000', '08001', '08003', '08004', '08006']);
/** Prisma's: database not reachable, connection closed, no connection from the pool in time. */
const PRISMA_CODES = new Set(['P1001', 'P1002', 'P1017', 'P2024']);
/** pg's own, with no code: the connection dropped, none in time, no answer in time (SERVICE_DATABASE_TIMEOUTS); and 55000 said at connecting only (a database closed to connections: ALLOW_CONNECTIONS false). */
const DATABASE_MESSAGES = /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout|is not currently accepting connections/;
/**
 * gRPC UNAVAILABLE, and RESOURCE_EXHAUSTED: Temporal limiting the rate of calls (a namespace's or
 * the frontend's limit, a busy history shard), which passes, as a moment away does.
 */
const GRPC_AWAY = new Set([14, 8]);

export type UnavailableService = 'database' | 'temporal';

/** Which service behind the API a failure says is away, if any; walks the error's causes. */
export function unavailableService(err: unknown): UnavailableService | undefined {
  for (let e = err as { code?: unknown; message?: unknown; cause?: unknown; meta?: unknown } | undefined, depth = 0; e && depth < 8; e = e.cause as typeof e, depth++) {
    const code = e.code;
    if (typeof code === 'string' && (DATABASE_CODES.has(code) || PRISMA_CODES.has(code))) return 'database';
    // Prisma's error (P2010, P2039 …) keeps Postgres' own SQLSTATE in its driver adapter's cause.
    const sqlState = (e.meta as { driverAdapterError?: { cause?: { code?: unknown } } } | undefined)?.driverAdapterError?.cause?.code;
    if (typeof sqlState === 'string' && DATABASE_CODES.has(sqlState)) return 'database';
    if (typeof code === 'number' && GRPC_AWAY.has(code)) return 'temporal';
    if (typeof e.message === 'string' && DATABASE_MESSAGES.test(e.message)) return 'database';
  }
  return undefined;
}

/** Seconds a client waits before retrying. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;
