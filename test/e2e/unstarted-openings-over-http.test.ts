/**
 * An opening whose workflow could not start (Temporal away: the client heard 503) is started later
 * from what was recorded (api/unstarted-openings.ts). An ops drill found such a case row left with no
 * workflow: first in the agents' queue, 404 to every command, and holding the order's goods, so the
 * customer could not open another return of the order.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { UnstartedOpenings } from '../../api/unstarted-openings.js';
import { createRepositories } from '../../db/repositories.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
let away: FastifyInstance;
let nowhere: Connection;

beforeAll(async () => {
  // The same database and keys, but a Temporal that is not there.
  nowhere = Connection.lazy({ address: '127.0.0.1:1' });
  away = await buildApp({ repos: createRepositories(pt.db), temporal: new Client({ connection: nowhere }), courierSecrets: {} });
});

afterAll(async () => {
  await away?.close();
  await nowhere?.close();
});

function returnBody(orderId: string) {
  const now = Date.now();
  return {
    customer: { id: 'cust-unstarted', locale: 'en' },
    order: { orderId, currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }], shippingFeeMinor: 0, paidTotalMinor: 6666, shippedAt: now - 3 * DAY, deliveredAt: now - DAY },
    lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
  };
}

describe('an opening whose workflow did not start', () => {
  it('is started from what was recorded, as it would have been, and goes on as any case; one with a workflow is left alone', async () => {
    const refused = await away.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${pt.keys.STOREFRONT}`, 'content-type': 'application/json' }, payload: returnBody('SO-UNSTARTED-1') });
    expect(refused.statusCode, refused.body).toBe(503);
    expect(refused.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE' });
    // The row was written before the start failed: the order's goods are held by it.
    const row = await pt.db.case.findFirstOrThrow({ where: { orderId: 'SO-UNSTARTED-1' }, select: { id: true, stage: true, projectionVersion: true } });
    expect(row).toMatchObject({ stage: 'OPENED', projectionVersion: 0 });
    expect((await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, returnBody('SO-UNSTARTED-1'))).body).toMatchObject({ error: 'GOODS_ALREADY_CLAIMED' });

    const openings = new UnstartedOpenings({ repos: createRepositories(pt.db), temporal: new Client({ connection: pt.temporal }) });
    expect(await openings.startOlderThan(0)).toEqual([row.id]);
    // Auto-approved as it would have been, its opener named as the request's key.
    const waiting = await pt.until(row.id, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(waiting.timeline.find((e: { kind: string }) => e.kind === 'OPENED').actor).toMatch(/^storefront/);
    // A case its workflow serves is never started again.
    expect(await openings.startOlderThan(0)).toEqual([]);
    const served = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, returnBody('SO-UNSTARTED-2'));
    expect(served.status).toBe(201);
    expect(await openings.startOlderThan(0)).not.toContain(served.body.caseId);
  });
});
