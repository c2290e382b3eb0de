/**
 * What a case waits for (domain/waiting.ts) is a promise to the client: "the WAREHOUSE moves this
 * case on with POST /v1/warehouse/arrivals". Every such promise must hold in the API itself: the
 * command is a route of the OpenAPI document, and a key of the waiting party's role is let through
 * to it (never 401 or 403; a case that does not exist answers 400 for the empty body or 404).
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { createRepositories, type Repositories, type RoleName } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';
import { STAGE_WAITS, type WaitingParty } from '../../domain/waiting.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
const keys: Partial<Record<WaitingParty, string>> = {};

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-a', 'Shop A');
  // The Temporal connection is never dialled: every request here ends before a workflow is reached.
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: { SF: 'courier-secret' } });
  const roles: Array<[WaitingParty, RoleName]> = [
    ['STOREFRONT', 'STOREFRONT'],
    ['WAREHOUSE', 'WAREHOUSE'],
    ['AGENT', 'AGENT'],
  ];
  for (const [party, role] of roles) keys[party] = (await repos.createCredential({ role, merchantId: 'shop-a', label: party })).key;
  keys.CUSTOMER = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-1', label: 'token' })).key;
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

/** `POST /v1/cases/{caseId}/inspection` → its method and OpenAPI path. */
const parse = (command: string) => {
  const [method, path] = command.split(' ') as [string, string];
  return { method: method.toLowerCase(), path };
};

const waits = Object.entries(STAGE_WAITS);

describe('what a case waits for', () => {
  it('names commands the OpenAPI document has', async () => {
    const paths = (await app.inject({ method: 'GET', url: '/docs/json' })).json().paths as Record<string, Record<string, unknown>>;
    const missing = waits.filter(([, w]) => !paths[parse(w.command).path]?.[parse(w.command).method]).map(([stage, w]) => `${stage}: ${w.command}`);
    expect(missing).toEqual([]);
  });

  it.each(waits.filter(([, w]) => w.party !== 'COURIER'))('%s: a key of the waiting party reaches the command', async (_stage, wait) => {
    const { method, path } = parse(wait.command);
    const res = await app.inject({
      method: method.toUpperCase() as 'POST',
      url: path.replace('{caseId}', 'no-such-case'),
      headers: { authorization: `Bearer ${keys[wait.party]}`, 'content-type': 'application/json' },
      payload: '{}',
    });
    expect({ party: wait.party, status: res.statusCode, body: res.json() }).toMatchObject({ party: wait.party, status: expect.toSatisfy((s: number) => s === 400 || s === 404) });
  });

  it("a courier's command is the signed callback, which takes no key", async () => {
    const courierWaits = waits.filter(([, w]) => w.party === 'COURIER');
    expect(courierWaits.length).toBeGreaterThan(0);
    for (const [, wait] of courierWaits) {
      const { path } = parse(wait.command);
      const res = await app.inject({ method: 'POST', url: path.replace('{carrier}', 'SF'), headers: { 'content-type': 'application/json' }, payload: '{}' });
      // Refused for its signature, not for a missing key.
      expect(res.json()).toMatchObject({ error: 'BAD_SIGNATURE' });
    }
  });
});
