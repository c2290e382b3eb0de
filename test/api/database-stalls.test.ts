/**
 * A database that stops answering (a hung server, a stalled network: the connection stays open, no
 * reply comes) is a 503 within the platform's timeouts, not a request held open for minutes: an ops
 * drill froze the link to Postgres and the API gave no answer for 170 s. Here a relay between the API
 * and the test database stops passing bytes on, then passes them again.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase, type TestDatabase } from '../../db/test-database.js';

/** A TCP relay to `target` that can be frozen: while frozen, bytes either way are held back, then sent on. */
function freezableRelay(target: { host: string; port: number }) {
  let frozen = false;
  const held: Array<() => void> = [];
  const sockets = new Set<net.Socket>();
  const pipe = (from: net.Socket, to: net.Socket) =>
    from.on('data', (chunk) => {
      if (frozen) held.push(() => to.write(chunk));
      else to.write(chunk);
    });
  const server = net.createServer((client) => {
    const upstream = net.connect(target);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => (client.destroy(), upstream.destroy()));
    }
    pipe(client, upstream);
    pipe(upstream, client);
  });
  return {
    listen: () => new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port))),
    freeze: () => void (frozen = true),
    thaw: () => {
      frozen = false;
      for (const send of held.splice(0)) send();
    },
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

let database: TestDatabase;
let relay: ReturnType<typeof freezableRelay>;
let db: Db;
let connection: Connection;
let app: FastifyInstance;

beforeAll(async () => {
  database = await createTestDatabase();
  const url = new URL(database.url);
  relay = freezableRelay({ host: url.hostname, port: Number(url.port || 5432) });
  url.port = String(await relay.listen());
  // The service timeouts, shortened: a connection within 1 s, an answer within 1.5 s.
  db = createPrisma(url.toString(), () => undefined, { connectionTimeoutMillis: 1_000, query_timeout: 1_500 });
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {} });
}, 60_000);

afterAll(async () => {
  relay?.thaw();
  await app?.close();
  await connection?.close();
  await db?.$disconnect();
  await relay?.close();
  await database?.drop();
});

const lookUpAKey = () => app.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: 'Bearer agent_whatever' } });

describe('a database that stops answering', () => {
  it('is a 503 with Retry-After within the timeouts, for requests on a pooled connection and on a new one; answered again once it is back', async () => {
    expect((await lookUpAKey()).statusCode).toBe(401); // the key looked up: the database answers
    relay.freeze();
    // Several at once: more than the pool's idle connections, so some wait for a connection and some for an answer.
    const stalled = await Promise.all(Array.from({ length: 12 }, () => lookUpAKey()));
    expect(stalled.map((r) => r.statusCode)).toEqual(Array(12).fill(503));
    expect(stalled[0]!.headers['retry-after']).toBe('5');
    expect(stalled[0]!.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^the database cannot be reached just now/) });
    // (Without the timeouts these wait as long as the freeze: here, until the test times out.)
    relay.thaw();
    let answered = 0;
    for (let i = 0; i < 50 && answered !== 401; i++) answered = (await lookUpAKey()).statusCode;
    expect(answered).toBe(401);
  });
});
