/**
 * The policy what-if's totals as two bar charts, baseline beside candidate: the money figures
 * (minor units, as the server sends them) and the rates (shares 0..1, drawn in percent). Only the
 * totals the server computed are drawn; nothing is computed here but the percent scale. Pure.
 */

export interface SimulationTotal {
  name: string;
  unit: 'minor' | 'share' | 'hours' | 'count';
  baseline: number | null;
  candidate: number | null;
  difference: number | null;
  cases: number;
  /** What really happened to the same cases (reports made before it was reported have none). */
  actual?: number | null;
}

export interface WhatIfSeries {
  /** The totals drawn, by name, in the server's order. */
  names: string[];
  baseline: Array<number | null>;
  candidate: Array<number | null>;
}

/** The totals of one unit, as the chart draws them (shares as percent). */
export function whatIfSeries(totals: SimulationTotal[], unit: 'minor' | 'share'): WhatIfSeries {
  const shown = totals.filter((t) => t.unit === unit);
  const scale = (v: number | null) => (v === null ? null : unit === 'share' ? Math.round(v * 10_000) / 100 : v);
  return { names: shown.map((t) => t.name), baseline: shown.map((t) => scale(t.baseline)), candidate: shown.map((t) => scale(t.candidate)) };
}

export interface WhatIfWords {
  title: string;
  baseline: string;
  candidate: string;
  name: (total: string) => string;
  value: (v: number) => string;
}

export function whatIfOption(s: WhatIfSeries, words: WhatIfWords): Record<string, unknown> {
  return {
    aria: { enabled: true, decal: { show: true } },
    animation: false,
    title: { text: words.title, left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, valueFormatter: (v: unknown) => (typeof v === 'number' ? words.value(v) : '—') },
    legend: { bottom: 0, data: [words.baseline, words.candidate] },
    grid: { left: 72, right: 16, top: 40, bottom: 72 },
    xAxis: { type: 'category', data: s.names.map((n) => words.name(n)), axisLabel: { interval: 0, width: 110, overflow: 'break' } },
    yAxis: { type: 'value', axisLabel: { formatter: (v: number) => words.value(v) } },
    series: [
      { type: 'bar', name: words.baseline, data: s.baseline, itemStyle: { color: '#64748b' }, barMaxWidth: 40 },
      { type: 'bar', name: words.candidate, data: s.candidate, itemStyle: { color: '#1d4ed8' }, barMaxWidth: 40 },
    ],
  };
}
