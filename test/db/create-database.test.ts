/**
 * DATABASE_URL may name a database its server does not have yet (a first `npm start` on a shared
 * Postgres): it is created there, instead of the start stopping on "database … does not exist".
 */
import pg from 'pg';
import { afterAll, expect, it } from 'vitest';
import { createIfMissing } from '../../db/database.js';
import { databaseUrl, SERVER_URL } from '../../db/test-database.js';

const name = `t_created_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const server = () => new pg.Client({ connectionString: SERVER_URL });
const exists = async () => {
  const c = server();
  await c.connect();
  try {
    return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await c.end();
  }
};

afterAll(async () => {
  const c = server();
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${c.escapeIdentifier(name)}`);
  await c.end();
});

it('creates a missing database once; an existing one is left alone', async () => {
  expect(await exists()).toBe(false);
  expect(await createIfMissing(databaseUrl(name))).toBe(true);
  expect(await exists()).toBe(true);
  expect(await createIfMissing(databaseUrl(name))).toBe(false);
});

it('other failures to connect are still errors (a wrong password, a server that is not there)', async () => {
  await expect(createIfMissing('postgresql://postgres@127.0.0.1:1/nowhere')).rejects.toThrow();
});
