/**
 * One merchant can never touch another's case, over real HTTP. Every route that takes a case id —
 * read from /docs/json, so a route added later is covered without touching this file — is called
 * on merchant A's case by every principal that is not A's: merchant B's storefront, warehouse,
 * agent and supervisor keys, and customer tokens of other customers (one of A's, and B's token for
 * a customer with the same id as A's). Each gets exactly what it gets for a case that does not
 * exist (404 NOT_FOUND, or a 403 for its role that is the same for both), so case ids cannot be
 * probed; and A's case is unchanged afterwards. Opening with A's reference, B gets a case of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
const B = 'tenant-b';
const SHARED_REFERENCE = 'SO-SHARED-0001';

interface Operation {
  requestBody?: { content?: Record<string, { example?: unknown; examples?: Record<string, { value?: unknown }> }> };
}

const others: Record<string, string> = {};
let caseA: string;

function returnBody(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    customer: { id: 'cust-tenant-a', locale: 'zh-CN' },
    order: {
      orderId: 'SO-TENANT-A-1',
      currency: 'CNY',
      items: [
        { sku: 'MUG-01', name: '马克杯', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
        { sku: 'TEA-07', name: '龙井', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6200 },
      ],
      shippingFeeMinor: 800,
      paidTotalMinor: 21400,
      shippedAt: now - 3 * DAY,
      deliveredAt: now - DAY,
    },
    lines: [{ sku: 'MUG-01', quantity: 1, reason: 'DEFECTIVE' }],
    evidenceUrls: ['https://evidence.example.com/tenant-a/crack.jpg'],
    ...over,
  };
}

/** What must not change: A's case as A's agent sees it, and its rows in the database. */
async function snapshotOf(caseId: string) {
  const view = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
  return {
    stage: view.stage,
    status: view.status,
    assigneeId: view.assigneeId,
    escalated: view.escalated,
    timeline: view.timeline.length,
    notes: view.timeline.filter((e: { kind: string }) => e.kind === 'NOTE').map((e: { data: unknown }) => e.data),
    evidence: view.evidence,
    events: await pt.db.caseEvent.count({ where: { caseId } }),
    evidenceRows: await pt.db.evidence.count({ where: { caseId } }),
    ledger: await pt.db.ledgerEntry.count({ where: { caseId } }),
    // What reached the case from outside (recorded for the policy what-if): nothing of others'.
    inputs: await pt.db.caseInput.count({ where: { caseId } }),
    complaint: (await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { complaint: true } })).complaint,
  };
}

beforeAll(async () => {
  const admin = pt.keys.ADMIN!;
  const merchant = await pt.call('PUT', `/v1/admin/merchants/${B}`, admin, { name: 'Shop B', defaultCurrency: 'CNY', returnAddress: { name: 'B returns', phone: '021-00000000', address: 'Shanghai' } });
  expect(merchant.status).toBe(201);
  for (const role of ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR']) {
    const created = await pt.call('POST', '/v1/admin/keys', admin, { role, merchantId: B, label: `tenant test ${role}` });
    expect(created.status).toBe(201);
    others[`B ${role}`] = created.body.key;
  }
  others['another customer of A'] = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-tenant-other' })).body.token;
  // B's customer with the same id as A's: customer ids are the merchant's own, they may collide.
  others['B customer with the same customer id'] = (await pt.call('POST', '/v1/customer-tokens', others['B STOREFRONT'], { customerId: 'cust-tenant-a' })).body.token;

  const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, returnBody({ reference: SHARED_REFERENCE }));
  expect(opened.status).toBe(201);
  caseA = opened.body.caseId;
  await pt.until(caseA, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
  expect((await pt.call('POST', `/v1/cases/${caseA}/notes`, pt.keys.AGENT, { text: 'customer called, photos look right' })).status).toBe(201);
});

describe('no principal but merchant A’s own reaches A’s case', () => {
  it('every route with a case id answers others exactly as for a case that does not exist, and the case is unchanged', async () => {
    const doc = (await pt.call('GET', '/docs/json', undefined)).body as { paths: Record<string, Record<string, Operation>> };
    const routes = Object.entries(doc.paths)
      .filter(([path]) => path.includes('{caseId}'))
      .flatMap(([path, operations]) =>
        Object.entries(operations).map(([method, op]) => {
          const media = op.requestBody?.content?.['application/json'];
          const body = media?.example ?? Object.values(media?.examples ?? {})[0]?.value;
          return { method: method.toUpperCase(), path, body };
        }),
      );
    // A sanity floor: the reads, the customer's, warehouse's and agents' commands are all there.
    expect(routes.length).toBeGreaterThanOrEqual(20);
    expect(routes.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /v1/cases/{caseId}', 'POST /v1/cases/{caseId}/evidence', 'POST /v1/cases/{caseId}/notes', 'POST /v1/cases/{caseId}/complaint', 'GET /v1/cases/{caseId}/inputs']));
    expect(routes.filter((r) => r.method !== 'GET' && r.body === undefined).map((r) => r.path)).toEqual([]);

    const before = await snapshotOf(caseA);
    const missing = 'a0b1c2d3e4f5a6b7c8d9'; // shaped like a minted id, never minted
    const problems: string[] = [];
    let refused = 0;
    for (const { method, path, body } of routes) {
      for (const [who, key] of Object.entries(others)) {
        const onA = await pt.call(method, path.replace('{caseId}', caseA), key, body);
        const onNothing = await pt.call(method, path.replace('{caseId}', missing), key, body);
        const got = { status: onA.status, body: onA.body };
        const expected = { status: onNothing.status, body: onNothing.body };
        if (JSON.stringify(got) !== JSON.stringify(expected)) problems.push(`${method} ${path} as ${who}: ${JSON.stringify(got)} but for no case ${JSON.stringify(expected)}`);
        else if (onA.status === 404 ? onA.body?.error !== 'NOT_FOUND' : onA.status !== 403) problems.push(`${method} ${path} as ${who}: ${onA.status} ${JSON.stringify(onA.body)}`);
        else refused++;
      }
    }
    expect(problems).toEqual([]);
    expect(refused).toBe(routes.length * Object.keys(others).length);
    expect(await snapshotOf(caseA)).toEqual(before);
  });

  it('merchant B opening with merchant A’s reference gets a case of its own; A’s case is untouched', async () => {
    const before = await snapshotOf(caseA);
    const body = returnBody({ reference: SHARED_REFERENCE, evidenceUrls: ['https://evidence.example.com/tenant-b/other.jpg'] });
    const opened = await pt.call('POST', '/v1/returns', others['B STOREFRONT'], body);
    expect(opened.status).toBe(201);
    expect(opened.body.caseId).not.toBe(caseA);
    expect(opened.body.reference).toBe(SHARED_REFERENCE);
    const caseB = opened.body.caseId;
    expect(await pt.db.case.findUniqueOrThrow({ where: { id: caseB }, select: { merchantId: true } })).toEqual({ merchantId: B });
    // Each merchant's agents find their own case by the reference, and only it.
    const ids = async (key: string) => (await pt.call('GET', `/v1/cases?reference=${SHARED_REFERENCE}`, key)).body.items.map((c: { id: string }) => c.id);
    expect(await ids(pt.keys.AGENT!)).toEqual([caseA]);
    expect(await ids(others['B AGENT']!)).toEqual([caseB]);
    expect(await snapshotOf(caseA)).toEqual(before);
  });

  it('merchant B sending A’s case id as the (deprecated) caseId of an opening gets a new case; nothing reaches A’s', async () => {
    const before = await snapshotOf(caseA);
    const opened = await pt.call('POST', '/v1/returns', others['B STOREFRONT'], returnBody({ caseId: caseA, evidenceUrls: ['https://evidence.example.com/tenant-b/intruder.jpg'] }));
    expect(opened.status).toBe(201);
    expect(opened.body.caseId).not.toBe(caseA);
    expect(await snapshotOf(caseA)).toEqual(before);
    const rowA = await pt.db.case.findUniqueOrThrow({ where: { id: caseA }, select: { merchantId: true } });
    expect(rowA.merchantId).not.toBe(B);
  });

  it("a customer cannot enter another shop's parcel as their return: its carrier's events (who signed, where) would reach them", async () => {
    expect((await pt.call('POST', `/v1/cases/${caseA}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: 'SFTENANTA01' })).status).toBe(200);
    const opened = await pt.call('POST', '/v1/returns', others['B STOREFRONT'], returnBody({ order: { ...returnBody().order, orderId: 'SO-TENANT-B-9' } }));
    expect(opened.status).toBe(201);
    const caseB = opened.body.caseId as string;
    const tokenB = others['B customer with the same customer id']!;
    await pt.until(caseB, tokenB, 'AWAITING_RETURN_SHIPMENT');
    const refused = await pt.call('POST', `/v1/cases/${caseB}/return-shipment`, tokenB, { carrier: '顺丰', trackingNumber: 'sftenanta01' });
    expect(refused).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('another shop') } });
    expect(refused.body.message).not.toContain(caseA);
    // The label of the parcel really sent back is taken.
    expect((await pt.call('POST', `/v1/cases/${caseB}/return-shipment`, tokenB, { carrier: 'SF', trackingNumber: 'SFTENANTB01' })).status).toBe(200);
  });

  it("a shop cannot open a case about another shop's parcel: the carrier's events would reach its customer, and a lost parcel would be claimed from the carrier", async () => {
    const shippedAt = Date.now() - 5 * DAY;
    const lostParcel = (key: string, orderId: string, trackingNumber: string) =>
      pt.call('POST', '/v1/lost-parcels', key, {
        customer: { id: 'cust-tenant-a', locale: 'en' },
        order: { orderId, currency: 'CNY', items: [{ sku: 'LAMP', name: 'lamp', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 11_000 }], shippingFeeMinor: 1_000, paidTotalMinor: 26_000 },
        shipment: { carrier: 'SF', trackingNumber, shippedAt },
        lines: [{ sku: 'LAMP', quantity: 1 }],
      });
    const mine = await lostParcel(pt.keys.STOREFRONT, 'SO-TENANT-A-LOST', 'SFTENANTLOST1');
    expect(mine.status).toBe(201);
    const before = await pt.db.case.count({ where: { merchantId: B } });
    // The same parcel, typed lower-case and spaced: still that parcel.
    const refused = await lostParcel(others['B STOREFRONT']!, 'SO-TENANT-B-LOST', 'sf tenant lost1');
    expect(refused).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.shipment.trackingNumber', message: expect.stringContaining('another shop') } });
    expect(refused.body.message).not.toContain(mine.body.caseId);
    expect(await pt.db.case.count({ where: { merchantId: B } })).toBe(before);
    // The shop's own parcel is taken; and A's own customer may still open about theirs (another order shipped in it).
    expect((await lostParcel(others['B STOREFRONT']!, 'SO-TENANT-B-LOST', 'SFTENANTLOST2')).status).toBe(201);
    expect((await lostParcel(pt.keys.STOREFRONT, 'SO-TENANT-A-LOST-2', 'SFTENANTLOST1')).status).toBe(201);
  });

  it("a shop's warehouse cannot send goods again under another shop's parcel number: that parcel's DELIVERED would end the wait for goods that never left", async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'SO-TENANT-B-LATE', status: 'PACKED' });
    const late = await pt.call('POST', '/v1/tracking-inquiries', others['B STOREFRONT']!, {
      customer: { id: 'cust-tenant-b', locale: 'en' },
      order: { orderId: 'SO-TENANT-B-LATE', currency: 'CNY', items: [{ sku: 'TEA', name: 'tea', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 },
      promisedShipBy: Date.now() - 3_600_000,
      recipientName: 'Wang Fang',
    });
    expect(late.status).toBe(201);
    const caseB = late.body.caseId as string;
    await pt.until(caseB, others['B WAREHOUSE']!, 'AWAITING_DISPATCH');
    // A parcel an open case of A follows (A's tracking inquiry about it), as B's packer typed it.
    const inquiry = await pt.call('POST', '/v1/tracking-inquiries', pt.keys.STOREFRONT, {
      customer: { id: 'cust-tenant-a', locale: 'en' },
      order: { orderId: 'SO-TENANT-A-WHERE', currency: 'CNY', items: [{ sku: 'TEA', name: 'tea', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 },
      shipment: { carrier: 'SF', trackingNumber: 'SFTENANTA09' },
      promisedShipBy: Date.now() - 86_400_000,
      recipientName: 'Li Lei',
    });
    expect(inquiry.status).toBe(201);
    const refused = await pt.call('POST', `/v1/cases/${caseB}/reshipment`, others['B WAREHOUSE']!, { by: 'packer', carrier: 'SF', trackingNumber: 'sf tenant a09' });
    expect(refused).toMatchObject({ status: 409, body: { error: 'PARCEL_CONFLICT', field: 'body.trackingNumber', message: expect.stringContaining('another shop') } });
    expect(refused.body.message).not.toContain(inquiry.body.caseId);
    expect((await pt.call('GET', `/v1/cases/${caseB}`, others['B AGENT']!)).body.stage).toBe('AWAITING_DISPATCH');
    const sent = { by: 'packer', carrier: 'SF', trackingNumber: 'SFTENANTB02' };
    expect((await pt.call('POST', `/v1/cases/${caseB}/reshipment`, others['B WAREHOUSE']!, sent)).status).toBe(200);
    await pt.until(caseB, others['B AGENT']!, 'FOLLOWING');
    // A case of A came to follow B's number after B's report was taken (the read model's parcels are
    // written after the workflow takes a report: two shops at once): B's scanner retrying its report is answered as taken.
    await pt.db.caseParcel.create({ data: { caseId: inquiry.body.caseId, carrier: 'SF', trackingNumber: 'SFTENANTB02', role: 'ORIGINAL' } });
    expect((await pt.call('POST', `/v1/cases/${caseB}/reshipment`, others['B WAREHOUSE']!, sent)).status).toBe(200);
  });
});
