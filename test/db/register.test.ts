/**
 * The daily register on hand-made cases and timelines (Beijing time): a case is on every day it
 * was open, with that day's steps and the stage it ended the day in; closed cases leave the
 * register after their closing day. Exports: CSV and XLSX read back with their columns.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { dailyRegister } from '../../db/register.js';
import { createTestDatabase } from '../../db/test-database.js';
import { registerCsv, registerXlsx } from '../../reports/register-export.js';

let db: Db;
let drop: () => Promise<void>;
const TZ = 'Asia/Shanghai';
const bj = (s: string) => new Date(`${s}+08:00`);

async function aCase(id: string, opened: string, closed: string | null, events: Array<[string, string, string | null]>) {
  await db.case.create({
    data: {
      id,
      merchantId: 'tea',
      type: 'RETURN_AND_REFUND',
      stage: events.at(-1)?.[2] ?? 'OPENED',
      status: closed ? 'CLOSED' : 'OPEN',
      orderId: `o-${id}`,
      orderSnapshot: {},
      request: {},
      customerId: 'c1',
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `case-${id}`,
      createdAt: bj(opened),
      closedAt: closed ? bj(closed) : null,
      assigneeId: id === 'A' ? 'ann' : null,
    },
  });
  for (const [i, [at, kind, stage]] of events.entries()) await db.caseEvent.create({ data: { caseId: id, stepKey: `${i}:${kind}`, kind, stage, at: bj(at) } });
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
    expect(zh.startsWith('\uFEFF日期,售后单号,售后类型,订单号,顾客,受理时间,当日进度,当日处理,状态,处理人,超时,已升级,结案时间\r\n')).toBe(true);
    expect(zh.split('\r\n')[1]).toBe('2026-03-02,A,RETURN_AND_REFUND,o-A,c1,2026-03-02 10:00,AWAITING_RETURN_SHIPMENT,OPENED → RETURN_APPROVED,CLOSED,ann,否,否,2026-03-05 09:00');
    const en = registerCsv(rows, 'en', TZ);
    expect(en.split('\r\n')[0]).toBe('\uFEFFDate,Case,Type,Order,Customer,Opened,Stage at end of day,Steps that day,Status,Agent,Late,Escalated,Closed');
    // A field that a spreadsheet would run as a formula is defused; commas and quotes are quoted.
    const hostile = registerCsv([{ ...rows[0]!, customerId: '=HYPERLINK("x")', orderId: 'a,"b"' }], 'en', TZ);
    expect(hostile.split('\r\n')[1]).toContain(`"a,""b""",\"'=HYPERLINK(\"\"x\"\")\"`);
  });

  it('exports an XLSX that opens, with the header row and one row per case and day', async () => {
    const rows = await dailyRegister(db, { merchantId: 'tea', from: '2026-03-02', to: '2026-03-07', timeZone: TZ });
    const file = await registerXlsx(rows, 'zh-CN', TZ);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file as never);
    const sheet = book.getWorksheet('每日售后登记表')!;
    expect(sheet.rowCount).toBe(1 + rows.length);
    expect(sheet.getRow(1).values).toEqual([undefined, '日期', '售后单号', '售后类型', '订单号', '顾客', '受理时间', '当日进度', '当日处理', '状态', '处理人', '超时', '已升级', '结案时间']);
    expect((sheet.getRow(5).values as unknown[]).slice(1, 4)).toEqual(['2026-03-04', 'A', 'RETURN_AND_REFUND']);
  });
});
