/**
 * Embedded PostgreSQL (PGlite: Postgres 18 compiled to WASM) behind a local socket, for a machine
 * with no Postgres (`npm start` without DATABASE_URL). `pg`, Prisma and the schema engine reach it
 * like any server. Persisted in a directory; `null` keeps it in memory (a throw-away shadow database).
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { btree_gist } from '@electric-sql/pglite/contrib/btree_gist';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { keepExtendedQueriesTogether } from './embedded-queue.js';

export const DEFAULT_EMBEDDED_DIR = '.data/pg';

export interface EmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(dataDir: string | null = DEFAULT_EMBEDDED_DIR): Promise<EmbeddedPostgres> {
  // PGlite creates only the last level of the directory.
  if (dataDir !== null) mkdirSync(path.resolve(dataDir), { recursive: true });
  // btree_gist: the daily register's index on (merchantId, [createdAt, closedAt]) (migration figure_rollups).
  const extensions = { btree_gist };
  const db = await PGlite.create(dataDir === null ? { extensions } : { dataDir: path.resolve(dataDir), extensions });
  // The socket server serialises queries and keeps a transaction on its connection; its default is 1 connection.
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 32 } as ConstructorParameters<typeof PGLiteSocketServer>[0]);
  keepExtendedQueriesTogether(server);
  await server.start();
  let stopped = false;
  return {
    url: `postgresql://postgres:postgres@${server.getServerConn()}/postgres?sslmode=disable`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
      await db.close();
    },
  };
}
