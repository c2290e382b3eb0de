/**
 * The what-if's per-case file says what the console's what-if page says (reports/simulation-export.ts).
 * A trial compared the two and found the file's columns named "baseline" / "candidate" where the
 * page says "Current policy, replayed" / "Candidate", outcome codes (REJECTED, NOT_SHIPPED) where
 * the page has words, and no "What happened" beside the runs. The words here are read from the
 * console's own dictionaries, so the file and the page cannot drift apart unnoticed.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { consoleEn } from '../../console/src/lib/i18n/console-en.js';
import { consoleZh } from '../../console/src/lib/i18n/console-zh.js';
import { whatIfEn } from '../../console/src/lib/i18n/whatif-en.js';
import { whatIfZh } from '../../console/src/lib/i18n/whatif-zh.js';
import type { ActualCaseFacts } from '../../db/policy-simulations.js';
import { simulationCsv, simulationXlsx } from '../../reports/simulation-export.js';
import { caseFigures, type CaseComparison, type CaseFigures } from '../../simulation/report.js';
import { actualResult } from '../../simulation/result.js';

const HOUR = 3_600_000;

const figures = (over: Partial<CaseFigures>): CaseFigures => ({
  outcome: 'CLOSED_UNANSWERED', stage: 'CLOSED', decision: null, decidedBy: null, approvedMinor: 0, refundedMinor: 0, shippingRefundedMinor: 0, compensationMinor: 0, costMinor: 0,
  hoursToSolution: null, hoursToClose: null, slaBreached: false, reminders: 0, diverged: false, assumed: false, why: [], dropped: [], assumedAt: [], ...over,
});

// An agent rejected a return; the candidate's policy approves it, and the customer's shipment is not in history.
const rejected: CaseComparison = {
  caseId: 'r1', type: 'RETURN_AND_REFUND', changed: true, differences: ['outcome', 'decision', 'decidedBy', 'approvedMinor'],
  baseline: figures({ outcome: 'REJECTED', decision: 'REJECT', decidedBy: 'AGENT', hoursToSolution: 30, hoursToClose: 30 }),
  candidate: figures({ outcome: 'NOT_SHIPPED', decision: 'APPROVE', decidedBy: 'POLICY', approvedMinor: 6666, diverged: true, assumed: true, why: ['propose (after 2 h) dropped: the case is not AWAITING_DECISION'] }),
};
// A missing item refunded at once; still open where the candidate's run stopped. Not in the read model.
const missing: CaseComparison = {
  caseId: 'm1', type: 'MISSING_ITEMS', changed: true, differences: ['outcome'],
  baseline: figures({ outcome: 'CLOSED_SATISFIED', decision: 'REFUND_NOW', decidedBy: 'POLICY', refundedMinor: 1500, costMinor: 1500 }),
  candidate: figures({ outcome: 'UNFINISHED', stage: 'AWAITING_AGENT', decision: 'REFUND_NOW', decidedBy: 'POLICY', refundedMinor: 1500, costMinor: 1500 }),
};
const rows = [rejected, missing];

// What really happened to r1, from its timeline and ledger: rejected by an agent after a missed deadline, and still open.
const facts: ActualCaseFacts = {
  caseId: 'r1', workflowType: 'RETURN_AND_REFUND', openedAt: 0, status: 'OPEN', stage: 'AWAITING_AGENT', opening: {}, ledger: [],
  steps: [{ kind: 'SLA_BREACHED', at: 20 * HOUR, decision: null }, { kind: 'SOLUTION_PROPOSED', at: 30 * HOUR, decision: { rule: 'agentDecision', outcome: 'REJECT' } }],
};
const actual = new Map([['r1', caseFigures(actualResult(facts))]]);

/** The CSV as records: heading → cell, one per case. */
function parsed(csv: string): { header: string[]; records: Array<Record<string, string>> } {
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const cells = (line: string) => [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)].slice(0, -1).map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"'));
  const [head, ...lines] = csv.slice(1).trim().split('\r\n');
  const header = cells(head!);
  return { header, records: lines.map((l) => Object.fromEntries(cells(l).map((c, i) => [header[i]!, c]))) };
}

describe("the what-if's per-case file, in the console's words", () => {
  it("names the runs as the page does, in English and Chinese: what happened, the current policy replayed, the candidate", () => {
    const en = parsed(simulationCsv(rows, actual, 'en')).header;
    expect(en.slice(0, 4)).toEqual(['Case', 'Type', 'Changed', `${whatIfEn['whatIf.actual']}: outcome`]);
    expect(en).toContain('Current policy, replayed: outcome');
    expect(en).toContain('Candidate: outcome');
    expect(en.join('|')).not.toMatch(/baseline|candidate/);
    const zh = parsed(simulationCsv(rows, actual, 'zh-CN')).header;
    expect(zh.slice(0, 4)).toEqual(['售后单号', '售后类型', '有变化', `${whatIfZh['whatIf.actual']}：结果`]);
    expect(zh).toContain(`${whatIfZh['whatIf.baseline']}：结果`);
    expect(zh).toContain(`${whatIfZh['whatIf.candidate']}：结果`);
    expect(zh).not.toContain('现行 结果');
    // In the page's order: what happened, then the current policy, then the candidate.
    expect(en.indexOf('What happened: cost (minor)')).toBeLessThan(en.indexOf('Current policy, replayed: cost (minor)'));
    expect(en.indexOf('Current policy, replayed: cost (minor)')).toBeLessThan(en.indexOf('Candidate: cost (minor)'));
  });

  it('says outcomes, decisions and who decided in words, the codes following in columns of their own for programs', () => {
    const { header, records } = parsed(simulationCsv(rows, actual, 'en'));
    const [r, m] = records;
    expect([r!['Current policy, replayed: outcome'], r!['Current policy, replayed: decision'], r!['Current policy, replayed: decided by']]).toEqual([consoleEn['closeReason.REJECTED'], consoleEn['decision.REJECT'], whatIfEn['whatIf.by.AGENT']]);
    expect([r!['Candidate: outcome'], r!['Candidate: decision'], r!['Candidate: decided by']]).toEqual(['Not shipped', 'Approve', 'by policy']);
    expect([m!['Current policy, replayed: outcome'], m!['Candidate: outcome'], m!['Candidate: decision']]).toEqual(['Closed: satisfied', 'Still open at the end', 'Refund at once']);
    expect(r!.Type).toBe('Return and refund');
    // The codes, the same in both languages, after every worded column.
    expect([r!['Type code'], r!['Current policy, replayed: outcome code'], r!['Current policy, replayed: decision code'], r!['Candidate: outcome code'], r!['Candidate: decided by code']]).toEqual(['RETURN_AND_REFUND', 'REJECTED', 'REJECT', 'NOT_SHIPPED', 'POLICY']);
    expect(header.indexOf('Type code')).toBeGreaterThan(header.indexOf('Candidate: why'));
    expect(m!['Candidate: outcome code']).toBe('UNFINISHED');
    // No code where a person reads words.
    const worded = header.filter((h) => /: (outcome|decision|decided by)$/.test(h));
    for (const record of records) for (const h of worded) expect(record[h]).not.toMatch(/^[A-Z][A-Z_]+$/);

    const zh = parsed(simulationCsv(rows, actual, 'zh-CN')).records[0]!;
    expect([zh['现行政策（重跑）：结果'], zh['现行政策（重跑）：审核'], zh['现行政策（重跑）：审核方'], zh['候选政策：结果']]).toEqual([consoleZh['closeReason.REJECTED'], consoleZh['decision.REJECT'], whatIfZh['whatIf.by.AGENT'], consoleZh['closeReason.NOT_SHIPPED']]);
    expect(zh['候选政策：结果代码']).toBe('NOT_SHIPPED');
  });

  it('sets what happened to each case beside the runs, as it stands, and leaves the cells of a case the read model does not have empty', () => {
    const { header, records } = parsed(simulationCsv(rows, actual, 'en'));
    const [r, m] = records;
    expect([r!['What happened: outcome'], r!['What happened: decision'], r!['What happened: decided by'], r!['What happened: SLA breached'], r!['What happened: hours to solution']]).toEqual(['Open', 'Reject', 'by an agent', 'yes', '30']);
    expect([r!['What happened: outcome code'], r!['What happened: decision code']]).toEqual(['OPEN', 'REJECT']);
    // It happened: nothing diverged or assumed, no why.
    expect(header.filter((h) => h.startsWith('What happened:') && /diverged|assumed|why/.test(h))).toEqual([]);
    expect(header.filter((h) => h.startsWith('What happened:')).every((h) => m![h] === '')).toBe(true);
    expect(m!['Candidate: refunded (minor)']).toBe('1500');
  });

  it('a real case that closed says why, as a replay does: "Rejected", not "Closed"', () => {
    const closed = new Map([['r1', caseFigures(actualResult({ ...facts, status: 'CLOSED', stage: 'CLOSED', closeReason: 'REJECTED' }))]]);
    const r = parsed(simulationCsv(rows, closed, 'en')).records[0]!;
    expect([r['What happened: outcome'], r['What happened: outcome code']]).toEqual([consoleEn['closeReason.REJECTED'], 'REJECTED']);
    expect(r['What happened: outcome']).toBe(r['Current policy, replayed: outcome']);
  });

  it('is the same table as XLSX', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await simulationXlsx(rows, actual, 'zh-CN')) as never);
    const sheet = book.getWorksheet('政策模拟')!;
    expect(sheet.rowCount).toBe(3);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(parsed(simulationCsv(rows, actual, 'zh-CN')).header);
    const at = (name: string) => sheet.getRow(2).getCell(header.indexOf(name) + 1).value;
    expect([at('实际结果：结果'), at('现行政策（重跑）：结果'), at('候选政策：结果'), at('候选政策：批准金额(分)'), at('候选政策：结果代码')]).toEqual(['处理中', '已拒绝', '未发货', 6666, 'NOT_SHIPPED']);
  });
});
