/**
 * The daily register on hand-made cases and timelines (Beijing time): a case is on every day it
 * was open, with that day's steps and the stage it ended the day in; closed cases leave the
 * register after their closing day. Exports: CSV and XLSX read back with their columns.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { BadCursor, dailyRegister, registerPage } from '../../db/register.js';
import { createTestDatabase } from '../../db/test-database.js';
import { registerCsv, registerXlsx } from '../../reports/register-export.js';

let db: Db;
let drop: () => Promise<void>;
const TZ = 'Asia/Shanghai';
const bj = (s: string) => new Date(`${s}+08:00`);

type Step = [at: string, kind: string, stage: string | null, data?: object, decision?: object];

async function aCase(id: string, opened: string, closed: string | null, events: Step[], of: { type?: 'RETURN_AND_REFUND' | 'EXCHANGE_RESHIPMENT' | 'TRANSIT_DAMAGE' | 'MISSING_ITEMS' | 'WRONG_ITEM' | 'QUALITY_PROBLEM'; request?: object } = {}) {
  await db.case.create({
    data: {
      id,
      merchantId: 'tea',
      type: of.type ?? 'RETURN_AND_REFUND',
      stage: events.at(-1)?.[2] ?? 'OPENED',
      status: closed ? 'CLOSED' : 'OPEN',
      orderId: `o-${id}`,
      orderSnapshot: {},
      request: of.request ?? {},
      customerId: 'c1',
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `case-${id}`,
      createdAt: bj(opened),
      closedAt: closed ? bj(closed) : null,
      assigneeId: id === 'A' ? 'ann' : null,
    },
  });
  for (const [i, [at, kind, stage, data, decision]] of events.entries()) {
    await db.caseEvent.create({ data: { caseId: id, stepKey: `${i}:${kind}`, kind, stage, at: bj(at), ...(data ? { data } : {}), ...(decision ? { decision } : {}) } });
  }
}

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.create({ data: { id: 'tea', name: 'Tea shop', defaultCurrency: 'CNY' } });
  // A: opened Monday 10:00, approved the same day, shipped Wednesday, closed Thursday.
  await aCase('A', '2026-03-02T10:00:00', '2026-03-05T09:00:00', [
    ['2026-03-02T10:00:01', 'OPENED', 'OPENED'],
    ['2026-03-02T10:00:02', 'RETURN_APPROVED', 'AWAITING_RETURN_SHIPMENT'],
    ['2026-03-04T15:00:00', 'RETURN_SHIPPED', 'AWAITING_ARRIVAL'],
    ['2026-03-04T15:00:01', 'NOTE', null], // a note has no stage: the day still ends AWAITING_ARRIVAL
    ['2026-03-05T09:00:00', 'CLOSED_BY_AGENT', 'CLOSED'],
  ]);
  // B: opened Tuesday at 23:50 Beijing (15:50 UTC): on Tuesday's register, not Monday's.
  await aCase('B', '2026-03-03T23:50:00', null, [['2026-03-03T23:50:01', 'OPENED', 'OPENED']]);
  // C: opened and closed before the period.
  await aCase('C', '2026-02-20T10:00:00', '2026-02-21T10:00:00', [['2026-02-20T10:00:01', 'OPENED', 'OPENED']]);
  // The per-type facts, as the workflows and the root-cause route record them; opened on 10 March,
  // after the days the tests above read.
  // D: damage reported minor on the 10th, assessed severe on the 11th.
  await aCase('D', '2026-03-10T09:00:00', null, [
    ['2026-03-10T09:00:01', 'OPENED', 'OPENED', { customerHandle: '小林爱青瓷', lines: [{ sku: 'CUP-01', quantity: 2 }], degree: 'MINOR' }],
    ['2026-03-11T10:00:00', 'ASSESSED', null, { degree: 'SEVERE', cause: 'TRANSPORT', returnShippingCostMinor: 800, returnPossible: true, goodsUsable: false }],
  ], { type: 'TRANSIT_DAMAGE', request: { customerHandle: '小林爱青瓷', lines: [{ sku: 'CUP-01', quantity: 2 }], degree: 'MINOR', photoUrls: ['https://e.example/x.jpg'] } });
  // M: two SKUs short; the root cause recorded on the 11th, corrected on the 12th (the latest counts).
  await aCase('M', '2026-03-10T09:00:00', null, [
    ['2026-03-10T09:00:01', 'OPENED', 'OPENED', { missing: [{ sku: 'TEA-07', quantity: 1 }, { sku: 'TEA-08', quantity: 3 }] }],
    ['2026-03-11T10:00:00', 'ROOT_CAUSE_RECORDED', null, { category: 'WAREHOUSE', subCause: 'LABEL' }],
    ['2026-03-12T10:00:00', 'ROOT_CAUSE_RECORDED', null, { category: 'PEOPLE', subCause: 'PACKER' }],
  ], { type: 'MISSING_ITEMS', request: { missing: [{ sku: 'TEA-07', quantity: 1 }, { sku: 'TEA-08', quantity: 3 }], evidenceUrls: [] } });
  // W: a wrong item; the warehouse verifies on the 11th what was short and what came instead.
  await aCase('W', '2026-03-10T09:00:00', null, [
    ['2026-03-10T09:00:01', 'OPENED', 'OPENED'],
    ['2026-03-11T10:00:00', 'VALUE_DECIDED', null, { shortShipped: [{ sku: 'POT-02', quantity: 1 }], overShipped: [{ sku: 'POT-03', quantity: 1, unitPriceMinor: 9900, unitCostMinor: 4000 }] }],
  ], { type: 'WRONG_ITEM', request: { orderedSku: 'POT-02', arrivedBarcode: '690000000003', evidenceUrls: [] } });
  // Q: a quality problem; the discount declined on the 11th, the customer chooses a repair on the 12th.
  await aCase('Q', '2026-03-10T09:00:00', null, [
    ['2026-03-10T09:00:01', 'OPENED', 'OPENED'],
    ['2026-03-11T10:00:00', 'DISCOUNT_ANSWERED', null, undefined, { rule: 'qualityInsists', values: {}, policyVersion: 1, outcome: 'FREE_RETURN_EXCHANGE' }],
    ['2026-03-12T10:00:00', 'CHOICE_ANSWERED', null, { remedy: 'REPAIR', shopPaysShippingBothWays: true }],
  ], { type: 'QUALITY_PROBLEM', request: { lines: [{ sku: 'KETTLE-1', quantity: 1 }], description: '壶盖漏水', evidenceUrls: [] } });
  // R: a return of two lines; X: an exchange (its lines name the replacement too).
  await aCase('R', '2026-03-10T09:00:00', null, [['2026-03-10T09:00:01', 'OPENED', 'OPENED']], { request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'LID', quantity: 1, reason: 'DAMAGED' }], evidenceUrls: [] } });
  // R2: asked for two mugs and a lid; the next day an agent approved one mug, then corrected it to two.
  const agentApproved = (lines: object[]) => ({ rule: 'agentDecision', outcome: 'APPROVE', values: { lines } });
  await aCase('R2', '2026-03-10T09:00:00', null, [
    ['2026-03-10T09:00:01', 'OPENED', 'OPENED'],
    ['2026-03-10T09:00:02', 'SOLUTION_PROPOSED', 'AWAITING_DECISION', {}, { rule: 'noReasonReturnDays', outcome: 'NEEDS_AGENT', values: {} }],
    ['2026-03-11T10:00:00', 'SOLUTION_PROPOSED', 'AWAITING_RETURN_SHIPMENT', {}, agentApproved([{ sku: 'MUG', quantity: 1, unitPriceMinor: 2000 }])],
    ['2026-03-12T10:00:00', 'SOLUTION_PROPOSED', 'AWAITING_RETURN_SHIPMENT', {}, agentApproved([{ sku: 'MUG', quantity: 2, unitPriceMinor: 2000 }])],
  ], { request: { lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'LID', quantity: 1, reason: 'DAMAGED' }], evidenceUrls: [] } });
  await aCase('X', '2026-03-10T09:00:00', null, [['2026-03-10T09:00:01', 'OPENED', 'OPENED']], { type: 'EXCHANGE_RESHIPMENT', request: { kind: 'EXCHANGE', lines: [{ sku: 'SHOE-40', quantity: 1, unitPriceMinor: 30_000, replacementSku: 'SHOE-41' }], reason: '尺码不合适', urgent: false } });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('the daily register', () => {
  it('lists each case on every day it was open, with that day’s steps and the stage it ended in', async () => {
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-02', to: '2026-03-07', timeZone: TZ });
    expect(rows.map((r) => [r.day, r.caseId, r.stage, r.progress.join(',')])).toEqual([
      ['2026-03-02', 'A', 'AWAITING_RETURN_SHIPMENT', 'OPENED,RETURN_APPROVED'],
      ['2026-03-03', 'A', 'AWAITING_RETURN_SHIPMENT', ''],
      ['2026-03-03', 'B', 'OPENED', 'OPENED'],
      ['2026-03-04', 'A', 'AWAITING_ARRIVAL', 'RETURN_SHIPPED,NOTE'],
      ['2026-03-04', 'B', 'OPENED', ''],
      ['2026-03-05', 'A', 'CLOSED', 'CLOSED_BY_AGENT'],
      ['2026-03-05', 'B', 'OPENED', ''],
      ['2026-03-06', 'B', 'OPENED', ''],
    ]);
    expect(rows[0]).toMatchObject({ type: 'RETURN_AND_REFUND', orderId: 'o-A', assigneeId: 'ann' });
  });

  it('exports CSV with Chinese or English columns, Excel-safe', async () => {
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-02', to: '2026-03-03', timeZone: TZ });
    const zh = registerCsv(rows, 'zh-CN', TZ);
    expect(zh.startsWith('\uFEFF日期,售后单号,售后类型,订单号,顾客,受理时间,当日进度,当日处理,状态,处理人,超时,已升级,结案时间,')).toBe(true);
    // The stage at the end of the day and the day's steps are named in Chinese (domain/case-types.ts
    // CASE_STAGE_NAMES, domain/step-names.ts). The type, stage, status and step codes follow at the end, for programs.
    expect(zh.split('\r\n')[1]).toBe('2026-03-02,A,退货退款,o-A,c1,2026-03-02 10:00,待顾客寄回,受理售后 → 同意退货,已关闭,ann,否,否,2026-03-05 09:00,,,,,,,,RETURN_AND_REFUND,AWAITING_RETURN_SHIPMENT,CLOSED,OPENED → RETURN_APPROVED');
    expect(zh.split('\r\n')[0]!.endsWith(',处理方式,售后类型代码,当日进度代码,状态代码,当日处理代码')).toBe(true);
    const en = registerCsv(rows, 'en', TZ);
    expect(en.split('\r\n')[0]!.startsWith('\uFEFFDate,Case,Type,Order,Customer,Opened,Stage at end of day,Steps that day,Status,Agent,Late,Escalated,Closed,')).toBe(true);
    expect(en.split('\r\n')[0]!.endsWith(',Remedy,Type code,Stage code,Status code,Step codes')).toBe(true);
    // A field that a spreadsheet would run as a formula is defused; commas and quotes are quoted.
    const hostile = registerCsv([{ ...rows[0]!, customerId: '=HYPERLINK("x")', orderId: 'a,"b"' }], 'en', TZ);
    expect(hostile.split('\r\n')[1]).toContain(`"a,""b""",\"'=HYPERLINK(\"\"x\"\")\"`);
    const tabbed = registerCsv([{ ...rows[0]!, customerId: '\t=1+1', orderId: '\r@SUM(A1)' }], 'en', TZ);
    expect(tabbed).toContain(`"'\r@SUM(A1)","'\t=1+1",`);
  });

  it('names the type, stage and status in words in the English file too, their codes in columns of their own', async () => {
    // A supervisor reading the English file in a spreadsheet found AWAITING_INSPECTION-like codes where a person needs words.
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-02', to: '2026-03-03', timeZone: TZ });
    const [header, line] = registerCsv(rows, 'en', TZ).replace(/^\uFEFF/, '').split('\r\n').map((l) => l.split(','));
    const at = (name: string) => line![header!.indexOf(name)];
    expect([at('Type'), at('Stage at end of day'), at('Status')]).toEqual(['Return and refund', 'Awaiting the return shipment', 'Closed']);
    expect(at('Steps that day')).toBe('Case opened → Return approved');
    expect([at('Type code'), at('Stage code'), at('Status code'), at('Step codes')]).toEqual(['RETURN_AND_REFUND', 'AWAITING_RETURN_SHIPMENT', 'CLOSED', 'OPENED → RETURN_APPROVED']);
    // No code outside the code columns.
    const worded = line!.filter((_, i) => !['Type code', 'Stage code', 'Status code', 'Step codes'].includes(header![i]!));
    expect(worded.filter((cell) => /\b[A-Z]{2,}(_[A-Z]+)+\b/.test(cell))).toEqual([]);
  });

  it('carries each type’s facts as known by the end of each day', async () => {
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-10', to: '2026-03-13', timeZone: TZ });
    const on = (day: string, caseId: string) => rows.find((r) => r.day === day && r.caseId === caseId)!;
    const none = { customerHandle: null, items: null, wrongItems: null, damageDegree: null, rootCause: null, fault: null, remedy: null };
    // Transit damage: the handle and SKU of the report; the degree reported, then as assessed.
    expect(on('2026-03-10', 'D')).toMatchObject({ ...none, customerHandle: '小林爱青瓷', items: [{ sku: 'CUP-01', quantity: 2 }], damageDegree: 'MINOR' });
    expect(on('2026-03-11', 'D')).toMatchObject({ damageDegree: 'SEVERE' });
    // Missing items: what is short; the root cause once recorded, the correction the day after.
    expect(on('2026-03-10', 'M')).toMatchObject({ ...none, items: [{ sku: 'TEA-07', quantity: 1 }, { sku: 'TEA-08', quantity: 3 }] });
    expect(on('2026-03-11', 'M').rootCause).toEqual({ category: 'WAREHOUSE', subCause: 'LABEL' });
    expect(on('2026-03-12', 'M').rootCause).toEqual({ category: 'PEOPLE', subCause: 'PACKER' });
    // Wrong item: the SKU ordered until the warehouse says what was short and what came instead.
    expect(on('2026-03-10', 'W')).toMatchObject({ ...none, items: [{ sku: 'POT-02', quantity: null }] });
    expect(on('2026-03-11', 'W')).toMatchObject({ items: [{ sku: 'POT-02', quantity: 1 }], wrongItems: [{ sku: 'POT-03', quantity: 1 }], rootCause: null });
    // Quality: the fault from the start; no remedy while the discount is declined, the repair once chosen.
    expect(on('2026-03-10', 'Q')).toMatchObject({ ...none, items: [{ sku: 'KETTLE-1', quantity: 1 }], fault: '壶盖漏水' });
    expect(on('2026-03-11', 'Q').remedy).toBeNull();
    expect(on('2026-03-12', 'Q').remedy).toBe('REPAIR');
    // A return and an exchange: the goods asked about (货号), by what the customer asked for.
    expect(on('2026-03-10', 'R')).toMatchObject({ ...none, items: expect.any(Array) });
    expect(on('2026-03-10', 'R').items).toEqual([{ sku: 'MUG', quantity: 2 }, { sku: 'LID', quantity: 1 }]);
    expect(on('2026-03-10', 'X').items).toEqual([{ sku: 'SHOE-40', quantity: 1 }]);
    // A return an agent approved in part: the approved lines from that day, the latest approval the next.
    expect(on('2026-03-10', 'R2').items).toEqual([{ sku: 'MUG', quantity: 2 }, { sku: 'LID', quantity: 1 }]);
    expect(on('2026-03-11', 'R2').items).toEqual([{ sku: 'MUG', quantity: 1 }]);
    expect(on('2026-03-12', 'R2').items).toEqual([{ sku: 'MUG', quantity: 2 }]);
  });

  it('exports the per-type columns in CSV and XLSX, codes named in Chinese', async () => {
    const rows = (await dailyRegister(db, { merchantId: 'tea', from: '2026-03-12', to: '2026-03-13', timeZone: TZ })).filter((r) => r.caseId !== 'B');
    const zh = registerCsv(rows, 'zh-CN', TZ).split('\r\n');
    expect(zh[0]!.endsWith(',结案时间,旺旺名,货号（数量）,错发货号（数量）,损坏程度,原因,故障描述,处理方式,售后类型代码,当日进度代码,状态代码,当日处理代码')).toBe(true);
    // Each line without its four code columns at the end.
    const line = (id: string) => zh.find((l) => l.startsWith(`2026-03-12,${id},`))!.split(',').slice(0, -4).join(',');
    expect(line('D')).toBe('2026-03-12,D,运输破损,o-D,c1,2026-03-10 09:00,已受理,,处理中,,否,否,,小林爱青瓷,CUP-01×2,,严重破损,,,');
    expect(line('M').endsWith(',TEA-07×1; TEA-08×3,,,人员原因: 包装人员放错商品,,')).toBe(true);
    expect(line('W').endsWith(',POT-02×1,POT-03×1,,,,')).toBe(true);
    expect(line('Q').endsWith(',KETTLE-1×1,,,,壶盖漏水,维修')).toBe(true);
    const en = registerCsv(rows, 'en', TZ).split('\r\n');
    expect(en[0]!.endsWith(',Closed,Customer handle,SKU (quantity),Sent instead (quantity),Damage degree,Root cause,Fault,Remedy,Type code,Stage code,Status code,Step codes')).toBe(true);
    expect(en.find((l) => l.startsWith('2026-03-12,D,'))).toBe('2026-03-12,D,Damaged in transit,o-D,c1,2026-03-10 09:00,Opened,,Open,,no,no,,小林爱青瓷,CUP-01×2,,Severe damage,,,,TRANSIT_DAMAGE,OPENED,OPEN,');
    expect(en.find((l) => l.startsWith('2026-03-12,Q,'))!.split(',').slice(-5)[0]).toBe('Repair');

    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await registerXlsx(rows, 'zh-CN', TZ)) as never);
    const sheet = book.getWorksheet('每日售后登记表')!;
    const header = sheet.getRow(1).values as unknown[];
    const damage = sheet.getRow(1 + rows.findIndex((r) => r.caseId === 'D') + 1);
    const at = (name: string) => damage.getCell(header.indexOf(name)).value;
    expect([at('旺旺名'), at('货号（数量）'), at('损坏程度')]).toEqual(['小林爱青瓷', 'CUP-01×2', '严重破损']);
    // Dates are dates, the local wall-clock time the CSV shows.
    expect(at('日期')).toEqual(new Date('2026-03-12T00:00:00Z'));
    expect(at('受理时间')).toEqual(new Date('2026-03-10T09:00:00Z'));
    expect(at('结案时间')).toBeNull();
  });

  it('exports an XLSX that opens, with the header row and one row per case and day', async () => {
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-02', to: '2026-03-07', timeZone: TZ });
    const file = await registerXlsx(rows, 'zh-CN', TZ);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as never);
    const sheet = book.getWorksheet('每日售后登记表')!;
    expect(sheet.rowCount).toBe(1 + rows.length);
    expect((sheet.getRow(1).values as unknown[]).slice(0, 14)).toEqual([undefined, '日期', '售后单号', '售后类型', '订单号', '顾客', '受理时间', '当日进度', '当日处理', '状态', '处理人', '超时', '已升级', '结案时间']);
    expect((sheet.getRow(5).values as unknown[]).slice(1, 4)).toEqual([new Date('2026-03-04T00:00:00Z'), 'A', '退货退款']);
  });
});

describe('the register by pages', () => {
  const range = { merchantId: 'tea', from: '2026-03-02', to: '2026-03-14', timeZone: TZ };

  it('walks the same rows as the whole register, in its order, whatever the page size, across days and ties', async () => {
    const whole = await dailyRegister(db, range);
    // Several days, and four cases opened at the same instant (D, M, W, Q): the cursor must break ties.
    expect(new Set(whole.map((r) => r.day)).size).toBeGreaterThan(5);
    for (const limit of [1, 2, 3, 7, 500]) {
      const walked: typeof whole = [];
      let after: string | undefined;
      for (let pages = 0; ; pages++) {
        expect(pages).toBeLessThanOrEqual(whole.length);
        const page = await registerPage(db, { ...range, limit, after });
        expect(page.total).toBe(whole.length);
        expect(page.rows.length).toBeLessThanOrEqual(limit);
        walked.push(...page.rows);
        if (!page.next) break;
        expect(page.rows).toHaveLength(limit);
        after = page.next;
      }
      expect(walked).toEqual(whole);
    }
  });

  it('counts the rows of any range as the whole register has them: cases cut by its first or last day, closed before it, opened after it', async () => {
    const ranges = [
      ['2026-02-20', '2026-02-22'], // C only, its two days
      ['2026-02-21', '2026-03-03'], // C's closing day; A's first day
      ['2026-03-03', '2026-03-05'], // A cut on both sides, B from its first day
      ['2026-03-05', '2026-03-06'], // one day: A's closing day
      ['2026-03-04', '2026-03-12'],
      ['2026-03-11', '2026-03-31'], // open cases to the range's end
      ['2026-02-01', '2026-04-01'],
    ];
    for (const [from, to] of ranges) {
      const q = { merchantId: 'tea', from: from!, to: to!, timeZone: TZ };
      const whole = await dailyRegister(db, q);
      expect({ from, to, total: (await registerPage(db, { ...q, limit: 1 })).total }).toEqual({ from, to, total: whole.length });
      // In another time zone the days cut differently (B, opened 23:50 in Beijing, is a day earlier in UTC).
      const utc = { ...q, timeZone: 'UTC' };
      expect({ from, to, utc: (await registerPage(db, { ...utc, limit: 1 })).total }).toEqual({ from, to, utc: (await dailyRegister(db, utc)).length });
    }
  });

  it('goes on after a cursor whose case is gone, and takes the cursors it gave before they carried the opening instant', async () => {
    const q = { merchantId: 'tea', from: '2026-03-20', to: '2026-03-21', timeZone: TZ };
    await aCase('gone-1', '2026-03-20T09:00:00', null, [['2026-03-20T09:00:01', 'OPENED', 'OPENED']]);
    await aCase('gone-2', '2026-03-20T10:00:00', null, [['2026-03-20T10:00:01', 'OPENED', 'OPENED']]);
    await aCase('gone-3', '2026-03-20T11:00:00', null, [['2026-03-20T11:00:01', 'OPENED', 'OPENED']]);
    // The cases opened earlier and still open are on that day too; the three are the last.
    const ids = (await dailyRegister(db, q)).map((r) => r.caseId);
    expect(ids.slice(-3)).toEqual(['gone-1', 'gone-2', 'gone-3']);
    const first = await registerPage(db, { ...q, limit: ids.length - 2 });
    expect(first.rows.at(-1)?.caseId).toBe('gone-1');
    const legacy = Buffer.from(JSON.stringify(['2026-03-20', 'gone-1'])).toString('base64url');
    expect((await registerPage(db, { ...q, limit: 5, after: legacy })).rows.map((r) => r.caseId)).toEqual(['gone-2', 'gone-3']);
    await db.caseEvent.deleteMany({ where: { caseId: 'gone-1' } });
    await db.case.delete({ where: { id: 'gone-1' } });
    const second = await registerPage(db, { ...q, limit: 5, after: first.next! });
    expect({ total: second.total, ids: second.rows.map((r) => r.caseId), next: second.next }).toEqual({ total: ids.length - 1, ids: ['gone-2', 'gone-3'], next: null });
  });

  it('answers an empty range with no rows and no next page', async () => {
    expect(await registerPage(db, { ...range, from: '2026-01-05', to: '2026-01-06', limit: 10 })).toEqual({ total: 0, rows: [], next: null });
  });

  it('refuses a cursor it did not give, and one for a day outside the range', async () => {
    await expect(registerPage(db, { ...range, limit: 5, after: 'not-a-cursor' })).rejects.toThrow(BadCursor);
    // A forged opening instant past what a timestamp holds is refused, not sent to Postgres.
    const forged = Buffer.from(JSON.stringify(['2026-03-02', 'A', '999999999999999999'])).toString('base64url');
    await expect(registerPage(db, { ...range, limit: 5, after: forged })).rejects.toThrow(BadCursor);
    const { next } = await registerPage(db, { ...range, limit: 1 });
    await expect(registerPage(db, { ...range, from: '2026-03-10', limit: 5, after: next! })).rejects.toThrow(/outside 2026-03-10…2026-03-14/);
  });
});
