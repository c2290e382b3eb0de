/**
 * The policy what-if's per-case table as CSV or XLSX (reports/table-export.ts): one row per case,
 * what really happened to it beside the current policy's replay and the candidate's, with Chinese
 * or English column names. Amounts in minor units, as the API gives them everywhere.
 *
 * The file says what the console's what-if page says, in its words: the runs are named as the page
 * names them ("Current policy, replayed", "Candidate", "What happened"), and an outcome, a decision
 * and who decided are words, found as the page finds them (console/src/lib/i18n/index.ts label():
 * the console's dictionaries first, then the platform's names in domain/). A trial compared the
 * file with the page and found "baseline" / "candidate" and raw codes (REJECTED, NOT_SHIPPED) where
 * the page had words. The codes follow in columns of their own at the end, for programs (the same in
 * both languages), as the register export keeps its codes (reports/register-export.ts).
 *
 * "What happened" is each case as it stands when the file is made (`actual`: simulation/result.ts
 * actualResult over the read model, as the report's totals read it): a case still open counts as
 * far as it has gone. It has no diverged, assumed or why: it happened.
 */
import { codesEn } from '../console/src/lib/i18n/codes-en.js';
import { codesZh } from '../console/src/lib/i18n/codes-zh.js';
import { consoleEn } from '../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../console/src/lib/i18n/console-zh.js';
import { whatIfEn } from '../console/src/lib/i18n/whatif-en.js';
import { whatIfZh } from '../console/src/lib/i18n/whatif-zh.js';
import { CASE_STAGE_NAMES, CASE_STATUS_NAMES, CASE_TYPE_NAMES, DOCUMENT_NAMES, ROOT_CAUSE_CATEGORY_NAMES, ROOT_CAUSES, type Names } from '../domain/index.js';
import { STEP_NAMES } from '../domain/step-names.js';
import type { CaseComparison, CaseFigures } from '../simulation/report.js';
import type { Language } from './register-export.js';
import { tableCsv, tableXlsx, type Cell } from './table-export.js';

type Figure = keyof CaseFigures;

const FIGURE_COLUMNS: Array<{ key: Figure; 'zh-CN': string; en: string; width: number; run?: true }> = [
  { key: 'outcome', 'zh-CN': '结果', en: 'outcome', width: 24 },
  { key: 'decision', 'zh-CN': '审核', en: 'decision', width: 14 },
  { key: 'decidedBy', 'zh-CN': '审核方', en: 'decided by', width: 12 },
  { key: 'approvedMinor', 'zh-CN': '批准金额(分)', en: 'approved (minor)', width: 14 },
  { key: 'refundedMinor', 'zh-CN': '退款(分)', en: 'refunded (minor)', width: 14 },
  { key: 'shippingRefundedMinor', 'zh-CN': '退运费(分)', en: 'shipping refunded (minor)', width: 14 },
  { key: 'compensationMinor', 'zh-CN': '补偿(分)', en: 'compensation (minor)', width: 14 },
  { key: 'costMinor', 'zh-CN': '成本(分)', en: 'cost (minor)', width: 14 },
  { key: 'hoursToSolution', 'zh-CN': '出方案用时(小时)', en: 'hours to solution', width: 12 },
  { key: 'hoursToClose', 'zh-CN': '结案用时(小时)', en: 'hours to close', width: 12 },
  { key: 'slaBreached', 'zh-CN': '超时', en: 'SLA breached', width: 8 },
  { key: 'reminders', 'zh-CN': '催办提醒', en: 'reminders to staff', width: 10 },
  // Only the runs: what happened rests on nothing but history.
  { key: 'diverged', 'zh-CN': '偏离历史', en: 'diverged', width: 8, run: true },
  { key: 'assumed', 'zh-CN': '含假设', en: 'assumed', width: 8, run: true },
  { key: 'why', 'zh-CN': '原因', en: 'why', width: 60, run: true },
];

/** The worded columns whose codes follow at the end. */
const CODE_COLUMNS: Array<{ key: 'outcome' | 'decision' | 'decidedBy'; 'zh-CN': string; en: string }> = [
  { key: 'outcome', 'zh-CN': '结果代码', en: 'outcome code' },
  { key: 'decision', 'zh-CN': '审核代码', en: 'decision code' },
  { key: 'decidedBy', 'zh-CN': '审核方代码', en: 'decided by code' },
];

type Run = 'actual' | 'baseline' | 'candidate';
const RUNS: readonly Run[] = ['actual', 'baseline', 'candidate'];

/** The console's dictionaries, merged in the order console/src/lib/i18n/en.ts and zh.ts merge them. */
const WORDS: Record<Language, Record<string, string>> = { en: { ...codesEn, ...consoleEn, ...whatIfEn }, 'zh-CN': { ...codesZh, ...consoleZh, ...whatIfZh } };
/** The page's names of the three columns (whatIf.actual, whatIf.baseline, whatIf.candidate). */
const RUN_KEYS: Record<Run, string> = { actual: 'whatIf.actual', baseline: 'whatIf.baseline', candidate: 'whatIf.candidate' };
/** A run's name and a figure's, as one heading: "Candidate: outcome", "候选政策：结果". */
const heading = (run: Run, figure: string, language: Language) => `${WORDS[language][RUN_KEYS[run]]}${language === 'zh-CN' ? '：' : ': '}${figure}`;

/** The platform's names the console shows (console/src/lib/i18n/domain-names.ts), in its order. */
const subCauses: Record<string, Names> = Object.fromEntries(Object.values(ROOT_CAUSES as Record<string, Record<string, Names>>).flatMap((subs) => Object.entries(subs)));
const DOMAIN_NAMES: Readonly<Record<string, Readonly<Record<string, Names>>>> = { type: CASE_TYPE_NAMES, status: CASE_STATUS_NAMES, stage: CASE_STAGE_NAMES, document: DOCUMENT_NAMES, rootCauseCategory: ROOT_CAUSE_CATEGORY_NAMES, rootCause: subCauses, step: STEP_NAMES };
const known = (table: Readonly<Record<string, Names>> | undefined, code: string, language: Language) => (table && Object.hasOwn(table, code) ? table[code]![language] : undefined);

/**
 * A code in the file's language as the console's label(kind, code) words it: `kind.CODE` in its
 * dictionary, else the platform's name of that kind of code, else the shared `value.CODE` or a name
 * the platform gives the code elsewhere, else the English words, else the code made words as the
 * console makes them (`WAITING_FOR_X` → `Waiting for x`; its code column says it exactly).
 */
function label(kind: string, code: string, language: Language): string {
  const dict = WORDS[language];
  const elsewhere = () => Object.values(DOMAIN_NAMES).find((table) => Object.hasOwn(table, code));
  return dict[`${kind}.${code}`] ?? known(DOMAIN_NAMES[kind], code, language) ?? dict[`value.${code}`] ?? known(elsewhere(), code, language) ?? WORDS.en[`${kind}.${code}`] ?? humanize(code);
}

/** console/src/lib/i18n/index.ts humanize. */
function humanize(code: string): string {
  const words = code.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Each figure's words as the page's per-case table says them (routes/what-if/+page.svelte outcomeText). */
const WORDED: Partial<Record<Figure, (code: string, language: Language) => string>> = {
  // A run's result (REJECTED, CLOSED_UNANSWERED, UNFINISHED…); what happened: the case's status (OPEN, CLOSED…).
  outcome: (code, language) => label('closeReason', code, language),
  // APPROVE / REJECT in the decision's words, another type's decision (REFUND_NOW…) in the timeline's.
  decision: (code, language) => (`decision.${code}` in WORDS[language] ? label('decision', code, language) : label('outcome', code, language)),
  decidedBy: (code, language) => WORDS[language][`whatIf.by.${code}`] ?? code,
};

function table(rows: readonly CaseComparison[], actual: ReadonlyMap<string, CaseFigures>, language: Language): { header: string[]; widths: number[]; body: Cell[][] } {
  const [yes, no] = language === 'zh-CN' ? ['是', '否'] : ['yes', 'no'];
  const columns = (run: Run) => FIGURE_COLUMNS.filter((c) => run !== 'actual' || !c.run);
  const header = [language === 'zh-CN' ? '售后单号' : 'Case', language === 'zh-CN' ? '售后类型' : 'Type', language === 'zh-CN' ? '有变化' : 'Changed'];
  const widths = [24, 16, 8];
  for (const run of RUNS) {
    for (const c of columns(run)) {
      header.push(heading(run, c[language], language));
      widths.push(c.width);
    }
  }
  header.push(language === 'zh-CN' ? '售后类型代码' : 'Type code');
  widths.push(20);
  for (const run of RUNS) {
    for (const c of CODE_COLUMNS) {
      header.push(heading(run, c[language], language));
      widths.push(16);
    }
  }
  // A figure a report made before it was reported (reminders), or a case the read model does not have, is an empty cell.
  const cell = (key: Figure, v: CaseFigures[Figure] | undefined): Cell =>
    typeof v === 'boolean' ? (v ? yes : no) : Array.isArray(v) ? v.join('; ') : typeof v === 'string' && WORDED[key] ? WORDED[key](v, language) : (v ?? null);
  const figures = (r: CaseComparison, run: Run): CaseFigures | undefined => (run === 'actual' ? actual.get(r.caseId) : r[run]);
  const body = rows.map((r) => [
    r.caseId,
    label('type', r.type, language),
    r.changed ? yes : no,
    ...RUNS.flatMap((run) => columns(run).map((c) => cell(c.key, figures(r, run)?.[c.key]))),
    r.type,
    ...RUNS.flatMap((run) => CODE_COLUMNS.map((c) => figures(r, run)?.[c.key] ?? null)),
  ]);
  return { header, widths, body };
}

/** `actual`: what each case really came to, by case id (a case not in it has empty "What happened" cells). */
export function simulationCsv(rows: readonly CaseComparison[], actual: ReadonlyMap<string, CaseFigures>, language: Language): string {
  const { header, body } = table(rows, actual, language);
  return tableCsv(header, body);
}

export async function simulationXlsx(rows: readonly CaseComparison[], actual: ReadonlyMap<string, CaseFigures>, language: Language): Promise<Buffer> {
  const { header, widths, body } = table(rows, actual, language);
  return tableXlsx(language === 'zh-CN' ? '政策模拟' : 'Policy what-if', header.map((h, i) => ({ header: h, width: widths[i]! })), body);
}
