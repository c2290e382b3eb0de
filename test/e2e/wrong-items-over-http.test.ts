/** Wrong items over HTTP: the barcode says it was ordered (explained); a cheap wrong item → the discount accepted; the root cause recorded through the API lets it resolve. */
import { describe, expect, it } from 'vitest';
import { caseStockMovements } from '../../db/stock.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const order = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'MUG-BLUE', name: '蓝杯', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 });
const barcodes = { 'MUG-BLUE': '6901', PLATE: '6903' };

describe('wrong items over HTTP', () => {
  it('the same barcode: explained and closed', async () => {
    const { caseId } = (await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer: { id: 'cust-wi', locale: 'zh-CN' }, order: order('wio-1'), orderedSku: 'MUG-BLUE', arrivedBarcode: '6901', barcodes })).body;
    expect(await pt.until(caseId, pt.keys.AGENT, 'CLOSED')).toMatchObject({ type: 'WRONG_ITEM', closeReason: 'EXPLAINED' });
  });

  it('findings an agent reports (from the warehouse’s photos) are credited to that agent, not to the warehouse', async () => {
    const { caseId } = (await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer: { id: 'cust-wi', locale: 'zh-CN' }, order: order('wio-3'), orderedSku: 'MUG-BLUE', arrivedBarcode: '6903', barcodes })).body;
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_VERIFICATION');
    const findings = { by: '王芳', shortShipped: [{ sku: 'MUG-BLUE', quantity: 1 }], overShipped: [{ sku: 'PLATE', quantity: 1, unitPriceMinor: 800, unitCostMinor: 300 }], returnShippingCostMinor: 1_000 };
    expect((await pt.call('POST', `/v1/cases/${caseId}/wrong-item-findings`, pt.keys.AGENT, findings)).status).toBe(200);
    const agentId = (await pt.db.apiCredential.findFirstOrThrow({ where: { role: 'AGENT', revokedAt: null }, select: { id: true }, orderBy: { createdAt: 'asc' } })).id;
    expect(await pt.untilStep(caseId, pt.keys.AGENT, 'VALUE_DECIDED')).toMatchObject({ actor: `agent:${agentId}` });
  });

  it('a plate instead: the discount accepted and refunded once the root cause is on file', async () => {
    const { caseId } = (await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, { customer: { id: 'cust-wi', locale: 'zh-CN' }, order: order('wio-2'), orderedSku: 'MUG-BLUE', arrivedBarcode: '6903', barcodes, evidenceUrls: ['https://evidence.example.com/plate.jpg'] })).body;
    const token = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-wi' })).body.token;
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_VERIFICATION');
    // Kept with the case: the warehouse's list knows what comes back by them (a plate, not the mug ordered).
    expect((await pt.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { request: true } })).request).toMatchObject({ arrivedBarcode: '6903', barcodes });
    expect(await pt.call('POST', `/v1/cases/${caseId}/wrong-item-findings`, pt.keys.WAREHOUSE, { by: 'clerk', shortShipped: [{ sku: 'MUG-BLUE', quantity: 1 }], overShipped: [], returnShippingCostMinor: 1_000 })).toMatchObject({ status: 400, body: { field: 'body.overShipped' } });
    // More short than ordered: the schema cannot know, the workflow's check names the field (400).
    expect(await pt.call('POST', `/v1/cases/${caseId}/wrong-item-findings`, pt.keys.WAREHOUSE, { by: 'clerk', shortShipped: [{ sku: 'MUG-BLUE', quantity: 2 }], overShipped: [{ sku: 'PLATE', quantity: 1, unitPriceMinor: 800, unitCostMinor: 300 }], returnShippingCostMinor: 1_000 })).toMatchObject({
      status: 400,
      body: { error: 'BAD_REQUEST', field: 'body.shortShipped[0].quantity', problems: [{ field: 'body.shortShipped[0].quantity', reason: 'more than the 1 ordered' }] },
    });
    expect((await pt.call('POST', `/v1/cases/${caseId}/wrong-item-findings`, pt.keys.WAREHOUSE, { by: 'clerk', shortShipped: [{ sku: 'MUG-BLUE', quantity: 1 }], overShipped: [{ sku: 'PLATE', quantity: 1, unitPriceMinor: 800, unitCostMinor: 300 }], returnShippingCostMinor: 1_000 })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: true })).status).toBe(200);
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_ROOT_CAUSE');
    expect(await pt.call('POST', `/v1/cases/${caseId}/root-cause`, pt.keys.AGENT, { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: 'picker #3', improvement: 'scan at packing', sku: 'MUG-BLUE' })).toMatchObject({ status: 201 });
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 4_200 });
    // In Postgres: the blue mug never left (+1 against the original outbound), the plate did (−1) and stays with the customer.
    expect(await caseStockMovements(pt.db, caseId)).toEqual({ 'MUG-BLUE': 1, PLATE: -1 });
  });
});
