/**
 * The daily register as a file: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX,
 * with Chinese or English column names. Dates are local to the merchant.
 */
import ExcelJS from 'exceljs';
import type { RegisterRow } from '../db/register.js';

export type Language = 'zh-CN' | 'en';

const COLUMNS: Array<{ key: keyof RegisterRow | 'progressText'; 'zh-CN': string; en: string; width: number }> = [
  { key: 'day', 'zh-CN': '日期', en: 'Date', width: 12 },
  { key: 'caseId', 'zh-CN': '售后单号', en: 'Case', width: 24 },
  { key: 'type', 'zh-CN': '售后类型', en: 'Type', width: 20 },
  { key: 'orderId', 'zh-CN': '订单号', en: 'Order', width: 18 },
  { key: 'customerId', 'zh-CN': '顾客', en: 'Customer', width: 16 },
  { key: 'openedAt', 'zh-CN': '受理时间', en: 'Opened', width: 18 },
  { key: 'stage', 'zh-CN': '当日进度', en: 'Stage at end of day', width: 26 },
  { key: 'progressText', 'zh-CN': '当日处理', en: 'Steps that day', width: 50 },
  { key: 'status', 'zh-CN': '状态', en: 'Status', width: 18 },
  { key: 'assigneeId', 'zh-CN': '处理人', en: 'Agent', width: 14 },
  { key: 'late', 'zh-CN': '超时', en: 'Late', width: 8 },
  { key: 'escalated', 'zh-CN': '已升级', en: 'Escalated', width: 10 },
  { key: 'closedAt', 'zh-CN': '结案时间', en: 'Closed', width: 18 },
];

const YES: Record<Language, [string, string]> = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] };

// One formatter per zone: building one costs far more than formatting with it, and a register
// export formats two instants per row (tens of thousands of rows for a busy day).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f;
}

/** A local 'YYYY-MM-DD HH:MM' in the zone. */
function localTime(d: Date | null, timeZone: string): string {
  if (!d) return '';
  const p = Object.fromEntries(formatter(timeZone).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

export function registerTable(rows: RegisterRow[], language: Language, timeZone: string): { header: string[]; body: string[][] } {
  const [yes, no] = YES[language];
  const cell = (r: RegisterRow, key: (typeof COLUMNS)[number]['key']): string => {
    if (key === 'progressText') return r.progress.join(' → ');
    const v = r[key];
    if (v instanceof Date || v === null) return localTime(v, timeZone);
    if (typeof v === 'boolean') return v ? yes : no;
    return String(v);
  };
  return { header: COLUMNS.map((c) => c[language]), body: rows.map((r) => COLUMNS.map((c) => cell(r, c.key))) };
}

/** RFC 4180: quote every field that needs it; CRLF line ends; a BOM for Excel. */
export function registerCsv(rows: RegisterRow[], language: Language, timeZone: string): string {
  const { header, body } = registerTable(rows, language, timeZone);
  const quote = (s: string) => (/[",\r\n]/.test(s) || /^[=+\-@]/.test(s) ? `"${(/^[=+\-@]/.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s);
  return `\uFEFF${[header, ...body].map((line) => line.map(quote).join(',')).join('\r\n')}\r\n`;
}

export async function registerXlsx(rows: RegisterRow[], language: Language, timeZone: string): Promise<Buffer> {
  const { header, body } = registerTable(rows, language, timeZone);
  const book = new ExcelJS.Workbook();
  book.creator = 'after-sales platform';
  const sheet = book.addWorksheet(language === 'zh-CN' ? '每日售后登记表' : 'Daily after-sales register', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.map((c, i) => ({ header: header[i], width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const line of body) sheet.addRow(line);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: COLUMNS.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
