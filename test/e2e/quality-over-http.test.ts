/** A quality problem over HTTP: misuse ruled out by an agent, the discount offered and accepted by the customer, refunded. */
import { describe, expect, it } from 'vitest';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = { orderId: 'qpo-1', currency: 'CNY', items: [{ sku: 'BLENDER', name: '搅拌机', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 14_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };

describe('a quality problem over HTTP', () => {
  it('no misuse, discount accepted, refunded; bad input and wrong roles refused', async () => {
    const opened = await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, { customer: { id: 'cust-qp', locale: 'zh-CN' }, order, lines: [{ sku: 'BLENDER', quantity: 1 }], description: '用一分钟就停', evidenceUrls: ['https://evidence.example.com/q.jpg', 'https://evidence.example.com/q.mp4'] });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-qp' })).body.token;
    const checking = await pt.until(caseId, pt.keys.AGENT, 'AWAITING_MISUSE_CHECK');
    // The unboxing video sent with the opening is filed as a video, the photo beside it as a photo.
    expect(checking.evidence.map((e: { url: string; kind: string }) => [e.url.slice(-5), e.kind])).toEqual([['q.jpg', 'photo'], ['q.mp4', 'video']]);
    expect((await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, token, { finding: 'NO_MISUSE' })).status).toBe(403);
    expect(await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, pt.keys.AGENT, { finding: 'MAYBE' })).toMatchObject({ status: 400, body: { field: 'body.finding' } });
    const found = await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, pt.keys.AGENT, { finding: 'NO_MISUSE', note: 'used as instructed' });
    expect(found.status).toBe(200);
    // The customer sees what they are asked to accept: the discount, on the offer and in the finding's decision.
    const offered = await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
    // What silence does is said outright, by the command's answer as by the case (the policy's proposalDefaultAccept).
    const staffView = await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT);
    expect(staffView.body.waitingFor.what).toMatch(/no answer by the deadline (accepts|declines) the discount/);
    expect(found.body).toMatchObject({ stage: 'AWAITING_CUSTOMER_CONSENT', waitingFor: { what: staffView.body.waitingFor.what } });
    // …and without reading the timeline: the case says what is offered at this wait.
    expect(offered.offer).toEqual({ kind: 'DISCOUNT', amountMinor: 1_000, currency: 'CNY' });
    expect(offered.timeline.find((e: { kind: string }) => e.kind === 'DISCOUNT_OFFERED').data).toEqual({ amountMinor: 1_000, currency: 'CNY' });
    expect(offered.timeline.find((e: { kind: string }) => e.kind === 'MISUSE_CHECKED').decision.values).toMatchObject({ discountMinor: 1_000 });
    expect(JSON.stringify(offered.timeline)).not.toContain('unitCostMinor');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: true })).status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'QUALITY_PROBLEM', refundedAmountMinor: 1_000, offer: null });
    expect(await pt.call('POST', `/v1/cases/${caseId}/repair`, pt.keys.WAREHOUSE, { by: 't', sku: 'BLENDER', faultCause: 'x', method: 'y', parts: [], labourCostMinor: 0, working: true })).toMatchObject({ status: 409 });
    expect(await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, { customer: { id: 'c', locale: 'en' }, order, lines: [{ sku: 'TOASTER', quantity: 1 }], description: 'x' })).toMatchObject({ status: 400, body: { field: 'body.lines[0].sku' } });
  });
});
