/**
 * The API contract as an integrator meets it, over real HTTP against the platform: who is refused
 * before anything is validated, what a bad request is told (every problem, unknown properties
 * named, enums with their values), the one answer of every command (the stage *after* it and
 * what the case waits for), request ids end to end, and the OpenAPI document that promises all of it.
 */
import { Client } from '@temporalio/client';
import { describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform({ COURIER_SECRETS: 'SF=sf-contract-secret' });
const DAY = 86_400_000;
let seq = 0;

function openReturnBody(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    customer: { id: `contract-cust-${++seq}`, locale: 'en' },
    order: {
      orderId: `contract-o-${seq}`,
      currency: 'CNY',
      items: [
        { sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3900, unitCostMinor: 1500 },
        { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 12800, unitCostMinor: 6000 },
      ],
      shippingFeeMinor: 800,
      paidTotalMinor: 21400,
      shippedAt: now - 3 * DAY,
      deliveredAt: now - DAY,
    },
    lines: [
      { sku: 'TEA', quantity: 1, reason: 'NO_REASON' },
      { sku: 'MUG', quantity: 2, reason: 'NO_REASON' },
    ],
    ...over,
  };
}

describe('who may call, checked before the body', () => {
  it('a request without a key is 401 whatever its body (even invalid JSON or fields)', async () => {
    for (const body of [{ nonsense: true }, openReturnBody(), '{not json']) {
      const r = await pt.call('POST', '/v1/returns', undefined, body);
      expect(r.status).toBe(401);
      expect(r.body).toMatchObject({ error: 'UNAUTHENTICATED', problems: [] });
    }
    expect((await pt.call('GET', '/v1/cases?limit=0', undefined)).status).toBe(401);
  });

  it('an unknown key is 401 and a key of another role 403, before validation', async () => {
    expect((await pt.call('POST', '/v1/returns', 'storefront_not-a-real-key', { nonsense: true })).status).toBe(401);
    const wrongRole = await pt.call('POST', '/v1/returns', pt.keys.WAREHOUSE, { nonsense: true });
    expect(wrongRole.status).toBe(403);
    expect(wrongRole.body.message).toContain('STOREFRONT');
  });

  it('a courier callback without a valid signature is 401 before its body is validated', async () => {
    const r = await pt.call('POST', '/v1/couriers/SF/events', undefined, { garbage: 1 });
    expect(r).toMatchObject({ status: 401, body: { error: 'BAD_SIGNATURE' } });
    const raw = JSON.stringify({ garbage: 1 });
    const signed = await pt.call('POST', '/v1/couriers/SF/events', undefined, raw, { 'x-signature': sign('sf-contract-secret', raw, Math.floor(Date.now() / 1000)) });
    expect(signed.status).toBe(400);
    expect(signed.body.problems.map((p: { field: string }) => p.field)).toEqual(expect.arrayContaining(['body.garbage', 'body.trackingNumber', 'body.eventId']));
  });
});

describe('a bad request is told everything at once', () => {
  it('one 400 lists every field: unknown properties by name, enums with their allowed values', async () => {
    const body = openReturnBody({ colour: 'red', lines: [{ sku: 'MUG', quantity: 0, reason: 'BORED' }] });
    (body.customer as Record<string, unknown>).locale = 'fr';
    const r = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, body);
    expect(r.status).toBe(400);
    expect(r.body.error).toBe('BAD_REQUEST');
    const byField = Object.fromEntries(r.body.problems.map((p: { field: string }) => [p.field, p]));
    expect(byField['body.colour']).toEqual({ field: 'body.colour', reason: 'is not an allowed property' });
    expect(byField['body.lines[0].quantity'].reason).toMatch(/>= 1/);
    expect(byField['body.lines[0].reason'].allowed).toEqual(['NO_REASON', 'DEFECTIVE', 'WRONG_ITEM', 'DAMAGED', 'NOT_AS_DESCRIBED', 'OTHER']);
    expect(byField['body.customer.locale'].allowed).toEqual(['zh-CN', 'en']);
    expect(r.body.problems).toHaveLength(4);
    expect(r.body.field).toBe(r.body.problems[0].field);
    expect(r.body.message).toMatch(/^4 problems: /);
  });

  it('an empty string is "must not be empty", not the validator\'s own words', async () => {
    const body = openReturnBody();
    (body.customer as Record<string, unknown>).id = '';
    const r = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, body);
    expect(r).toMatchObject({ status: 400, body: { problems: [{ field: 'body.customer.id', reason: 'must not be empty' }] } });
  });

  it('problems the domain finds are listed together too', async () => {
    const r = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturnBody({ lines: [{ sku: 'MUG', quantity: 5, reason: 'NO_REASON' }, { sku: 'KETTLE', quantity: 1, reason: 'NO_REASON' }] }));
    expect(r.status).toBe(400);
    expect(r.body.problems.map((p: { field: string }) => p.field)).toEqual(['body.lines[0].quantity', 'body.lines[1].sku']);
  });

  it('a malformed Idempotency-Key is a 400 naming the header', async () => {
    const r = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturnBody(), { 'idempotency-key': 'short' });
    expect(r).toMatchObject({ status: 400, body: { problems: [{ field: 'headers.idempotency-key' }] } });
  });
});

describe('the messages a case sent its customer', () => {
  it('read as the customer got them, in their language, with whether each went out; staff see failed sends too, another customer nothing', async () => {
    const customerId = `contract-msg-${seq}`;
    // Delivered a month ago, outside the no-reason window: an agent decides, so the opening's promise
    // of a solution is its first message (a return approved at once is told its approval instead).
    const body = openReturnBody({ customer: { id: customerId, locale: 'zh-CN' } });
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { ...body, order: { ...body.order, shippedAt: Date.now() - 32 * DAY, deliveredAt: Date.now() - 30 * DAY } });
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId })).body.token as string;
    const read = await waitUntil('the opening message, sent', async () => {
      const res = await pt.call('GET', `/v1/cases/${caseId}/messages`, token);
      return res.body.messages?.some((m: { template: string; status: string }) => m.template === 'caseOpenedSolutionBy' && m.status === 'SENT') ? res : undefined;
    });
    expect(read.status).toBe(200);
    const first = read.body.messages[0];
    expect(first).toMatchObject({ template: 'caseOpenedSolutionBy', locale: 'zh-CN', status: 'SENT', subject: expect.stringMatching(/\p{Script=Han}/u), text: expect.stringContaining(caseId) });
    // By when the solution comes, as the case's same-day deadline says it (not "today", which after hours it is not).
    expect(first.text).not.toContain('今天');
    expect(first.text).toMatch(/我们会在 .+ 前给出处理方案/);
    expect(first).not.toHaveProperty('lastError');
    expect((await pt.call('GET', `/v1/cases/${caseId}/messages`, pt.keys.AGENT)).body.messages[0]).toMatchObject({ template: 'caseOpenedSolutionBy', attempts: 0, lastError: null });
    const stranger = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: `${customerId}-other` })).body.token as string;
    expect((await pt.call('GET', `/v1/cases/${caseId}/messages`, stranger)).status).toBe(404);
  });
});

describe('every command answers with the stage after it and what the case waits for', () => {
  it('said as the case view says it to the sender: a zh-CN customer\'s storefront reads Chinese, staff English', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturnBody({ customer: { id: `contract-zh-${seq}`, locale: 'zh-CN' } }));
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    const shipped = await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: `SFZH${seq}0001` });
    expect(shipped.status).toBe(200);
    expect(shipped.body.waitingFor.what).toMatch(/\p{Script=Han}/u);
    expect(shipped.body.waitingFor.what).toBe((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.STOREFRONT)).body.waitingFor.what);
    // The same parcel again, by staff entering it for the customer: the case as it is, in English.
    const again = await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.AGENT, { carrier: 'SF', trackingNumber: `SFZH${seq}0001` });
    expect(again.status).toBe(200);
    expect(again.body.waitingFor.what).toBe((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.waitingFor.what);
    expect(again.body.waitingFor.what).not.toMatch(/\p{Script=Han}/u);
  });

  it('approving lines in another order, entering the shipment, scanning the arrival', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturnBody());
    expect(opened.status).toBe(201);
    const caseId = opened.body.caseId as string;
    const c = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect(c.waitingFor).toMatchObject({ party: 'CUSTOMER', command: `POST /v1/cases/${caseId}/return-shipment` });

    const shipped = await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: `SFC${seq}0001` });
    expect(shipped.status).toBe(200);
    expect(shipped.body).toEqual({
      caseId,
      stage: 'AWAITING_ARRIVAL',
      status: 'WAITING_WAREHOUSE',
      late: false,
      waitingFor: { party: 'WAREHOUSE', command: 'POST /v1/warehouse/arrivals', what: expect.any(String), deadlineAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) },
    });
    expect(Date.parse(shipped.body.waitingFor.deadlineAt)).toBeGreaterThan(Date.now());

    const scanned = await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: `SFC${seq}0001`, scannedBy: 'dock-1' });
    expect(scanned.status).toBe(202);
    expect(Object.keys(scanned.body).sort()).toEqual(['caseId', 'late', 'stage', 'status', 'waitingFor']);

    // A command at the wrong stage: 409 with the workflow's reason, in the same error shape.
    const again = await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, pt.keys.STOREFRONT, { carrier: 'SF', trackingNumber: `SFC${seq}0002` });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'WRONG_STATE', problems: [] });
  });
});

describe('request ids', () => {
  it('every answer carries one; a sane one sent is kept, a strange one replaced', async () => {
    const mine = await pt.call('GET', '/health', undefined, undefined, { 'x-request-id': 'trace-abc.123' });
    expect(mine.headers.get('x-request-id')).toBe('trace-abc.123');
    const strange = await pt.call('GET', '/health', undefined, undefined, { 'x-request-id': 'bad id with spaces' });
    expect(strange.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const error = await pt.call('GET', '/v1/cases/nope', undefined);
    expect(error.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('travels into the workflow history of the case the request opened', async () => {
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, openReturnBody(), { 'x-request-id': `open-return-${seq}` });
    expect(opened.status).toBe(201);
    const history = await new Client({ connection: pt.temporal }).workflow.getHandle(opened.body.workflowId).fetchHistory();
    const started = history.events![0]!.workflowExecutionStartedEventAttributes!;
    const header = started.header?.fields?.['request-id'];
    expect(header && Buffer.from(header.data!).toString()).toBe(JSON.stringify(`open-return-${seq}`));
  });
});

describe('the OpenAPI document', () => {
  it('gives every operation its real success answer, the error shape, roles, and the Idempotency-Key rules', async () => {
    const doc = (await pt.call('GET', '/docs/json', undefined)).body;
    expect(doc.components.schemas.Error.properties.problems).toBeDefined();
    expect(doc.components.securitySchemes.courierSignature).toMatchObject({ type: 'apiKey', in: 'header', name: 'X-Signature' });
    const missing: string[] = [];
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      if (path.startsWith('/docs')) continue;
      for (const [method, op] of Object.entries<any>(ops)) {
        const where = `${method.toUpperCase()} ${path}`;
        const success = Object.keys(op.responses).filter((s) => s.startsWith('2'));
        if (!success.length || success.some((s) => op.responses[s].description === 'Default Response' || !op.responses[s].content)) missing.push(`${where}: no documented success answer`);
        if (path.startsWith('/v1/') && !op.responses['400']?.content?.['application/json']?.schema) missing.push(`${where}: no error schema`);
        if (method === 'post' && path.startsWith('/v1/') && !op.parameters?.some((p: any) => p.in === 'header' && p.name === 'idempotency-key')) missing.push(`${where}: no Idempotency-Key`);
        // A body too large or not JSON is refused on every call that takes one (an integrator found PUTs without them).
        if (['post', 'put', 'patch'].includes(method) && path.startsWith('/v1/') && !(op.responses['413'] && op.responses['415'])) missing.push(`${where}: 413 or 415 not documented`);
        if (path.startsWith('/v1/couriers/') && op.security?.[0]?.courierSignature === undefined) missing.push(`${where}: not signed`);
        if (path.startsWith('/v1/') && !path.startsWith('/v1/couriers/') && !/\*\*Roles:\*\*/.test(op.description ?? '')) missing.push(`${where}: roles not documented`);
        // An opening says who acts next and with which command, not only who may open it (an integrator read "Roles: STOREFRONT." alone).
        if (method === 'post' && !path.includes('{') && op.responses['201']?.content?.['application/json']?.schema?.properties?.caseId && !/`POST …\/|`GET \/v1\/cases\/\{caseId\}`/.test(op.description ?? '')) missing.push(`${where}: an opening that does not say what happens next`);
      }
    }
    expect(missing).toEqual([]);
    expect(Object.keys(doc.paths['/v1/returns'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '422']));
    expect(doc.paths['/v1/cases/{caseId}/return-shipment'].post.responses['200'].content['application/json'].schema.properties.waitingFor).toBeDefined();
    expect(doc.paths['/v1/warehouse/arrivals'].post.responses['202']).toBeDefined();
    // Parcel identifiers are normalised before they are checked ("顺丰", "sf 1400 0000 0009"): the page names the
    // pattern instead of requiring it, so a client validating against it takes what the server takes.
    const shipment = doc.paths['/v1/cases/{caseId}/return-shipment'].post.requestBody.content['application/json'].schema.properties;
    for (const field of ['carrier', 'trackingNumber']) {
      expect(shipment[field].pattern, field).toBeUndefined();
      expect(shipment[field].maxLength, field).toBeUndefined();
      expect(shipment[field].description, field).toMatch(/Checked against \^\[A-Z0-9.*once normalised/);
    }
  });
});
