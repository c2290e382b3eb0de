/**
 * What a case waits for (`waitingFor.what`) in the customer's language: a customer token or a
 * storefront key reads it in the case's customer locale as the shop tells its customer — Chinese for
 * zh-CN, English for en — in GET /v1/cases/{caseId} and in the GET /v1/cases list; the staff read
 * their own English (API names, third person). On case
 * rows written straight into a test database (no workflow behind them).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseType } from '../../domain/case-types.js';
import { agentWaitWhat, STAGE_WAITS, TYPE_WAITS } from '../../domain/waiting.js';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';

let api: ReadModelApi;
let t: ReadModelApi['t'];
let app: ReadModelApi['app'];
const keys: Record<string, string> = {};
const DEADLINE = new Date(Date.parse('2026-11-30T18:00:00+08:00'));

interface Wait {
  party: string;
  command: string;
  what: string;
  deadlineAt: string | null;
}

async function aCase(id: string, o: { customerId: string; customerLocale: string; stage: string; type?: CaseType }) {
  await t.prisma.case.create({
    data: {
      id,
      merchantId: 'shop-a',
      type: o.type ?? 'RETURN_AND_REFUND',
      status: 'WAITING_WAREHOUSE',
      stage: o.stage,
      orderId: `SO-${id}`,
      orderSnapshot: {},
      request: {},
      customerId: o.customerId,
      customerLocale: o.customerLocale,
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `wf-${id}`,
      nextDeadlineAt: DEADLINE,
    },
  });
}

beforeAll(async () => {
  api = await openReadModelApi();
  ({ t, app } = api);
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  keys.storefront = (await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-a', label: 'storefront' })).key;
  keys.agent = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-a', label: 'agent' })).key;
  keys.zhCustomer = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-zh', label: 'token' })).key;
  keys.enCustomer = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-en', label: 'token' })).key;
  await aCase('zh-inspect', { customerId: 'cust-zh', customerLocale: 'zh-CN', stage: 'AWAITING_INSPECTION' });
  await aCase('zh-consent', { customerId: 'cust-zh', customerLocale: 'zh-CN', stage: 'AWAITING_CUSTOMER_CONSENT' });
  await aCase('en-inspect', { customerId: 'cust-en', customerLocale: 'en', stage: 'AWAITING_INSPECTION' });
});

afterAll(() => api?.close());

async function get<T>(url: string, key: string): Promise<T> {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${key}` } });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as T;
}
const waitOf = async (caseId: string, key: string) => (await get<{ waitingFor: Wait | null }>(`/v1/cases/${caseId}`, key)).waitingFor;
const listed = async (url: string, key: string) => Object.fromEntries((await get<{ items: Array<{ id: string; waitingFor: Wait | null }> }>(url, key)).items.map((c) => [c.id, c.waitingFor?.what]));

const INSPECTION = (caseId: string) => ({ party: 'WAREHOUSE', command: `POST /v1/cases/${caseId}/inspection`, deadlineAt: DEADLINE.toISOString() });
const EN_INSPECTION = STAGE_WAITS.AWAITING_INSPECTION!.what;
const EN_CUSTOMER_INSPECTION = 'the warehouse is inspecting the goods you sent back';
const ZH_INSPECTION = '仓库正在验收您寄回的商品';
const EN_CONSENT = TYPE_WAITS.RETURN_AND_REFUND!.AWAITING_CUSTOMER_CONSENT!.what;
const ZH_CONSENT = TYPE_WAITS.RETURN_AND_REFUND!.AWAITING_CUSTOMER_CONSENT!.whatZh;

describe('GET /v1/cases/{caseId}: what the case waits for, in the reader’s language', () => {
  it('a zh-CN customer reads it in Chinese, the case type’s own words where it has them; party and deadline as ever, the call only where it is theirs', async () => {
    // The warehouse's call is not one a customer token can make.
    expect(await waitOf('zh-inspect', keys.zhCustomer!)).toEqual({ ...INSPECTION('zh-inspect'), command: null, what: ZH_INSPECTION });
    const consent = await waitOf('zh-consent', keys.zhCustomer!);
    expect(consent).toMatchObject({ party: 'CUSTOMER', command: 'POST /v1/cases/zh-consent/proposal-answer', what: ZH_CONSENT });
    expect(consent!.what).toMatch(/不接受则本次售后结束/);
  });

  it('the storefront, showing the case to that customer, reads it in Chinese too', async () => {
    expect((await waitOf('zh-inspect', keys.storefront!))?.what).toBe(ZH_INSPECTION);
    expect((await waitOf('zh-consent', keys.storefront!))?.what).toBe(ZH_CONSENT);
  });

  it('an en customer, and the storefront for them, read the English a shop tells its customer, not the staff’s', async () => {
    expect(await waitOf('en-inspect', keys.enCustomer!)).toEqual({ ...INSPECTION('en-inspect'), command: null, what: EN_CUSTOMER_INSPECTION });
    expect((await waitOf('en-inspect', keys.storefront!))?.what).toBe(EN_CUSTOMER_INSPECTION);
  });

  it('the staff read every case in English', async () => {
    expect(await waitOf('zh-inspect', keys.agent!)).toEqual({ ...INSPECTION('zh-inspect'), what: 'the warehouse inspects what came back' });
    expect((await waitOf('zh-consent', keys.agent!))?.what).toBe(EN_CONSENT);
    expect((await waitOf('en-inspect', keys.agent!))?.what).toBe(EN_INSPECTION);
  });
});

describe('GET /v1/cases: each item’s waitingFor as the case view says it', () => {
  it('a zh-CN customer’s list is in Chinese, an en customer’s in English', async () => {
    expect(await listed('/v1/cases', keys.zhCustomer!)).toEqual({ 'zh-inspect': ZH_INSPECTION, 'zh-consent': ZH_CONSENT });
    expect(await listed('/v1/cases', keys.enCustomer!)).toEqual({ 'en-inspect': EN_CUSTOMER_INSPECTION });
  });

  it('the storefront’s list is in each case’s customer locale; the staff’s all English', async () => {
    expect(await listed('/v1/cases', keys.storefront!)).toEqual({ 'zh-inspect': ZH_INSPECTION, 'zh-consent': ZH_CONSENT, 'en-inspect': EN_CUSTOMER_INSPECTION });
    expect(await listed('/v1/cases', keys.agent!)).toEqual({ 'zh-inspect': EN_INSPECTION, 'zh-consent': EN_CONSENT, 'en-inspect': EN_INSPECTION });
  });
});

describe('at a consent, what silence does, from the case’s own policy version', () => {
  it('the case view and the list say it outright, in the reader’s language, once the policy version is on record', async () => {
    await api.repos.ensureMerchant('shop-b', 'Shop B');
    // Version 1, the defaults: proposalDefaultAccept is false, so silence declines.
    expect((await api.repos.currentPolicy('shop-b')).rules.proposalDefaultAccept).toBe(false);
    const customer = (await api.repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-b', customerId: 'cust-b', label: 'token' })).key;
    const agent = (await api.repos.createCredential({ role: 'AGENT', merchantId: 'shop-b', label: 'agent' })).key;
    await t.prisma.case.create({
      data: { id: 'b-consent', merchantId: 'shop-b', type: 'RETURN_AND_REFUND', status: 'WAITING_CUSTOMER', stage: 'AWAITING_CUSTOMER_CONSENT', orderId: 'SO-b', orderSnapshot: {}, request: {}, customerId: 'cust-b', customerLocale: 'zh-CN', currency: 'CNY', policyVersion: 1, workflowId: 'wf-b-consent', nextDeadlineAt: DEADLINE },
    });
    expect((await waitOf('b-consent', customer))?.what).toMatch(/逾期未回复视为不接受，本次售后将结束$/);
    expect((await waitOf('b-consent', agent))?.what).toMatch(/no answer by the deadline declines it, and the case closes$/);
    expect(await listed('/v1/cases', customer)).toEqual({ 'b-consent': (await waitOf('b-consent', customer))?.what });
  });
});

describe('at an agent’s wait, what the agent decides there', () => {
  it('the staff’s case view says what the wait is about (a lost parcel reported delivered: confirm with the customer); the list, and the customer, read only that an agent follows it up', async () => {
    await api.repos.ensureMerchant('shop-c', 'Shop C');
    const agent = (await api.repos.createCredential({ role: 'AGENT', merchantId: 'shop-c', label: 'agent' })).key;
    const customer = (await api.repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-c', customerId: 'cust-c', label: 'token' })).key;
    await t.prisma.case.create({
      data: { id: 'c-agent', merchantId: 'shop-c', type: 'LOST_PARCEL', status: 'OPEN', stage: 'AWAITING_AGENT', orderId: 'SO-c', orderSnapshot: {}, request: {}, customerId: 'cust-c', customerLocale: 'zh-CN', currency: 'CNY', policyVersion: 1, workflowId: 'wf-c-agent', nextDeadlineAt: DEADLINE },
    });
    // The claim's steps land after the wait's own: the wait is still the one DELIVERED_AFTER_LOSS began.
    for (const [n, kind] of ['CHOICE_REQUESTED', 'DELIVERED_AFTER_LOSS', 'CLAIM_WITHDRAWN'].entries()) {
      await t.prisma.caseEvent.create({ data: { caseId: 'c-agent', stepKey: `c-agent:${n}`, kind, actor: 'system', data: {} } });
    }
    expect(await waitOf('c-agent', agent)).toMatchObject({ party: 'AGENT', command: 'POST /v1/cases/c-agent/resolution', what: agentWaitWhat('DELIVERED_AFTER_LOSS', 'LOST_PARCEL')!.en });
    expect((await waitOf('c-agent', agent))!.what).toMatch(/confirm with the customer whether they have it \(CONTINUE or CLOSE\)$/);
    expect(await listed('/v1/cases', agent)).toEqual({ 'c-agent': STAGE_WAITS.AWAITING_AGENT!.what });
    expect((await waitOf('c-agent', customer))!.what).toBe(STAGE_WAITS.AWAITING_AGENT!.whatZh);
  });
});

describe('at a choice, the remedies the case offers', () => {
  it('a quality problem whose shop does not repair: the customer’s case view offers no repair, in words as in `offer`', async () => {
    await api.repos.ensureMerchant('shop-d', 'Shop D');
    const customer = (await api.repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-d', customerId: 'cust-d', label: 'token' })).key;
    await t.prisma.case.create({
      data: { id: 'd-choice', merchantId: 'shop-d', type: 'QUALITY_PROBLEM', status: 'WAITING_CUSTOMER', stage: 'AWAITING_CUSTOMER_CHOICE', orderId: 'SO-d', orderSnapshot: {}, request: {}, customerId: 'cust-d', customerLocale: 'zh-CN', currency: 'CNY', policyVersion: 1, workflowId: 'wf-d-choice', nextDeadlineAt: DEADLINE },
    });
    // The decision that offered the choice lists its options (domain/fulfilment/quality.ts): no REPAIR here.
    await t.prisma.caseEvent.create({ data: { caseId: 'd-choice', stepKey: 'd-choice:1', kind: 'CHOICE_REQUESTED', actor: 'system', data: {}, decision: { rule: 'qualityAnswer', outcome: 'CHOOSE', values: { options: ['EXCHANGE', 'RETURN_REFUND'] }, policyVersion: 1 } } });
    const view = await get<{ waitingFor: Wait; offer: { remedies: string[] } }>('/v1/cases/d-choice', customer);
    expect(view.offer.remedies).toEqual(['REFUND', 'RESHIP']);
    expect(view.waitingFor.what).toBe('请选择退货退款或换货，往返运费由店铺承担；逾期未选择将默认退款');
  });
});
