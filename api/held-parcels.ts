/**
 * The hold shelf's API shapes (api/routes/held-parcels.ts; domain/held-parcels.ts): a held parcel as
 * the list, a case's staff view and an arrival scan's answer show it.
 */
import { Type } from 'typebox';
import { heldParcelNext, HELD_PARCEL_ORDER, type HeldParcelNext, type HeldParcelOutcome } from '../domain/held-parcels.js';
import type { HeldParcel, HeldParcelWithCase } from '../db/repositories/held-parcels.js';
import { iso } from './context.js';
import { heldParcelFields, Nullable } from './responses.js';
import { TrackingNumber } from './schemas.js';
import { Text } from './validation-problems.js';

const Next = Type.Union([Type.Literal('WAIT'), Type.Literal('SCAN_NOW'), Type.Literal('SEND_BACK'), Type.Literal('ASK_AGENT')], {
  description:
    'WAIT: its case has not decided yet whether the goods come back; SCAN_NOW: it takes them now — the platform takes it in by itself within seconds (one parcel per case), unless it is held under another number than the one the customer reported, its case lent a loan product (the parcel may be the loan), or it waits for a loan product back: scan it again (POST /v1/warehouse/arrivals, its label or its case’s return code) if it is the one; SEND_BACK: the case closed with nothing given for the goods, they are the customer’s (POST /v1/warehouse/held-parcels/{heldParcelId}/sent-back); ASK_AGENT: the case went on without them (refunded them as lost, replaced them, resolved): an agent decides whether the shop keeps them (…/kept) or sends them back (…/sent-back)',
});

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
export const HeldParcels = Type.Object({ items: Type.Array(HeldParcelItem) }, { additionalProperties: false, description: 'On the shelf: parcels to scan in first, then those to send back, those to ask an agent about, those still waiting; oldest first within each' });

/** What an arrival scan answers when it put the parcel on the shelf. */
export const HeldAtScan = Type.Object(
  {
    heldParcelId: Type.String(),
    reason: Type.Union([Type.Literal('NOT_ASKED_YET'), Type.Literal('NOT_WAITING')], { description: 'NOT_ASKED_YET: the case is still deciding whether the goods come back; NOT_WAITING: it no longer waits for them (closed, resolved, refunded them as lost)' }),
    at: Type.String({ format: 'date-time', description: 'when it was first put on the shelf' }),
    by: Type.String({ description: 'who scanned it then' }),
    again: Type.Boolean({ description: 'true when the parcel was on the shelf already (this scan recorded nothing new)' }),
  },
  { additionalProperties: false, description: 'present when the parcel was put on the hold shelf (or found there) instead of being recorded as the case’s arrival: GET /v1/warehouse/held-parcels lists the shelf' },
);

export const HeldParcelQuery = Type.Object(
  {
    onShelf: Type.Optional(Type.Boolean({ description: 'true (the default): parcels still on the shelf, what to do first first, oldest first within each; false: every parcel ever held, newest first' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'at most this many (default 200)' })),
  },
  { additionalProperties: false },
);
export const HeldParcelParams = Type.Object({ heldParcelId: Type.String({ format: 'uuid' }) }, { additionalProperties: false });
export const KeptBody = Type.Object(
  { by: Text(64, { description: 'the clerk who booked it' }), note: Text(500, { description: 'who decided and why: the agent, the goods refunded or replaced' }) },
  { additionalProperties: false, examples: [{ by: 'wh-hz1-chenjing', note: '客服王芳确认：包裹曾判定丢件并已退款，商品完好，入库' }] },
);
export const SentBackBody = Type.Object(
  {
    by: Text(64, { description: 'the clerk who sent it' }),
    trackingNumber: Type.Optional(TrackingNumber),
    note: Type.Optional(Text(500)),
  },
  { additionalProperties: false, examples: [{ by: 'wh-hz1-chenjing', trackingNumber: 'SF1400028861', note: '退货申请已驳回，原件寄回顾客，运费到付' }] },
);

export function heldParcelView(h: HeldParcel) {
  return {
    heldParcelId: h.id,
    caseId: h.caseId,
    trackingNumber: h.trackingNumber,
    heldBy: h.heldBy,
    heldAt: h.heldAt.toISOString(),
    outcome: h.outcome as HeldParcelOutcome | null,
    endedBy: h.endedBy,
    endedAt: iso(h.endedAt),
    endNote: h.endNote,
  };
}

export function heldParcelItem(h: HeldParcelWithCase) {
  return { ...heldParcelView(h), type: h.case.type, stage: h.case.stage, status: h.case.status, orderId: h.case.orderId, next: h.endedAt ? null : heldParcelNext(h.case) };
}

export const heldParcelRank = (next: HeldParcelNext | null) => (next ? HELD_PARCEL_ORDER.indexOf(next) : HELD_PARCEL_ORDER.length);

