/**
 * What the API writes to its log: one JSON line per event with the request id of the request it
 * belongs to, method, path and status — and never a key, a signature, a query string or a body.
 */
import { Writable } from 'node:stream';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let app: FastifyInstance;
let connection: Connection;
let agentKey: string;
const lines: Array<Record<string, unknown>> = [];
const raw: string[] = [];

beforeAll(async () => {
  t = await openTestDatabase();
  const repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-log', 'Shop');
  agentKey = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-log', label: 'log test' })).key;
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) {
        raw.push(line);
        lines.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: { SF: 'sf-log-secret' } }, { logger: pino({ level: 'info' }, sink) });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

describe('request logs', () => {
  it('carry the request id, method, path and status as JSON', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/cases?customerId=secret-customer-77&limit=5', headers: { authorization: `Bearer ${agentKey}`, 'x-request-id': 'req-log-1' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-request-id']).toBe('req-log-1');
    const mine = lines.filter((l) => l.requestId === 'req-log-1');
    expect(mine.map((l) => l.msg)).toEqual(['incoming request', 'request completed']);
    expect(mine[0]).toMatchObject({ req: { method: 'GET', path: '/v1/cases?…' } });
    expect(mine[1]).toMatchObject({ res: { statusCode: 200 } });
  });

  it('never hold keys, signatures, query values or bodies', async () => {
    await app.inject({ method: 'POST', url: '/v1/couriers/SF/events', headers: { 'content-type': 'application/json', 'x-signature': 't=1,v1=deadbeef' }, payload: { trackingNumber: 'SF-PRIVATE-999', code: 'X', at: 1, eventId: 'e' } });
    await app.inject({ method: 'POST', url: '/v1/customer-tokens', headers: { authorization: `Bearer ${agentKey}`, 'content-type': 'application/json' }, payload: { customerId: 'private-person' } });
    const all = raw.join('\n');
    for (const secret of [agentKey, 'secret-customer-77', 'deadbeef', 'SF-PRIVATE-999', 'private-person']) expect(all).not.toContain(secret);
  });

  it('a 500 is logged with its request id, and the client is told only that id', async () => {
    const broken = await buildApp({ repos: { ...createRepositories(t.prisma), credential: async () => { throw new Error('database on fire'); } } as never, temporal: new Client({ connection }), courierSecrets: {} }, { logger: pino({ level: 'info' }, new Writable({ write: (c, _e, d) => (raw.push(String(c)), d()) })) });
    const res = await broken.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: 'Bearer whatever', 'x-request-id': 'req-500' } });
    await broken.close();
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'INTERNAL', message: 'internal error (request req-500)', problems: [] });
    const logged = raw.filter((l) => l.includes('"requestId":"req-500"')).map((l) => JSON.parse(l) as { level: number; err?: { message: string } });
    expect(logged.find((l) => l.level === 50)?.err?.message).toBe('database on fire');
  });
});
