/**
 * The quantities an agent approves when approving only some lines of a request, checked before
 * anything is sent, each line on its own: a whole number from 0 (none of that line) to what was
 * asked. The workflow refuses a line above what was asked or not whole (workflows/return-refund.ts:
 * `quantity for CUP-01 must be 1…3`); the form used to let 5 of 3 through as "the whole request",
 * and showed the workflow's English for 1.5.
 */

export interface AskedLine {
  sku: string;
  quantity: number;
}

/** Why a line's quantity cannot be sent: not a whole number ≥ 0, or more than was asked. */
export type LineFault = { sku: string; fault: 'whole' | 'aboveAsked'; asked: number };

export interface ApprovedLines {
  /** The lines to send (those with a quantity above 0), when every line is fine. */
  lines: AskedLine[];
  /** Each line that is not fine, by SKU. */
  faults: Record<string, LineFault>;
  /** Every quantity is the asked one: that approves the whole request. */
  whole: boolean;
}

/** `typed`: what each line's field holds (absent: the asked quantity, as the field shows it). */
export function approvedLines(requested: ReadonlyArray<AskedLine>, typed: Readonly<Record<string, string | number | undefined>>): ApprovedLines {
  const faults: Record<string, LineFault> = {};
  const lines: AskedLine[] = [];
  let whole = requested.length > 0;
  for (const l of requested) {
    const raw = typed[l.sku];
    const text = raw === undefined ? String(l.quantity) : String(raw).trim();
    const n = /^\d+$/.test(text) ? Number(text) : NaN;
    if (!Number.isSafeInteger(n)) faults[l.sku] = { sku: l.sku, fault: 'whole', asked: l.quantity };
    else if (n > l.quantity) faults[l.sku] = { sku: l.sku, fault: 'aboveAsked', asked: l.quantity };
    else if (n > 0) lines.push({ sku: l.sku, quantity: n });
    if (n !== l.quantity) whole = false;
  }
  return { lines, faults, whole };
}
