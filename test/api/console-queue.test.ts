/**
 * What the console reads (issue 13), on case rows written straight into a test database: the
 * sign-in (who a key is; customer and storefront keys refused), the work queue (open cases, most
 * urgent first, keyset pages), its filters and search, "mine", and the warehouse's task lines.
 * A merchant's keys never see another merchant's cases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';
import { WAREHOUSE_TASKS } from '../../api/routes/warehouse-tasks.js';
import { STAGE_WAITS } from '../../domain/waiting.js';
import type { CaseStatus } from '../../generated/prisma/enums.js';

let api: ReadModelApi;
let t: ReadModelApi['t'];
let app: ReadModelApi['app'];
const keys: Record<string, { id: string; key: string }> = {};
const HOUR = 3_600_000;
const now = Date.now();

const ORDER = {
  orderId: 'SO-Q-1',
  currency: 'CNY',
  items: [
    { sku: 'MUG-01', name: '马克杯', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
    { sku: 'TEA-07', name: '龙井', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6200 },
  ],
  shippingFeeMinor: 800,
  paidTotalMinor: 21400,
};

async function aCase(id: string, over: { merchantId?: string; status?: CaseStatus; stage?: string; late?: boolean; due?: number | null; given?: number; next?: number; assigneeId?: string; reference?: string; returnTrackingNumber?: string; request?: object; orderId?: string; customerId?: string; createdAt?: number } = {}) {
  await t.prisma.case.create({
    data: {
      id,
      merchantId: over.merchantId ?? 'shop-a',
      type: 'RETURN_AND_REFUND',
      status: over.status ?? 'WAITING_AGENT',
      stage: over.stage ?? 'AWAITING_DECISION',
      orderId: over.orderId ?? `order-${id}`,
      orderSnapshot: ORDER,
      request: over.request ?? {},
      customerId: over.customerId ?? 'cust-1',
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `wf-${id}`,
      late: over.late ?? false,
      solutionDueAt: over.due === null || over.due === undefined ? null : new Date(over.due),
      solutionGivenAt: over.given === undefined ? null : new Date(over.given),
      nextDeadlineAt: over.next === undefined ? null : new Date(over.next),
      assigneeId: over.assigneeId,
      reference: over.reference,
      returnTrackingNumber: over.returnTrackingNumber,
      createdAt: new Date(over.createdAt ?? now),
    },
  });
}

beforeAll(async () => {
  api = await openReadModelApi();
  ({ t, app } = api);
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  await repos.ensureMerchant('shop-b', 'Shop B');
  for (const [name, role, merchantId] of [
    ['agentA', 'AGENT', 'shop-a'],
    ['supervisorA', 'SUPERVISOR', 'shop-a'],
    ['warehouseA', 'WAREHOUSE', 'shop-a'],
    ['storefrontA', 'STOREFRONT', 'shop-a'],
    ['agentB', 'AGENT', 'shop-b'],
    ['admin', 'ADMIN', undefined],
  ] as const) {
    keys[name] = await repos.createCredential({ role, merchantId, label: `desk ${name}` });
  }
  keys.customerA = await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-1', label: 'token' });

  // The queue of shop A: two late cases, due ones in deadline order, one without a deadline, and
  // closed/resolved ones that are not in the queue. Created in an order that is neither of the two.
  await aCase('q-due-2h', { due: now + 2 * HOUR, createdAt: now - 5000 });
  await aCase('q-nodue', { due: null, createdAt: now - 1000 });
  await aCase('q-late-b', { late: true, due: now - HOUR, createdAt: now - 4000 });
  await aCase('q-due-1h', { due: now + HOUR, createdAt: now - 3000, assigneeId: keys.agentA!.id, stage: 'AWAITING_INSPECTION' });
  await aCase('q-late-a', { late: true, due: now - 2 * HOUR, createdAt: now - 2000 });
  await aCase('q-closed', { status: 'CLOSED', late: true, due: now - 3 * HOUR, createdAt: now - 6000 });
  await aCase('q-resolved', { status: 'RESOLVED', due: now, createdAt: now - 7000 });
  await aCase('q-same-due-x', { due: now + 3 * HOUR, createdAt: now - 8000 });
  await aCase('q-same-due-w', { due: now + 3 * HOUR, createdAt: now - 9000 });
  // Owed its solution by the end of the day, but what it waits for runs out sooner (an urgent complaint's handling time).
  await aCase('q-due-later-next-sooner', { due: now + 6 * HOUR, next: now + 90 * 60_000, createdAt: now - 9100 });
  // Its solution given (late): it waits on the customer now, after every case still owed one.
  await aCase('q-given-late', { late: true, due: now - 3 * HOUR, given: now - HOUR, createdAt: now - 9500 });
  // Solutions given on time: their solution deadlines are past and say nothing; what they wait for
  // runs out first for 'soon' (a reminder in an hour), later for 'far', never for 'none'.
  await aCase('q-given-far', { due: now - 4 * HOUR, given: now - 5 * HOUR, next: now + 5 * 24 * HOUR, createdAt: now - 9600 });
  await aCase('q-given-none', { due: now - 5 * HOUR, given: now - 6 * HOUR, createdAt: now - 9700 });
  await aCase('q-given-soon', { due: now - 2 * HOUR, given: now - 3 * HOUR, next: now + HOUR, createdAt: now - 9800 });
  // Searchable ones, and shop B's own.
  await aCase('s-ref', { status: 'CLOSED', reference: 'TICKET-77', orderId: 'SO-SEARCH-1', returnTrackingNumber: 'SF-RET-1', customerId: 'cust-search-9' });
  await t.prisma.caseParcel.create({ data: { caseId: 's-ref', carrier: 'SF', trackingNumber: 'SF-ORIG-1', role: 'ORIGINAL' } });
  await aCase('b-late', { merchantId: 'shop-b', late: true, due: now - 5 * HOUR, reference: 'TICKET-77', orderId: 'SO-SEARCH-1' });
  // Waiting on the warehouse, with lines.
  await aCase('w-return', { status: 'WAITING_WAREHOUSE', stage: 'AWAITING_ARRIVAL', due: now + HOUR, request: { lines: [{ sku: 'MUG-01', quantity: 1, reason: 'DEFECTIVE' }] } });
  await aCase('w-missing', { status: 'WAITING_WAREHOUSE', stage: 'AWAITING_WAREHOUSE_CHECK', due: now + 2 * HOUR, request: { missing: [{ sku: 'TEA-07', quantity: 1 }] } });
  await aCase('w-whole', { status: 'WAITING_WAREHOUSE', stage: 'AWAITING_RESHIPMENT', due: now + 3 * HOUR, request: { reason: 'LOST' } });

});

afterAll(() => api?.close());

async function get(url: string, who: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys[who]!.key}` } });
  return { status: res.statusCode, body: JSON.parse(res.body) };
}
const ids = (body: { items: Array<{ id: string }> }) => body.items.map((c) => c.id);

describe('GET /v1/console/session', () => {
  it('tells a console key who it is', async () => {
    expect(await get('/v1/console/session', 'agentA')).toEqual({
      status: 200,
      // A merchant's staff are not told where the Temporal Web UI is (no sign-in, every merchant's workflows).
      body: { role: 'AGENT', merchantId: 'shop-a', merchantName: 'Shop A', actorId: keys.agentA!.id, label: 'desk agentA', keyId: keys.agentA!.id },
    });
    expect((await get('/v1/console/session', 'warehouseA')).body).toMatchObject({ role: 'WAREHOUSE', merchantId: 'shop-a' });
    expect((await get('/v1/console/session', 'warehouseA')).body).not.toHaveProperty('temporalUi');
    // Operators are; with no Temporal UI given to this app the console falls back to its own default.
    expect((await get('/v1/console/session', 'admin')).body).toMatchObject({ role: 'ADMIN', merchantId: null, merchantName: null, label: 'desk admin', temporalUi: { url: null, namespace: 'default' } });
  });

  it('refuses customer and storefront keys with a message the sign-in form can show', async () => {
    for (const who of ['customerA', 'storefrontA']) {
      const res = await get('/v1/console/session', who);
      expect(res.status).toBe(403);
      expect(res.body).toMatchObject({ error: 'FORBIDDEN', message: expect.stringContaining('this key cannot sign in to the console') });
    }
    expect((await app.inject({ method: 'GET', url: '/v1/console/session' })).statusCode).toBe(401);
  });
});

describe('GET /v1/cases as the work queue', () => {
  it('lists open cases most urgent first: owed a solution, late, then by the nearest deadline (the solution deadline or a sooner one of what it waits for; given: what it waits for), none last, then id', async () => {
    const res = await get('/v1/cases?open=true&order=urgency&stage=AWAITING_DECISION', 'agentA');
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(['q-late-a', 'q-late-b', 'q-due-later-next-sooner', 'q-due-2h', 'q-same-due-w', 'q-same-due-x', 'q-nodue', 'q-given-late', 'q-given-soon', 'q-given-far', 'q-given-none']);
    expect(res.body.items[7]).toMatchObject({ late: true, solutionGivenAt: new Date(now - HOUR).toISOString() });
    expect(res.body.items[0]).toMatchObject({ solutionGivenAt: null });
    expect(res.body.items[0]).toMatchObject({ late: true, stage: 'AWAITING_DECISION', status: 'WAITING_AGENT', orderId: 'order-q-late-a', solutionDueAt: new Date(now - 2 * HOUR).toISOString(), requestedAmountMinor: 0, deadlines: {}, createdAt: new Date(now - 2000).toISOString() });
  });

  it('refuses a stage no case can be in, with the stages it can (a misspelt filter is not an empty queue)', async () => {
    const res = await get('/v1/cases?open=true&stage=AWAITING_DESICION', 'agentA');
    expect(res).toMatchObject({ status: 400, body: { field: 'querystring.stage', problems: [{ field: 'querystring.stage', allowed: expect.arrayContaining(['AWAITING_DECISION', 'AWAITING_ARRIVAL']) }] } });
  });

  it('pages with the cursor in either order without losing or repeating a case', async () => {
    for (const order of ['urgency', 'newest']) {
      const all = ids((await get(`/v1/cases?open=true&order=${order}&limit=100`, 'agentA')).body);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await get(`/v1/cases?open=true&order=${order}&limit=2${cursor ? `&cursor=${cursor}` : ''}`, 'agentA');
        paged.push(...ids(page.body));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(paged).toEqual(all);
      expect(all).toHaveLength(15);
    }
    // Newest first stays the default.
    expect(ids((await get('/v1/cases?open=true&stage=AWAITING_DECISION&limit=2', 'agentA')).body)).toEqual(['q-nodue', 'q-late-a']);
    // A cursor of one order taken to the other would page from the wrong place (an integrator's trial got repeated cases).
    const newest = (await get('/v1/cases?open=true&limit=2', 'agentA')).body.nextCursor;
    expect(await get(`/v1/cases?open=true&order=urgency&limit=2&cursor=${newest}`, 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.cursor', message: expect.stringMatching(/handed out for order=newest/) } });
  });

  it('filters by stage, by "mine" and by open, and refuses a cursor that names no case of the caller', async () => {
    expect(ids((await get('/v1/cases?stage=AWAITING_INSPECTION', 'agentA')).body)).toEqual(['q-due-1h']);
    expect(ids((await get('/v1/cases?mine=true', 'agentA')).body)).toEqual(['q-due-1h']);
    expect(ids((await get('/v1/cases?mine=true', 'supervisorA')).body)).toEqual([]);
    expect(ids((await get(`/v1/cases?assigneeId=${keys.agentA!.id}`, 'supervisorA')).body)).toEqual(['q-due-1h']);
    // An assignee lost on the way (an empty value) would list everyone's cases on a page meant for one person's.
    expect(await get('/v1/cases?assigneeId=', 'supervisorA')).toMatchObject({ status: 400, body: { field: 'querystring.assigneeId' } });
    expect(ids((await get('/v1/cases?open=true&limit=100', 'agentA')).body)).not.toContain('q-closed');
    expect(await get('/v1/cases?cursor=b-late', 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.cursor' } });
    expect(await get('/v1/cases?order=oldest', 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.order' } });
    expect(await get('/v1/cases?type=PARCEL', 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.type' } });
    // Bounds swapped: said so, not answered with an empty list that reads as "no cases".
    expect(await get('/v1/cases?createdFrom=2026-03-02T00:00:00Z&createdTo=2026-03-01T00:00:00Z', 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.createdFrom', message: expect.stringContaining('after createdTo') } });
    expect((await get('/v1/cases?createdFrom=2026-03-01T00:00:00Z&createdTo=2026-03-01T00:00:00Z', 'agentA')).status).toBe(200);
  });

  it('finds a case by its id, order id, reference or any tracking number — of the caller’s merchant only', async () => {
    // Order ids and references typed in lower case, a case id in capitals, the customer's id too.
    for (const q of ['s-ref', 'SO-SEARCH-1', 'TICKET-77', 'SF-RET-1', 'SF-ORIG-1', 'so-search-1', 'ticket-77', 'S-REF', 'cust-search-9']) {
      expect({ q, found: ids((await get(`/v1/cases?q=${q}`, 'agentA')).body) }).toEqual({ q, found: ['s-ref'] });
    }
    expect(ids((await get('/v1/cases?q=TICKET-77', 'agentB')).body)).toEqual(['b-late']);
    expect(ids((await get('/v1/cases?q=s-ref', 'agentB')).body)).toEqual([]);
    expect(ids((await get('/v1/cases?q=SO-SEARCH-1', 'admin')).body).sort()).toEqual(['b-late', 's-ref']);
    expect(ids((await get('/v1/cases?q=nothing-like-it', 'agentA')).body)).toEqual([]);
    // A cleared search box sends q= : the list as without it, not a 400.
    const cleared = await get('/v1/cases?q=&order=urgency&open=true', 'agentA');
    expect(cleared.status).toBe(200);
    expect(ids(cleared.body)).toEqual(ids((await get('/v1/cases?order=urgency&open=true', 'agentA')).body));
    expect(ids(cleared.body).length).toBeGreaterThan(1);
  });

  it('never shows another merchant’s cases', async () => {
    expect(ids((await get('/v1/cases?open=true&order=urgency&limit=100', 'agentB')).body)).toEqual(['b-late']);
    expect(ids((await get('/v1/cases?open=true&order=urgency&limit=100', 'agentA')).body)).not.toContain('b-late');
    expect(ids((await get('/v1/cases?open=true&order=urgency&limit=1', 'admin')).body)).toEqual(['b-late']);
  });
});

describe('GET /v1/warehouse/tasks', () => {
  it('names the lines to expect or check, with the order’s names for them', async () => {
    const res = await get('/v1/warehouse/tasks', 'warehouseA');
    expect(res.status).toBe(200);
    const lines = Object.fromEntries(res.body.items.map((i: { caseId: string; lines: unknown }) => [i.caseId, i.lines]));
    expect(lines).toEqual({
      'w-return': [{ sku: 'MUG-01', name: '马克杯', quantity: 1 }],
      'w-missing': [{ sku: 'TEA-07', name: '龙井', quantity: 1 }],
      'w-whole': [
        { sku: 'MUG-01', name: '马克杯', quantity: 2 },
        { sku: 'TEA-07', name: '龙井', quantity: 1 },
      ],
    });
    expect(res.body.items[0]).toMatchObject({ caseId: 'w-return', task: 'RECEIVE_RETURN', dueAt: null, late: false, command: 'POST /v1/warehouse/arrivals' });
  });

  it('names every warehouse stage’s task and the call that does it; a wrong item coming back is what arrived, not what was ordered', async () => {
    await t.prisma.merchant.create({ data: { id: 'shop-w', name: 'Shop W', defaultCurrency: 'CNY' } });
    keys.warehouseW = await api.repos.createCredential({ role: 'WAREHOUSE', merchantId: 'shop-w', label: 'desk W' });
    const at = (stage: string, request: object = {}) => aCase(`ww-${stage}`, { merchantId: 'shop-w', status: 'WAITING_WAREHOUSE', stage, request });
    for (const stage of Object.keys(WAREHOUSE_TASKS)) await at(stage);
    await aCase('ww-wrong', { merchantId: 'shop-w', status: 'WAITING_WAREHOUSE', stage: 'AWAITING_INSPECTION', request: { orderedSku: 'MUG-01', arrivedBarcode: '6900002', barcodes: { 'MUG-01': '6900001', 'TEA-07': '6900002' } } });
    await aCase('ww-unknown', { merchantId: 'shop-w', status: 'WAITING_WAREHOUSE', stage: 'AWAITING_ARRIVAL', request: { orderedSku: 'MUG-01', arrivedBarcode: '6999999', barcodes: { 'MUG-01': '6900001' } } });
    const items = (await get('/v1/warehouse/tasks?limit=200', 'warehouseW')).body.items as Array<{ caseId: string; task: string; command?: string; lines: unknown }>;
    const byCase = Object.fromEntries(items.map((i) => [i.caseId, i]));
    // Every stage that waits on the warehouse (domain/waiting.ts) has a task of its own, never OTHER.
    const warehouseStages = Object.entries(STAGE_WAITS).filter(([, w]) => w.party === 'WAREHOUSE').map(([stage]) => stage);
    expect(Object.keys(WAREHOUSE_TASKS).sort()).toEqual(warehouseStages.sort());
    for (const stage of warehouseStages.filter((st) => st !== 'AWAITING_PROMISED_SHIPPING')) expect(byCase[`ww-${stage}`]).toMatchObject({ task: WAREHOUSE_TASKS[stage], command: STAGE_WAITS[stage]!.command.replace('{caseId}', `ww-${stage}`) });
    // Shipping the order is moved on by the courier's signed events, not a call the warehouse makes.
    expect(byCase['ww-AWAITING_PROMISED_SHIPPING']).toMatchObject({ task: 'SHIP_ORDER', what: STAGE_WAITS.AWAITING_PROMISED_SHIPPING!.what });
    expect(byCase['ww-AWAITING_PROMISED_SHIPPING']!.command).toBeUndefined();
    expect(byCase['ww-AWAITING_DISPATCH_CONFIRMATION']!.task).toBe('VERIFY_DISPATCH');
    expect(byCase['ww-AWAITING_DISPATCH']!.task).toBe('PACK_RESHIPMENT');
    expect(byCase['ww-wrong']!.lines).toEqual([{ sku: 'TEA-07', name: '龙井', quantity: 1 }]);
    // An exchange comes back as ordered and goes out as its replacement (a packer trial shipped the old size again).
    const exchange = { lines: [{ sku: 'MUG-01', quantity: 1, replacementSku: 'MUG-02-BLUE' }, { sku: 'TEA-07', quantity: 1 }] };
    for (const stage of ['AWAITING_INSPECTION', 'AWAITING_OUTGOING_CHECK', 'AWAITING_DISPATCH']) await aCase(`ww-ex-${stage}`, { merchantId: 'shop-w', status: 'WAITING_WAREHOUSE', stage, request: exchange });
    const exchanges = Object.fromEntries(((await get('/v1/warehouse/tasks?limit=200', 'warehouseW')).body.items as Array<{ caseId: string; lines: unknown }>).map((i) => [i.caseId, i.lines]));
    expect(exchanges['ww-ex-AWAITING_INSPECTION']).toEqual([{ sku: 'MUG-01', name: '马克杯', quantity: 1 }, { sku: 'TEA-07', name: '龙井', quantity: 1 }]);
    for (const stage of ['AWAITING_OUTGOING_CHECK', 'AWAITING_DISPATCH']) expect(exchanges[`ww-ex-${stage}`]).toEqual([{ sku: 'MUG-02-BLUE', name: 'MUG-02-BLUE', quantity: 1 }, { sku: 'TEA-07', name: '龙井', quantity: 1 }]);
    expect(byCase['ww-unknown']!.lines).toEqual([{ sku: '6999999', name: 'barcode 6999999', quantity: 1 }]);
    // Once its RETURN_REQUESTED step names the goods asked back (the warehouse's findings), those are what is expected.
    await t.prisma.caseEvent.create({ data: { caseId: 'ww-unknown', stepKey: '9:RETURN_REQUESTED', kind: 'RETURN_REQUESTED', actor: 'system', data: { returnCode: 'ww-unknown', lines: [{ sku: 'SHIRT-L', name: '衬衫 L 码', quantity: 1 }] } } });
    const asked = ((await get('/v1/warehouse/tasks?limit=200', 'warehouseW')).body.items as Array<{ caseId: string; lines: unknown }>).find((i) => i.caseId === 'ww-unknown');
    expect(asked!.lines).toEqual([{ sku: 'SHIRT-L', name: '衬衫 L 码', quantity: 1 }]);
  });

  it('lists a repair of a case opened while repairs were left OPEN (not WAITING_WAREHOUSE) and a parcel being intercepted (the courier brings it, the dock scans it), and no finished case', async () => {
    await aCase('ww-old-repair', { merchantId: 'shop-w', status: 'OPEN', stage: 'AWAITING_REPAIR' });
    await aCase('ww-intercepted', { merchantId: 'shop-w', status: 'WAITING_COURIER', stage: 'AWAITING_INTERCEPTED_PARCEL' });
    await aCase('ww-agent-wait', { merchantId: 'shop-w', status: 'OPEN', stage: 'AWAITING_AGENT' });
    const items = (await get('/v1/warehouse/tasks?limit=200', 'warehouseW')).body.items as Array<{ caseId: string; task: string }>;
    expect(items.find((i) => i.caseId === 'ww-old-repair')).toMatchObject({ task: 'REPAIR' });
    expect(items.find((i) => i.caseId === 'ww-intercepted')).toMatchObject({ task: 'RECEIVE_INTERCEPTED_PARCEL', command: 'POST /v1/warehouse/arrivals' });
    // One task at a time: the returns waiting for inspection, the packing list.
    const inspections = (await get('/v1/warehouse/tasks?limit=200&task=INSPECT_RETURN', 'warehouseW')).body.items as Array<{ caseId: string; task: string }>;
    expect(inspections.length).toBeGreaterThan(0);
    expect(new Set(inspections.map((i) => i.task))).toEqual(new Set(['INSPECT_RETURN']));
    const packing = (await get('/v1/warehouse/tasks?limit=200&task=PACK_RESHIPMENT', 'warehouseW')).body.items as Array<{ caseId: string }>;
    expect(packing.map((i) => i.caseId).sort()).toEqual(items.filter((i) => i.task === 'PACK_RESHIPMENT').map((i) => i.caseId).sort());
    expect(await get('/v1/warehouse/tasks?task=SWEEP_FLOOR', 'warehouseW')).toMatchObject({ status: 400, body: { field: expect.stringContaining('task') } });
    expect(items.map((i) => i.caseId)).not.toContain('ww-agent-wait');
  });
});
