/**
 * The goods a case is about, line by line, and the one rule for what it still expects of them once
 * an agent has decided: what the agent approved, else what the customer asked. A return approved in
 * part expects back only the approved lines — the refused ones stay with the customer (free for
 * another case of the order), and the warehouse is not told to expect them. Pure: the API's opening
 * checks (domain/order-consistency.ts), the warehouse's task list and the case view all use it.
 */

/** One line of goods: a SKU and a positive whole quantity (other fields, such as a replacement SKU, ride along). */
export interface GoodsLine {
  sku: string;
  quantity: number;
}

/** The well-formed lines of a recorded value (JSON read back from a case); [] for anything else. */
export function goodsLines<T extends GoodsLine = GoodsLine>(lines: unknown): T[] {
  if (!Array.isArray(lines)) return [];
  return lines.filter((l): l is T => typeof l?.sku === 'string' && Number.isSafeInteger(l?.quantity) && l.quantity > 0);
}

/** What a case expects of its goods: the lines an agent approved when they approved some (`approved`), else `asked`. */
export function approvedOrAsked<T extends GoodsLine>(approved: unknown, asked: T[]): GoodsLine[] | T[] {
  const decided = goodsLines(approved);
  return decided.length ? decided : asked;
}

/** A step of a case's timeline as far as this rule reads it. */
interface DecidedStep {
  kind: string;
  decision?: unknown;
}

/**
 * The lines of the latest agent's approval on a case's timeline (step SOLUTION_PROPOSED, rule
 * `agentDecision`, outcome APPROVE: workflows/return-refund.ts), or null when no agent approved lines.
 * `repos.approvedLines` reads the same steps in SQL for many cases at once.
 */
export function approvedLinesOf(timeline: readonly DecidedStep[]): GoodsLine[] | null {
  for (let i = timeline.length - 1; i >= 0; i--) {
    const step = timeline[i]!;
    const d = (step.decision ?? null) as { rule?: unknown; outcome?: unknown; values?: { lines?: unknown } } | null;
    if (step.kind !== 'SOLUTION_PROPOSED' || d?.rule !== 'agentDecision' || d.outcome !== 'APPROVE') continue;
    const lines = goodsLines(d.values?.lines);
    return lines.length ? lines.map(({ sku, quantity }) => ({ sku, quantity })) : null;
  }
  return null;
}
