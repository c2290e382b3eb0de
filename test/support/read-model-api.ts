/**
 * The API on a test database of its own with no Temporal server behind it, for tests of what it
 * answers from the read model alone (lists, case views, filters, refusals) on case rows written
 * straight into the database: a command that would reach a workflow fails to connect.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

export interface ReadModelApi {
  t: Awaited<ReturnType<typeof openTestDatabase>>;
  repos: Repositories;
  app: FastifyInstance;
  /** Closes the app and its (never connected) Temporal client, and drops the database. */
  close(): Promise<void>;
}

export async function openReadModelApi(): Promise<ReadModelApi> {
  const t = await openTestDatabase();
  const repos = createRepositories(t.prisma);
  const connection = Connection.lazy({ address: '127.0.0.1:1' });
  const app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} });
  return {
    t,
    repos,
    app,
    async close() {
      await app.close();
      await connection.close();
      await t.drop();
    },
  };
}
