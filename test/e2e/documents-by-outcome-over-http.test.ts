/**
 * A case's documents by case type and outcome, over real HTTP (`GET /v1/cases/:caseId/documents`),
 * against the shop procedure's document table (domain/fulfilment/documents.ts settlementDocuments,
 * 003 §四.3 and §五.4; workflows/shipping.ts bookSettlement):
 *
 *   - transit damage, minor: a partial refund with no goods back → an expense note for the refund + the refund;
 *   - transit damage, severe, returned → the return note, an expense note for the return shipping
 *     the shop paid (what the warehouse reports on the inspection, else the assessed cost when the
 *     cause makes it the shop's) + the refund;
 *   - quality problem, return and refund → the return note + the return-shipping expense note + the refund;
 *   - quality problem, exchange → the return note + the return-shipping expense note + the new outbound;
 *   - refund before shipping (nothing picked; picked and reversed), refund after shipping (intercepted
 *     and inspected), an exchange — their own documents.
 *
 * Each case is driven through the API only; kinds, amounts and stock movements are read through the
 * route (stock checked against the ledger in Postgres too). Then the month's cost report
 * (`GET /v1/costs`, db/costs.ts monthCosts) must count the return shipping of the damage and quality
 * returns as logistics cost, and each case's own cost (`GET /v1/cases/:caseId/costs`) likewise.
 */
import { describe, expect, it } from 'vitest';
import { asRecord, documentsHarness, kindOf, type Doc, type Documents } from './documents-harness.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const { documents, tokenOf, expectConsistent, sendBack } = documentsHarness(pt);
const DAY = 86_400_000;

/** The return-shipping expense notes booked by the damage and quality returns of this file, for the cost report. */
const returnShipping: Array<{ caseId: string; amountMinor: number; bookedAt: string }> = [];
function rememberReturnShipping(caseId: string, staff: Documents) {
  for (const d of staff.documents) {
    for (const l of d.lines) if (d.kind === 'EXPENSE_NOTE' && l.purpose === 'RETURN_SHIPPING') returnShipping.push({ caseId, amountMinor: Number(l.amountMinor), bookedAt: d.bookedAt });
  }
}

// --- transit damage ---
const vase = { orderId: 'dbo-vase', currency: 'CNY', items: [{ sku: 'VASE', name: '花瓶', quantity: 1, unitPriceMinor: 25_000, unitCostMinor: 15_000 }], shippingFeeMinor: 0, paidTotalMinor: 25_000 };
function damage(n: number, degree: 'MINOR' | 'SEVERE') {
  const orderId = `dbo-damage-${n}`;
  const customerId = `cust-dbo-damage-${n}`;
  return {
    customerId,
    body: {
      customer: { id: customerId, locale: 'zh-CN' },
      order: { ...vase, orderId },
      customerHandle: `tb_${n}`,
      lines: [{ sku: 'VASE', quantity: 1 }],
      degree,
      photoUrls: ['https://evidence.example.com/crack.jpg'],
      shipment: { carrier: 'SF', trackingNumber: `SFDMG${n}`, shippedAt: Date.now() - 3 * DAY },
    },
  };
}

/**
 * Makes Postgres refuse `times` inserts of evidence `url` (a trigger; the count is a sequence, which
 * a rolled-back insert does not undo): a database failing just as the API writes. `drop` removes it.
 */
let refusalsMade = 0;
async function refuseEvidence(url: string, times: number) {
  const name = `refuse_evidence_${++refusalsMade}`;
  const limit = Number.isFinite(times) ? times : 2 ** 31 - 1;
  await pt.db.$executeRawUnsafe(`CREATE SEQUENCE ${name}`);
  await pt.db.$executeRawUnsafe(`CREATE FUNCTION ${name}() RETURNS trigger AS $$ BEGIN
    IF NEW.url = '${url}' AND nextval('${name}') <= ${limit} THEN RAISE EXCEPTION 'the database is briefly unavailable'; END IF;
    RETURN NEW; END $$ LANGUAGE plpgsql`);
  await pt.db.$executeRawUnsafe(`CREATE TRIGGER ${name} BEFORE INSERT ON "Evidence" FOR EACH ROW EXECUTE FUNCTION ${name}()`);
  return {
    /** How many inserts of the url were tried. */
    tries: async () => ((await pt.db.$queryRawUnsafe(`SELECT CASE WHEN is_called THEN last_value::int ELSE 0 END AS tries FROM ${name}`)) as Array<{ tries: number }>)[0]!.tries,
    drop: async () => {
      await pt.db.$executeRawUnsafe(`DROP TRIGGER IF EXISTS ${name} ON "Evidence"`);
      await pt.db.$executeRawUnsafe(`DROP FUNCTION IF EXISTS ${name}()`);
      await pt.db.$executeRawUnsafe(`DROP SEQUENCE IF EXISTS ${name}`);
    },
  };
}

describe('transit damage: the documents of the settlement', () => {
  it('minor, a partial refund under the cap: an expense note for the refund, then the refund; no stock moves', async () => {
    const d = damage(1, 'MINOR');
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, d.body);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'MINOR', cause: 'PRODUCT_DEFECT', proposedRefundMinor: 1_500, returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: true })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ type: 'TRANSIT_DAMAGE', refundedAmountMinor: 1_500 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['EXPENSE_NOTE:REFUND', 'REFUND']);
    const [note, refund] = staff.documents as [Doc, Doc];
    expect(note).toMatchObject({ amountMinor: 0, currency: 'CNY', lines: [{ purpose: 'REFUND', amountMinor: 1_500 }], stock: [] });
    expect(refund).toMatchObject({ amountMinor: -1_500, currency: 'CNY', reference: expect.any(String), lines: [{ kind: 'PARTIAL', amountMinor: 1_500 }], stock: [] });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, await tokenOf(d.customerId))).documents).toEqual([refund]);
    // A refund documented by an expense note is counted once, and is no logistics cost.
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 1_500, logisticsMinor: 0, netMinor: 1_500 });
  });

  it('severe, returned, the warehouse reporting what the shop paid for the parcel: return note, return-shipping expense note, refund', async () => {
    const d = damage(2, 'SEVERE');
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, d.body);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf(d.customerId);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    // A product defect: the shop pays the shipping both ways; no courier claim (no recovery document).
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: 2_000, returnPossible: true, goodsUsable: false })).status).toBe(200);
    const photo = 'https://evidence.example.com/returns/vase-as-unpacked.jpg';
    // The database refuses the photo's first write: the case has taken the inspection, so the answer
    // stays 200 and the photo is written on the retry. Before, the answer was a 500 and a repeated
    // inspection a 409.
    const refusals = await refuseEvidence(photo, 1);
    try {
      const inspected = await sendBack(caseId, token, 'SFDMGBACK2', { by: 'inspector-1', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'DAMAGED_BY_CUSTOMER' }], returnShippingPaidMinor: 1_800, evidenceUrls: [photo] });
      expect(inspected).not.toHaveProperty('evidenceNotKept');
      expect(await refusals.tries()).toBe(2);
    } finally {
      await refusals.drop();
    }
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 25_000 });
    // The inspector's photo is the case's evidence, named by the clerk for the staff and as the warehouse for the customer.
    const evidenceOf = async (key: string) => (await pt.call('GET', `/v1/cases/${caseId}`, key)).body.evidence.filter((e: { url: string }) => e.url === photo);
    expect(await evidenceOf(pt.keys.AGENT!)).toEqual([expect.objectContaining({ kind: 'photo', addedBy: 'warehouse:inspector-1' })]);
    expect(await evidenceOf(token)).toEqual([expect.objectContaining({ addedBy: 'warehouse' })]);
    // An inspection the case no longer takes keeps no photo.
    const late = 'https://evidence.example.com/returns/vase-again.jpg';
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'inspector-1', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'OK' }], evidenceUrls: [late] })).status).toBe(409);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body.evidence.some((e: { url: string }) => e.url === late)).toBe(false);
    // The warehouse adds a photo of its own (the parcel as it arrived) like any staff.
    expect(await pt.call('POST', `/v1/cases/${caseId}/evidence`, pt.keys.WAREHOUSE, { urls: ['https://evidence.example.com/returns/vase-box.jpg'] })).toMatchObject({ status: 201, body: { caseId } });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE:RETURN_SHIPPING', 'REFUND']);
    const [returnNote, shipping, refund] = staff.documents as [Doc, Doc, Doc];
    // The broken vase came back but is not sellable: nothing back into stock.
    expect(returnNote).toMatchObject({ amountMinor: 0, reference: null, lines: [expect.objectContaining({ sku: 'VASE', quantity: 1 })], stock: [{ sku: 'VASE', delta: 0 }] });
    // What the warehouse says it paid wins over the assessed 2 000.
    expect(shipping).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_800 }], stock: [] });
    expect(refund).toMatchObject({ amountMinor: -25_000, reference: expect.any(String), lines: [{ kind: 'DAMAGE', amountMinor: 25_000 }], stock: [] });
    expect(staff.stockNet).toEqual([{ sku: 'VASE', delta: 0 }]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([refund]);
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 25_000, logisticsMinor: 1_800 });
    rememberReturnShipping(caseId, staff);
  });

  it('severe, returned as assessed (not usable), no amount reported: the assessed return shipping is the shop’s; the broken vase is received but not put back into stock', async () => {
    const d = damage(3, 'SEVERE');
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, d.body);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf(d.customerId);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: 2_200, returnPossible: true, goodsUsable: false })).status).toBe(200);
    // The database refuses the inspector's photo every time: the inspection is taken all the same,
    // and its answer hands the photo back to be sent again as evidence.
    const photo = 'https://evidence.example.com/returns/vase-sellable.jpg';
    const refusals = await refuseEvidence(photo, Infinity);
    try {
      const inspected = await sendBack(caseId, token, 'SFDMGBACK3', { by: 'inspector-1', lines: [{ sku: 'VASE', receivedQuantity: 1, condition: 'OK' }], evidenceUrls: [photo] });
      expect(inspected).toMatchObject({ caseId, evidenceNotKept: [photo] });
      expect(await refusals.tries()).toBe(3);
    } finally {
      await refusals.drop();
    }
    expect(await pt.call('POST', `/v1/cases/${caseId}/evidence`, pt.keys.WAREHOUSE, { urls: [photo] })).toMatchObject({ status: 201, body: { caseId, added: 1 } });
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 25_000 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE:RETURN_SHIPPING', 'REFUND']);
    const [returnNote, shipping, refund] = staff.documents as [Doc, Doc, Doc];
    // The inspector found what was reported (OK): assessed as not usable, it is not sellable stock (a trial found it restocked).
    expect(returnNote).toMatchObject({ lines: [expect.objectContaining({ sku: 'VASE', quantity: 1, condition: 'OK' })], stock: [{ sku: 'VASE', delta: 0 }] });
    expect(shipping.lines).toEqual([{ purpose: 'RETURN_SHIPPING', amountMinor: 2_200 }]);
    expect(refund).toMatchObject({ amountMinor: -25_000, stock: [] });
    expect(staff.stockNet).toEqual([{ sku: 'VASE', delta: 0 }]);
    await expectConsistent(caseId, staff);
    rememberReturnShipping(caseId, staff);
  });
});

describe('transit damage that cannot come back', () => {
  it('severe, not returnable, still usable: a partial refund — an expense note for it, the refund; no return, no return shipping', async () => {
    const d = damage(4, 'SEVERE');
    const opened = await pt.call('POST', '/v1/transit-damage', pt.keys.STOREFRONT, d.body);
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_ASSESSMENT');
    expect((await pt.call('POST', `/v1/cases/${caseId}/damage-assessment`, pt.keys.AGENT, { degree: 'SEVERE', cause: 'PRODUCT_DEFECT', returnShippingCostMinor: 2_000, partialRefundMinor: 9_000, returnPossible: false, goodsUsable: true })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 9_000 });
    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['EXPENSE_NOTE:REFUND', 'REFUND']);
    const [note, refund] = staff.documents as [Doc, Doc];
    expect(note.lines).toEqual([{ purpose: 'REFUND', amountMinor: 9_000 }]);
    expect(refund).toMatchObject({ amountMinor: -9_000, lines: [{ kind: 'DAMAGE', amountMinor: 9_000 }], stock: [] });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 9_000, logisticsMinor: 0 });
  });
});

// --- quality problem ---
const blender = { currency: 'CNY', items: [{ sku: 'BLENDER', name: '搅拌机', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 14_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };

/** Opens a quality case, rules out misuse, declines the discount and chooses `remedy`. */
async function qualityInsisting(n: number, remedy: 'REFUND' | 'RESHIP') {
  const customerId = `cust-dbo-quality-${n}`;
  const opened = await pt.call('POST', '/v1/quality-problems', pt.keys.STOREFRONT, { customer: { id: customerId, locale: 'zh-CN' }, order: { ...blender, orderId: `dbo-quality-${n}` }, lines: [{ sku: 'BLENDER', quantity: 1 }], description: '用一分钟就停', evidenceUrls: ['https://evidence.example.com/q.mp4'] });
  expect(opened.status).toBe(201);
  const { caseId } = opened.body;
  const token = await tokenOf(customerId);
  await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_MISUSE_CHECK');
  expect((await pt.call('POST', `/v1/cases/${caseId}/misuse-finding`, pt.keys.AGENT, { finding: 'NO_MISUSE', note: 'used as instructed' })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CONSENT');
  expect((await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, token, { accept: false })).status).toBe(200);
  await pt.until(caseId, token, 'AWAITING_CUSTOMER_CHOICE');
  expect((await pt.call('POST', `/v1/cases/${caseId}/remedy-choice`, token, { remedy })).status).toBe(200);
  return { caseId: caseId as string, token };
}

describe('a quality problem: the documents of the settlement', () => {
  it('return and refund (the customer insists): return note, return-shipping expense note, refund', async () => {
    const { caseId, token } = await qualityInsisting(1, 'REFUND');
    await sendBack(caseId, token, 'SFQBACK1', { by: 'inspector-2', lines: [{ sku: 'BLENDER', receivedQuantity: 1, condition: 'OK' }], returnShippingPaidMinor: 1_200 });
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ type: 'QUALITY_PROBLEM', refundedAmountMinor: 30_000 });

    const staff = await documents(caseId);
    // The procedure's table for a return and refund (003 §五.4, settlementDocuments RETURN_REFUND):
    // the return note and the return shipping's expense note, then the refund itself — no expense
    // note for the refund, which is the document of a refund without goods back (不退换货仅退款).
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE:RETURN_SHIPPING', 'REFUND']);
    const [returnNote, shipping, refund] = staff.documents as [Doc, Doc, Doc];
    // The faulty blender came back as reported (OK): received, never sellable stock again (a trial found it restocked).
    expect(returnNote).toMatchObject({ lines: [expect.objectContaining({ sku: 'BLENDER', quantity: 1, condition: 'OK' })], stock: [{ sku: 'BLENDER', delta: 0 }] });
    expect(shipping).toMatchObject({ amountMinor: 0, lines: [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_200 }], stock: [] });
    expect(refund).toMatchObject({ amountMinor: -30_000, reference: expect.any(String), lines: [{ kind: 'REFUND', amountMinor: 30_000 }], stock: [] });
    expect(staff.stockNet).toEqual([{ sku: 'BLENDER', delta: 0 }]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([refund]);
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 30_000, logisticsMinor: 1_200 });
    rememberReturnShipping(caseId, staff);
  });

  it('exchange: return note, return-shipping expense note, the new outbound; stock nets to the one that went out', async () => {
    const { caseId, token } = await qualityInsisting(2, 'RESHIP');
    // As reported (OK): the faulty blender is received, never sellable stock again. (Damaged by the customer, an agent would decide first: quality-problem-return-checked.)
    await sendBack(caseId, token, 'SFQBACK2', { by: 'inspector-2', lines: [{ sku: 'BLENDER', receivedQuantity: 1, condition: 'OK' }], returnShippingPaidMinor: 1_300 });
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFQNEW02' })).status).toBe(200);
    await pt.until(caseId, token, 'SHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: 'SFQNEW02' });
    await pt.skip(86_400 + 60);
    expect(await pt.until(caseId, token, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 0 });

    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'EXPENSE_NOTE:RETURN_SHIPPING', 'OUTBOUND']);
    const [returnNote, shipping, outbound] = staff.documents as [Doc, Doc, Doc];
    expect(returnNote).toMatchObject({ lines: [expect.objectContaining({ sku: 'BLENDER', quantity: 1 })], stock: [{ sku: 'BLENDER', delta: 0 }] });
    expect(shipping.lines).toEqual([{ purpose: 'RETURN_SHIPPING', amountMinor: 1_300 }]);
    expect(outbound).toMatchObject({ amountMinor: 0, lines: [expect.objectContaining({ sku: 'BLENDER', quantity: 1, unitCostMinor: 14_000 })], stock: [{ sku: 'BLENDER', delta: -1 }] });
    // The faulty one came back unsellable, a new one left: one fewer in stock.
    expect(staff.stockNet).toEqual([{ sku: 'BLENDER', delta: -1 }]);
    await expectConsistent(caseId, staff);
    expect((await documents(caseId, token)).documents).toEqual([]);
    expect((await pt.call('GET', `/v1/cases/${caseId}/costs`, pt.keys.AGENT)).body).toMatchObject({ refundsMinor: 0, replacementGoodsMinor: 14_000, logisticsMinor: 1_300 });
    rememberReturnShipping(caseId, staff);
  });
});

// --- refunds only, exchange ---
const tea = (orderId: string) => ({ orderId, currency: 'CNY', items: [{ sku: 'TEA', name: '龙井', quantity: 2, unitPriceMinor: 5000, unitCostMinor: 2000 }], shippingFeeMinor: 800, paidTotalMinor: 10_800 });

describe('refunds only and an exchange: their documents', () => {
  it('refund before shipping, nothing picked: only the refund', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'dbo-rbs-1', status: 'NOT_PICKED' });
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-dbo-rbs-1', locale: 'zh-CN' }, order: tea('dbo-rbs-1'), reason: 'NO_LONGER_WANTED' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 10_800 });
    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['REFUND']);
    expect(staff.documents[0]).toMatchObject({ amountMinor: -10_800, reference: expect.any(String), stock: [] });
    expect(staff.stockNet).toEqual([]);
    await expectConsistent(caseId, staff);
  });

  it('refund before shipping, picked, the merchant silent: the outbound reversed (the picked goods back on the shelf), the refund', async () => {
    pt.platform.simulators.warehouse!.setOrder({ orderId: 'dbo-rbs-2', status: 'PICKED', outboundId: 'ob-dbo-2' });
    const opened = await pt.call('POST', '/v1/refunds-before-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-dbo-rbs-2', locale: 'zh-CN' }, order: tea('dbo-rbs-2'), reason: 'OTHER' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_MERCHANT');
    await pt.skip(24 * 3600 + 60);
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 10_800 });
    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['OUTBOUND_REVERSAL', 'REFUND']);
    const [reversal, refund] = staff.documents as [Doc, Doc];
    expect(reversal).toMatchObject({ amountMinor: 0, reference: 'ob-dbo-2', lines: [expect.objectContaining({ sku: 'TEA', quantity: -2, unitCostMinor: 2000 })], stock: [{ sku: 'TEA', delta: 2 }] });
    expect(refund).toMatchObject({ amountMinor: -10_800, stock: [] });
    expect(staff.stockNet).toEqual([{ sku: 'TEA', delta: 2 }]);
    await expectConsistent(caseId, staff);
  });

  it('refund after shipping: intercepted, scanned in, inspected: the return note (back into stock), the refund', async () => {
    const opened = await pt.call('POST', '/v1/refunds-after-shipping', pt.keys.STOREFRONT, { customer: { id: 'cust-dbo-ras-1', locale: 'zh-CN' }, order: tea('dbo-ras-1'), reason: 'changed my mind', shipment: { carrier: 'SF', trackingNumber: 'SFDBORAS1' } });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_INTERCEPTED_PARCEL');
    expect((await pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFDBORAS1', scannedBy: 'dock-2' })).status).toBe(202);
    await pt.until(caseId, pt.keys.AGENT!, 'AWAITING_INSPECTION');
    expect((await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, { by: 'insp-1', lines: [{ sku: 'TEA', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    expect(await pt.until(caseId, pt.keys.AGENT!, 'RESOLVED')).toMatchObject({ refundedAmountMinor: 10_800 });
    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'REFUND']);
    const [returnNote, refund] = staff.documents as [Doc, Doc];
    expect(returnNote).toMatchObject({ lines: [expect.objectContaining({ sku: 'TEA', quantity: 2, condition: 'OK', unitCostMinor: 2000 })], stock: [{ sku: 'TEA', delta: 2 }] });
    expect(refund).toMatchObject({ amountMinor: -10_800, stock: [] });
    expect(staff.stockNet).toEqual([{ sku: 'TEA', delta: 2 }]);
    await expectConsistent(caseId, staff);
  });

  it('an exchange: the old size back (return note), the new size out (outbound)', async () => {
    const order = { orderId: 'dbo-ex-1', currency: 'CNY', items: [{ sku: 'SHOE-40', name: '跑鞋 40 码', quantity: 1, unitPriceMinor: 30_000, unitCostMinor: 12_000 }], shippingFeeMinor: 0, paidTotalMinor: 30_000 };
    const lines = [{ sku: 'SHOE-40', quantity: 1, replacementSku: 'SHOE-41', replacementUnitPriceMinor: 30_000, replacementUnitCostMinor: 12_000 }];
    const opened = await pt.call('POST', '/v1/exchanges', pt.keys.STOREFRONT, { customer: { id: 'cust-dbo-ex-1', locale: 'zh-CN' }, order, kind: 'EXCHANGE', lines, reason: '偏小' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = await tokenOf('cust-dbo-ex-1');
    await sendBack(caseId, token, 'SFDBOEX1', { by: 'insp', lines: [{ sku: 'SHOE-40', receivedQuantity: 1, condition: 'OK' }] });
    await pt.until(caseId, token, 'AWAITING_OUTGOING_CHECK');
    expect((await pt.call('POST', `/v1/cases/${caseId}/outgoing-check`, pt.keys.WAREHOUSE, { by: 'packer', undamaged: true, working: true, resaleable: true, invoice: true, warrantyCard: true })).status).toBe(200);
    await pt.until(caseId, token, 'AWAITING_DISPATCH');
    expect((await pt.call('POST', `/v1/cases/${caseId}/reshipment`, pt.keys.WAREHOUSE, { by: 'packer', carrier: 'SF', trackingNumber: 'SFDBOEXN1' })).status).toBe(200);
    await pt.until(caseId, token, 'SHIPPED');
    pt.platform.simulators.courier!.markDelivered({ carrier: 'SF', trackingNumber: 'SFDBOEXN1' });
    await pt.skip(86_400 + 60);
    await pt.until(caseId, token, 'RESOLVED');
    const staff = await documents(caseId);
    expect(staff.documents.map(kindOf)).toEqual(['RETURN_NOTE', 'OUTBOUND']);
    const [, outbound] = staff.documents as [Doc, Doc];
    expect(outbound).toMatchObject({ amountMinor: 0, lines: [expect.objectContaining({ sku: 'SHOE-41', quantity: 1 })], stock: [{ sku: 'SHOE-41', delta: -1 }] });
    expect(asRecord(staff.stockNet)).toMatchObject({ 'SHOE-41': -1 });
    await expectConsistent(caseId, staff);
  });
});

describe("the month's cost report", () => {
  it('counts the return shipping of the damage and quality returns as logistics cost', async () => {
    // Four returns above each booked one return-shipping expense note.
    expect(returnShipping.map((r) => r.amountMinor)).toEqual([1_800, 2_200, 1_200, 1_300]);
    // The report is per local month of the merchant: group the notes by the month they were booked in.
    const probe = (await pt.call('GET', `/v1/costs?period=${returnShipping[0]!.bookedAt.slice(0, 7)}`, pt.keys.SUPERVISOR)).body as { timeZone: string };
    const monthOf = (iso: string) => {
      const parts = new Intl.DateTimeFormat('en-CA', { timeZone: probe.timeZone, year: 'numeric', month: '2-digit' }).formatToParts(new Date(iso));
      return `${parts.find((p) => p.type === 'year')!.value}-${parts.find((p) => p.type === 'month')!.value}`;
    };
    const byMonth = new Map<string, number>();
    for (const r of returnShipping) byMonth.set(monthOf(r.bookedAt), (byMonth.get(monthOf(r.bookedAt)) ?? 0) + r.amountMinor);
    // Nothing else in this file books return shipping (its database is its own), so each month's
    // logistics cost is exactly the return shipping booked in it.
    for (const [period, logisticsMinor] of byMonth) {
      const report = await pt.call('GET', `/v1/costs?period=${period}`, pt.keys.SUPERVISOR);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({ period, currency: 'CNY', logisticsMinor });
    }
  });
});
