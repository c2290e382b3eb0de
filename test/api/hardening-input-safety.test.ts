/**
 * Poison input: a NUL byte or a lone UTF-16 surrogate in a string makes Postgres fail (a 500) or,
 * once a workflow has accepted it, sticks the case. The API refuses such strings at the edge — in
 * the JSON body (values and property names, however deep), the querystring, the path parameters
 * and the stored headers — with a 400 naming the field, before anything is written.
 *
 * The app is built with buildApp on a test database; its Temporal connection is lazy and points
 * nowhere, so a request that got past the edge would fail there instead of being refused.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { buildApp } from '../../api/app.js';
import { minorUnitsReason } from '../../api/validation-problems.js';
import { createRepositories, type Repositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let repos: Repositories;
let app: FastifyInstance;
let connection: Connection;
let storefront: string;
let agent: string;
const REASON = 'must not contain NUL or unpaired surrogate characters';
const RETURN_ADDRESS = { name: 'Returns', phone: '+86 571 0000 0000', address: 'Gate 1, Hangzhou' };

beforeAll(async () => {
  t = await openTestDatabase();
  repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-poison', 'Shop', 'CNY', RETURN_ADDRESS);
  storefront = (await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-poison', label: 'storefront' })).key;
  agent = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-poison', label: 'agent' })).key;
  await t.prisma.case.create({
    data: { id: 'case-p1', merchantId: 'shop-poison', type: 'RETURN_AND_REFUND', stage: 'AWAITING_RETURN_SHIPMENT', orderId: 'o1', orderSnapshot: {}, request: {}, customerId: 'cust-1', currency: 'CNY', policyVersion: 1, workflowId: 'wf-case-p1' },
  });
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: { SF: 'sf-poison-secret-1' } });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

/** Sends `json` as the exact body text (so `\\ud800` arrives as JSON's escape of a lone surrogate). */
async function post(url: string, key: string, json: string, headers: Record<string, string> = {}) {
  const res = await app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers }, payload: json });
  return { status: res.statusCode, body: res.json() as { error: string; message: string; field?: string; problems: Array<{ field: string; reason: string }> } };
}

describe('order times', () => {
  it('a delivery in the future is refused with its field before anything is written (it would count as inside every window)', async () => {
    const before = await written();
    const res = await post('/v1/returns', storefront, openReturn('cust-future', 'MUG-01', `,"deliveredAt":${Date.now() + 3 * 86_400_000}`));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('body.order.deliveredAt');
    expect(res.body.problems[0]!.reason).toMatch(/^is in the future/);
    expect(await written()).toEqual(before);
  });

  it('a time before 2000 is a 400 naming it, also one before any date (-1e16: naming its date threw, a 500)', async () => {
    for (const promisedShipBy of [-1e16, 1796334904]) {
      const body = `{"customer":{"id":"c-time","locale":"en"},"order":{"orderId":"SO-t","currency":"CNY","items":[{"sku":"MUG-01","name":"Mug","quantity":1,"unitPriceMinor":3900,"unitCostMinor":1500}],"shippingFeeMinor":0,"paidTotalMinor":3900},"promisedShipBy":${promisedShipBy},"recipientName":"王芳"}`;
      const res = await post('/v1/tracking-inquiries', storefront, body);
      expect(res, String(promisedShipBy)).toMatchObject({ status: 400, body: { field: 'body.promisedShipBy', problems: [{ field: 'body.promisedShipBy', reason: expect.stringMatching(/^reads as .+: send epoch milliseconds, of a time since 2000/) }] } });
    }
  });

  it('a future delivery and a line the order lacks are named in the same answer', async () => {
    const body = openReturn('cust-future-2', 'MUG-01', `,"deliveredAt":${Date.now() + 3 * 86_400_000}`).replace('"lines":[{"sku":"MUG-01"', '"lines":[{"sku":"NOPE"');
    const res = await post('/v1/returns', storefront, body);
    expect(res.status).toBe(400);
    expect(res.body.problems.map((p) => p.field)).toEqual(['body.lines[0].sku', 'body.order.deliveredAt']);
  });
});

describe('amounts and times a shop never has (an adversarial trial found each a 500 or money paid out)', () => {
  const order = (items: string, totals: string) => `{"customer":{"id":"cust-big","locale":"zh-CN"},"order":{"orderId":"SO-big","currency":"CNY","items":[${items}],${totals}},"lines":[{"sku":"MUG-01","quantity":1,"reason":"DEFECTIVE"}]}`;
  const mug = (quantity: number, unitPriceMinor: number) => `{"sku":"MUG-01","name":"Mug","quantity":${quantity},"unitPriceMinor":${unitPriceMinor},"unitCostMinor":1}`;

  it('a paid total above the goods and shipping: 400 (every refund is capped at it), nothing written', async () => {
    const before = await written();
    const res = await post('/v1/returns', storefront, order(mug(1, 3000), '"shippingFeeMinor":500,"paidTotalMinor":900000'));
    expect(res).toMatchObject({ status: 400, body: { field: 'body.order.paidTotalMinor', problems: [{ field: 'body.order.paidTotalMinor', reason: expect.stringContaining('(3500)') }] } });
    expect(await written()).toEqual(before);
  });

  it('goods worth more than any order, or an amount past the bound: 400 naming the field', async () => {
    const total = await post('/v1/returns', storefront, order(mug(1_000_000, 9_000_000_000), '"shippingFeeMinor":0,"paidTotalMinor":0'));
    expect(total).toMatchObject({ status: 400, body: { field: 'body.order.items' } });
    const price = await post('/v1/returns', storefront, order(mug(1, 9_007_199_254_740_991), '"shippingFeeMinor":0,"paidTotalMinor":0'));
    expect(price).toMatchObject({ status: 400, body: { field: 'body.order.items[0].unitPriceMinor' } });
  });

  it('a time past the year 2999 (8640000000000001 is not a date): 400, not a crash formatting it', async () => {
    const res = await post('/v1/returns', storefront, openReturn('cust-late', 'MUG-01', ',"shippedAt":8640000000000001'));
    expect(res).toMatchObject({ status: 400, body: { field: 'body.order.shippedAt' } });
    // A promise to ship then would have stuck the inquiry's workflow formatting its deadline.
    const inquiry = await post('/v1/tracking-inquiries', storefront, '{"customer":{"id":"c","locale":"en"},"order":{"orderId":"o","currency":"CNY","items":[{"sku":"M","name":"m","quantity":1,"unitPriceMinor":100,"unitCostMinor":1}],"shippingFeeMinor":0,"paidTotalMinor":100},"promisedShipBy":8640000000000001,"recipientName":"x"}');
    expect(inquiry.status).toBe(400);
    expect(inquiry.body.problems.map((p) => p.field)).toContain('body.promisedShipBy');
  });

  it('a date of the year 0000 in the figures, the register and the budgets: 400 saying which years', async () => {
    const supervisor = (await repos.createCredential({ role: 'SUPERVISOR', merchantId: 'shop-poison', label: 'sup' })).key;
    for (const url of ['/v1/figures?from=0000-01-01&to=0000-02-01', '/v1/register?from=0000-01-01', '/v1/costs?period=0000-01']) {
      const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${supervisor}` } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().problems[0].reason, url).toMatch(/years 1970–2999/);
    }
  });

  it('JSON nested deeper than any body needs: 400 naming where, with an Idempotency-Key too (its hash recursed: a 500)', async () => {
    const supervisor = (await repos.createCredential({ role: 'SUPERVISOR', merchantId: 'shop-poison', label: 'sup-deep' })).key;
    const before = await written();
    for (const depth of [200_000, 40]) {
      const deep = `{"from":"2026-11-01T00:00:00Z","to":"2026-11-20T00:00:00Z","changes":{"rules":{"x":${'['.repeat(depth)}${']'.repeat(depth)}}}}`;
      const res = await post('/v1/admin/merchants/shop-poison/policy-simulations', supervisor, deep, { 'idempotency-key': `deep-nest-${depth}` });
      expect(res, String(depth)).toMatchObject({ status: 400, body: { problems: [{ reason: 'is nested more than 32 levels deep' }] } });
      expect(res.body.field).toMatch(/^body\.changes\.rules\.x(\[0\])+$/);
    }
    expect(await written()).toEqual(before);
  });

  it('a text of invisible characters only (zero-width space, joiners) is blank', async () => {
    const res = await post('/v1/cases/case-p1/notes', agent, '{"text":"\\u200b\\u200d\\u2060"}');
    expect(res).toMatchObject({ status: 400, body: { field: 'body.text', problems: [{ field: 'body.text', reason: 'must not be blank' }] } });
  });
});

const written = async () => ({
  cases: await t.prisma.case.count(),
  events: await t.prisma.caseEvent.count(),
  idempotency: await t.prisma.idempotencyRecord.count(),
});

function openReturn(customerId: string, sku = 'MUG-01', extra = '') {
  return `{"customer":{"id":"${customerId}","locale":"zh-CN"},"order":{"orderId":"SO-1","currency":"CNY","items":[{"sku":"${sku}","name":"Mug","quantity":1,"unitPriceMinor":3900,"unitCostMinor":1500}],"shippingFeeMinor":0,"paidTotalMinor":3900${extra}},"lines":[{"sku":"${sku}","quantity":1,"reason":"DEFECTIVE"}]}`;
}

describe('bidirectional control characters are refused at the edge', () => {
  it('an id that would show as another ("f\\u202e1") is a 400 naming the field and why, nothing written; a key of one too, escaped', async () => {
    const before = await written();
    const res = await post('/v1/returns', storefront, openReturn('cust-\\u202e1'));
    expect(res).toMatchObject({ status: 400, body: { field: 'body.customer.id', problems: [{ field: 'body.customer.id', reason: expect.stringMatching(/^must not contain bidirectional control characters/) }] } });
    for (const bidi of ['\\u202a', '\\u202d', '\\u2066', '\\u2069']) expect((await post('/v1/returns', storefront, openReturn(`cust-${bidi}1`))).status, bidi).toBe(400);
    const key = await post('/v1/returns', storefront, openReturn('cust-2').replace('"lines":', '"x\\u202e":1,"lines":'));
    expect(key.body.problems).toEqual([{ field: 'body.x\\u202e', reason: expect.stringMatching(/^property name must not contain bidirectional control characters/) }]);
    // The bidi marks too (RLM, LRM, ALM).
    for (const mark of ['\\u200f', '\\u200e', '\\u061c']) expect((await post('/v1/returns', storefront, openReturn(`cust-${mark}1`))).status, mark).toBe(400);
    expect(await written()).toEqual(before);
  });

  it('an id holding a character that shows as nothing is refused (another customer that reads the same); a text may hold one (an emoji joiner)', async () => {
    const before = await written();
    for (const invisible of ['\\u200b', '\\u00ad', '\\ufeff', '\\u2028', '\\u2060']) {
      const res = await post('/v1/returns', storefront, openReturn(`cust-${invisible}x`));
      expect(res, invisible).toMatchObject({ status: 400, body: { field: 'body.customer.id', problems: [{ reason: expect.stringMatching(/^must not contain characters that show as nothing/) }] } });
    }
    expect((await post('/v1/returns', storefront, openReturn('cust-1', 'MUG-\\u200b01'))).body.problems).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'body.order.items[0].sku' }), expect.objectContaining({ field: 'body.lines[0].sku' })]));
    expect(await written()).toEqual(before);
    const note = await post('/v1/cases/case-p1/notes', agent, '{"text":"家人 \\ud83d\\udc68\\u200d\\ud83d\\udc69 都在等"}');
    expect(note.status).toBe(201);
  });
});

describe('strings with NUL or lone surrogates are refused at the edge', () => {
  it('opening a return: a NUL or a lone surrogate anywhere in the body is a 400 naming the field, and no case is written', async () => {
    const before = await written();
    const nul = await post('/v1/returns', storefront, openReturn('cust\\u0000-1'));
    expect(nul).toEqual({ status: 400, body: { error: 'BAD_REQUEST', message: `body.customer.id: ${REASON}`, field: 'body.customer.id', problems: [{ field: 'body.customer.id', reason: REASON }] } });

    const high = await post('/v1/returns', storefront, openReturn('cust-1', 'MUG-\\ud800'));
    expect(high.status).toBe(400);
    expect(high.body.problems).toEqual([
      { field: 'body.order.items[0].sku', reason: REASON },
      { field: 'body.lines[0].sku', reason: REASON },
    ]);
    const low = await post('/v1/returns', storefront, openReturn('cust-1', 'MUG-\\udc00x'));
    expect(low.body.field).toBe('body.order.items[0].sku');
    // A property name counts too (shown escaped, never raw).
    const key = await post('/v1/returns', storefront, openReturn('cust-1', 'MUG-01', ',"note\\u0000":"x"'));
    expect(key.status).toBe(400);
    expect(key.body.problems).toEqual([{ field: 'body.order.note\\u0000', reason: `property name ${REASON}` }]);
    expect(key.body.message).not.toContain('\u0000');
    expect(await written()).toEqual(before);
  });

  it('a proper surrogate pair (an emoji) is fine', async () => {
    // Reaches the route (and fails later, at the order check): the edge does not refuse it.
    const ok = await post('/v1/returns', storefront, openReturn('cust-\\ud83d\\ude00', 'MUG-01', '').replace('"quantity":1,"reason"', '"quantity":9,"reason"'));
    expect(ok.status).toBe(400);
    expect(ok.body.problems.some((p) => p.reason === REASON)).toBe(false);
  });

  it('a case command (return shipment): 400 naming body.carrier, the workflow is never asked', async () => {
    const before = await written();
    for (const carrier of ['S\\u0000F', '\\ud800SF']) {
      const res = await post('/v1/cases/case-p1/return-shipment', storefront, `{"carrier":"${carrier}","trackingNumber":"SF1234567890"}`);
      expect(res).toEqual({ status: 400, body: { error: 'BAD_REQUEST', message: `body.carrier: ${REASON}`, field: 'body.carrier', problems: [{ field: 'body.carrier', reason: REASON }] } });
    }
    expect(await written()).toEqual(before);
  });

  it('a note: 400, nothing stored (not even a replacement character)', async () => {
    const before = await written();
    for (const text of ['called the customer \\u0000', 'called \\udfff the customer']) {
      const res = await post('/v1/cases/case-p1/notes', agent, JSON.stringify({ text: 'x' }).replace('"x"', `"${text}"`));
      expect(res.status).toBe(400);
      expect(res.body.field).toBe('body.text');
    }
    expect(await written()).toEqual(before);
    // The same note without poison is written.
    expect((await post('/v1/cases/case-p1/notes', agent, '{"text":"called the customer"}')).status).toBe(201);
  });

  it('a querystring and a path parameter: 400 naming querystring.… and params.…', async () => {
    const query = await app.inject({ method: 'GET', url: '/v1/cases?customerId=cust%00-1', headers: { authorization: `Bearer ${agent}` } });
    expect(query.statusCode).toBe(400);
    expect(query.json()).toMatchObject({ field: 'querystring.customerId', problems: [{ field: 'querystring.customerId', reason: REASON }] });
    const param = await app.inject({ method: 'POST', url: '/v1/cases/case%00p1/notes', headers: { authorization: `Bearer ${agent}`, 'content-type': 'application/json' }, payload: '{"text":"hello"}' });
    expect(param.statusCode).toBe(400);
    expect(param.json()).toMatchObject({ field: 'params.caseId', problems: [{ field: 'params.caseId', reason: REASON }] });
  });

  it('a number too large to be one (1e309 → Infinity) is a 400, in a querystring or a body (found by the fuzz test)', async () => {
    const query = await app.inject({ method: 'GET', url: '/v1/warehouse/tasks?limit=1e309', headers: { authorization: `Bearer ${agent}` } });
    expect(query.statusCode).toBe(403); // agents have no warehouse list: the role comes first
    const listed = await app.inject({ method: 'GET', url: '/v1/cases?limit=1e309', headers: { authorization: `Bearer ${agent}` } });
    expect(listed.statusCode).toBe(400);
    expect(listed.json()).toMatchObject({ field: 'querystring.limit', problems: [{ field: 'querystring.limit', reason: 'must be a finite number' }] });
    const body = await post('/v1/cases/case-p1/notes', agent, '{"text":"ok","n":1e309}');
    expect(body.status).toBe(400);
    expect(body.body.problems).toContainEqual({ field: 'body.n', reason: 'must be a finite number' });
  });

  it('an Idempotency-Key with NUL is a 400 before anything is stored', async () => {
    const before = await written();
    const res = await post('/v1/cases/case-p1/notes', agent, '{"text":"with a key"}', { 'idempotency-key': 'key-\u0000-12345' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ field: 'headers.idempotency-key', problems: [{ field: 'headers.idempotency-key', reason: REASON }] });
    expect(await written()).toEqual(before);
  });

  it('authentication still comes first: no key, 401 whatever the body holds', async () => {
    const res = await app.inject({ method: 'POST', url: '/v1/cases/case-p1/notes', headers: { 'content-type': 'application/json' }, payload: '{"text":"\\u0000"}' });
    expect(res.statusCode).toBe(401);
  });

  it('a courier callback: the signature is checked first (401), then a signed NUL is a 400', async () => {
    const body = `{"trackingNumber":"SF\\u0000123456","code":"IN_TRANSIT","at":${Date.now()},"eventId":"e-1"}`;
    const send = (signature: string) => app.inject({ method: 'POST', url: '/v1/couriers/SF/events', headers: { 'content-type': 'application/json', 'x-signature': signature }, payload: body });
    expect((await send('t=1,v1=00')).statusCode).toBe(401);
    const signed = await send(sign('sf-poison-secret-1', body, Math.floor(Date.now() / 1000)));
    expect(signed.statusCode).toBe(400);
    expect(signed.json()).toMatchObject({ field: 'body.trackingNumber', problems: [{ field: 'body.trackingNumber', reason: REASON }] });
  });
});

describe('a body that is not JSON by its content type', () => {
  it('is a 415 naming the header and saying bodies are JSON, with or without a content type', async () => {
    const missing = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}` }, payload: Buffer.from('{}') });
    expect(missing.statusCode).toBe(415);
    expect(missing.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', field: 'headers.content-type', problems: [{ field: 'headers.content-type', reason: expect.stringMatching(/missing: bodies are JSON/) }] });
    const text = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'application/xml' }, payload: '<return/>' });
    expect(text.statusCode).toBe(415);
    expect(text.json().message).toBe('headers.content-type: is application/xml: bodies are JSON (application/json)');
    // JSON sent as text/plain too: it had reached the schema as a string ("body: must be object").
    const plain = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'text/plain' }, payload: '{}' });
    expect(plain.statusCode).toBe(415);
    expect(plain.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', field: 'headers.content-type' });
  });

  it('a body in another encoding than UTF-8 is refused, not stored garbled: a charset named is a 415, bytes that are no UTF-8 a 400', async () => {
    const gbk = Buffer.from([0x7b, 0x22, 0x6b, 0x22, 0x3a, 0x22, 0xd5, 0xd5, 0xc6, 0xac, 0x22, 0x7d]); // {"k":"照片"} in GBK
    const named = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'application/json; charset=gbk' }, payload: gbk });
    expect(named.statusCode).toBe(415);
    expect(named.json()).toMatchObject({ error: 'UNSUPPORTED_MEDIA_TYPE', field: 'headers.content-type', message: expect.stringContaining('charset gbk') });
    const unnamed = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'application/json' }, payload: gbk });
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json()).toMatchObject({ error: 'BAD_REQUEST', field: 'body', message: expect.stringContaining('not valid UTF-8') });
    // UTF-8, named or not, with Chinese in it: read (the schema then speaks about the fields).
    for (const contentType of ['application/json; charset=utf-8', 'application/json; charset="UTF-8"', 'application/json']) {
      const utf8 = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': contentType }, payload: Buffer.from('{"k":"照片"}') });
      expect(utf8.statusCode, contentType).toBe(400);
      expect(utf8.json().problems.map((p: { field: string }) => p.field)).not.toContain('body');
    }
  });

  it('a field sent twice in one object is a 400 naming it, wherever it is: JSON.parse kept the last and opened the case for the second customer', async () => {
    const post = (payload: string) => app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'application/json' }, payload });
    const twice = await post('{"customer":{"id":"c","locale":"en"},"customer":{"id":"d","locale":"en"}}');
    expect(twice.statusCode).toBe(400);
    expect(twice.json()).toMatchObject({ error: 'BAD_REQUEST', field: 'body.customer', message: expect.stringContaining('appears twice') });
    // Spelled otherwise, still one key; deep in an array too.
    expect((await post('{"lines":[{"sku":"A"},{"sku":"B","\\u0073ku":"C"}]}')).json()).toMatchObject({ field: 'body.lines[1].sku' });
    // The same key in two objects, or as a value, is no repeat: the schema speaks about the fields.
    const fine = await post('{"customer":{"id":"customer"},"order":{"id":"x","items":[{"id":1},{"id":2}]}}');
    expect(fine.statusCode).toBe(400);
    expect(fine.json().problems.map((p: { reason: string }) => p.reason).join()).not.toContain('appears twice');
  });

  it('a body over 1 MiB is a 413 naming the body; a path segment over 100 characters a 414 that does not repeat it', async () => {
    const big = await app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${storefront}`, 'content-type': 'application/json' }, payload: `{"x":"${'a'.repeat(1_100_000)}"}` });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ error: 'PAYLOAD_TOO_LARGE', field: 'body' });
    const long = await app.inject({ method: 'GET', url: `/v1/cases/${'a'.repeat(300)}`, headers: { authorization: `Bearer ${agent}` } });
    expect(long.statusCode).toBe(414);
    expect(long.json()).toMatchObject({ error: 'URI_TOO_LONG', field: 'url' });
    expect(long.body).not.toContain('a'.repeat(150));
  });
});

describe('a JSON body means what it says', () => {
  it('a value of the wrong type is refused, not converted: a quantity "2", a customer id 5, items "no"', async () => {
    const before = await written();
    const quantity = await post('/v1/returns', storefront, openReturn('cust-types').replace('"lines":[{"sku":"MUG-01","quantity":1', '"lines":[{"sku":"MUG-01","quantity":"1"'));
    expect(quantity.status).toBe(400);
    expect(quantity.body.problems).toEqual([{ field: 'body.lines[0].quantity', reason: 'must be integer' }]);
    // An amount in yuan where fen are meant: said in those words, with the amount it likely meant.
    const yuan = await post('/v1/returns', storefront, openReturn('cust-types').replace(/"unitPriceMinor":\d+/, '"unitPriceMinor":39.9'));
    expect(yuan.body.problems).toEqual([{ field: 'body.order.items[0].unitPriceMinor', reason: "must be a whole number of minor units, got 39.9 (amounts are in the currency's smallest unit, fen or cents: 39.9 yuan is 3990)" }]);
    // Three decimals are no amount in yuan either: said without the example.
    expect(minorUnitsReason(39.905)).toBe("must be a whole number of minor units, got 39.905 (amounts are in the currency's smallest unit, fen or cents)");
    const id = await post('/v1/returns', storefront, openReturn('cust-types').replace('"id":"cust-types"', '"id":5'));
    expect(id.body.problems).toEqual([{ field: 'body.customer.id', reason: 'must be string' }]);
    const items = await post('/v1/returns', storefront, openReturn('cust-types').replace(/"items":\[[^\]]*\]/, '"items":"no"'));
    expect(items.body.problems).toEqual([{ field: 'body.order.items', reason: 'must be array' }]);
    expect(await written()).toEqual(before);
  });

  it('a query string is text: ?limit=5 is still the number 5', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/cases?open=true&limit=5', headers: { authorization: `Bearer ${agent}` } });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/v1/cases?limit=five', headers: { authorization: `Bearer ${agent}` } })).json().field).toBe('querystring.limit');
  });

  it('evidence links are http or https: a javascript: or data: URL is refused with its field', async () => {
    for (const url of ['javascript:alert(document.domain)', 'data:text/html,<script>1</script>', 'ftp://files.example.com/a.jpg']) {
      const res = await post('/v1/cases/case-p1/evidence', storefront, JSON.stringify({ urls: ['https://evidence.example.com/ok.jpg', url] }));
      expect(res.status, url).toBe(400);
      expect(res.body.field, url).toBe('body.urls[1]');
      // One problem, in the rule's words (its format and its scheme both fail: said once).
      expect(res.body.problems, url).toEqual([{ field: 'body.urls[1]', reason: 'must be an http(s) URL' }]);
    }
    // A link with a space in its file name: said so, with what to send instead.
    const spaced = await post('/v1/cases/case-p1/evidence', storefront, JSON.stringify({ urls: ['https://evidence.example.com/a b.jpg'] }));
    expect(spaced).toMatchObject({ status: 400, body: { field: 'body.urls[0]' } });
    expect(spaced.body.problems[0].reason).toMatch(/^must be an http\(s\) URL without spaces.*: it has a space \(percent-encode it: a space is %20\)$/);
    // A kind left empty (or blank) says nothing of the files: refused, as empty text is elsewhere.
    for (const kind of ['', '   ']) {
      expect(await post('/v1/cases/case-p1/evidence', storefront, JSON.stringify({ urls: ['https://evidence.example.com/ok.jpg'], kind }))).toMatchObject({ status: 400, body: { field: 'body.kind' } });
    }
    const opening = await post('/v1/returns', storefront, openReturn('cust-links').replace('"lines":', '"evidenceUrls":["javascript:alert(1)"],"lines":'));
    expect(opening.body.field).toBe('body.evidenceUrls[0]');
    expect(await t.prisma.evidence.count({ where: { url: { startsWith: 'javascript:' } } })).toBe(0);
  });

  it('a link with Chinese characters in its path is taken as sent; one with a space is refused with its field', async () => {
    const chinese = 'https://img.shop.example.cn/售后/开箱视频.mp4';
    expect(await post('/v1/cases/case-p1/evidence', storefront, JSON.stringify({ urls: [chinese] }))).toMatchObject({ status: 201, body: { added: 1 } });
    expect(await t.prisma.evidence.findFirst({ where: { caseId: 'case-p1', url: chinese } })).toMatchObject({ kind: 'video' });
    const spaced = await post('/v1/cases/case-p1/evidence', storefront, JSON.stringify({ urls: ['https://img.shop.example.cn/售后/开箱 视频.mp4'] }));
    expect(spaced).toMatchObject({ status: 400, body: { field: 'body.urls[0]' } });
  });
});

describe('a path that cannot be decoded', () => {
  it('is a 400 in the API’s error shape, naming the URL', async () => {
    const res = await app.inject({ method: 'GET', url: '/v1/cases/%00%ff..%2F', headers: { authorization: `Bearer ${agent}` } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'BAD_REQUEST', message: 'url: is not a valid URL path (a % not followed by two hex digits of UTF-8)', field: 'url', problems: [{ field: 'url', reason: 'is not a valid URL path (a % not followed by two hex digits of UTF-8)' }] });
  });
});

describe("the schema's own rules, in words a client acts on", () => {
  it('a currency, an empty list, a reference and a case id say what they must be, not which pattern failed', async () => {
    const res = await post('/v1/returns', storefront, openReturn('cust-words').replace('"currency":"CNY"', '"currency":"cny"').replace(/"lines":\[.*\]\}$/, '"lines":[],"reference":"售后-1"}'));
    expect(res.status).toBe(400);
    expect(res.body.problems).toEqual(
      expect.arrayContaining([
        { field: 'body.order.currency', reason: 'must be a currency code of three capital letters (ISO 4217), such as CNY or USD' },
        { field: 'body.lines', reason: 'must not be empty' },
        { field: 'body.reference', reason: 'must be 6–64 of the letters A–Z and a–z, digits, _ and - (such as your order or ticket number)' },
      ]),
    );
    expect(JSON.stringify(res.body)).not.toMatch(/must match pattern|must NOT have/);
    const badId = await app.inject({ method: 'GET', url: '/v1/cases/a.b', headers: { authorization: `Bearer ${agent}` } });
    expect(badId.json()).toMatchObject({ field: 'params.caseId', problems: [{ field: 'params.caseId', reason: 'must be 1–64 of the letters A–Z and a–z, digits, _ and - (an id as the platform gives it)' }] });
  });
});
