/**
 * A table as a file the business opens in Excel or WPS: CSV (UTF-8 with a BOM, so Chinese opens
 * correctly; RFC 4180 quoting; a cell that starts like a formula is neutralised with a quote) or
 * XLSX (a bold, frozen header row with filters). Shared by the daily register and the policy
 * what-if's per-case table.
 */
import ExcelJS from 'exceljs';

export type Cell = string | number | Date | null;

export function tableCsv(header: readonly string[], body: ReadonlyArray<readonly Cell[]>): string {
  const text = (c: Cell) => (c === null ? '' : c instanceof Date ? c.toISOString() : String(c));
  // As OWASP lists them: a tab or carriage return first is read as a formula too once the cell is trimmed.
  const formula = /^[=+\-@\t\r]/;
  const quote = (s: string) => (/[",\r\n]/.test(s) || formula.test(s) ? `"${(formula.test(s) ? `'${s}` : s).replace(/"/g, '""')}"` : s);
  // Numbers are written as they are (a negative amount is not a formula).
  const field = (c: Cell) => (typeof c === 'number' ? String(c) : quote(text(c)));
  return `\uFEFF${[header.map(quote), ...body.map((line) => line.map(field))].map((line) => line.join(',')).join('\r\n')}\r\n`;
}

// One formatter per zone and precision: building one costs far more than formatting with it, and
// a file formats an instant or two per row (tens of thousands of rows for a busy day or month).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string, precision: 'minutes' | 'seconds'): Intl.DateTimeFormat {
  const key = `${timeZone} ${precision}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', ...(precision === 'seconds' ? { second: '2-digit' } : {}), hourCycle: 'h23' });
    formatters.set(key, f);
  }
  return f;
}

/** A local 'YYYY-MM-DD HH:MM' (or 'HH:MM:SS') in the zone: what a reader of the file calls the time. */
export function localTime(d: Date | null, timeZone: string, precision: 'minutes' | 'seconds'): string {
  if (!d) return '';
  const p = Object.fromEntries(formatter(timeZone, precision).formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}${precision === 'seconds' ? `:${p.second}` : ''}`;
}

export interface XlsxColumn {
  header: string;
  width: number;
  /** Excel's number format for the column (dates, amounts). */
  numFmt?: string;
}

export async function tableXlsx(sheetName: string, columns: readonly XlsxColumn[], body: ReadonlyArray<readonly Cell[]>): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'after-sales platform';
  const sheet = book.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.header, width: c.width }));
  sheet.getRow(1).font = { bold: true };
  for (const [i, c] of columns.entries()) if (c.numFmt) sheet.getColumn(i + 1).numFmt = c.numFmt;
  for (const line of body) sheet.addRow([...line]);
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
  return Buffer.from(await book.xlsx.writeBuffer());
}
