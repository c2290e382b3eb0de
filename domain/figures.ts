/**
 * The four figures the after-sales operation is judged by (004 §六), from counts:
 *   satisfaction = (very satisfied + satisfied) / revisited × 100 %
 *   resolution   = resolved / all cases × 100 %
 *   complaints   = complaints / orders × 1000 ‰
 *   on time      = handled within the SLA / all cases × 100 %
 * A figure with nothing to divide by is null (no revisits yet is not 0 % satisfied).
 */
export interface FigureCounts {
  cases: number;
  resolved: number;
  onTime: number;
  /** Cases whose revisit was answered (the latest answer counts, also after a reopening). */
  revisited: number;
  /** Answers 4 (satisfied) and 5 (very satisfied) on the 1–5 scale. */
  satisfied: number;
  complaints: number;
  orders: number;
}

export interface Figures {
  satisfactionPct: number | null;
  resolutionPct: number | null;
  complaintPermille: number | null;
  onTimePct: number | null;
}

/** Rounded to two decimals, as the register shows them. */
const ratio = (part: number, whole: number, scale: number) => (whole > 0 ? Math.round((part / whole) * scale * 100) / 100 : null);

export function figuresOf(c: FigureCounts): Figures {
  return {
    satisfactionPct: ratio(c.satisfied, c.revisited, 100),
    resolutionPct: ratio(c.resolved, c.cases, 100),
    complaintPermille: ratio(c.complaints, c.orders, 1000),
    onTimePct: ratio(c.onTime, c.cases, 100),
  };
}
