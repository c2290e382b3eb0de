/**
 * GET /ready: 200 when the database and Temporal answer, 503 naming what does not; and whether a
 * worker polls the case queue — reported, never a 503 (the API accepts cases while workers restart).
 * Against our dev server, polled by hand as a worker would poll it.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { createPrisma } from '../../db/client.js';
import { newestMigrationName } from '../../db/migrations.js';
import { createTestDatabase, openTestDatabase } from '../../db/test-database.js';
import { startDevServer, type DevServer } from '../../devserver/src/index.js';
import { CASE_TASK_QUEUE } from '../../workflows/contract.js';
import { waitUntil } from '../support/wait.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let server: DevServer;
let connection: Connection;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  server = await startDevServer({ port: 0, longPollMs: 60_000 });
  connection = await Connection.connect({ address: server.address });
});

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  await connection?.close();
  await server?.stop();
  await t?.drop();
});

async function app(temporal: Client): Promise<FastifyInstance> {
  const built = await buildApp({ repos, temporal, courierSecrets: {} });
  closers.push(() => built.close());
  return built;
}

const ready = async (a: FastifyInstance) => {
  const res = await a.inject({ method: 'GET', url: '/ready' });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /ready', () => {
  it('says whether a worker polls the case queue, and stays 200 while none does', async () => {
    const a = await app(new Client({ connection }));
    expect(await ready(a)).toEqual({ status: 200, body: { database: 'ok', temporal: 'ok', worker: 'none polling' } });

    // A worker's long poll on the case queue, held open until the test ends.
    const abort = new AbortController();
    const poll = connection.withAbortSignal(abort.signal, () => connection.workflowService.pollWorkflowTaskQueue({ namespace: 'default', taskQueue: { name: CASE_TASK_QUEUE }, identity: 'readiness-test-worker' })).catch(() => undefined);
    closers.push(async () => (abort.abort(), poll));
    await waitUntil('the poll to reach the server', async () => (await ready(a)).body.worker === 'polling');
    expect(await ready(a)).toEqual({ status: 200, body: { database: 'ok', temporal: 'ok', worker: 'polling' } });
  });

  it("503 on a database that lacks this build's newest migration (never migrated, or not since an upgrade), naming it", async () => {
    const bare = await createTestDatabase({ migrate: false });
    const db = createPrisma(bare.url);
    closers.push(async () => (await db.$disconnect(), await bare.drop()));
    const built = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {} });
    closers.push(() => built.close());
    const newest = newestMigrationName()!;
    expect(await ready(built)).toMatchObject({ status: 503, body: { database: `not migrated (${newest} is not applied: npm run migrate)`, temporal: 'ok' } });
    // Migrated up to the one before the newest: still not ready.
    await db.$executeRawUnsafe(`CREATE TABLE "_prisma_migrations" (id varchar(36) PRIMARY KEY, checksum varchar(64) NOT NULL, finished_at timestamptz, migration_name varchar(255) NOT NULL, logs text, rolled_back_at timestamptz, started_at timestamptz NOT NULL DEFAULT now(), applied_steps_count int NOT NULL DEFAULT 0)`);
    await db.$executeRawUnsafe(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name) VALUES ('1', 'x', now(), 'an_older_one')`);
    expect((await ready(built)).status).toBe(503);
    await db.$executeRawUnsafe(`INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name) VALUES ('2', 'x', now(), $1)`, newest);
    expect(await ready(built)).toMatchObject({ status: 200, body: { database: 'ok' } });
  });

  it('503 when Temporal does not answer, and then nothing is known of the worker', async () => {
    const unreachable = Connection.lazy({ address: '127.0.0.1:1' });
    closers.push(() => unreachable.close());
    const a = await app(new Client({ connection: unreachable }));
    expect(await ready(a)).toEqual({ status: 503, body: { database: 'ok', temporal: 'unavailable', worker: 'unknown' } });
  });
});
