/**
 * A case read by its customer (a customer token) or the storefront is in the case's customer locale
 * (api/customer-view.ts): for a zh-CN customer the solution deadline's explanation and the reasons
 * the rules gave are Chinese, for an en customer English; the staff read English as before. On case
 * rows and steps written straight into a test database, the decisions made by the domain's rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';
import { decideReturnApproval, type Decision, type OrderSnapshot } from '../../domain/index.js';

let api: ReadModelApi;
let t: ReadModelApi['t'];
let app: ReadModelApi['app'];
const keys: Record<string, string> = {};

/** Friday 27 November 2026, 20:00 in Shanghai: after closing time, so due Monday at 18:00. */
const OPENED = Date.parse('2026-11-27T20:00:00+08:00');
const DUE = Date.parse('2026-11-30T18:00:00+08:00');
const DAY = 86_400_000;
const order: OrderSnapshot = {
  orderId: 'SO-LOC-1',
  currency: 'CNY',
  items: [{ sku: 'LAMP', name: '台灯', quantity: 1, unitPriceMinor: 15_000, unitCostMinor: 9_000 }],
  shippingFeeMinor: 800,
  paidTotalMinor: 15_800,
  shippedAt: OPENED - 2 * DAY,
};
const lamp = { lines: [{ sku: 'LAMP', quantity: 1, reason: 'NO_REASON' as const }] };

interface Event {
  kind: string;
  decision?: { rule: string; outcome: string; values?: Record<string, unknown> } | null;
}
interface CaseBody {
  customerLocale: string;
  solutionDeadline: { dueAt: string; explanation: string } | null;
  timeline: Event[];
}

/** A return case of `customerId` whose rule sent it to an agent with `decision`, then an agent's answer in their own words. */
async function aCase(id: string, customerId: string, customerLocale: string, decision: Decision) {
  await t.prisma.case.create({
    data: {
      id,
      merchantId: 'shop-a',
      type: 'RETURN_AND_REFUND',
      status: 'OPEN',
      stage: 'CLOSED',
      orderId: order.orderId,
      orderSnapshot: order as object,
      request: lamp,
      customerId,
      customerLocale,
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `wf-${id}`,
      solutionDueAt: new Date(DUE),
      createdAt: new Date(OPENED),
      updatedAt: new Date(OPENED),
    },
  });
  const steps = [
    { kind: 'OPENED', actor: `customer:${customerId}`, data: { lines: lamp.lines } },
    { kind: 'NEEDS_AGENT', actor: 'system', decision },
    { kind: 'SOLUTION_PROPOSED', actor: 'agent:key-7', decision: { rule: 'agentDecision', values: { lines: lamp.lines, reason: 'photos show the lamp was used' }, policyVersion: 1, outcome: 'REJECT' } },
  ];
  for (const [n, s] of steps.entries()) {
    await t.prisma.caseEvent.create({ data: { caseId: id, stepKey: `${id}:${n}`, at: new Date(OPENED + n * 60_000), kind: s.kind, actor: s.actor, data: (s.data ?? {}) as object, ...(s.decision ? { decision: s.decision as object } : {}) } });
  }
}

beforeAll(async () => {
  api = await openReadModelApi();
  ({ t, app } = api);
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  const policy = await repos.currentPolicy('shop-a'); // version 1: the defaults, Asia/Shanghai, business day
  keys.storefront = (await repos.createCredential({ role: 'STOREFRONT', merchantId: 'shop-a', label: 'storefront' })).key;
  keys.agent = (await repos.createCredential({ role: 'AGENT', merchantId: 'shop-a', label: 'agent' })).key;
  keys.zhCustomer = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-zh', label: 'token' })).key;
  keys.enCustomer = (await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-en', label: 'token' })).key;
  // Not delivered yet: the rule sends the return to an agent, saying why.
  const notDelivered = decideReturnApproval(policy, order, lamp, OPENED);
  expect(notDelivered).toMatchObject({ rule: 'deliveredBeforeReturn', values: { reason: 'the order has not been delivered' } });
  await aCase('zh-1', 'cust-zh', 'zh-CN', notDelivered);
  await aCase('en-1', 'cust-en', 'en', notDelivered);
  // Delivered twelve days before: outside the 7-day no-reason window.
  const late = decideReturnApproval(policy, { ...order, shippedAt: OPENED - 14 * DAY, deliveredAt: OPENED - 12 * DAY }, lamp, OPENED);
  expect(late).toMatchObject({ rule: 'noReasonReturnDays', values: { reason: 'more than 7 days since delivery' } });
  await aCase('zh-2', 'cust-zh', 'zh-CN', late);
});

afterAll(() => api?.close());

async function read(caseId: string, key: string): Promise<CaseBody> {
  const res = await app.inject({ method: 'GET', url: `/v1/cases/${caseId}`, headers: { authorization: `Bearer ${key}` } });
  expect(res.statusCode, res.body).toBe(200);
  return JSON.parse(res.body) as CaseBody;
}
const reasons = (c: CaseBody) => c.timeline.filter((e) => e.decision).map((e) => [e.kind, e.decision!.values?.reason]);

const EN_EXPLANATION = 'opened after closing time (18:00) on Friday 2026-11-27 20:00: due at the end of the next business day, Monday 2026-11-30 18:00 (Asia/Shanghai; policy: same day means business day)';
const ZH_EXPLANATION = '您于北京时间2026年11月27日 周五 20:00提交申请，已过当天下班时间（18:00），解决方案的答复时限为下一个工作日下班前（2026年11月30日 周一 18:00）。';
/** An English-reading customer's own sentence, not the staff's. */
const EN_CUSTOMER_EXPLANATION = 'You asked after closing time (18:00) on Friday 2026-11-27 20:00 (Beijing time): the solution is due by closing time on the next business day, Monday 2026-11-30 18:00.';

describe('GET /v1/cases/{caseId} in the customer’s locale', () => {
  it('a complaint promised an earlier answer than the solution deadline says so after the explanation, as its message did (an integrator read two times)', async () => {
    // Opened Friday 20:00; its priority's handling time answers it by Saturday 00:00, before Monday's solution deadline.
    const answerBy = OPENED + 4 * 3_600_000;
    await t.prisma.case.create({
      data: { id: 'zh-complaint', merchantId: 'shop-a', type: 'COMPLAINT', status: 'OPEN', stage: 'AWAITING_RESOLUTION', orderId: order.orderId, orderSnapshot: order as object, request: {}, customerId: 'cust-zh', customerLocale: 'zh-CN', currency: 'CNY', policyVersion: 1, workflowId: 'wf-zh-complaint', solutionDueAt: new Date(DUE), deadlines: { solutionDueAt: DUE, handleBy: answerBy, answerBy }, createdAt: new Date(OPENED), updatedAt: new Date(OPENED) },
    });
    expect((await read('zh-complaint', keys.zhCustomer!)).solutionDeadline?.explanation).toBe(`${ZH_EXPLANATION}您的投诉按其优先级处理，我们会在北京时间2026年11月28日 周六 00:00前给您答复。`);
    expect((await read('zh-complaint', keys.agent!)).solutionDeadline?.explanation).toMatch(/^opened after closing time .* The complaint's priority answers it sooner: by Saturday 2026-11-28 00:00 \(Asia\/Shanghai\), the policy's handling time for that priority from opening\.$/);
    await t.prisma.case.update({ where: { id: 'zh-complaint' }, data: { customerLocale: 'en', customerId: 'cust-en' } });
    expect((await read('zh-complaint', keys.enCustomer!)).solutionDeadline?.explanation).toBe(`${EN_CUSTOMER_EXPLANATION} Your complaint is handled according to its priority: we will answer you sooner, by Saturday 2026-11-28 00:00 (Beijing time).`);
    // A return's explanation stays as it is.
    expect((await read('zh-1', keys.zhCustomer!)).solutionDeadline?.explanation).toBe(ZH_EXPLANATION);
  });

  it('a zh-CN customer reads the deadline’s explanation and the rule’s reason in Chinese; the agent’s own words as written', async () => {
    const c = await read('zh-1', keys.zhCustomer!);
    expect(c.customerLocale).toBe('zh-CN');
    expect(c.solutionDeadline).toMatchObject({ dueAt: new Date(DUE).toISOString(), explanation: ZH_EXPLANATION });
    expect(reasons(c)).toEqual([
      ['NEEDS_AGENT', '订单尚未签收'],
      ['SOLUTION_PROPOSED', 'photos show the lamp was used'],
    ]);
    expect(reasons(await read('zh-2', keys.zhCustomer!))).toEqual([
      ['NEEDS_AGENT', '已超过签收后7天的无理由退货期限'],
      ['SOLUTION_PROPOSED', 'photos show the lamp was used'],
    ]);
  });

  it('the storefront, showing the case to that customer, reads it in Chinese too', async () => {
    const c = await read('zh-1', keys.storefront!);
    expect(c.solutionDeadline?.explanation).toBe(ZH_EXPLANATION);
    expect(reasons(c)[0]).toEqual(['NEEDS_AGENT', '订单尚未签收']);
  });

  it('an en customer reads English, written for them', async () => {
    for (const key of [keys.enCustomer!, keys.storefront!]) {
      const c = await read('en-1', key);
      expect(c.solutionDeadline?.explanation).toBe(EN_CUSTOMER_EXPLANATION);
      expect(reasons(c)).toEqual([
        ['NEEDS_AGENT', 'the order has not been delivered'],
        ['SOLUTION_PROPOSED', 'photos show the lamp was used'],
      ]);
    }
  });

  it('the staff read every case in English, every value of the decisions as recorded', async () => {
    const staff = await read('zh-1', keys.agent!);
    expect(staff.solutionDeadline?.explanation).toBe(EN_EXPLANATION);
    expect(reasons(staff)).toEqual([
      ['NEEDS_AGENT', 'the order has not been delivered'],
      ['SOLUTION_PROPOSED', 'photos show the lamp was used'],
    ]);
    expect(staff.timeline[1]!.decision!.values).toMatchObject({ shippedAt: order.shippedAt, requestValueMinor: 15_000, currency: 'CNY' });
    expect(reasons(await read('zh-2', keys.agent!))[0]).toEqual(['NEEDS_AGENT', 'more than 7 days since delivery']);
  });
});
