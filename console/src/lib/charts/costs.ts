/**
 * Cost per month against budget (GET /v1/costs, one month per request): the net cost as bars,
 * the budget as a line (a gap where a month has none). Amounts stay in minor units as the server
 * sends them; only the axis and tooltip format them. Pure.
 */
import type { MonthCosts } from '../api/types.js';
import { minorPerUnit } from '../money.js';

/** One month of GET /v1/costs, as the API's schema types it. */
export type CostReport = MonthCosts;

/** The cost kinds in the order the table shows them (the server's fields). */
export const COST_KINDS = ['refundsMinor', 'replacementGoodsMinor', 'logisticsMinor', 'repairsMinor', 'compensationMinor', 'recoveredMinor', 'netMinor'] as const;
export type CostKind = (typeof COST_KINDS)[number];

export interface CostSeries {
  currency: string;
  periods: string[];
  net: number[];
  budget: Array<number | null>;
}

/** `months` in the order to draw (oldest first). */
export function costSeries(months: CostReport[]): CostSeries {
  return {
    currency: months[0]?.currency ?? '',
    periods: months.map((m) => m.period),
    net: months.map((m) => m.netMinor),
    budget: months.map((m) => m.budgetMinor),
  };
}

export interface CostWords {
  title: string;
  net: string;
  budget: string;
  period: (period: string) => string;
  /** Minor units as money in the reader's locale. */
  money: (minor: number) => string;
  /** Minor units as a short axis label. */
  axis: (minor: number) => string;
}


export function costOption(s: CostSeries, words: CostWords): Record<string, unknown> {
  const money = (v: unknown) => (typeof v === 'number' ? words.money(v) : '—');
  return {
    aria: { enabled: true },
    animation: false,
    title: { text: words.title, left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', valueFormatter: money },
    legend: { bottom: 0, data: [words.net, words.budget] },
    grid: { left: 72, right: 16, top: 40, bottom: 56 },
    xAxis: { type: 'category', data: s.periods, axisLabel: { formatter: (p: string) => words.period(p) } },
    // Steps of at least one unit of money: months without costs had ticks of a fraction of a cent, each labelled CN¥0.
    yAxis: { type: 'value', minInterval: minorPerUnit(s.currency), axisLabel: { formatter: (v: number) => words.axis(v) } },
    series: [
      { type: 'bar', name: words.net, data: s.net, itemStyle: { color: '#1d4ed8' }, barMaxWidth: 40 },
      { type: 'line', name: words.budget, data: s.budget, connectNulls: false, step: 'middle', itemStyle: { color: '#b45309' }, lineStyle: { type: 'dashed', width: 2 } },
    ],
  };
}

/** The `count` months ending with `last` ('YYYY-MM'), oldest first. Calendar arithmetic, no figures. */
export function monthsEnding(last: string, count: number): string[] {
  const [y, m] = last.split('-').map(Number) as [number, number];
  const out: string[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const t = y * 12 + (m - 1) - i;
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`);
  }
  return out;
}
