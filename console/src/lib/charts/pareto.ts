/**
 * The root-cause Pareto (GET /v1/root-causes): bars of cases per cause, biggest first as the
 * server sorts them, and the cumulative share — the server's `share` values (percent, two
 * decimals) summed in the server's order. Pure.
 */
import type { RootCauseReport } from '../api/types.js';

export interface ParetoSeries {
  by: RootCauseReport['by'];
  keys: Array<string | null>;
  cases: number[];
  share: number[];
  /** Running sum of `share`, in percent, rounded to two decimals like the server's shares. */
  cumulative: number[];
}

export function paretoSeries(report: Pick<RootCauseReport, 'by' | 'rows'>): ParetoSeries {
  let sum = 0;
  const cumulative = report.rows.map((r) => {
    sum += r.share;
    // The shares carry two decimals; rounding keeps 12.5 + 37.5 from printing as 49.99999….
    return Math.round(sum * 100) / 100;
  });
  return { by: report.by, keys: report.rows.map((r) => r.key), cases: report.rows.map((r) => r.cases), share: report.rows.map((r) => r.share), cumulative };
}

export interface ParetoWords {
  title: string;
  cases: string;
  cumulative: string;
  /** A cause in words (category, sub-cause, carrier…; null: not recorded). */
  key: (key: string | null) => string;
  percent: (v: number) => string;
}

export function paretoOption(s: ParetoSeries, words: ParetoWords): Record<string, unknown> {
  return {
    aria: { enabled: true },
    animation: false,
    title: { text: words.title, left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { bottom: 0, data: [words.cases, words.cumulative] },
    // The axes' names sit above the plot, under the title (a title over the names' line overlapped them at every width).
    grid: { left: 48, right: 56, top: 72, bottom: 88 },
    // Causes are long phrases: wrapped under a few bars, slanted and cut under many (the table has them whole).
    xAxis: { type: 'category', data: s.keys.map((k) => words.key(k)), axisLabel: { interval: 0, rotate: s.keys.length > 6 ? 30 : 0, width: s.keys.length > 6 ? 120 : 90, overflow: s.keys.length > 6 ? 'truncate' : 'break' } },
    yAxis: [
      { type: 'value', name: words.cases, nameGap: 14, minInterval: 1 },
      { type: 'value', name: words.cumulative, nameGap: 14, min: 0, max: 100, axisLabel: { formatter: '{value} %' }, splitLine: { show: false } },
    ],
    series: [
      { type: 'bar', name: words.cases, data: s.cases, itemStyle: { color: '#1d4ed8' }, barMaxWidth: 48 },
      { type: 'line', name: words.cumulative, yAxisIndex: 1, data: s.cumulative, itemStyle: { color: '#b45309' }, tooltip: { valueFormatter: (v: unknown) => (typeof v === 'number' ? words.percent(v) : '—') } },
    ],
  };
}
