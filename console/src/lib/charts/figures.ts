/**
 * The four figures (GET /v1/figures) as chart data and ECharts options. Pure: the rows come from
 * the server as they are, one series per breakdown key, a gap (null) where the server has no row
 * for a period and key — nothing is recomputed here. The option types are structural so these
 * builders run in plain Node (test/console/charts.test.ts) without ECharts installed.
 */
import type { FigureRow } from '../api/types.js';

/** A row of GET /v1/figures, as the API's schema types it. */
export type { FigureRow };

export type FigureField = 'satisfactionPct' | 'resolutionPct' | 'complaintPermille' | 'onTimePct';

/**
 * The four figures, each with the policy rule its target is read from (optional rules of
 * domain/policy.ts PolicyRules): where the merchant's version sets none, no target line is drawn
 * and the chart says so — a target is never made up in the browser.
 */
export const FIGURES: ReadonlyArray<{ id: string; field: FigureField; unit: '%' | '‰'; targetRule: string; higherIsBetter: boolean }> = [
  { id: 'satisfaction', field: 'satisfactionPct', unit: '%', targetRule: 'satisfactionTargetPct', higherIsBetter: true },
  { id: 'resolution', field: 'resolutionPct', unit: '%', targetRule: 'resolutionTargetPct', higherIsBetter: true },
  { id: 'complaints', field: 'complaintPermille', unit: '‰', targetRule: 'complaintTargetPermille', higherIsBetter: false },
  { id: 'on-time', field: 'onTimePct', unit: '%', targetRule: 'onTimeTargetPct', higherIsBetter: true },
];

/** What a figure chart draws, exactly as the test reads it back from `data-series`. */
export interface FigureSeries {
  figure: FigureField;
  /** The periods (first local day), in order. */
  periods: string[];
  /** One per breakdown key (null: no breakdown, or cases without one), in the server's order of first appearance. */
  series: Array<{ key: string | null; data: Array<number | null> }>;
  /** The policy's target, or null when the policy has none. */
  target: number | null;
}

/** The target of a figure from a policy version's rules, when the policy carries one. */
export function targetOf(rules: Record<string, unknown> | undefined, targetRule: string): number | null {
  const v = rules?.[targetRule];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/**
 * `allPeriods`: the range's periods (dates.ts periodsOf), so periods without cases are gaps on the
 * axis; without it, the periods the server has rows for.
 */
export function figureSeries(rows: FigureRow[], figure: FigureField, target: number | null = null, allPeriods?: string[]): FigureSeries {
  const periods: string[] = allPeriods ? [...allPeriods] : [];
  const keys: Array<string | null> = [];
  for (const r of rows) {
    if (!periods.includes(r.period)) periods.push(r.period);
    if (!keys.includes(r.key)) keys.push(r.key);
  }
  if (allPeriods) periods.sort();
  const value = new Map(rows.map((r) => [`${r.period}\u0000${r.key ?? ''}`, r[figure]]));
  return {
    figure,
    periods,
    series: keys.map((key) => ({ key, data: periods.map((p) => value.get(`${p}\u0000${key ?? ''}`) ?? null) })),
    target,
  };
}

/** Words a chart needs, in the reader's language (the page passes them from the i18n catalog). */
export interface FigureWords {
  title: string;
  /** The name of a breakdown key's series (a case type, a carrier… in words); for null the figure's own name or "unknown". */
  seriesName: (key: string | null) => string;
  target: string;
  /** A period's axis label in the reader's locale. */
  period: (period: string) => string;
  /** A value as the tooltip shows it (the unit included). */
  value: (v: number) => string;
}

type Option = Record<string, unknown>;

export function figureOption(s: FigureSeries, unit: '%' | '‰', words: FigureWords): Option {
  // The target's words sit right of the plot, in a margin of their own: inside it they covered the
  // newest period's point (a day at 100 % under "目标 95 %" read as an empty chart).
  const markLine = s.target === null ? undefined : { silent: true, symbol: 'none', lineStyle: { type: 'dashed', color: '#b45309', width: 2 }, label: { formatter: `${words.target}\n${words.value(s.target)}`, position: 'end', lineHeight: 14 }, data: [{ yAxis: s.target, name: words.target }] };
  return {
    aria: { enabled: true, decal: { show: s.series.length > 1 } },
    animation: false,
    title: { text: words.title, left: 0, textStyle: { fontSize: 14 } },
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (typeof v === 'number' ? words.value(v) : '—') },
    legend: s.series.length > 1 ? { type: 'scroll', bottom: 0 } : undefined,
    grid: { left: 48, right: markLine ? 64 : 16, top: 40, bottom: s.series.length > 1 ? 56 : 32 },
    xAxis: { type: 'category', data: s.periods, axisLabel: { formatter: (p: string) => words.period(p) } },
    yAxis: { type: 'value', min: 0, max: unit === '%' ? 100 : undefined, axisLabel: { formatter: `{value}${unit === '%' ? ' %' : ' ‰'}` } },
    series: s.series.map((x, i) => ({
      type: 'line',
      name: words.seriesName(x.key),
      data: x.data,
      connectNulls: false,
      // A period between two gaps is a lone point: drawn as a solid dot, not a hairline circle.
      showSymbol: true,
      symbol: 'circle',
      symbolSize: 7,
      ...(i === 0 && markLine ? { markLine } : {}),
    })),
  };
}
