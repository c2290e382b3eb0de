/**
 * The carrier in a courier callback's URL selects the secret its signature is checked with: only
 * a configured carrier (an own property of the secrets map) has one. Names every object has
 * through its prototype (`constructor`, `__proto__`, `toString`…) are unknown carriers: 404,
 * never a 500 and never a secret.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { buildApp } from '../../api/app.js';
import { loadConfig } from '../../app/config.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let app: FastifyInstance;
let connection: Connection;
const config = loadConfig({ COURIER_SECRETS: 'SF=sf-carrier-secret-123', SIMULATORS: 'all' }, { mode: 'production' });

beforeAll(async () => {
  t = await openTestDatabase();
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos: createRepositories(t.prisma), temporal: new Client({ connection }), courierSecrets: config.courierSecrets });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

// Signed as each route takes it: a claim decision's signature covers its URL (v2), an event's its body.
function signed(url: string, secret: string, payload: object) {
  const body = JSON.stringify(payload);
  const line = url.endsWith('/decision') ? { method: 'POST', path: url } : undefined;
  return app.inject({ method: 'POST', url, headers: { 'content-type': 'application/json', 'x-signature': sign(secret, body, Math.floor(Date.now() / 1000), line) }, payload: body });
}

describe('courier carriers select secrets by own property only', () => {
  const event = { trackingNumber: 'SF-NOWHERE-1', code: 'IN_TRANSIT', at: Date.now(), eventId: 'e-1' };

  it('a configured carrier works, its code in any case in the URL', async () => {
    expect((await signed('/v1/couriers/SF/events', 'sf-carrier-secret-123', event)).statusCode).toBe(202);
    expect((await signed('/v1/couriers/sf/events', 'sf-carrier-secret-123', { ...event, eventId: 'lower-1' })).statusCode).toBe(202);
  });

  it('while a secret is rotated (the carrier named twice) a callback signed with either is taken, one with neither is not', async () => {
    const rotating = loadConfig({ COURIER_SECRETS: 'SF=sf-carrier-secret-123,SF=sf-carrier-secret-new', SIMULATORS: 'all' }, { mode: 'production' });
    const both = await buildApp({ repos: createRepositories(t.prisma), temporal: new Client({ connection }), courierSecrets: rotating.courierSecrets });
    try {
      const send = (secret: string, eventId: string) => {
        const body = JSON.stringify({ ...event, eventId });
        return both.inject({ method: 'POST', url: '/v1/couriers/SF/events', headers: { 'content-type': 'application/json', 'x-signature': sign(secret, body, Math.floor(Date.now() / 1000)) }, payload: body });
      };
      expect((await send('sf-carrier-secret-123', 'rot-1')).statusCode).toBe(202);
      expect((await send('sf-carrier-secret-new', 'rot-2')).statusCode).toBe(202);
      expect((await send('sf-carrier-secret-xyz', 'rot-3')).statusCode).toBe(401);
    } finally {
      await both.close();
    }
  });

  it("a claim number no claim could have is a 400 that says what one looks like", async () => {
    const res = await signed('/v1/couriers/SF/claims/claim%201/decision', 'sf-carrier-secret-123', { status: 'PAID', paidMinor: 100, at: Date.now() });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().problems).toEqual([{ field: 'params.claimId', reason: expect.stringMatching(/^must be the claim number the claim was filed with/) }]);
  });

  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf'])('/v1/couriers/%s/… is an unknown carrier: 404', async (carrier) => {
    for (const url of [`/v1/couriers/${carrier}/events`, `/v1/couriers/${carrier}/claims/claim-1/decision`]) {
      // Signed with anything a prototype could offer: nothing verifies.
      for (const secret of ['[object Object]', 'function Object() { [native code] }', 'x']) {
        const res = await signed(url, secret, url.endsWith('events') ? event : { status: 'PAID', paidMinor: 100, at: Date.now() });
        expect(res.statusCode, url).toBe(404);
        expect(res.json()).toEqual({ error: 'NOT_FOUND', message: 'carrier not found: no callback secret is configured for it (COURIER_SECRETS)', problems: [] });
      }
    }
  });
});
