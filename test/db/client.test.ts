/**
 * A pool whose idle connections are cut (Postgres restarted, a proxy dropped them) keeps the process
 * alive and serves the next statement on a new connection: an operator trial saw the worker die on
 * the pool's unhandled 'error' event. And `$disconnect` ends the pool even when only the plain SQL
 * used it: `npm run worker` stayed alive 10 s after stopping, on the idle connection of its outbox.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { unavailableService } from '../../api/unavailable.js';
import { createPrisma, SERVICE_DATABASE_TIMEOUTS, sqlOf, type Db } from '../../db/client.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';
import { waitUntil } from '../support/wait.js';

let t: TestDatabase;
let db: Db;
const lost: Error[] = [];

beforeAll(async () => {
  t = await createTestDatabase();
  db = createPrisma(t.url, (err) => void lost.push(err));
});

afterAll(async () => {
  await db?.$disconnect();
  await t?.drop();
});

describe('the pool behind Prisma and the plain SQL', () => {
  it("an idle connection cut from the server's side is reported, and the next statement runs on a new one", async () => {
    const sql = sqlOf(db);
    // Used only through the pool, as the outbox does from start: Prisma's adapter has not listened yet.
    const [{ pid }] = await sql.query<{ pid: number }>('SELECT pg_backend_pid() AS pid', []);
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    await waitUntil('the lost connection reported', () => lost.length > 0 || undefined);
    expect(lost[0]!.message).toMatch(/terminat/i);
    const [{ one }] = await sql.query<{ one: number }>('SELECT 1 AS one', []);
    expect(one).toBe(1);
  });
});

describe('the services’ bound on a statement', () => {
  it('is told to the server, which cancels a statement past it (a 503 for the API) and frees what it held', async () => {
    const service = createPrisma(t.url, () => undefined, SERVICE_DATABASE_TIMEOUTS);
    const short = createPrisma(t.url, () => undefined, { ...SERVICE_DATABASE_TIMEOUTS, statement_timeout: 300 });
    const admin = new pg.Client({ connectionString: t.url });
    await admin.connect();
    try {
      expect(await service.$queryRaw`SHOW statement_timeout`).toEqual([{ statement_timeout: '30s' }]);
      // A statement stuck behind another's lock: pg's own timeout alone left it waiting on the server.
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE "Case"');
      const stuck = await short.case.findMany({ take: 1 }).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(unavailableService(stuck)).toBe('database');
      expect(String(stuck)).toMatch(/statement timeout/);
      const waiting = await admin.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`);
      expect(waiting.rows[0].n).toBe(0);
    } finally {
      await admin.query('ROLLBACK');
      await admin.end();
      await service.$disconnect();
      await short.$disconnect();
    }
  });
});

describe('$disconnect', () => {
  it('ends the pool of a client only the plain SQL used (Prisma never connected), so it holds no connection open', async () => {
    // As `npm run worker` uses it while no case activity ran: only the outbox's statements, on the pool.
    const own = createPrisma(t.url);
    const sql = sqlOf(own);
    await sql.query('SELECT 1', []);
    await own.$disconnect();
    // Ended, not left idle until pg's idleTimeoutMillis: its idle connection kept the process alive.
    await expect(sql.query('SELECT 1', [])).rejects.toThrow(/after calling end/);
  });

  it('ends it once when Prisma had connected too (Prisma ends an external pool itself then)', async () => {
    const own = createPrisma(t.url);
    const sql = sqlOf(own);
    await sql.query('SELECT 1', []);
    expect(await own.merchant.count()).toBe(0);
    await own.$disconnect();
    await expect(sql.query('SELECT 1', [])).rejects.toThrow(/after calling end/);
    // A second call (a stop path run twice) is harmless.
    await own.$disconnect();
  });
});
