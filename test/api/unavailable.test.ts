/**
 * The database or Temporal away for a moment is a 503 with Retry-After, not a 500: an operator trial
 * saw every request answered 500 INTERNAL while Postgres was unreachable, which reads as a bug and
 * tells a client nothing about retrying.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { unavailableService } from '../../api/unavailable.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';

let db: Db;
let connection: Connection;
let app: FastifyInstance;

beforeAll(async () => {
  // Nothing listens on port 1: the database is away.
  db = createPrisma('postgresql://postgres@127.0.0.1:1/aftersales', () => undefined);
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {} });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await db?.$disconnect();
});

describe('a service behind the API away for a moment', () => {
  it('the database: 503 SERVICE_UNAVAILABLE with Retry-After (here at the key lookup, the first statement of a request)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: 'Bearer agent_whatever' } });
    expect(res.statusCode, res.body).toBe(503);
    expect(res.headers['retry-after']).toBe('5');
    expect(res.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE', message: expect.stringMatching(/^the database cannot be reached just now: retry in a few seconds/) });
  });

  it('tells the services apart by their errors, through causes, and nothing else as unavailable', () => {
    expect(unavailableService(Object.assign(new Error('Invalid `db.case.findFirst()` invocation'), { code: 'P1001' }))).toBe('database');
    expect(unavailableService(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }))).toBe('database');
    expect(unavailableService(new Error('Connection terminated unexpectedly'))).toBe('database');
    // A database closed to connections (ALLOW_CONNECTIONS false) answered 500s in an ops drill; no answer in time (db/client.ts).
    expect(unavailableService(Object.assign(new Error('database "aftersales" is not currently accepting connections'), { code: '55000' }))).toBe('database');
    expect(unavailableService(new Error('Query read timeout'))).toBe('database');
    // As Prisma's driver adapter gives Postgres' code: a statement cancelled past statement_timeout.
    const cancelled = Object.assign(new Error('Database error. Code: `57014`'), { code: 'P2039', meta: { driverAdapterError: { name: 'DriverAdapterError', cause: { code: '57014', kind: 'postgres' } } } });
    expect(unavailableService(cancelled)).toBe('database');
    expect(unavailableService(Object.assign(new Error('Unique constraint'), { code: 'P2002', meta: { driverAdapterError: { cause: { code: '23505' } } } }))).toBeUndefined();
    expect(unavailableService(Object.assign(new Error('cannot refresh materialized view concurrently'), { code: '55000' }))).toBeUndefined();
    expect(unavailableService(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }))).toBe('database');
    expect(unavailableService(new Error('Failed to describe workflow', { cause: Object.assign(new Error('14 UNAVAILABLE: No connection established'), { code: 14 }) }))).toBe('temporal');
    // Temporal limiting the rate of calls: it passes, as a moment away does.
    expect(unavailableService(new Error('Failed to start workflow', { cause: Object.assign(new Error('8 RESOURCE_EXHAUSTED: namespace rate limit exceeded'), { code: 8 }) }))).toBe('temporal');
    expect(unavailableService(new Error('Failed to start workflow', { cause: Object.assign(new Error('3 INVALID_ARGUMENT'), { code: 3 }) }))).toBeUndefined();
    expect(unavailableService(Object.assign(new Error('duplicate key value violates unique constraint'), { code: '23505' }))).toBeUndefined();
    // A host that does not resolve is a configuration to fix: a 500 to look into, not a 503 to wait out.
    expect(unavailableService(Object.assign(new Error('getaddrinfo ENOTFOUND postgres.internal'), { code: 'ENOTFOUND' }))).toBeUndefined();
    expect(unavailableService(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBeUndefined();
    expect(unavailableService(undefined)).toBeUndefined();
  });
});

describe('an outage in the log', () => {
  it('is one stack for its first failure, then a line per request (177 stack dumps in 30 s of a database away)', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (String(chunk).split('\n').filter(Boolean).forEach((l) => lines.push(JSON.parse(l))), done()) });
    const logged = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {} }, { logger: pino({ level: 'info' }, sink) });
    try {
      for (let i = 0; i < 3; i++) expect((await logged.inject({ method: 'GET', url: '/v1/cases', headers: { authorization: 'Bearer agent_whatever' } })).statusCode).toBe(503);
      const outage = lines.filter((l) => String(l.msg).startsWith('database unavailable'));
      expect(outage).toHaveLength(3);
      expect((outage[0]!.err as { stack?: string }).stack).toContain('ECONNREFUSED');
      expect(outage.slice(1).map((l) => l.err)).toEqual([undefined, undefined]);
      expect(String(outage[1]!.msg)).toContain('ECONNREFUSED');
    } finally {
      await logged.close();
    }
  });
});

describe('a request while the API stops', () => {
  it('is a 503 with Retry-After in the API’s own shape (Fastify’s was {"error":"Service Unavailable"} with none)', async () => {
    const stopping = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {} });
    try {
      await stopping.listen({ port: 0, host: '127.0.0.1' });
      // Before it stops: answered as ever (here the database is away: that 503 says so).
      expect((await stopping.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      // As on SIGTERM: the server no longer accepts; a request on a connection kept alive still comes in.
      await new Promise((resolve) => stopping.server.close(resolve));
      const late = await stopping.inject({ method: 'GET', url: '/health' });
      expect(late.statusCode).toBe(503);
      expect(late.headers['retry-after']).toBe('5');
      expect(late.json()).toEqual({ error: 'SERVICE_UNAVAILABLE', message: expect.stringContaining('the API is stopping'), problems: [] });
    } finally {
      await stopping.close().catch(() => undefined);
    }
  });
});
