/**
 * The merchant's ledger by booking time (GET /v1/ledger): what finance reconciles at month end —
 * every case's refunds, recoveries and documents booked in a range of days, by pages or as one CSV,
 * with the range's totals; another merchant's entries never in it.
 */
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { usePlatform } from '../e2e/platform-harness.js';
import { clearOfShanghaiMidnight, MIDNIGHT_HOOK_TIMEOUT_MS } from '../support/shop-day.js';

const pt = usePlatform();
// Entries booked here are read back as today's: not within minutes of midnight in Shanghai.
beforeAll(() => clearOfShanghaiMidnight(), MIDNIGHT_HOOK_TIMEOUT_MS);

/** Today in Beijing, the demo merchant's zone, and days around it. */
const day = (offset = 0) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const raw = (path: string) => fetch(`${pt.platform.apiUrl}${path}`, { headers: { authorization: `Bearer ${pt.keys.SUPERVISOR}` } });

describe('the ledger over HTTP', () => {
  it('lists what was booked in the range, every case together, by pages and as CSV, with the totals; not another merchant’s', async () => {
    await pt.db.merchant.create({ data: { id: 'ledger-other', name: 'Other', defaultCurrency: 'CNY' } });
    const kase = (id: string, merchantId: string, createdAt: Date, orderId = `o-${id}`) =>
      pt.db.case.create({ data: { id, merchantId, type: 'RETURN_AND_REFUND', stage: 'CLOSED', orderId, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-${id}`, createdAt } });
    // A case opened forty days ago whose refund is booked today belongs to today's books.
    await kase('ledger-old', 'demo-merchant', new Date(Date.now() - 40 * 86_400_000));
    // A marketplace's order number: 19 digits, which a spreadsheet reading a CSV turns into 3.2E+18.
    await kase('ledger-new', 'demo-merchant', new Date(), '3208817612345678901');
    await kase('ledger-x', 'ledger-other', new Date());
    const book = (caseId: string, kind: 'REFUND' | 'CLAIM_RECOVERY' | 'RETURN_NOTE', amountMinor: number, key: string, reference: string | null, lines: object[] = []) =>
      pt.db.ledgerEntry.create({ data: { caseId, kind, amountMinor: BigInt(amountMinor), currency: 'CNY', lines: lines as never, reference, idempotencyKey: key } });
    await book('ledger-old', 'REFUND', -21_400, 'l-1', 'rf_1', [{ sku: 'TEA', quantity: 1 }]);
    await book('ledger-new', 'RETURN_NOTE', 0, 'l-2', null, [{ sku: 'TEA', quantity: 1, unitCostMinor: 900, stockDelta: 1 }]);
    await book('ledger-new', 'REFUND', -5_000, 'l-3', 'rf_2');
    await book('ledger-new', 'CLAIM_RECOVERY', 15_000, 'l-4', 'cl_1');
    await book('ledger-x', 'REFUND', -99_999, 'l-5', 'rf_x');

    const all = await pt.call('GET', `/v1/ledger?from=${day()}`, pt.keys.SUPERVISOR);
    expect(all.status).toBe(200);
    expect(all.body.entries.map((e: { reference: string | null }) => e.reference)).toEqual(['rf_1', null, 'rf_2', 'cl_1']);
    expect(all.body.entries[0]).toMatchObject({ caseId: 'ledger-old', caseType: 'RETURN_AND_REFUND', orderId: 'o-ledger-old', kind: 'REFUND', amountMinor: -21_400, currency: 'CNY' });
    expect(all.body.entries[1]).toMatchObject({ kind: 'RETURN_NOTE', stock: [{ sku: 'TEA', delta: 1 }] });
    expect(all.body.totals).toEqual([
      { kind: 'CLAIM_RECOVERY', currency: 'CNY', count: 1, amountMinor: 15_000 },
      { kind: 'REFUND', currency: 'CNY', count: 2, amountMinor: -26_400 },
      { kind: 'RETURN_NOTE', currency: 'CNY', count: 1, amountMinor: 0 },
    ]);
    expect(all.body.next).toBeNull();

    // Refunds only, by pages of one; the totals are the whole range's on every page.
    const first = await pt.call('GET', `/v1/ledger?from=${day()}&kind=REFUND&limit=1`, pt.keys.SUPERVISOR);
    expect(first.body).toMatchObject({ entries: [{ reference: 'rf_1' }], totals: [{ kind: 'REFUND', count: 2, amountMinor: -26_400 }], next: expect.any(String) });
    const second = await pt.call('GET', `/v1/ledger?from=${day()}&kind=REFUND&limit=1&after=${first.body.next}`, pt.keys.SUPERVISOR);
    expect(second.body).toMatchObject({ entries: [{ reference: 'rf_2' }], next: null });

    // Yesterday booked nothing; the CSV holds every entry of the range.
    expect((await pt.call('GET', `/v1/ledger?from=${day(-1)}`, pt.keys.SUPERVISOR)).body).toMatchObject({ entries: [], totals: [] });
    const csv = await raw(`/v1/ledger?from=${day()}&format=csv`);
    expect(csv.headers.get('content-disposition')).toBe(`attachment; filename="ledger-demo-merchant-${day()}_${day(1)}.csv"`);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('bookedAt,id,caseId,caseType,orderId,kind,currency,amountMinor,reference,stock,lines,bookedAtLocal,amount');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toContain(',RETURN_NOTE,CNY,0,,TEA:+1,');
    // Each entry's time in the merchant's zone beside UTC (the file's days are Shanghai days), and its amount in yuan beside fen.
    const [bookedAt] = lines[1]!.split(',');
    expect(lines[1]!.split(',').at(-2)).toBe(new Date(Date.parse(bookedAt!) + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' '));
    const refund = lines.find((l) => l.includes(',rf_1,'))!;
    expect(refund).toContain(',REFUND,CNY,-21400,rf_1,');
    expect(refund.split(',').at(-1)).toBe('-214');
    // The workbook: the same rows, the order number as text (all its digits), amounts as numbers.
    const xlsx = await raw(`/v1/ledger?from=${day()}&format=xlsx`);
    expect(xlsx.headers.get('content-disposition')).toBe(`attachment; filename="ledger-demo-merchant-${day()}_${day(1)}.xlsx"`);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.rowCount).toBe(5);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(lines[0]!.split(','));
    const rowOf = (reference: string) => sheet.getRows(2, 4)!.find((r) => r.getCell(header.indexOf('reference') + 1).value === reference)!;
    expect(rowOf('rf_2').getCell(header.indexOf('orderId') + 1).value).toBe('3208817612345678901');
    expect(rowOf('rf_1').getCell(header.indexOf('amount') + 1).value).toBe(-214);
    expect(rowOf('rf_1').getCell(header.indexOf('amountMinor') + 1).value).toBe(-21_400);
    // Its times as dates: UTC, and the merchant's wall clock (Shanghai, 8 hours ahead) as the CSV shows it.
    const booked = Date.parse(refund.split(',')[0]!);
    expect(rowOf('rf_1').getCell(header.indexOf('bookedAt') + 1).value).toEqual(new Date(booked));
    expect(rowOf('rf_1').getCell(header.indexOf('bookedAtLocal') + 1).value).toEqual(new Date(Math.floor((booked + 8 * 3_600_000) / 1000) * 1000));
    expect(rowOf('rf_1').getCell(header.indexOf('bookedAtLocal') + 1).numFmt).toBe('yyyy-mm-dd hh:mm:ss');

    // Bad input names the field; other roles are refused.
    expect(await pt.call('GET', `/v1/ledger?from=${day()}&kind=PAYMENT`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: expect.stringMatching(/kind/) } });
    expect(await pt.call('GET', `/v1/ledger?from=${day()}&currency=XXX`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.currency' } });
    expect(await pt.call('GET', `/v1/ledger?from=${day(-40)}&to=${day()}`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.to' } });
    expect(await pt.call('GET', `/v1/ledger?from=${day()}&format=csv&limit=5`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.limit' } });
    // A cursor past the entries' numbering is a 400, not the database's overflow (a review found a 500).
    expect(await pt.call('GET', `/v1/ledger?from=${day()}&after=9999999999999999999`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.after' } });
    expect((await pt.call('GET', `/v1/ledger?from=${day()}`, pt.keys.AGENT)).status).toBe(403);

    // The marketplace's operator (ADMIN) names the merchant whose books to read; a merchant's key cannot choose another's.
    const other = await pt.call('GET', `/v1/ledger?from=${day()}&merchantId=ledger-other`, pt.keys.ADMIN);
    expect(other).toMatchObject({ status: 200, body: { entries: [expect.objectContaining({ caseId: 'ledger-x', reference: 'rf_x' })] } });
    expect(await pt.call('GET', `/v1/ledger?from=${day()}`, pt.keys.ADMIN)).toMatchObject({ status: 400, body: { field: 'querystring.merchantId' } });
    expect((await pt.call('GET', `/v1/ledger?from=${day()}&merchantId=no-such-shop`, pt.keys.ADMIN)).status).toBe(404);
    expect(await pt.call('GET', `/v1/ledger?from=${day()}&merchantId=ledger-other`, pt.keys.SUPERVISOR)).toMatchObject({ status: 400, body: { field: 'querystring.merchantId' } });
    // The same for the month's costs, the register and the root causes.
    expect((await pt.call('GET', `/v1/costs?period=${day().slice(0, 7)}&merchantId=ledger-other`, pt.keys.ADMIN)).status).toBe(200);
    expect((await pt.call('GET', `/v1/register?from=${day()}&merchantId=ledger-other`, pt.keys.ADMIN)).status).toBe(200);
    expect((await pt.call('GET', `/v1/root-causes?from=${day(-1)}&to=${day()}&merchantId=ledger-other`, pt.keys.ADMIN)).status).toBe(200);
    expect((await pt.call('GET', `/v1/costs?period=${day().slice(0, 7)}`, pt.keys.ADMIN)).status).toBe(400);
  });

  it('says what the expense notes spent, by purpose: their own amount is 0, their money in their lines', async () => {
    const kase = (id: string, merchantId: string) =>
      pt.db.case.create({ data: { id, merchantId, type: 'TRANSIT_DAMAGE', stage: 'CLOSED', orderId: `o-${id}`, orderSnapshot: {}, request: {}, customerId: 'c', currency: 'CNY', policyVersion: 1, workflowId: `wf-${id}` } });
    await kase('ledger-exp', 'demo-merchant');
    await kase('ledger-exp-x', 'ledger-other');
    const note = (caseId: string, key: string, lines: object[]) => pt.db.ledgerEntry.create({ data: { caseId, kind: 'EXPENSE_NOTE', amountMinor: 0n, currency: 'CNY', lines: lines as never, idempotencyKey: key } });
    await note('ledger-exp', 'e-1', [{ purpose: 'RETURN_SHIPPING', amountMinor: 800 }, { purpose: 'GIFT', amountMinor: 1_000, sku: 'CARD' }]);
    // A blank return's goods written off: lines without a purpose, not money.
    await note('ledger-exp', 'e-2', [{ purpose: 'RETURN_SHIPPING', amountMinor: 1_200 }, { sku: 'MUG', quantity: 1 }]);
    await note('ledger-exp-x', 'e-3', [{ purpose: 'RETURN_SHIPPING', amountMinor: 99_999 }]);
    const all = await pt.call('GET', `/v1/ledger?from=${day()}`, pt.keys.SUPERVISOR);
    expect(all.body.totals).toContainEqual({ kind: 'EXPENSE_NOTE', currency: 'CNY', count: 2, amountMinor: 0 });
    expect(all.body.expenses).toEqual([
      { purpose: 'GIFT', currency: 'CNY', count: 1, amountMinor: 1_000 },
      { purpose: 'RETURN_SHIPPING', currency: 'CNY', count: 2, amountMinor: 2_000 },
    ]);
    expect((await pt.call('GET', `/v1/ledger?from=${day()}&kind=EXPENSE_NOTE&limit=1`, pt.keys.SUPERVISOR)).body.expenses).toEqual(all.body.expenses);
    expect((await pt.call('GET', `/v1/ledger?from=${day()}&kind=REFUND`, pt.keys.SUPERVISOR)).body.expenses).toEqual([]);
    expect((await pt.call('GET', `/v1/ledger?from=${day()}&currency=USD`, pt.keys.SUPERVISOR)).body.expenses).toEqual([]);
  });
});
