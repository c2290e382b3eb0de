/**
 * GET /v1/case-changes over real HTTP (the app listening on a free port, a test database): a change
 * of a case row reaches the streams of its merchant (and an admin's), never another merchant's;
 * pings keep the stream alive; a client that goes away, a revoked key and closing the app each end
 * the stream and leave no subscriber behind. Changes are made to the rows directly, as the
 * workflows' projections do.
 */
import http from 'node:http';
import pg from 'pg';
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { CaseChangeFeed, type CaseChange } from '../../api/routes/case-change-feed.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { deployWithEngine } from '../../db/schema-engine.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';
import { waitUntil } from '../support/wait.js';
import { MAX_STREAMS_PER_KEY } from '../../api/routes/case-changes.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let app: FastifyInstance;
let connection: Connection;
let base: string;
const keys: Record<string, { id: string; key: string }> = {};

interface Stream {
  status: number;
  contentType: string | null;
  events: Array<{ event: string; data: { caseId: string; merchantId: string; stage: string; status: string; type: string; updatedAt: string } }>;
  comments: string[];
  ended: () => boolean;
  close(): void;
}

/**
 * Reads a stream as the console does, the key in the Authorization header (node:http rather than
 * fetch: closing it closes its socket at once, where fetch's pool may keep one that holds up the
 * server's close).
 */
function follow(key: string | undefined, baseUrl = base): Promise<Stream> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${baseUrl}/v1/case-changes`, { headers: key ? { authorization: `Bearer ${key}` } : {} }, (res) => {
      let ended = false;
      const stream: Stream = { status: res.statusCode ?? 0, contentType: res.headers['content-type'] ?? null, events: [], comments: [], ended: () => ended, close: () => request.destroy() };
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n');
          buffer = buffer.slice(end + 2);
          stream.comments.push(...lines.filter((l) => l.startsWith(':')).map((l) => l.slice(1).trim()));
          const event = lines.find((l) => l.startsWith('event: '))?.slice(7);
          const data = lines.find((l) => l.startsWith('data: '))?.slice(6);
          if (event && data) stream.events.push({ event, data: JSON.parse(data) });
        }
      });
      res.on('close', () => (ended = true));
      resolve(stream);
    });
    request.on('error', (err) => (err.message === 'socket hang up' ? undefined : reject(err)));
  });
}

async function aCase(id: string, merchantId: string) {
  await t.prisma.case.create({
    data: { id, merchantId, type: 'MISSING_ITEMS', stage: 'OPENED', orderId: `o-${id}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-${id}` },
  });
}
const moveTo = (id: string, stage: string) => t.prisma.case.update({ where: { id }, data: { stage, status: 'WAITING_WAREHOUSE' } });
const seen = (s: Stream, id: string, stage?: string) => s.events.some((e) => e.data.caseId === id && (!stage || e.data.stage === stage));

beforeAll(async () => {
  t = await openTestDatabase();
  const repos = createRepositories(t.prisma);
  for (const m of ['shop-a', 'shop-b']) await repos.ensureMerchant(m, m);
  for (const [name, role, merchantId] of [
    ['agentA', 'AGENT', 'shop-a'],
    ['warehouseA', 'WAREHOUSE', 'shop-a'],
    ['agentB', 'AGENT', 'shop-b'],
    ['storefrontA', 'STOREFRONT', 'shop-a'],
    ['admin', 'ADMIN', undefined],
  ] as const) {
    keys[name] = await repos.createCredential({ role, merchantId, label: name });
  }
  keys.customerA = await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'c', label: 'token' });
  await aCase('case-a', 'shop-a');
  await aCase('case-b', 'shop-b');
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} }, { caseChanges: { pingIntervalMs: 200 } });
  base = await app.listen({ port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

describe('GET /v1/case-changes', () => {
  it('sends each change of a case to its merchant’s streams and an admin’s, never to another merchant’s', async () => {
    const [a, warehouse, b, admin] = await Promise.all([follow(keys.agentA!.key), follow(keys.warehouseA!.key), follow(keys.agentB!.key), follow(keys.admin!.key)]);
    expect(a).toMatchObject({ status: 200, contentType: expect.stringMatching(/^text\/event-stream/) });
    await moveTo('case-a', 'AWAITING_WAREHOUSE_CHECK');
    await waitUntil('A’s change on A’s and the admin’s streams', () => seen(a, 'case-a', 'AWAITING_WAREHOUSE_CHECK') && seen(warehouse, 'case-a') && seen(admin, 'case-a'));
    expect(a.events[0]).toMatchObject({ event: 'case', data: { caseId: 'case-a', merchantId: 'shop-a', type: 'MISSING_ITEMS', stage: 'AWAITING_WAREHOUSE_CHECK', status: 'WAITING_WAREHOUSE' } });
    expect(Date.parse(a.events[0]!.data.updatedAt)).not.toBeNaN();
    // Changes reach the streams in commit order: once B's own change is there, A's was left out.
    await moveTo('case-b', 'AWAITING_RESHIPMENT');
    await waitUntil('B’s change on B’s stream', () => seen(b, 'case-b') && seen(admin, 'case-b'));
    expect(b.events.map((e) => e.data.caseId)).toEqual(['case-b']);
    expect(seen(a, 'case-b')).toBe(false);
    for (const s of [a, warehouse, b, admin]) s.close();
  });

  it('pings while nothing changes', async () => {
    const s = await follow(keys.agentA!.key);
    await waitUntil('a ping', () => s.comments.includes('ping'));
    s.close();
  });

  it('forgets a client that went away', async () => {
    const s = await follow(keys.agentA!.key);
    await waitUntil('the stream subscribed', () => app.caseChanges.size > 0);
    s.close();
    await waitUntil('no subscriber left', () => app.caseChanges.size === 0);
  });

  it('ends the stream of a key revoked meanwhile (at its next ping)', async () => {
    const desk = await createRepositories(t.prisma).createCredential({ role: 'AGENT', merchantId: 'shop-a', label: 'soon revoked' });
    const s = await follow(desk.key);
    expect(s.status).toBe(200);
    await t.prisma.apiCredential.update({ where: { id: desk.id }, data: { revokedAt: new Date() } });
    await waitUntil('the stream to end', () => s.ended());
  });

  it('sends a storefront its merchant’s changes (nothing in an event is the staff’s alone)', async () => {
    const s = await follow(keys.storefrontA!.key);
    expect(s.status).toBe(200);
    await moveTo('case-b', 'AWAITING_WAREHOUSE_CHECK');
    await moveTo('case-a', 'AWAITING_RESHIPMENT');
    await waitUntil('A’s change on A’s storefront stream', () => seen(s, 'case-a', 'AWAITING_RESHIPMENT'));
    expect(s.events.map((e) => e.data.caseId)).toEqual(['case-a']);
    s.close();
  });

  it('is for console and storefront keys only, with the key in the header', async () => {
    expect((await follow(keys.customerA!.key)).status).toBe(403);
    expect((await follow(undefined)).status).toBe(401);
  });

  it('holds at most MAX_STREAMS_PER_KEY streams open per key: one more is a 429 until one closes', async () => {
    const streams = await Promise.all(Array.from({ length: MAX_STREAMS_PER_KEY }, () => follow(keys.storefrontA!.key)));
    try {
      expect(streams.map((s) => s.status)).toEqual(Array(MAX_STREAMS_PER_KEY).fill(200));
      const extra = await follow(keys.storefrontA!.key);
      expect(extra.status).toBe(429);
      extra.close();
      // Another key is not held back by this one's.
      const other = await follow(keys.agentA!.key);
      expect(other.status).toBe(200);
      other.close();
      streams.pop()!.close();
      await waitUntil('a closed stream to free its place', async () => {
        const again = await follow(keys.storefrontA!.key);
        again.close();
        return again.status === 200;
      });
    } finally {
      for (const s of streams) s.close();
    }
  });

  it('takes no parameters: a `since` is refused, not silently ignored (the stream never replays)', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/case-changes?since=2026-12-01T00:00:00Z', headers: { authorization: `Bearer ${keys.storefrontA!.key}` } });
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({ status: 400, body: { field: 'querystring.since' } });
  });
});

describe('closing the app', () => {
  it('ends the open streams and closes, leaving no subscriber', async () => {
    const other = await buildApp({ repos: createRepositories(t.prisma), temporal: new Client({ connection }), courierSecrets: {} });
    const url = await other.listen({ port: 0, host: '127.0.0.1' });
    const s = await follow(keys.agentA!.key, url);
    await waitUntil('the stream subscribed', () => other.caseChanges.size === 1);
    await other.close();
    await waitUntil('the stream to end', () => s.ended());
    expect(other.caseChanges.size).toBe(0);
  });
});

describe('on the embedded database (PGlite, npm start without DATABASE_URL)', () => {
  it('finds the changes by reading the changed rows, as NOTIFY does not reach a second socket there', async () => {
    const embedded = await startEmbeddedPostgres(null);
    const writer = new pg.Client({ connectionString: embedded.url });
    const feed = new CaseChangeFeed({ connectionString: embedded.url });
    try {
      await deployWithEngine(embedded.url);
      const changes: CaseChange[] = [];
      await feed.subscribe({ onChange: (c) => changes.push(c), onEnd: () => undefined });
      await writer.connect();
      await writer.query(`INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('m', 'm', 'CNY')`);
      await writer.query(`INSERT INTO "Case" (id, "merchantId", type, stage, "orderId", "orderSnapshot", request, "customerId", currency, "policyVersion", "workflowId", "updatedAt")
                          VALUES ('c1', 'm', 'COMPLAINT', 'OPENED', 'o', '{}', '{}', 'c', 'CNY', 1, 'wf-c1', now())`);
      await waitUntil('the opening', () => changes.some((c) => c.caseId === 'c1' && c.stage === 'OPENED'));
      await writer.query(`UPDATE "Case" SET stage = 'AWAITING_AGENT', "updatedAt" = now() WHERE id = 'c1'`);
      await waitUntil('the stage change', () => changes.some((c) => c.stage === 'AWAITING_AGENT'));
      expect(changes.map((c) => c.stage)).toEqual(['OPENED', 'AWAITING_AGENT']);
      expect(changes[1]).toMatchObject({ caseId: 'c1', merchantId: 'm', type: 'COMPLAINT', status: 'OPEN' });
    } finally {
      await feed.close();
      await writer.end().catch(() => undefined);
      await embedded.stop();
    }
  });
});
