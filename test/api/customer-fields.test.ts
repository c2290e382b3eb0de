/**
 * The customer as storefronts send it (api/customer-fields.ts): a language tag in any case or with
 * more detail is the language it names (Traditional Chinese and other languages are refused, naming
 * the field and the two the API takes); an id padded with spaces is the id.
 */
import { Client, Connection } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../api/app.js';
import { customerLocaleOf } from '../../api/customer-fields.js';
import { createRepositories } from '../../db/repositories.js';
import { openTestDatabase } from '../../db/test-database.js';

let t: Awaited<ReturnType<typeof openTestDatabase>>;
let connection: Connection;
let app: FastifyInstance;
let key: string;

beforeAll(async () => {
  t = await openTestDatabase();
  const repos = createRepositories(t.prisma);
  await repos.ensureMerchant('shop-locale', 'Shop');
  key = (await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-locale', label: 'storefront' })).key;
  connection = Connection.lazy({ address: '127.0.0.1:1' });
  app = await buildApp({ repos, temporal: new Client({ connection }), courierSecrets: {} });
});

afterAll(async () => {
  await app?.close();
  await connection?.close();
  await t?.drop();
});

describe('the customer’s language', () => {
  it('takes a tag of Simplified Chinese or English in any case and detail for zh-CN or en', () => {
    for (const tag of ['zh-CN', 'zh-cn', 'ZH-CN', 'zh', 'zh-Hans', 'zh-Hans-CN', 'zh_CN', ' zh-SG ']) expect(customerLocaleOf(tag), tag).toBe('zh-CN');
    for (const tag of ['en', 'EN', 'en-US', 'en-gb', 'en_GB', 'en-Latn-US']) expect(customerLocaleOf(tag), tag).toBe('en');
    for (const tag of ['zh-TW', 'zh-Hant', 'zh-Hant-HK', 'ja-JP', 'english', '']) expect(customerLocaleOf(tag), tag).toBe(tag);
  });

  it('takes a customer id padded with spaces for the id: a token issued so lists that customer’s cases', async () => {
    const issued = await app.inject({ method: 'POST', url: '/v1/customer-tokens', headers: { authorization: `Bearer ${key}` }, payload: { customerId: ' cust-padded ' } });
    expect(issued.statusCode).toBe(201);
    expect(issued.json()).toMatchObject({ customerId: 'cust-padded' });
    const listed = await app.inject({ method: 'GET', url: '/v1/customer-tokens?customerId=%20cust-padded', headers: { authorization: `Bearer ${key}` } });
    expect(listed.json()).toMatchObject({ customerId: 'cust-padded', items: [expect.objectContaining({ tokenId: issued.json().tokenId })] });
    expect((await app.inject({ method: 'POST', url: '/v1/customer-tokens', headers: { authorization: `Bearer ${key}` }, payload: { customerId: '   ' } })).statusCode).toBe(400);
  });

  it('refuses Traditional Chinese naming the field, and takes zh-hans-cn (the order is what is wrong here)', async () => {
    const open = (locale: string) =>
      app.inject({ method: 'POST', url: '/v1/returns', headers: { authorization: `Bearer ${key}` }, payload: { customer: { id: 'c1', locale }, order: { orderId: 'o1' }, lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] } });
    const fields = (res: Awaited<ReturnType<typeof open>>) => (res.json() as { problems: Array<{ field: string }> }).problems.map((p) => p.field);
    const traditional = await open('zh-TW');
    expect(traditional.statusCode).toBe(400);
    expect(fields(traditional)).toContain('body.customer.locale');
    const simplified = await open('zh-hans-cn');
    expect(simplified.statusCode).toBe(400);
    expect(fields(simplified)).not.toContain('body.customer.locale');
    expect(fields(simplified).some((f) => f.startsWith('body.order'))).toBe(true);
  });
});
