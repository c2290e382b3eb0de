/**
 * Merchant administration over HTTP: return address and policy versions. A merchant without a
 * return address cannot open returns; a published policy version applies to cases opened after
 * it, and every earlier version stays readable (it is what older cases decided under).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config.js';
import { startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createRepositories } from '../../db/repositories.js';
import { createTestDatabase } from '../../db/test-database.js';
import { httpClient } from '../e2e/client.js';

let platform: Platform;
let drop: () => Promise<void>;
let db: Db;

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  platform = await startPlatform(loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: '.data/test-admin' }), { timeSkipping: true });
  db = createPrisma(t.url);
}, 120_000);

afterAll(async () => {
  await db?.$disconnect();
  await platform?.stop();
  await drop?.();
});

const { call } = httpClient(() => platform.apiUrl);

const keys = () => platform.keys as Record<string, string>;
const address = { name: '退货组 李女士', phone: '+86 21 5555 1234', address: '上海市浦东新区 退货仓 B 区' };

function returnRequest(orderId: string) {
  return {
    customer: { id: 'cust-9', locale: 'en' },
    order: {
      orderId,
      currency: 'CNY',
      items: [{ sku: 'CUP', name: 'Cup', quantity: 2, unitPriceMinor: 2000, unitCostMinor: 800 }],
      shippingFeeMinor: 500,
      paidTotalMinor: 4500,
      shippedAt: Date.now() - 3 * 86_400_000,
      deliveredAt: Date.now() - 86_400_000,
    },
    lines: [{ sku: 'CUP', quantity: 1, reason: 'NO_REASON' }],
  };
}

describe('merchants', () => {
  it('keeps a merchant’s currency once it has a case: another is a 409 and nothing changes (an integrator switched it under open cases)', async () => {
    expect((await call('PUT', '/v1/admin/merchants/shop-cur', keys().ADMIN, { name: 'Shop Cur', defaultCurrency: 'CNY' })).status).toBe(201);
    // Before its first case, a currency set wrongly can still be corrected.
    expect(await call('PUT', '/v1/admin/merchants/shop-cur', keys().ADMIN, { name: 'Shop Cur', defaultCurrency: 'USD' })).toMatchObject({ status: 200, body: { defaultCurrency: 'USD' } });
    await db.case.create({
      data: { id: 'cur-case-1', merchantId: 'shop-cur', type: 'RETURN_AND_REFUND', status: 'OPEN', stage: 'OPENED', orderId: 'SO-CUR-1', orderSnapshot: {}, request: {}, customerId: 'cust-cur', currency: 'USD', policyVersion: 1, workflowId: 'wf-cur-case-1' },
    });
    expect(await call('PUT', '/v1/admin/merchants/shop-cur', keys().ADMIN, { name: 'Shop Cur', defaultCurrency: 'CNY' })).toMatchObject({
      status: 409,
      body: { error: 'CURRENCY_IN_USE', field: 'body.defaultCurrency', message: expect.stringMatching(/has cases in USD/) },
    });
    // The same currency with another name is an ordinary edit.
    expect(await call('PUT', '/v1/admin/merchants/shop-cur', keys().ADMIN, { name: 'Shop Currency', defaultCurrency: 'USD' })).toMatchObject({ status: 200, body: { name: 'Shop Currency', defaultCurrency: 'USD' } });
    expect(await call('GET', '/v1/admin/merchants/shop-cur', keys().ADMIN)).toMatchObject({ status: 200, body: { defaultCurrency: 'USD' } });
    // The page says so.
    const doc = (await call('GET', '/docs/json', undefined)).body;
    expect(doc.paths['/v1/admin/merchants/{merchantId}'].put.responses['409'].description).toMatch(/^CURRENCY_IN_USE/);
  });

  it('admins create and change a merchant; PUT answers 201 then 200', async () => {
    const created = await call('PUT', '/v1/admin/merchants/shop-2', keys().ADMIN, { name: 'Shop Two', defaultCurrency: 'CNY' });
    expect(created).toMatchObject({ status: 201, body: { id: 'shop-2', name: 'Shop Two', defaultCurrency: 'CNY' } });
    expect(created.body.returnAddress).toBeUndefined();
    const changed = await call('PUT', '/v1/admin/merchants/shop-2', keys().ADMIN, { name: 'Shop Two', defaultCurrency: 'CNY', returnAddress: address });
    expect(changed).toMatchObject({ status: 200, body: { returnAddress: address } });
    expect(await call('GET', '/v1/admin/merchants/shop-2', keys().ADMIN)).toMatchObject({ status: 200, body: { id: 'shop-2', returnAddress: address, policyVersion: 1 } });
    // A change of name or currency that leaves the address out keeps it (it had erased it: returns were refused after); null removes it.
    expect(await call('PUT', '/v1/admin/merchants/shop-2', keys().ADMIN, { name: 'Shop 2', defaultCurrency: 'CNY' })).toMatchObject({ status: 200, body: { name: 'Shop 2', returnAddress: address } });
    const removed = await call('PUT', '/v1/admin/merchants/shop-2', keys().ADMIN, { name: 'Shop 2', defaultCurrency: 'CNY', returnAddress: null });
    expect(removed.status).toBe(200);
    expect(removed.body.returnAddress).toBeUndefined();
  });

  it('If-None-Match: * only creates: a merchant of that id is left as it is (412 MERCHANT_EXISTS), and two creations at once make one', async () => {
    const createOnly = { 'if-none-match': '*' };
    const made = await call('PUT', '/v1/admin/merchants/shop-new', keys().ADMIN, { name: 'New Shop', defaultCurrency: 'CNY', returnAddress: address }, createOnly);
    expect(made).toMatchObject({ status: 201, body: { id: 'shop-new', name: 'New Shop', returnAddress: address } });
    const again = await call('PUT', '/v1/admin/merchants/shop-new', keys().ADMIN, { name: 'Someone else', defaultCurrency: 'USD' }, createOnly);
    expect(again).toMatchObject({ status: 412, body: { error: 'MERCHANT_EXISTS', field: 'params.merchantId' } });
    expect(await call('GET', '/v1/admin/merchants/shop-new', keys().ADMIN)).toMatchObject({ status: 200, body: { name: 'New Shop', defaultCurrency: 'CNY', returnAddress: address } });
    const both = await Promise.all(['A', 'B'].map((n) => call('PUT', '/v1/admin/merchants/shop-race', keys().ADMIN, { name: `Shop ${n}`, defaultCurrency: 'CNY' }, createOnly)));
    expect(both.map((r) => r.status).sort()).toEqual([201, 412]);
    // Only `*` means anything here (the API has no entity tags): another value is a 400 naming the header.
    const tagged = await call('PUT', '/v1/admin/merchants/shop-new', keys().ADMIN, { name: 'New Shop', defaultCurrency: 'CNY' }, { 'if-none-match': '"v1"' });
    expect(tagged).toMatchObject({ status: 400 });
    expect(JSON.stringify(tagged.body)).toContain('if-none-match');
  });

  it('bad input is a 400 naming the field; other roles are refused; unknown merchants are 404', async () => {
    expect(await call('PUT', '/v1/admin/merchants/shop-3', keys().ADMIN, { name: 'X', defaultCurrency: 'XXX' })).toMatchObject({ status: 400, body: { field: 'body.defaultCurrency' } });
    expect(await call('PUT', '/v1/admin/merchants/shop-3', keys().ADMIN, { name: 'X', defaultCurrency: 'CNY', returnAddress: { ...address, phone: 'ring twice' } })).toMatchObject({
      status: 400,
      body: { field: 'body.returnAddress.phone' },
    });
    expect(await call('PUT', '/v1/admin/merchants/shop-3', keys().ADMIN, { name: 'X', defaultCurrency: 'CNY', returnAddress: { name: 'n' } })).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST' } });
    expect(await call('PUT', '/v1/admin/merchants/bad id!', keys().ADMIN, { name: 'X', defaultCurrency: 'CNY' })).toMatchObject({ status: 400 });
    expect((await call('GET', '/v1/admin/merchants/shop-3', keys().ADMIN)).status).toBe(404);
    for (const role of ['STOREFRONT', 'WAREHOUSE', 'AGENT', 'SUPERVISOR']) {
      expect((await call('PUT', '/v1/admin/merchants/demo-merchant', keys()[role], { name: 'Mine', defaultCurrency: 'CNY' })).status).toBe(403);
    }
    expect((await call('PUT', '/v1/admin/merchants/demo-merchant', undefined, { name: 'Mine', defaultCurrency: 'CNY' })).status).toBe(401);
    // A supervisor reads their own merchant's settings, and nobody else's (404, not 403).
    expect((await call('GET', '/v1/admin/merchants/demo-merchant', keys().SUPERVISOR)).status).toBe(200);
    expect((await call('GET', '/v1/admin/merchants/shop-2', keys().SUPERVISOR)).status).toBe(404);
    expect((await call('GET', '/v1/admin/merchants/demo-merchant', keys().AGENT)).status).toBe(403);
  });

  it('admins list every merchant in id order a page at a time, with its newest policy version; others cannot', async () => {
    for (const id of ['list-c', 'list-a', 'list-b']) expect((await call('PUT', `/v1/admin/merchants/${id}`, keys().ADMIN, { name: `Shop ${id}`, defaultCurrency: 'CNY' })).status).toBe(201);
    expect((await call('POST', '/v1/admin/merchants/list-b/policies', keys().ADMIN, { rules: { noReasonReturnDays: 10 } })).status).toBe(201);
    const seen: Array<{ id: string; policyVersion: number }> = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page = await call('GET', `/v1/admin/merchants?limit=2${cursor ? `&cursor=${cursor}` : ''}`, keys().ADMIN);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items);
      cursor = page.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    const ids = seen.map((m) => m.id);
    expect(ids).toEqual([...ids].sort());
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expect.arrayContaining(['list-a', 'list-b', 'list-c']));
    expect(seen.find((m) => m.id === 'list-b')).toMatchObject({ name: 'Shop list-b', defaultCurrency: 'CNY', policyVersion: 2 });
    expect(seen.find((m) => m.id === 'list-a')).toMatchObject({ policyVersion: 1 });
    expect(Object.keys(seen[0]!).sort()).toEqual(expect.arrayContaining(['createdAt', 'defaultCurrency', 'id', 'name', 'policyVersion']));

    expect(await call('GET', '/v1/admin/merchants?limit=0', keys().ADMIN)).toMatchObject({ status: 400, body: { field: 'querystring.limit' } });
    expect(await call('GET', '/v1/admin/merchants?cursor=not%20an%20id', keys().ADMIN)).toMatchObject({ status: 400, body: { field: 'querystring.cursor' } });
    for (const role of ['SUPERVISOR', 'AGENT', 'STOREFRONT'] as const) expect((await call('GET', '/v1/admin/merchants', keys()[role])).status).toBe(403);
  });

  it('a merchant without a return address cannot open returns (409), and can once it has one', async () => {
    await call('PUT', '/v1/admin/merchants/shop-4', keys().ADMIN, { name: 'Shop Four', defaultCurrency: 'CNY' });
    const storefront = (await createRepositories(db).createCredential({ role: 'STOREFRONT', merchantId: 'shop-4', label: 'test' })).key;
    expect(await call('POST', '/v1/returns', storefront, returnRequest('o-4-1'))).toMatchObject({ status: 409, body: { error: 'MERCHANT_NOT_READY' } });
    expect(await db.case.count({ where: { merchantId: 'shop-4' } })).toBe(0);
    await call('PUT', '/v1/admin/merchants/shop-4', keys().ADMIN, { name: 'Shop Four', defaultCurrency: 'CNY', returnAddress: address });
    expect((await call('POST', '/v1/returns', storefront, returnRequest('o-4-2'))).status).toBe(201);
  });
});

describe('policy versions', () => {
  it('many first returns of a new merchant at once all open, under one default version 1', async () => {
    await call('PUT', '/v1/admin/merchants/shop-5', keys().ADMIN, { name: 'Shop Five', defaultCurrency: 'CNY', returnAddress: address });
    const storefront = (await createRepositories(db).createCredential({ role: 'STOREFRONT', merchantId: 'shop-5', label: 'test' })).key;
    const opened = await Promise.all(Array.from({ length: 12 }, (_, i) => call('POST', '/v1/returns', storefront, returnRequest(`o-5-${i}`))));
    expect(opened.map((r) => r.status)).toEqual(Array(12).fill(201));
    expect(new Set(opened.map((r) => r.body.policyVersion))).toEqual(new Set([1]));
    expect(await db.policyVersion.count({ where: { merchantId: 'shop-5' } })).toBe(1);
    // The race itself, without HTTP in between: every first reader gets version 1, none an error.
    await db.merchant.create({ data: { id: 'shop-6', name: 'Shop Six', defaultCurrency: 'CNY' } });
    const repos = createRepositories(db);
    const versions = await Promise.all(Array.from({ length: 30 }, () => repos.currentPolicy('shop-6')));
    expect(versions.map((p) => p.version)).toEqual(Array(30).fill(1));
  });

  it('publishing builds the next version from the current one plus the changes; earlier versions stay readable', async () => {
    const v1 = await call('GET', '/v1/admin/merchants/demo-merchant/policy', keys().ADMIN);
    expect(v1).toMatchObject({ status: 200, body: { version: 1, rules: { noReasonReturnDays: 7 } } });
    const v2 = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { rules: { noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: 100_000 }, businessHours: { close: '20:00' } });
    expect(v2).toMatchObject({ status: 201, body: { version: 2, rules: { ...v1.body.rules, noReasonReturnDays: 15, autoApproveReturnMaxAmountMinor: 100_000 }, businessHours: { ...v1.body.businessHours, close: '20:00' } } });
    const v3 = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { rules: { autoApproveReturnMaxAmountMinor: null } });
    expect(v3.status).toBe(201);
    expect(v3.body.version).toBe(3);
    expect(v3.body.rules).not.toHaveProperty('autoApproveReturnMaxAmountMinor');
    expect(v3.body.rules.noReasonReturnDays).toBe(15);
    expect(await call('GET', '/v1/admin/merchants/demo-merchant/policies/1', keys().SUPERVISOR)).toMatchObject({ status: 200, body: { version: 1, rules: { noReasonReturnDays: 7 } } });
    expect((await call('GET', '/v1/admin/merchants/demo-merchant/policies/99', keys().ADMIN)).status).toBe(404);
    // A case opened now keeps version 3.
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest('o-p-1'));
    expect(opened).toMatchObject({ status: 201, body: { policyVersion: 3 } });
  });

  it('the versions say when, by whom and why each was published, and what it changed', async () => {
    await call('PUT', '/v1/admin/merchants/shop-h', keys().ADMIN, { name: 'Shop H', defaultCurrency: 'CNY' });
    const path = '/v1/admin/merchants/shop-h/policies';
    // A merchant starts with the defaults: version 1, published by nobody.
    expect(await call('GET', path, keys().ADMIN)).toMatchObject({ status: 200, body: { merchantId: 'shop-h', items: [{ version: 1, publishedBy: null, note: null, changed: [] }] } });
    const v2 = await call('POST', path, keys().ADMIN, { rules: { noReasonReturnDays: 15 }, businessHours: { close: '20:00' }, fulfilment: { carriers: { 顺丰: { claimWindowDays: 45, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } }, note: '  双十一后延长退货期限 ' });
    expect(v2).toMatchObject({ status: 201, body: { version: 2, publishedBy: expect.stringMatching(/^admin:/), note: '双十一后延长退货期限' } });
    expect((await call('POST', path, keys().ADMIN, { rules: { inspectionHours: 72 } })).status).toBe(201);
    const history = await call('GET', path, keys().ADMIN);
    expect(history.body.items).toEqual([
      { version: 3, publishedAt: expect.stringMatching(/^\d{4}-/), publishedBy: v2.body.publishedBy, publisherLabel: 'development admin key', note: null, changed: ['rules.inspectionHours'] },
      { version: 2, publishedAt: expect.stringMatching(/^\d{4}-/), publishedBy: v2.body.publishedBy, publisherLabel: 'development admin key', note: '双十一后延长退货期限', changed: ['rules.noReasonReturnDays', 'businessHours.close', 'fulfilment.carriers.SF'] },
      { version: 1, publishedAt: expect.stringMatching(/^\d{4}-/), publishedBy: null, publisherLabel: null, note: null, changed: [] },
    ]);
    // Its supervisors read it too; another merchant's do not find it; a note must say something.
    expect((await call('GET', '/v1/admin/merchants/demo-merchant/policies', keys().SUPERVISOR)).status).toBe(200);
    expect((await call('GET', path, keys().SUPERVISOR)).status).toBe(404);
    expect(await call('POST', path, keys().ADMIN, { rules: { inspectionHours: 24 }, note: '   ' })).toMatchObject({ status: 400, body: { field: 'body.note' } });
    // A version stored before today's checks, which no longer passes them, is still listed.
    await db.policyVersion.update({ where: { merchantId_version: { merchantId: 'shop-h', version: 2 } }, data: { fulfilment: { smallAmountMaxMinor: -5 } } });
    const old = await call('GET', path, keys().ADMIN);
    expect(old.status).toBe(200);
    expect(old.body.items.map((i: { version: number; changed: string[] }) => [i.version, i.changed.includes('fulfilment.smallAmountMaxMinor')])).toEqual([[3, true], [2, true], [1, false]]);
  });

  it('the terms a case opens under come in one read: the newest version, its fulfilment rules, the return address', async () => {
    const repos = createRepositories(db);
    await call('PUT', '/v1/admin/merchants/shop-7', keys().ADMIN, { name: 'Shop Seven', defaultCurrency: 'CNY' });
    // No policy yet and no address: the defaults as version 1, no address.
    const first = await repos.openingTerms('shop-7');
    expect(first).toMatchObject({ policy: { version: 1 }, fulfilment: { version: 1 } });
    expect(first.returnAddress).toBeUndefined();
    await call('PUT', '/v1/admin/merchants/shop-7', keys().ADMIN, { name: 'Shop Seven', defaultCurrency: 'CNY', returnAddress: address });
    expect(await call('POST', '/v1/admin/merchants/shop-7/policies', keys().ADMIN, { rules: { noReasonReturnDays: 12 }, fulfilment: { smallAmountMaxMinor: 4_000 } })).toMatchObject({ status: 201, body: { version: 2 } });
    const second = await repos.openingTerms('shop-7');
    expect(second).toMatchObject({ policy: { version: 2, rules: { noReasonReturnDays: 12 } }, fulfilment: { version: 2, rules: { smallAmountMaxMinor: 4_000 } }, returnAddress: address });
  });

  it('fulfilment rules and carrier contracts are part of the version; a bad contract names its field', async () => {
    const published = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { fulfilment: { smallAmountMaxMinor: 5_000, carriers: { SF: { claimWindowDays: 60, followUpEveryDays: 5, escalateBeforeCloseDays: 10 } } } });
    expect(published).toMatchObject({ status: 201, body: { fulfilment: { smallAmountMaxMinor: 5_000, carriers: { SF: { claimWindowDays: 60 } }, warehouseTaskHours: 24 } } });
    const removed = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { fulfilment: { carriers: { SF: null } } });
    expect(removed.body.fulfilment.carriers).toEqual({});
    expect(removed.body.fulfilment.smallAmountMaxMinor).toBe(5_000); // carried over
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { fulfilment: { carriers: { SF: { claimWindowDays: 0, followUpEveryDays: 1, escalateBeforeCloseDays: 0 } } } })).toMatchObject({ status: 400, body: { field: 'body.fulfilment.carriers.SF.claimWindowDays' } });
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { fulfilment: { teleport: true } })).toMatchObject({ status: 400, body: { field: 'body.fulfilment.teleport' } });
    // A key that would have replaced the carriers' prototype is upper-cased like any other carrier's code (__PROTO__): a carrier of that name, not the prototype.
    const proto = JSON.parse('{"fulfilment":{"carriers":{"__proto__":{"claimWindowDays":3,"followUpEveryDays":1,"escalateBeforeCloseDays":1}}}}');
    const asProto = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, proto);
    expect(asProto).toMatchObject({ status: 201, body: { fulfilment: { carriers: { __PROTO__: { claimWindowDays: 3 } } } } });
    expect(Object.keys(asProto.body.fulfilment.carriers)).toEqual(['__PROTO__']);
    // A key that makes no code at all is refused.
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { fulfilment: { carriers: { 某快递: { claimWindowDays: 3, followUpEveryDays: 1, escalateBeforeCloseDays: 1 } } } })).toMatchObject({ status: 400, body: { field: 'body.fulfilment.carriers.某快递' } });
    // A change that changes nothing publishes no version.
    const versions = (await call('GET', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN)).body;
    for (const nothing of [{}, { rules: {} }, { fulfilment: { carriers: {} } }]) {
      expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, nothing)).toMatchObject({ status: 400, body: { field: 'body', message: expect.stringContaining('changes nothing') } });
    }
    expect((await call('GET', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN)).body).toEqual(versions);
  });

  it('an invalid change is a 400 naming the rule and publishes nothing; the same Idempotency-Key publishes once', async () => {
    const before = (await call('GET', '/v1/admin/merchants/demo-merchant/policy', keys().ADMIN)).body.version;
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { rules: { noReasonReturnDays: -1 } })).toMatchObject({ status: 400, body: { field: 'body.rules.noReasonReturnDays' } });
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { rules: { freeShippingForever: true } })).toMatchObject({ status: 400, body: { field: 'body.rules.freeShippingForever' } });
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { businessHours: { timeZone: 'Mars/Olympus' } })).toMatchObject({ status: 400, body: { field: 'body.businessHours.timeZone' } });
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, { rules: { returnArrivalChaseAfterDays: 30 } })).toMatchObject({ status: 400, body: { field: 'body.rules.returnArrivalChaseAfterDays' } });
    expect(await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().SUPERVISOR, { rules: { noReasonReturnDays: 8 } })).toMatchObject({ status: 403 });
    expect(await call('POST', '/v1/admin/merchants/nobody/policies', keys().ADMIN, { rules: {} })).toMatchObject({ status: 404 });
    expect((await call('GET', '/v1/admin/merchants/demo-merchant/policy', keys().ADMIN)).body.version).toBe(before);

    const change = { rules: { inspectionHours: 72 } };
    const first = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, change, { 'idempotency-key': 'publish-inspection-72' });
    const again = await call('POST', '/v1/admin/merchants/demo-merchant/policies', keys().ADMIN, change, { 'idempotency-key': 'publish-inspection-72' });
    expect(first).toMatchObject({ status: 201, body: { version: before + 1 } });
    expect({ status: again.status, body: again.body }).toEqual({ status: first.status, body: first.body });
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect((await call('GET', '/v1/admin/merchants/demo-merchant/policy', keys().ADMIN)).body.version).toBe(before + 1);
  });
});
