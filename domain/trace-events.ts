/**
 * A courier's scan events as the tracking rules read them (domain/fulfilment/tracking.ts): the
 * carriers' codes mapped to the kinds the sub-paths of 查件 turn on, and the signer read from a
 * delivery scan's description (couriers write "签收人：张三" or "signed by Zhang San").
 */
import { courierEventCode } from './courier-event-codes.js';
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
