/** Root causes over HTTP: recorded on cases (only causes of the 002 taxonomy), counted so the biggest show first. */
import { Client, Connection } from '@temporalio/client';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { apiTemporalConnection } from '../../api/temporal-connection.js';
import { createRepositories } from '../../db/repositories.js';
import { usePlatform } from '../e2e/platform-harness.js';
import { clearOfShanghaiMidnight, MIDNIGHT_HOOK_TIMEOUT_MS, shanghaiToday } from '../support/shop-day.js';

const pt = usePlatform();
// Causes recorded here are read back as today's: not within minutes of midnight in Shanghai.
beforeAll(() => clearOfShanghaiMidnight(), MIDNIGHT_HOOK_TIMEOUT_MS);
beforeAll(async () => {
  for (const i of [1, 2, 3, 4]) {
    await pt.db.case.create({ data: { id: `rc-${i}`, merchantId: 'demo-merchant', type: i === 4 ? 'MISSING_ITEMS' : 'WRONG_ITEM', stage: 'RESOLVED', orderId: `o${i}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-rc-${i}` } });
  }
}, 60_000);

const today = shanghaiToday;
const tomorrow = () => new Date(Date.now() + 32 * 3_600_000).toISOString().slice(0, 10);

describe('root causes', () => {
  it('records causes of the taxonomy (internal ones with a person and an improvement) and counts them, biggest first, latest per case', async () => {
    const picker = { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: 'picker #12', improvement: 'scan every item at packing', warehouse: 'HZ-1', sku: 'TEA-07', carrier: 'SF' };
    expect(await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.AGENT, picker)).toMatchObject({ status: 201, body: { responsibleParty: 'WAREHOUSE', name: { en: 'Shipper chose the wrong goods' } } });
    await pt.call('POST', '/v1/cases/rc-2/root-cause', pt.keys.SUPERVISOR, { ...picker, sku: 'CUP-01' });
    await pt.call('POST', '/v1/cases/rc-3/root-cause', pt.keys.AGENT, { category: 'TRANSPORT', subCause: 'MISSORT', carrier: 'YTO' });
    // rc-4 first blamed on the label, then corrected to the stocktake: only the latest counts.
    await pt.call('POST', '/v1/cases/rc-4/root-cause', pt.keys.WAREHOUSE, { category: 'WAREHOUSE', subCause: 'LABEL', responsiblePerson: 'clerk', improvement: 'relabel bin 4' });
    await pt.call('POST', '/v1/cases/rc-4/root-cause', pt.keys.WAREHOUSE, { category: 'WAREHOUSE', subCause: 'STOCKTAKE', responsiblePerson: 'clerk', improvement: 'recount weekly' });
    // Sent again (a retry, a second click): nothing added to the timeline.
    expect(await pt.call('POST', '/v1/cases/rc-4/root-cause', pt.keys.WAREHOUSE, { category: 'WAREHOUSE', subCause: 'STOCKTAKE', responsiblePerson: 'clerk', improvement: 'recount weekly' })).toMatchObject({ status: 200, body: { duplicate: true, name: { en: expect.any(String) } } });
    expect(await pt.db.caseEvent.count({ where: { caseId: 'rc-4', kind: 'ROOT_CAUSE_RECORDED' } })).toBe(2);
    const byCategory = await pt.call('GET', `/v1/root-causes?from=${today()}&to=${tomorrow()}`, pt.keys.SUPERVISOR);
    expect(byCategory.body.rows).toEqual([
      { key: 'PEOPLE', cases: 2, share: 50 },
      { key: 'TRANSPORT', cases: 1, share: 25 },
      { key: 'WAREHOUSE', cases: 1, share: 25 },
    ]);
    const bySub = await pt.call('GET', `/v1/root-causes?from=${today()}&to=${tomorrow()}&by=subCause`, pt.keys.SUPERVISOR);
    expect(bySub.body.rows.map((r: { key: string }) => r.key)).toEqual(['PEOPLE.PICKER', 'TRANSPORT.MISSORT', 'WAREHOUSE.STOCKTAKE']);
    const bySku = await pt.call('GET', `/v1/root-causes?from=${today()}&to=${tomorrow()}&by=sku`, pt.keys.SUPERVISOR);
    // Biggest first: the two causes recorded without a SKU lead.
    expect(bySku.body.rows).toEqual([expect.objectContaining({ key: null, cases: 2 }), expect.objectContaining({ key: 'CUP-01', cases: 1 }), expect.objectContaining({ key: 'TEA-07', cases: 1 })]);
  });

  it('Temporal away: the cause is recorded and the answer is a 503, so the client sends it again, which tells the case', async () => {
    await pt.db.case.create({ data: { id: 'rc-away', merchantId: 'demo-merchant', type: 'WRONG_ITEM', stage: 'AWAITING_ROOT_CAUSE', orderId: 'o8', orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: 'wf-rc-away' } });
    const cause = { category: 'TRANSPORT', subCause: 'MISSORT', carrier: 'SF' };
    const nowhere = Connection.lazy(apiTemporalConnection('127.0.0.1:1'));
    const away = await buildApp({ repos: createRepositories(pt.db), temporal: new Client({ connection: nowhere }), courierSecrets: {} });
    try {
      const sent = await away.inject({ method: 'POST', url: '/v1/cases/rc-away/root-cause', headers: { authorization: `Bearer ${pt.keys.AGENT}` }, payload: cause });
      // Not a 201 the client would take as done while the case waiting for the cause never heard of it.
      expect(sent.statusCode, sent.body).toBe(503);
      expect(sent.json()).toMatchObject({ error: 'SERVICE_UNAVAILABLE' });
    } finally {
      await away.close();
      await nowhere.close();
    }
    expect(await pt.db.caseEvent.count({ where: { caseId: 'rc-away', kind: 'ROOT_CAUSE_RECORDED' } })).toBe(1);
    // Sent again with Temporal back: the cause on record, the case told (here it has no workflow, which ends the telling).
    expect(await pt.call('POST', '/v1/cases/rc-away/root-cause', pt.keys.AGENT, cause)).toMatchObject({ status: 200, body: { duplicate: true } });
    const inputs = await pt.call('GET', '/v1/cases/rc-away/inputs', pt.keys.SUPERVISOR);
    expect(inputs.body.inputs).toEqual([expect.objectContaining({ kind: 'rootCauseRecorded', outcome: 'REFUSED' })]);
  });

  it("refuses a cause for a case that is not a wrong or missing shipment: it would count as one", async () => {
    await pt.db.case.create({ data: { id: 'rc-return', merchantId: 'demo-merchant', type: 'RETURN_AND_REFUND', stage: 'CLOSED', orderId: 'o9', orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: 'wf-rc-return' } });
    expect(await pt.call('POST', '/v1/cases/rc-return/root-cause', pt.keys.AGENT, { category: 'TRANSPORT', subCause: 'MISSORT' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('RETURN_AND_REFUND') } });
    expect(await pt.db.caseEvent.count({ where: { caseId: 'rc-return' } })).toBe(0);
  });

  it('refuses a cause outside the taxonomy, an internal cause without its person, and the wrong roles', async () => {
    expect(await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.AGENT, { category: 'WEATHER', subCause: 'RAIN' })).toMatchObject({ status: 400, body: { field: 'body.category' } });
    // An unknown category is named at once, with the missing sub-cause (it came only on a second try).
    const both = await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.AGENT, { category: 'ALIENS' });
    expect(both.status).toBe(400);
    expect(both.body.problems.map((p: { field: string }) => p.field).sort()).toEqual(['body.category', 'body.subCause']);
    expect(await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.AGENT, { category: 'PEOPLE', subCause: 'ROBOT' })).toMatchObject({ status: 400, body: { field: 'body.subCause' } });
    expect(await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.AGENT, { category: 'PEOPLE', subCause: 'PACKER' })).toMatchObject({ status: 400, body: { field: 'body.responsiblePerson' } });
    expect((await pt.call('POST', '/v1/cases/rc-1/root-cause', pt.keys.STOREFRONT, { category: 'TRANSPORT', subCause: 'DELAY' })).status).toBe(403);
    expect((await pt.call('GET', `/v1/root-causes?from=${today()}&to=${tomorrow()}`, pt.keys.AGENT)).status).toBe(403);
    expect(await pt.call('GET', `/v1/root-causes?from=${tomorrow()}&to=${today()}`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
  });
});
