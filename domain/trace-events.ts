/**
 * A courier's scan events as the tracking rules read them (domain/fulfilment/tracking.ts): the
 * carriers' codes mapped to the kinds the sub-paths of 查件 turn on, and the signer read from a
 * delivery scan's description (couriers write "签收人：张三" or "signed by Zhang San").
 */
import { courierEventCode, TURNED_BACK_CODES } from './courier-event-codes.js';
import type { TraceEvent, TraceEventKind } from './fulfilment/tracking.js';

export interface CourierScan {
  at: number;
  code: string;
  description?: string;
}

/** By code as courierEventCode gives it (SIGNED and 已签收 are DELIVERED already). */
const KINDS: Record<string, TraceEventKind> = {
  DELIVERED: 'DELIVERED',
  DAMAGED: 'DAMAGED',
  MISDELIVERED: 'MISDELIVERED',
  REFUSED: 'REFUSED',
  UNREACHABLE: 'UNREACHABLE',
};

const SIGNER = /(?:签收人[:：]\s*|signed by\s+)([^,，;；。.]+)/i;

export function traceEventsFromCourier(scans: CourierScan[]): TraceEvent[] {
  return scans.map((s) => {
    const kind = KINDS[courierEventCode(s.code)] ?? 'SCAN';
    const signer = kind === 'DELIVERED' ? SIGNER.exec(s.description ?? '')?.[1]?.trim() : undefined;
    return { at: s.at, kind, ...(signer ? { signer } : {}) };
  });
}

/**
 * Where a courier's trace says the parcel turned back (refused, intercepted, on its way back:
 * TURNED_BACK_CODES): its first such scan at or after `since`; with no such scan, its status alone,
 * when nothing before `since` has been dealt with already (a status carries no time to tell an old
 * refusal from a new one). A trace that says DELIVERED after such a scan is the sender signing for
 * the parcel coming back.
 */
export function turnedBackInTrace(trace: { status: string; events?: CourierScan[] }, since = -Infinity): { code: string; at?: number; description?: string } | undefined {
  const scan = (trace.events ?? []).find((e) => e.at >= since && TURNED_BACK_CODES.has(courierEventCode(e.code)));
  if (scan) return { code: courierEventCode(scan.code), at: scan.at, ...(scan.description ? { description: scan.description } : {}) };
  const status = courierEventCode(trace.status);
  return since === -Infinity && TURNED_BACK_CODES.has(status) ? { code: status } : undefined;
}
