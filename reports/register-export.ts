/**
 * The daily register as a file: CSV (UTF-8 with BOM, so Excel opens Chinese correctly) or XLSX,
 * with Chinese or English column names. Dates are local to the merchant; in XLSX they are dates
 * (Excel sorts and filters them), in CSV text. The case type, stage, status, damage degree, remedy
 * and root cause are words in the file's language (domain/case-types.ts, the names the console
 * shows too): a supervisor reading the English file found AWAITING_INSPECTION where a person needs
 * words. The day's steps are words too (domain/step-names.ts, the console's timeline names). The
 * type, stage, status and step codes follow in columns of their own at the end, so a program
 * reading the file still has them (and the columns before keep their places).
 */
import type { RegisterRow } from '../db/register.js';
import { STEP_NAMES } from '../domain/step-names.js';
import { localTime, tableCsv, tableXlsx } from './table-export.js';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, ROOT_CAUSE_CATEGORY_NAMES, ROOT_CAUSES, nameOf, type Names } from '../domain/index.js';

export type Language = 'zh-CN' | 'en';

/** `date` / `time`: an XLSX date cell (a day, or a day and time), text in CSV. */
const COLUMNS: Array<{ key: keyof RegisterRow | 'progressText' | 'typeCode' | 'stageCode' | 'statusCode' | 'progressCodes'; 'zh-CN': string; en: string; width: number; date?: 'day' | 'time' }> = [
  { key: 'day', 'zh-CN': '日期', en: 'Date', width: 12, date: 'day' },
  { key: 'caseId', 'zh-CN': '售后单号', en: 'Case', width: 24 },
  { key: 'type', 'zh-CN': '售后类型', en: 'Type', width: 20 },
  { key: 'orderId', 'zh-CN': '订单号', en: 'Order', width: 18 },
  { key: 'customerId', 'zh-CN': '顾客', en: 'Customer', width: 16 },
  { key: 'openedAt', 'zh-CN': '受理时间', en: 'Opened', width: 18, date: 'time' },
  { key: 'stage', 'zh-CN': '当日进度', en: 'Stage at end of day', width: 26 },
  { key: 'progressText', 'zh-CN': '当日处理', en: 'Steps that day', width: 50 },
  { key: 'status', 'zh-CN': '状态', en: 'Status', width: 18 },
  { key: 'assigneeId', 'zh-CN': '处理人', en: 'Agent', width: 14 },
  { key: 'late', 'zh-CN': '超时', en: 'Late', width: 8 },
  { key: 'escalated', 'zh-CN': '已升级', en: 'Escalated', width: 10 },
  { key: 'closedAt', 'zh-CN': '结案时间', en: 'Closed', width: 18, date: 'time' },
  // Per case type (003 §二–§五); empty where the type does not have it or it is not known yet.
  { key: 'customerHandle', 'zh-CN': '旺旺名', en: 'Customer handle', width: 16 },
  { key: 'items', 'zh-CN': '货号（数量）', en: 'SKU (quantity)', width: 24 },
  { key: 'wrongItems', 'zh-CN': '错发货号（数量）', en: 'Sent instead (quantity)', width: 24 },
  { key: 'damageDegree', 'zh-CN': '损坏程度', en: 'Damage degree', width: 10 },
  { key: 'rootCause', 'zh-CN': '原因', en: 'Root cause', width: 30 },
  { key: 'fault', 'zh-CN': '故障描述', en: 'Fault', width: 30 },
  { key: 'remedy', 'zh-CN': '处理方式', en: 'Remedy', width: 14 },
  // The codes of the worded columns, for programs (the same in both languages).
  { key: 'typeCode', 'zh-CN': '售后类型代码', en: 'Type code', width: 20 },
  { key: 'stageCode', 'zh-CN': '当日进度代码', en: 'Stage code', width: 26 },
  { key: 'statusCode', 'zh-CN': '状态代码', en: 'Status code', width: 18 },
  { key: 'progressCodes', 'zh-CN': '当日处理代码', en: 'Step codes', width: 50 },
];

/** Names of the codes that have no table in domain/ (values of workflows/transit-damage.ts and quality-problem.ts). */
const DAMAGE_DEGREE_NAMES: Record<string, Names> = { MINOR: { 'zh-CN': '轻微破损', en: 'Minor damage' }, SEVERE: { 'zh-CN': '严重破损', en: 'Severe damage' } };
const REMEDY_NAMES: Record<string, Names> = {
  DISCOUNT: { 'zh-CN': '折价补偿', en: 'Kept at a discount' },
  REFUND: { 'zh-CN': '退货退款', en: 'Return and refund' },
  RESHIP: { 'zh-CN': '换货', en: 'Exchange' },
  REPAIR: { 'zh-CN': '维修', en: 'Repair' },
};

/** The name of a code in the file's language where one is known; the code itself otherwise. */
const named = (code: string, language: Language, table: Readonly<Record<string, Names>>): string => nameOf(table, code, language);

const YES: Record<Language, [string, string]> = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] };

/** The people a register's rows name by key id (the assignee), by their names; an id without one stays as it is. */
export type AgentNames = ReadonlyMap<string, string>;

export function registerTable(rows: RegisterRow[], language: Language, timeZone: string, agentNames: AgentNames = new Map()): { header: string[]; body: string[][] } {
  const [yes, no] = YES[language];
  const cell = (r: RegisterRow, key: (typeof COLUMNS)[number]['key']): string => {
    if (key === 'assigneeId') return r.assigneeId ? (agentNames.get(r.assigneeId) ?? r.assigneeId) : '';
    if (key === 'progressText') return r.progress.map((step) => named(step, language, STEP_NAMES)).join(' → ');
    if (key === 'progressCodes') return r.progress.join(' → ');
    if (key === 'typeCode') return r.type;
    if (key === 'stageCode') return r.stage;
    if (key === 'statusCode') return r.status;
    if (key === 'type') return named(r.type, language, CASE_TYPE_NAMES);
    if (key === 'status') return named(r.status, language, CASE_STATUS_NAMES);
    if (key === 'stage') return named(r.stage, language, CASE_STAGE_NAMES);
    if (key === 'damageDegree') return r.damageDegree ? named(r.damageDegree, language, DAMAGE_DEGREE_NAMES) : '';
    if (key === 'remedy') return r.remedy ? named(r.remedy, language, REMEDY_NAMES) : '';
    if (key === 'rootCause') return r.rootCause ? rootCauseText(r.rootCause, language) : '';
    if (key === 'items' || key === 'wrongItems') return (r[key] ?? []).map((l) => (l.quantity === null ? l.sku : `${l.sku}×${l.quantity}`)).join('; ');
    const v = r[key];
    if (v instanceof Date || v === null) return localTime(v, timeZone, 'minutes');
    if (typeof v === 'boolean') return v ? yes : no;
    return String(v);
  };
  return { header: COLUMNS.map((c) => c[language]), body: rows.map((r) => COLUMNS.map((c) => cell(r, c.key))) };
}

/** 'Category: sub-cause' by their names (domain/fulfilment/root-cause.ts), or the codes if unknown. */
function rootCauseText(c: { category: string; subCause: string }, language: Language): string {
  const category = (ROOT_CAUSE_CATEGORY_NAMES as Record<string, Names | undefined>)[c.category];
  const sub = (ROOT_CAUSES as Record<string, Record<string, Names> | undefined>)[c.category]?.[c.subCause];
  return category && sub ? `${category[language]}: ${sub[language]}` : `${c.category}.${c.subCause}`;
}

export function registerCsv(rows: RegisterRow[], language: Language, timeZone: string, agentNames?: AgentNames): string {
  const { header, body } = registerTable(rows, language, timeZone, agentNames);
  return tableCsv(header, body);
}

export async function registerXlsx(rows: RegisterRow[], language: Language, timeZone: string, agentNames?: AgentNames): Promise<Buffer> {
  const { header, body } = registerTable(rows, language, timeZone, agentNames);
  // Date columns as dates: Excel has no time zones, so the cell holds the local wall-clock time the
  // CSV shows (written as if UTC, which is how exceljs stores a Date), formatted like it.
  const columns = COLUMNS.map((c, i) => ({ header: header[i]!, width: c.width, ...(c.date ? { numFmt: c.date === 'day' ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm' } : {}) }));
  const cells = body.map((line) =>
    line.map((text, i) => {
      const date = COLUMNS[i]!.date;
      if (!date) return text;
      if (text === '') return null; // not closed yet
      return new Date(date === 'day' ? `${text}T00:00:00Z` : `${text.replace(' ', 'T')}:00Z`);
    }),
  );
  return tableXlsx(language === 'zh-CN' ? '每日售后登记表' : 'Daily after-sales register', columns, cells);
}
