/** The what-if report from two runs' case results: per-case rows, totals with the cases they rest on, and the words for what history cannot show. */
import { describe, expect, it } from 'vitest';
import { simulationCsv } from '../../reports/simulation-export.js';
import { compareRuns } from '../../simulation/report.js';
import type { ActualCaseFacts } from '../../db/policy-simulations.js';
import { actualResult, ledgerCost, type CaseResult } from '../../simulation/result.js';

const HOUR = 3_600_000;
const noCost = { refundsMinor: 0, replacementGoodsMinor: 0, logisticsMinor: 0, repairsMinor: 0, compensationMinor: 0, recoveredMinor: 0, netMinor: 0 };

function result(caseId: string, over: Partial<CaseResult>): CaseResult {
  return {
    caseId, simulatedCaseId: `sim-${caseId}`, workflowType: 'returnAndRefund', outcome: 'CLOSED_UNANSWERED', status: 'CLOSED', stage: 'CLOSED', stages: [], decisions: [],
    approvedMinor: 0, refunds: [], reminders: 0, refundedMinor: 0, shippingRefundedMinor: 0, ledger: {}, cost: noCost, slaBreached: false,
    diverged: false, dropped: [], formerlyRefusedAccepted: [], assumed: false, assumptions: [], assumedAt: [], ...over,
  };
}

const refunded = (caseId: string, minor: number, over: Partial<CaseResult> = {}) =>
  result(caseId, { decision: 'APPROVE', decidedBy: 'POLICY', approvedMinor: minor, refundedMinor: minor, refunds: [minor], cost: { ...noCost, refundsMinor: minor, netMinor: minor }, timeToSolutionMs: HOUR, timeToCloseMs: 240 * HOUR, ...over });

describe('comparing a baseline and a candidate run', () => {
  const baseline = [refunded('a', 5000), result('b', { decision: 'REJECT', decidedBy: 'AGENT', outcome: 'REJECTED', timeToSolutionMs: 30 * HOUR, timeToCloseMs: 30 * HOUR, slaBreached: true }), result('c', { outcome: 'UNFINISHED' })];
  const candidate = [
    refunded('a', 5000),
    refunded('b', 3000, { diverged: true, dropped: [{ afterMs: 2 * HOUR, kind: 'propose', reason: 'the case is not AWAITING_DECISION', stage: 'AWAITING_RETURN_SHIPMENT' }], timeToCloseMs: 100 * HOUR }),
    result('c', { outcome: 'UNFINISHED' }),
  ];
  const report = compareRuns(baseline, candidate, { rules: { noReasonReturnDays: 15, inspectionHours: 24 } }, new Map([['a', 'RETURN_AND_REFUND']]));
  const total = (name: string) => report.totals.find((t) => t.name === name);

  it('shows each case side by side, and which the candidate changed', () => {
    expect(report.rows.map((r) => [r.caseId, r.type, r.changed])).toEqual([['a', 'RETURN_AND_REFUND', false], ['b', 'returnAndRefund', true], ['c', 'returnAndRefund', false]]);
    expect(report.rows[1]!.candidate).toMatchObject({ decision: 'APPROVE', refundedMinor: 3000, hoursToClose: 100, diverged: true, why: ['propose (after 2 h) dropped: the case is not AWAITING_DECISION'], dropped: [{ input: 'propose', afterHours: 2, stage: 'AWAITING_RETURN_SHIPMENT', reason: 'the case is not AWAITING_DECISION' }] });
    expect(report.counts).toEqual({ changed: 1, diverged: 1, assumed: 0, unfinished: { baseline: 1, candidate: 1 } });
  });

  it('totals each figure with its difference and the number of cases it rests on', () => {
    // Money over the cases both runs carried as far: all three (c is still open in both).
    expect(total('refundedMinor')).toEqual({ name: 'refundedMinor', unit: 'minor', baseline: 5000, candidate: 8000, difference: 3000, cases: 3 });
    // A mean of money in whole minor units, as the page shows it (5000 / 3 and 8000 / 3).
    expect(total('costPerCaseMinor')).toMatchObject({ baseline: 1667, candidate: 2667, difference: 1000, cases: 3 });
    // Of the cases with a decision (a and b): one of two approved by the rules, then both.
    expect(total('autoApprovalRate')).toMatchObject({ baseline: 0.5, candidate: 1, difference: 0.5, cases: 2 });
    expect(total('slaBreaches')).toMatchObject({ baseline: 1, candidate: 0, difference: -1 });
    expect(total('onTimeRate')).toMatchObject({ baseline: 0.5, candidate: 1, cases: 2 });
    // The unfinished case has no close time: the mean rests on two cases.
    expect(total('meanHoursToClose')).toMatchObject({ baseline: 135, candidate: 170, difference: 35, cases: 2 });
  });

  it('a case the candidate leaves waiting has refunded nothing yet: it saves nothing in the money totals, and its missed deadline is not on time', () => {
    // The candidate sends b to an agent history has no answer from: still waiting when the run stops, past its deadline.
    const run = compareRuns(
      [refunded('a', 5000), refunded('b', 4000)],
      [refunded('a', 5000), result('b', { outcome: 'UNFINISHED', stage: 'AWAITING_DECISION', slaBreached: true })],
      { rules: { autoApproveReturnMaxAmountMinor: 0 } },
    );
    const t = (name: string) => run.totals.find((x) => x.name === name);
    expect(t('refundedMinor')).toMatchObject({ baseline: 5000, candidate: 5000, difference: 0, cases: 1 });
    expect(t('slaBreaches')).toMatchObject({ baseline: 0, candidate: 1 });
    expect(t('onTimeRate')).toMatchObject({ baseline: 1, candidate: 0.5, cases: 2 });
    expect(run.counts.unfinished).toEqual({ baseline: 0, candidate: 1 });
    // Both runs stopped, at different stages: as far apart as finished and waiting.
    const apart = compareRuns(
      [refunded('a', 5000), refunded('b', 5000, { outcome: 'UNFINISHED', stage: 'AWAITING_RESTOCK' })],
      [refunded('a', 5000), result('b', { outcome: 'UNFINISHED', stage: 'AWAITING_DECISION' })],
      {},
    );
    expect(apart.totals.find((x) => x.name === 'refundedMinor')).toMatchObject({ baseline: 5000, candidate: 5000, difference: 0, cases: 1 });
  });

  it('sets what really happened beside both runs: the same rules over the real timeline and ledger', () => {
    const order = { items: [{ sku: 'MUG', unitPriceMinor: 3000 }] };
    const facts = (caseId: string, over: Partial<ActualCaseFacts>): ActualCaseFacts => ({ caseId, workflowType: 'RETURN_AND_REFUND', openedAt: 0, status: 'CLOSED', stage: 'CLOSED', opening: { order, request: { lines: [{ sku: 'MUG', quantity: 2 }] } }, steps: [], ledger: [], ...over });
    const real = new Map([
      // Approved by the policy an hour in, refunded 6000 of which 1000 was a delay's compensation; closed after 10 days.
      ['a', actualResult(facts('a', { steps: [{ kind: 'SOLUTION_PROPOSED', at: HOUR, decision: { rule: 'noReasonReturnDays', outcome: 'APPROVE' } }], ledger: [{ caseId: 'a', stepKey: 'r', kind: 'REFUND', amountMinor: -6000, currency: 'CNY', lines: [{ kind: 'COMPENSATION', amountMinor: 1000 }] }], closedAt: 240 * HOUR }))],
      // Rejected by an agent after a missed same-day deadline; still open.
      ['b', actualResult(facts('b', { status: 'OPEN', stage: 'AWAITING_AGENT', steps: [{ kind: 'SLA_BREACHED', at: 20 * HOUR, decision: null }, { kind: 'SOLUTION_PROPOSED', at: 30 * HOUR, decision: { rule: 'agentDecision', outcome: 'REJECT' } }] }))],
    ]);
    const run = compareRuns([refunded('a', 5000), refunded('b', 5000), refunded('c', 5000)], [refunded('a', 5000), refunded('b', 5000), refunded('c', 5000)], {}, new Map(), real);
    const actual = (name: string) => run.totals.find((t) => t.name === name)!.actual;
    // Over the cases the read model has (c is not in it).
    expect([actual('refundedMinor'), actual('compensationMinor'), actual('approvedMinor')]).toEqual([5000, 1000, 6000]);
    expect([actual('autoApprovalRate'), actual('slaBreaches'), actual('onTimeRate'), actual('meanHoursToClose')]).toEqual([0.5, 1, 0.5, 240]);
    // Without the read model's cases the report says nothing of them.
    expect(compareRuns([refunded('a', 1)], [refunded('a', 1)], {}).totals[0]).not.toHaveProperty('actual');
  });

  it('counts a case as changed whenever a figure a total rests on differs, and names the figures', () => {
    // Only who approved differs (the candidate's limit lets the policy approve what an agent did);
    // only the shipping refunded; only the time to close: each moves a total, so each is a change.
    const agentApproved = refunded('d', 5000, { decidedBy: 'AGENT' });
    const runs = compareRuns(
      [agentApproved, refunded('e', 5000), refunded('f', 5000)],
      [refunded('d', 5000), refunded('e', 5000, { shippingRefundedMinor: 1000 }), refunded('f', 5000, { timeToCloseMs: 200 * HOUR })],
      { rules: { autoApproveReturnMaxAmountMinor: 10_000 } },
    );
    expect(runs.rows.map((r) => [r.caseId, r.changed, r.differences])).toEqual([
      ['d', true, ['decidedBy']],
      ['e', true, ['shippingRefundedMinor']],
      ['f', true, ['hoursToClose']],
    ]);
    expect(runs.counts.changed).toBe(3);
    expect(runs.totals.filter((t) => t.difference !== 0).map((t) => t.name)).toEqual(['shippingRefundedMinor', 'autoApprovalRate', 'meanHoursToClose']);
  });

  it('counts the reminders to staff: what a reminder policy changes, where every other figure stays the same', () => {
    // A case left with an agent: reminded daily under the current policy, every few minutes and then
    // further apart under a candidate's 3-minute reminders. A supervisor read "no effect" before.
    const runs = compareRuns([refunded('r', 5000, { reminders: 2 }), refunded('s', 5000)], [refunded('r', 5000, { reminders: 11 }), refunded('s', 5000)], { rules: { agentReminderHours: 0.05 } });
    expect(runs.rows.map((r) => [r.caseId, r.changed, r.differences])).toEqual([
      ['r', true, ['reminders']],
      ['s', false, []],
    ]);
    expect(runs.totals.find((t) => t.name === 'reminders')).toMatchObject({ unit: 'count', baseline: 2, candidate: 11, difference: 9, cases: 2 });
    expect(runs.totals.filter((t) => t.difference !== 0).map((t) => t.name)).toEqual(['reminders']);
  });

  it('never reports totals that differ over no changed case', () => {
    const unchanged = compareRuns(baseline, baseline, {});
    expect(unchanged.counts.changed).toBe(0);
    expect(unchanged.rows.every((r) => r.differences?.length === 0)).toBe(true);
    expect(unchanged.totals.every((t) => t.difference === 0 || t.difference === null)).toBe(true);
  });

  it('gives totals as precise as the page shows them, so that each difference is the candidate less the baseline as shown', () => {
    // A what-if a supervisor ran: costs 102.99 and 94.99 over six cases (17.165 and 15.832 per
    // case), one request of three approved by the rules, then two. Rounded finer than shown, the
    // page read ¥17.17 → ¥15.83 with a difference of −¥1.33, and 33.3 % → 66.7 % with +33.3 %.
    const run6 = (net: number[], secondBy: 'POLICY' | 'AGENT') =>
      net.map((n, i) => refunded(`k${i}`, n, i === 0 ? {} : i === 1 ? { decidedBy: secondBy } : i === 2 ? { decidedBy: 'AGENT' } : { decision: undefined, decidedBy: undefined }));
    const before = run6([7466, 1500, 0, 333, 1000, 0], 'AGENT');
    const after = run6([6666, 1500, 0, 333, 1000, 0], 'POLICY');
    const run = compareRuns(before, after, {});
    const shown = (name: string) => run.totals.find((t) => t.name === name)!;
    expect(shown('costPerCaseMinor')).toMatchObject({ baseline: 1717, candidate: 1583, difference: -134 });
    expect(shown('autoApprovalRate')).toMatchObject({ baseline: 0.333, candidate: 0.667, difference: 0.334, cases: 3 });
    for (const t of run.totals) {
      if (t.baseline === null || t.candidate === null) continue;
      const decimals = { minor: 0, share: 3, hours: 1, count: 0 }[t.unit];
      for (const v of [t.baseline, t.candidate, t.difference!]) expect(Number(v.toFixed(decimals)), `${t.name} ${v}`).toBe(v);
      expect(t.difference, t.name).toBe(Number((t.candidate - t.baseline).toFixed(decimals)));
    }
  });

  it("counts a delay's compensation, paid as a refund, once: as compensation, as the costs do", () => {
    // The ledger the delay workflow writes (workflows/delivery-delay.ts): one REFUND whose line says it compensates.
    const ledger = [{ caseId: 'd', stepKey: 'ledger:compensation', kind: 'REFUND' as const, amountMinor: -1000, currency: 'CNY', lines: [{ kind: 'COMPENSATION', daysLate: 2, amountMinor: 1000 }] }];
    const delay = result('d', { workflowType: 'deliveryDelay', refunds: [1000], refundedMinor: 1000, cost: ledgerCost(ledger) });
    const run = compareRuns([delay, refunded('r', 5000)], [delay, refunded('r', 5000)], {});
    expect(run.rows[0]!.baseline).toMatchObject({ refundedMinor: 0, compensationMinor: 1000, costMinor: 1000 });
    const total = (name: string) => run.totals.find((t) => t.name === name)!.baseline!;
    expect([total('refundedMinor'), total('compensationMinor')]).toEqual([5000, 1000]);
    // Refunds and compensation (no goods, logistics or recoveries here) are the cost per case times the cases.
    expect(total('refundedMinor') + total('compensationMinor')).toBe(total('costPerCaseMinor') * run.cases);
  });

  it('rates auto-approval over the requests approved or rejected, not over other case types\' decisions', () => {
    // A missing item refunded at once by the rules beside two returns, one approved by the rules.
    const missing = refunded('m', 1500, { workflowType: 'missingItems', decision: 'REFUND_NOW', approvedMinor: 0 });
    const run = compareRuns([missing, refunded('r1', 5000), refunded('r2', 5000, { decidedBy: 'AGENT' })], [missing, refunded('r1', 5000), refunded('r2', 5000)], {});
    expect(run.totals.find((t) => t.name === 'autoApprovalRate')).toMatchObject({ baseline: 0.5, candidate: 1, difference: 0.5, cases: 2 });
  });

  it('says in words what history cannot show, for every changed rule', () => {
    expect(report.notShown).toHaveLength(2);
    expect(report.notShown[0]).toMatch(/no-reason window.*not in these figures/);
    expect(report.notShown[1]).toMatch(/^inspectionHours: .*not estimated/);
  });

  it('exports the table with Chinese column names', () => {
    const [header, ...lines] = simulationCsv(report.rows, new Map(), 'zh-CN').replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header!.split(',').slice(0, 4)).toEqual(['售后单号', '售后类型', '有变化', '实际结果：结果']);
    expect(header!.split(',')).toContain('现行政策（重跑）：结果');
    expect(lines).toHaveLength(3);
    // Without what happened (no read model here), its cells are empty; the current policy's outcome is words.
    expect(lines[0]!.startsWith('a,退货退款,否,,')).toBe(true);
    expect(lines[0]).toContain(',已结案：回访未答复,');
  });
});
