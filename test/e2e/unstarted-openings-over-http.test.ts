/**
 * An opening whose workflow could not start (Temporal away) is answered 202 and started later
 * from what was recorded (api/unstarted-openings.ts). An ops drill found such a case row left with no
 * workflow: first in the agents' queue, 404 to every command, and holding the order's goods, so the
 * customer could not open another return of the order.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { apiTemporalConnection } from '../../api/temporal-connection.js';
import { UNSTARTED_LOOK_BACK_MS, UnstartedOpenings } from '../../api/unstarted-openings.js';
import { createRepositories } from '../../db/repositories.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
let away: FastifyInstance;
let nowhere: Connection;

beforeAll(async () => {
  // The same database and keys, but a Temporal that is not there, reached as the API reaches it.
  nowhere = Connection.lazy(apiTemporalConnection('127.0.0.1:1'));
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
  it('is answered 202 with the case, then started from what was recorded, as it would have been; one with a workflow is left alone', async () => {
    const pending = await away.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${pt.keys.STOREFRONT}`, 'content-type': 'application/json' }, payload: returnBody('SO-UNSTARTED-1') });
    // The case and its opening are recorded: the client keeps the case instead of opening another.
    expect(pending.statusCode, pending.body).toBe(202);
    const { caseId } = pending.json();
    expect(pending.json()).toMatchObject({ caseId, startPending: true, workflowId: `case-${caseId}` });
    expect(await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { stage: true, projectionVersion: true } })).toEqual({ stage: 'OPENED', projectionVersion: 0 });
    expect(await pt.db.caseInput.findMany({ where: { caseId }, select: { seq: true, via: true, kind: true } })).toEqual([{ seq: 0, via: 'START', kind: 'returnAndRefund' }]);
    // The same goods asked back by another request (the same one again would be answered with this case): the first case holds them.
    const other = { ...returnBody('SO-UNSTARTED-1'), lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] };
    expect((await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, other)).body).toMatchObject({ error: 'GOODS_ALREADY_CLAIMED' });

    const openings = new UnstartedOpenings({ repos: createRepositories(pt.db), temporal: new Client({ connection: pt.temporal }) });
    expect(await openings.startOlderThan(0)).toEqual({ started: [caseId], failed: [] });
    // Auto-approved as it would have been, its opener named as the request's key.
    const waiting = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(waiting.timeline.find((e: { kind: string }) => e.kind === 'OPENED').actor).toMatch(/^storefront/);
    // A case its workflow serves is never started again.
    expect((await openings.startOlderThan(0)).started).toEqual([]);
    const served = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, returnBody('SO-UNSTARTED-2'));
    expect(served.status).toBe(201);
    expect((await openings.startOlderThan(0)).started).not.toContain(served.body.caseId);
    // The opening recorded with its row, once: not a second time when the workflow started.
    expect(await pt.db.caseInput.count({ where: { caseId: served.body.caseId, via: 'START' } })).toBe(1);
  });

  it('older than a day is left alone: a workflow ended before its first step, its history gone, is not started again', async () => {
    const pending = await away.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${pt.keys.STOREFRONT}`, 'content-type': 'application/json' }, payload: returnBody('SO-UNSTARTED-3') });
    expect(pending.statusCode).toBe(202);
    const { caseId } = pending.json();
    const later = new UnstartedOpenings({ repos: createRepositories(pt.db), temporal: new Client({ connection: pt.temporal }), now: () => Date.now() + UNSTARTED_LOOK_BACK_MS + 60_000 });
    expect((await later.startOlderThan(0)).started).not.toContain(caseId);
  });
});
