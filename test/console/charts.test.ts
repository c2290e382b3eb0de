/**
 * The supervisor dashboard's chart builders and the admin page's policy fields, as pure functions:
 * chart data is the server's rows as they are (gaps where the server has none, the Pareto's
 * cumulative line the server's shares summed in order), and a policy version flattens, diffs and
 * turns edits into the body the API takes.
 */
import { describe, expect, it } from 'vitest';
import { costOption, costSeries, monthsEnding, type CostReport } from '../../console/src/lib/charts/costs.js';
import { addDays, defaultRange, dueDate, localDate, periodsOf, startOfDay } from '../../console/src/lib/charts/dates.js';
import { figureOption, figureSeries, targetOf, type FigureRow } from '../../console/src/lib/charts/figures.js';
import { paretoOption, paretoSeries } from '../../console/src/lib/charts/pareto.js';
import { changeBody, diff, fieldOfProblem, flatten, fromText, isMoney, toText } from '../../console/src/routes/admin/policy-fields.js';

const row = (period: string, key: string | null, f: Partial<FigureRow>): FigureRow => ({
  period,
  key,
  cases: 1,
  resolved: 1,
  onTime: 1,
  revisited: 0,
  satisfied: 0,
  complaints: 0,
  orders: 0,
  satisfactionPct: null,
  resolutionPct: null,
  complaintPermille: null,
  onTimePct: null,
  ...f,
});

const words = { title: 'T', seriesName: (k: string | null) => k ?? 'all', target: 'Target', period: (p: string) => p, value: (v: number) => `${v} %` };

describe('figure series', () => {
  it('one series per breakdown key in the order the server sends them, null where a period has no row', () => {
    const rows = [row('2026-03-01', 'COMPLAINT', { resolutionPct: 50 }), row('2026-03-01', 'WRONG_ITEM', { resolutionPct: 100 }), row('2026-03-02', 'WRONG_ITEM', { resolutionPct: 0 })];
    const s = figureSeries(rows, 'resolutionPct');
    expect(s).toEqual({
      figure: 'resolutionPct',
      periods: ['2026-03-01', '2026-03-02'],
      series: [
        { key: 'COMPLAINT', data: [50, null] },
        { key: 'WRONG_ITEM', data: [100, 0] },
      ],
      target: null,
    });
    const option = figureOption(s, '%', words) as { series: Array<{ data: unknown; markLine?: unknown }>; xAxis: { data: string[] } };
    expect(option.xAxis.data).toEqual(s.periods);
    expect(option.series.map((x) => x.data)).toEqual([[50, null], [100, 0]]);
    expect(option.series[0]!.markLine).toBeUndefined();
  });

  it('with the range’s periods, a period without cases is a gap on the axis', () => {
    const s = figureSeries([row('2026-03-02', null, { onTimePct: 100 })], 'onTimePct', null, ['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(s.periods).toEqual(['2026-03-01', '2026-03-02', '2026-03-03']);
    expect(s.series).toEqual([{ key: null, data: [null, 100, null] }]);
  });

  it("keeps the server's nulls (nothing to divide by) and draws the policy's target as a mark line", () => {
    const s = figureSeries([row('2026-03-01', null, { satisfactionPct: null }), row('2026-03-02', null, { satisfactionPct: 80 })], 'satisfactionPct', targetOf({ satisfactionTargetPct: 95 }, 'satisfactionTargetPct'));
    expect(s.series).toEqual([{ key: null, data: [null, 80] }]);
    expect(s.target).toBe(95);
    const option = figureOption(s, '%', words) as { series: Array<{ markLine: { data: Array<{ yAxis: number }>; label: { position: string } } }>; grid: { right: number } };
    expect(option.series[0]!.markLine.data).toEqual([{ yAxis: 95, name: 'Target' }]);
    // Its words outside the plot, in a margin of their own: inside they covered the newest point.
    expect(option.series[0]!.markLine.label.position).toBe('end');
    expect(option.grid.right).toBeGreaterThan((figureOption({ ...s, target: null }, '%', words) as { grid: { right: number } }).grid.right);
    expect(targetOf({ noReasonReturnDays: 7 }, 'satisfactionTargetPct')).toBeNull();
    expect(targetOf(undefined, 'satisfactionTargetPct')).toBeNull();
  });
});

describe('the root-cause Pareto', () => {
  it("bars in the server's order (biggest first) and the running sum of its shares", () => {
    const s = paretoSeries({
      by: 'category',
      rows: [
        { key: 'PEOPLE', cases: 3, share: 37.5 },
        { key: 'WAREHOUSE', cases: 3, share: 37.5 },
        { key: 'TRANSPORT', cases: 1, share: 12.5 },
        { key: null, cases: 1, share: 12.5 },
      ],
    });
    expect(s).toEqual({ by: 'category', keys: ['PEOPLE', 'WAREHOUSE', 'TRANSPORT', null], cases: [3, 3, 1, 1], share: [37.5, 37.5, 12.5, 12.5], cumulative: [37.5, 75, 87.5, 100] });
    // Shares of thirds: two decimals each, no floating-point tail in the sum.
    expect(paretoSeries({ by: 'sku', rows: [1, 2, 3].map((i) => ({ key: `S${i}`, cases: 1, share: 33.33 })) }).cumulative).toEqual([33.33, 66.66, 99.99]);
    const option = paretoOption(s, { title: 'P', cases: 'Cases', cumulative: 'Cumulative', key: (k) => k ?? 'none', percent: (v) => `${v} %` }) as { xAxis: { data: string[] }; series: Array<{ type: string; data: number[]; yAxisIndex?: number }> };
    expect(option.xAxis.data).toEqual(['PEOPLE', 'WAREHOUSE', 'TRANSPORT', 'none']);
    expect(option.series.map((x) => [x.type, x.data, x.yAxisIndex ?? 0])).toEqual([
      ['bar', [3, 3, 1, 1], 0],
      ['line', [37.5, 75, 87.5, 100], 1],
    ]);
  });
});

describe('cost against budget', () => {
  const month = (period: string, netMinor: number, budgetMinor: number | null): CostReport => ({
    merchantId: 'm',
    period,
    timeZone: 'Asia/Shanghai',
    currency: 'CNY',
    otherCurrencies: [],
    refundsMinor: netMinor,
    replacementGoodsMinor: 0,
    logisticsMinor: 0,
    repairsMinor: 0,
    compensationMinor: 0,
    recoveredMinor: 0,
    netMinor,
    budgetMinor,
    remainingMinor: budgetMinor === null ? null : budgetMinor - netMinor,
    overBudget: budgetMinor === null ? null : netMinor > budgetMinor,
  });

  it('net cost bars and the budget line in minor units as served, a gap for a month without budget', () => {
    const s = costSeries([month('2026-02', 1000, null), month('2026-03', 4000, 10000)]);
    expect(s).toEqual({ currency: 'CNY', periods: ['2026-02', '2026-03'], net: [1000, 4000], budget: [null, 10000] });
    const option = costOption(s, { title: 'C', net: 'Net', budget: 'Budget', period: (p) => p, money: (v) => String(v), axis: (v) => String(v) }) as { series: Array<{ data: unknown }> };
    expect(option.series.map((x) => x.data)).toEqual([[1000, 4000], [null, 10000]]);
  });

  it('the axis steps by at least one unit of the currency, so months without cost do not label every tick 0', () => {
    const words = { title: 'C', net: 'Net', budget: 'Budget', period: (p: string) => p, money: (v: number) => String(v), axis: (v: number) => String(v) };
    const axisOf = (currency: string) => (costOption({ ...costSeries([month('2026-02', 0, null)]), currency }, words) as { yAxis: { minInterval: number } }).yAxis.minInterval;
    expect([axisOf('CNY'), axisOf('JPY'), axisOf('KWD')]).toEqual([100, 1, 1000]);
  });

  it('the months ending with a month, across a year boundary', () => {
    expect(monthsEnding('2026-02', 4)).toEqual(['2025-11', '2025-12', '2026-01', '2026-02']);
  });
});

describe('dates of the queries', () => {
  it("today in the merchant's zone, and each grain's default range", () => {
    expect(localDate(new Date('2026-03-01T17:00:00Z'), 'Asia/Shanghai')).toBe('2026-03-02');
    expect(localDate(new Date('2026-03-01T17:00:00Z'), 'Europe/London')).toBe('2026-03-01');
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(defaultRange('2026-03-10', 'day')).toEqual({ from: '2026-02-09', to: '2026-03-11' });
    expect(defaultRange('2026-03-10', 'month')).toEqual({ from: '2025-04-01', to: '2026-03-11' });
  });

  it("a deadline at local midnight (a calendar day's end) falls due on the day it ends, so it is breaching today", () => {
    // 2026-12-03 00:00 in Beijing: the end of 2026-12-02 there, not a deadline of 2026-12-03.
    expect(dueDate(new Date('2026-12-02T16:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
    expect(dueDate(new Date('2026-12-02T16:00:01Z'), 'Asia/Shanghai')).toBe('2026-12-03');
    expect(dueDate(new Date('2026-12-02T10:00:00Z'), 'Asia/Shanghai')).toBe('2026-12-02');
    expect(dueDate(new Date('2026-12-03T00:00:00Z'), 'Europe/London')).toBe('2026-12-02');
  });

  it("the instant a shop's day begins, whatever the browser's zone (the what-if's period)", () => {
    expect(startOfDay('2026-12-05', 'Asia/Shanghai').toISOString()).toBe('2026-12-04T16:00:00.000Z');
    expect(startOfDay('2026-12-05', 'UTC').toISOString()).toBe('2026-12-05T00:00:00.000Z');
    // New York's clocks change at 02:00: the day before, the day of and the day after keep their own offsets.
    expect(startOfDay('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(startOfDay('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(startOfDay('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T04:00:00.000Z');
    expect(startOfDay('2026-11-02', 'America/New_York').toISOString()).toBe('2026-11-02T05:00:00.000Z');
    // Where a day itself starts at a change (Santiago springs forward at midnight), its first instant is 01:00.
    expect(startOfDay('2026-09-06', 'America/Santiago').toISOString()).toBe('2026-09-06T04:00:00.000Z');
    expect(localDate(startOfDay('2026-09-06', 'America/Santiago'), 'America/Santiago')).toBe('2026-09-06');
    expect(startOfDay('2026-09-05', 'America/Santiago').toISOString()).toBe('2026-09-05T04:00:00.000Z');
  });

  it('every period of a range as the server names them: days, ISO weeks from Monday, months', () => {
    expect(periodsOf('2026-02-27', '2026-03-03', 'day')).toEqual(['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    // 2026-03-04 is a Wednesday: its week starts on Monday 2026-03-02.
    expect(periodsOf('2026-03-04', '2026-03-17', 'week')).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(periodsOf('2025-12-15', '2026-02-02', 'month')).toEqual(['2025-12-01', '2026-01-01', '2026-02-01']);
  });
});

describe('policy fields', () => {
  const v1 = { rules: { noReasonReturnDays: 7, outsideWindowAction: 'AGENT' }, businessHours: { open: '09:00', workingDays: [1, 2, 3, 4, 5] }, fulfilment: { preferredCarrier: 'SF', defaultCarrier: { claimWindowDays: 30, followUpEveryDays: 3 }, carriers: {} } };
  const v2 = { ...v1, rules: { noReasonReturnDays: 15, outsideWindowAction: 'AGENT', autoApproveReturnMaxAmountMinor: 10000 }, fulfilment: { ...v1.fulfilment, carriers: { ZTO: { claimWindowDays: 60, followUpEveryDays: 5 } } } };

  it('flattens a version into the paths the API names, and diffs two versions field by field', () => {
    expect(flatten(v1).map((l) => l.path)).toEqual([
      'rules.noReasonReturnDays',
      'rules.outsideWindowAction',
      'businessHours.open',
      'businessHours.workingDays',
      'fulfilment.preferredCarrier',
      'fulfilment.defaultCarrier.claimWindowDays',
      'fulfilment.defaultCarrier.followUpEveryDays',
    ]);
    expect(diff(v1, v2)).toEqual([
      { path: 'rules.noReasonReturnDays', a: 7, b: 15 },
      { path: 'rules.autoApproveReturnMaxAmountMinor', a: undefined, b: 10000 },
      { path: 'fulfilment.carriers.ZTO.claimWindowDays', a: undefined, b: 60 },
      { path: 'fulfilment.carriers.ZTO.followUpEveryDays', a: undefined, b: 5 },
    ]);
    expect(diff(v1, v1)).toEqual([]);
  });

  it('shows and takes the money of a policy in yuan, and sends it in fen (minor units)', () => {
    expect(isMoney('fulfilment.smallAmountMaxMinor')).toBe(true);
    expect(isMoney('rules.noReasonReturnDays')).toBe(false);
    expect(toText(3000, 'fulfilment.smallAmountMaxMinor')).toBe('30.00');
    expect(toText(12_500, 'fulfilment.carriers.SF.maxClaimMinor')).toBe('125.00');
    expect(toText(3000, 'rules.noReasonReturnDays')).toBe('3000');
    expect(fromText('125', 3000, 'fulfilment.smallAmountMaxMinor')).toBe(12_500);
    expect(fromText('0.5', 3000, 'fulfilment.smallAmountMaxMinor')).toBe(50);
    expect(fromText('1,000.25', null, 'rules.autoApproveReturnMaxAmountMinor')).toBe(100_025);
    // Refused by the server by its field, as any other wrong value.
    expect(fromText('-3', 3000, 'fulfilment.smallAmountMaxMinor')).toBe(-300);
    expect(fromText('1.234', 3000, 'fulfilment.smallAmountMaxMinor')).toBe('1.234');
  });

  it("turns what was typed into the body: numbers and lists where the field holds them, else the text for the server's error", () => {
    expect(fromText(' 10 ', 7)).toBe(10);
    expect(fromText('ten', 7)).toBe('ten');
    expect(fromText('', 7)).toBe('');
    expect(fromText('1, 2，3', [1, 2])).toEqual([1, 2, 3]);
    expect(fromText('2027-01-01 2027-02-08', [])).toEqual(['2027-01-01', '2027-02-08']);
    expect(fromText('false', true)).toBe(false);
    expect(toText([1, 2])).toBe('1, 2');
    expect(changeBody(v2, { 'rules.noReasonReturnDays': 10, 'businessHours.open': '08:30', 'fulfilment.preferredCarrier': 'ZTO', 'fulfilment.defaultCarrier.claimWindowDays': 45, 'fulfilment.carriers.ZTO.followUpEveryDays': 7 })).toEqual({
      rules: { noReasonReturnDays: 10 },
      businessHours: { open: '08:30' },
      fulfilment: { preferredCarrier: 'ZTO', defaultCarrier: { claimWindowDays: 45, followUpEveryDays: 3 }, carriers: { ZTO: { claimWindowDays: 60, followUpEveryDays: 7 } } },
    });
  });

  it("places the API's field errors on the field they name", () => {
    const paths = flatten(v2).map((l) => l.path);
    expect(fieldOfProblem('body.rules.noReasonReturnDays', paths)).toBe('rules.noReasonReturnDays');
    expect(fieldOfProblem('body.businessHours.workingDays[2]', paths)).toBe('businessHours.workingDays');
    expect(fieldOfProblem('body.fulfilment.carriers.ZTO.claimWindowDays', paths)).toBe('fulfilment.carriers.ZTO.claimWindowDays');
    expect(fieldOfProblem('body.rules.unknownRule', paths)).toBeUndefined();
    expect(fieldOfProblem(undefined, paths)).toBeUndefined();
  });
});
