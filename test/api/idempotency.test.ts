/**
 * Idempotency-Key under concurrency, on a route of the test's own (so the handler's progress is
 * in the test's hands): the key is claimed before the handler runs, a concurrent duplicate waits
 * for the first answer and gets it, a different request with the key is refused at once, a wait
 * that outlasts its limit is a 409 with Retry-After, a 5xx releases the claim, and a claim whose
 * request died is taken over once its lease has run out. The app is built with buildApp on a test
 * database; its Temporal connection is lazy and never dialled.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { Prisma } from '../../generated/prisma/client.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';
import { waitUntil } from '../support/wait.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
let key: { id: string; key: string };

/** What the test route does: count its runs, wait for the gate, fail when told to. */
let runs = 0;
let gate: Promise<void> = Promise.resolve();
let failures = 0;
function hold(): () => void {
  let open!: () => void;
  gate = new Promise((resolve) => (open = resolve));
  return open;
}

const WAIT_MS = 1_500;
const LEASE_MS = 2_000;

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-i', 'Shop I');
  key = await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-i', label: 'idempotency test' });
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} }, { idempotency: { waitMs: WAIT_MS, leaseMs: LEASE_MS } });
  app.post('/v1/test/work', { config: { roles: ['STOREFRONT'] } }, async (request, reply) => {
    const run = ++runs;
    await gate;
    if (failures > 0) {
      failures--;
      throw new Error('the work failed');
    }
    return reply.status(201).send({ run, got: request.body });
  });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

async function post(idempotencyKey: string, body: unknown) {
  const res = await app.inject({ method: 'POST', url: '/v1/test/work', headers: { authorization: `Bearer ${key.key}`, 'idempotency-key': idempotencyKey }, payload: body as object });
  return { status: res.statusCode, body: res.json(), replayed: res.headers['idempotent-replayed'] === 'true', retryAfter: res.headers['retry-after'] };
}

describe('Idempotency-Key under concurrency', () => {
  it('8 identical requests at once: the work is done once and all 8 get its answer', async () => {
    const before = runs;
    const open = hold();
    const all = Promise.all(Array.from({ length: 8 }, () => post('same-key-0001', { n: 1 })));
    await waitUntil('the first request to run', () => runs > before);
    await new Promise((r) => setTimeout(r, 200)); // the others arrive while the first is running
    open();
    const answers = await all;
    expect(runs - before).toBe(1);
    for (const a of answers) expect({ status: a.status, body: a.body }).toEqual({ status: 201, body: { run: before + 1, got: { n: 1 } } });
    expect(answers.filter((a) => a.replayed)).toHaveLength(7);
  });

  it('the same JSON with its fields in another order is the same request: its answer, not a 422', async () => {
    const first = await post('same-key-order', { a: 1, b: { c: 2, d: [1, 2] } });
    const reordered = await post('same-key-order', { b: { d: [1, 2], c: 2 }, a: 1 });
    expect(first.status).toBe(201);
    expect(reordered).toMatchObject({ status: 201, body: first.body, replayed: true });
    // The order of an array's items is part of what it says.
    expect(await post('same-key-order', { a: 1, b: { c: 2, d: [2, 1] } })).toMatchObject({ status: 422 });
  });

  it('another request with a key that is being worked on is refused at once (422), and the first is not disturbed', async () => {
    const before = runs;
    const open = hold();
    const first = post('same-key-0002', { n: 1 });
    await waitUntil('the first request to run', () => runs > before);
    const started = Date.now();
    const other = await post('same-key-0002', { n: 2 });
    expect(other).toMatchObject({ status: 422, body: { error: 'IDEMPOTENCY_KEY_REUSED', field: 'headers.idempotency-key' } });
    expect(Date.now() - started).toBeLessThan(WAIT_MS);
    open();
    expect((await first).status).toBe(201);
  });

  it('concurrent different bodies with one key: one is done, the others are refused with 422', async () => {
    const before = runs;
    const open = hold();
    const all = Promise.all(Array.from({ length: 6 }, (_, i) => post('same-key-0003', { n: i })));
    await waitUntil('the first request to run', () => runs > before);
    await new Promise((r) => setTimeout(r, 200));
    open();
    const answers = await all;
    expect(runs - before).toBe(1);
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 422).map((a) => a.body.error)).toEqual(Array(5).fill('IDEMPOTENCY_KEY_REUSED'));
  });

  it('a duplicate that would wait longer than the limit gets 409 IDEMPOTENCY_IN_PROGRESS with Retry-After; later, the answer', async () => {
    const before = runs;
    const open = hold();
    const first = post('same-key-0004', { n: 1 });
    await waitUntil('the first request to run', () => runs > before);
    const waited = await post('same-key-0004', { n: 1 });
    expect(waited).toMatchObject({ status: 409, body: { error: 'IDEMPOTENCY_IN_PROGRESS' } });
    expect(Number(waited.retryAfter)).toBeGreaterThan(0);
    open();
    const done = await first;
    expect(await post('same-key-0004', { n: 1 })).toEqual({ ...done, replayed: true });
  });

  it('a 5xx releases the key: the retry does the work again', async () => {
    const before = runs;
    failures = 1;
    expect((await post('same-key-0005', { n: 1 })).status).toBe(500);
    const retried = await post('same-key-0005', { n: 1 });
    expect(retried).toMatchObject({ status: 201, replayed: false, body: { run: before + 2 } });
    expect(await post('same-key-0005', { n: 1 })).toMatchObject({ status: 201, replayed: true, body: { run: before + 2 } });
  });

  it('a claim whose request never answered (its process died) blocks until its lease has run out, then a retry takes it over', async () => {
    const where = { principal_key: { principal: key.id, key: 'same-key-0006' } };
    const first = await post('same-key-0006', { n: 6 });
    expect(first.status).toBe(201);
    // As if the request that claimed the key had died before answering: claimed a moment ago, no answer.
    await t.prisma.idempotencyRecord.update({ where, data: { status: null, responseBody: Prisma.DbNull, claimedAt: new Date() } });
    expect(await post('same-key-0006', { n: 6 })).toMatchObject({ status: 409, body: { error: 'IDEMPOTENCY_IN_PROGRESS' } });
    // Once the lease has run out, the retry is the one doing the work.
    await t.prisma.idempotencyRecord.update({ where, data: { claimedAt: new Date(Date.now() - 2 * LEASE_MS) } });
    const before = runs;
    const retried = await post('same-key-0006', { n: 6 });
    expect(retried).toMatchObject({ status: 201, replayed: false, body: { run: before + 1 } });
    expect(await post('same-key-0006', { n: 6 })).toEqual({ ...retried, replayed: true });
  });
});

describe('answers that hand out a secret', () => {
  it('are stored without it: the same request again names what it made, to revoke, and makes nothing more', async () => {
    const admin = await repos.createCredential({ role: 'ADMIN', label: 'idempotency test admin' });
    const cases = [
      { key: admin.key, url: '/v1/admin/keys', body: { role: 'AGENT', merchantId: 'shop-i', label: 'desk 9' }, secret: 'key', id: 'id' },
      { key: key.key, url: '/v1/customer-tokens', body: { customerId: 'cust-9' }, secret: 'token', id: 'tokenId' },
    ];
    for (const c of cases) {
      const send = () => app.inject({ method: 'POST', url: c.url, headers: { authorization: `Bearer ${c.key}`, 'idempotency-key': `secret-${c.secret}-0001` }, payload: c.body });
      const first = await send();
      expect(first.statusCode, first.body).toBe(201);
      const made = first.json() as Record<string, string>;
      expect(made[c.secret]).toEqual(expect.any(String));
      // Only its hash is kept anywhere: not in the stored answer either.
      const stored = await t.prisma.idempotencyRecord.findFirstOrThrow({ where: { key: `secret-${c.secret}-0001` } });
      expect(JSON.stringify(stored.responseBody)).not.toContain(made[c.secret]);
      expect(stored.responseBody).toMatchObject({ [c.id]: made[c.id] });
      const again = await send();
      expect(again.statusCode).toBe(409);
      expect(again.json()).toMatchObject({ error: 'SECRET_NOT_REPEATED', message: expect.stringContaining(made[c.id]!) });
      expect(again.body).not.toContain(made[c.secret]);
    }
    // Nothing more was made: one live token for the customer.
    expect(await repos.credentials.customerTokens('shop-i', 'cust-9')).toHaveLength(1);
  });
});
