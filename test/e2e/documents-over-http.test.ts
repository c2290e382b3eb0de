/**
 * A case's documents over real HTTP (`GET /v1/cases/:caseId/documents`): a return and refund, a
 * missing item refunded and a wrong item kept as a gift and refunded are driven through the API,
 * then read back — kinds in booking order, amounts, references, and stock movements that net to
 * what physically moved (checked against the ledger in Postgres too). The customer sees only the
 * refunds; another merchant, another customer and an unknown case get 404, a malformed id 400.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { caseStockMovements } from '../../db/stock.js';
import { asRecord, documentsHarness, expectBookingOrder, type Doc } from './documents-harness.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
const OTHER_MERCHANT = 'documents-other-shop';
let otherStorefront: string;
const { documents, tokenOf } = documentsHarness(pt);

beforeAll(async () => {
  const admin = pt.keys.ADMIN!;
  expect((await pt.call('PUT', `/v1/admin/merchants/${OTHER_MERCHANT}`, admin, { name: 'Other shop', defaultCurrency: 'CNY', returnAddress: { name: 'Returns', phone: '021-00000000', address: 'Shanghai' } })).status).toBe(201);
  otherStorefront = (await pt.call('POST', '/v1/admin/keys', admin, { role: 'STOREFRONT', merchantId: OTHER_MERCHANT, label: 'documents test' })).body.key;
});

describe('the documents of a case over HTTP', () => {
  it('a return and refund: the refund and the return note; the customer sees only the refund; others see nothing', async () => {
    const now = Date.now();
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, {
      customer: { id: 'cust-docs-1', locale: 'en' },
      order: {
        orderId: 'docs-o-1',
        currency: 'CNY',
        items: [
          { sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
          { sku: 'TEA', name: 'Tea', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 },
        ],
        shippingFeeMinor: 1000,
        paidTotalMinor: 15999,
        shippedAt: now - 3 * DAY,
        deliveredAt: now - DAY,
      },
      lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-docs-1');
    await pt.until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    // Nothing booked yet: an empty list, not an error.
    expect(await documents(caseId, pt.keys.AGENT)).toEqual({ caseId, documents: [], stockNet: [] });

    expect((await pt.call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFDOCS001' })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_ARRIVAL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFDOCS001', scannedBy: 'dock-1' })).status).toBe(202);
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-1', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 6666 });

    const staff = await documents(caseId, pt.keys.AGENT);
    expect(staff.documents.map((d) => d.kind)).toEqual(['REFUND', 'RETURN_NOTE']);
    const [refund, returnNote] = staff.documents as [Doc, Doc];
    const [paid] = pt.platform.simulators.payment!.refunds.filter((r) => r.idempotencyKey === `${caseId}:refund`);
    expect(refund).toMatchObject({ amountMinor: -6666, currency: 'CNY', reference: expect.any(String), stock: [] });
    expect(paid).toMatchObject({ amountMinor: 6666 });
    // The refund's lines are its breakdown: they add up to what was paid.
    expect(refund.lines.reduce((s, l) => s + Number(l.amountMinor), 0)).toBe(6666);
    expect(returnNote).toMatchObject({ amountMinor: 0, reference: null, lines: [expect.objectContaining({ sku: 'MUG', quantity: 2, condition: 'OK', stockDelta: 2 })], stock: [{ sku: 'MUG', delta: 2 }] });
    expectBookingOrder(staff.documents);
    // Both mugs came back in sellable condition: the case nets two mugs back into stock, as the ledger holds it.
    expect(staff.stockNet).toEqual([{ sku: 'MUG', delta: 2 }]);
    expect(asRecord(staff.stockNet)).toEqual(await caseStockMovements(pt.db, caseId));

    // The merchant's storefront, warehouse and supervisor read the same; the customer only the refund.
    for (const key of [pt.keys.STOREFRONT!, pt.keys.WAREHOUSE!, pt.keys.SUPERVISOR!, pt.keys.ADMIN!]) expect(await documents(caseId, key)).toEqual(staff);
    expect(await documents(caseId, token)).toEqual({ caseId, documents: [refund], stockNet: [] });

    // Another merchant, another customer, an unknown case: 404 in the one error shape; a malformed id: 400.
    const stranger = await tokenOf('cust-docs-stranger');
    for (const key of [otherStorefront, stranger]) expect(await pt.call('GET', `/v1/cases/${caseId}/documents`, key)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', problems: [] } });
    expect(await pt.call('GET', '/v1/cases/no-such-case/documents', pt.keys.AGENT)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await pt.call('GET', '/v1/cases/bad%20id!/documents', pt.keys.AGENT)).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'params.caseId' } });
    expect((await pt.call('GET', `/v1/cases/${caseId}/documents`, undefined)).status).toBe(401);
  });

  it('a missing item refunded at once: the outbound reversed, an expense note, the refund; stock nets to the item that never left', async () => {
    const opened = await pt.call('POST', '/v1/missing-items', pt.keys.STOREFRONT, {
      customer: { id: 'cust-docs-2', locale: 'en' },
      order: {
        orderId: 'docs-o-2',
        currency: 'CNY',
        items: [
          { sku: 'CLIP', name: 'Hair clip', quantity: 3, unitPriceMinor: 1500, unitCostMinor: 400 },
          { sku: 'KETTLE', name: 'Kettle', quantity: 1, unitPriceMinor: 20_000, unitCostMinor: 9_000 },
        ],
        shippingFeeMinor: 800,
        paidTotalMinor: 3 * 1500 + 20_000 + 800,
        shippedAt: Date.now() - 3 * DAY,
        deliveredAt: Date.now() - DAY,
      },
      missing: [{ sku: 'CLIP', quantity: 1 }],
    });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-docs-2');
    await pt.until(caseId, token, 'AWAITING_WAREHOUSE_CHECK');
    const checked = await pt.call('POST', `/v1/cases/${caseId}/warehouse-check`, pt.keys.WAREHOUSE, {
      by: 'clerk-1',
      stockCount: [{ sku: 'CLIP', systemQuantity: 30, countedQuantity: 31 }],
      unitWeightsGrams: { CLIP: 100, KETTLE: 1_200 },
      packagingWeightGrams: 150,
    });
    expect(checked.status).toBe(200);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 1500 });

    const staff = await documents(caseId, pt.keys.WAREHOUSE);
    // The refund first, then the documents with what it came to.
    expect(staff.documents.map((d) => d.kind)).toEqual(['REFUND', 'OUTBOUND_REVERSAL', 'EXPENSE_NOTE']);
    const [refund, reversal, expense] = staff.documents as [Doc, Doc, Doc];
    expect(reversal).toMatchObject({ amountMinor: 0, lines: [expect.objectContaining({ sku: 'CLIP', quantity: -1, unitCostMinor: 400 })], stock: [{ sku: 'CLIP', delta: 1 }] });
    expect(expense).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'REFUND', amountMinor: 1500 }], stock: [] });
    expect(refund).toMatchObject({ amountMinor: -1500, reference: expect.any(String), stock: [] });
    expectBookingOrder(staff.documents);
    // The clip never left the warehouse: one more in stock than the original outbound said.
    expect(staff.stockNet).toEqual([{ sku: 'CLIP', delta: 1 }]);
    expect(asRecord(staff.stockNet)).toEqual(await caseStockMovements(pt.db, caseId));
    expect((await documents(caseId, token)).documents).toEqual([refund]);
    expect((await pt.call('GET', `/v1/cases/${caseId}/documents`, otherStorefront)).status).toBe(404);
  });

  it('a wrong item kept as a gift and the money chosen: the case counts the refund before its root cause; the documents net to what moved', async () => {
    const opened = await pt.call('POST', '/v1/wrong-items', pt.keys.STOREFRONT, {
      customer: { id: 'cust-docs-3', locale: 'zh-CN' },
      order: { orderId: 'docs-o-3', currency: 'CNY', items: [{ sku: 'MUG-BLUE', name: '蓝杯', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 },
      orderedSku: 'MUG-BLUE',
      arrivedBarcode: '6903',
      barcodes: { 'MUG-BLUE': '6901', PLATE: '6903' },
    });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-docs-3');
    await pt.until(caseId, pt.keys.WAREHOUSE, 'AWAITING_VERIFICATION');
    const findings = { by: 'clerk', shortShipped: [{ sku: 'MUG-BLUE', quantity: 1 }], overShipped: [{ sku: 'PLATE', quantity: 1, unitPriceMinor: 800, unitCostMinor: 300 }], returnShippingCostMinor: 1_000 };
    expect((await pt.call('POST', `/v1/cases/${caseId}/wrong-item-findings`, pt.keys.WAREHOUSE, findings)).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: false })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
    expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy: 'REFUND' })).status).toBe(200);

    // The refund is paid; the case waits for its root cause and already shows what was refunded.
    expect(await pt.until(caseId, token, 'AWAITING_ROOT_CAUSE')).toMatchObject({ status: 'OPEN', refundedAmountMinor: 5_000 });
    const staff = await documents(caseId, pt.keys.AGENT);
    // The refund, then the documents with what it came to: the outbound reversed (the blue mug never
    // left, the plate did), the plate given away (a blank return turned into an expense note, and
    // the gift at cost), the refund's expense note.
    expect(staff.documents.map((d) => d.kind)).toEqual(['REFUND', 'OUTBOUND_REVERSAL', 'EXPENSE_NOTE', 'EXPENSE_NOTE', 'EXPENSE_NOTE']);
    const [refund, reversal, blankReturn, gift, refundNote] = staff.documents as [Doc, Doc, Doc, Doc, Doc];
    expect(reversal.stock).toEqual([
      { sku: 'MUG-BLUE', delta: 1 },
      { sku: 'PLATE', delta: -1 },
    ]);
    expect(blankReturn).toMatchObject({ lines: [expect.objectContaining({ sku: 'PLATE', blankReturn: true, stockDelta: 0 })], stock: [{ sku: 'PLATE', delta: 0 }] });
    expect(gift.lines).toEqual([{ purpose: 'GIFT', amountMinor: 300 }]);
    expect(refundNote.lines).toEqual([{ purpose: 'REFUND', amountMinor: 5_000 }]);
    expect(refund).toMatchObject({ amountMinor: -5_000, reference: expect.any(String), lines: [{ kind: 'GIFT_REFUND', amountMinor: 5_000 }] });
    expectBookingOrder(staff.documents);
    // What physically moved: the blue mug stayed (+1 against the original outbound), the plate left for good (−1).
    expect(staff.stockNet).toEqual([
      { sku: 'MUG-BLUE', delta: 1 },
      { sku: 'PLATE', delta: -1 },
    ]);
    expect(asRecord(staff.stockNet)).toEqual(await caseStockMovements(pt.db, caseId));
    expect((await documents(caseId, token)).documents).toEqual([refund]);

    expect(await pt.call('POST', `/v1/cases/${caseId}/root-cause`, pt.keys.AGENT, { category: 'PEOPLE', subCause: 'PICKER', responsiblePerson: 'picker #3', improvement: 'scan at packing', sku: 'MUG-BLUE' })).toMatchObject({ status: 201 });
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 5_000 });
    expect(await documents(caseId, pt.keys.AGENT)).toEqual(staff);
  });
});

describe('the route in the OpenAPI document', () => {
  it('has its roles, its answer with an example, and its errors', async () => {
    const op = (await pt.call('GET', '/docs/json', undefined)).body.paths['/v1/cases/{caseId}/documents'].get;
    expect(op).toMatchObject({ tags: ['cases'], summary: expect.stringContaining('documents'), description: expect.stringContaining('CUSTOMER') });
    expect(op.responses['200'].content['application/json']).toMatchObject({ example: expect.objectContaining({ documents: expect.any(Array) }) });
    expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['200', '400', '401', '403', '404']));
  });
});
