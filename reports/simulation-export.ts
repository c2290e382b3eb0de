/**
 * The policy what-if's per-case table as CSV or XLSX (reports/table-export.ts): one row per case,
 * the baseline's and the candidate's figures side by side, with Chinese or English column names.
 * Amounts in minor units, as the API gives them everywhere.
 */
import { CASE_TYPE_NAMES, type Names } from '../domain/index.js';
import type { CaseComparison, CaseFigures } from '../simulation/report.js';
import type { Language } from './register-export.js';
import { tableCsv, tableXlsx, type Cell } from './table-export.js';

const FIGURE_COLUMNS: Array<{ key: keyof CaseFigures; 'zh-CN': string; en: string; width: number }> = [
  { key: 'outcome', 'zh-CN': '结果', en: 'outcome', width: 18 },
  { key: 'decision', 'zh-CN': '审核', en: 'decision', width: 10 },
  { key: 'decidedBy', 'zh-CN': '审核方', en: 'decided by', width: 10 },
  { key: 'approvedMinor', 'zh-CN': '批准金额(分)', en: 'approved (minor)', width: 14 },
  { key: 'refundedMinor', 'zh-CN': '退款(分)', en: 'refunded (minor)', width: 14 },
  { key: 'shippingRefundedMinor', 'zh-CN': '退运费(分)', en: 'shipping refunded (minor)', width: 14 },
  { key: 'compensationMinor', 'zh-CN': '补偿(分)', en: 'compensation (minor)', width: 14 },
  { key: 'costMinor', 'zh-CN': '成本(分)', en: 'cost (minor)', width: 14 },
  { key: 'hoursToSolution', 'zh-CN': '出方案用时(小时)', en: 'hours to solution', width: 12 },
  { key: 'hoursToClose', 'zh-CN': '结案用时(小时)', en: 'hours to close', width: 12 },
  { key: 'slaBreached', 'zh-CN': '超时', en: 'SLA breached', width: 8 },
  { key: 'reminders', 'zh-CN': '催办提醒', en: 'reminders to staff', width: 10 },
  { key: 'diverged', 'zh-CN': '偏离历史', en: 'diverged', width: 8 },
  { key: 'assumed', 'zh-CN': '含假设', en: 'assumed', width: 8 },
  { key: 'why', 'zh-CN': '原因', en: 'why', width: 60 },
];

const RUN_NAMES: Record<'baseline' | 'candidate', Names> = { baseline: { 'zh-CN': '现行', en: 'baseline' }, candidate: { 'zh-CN': '候选', en: 'candidate' } };
const YES: Record<Language, [string, string]> = { 'zh-CN': ['是', '否'], en: ['yes', 'no'] };

function table(rows: readonly CaseComparison[], language: Language): { header: string[]; widths: number[]; body: Cell[][] } {
  const [yes, no] = YES[language];
  const runs = ['baseline', 'candidate'] as const;
  const header = [language === 'zh-CN' ? '售后单号' : 'Case', language === 'zh-CN' ? '售后类型' : 'Type', language === 'zh-CN' ? '有变化' : 'Changed'];
  const widths = [24, 16, 8];
  for (const run of runs) {
    for (const c of FIGURE_COLUMNS) {
      header.push(`${RUN_NAMES[run][language]} ${c[language]}`);
      widths.push(c.width);
    }
  }
  // A figure a report made before it was reported (reminders) is an empty cell.
  const cell = (v: CaseFigures[keyof CaseFigures]): Cell => (typeof v === 'boolean' ? (v ? yes : no) : Array.isArray(v) ? v.join('; ') : (v ?? null));
  const typeName = (type: string) => (CASE_TYPE_NAMES as Record<string, Names | undefined>)[type]?.[language] ?? type;
  const body = rows.map((r) => [r.caseId, typeName(r.type), r.changed ? yes : no, ...runs.flatMap((run) => FIGURE_COLUMNS.map((c) => cell(r[run][c.key])))]);
  return { header, widths, body };
}

export function simulationCsv(rows: readonly CaseComparison[], language: Language): string {
  const { header, body } = table(rows, language);
  return tableCsv(header, body);
}

export async function simulationXlsx(rows: readonly CaseComparison[], language: Language): Promise<Buffer> {
  const { header, widths, body } = table(rows, language);
  return tableXlsx(language === 'zh-CN' ? '政策模拟' : 'Policy what-if', header.map((h, i) => ({ header: h, width: widths[i]! })), body);
}
