/**
 * The hold shelf's API shapes (api/routes/held-parcels.ts; domain/held-parcels.ts): a held parcel as
 * the list, a case's staff view and an arrival scan's answer show it.
 */
import { Type } from 'typebox';
import { heldParcelNext, HELD_PARCEL_ORDER, type HeldParcelNext } from '../domain/held-parcels.js';
import type { HeldParcel, HeldParcelWithCase } from '../db/repositories/held-parcels.js';
import { heldParcelFields, Nullable } from './responses.js';
import { TrackingNumber } from './schemas.js';
import { Text } from './validation-problems.js';

const Next = Type.Union(
  [Type.Literal('WAIT'), Type.Literal('SCAN_NOW'), Type.Literal('CASE_ENDED')],
  { description: 'WAIT: its case has not asked for the goods back yet; SCAN_NOW: it has (scan the parcel again: POST /v1/warehouse/arrivals); CASE_ENDED: the case ended without it (send it back to the customer: POST /v1/warehouse/held-parcels/{heldParcelId}/sent-back, unless an agent reopens the case first)' },
);

export const HeldParcelItem = Type.Object(
  {
    ...heldParcelFields,
    type: Type.String(),
    stage: Type.String(),
    status: Type.String(),
    orderId: Type.String(),
    next: Nullable(Next),
  },
  { additionalProperties: false, description: 'A held parcel with its case (`next` is null once it is off the shelf)' },
);
export const HeldParcels = Type.Object({ items: Type.Array(HeldParcelItem) }, { additionalProperties: false, description: 'Parcels to scan in first, then those to send back, then those still waiting; oldest first within each' });

/** What an arrival scan answers when it put the parcel on the shelf. */
export const HeldAtScan = Type.Object(
  {
    heldParcelId: Type.String(),
    reason: Type.Union([Type.Literal('NOT_ASKED_YET'), Type.Literal('CASE_ENDED')], { description: 'NOT_ASKED_YET: the case is still deciding whether the goods come back; CASE_ENDED: it was resolved or closed without them' }),
    at: Type.String({ format: 'date-time', description: 'when it was first put on the shelf' }),
    by: Type.String({ description: 'who scanned it then' }),
    again: Type.Boolean({ description: 'true when the parcel was on the shelf already (this scan recorded nothing new)' }),
  },
  { additionalProperties: false, description: 'present when the parcel was put on the hold shelf (or found there) instead of being recorded as the case’s arrival: GET /v1/warehouse/held-parcels lists the shelf' },
);

export const HeldParcelQuery = Type.Object(
  {
    onShelf: Type.Optional(Type.Boolean({ description: 'true (the default): parcels still on the shelf; false: every parcel ever held, newest last' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'at most this many (default 200)' })),
  },
  { additionalProperties: false },
);
export const HeldParcelParams = Type.Object({ heldParcelId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const SentBackBody = Type.Object(
  {
    by: Text(64, { description: 'the clerk who sent it' }),
    trackingNumber: Type.Optional(TrackingNumber),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false, examples: [{ by: 'wh-hz1-chenjing', trackingNumber: 'SF1400028861', note: '退货申请已驳回，原件寄回顾客，运费到付' }] },
);

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function heldParcelView(h: HeldParcel) {
  return {
    heldParcelId: h.id,
    caseId: h.caseId,
    trackingNumber: h.trackingNumber,
    heldBy: h.heldBy,
    heldAt: h.heldAt.toISOString(),
    outcome: h.outcome as 'SCANNED_IN' | 'SENT_BACK' | null,
    endedBy: h.endedBy,
    endedAt: iso(h.endedAt),
    endNote: h.endNote,
  };
}

export function heldParcelItem(h: HeldParcelWithCase) {
  return { ...heldParcelView(h), type: h.case.type, stage: h.case.stage, status: h.case.status, orderId: h.case.orderId, next: h.endedAt ? null : heldParcelNext(h.case) };
}

export const heldParcelRank = (next: HeldParcelNext | null) => (next ? HELD_PARCEL_ORDER.indexOf(next) : HELD_PARCEL_ORDER.length);

