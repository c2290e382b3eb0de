/**
 * A courier's scan events as the tracking rules read them (domain/fulfilment/tracking.ts): the
 * carriers' codes mapped to the kinds the sub-paths of 查件 turn on, and the signer read from a
 * delivery scan's description (couriers write "签收人：张三" or "signed by Zhang San").
 */
import type { TraceEvent, TraceEventKind } from './fulfilment/tracking.js';

export interface CourierScan {
  at: number;
  code: string;
  description?: string;
}

const KINDS: Record<string, TraceEventKind> = {
  SIGNED: 'DELIVERED',
  DELIVERED: 'DELIVERED',
  DAMAGED: 'DAMAGED',
  MISDELIVERED: 'MISDELIVERED',
  REFUSED: 'REFUSED',
  UNREACHABLE: 'UNREACHABLE',
};

const SIGNER = /(?:签收人[:：]\s*|signed by\s+)([^,，;；。.]+)/i;

export function traceEventsFromCourier(scans: CourierScan[]): TraceEvent[] {
  return scans.map((s) => {
    const kind = KINDS[s.code.toUpperCase()] ?? 'SCAN';
    const signer = kind === 'DELIVERED' ? SIGNER.exec(s.description ?? '')?.[1]?.trim() : undefined;
    return { at: s.at, kind, ...(signer ? { signer } : {}) };
  });
}
