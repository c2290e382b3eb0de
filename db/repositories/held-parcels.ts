/**
 * The warehouse's hold shelf (domain/held-parcels.ts): returned parcels scanned while their case
 * did not take them. A parcel is on the shelf from its first scan until its case takes it in
 * (SCANNED_IN, written by the arrival scan the case accepts), the warehouse sends it back
 * (SENT_BACK) or the shop keeps it (KEPT). Scanning it again while it is on the shelf finds the
 * same row (a partial unique index on the case and the label's number, prisma/migrations/…_held_parcels).
 *
 * Putting a parcel on the shelf and taking it off mark its case changed (its updatedAt): the staff's
 * case view lists the case's held parcels, and the live feed and the storefront's sync by updatedAt
 * are how other clerks' consoles and the agent's case page hear of it.
 */
import { randomUUID } from 'node:crypto';
import { Prisma } from '../../generated/prisma/client.js';
import { TAKEN_IN_BY_ITSELF, type HeldParcelOutcome } from '../../domain/held-parcels.js';
import type { Db } from './shared.js';
import { recordToldStep, type CustomerMessage } from './told-steps.js';

const heldParcel = { id: true, caseId: true, merchantId: true, trackingNumber: true, heldBy: true, heldAt: true, outcome: true, endedBy: true, endedAt: true, endNote: true } satisfies Prisma.HeldParcelSelect;

export type HeldParcel = Prisma.HeldParcelGetPayload<{ select: typeof heldParcel }>;

/** A held parcel with what the list shows of its case (ids, type, stage, status: no personal data). */
export type HeldParcelWithCase = HeldParcel & { case: { type: string; stage: string; status: string; closeReason: string | null; orderId: string } };

const withCase = { ...heldParcel, case: { select: { type: true, stage: true, status: true, closeReason: true, orderId: true } } } satisfies Prisma.HeldParcelSelect;

/** The same columns for the plain SQL of `hold`, and of the shelf's intake (`h.`). */
const HELD_PARCEL_COLUMNS = Prisma.raw(Object.keys(heldParcel).map((k) => `"${k}"`).join(', '));
const HELD_PARCEL_COLUMNS_OF_H = Prisma.raw(Object.keys(heldParcel).map((k) => `h."${k}"`).join(', '));

/** A held parcel with what the shelf's intake reads of its case. */
export type HeldParcelToTake = HeldParcel & { case: { stage: string; type: string; returnTrackingNumber: string | null } };

/** The intake's two looks read the same: a held parcel with its case's stage, type and reported number. */
const TO_TAKE_FROM = Prisma.sql`
  SELECT ${HELD_PARCEL_COLUMNS_OF_H}, jsonb_build_object('stage', c.stage, 'type', c.type, 'returnTrackingNumber', c."returnTrackingNumber") AS "case"
    FROM "HeldParcel" h JOIN "Case" c ON c.id = h."caseId"`;

export function createHeldParcelRepository(db: Db) {
  return {
    /**
     * Puts the parcel on the shelf, or finds it there already (the same case and label number, not
     * yet ended): `created` says which. One statement, so two scanners at once get one row.
     */
    async hold(p: { caseId: string; merchantId: string; trackingNumber?: string; heldBy: string; told?: CustomerMessage }): Promise<{ parcel: HeldParcel; created: boolean }> {
      // DO UPDATE (of nothing) rather than DO NOTHING: the row already on the shelf comes back too;
      // xmax is 0 only for a row this statement inserted. The timeline's step (PARCEL_HELD) and the
      // customer's message are keyed by the hold: a scan again writes neither twice.
      const told = p.told ?? null;
      const [row] = await db.$queryRaw<Array<HeldParcel & { created: boolean }>>`
        WITH held AS (
          INSERT INTO "HeldParcel" (id, "caseId", "merchantId", "trackingNumber", "heldBy")
          VALUES (${randomUUID()}, ${p.caseId}, ${p.merchantId}, ${p.trackingNumber ?? null}, ${p.heldBy})
          ON CONFLICT ("caseId", (COALESCE("trackingNumber", ''))) WHERE "endedAt" IS NULL DO UPDATE SET "heldBy" = "HeldParcel"."heldBy"
          RETURNING ${HELD_PARCEL_COLUMNS}, (xmax = 0) AS created
        ), touched AS (
          UPDATE "Case" SET "updatedAt" = now() WHERE id = ${p.caseId} AND EXISTS (SELECT 1 FROM held WHERE created)
        ), step AS (
          INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, actor, data)
          SELECT "caseId", 'held:' || id, 'PARCEL_HELD', 'warehouse:' || "heldBy", jsonb_strip_nulls(jsonb_build_object('heldParcelId', id, 'trackingNumber', "trackingNumber")) FROM held
          ON CONFLICT ("caseId", "stepKey") DO NOTHING
        ), message AS (
          INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
          SELECT c.id, ${told?.template ?? null}::text, c."customerLocale", ${JSON.stringify(told?.params ?? {})}::jsonb, c.id || ':held:' || held.id
            FROM held JOIN "Case" c ON c.id = held."caseId" WHERE ${told?.template ?? null}::text IS NOT NULL
          ON CONFLICT ("idempotencyKey") DO NOTHING
        )
        SELECT * FROM held`;
      const { created, ...parcel } = row!;
      return { parcel, created };
    },

    /**
     * Names a parcel held by its return code alone with its label's number, now scanned (the same
     * parcel scanned the other way: not a second one on the shelf). Only while it is on the shelf and
     * unnamed; the row as it is after.
     */
    async name(id: string, trackingNumber: string): Promise<HeldParcel | null> {
      await db.heldParcel.updateMany({ where: { id, trackingNumber: null, endedAt: null }, data: { trackingNumber } });
      return db.heldParcel.findUnique({ where: { id }, select: heldParcel });
    },

    /** The parcels on the shelf, oldest first (or every parcel ever held, `onShelf: false`, newest first), of one merchant when given, with their cases. */
    list(f: { merchantId?: string; onShelf: boolean; limit: number }): Promise<HeldParcelWithCase[]> {
      const order = f.onShelf ? 'asc' : 'desc';
      return db.heldParcel.findMany({
        where: { ...(f.merchantId ? { merchantId: f.merchantId } : {}), ...(f.onShelf ? { endedAt: null } : {}) },
        orderBy: [{ heldAt: order }, { id: order }],
        take: f.limit,
        select: withCase,
      });
    },

    /**
     * Parcels on the shelf that the shelf takes in by itself now (domain/held-parcels.ts
     * `shelfTakesIn`, said here in SQL so that parcels left to a clerk never fill the page): their
     * case at one of `stages`, held by its code alone or under the number the customer reported (or
     * none reported), the case lent no loan product (a parcel then may be the loan: a clerk tells),
     * and no parcel of the case taken in so before. Oldest first, but for those `excluding`.
     */
    toTakeIn(stages: readonly string[], limit: number, excluding: string[] = []): Promise<HeldParcelToTake[]> {
      return db.$queryRaw<HeldParcelToTake[]>`
        ${TO_TAKE_FROM}
         WHERE h."endedAt" IS NULL AND c.stage = ANY(${[...stages]}::text[])
           AND (h."trackingNumber" IS NULL OR c."returnTrackingNumber" IS NULL OR h."trackingNumber" = c."returnTrackingNumber")
           AND NOT EXISTS (SELECT 1 FROM "CaseEvent" e WHERE e."caseId" = c.id AND e.kind = 'SUBSTITUTE_LENT')
           AND NOT EXISTS (SELECT 1 FROM "HeldParcel" t WHERE t."caseId" = c.id AND t."endNote" = ${TAKEN_IN_BY_ITSELF})
           AND NOT (h.id = ANY(${excluding}::text[]))
         ORDER BY h."heldAt", h.id
         LIMIT ${limit}::int`;
    },

    /**
     * Parcels taken in by themselves before `endedBefore` whose case is still at one of `stages` and
     * has no arrival: the case did not hear the scan (Temporal away, an answer lost, a crash), and is
     * told again. Within a day of their taking in.
     */
    takenInUnheard(stages: readonly string[], endedBefore: Date, limit: number): Promise<HeldParcelToTake[]> {
      return db.$queryRaw<HeldParcelToTake[]>`
        ${TO_TAKE_FROM}
         WHERE h."endNote" = ${TAKEN_IN_BY_ITSELF} AND h.outcome = 'SCANNED_IN' AND h."endedAt" < ${endedBefore} AND h."endedAt" > ${endedBefore}::timestamptz - interval '1 day'
           AND c.stage = ANY(${[...stages]}::text[])
           AND NOT EXISTS (SELECT 1 FROM "CaseEvent" e WHERE e."caseId" = c.id AND e.kind = 'ARRIVED')
         ORDER BY h."endedAt", h.id
         LIMIT ${limit}::int`;
    },

    /** Puts a parcel taken off the shelf (`end`) back on it, as it was, unless it was ended again since: what took it off could not finish. */
    async backOnShelf(ended: HeldParcel): Promise<void> {
      await db.heldParcel.updateMany({ where: { id: ended.id, outcome: ended.outcome, endedBy: ended.endedBy, endedAt: ended.endedAt }, data: { outcome: null, endedBy: null, endedAt: null, endNote: null } });
    },

    /** Of these cases, the parcel each took in from the shelf by itself, if any: where the goods to inspect are. */
    async takenInByItself(caseIds: string[]): Promise<Map<string, HeldParcel>> {
      if (!caseIds.length) return new Map();
      const rows = await db.heldParcel.findMany({ where: { caseId: { in: caseIds }, outcome: 'SCANNED_IN', endNote: TAKEN_IN_BY_ITSELF }, select: heldParcel });
      return new Map(rows.map((h) => [h.caseId, h]));
    },

    /** The cases (ids) with a parcel of this number on the shelf, of one merchant when given: what a label alone names when no case reported it. */
    async casesHolding(trackingNumber: string, merchantId?: string): Promise<string[]> {
      const rows = await db.heldParcel.findMany({ where: { trackingNumber, endedAt: null, ...(merchantId ? { merchantId } : {}) }, select: { caseId: true }, distinct: ['caseId'] });
      return rows.map((r) => r.caseId);
    },

    byId(id: string): Promise<HeldParcelWithCase | null> {
      return db.heldParcel.findUnique({ where: { id }, select: withCase });
    },

    /** A case's held parcels, on the shelf or not, oldest first (the staff's case view). */
    ofCase(caseId: string): Promise<HeldParcel[]> {
      return db.heldParcel.findMany({ where: { caseId }, orderBy: [{ heldAt: 'asc' }, { id: 'asc' }], select: heldParcel });
    },

    /**
     * A held parcel left the shelf for its customer's sake: went back to them (PARCEL_SENT_BACK,
     * with the number it went under) or stays with the shop (PARCEL_KEPT). The timeline says so, with
     * the clerk's `note` (for the staff), and the customer is told (./told-steps.ts). Keyed by the
     * hold, so the release sent again (or retried after a failure here) writes each once. Returns
     * the step as written, this time or before: `sentBackAs`, the number the customer was told
     * (null: none), which a release sent again under another number does not change.
     */
    async released(h: HeldParcel, step: 'PARCEL_SENT_BACK' | 'PARCEL_KEPT', told: CustomerMessage, note?: string): Promise<{ sentBackAs: string | null }> {
      const sentAs = told.params.trackingNumber;
      const stepKey = `held:${h.id}:${step === 'PARCEL_SENT_BACK' ? 'sent-back' : 'kept'}`;
      const created = await recordToldStep(db, {
        caseId: h.caseId,
        stepKey,
        kind: step,
        actor: `warehouse:${h.endedBy ?? 'unknown'}`,
        data: { heldParcelId: h.id, ...(h.trackingNumber ? { trackingNumber: h.trackingNumber } : {}), ...(note ? { note } : {}), ...(typeof sentAs === 'string' ? { sentBackAs: sentAs } : {}) },
        message: told,
      });
      if (created) return { sentBackAs: typeof sentAs === 'string' ? sentAs : null };
      const written = await db.caseEvent.findUnique({ where: { caseId_stepKey: { caseId: h.caseId, stepKey } }, select: { data: true } });
      const data = written?.data as { sentBackAs?: unknown } | null | undefined;
      return { sentBackAs: typeof data?.sentBackAs === 'string' ? data.sentBackAs : null };
    },

    /**
     * A held parcel taken in by itself once its case asked for the goods (api/held-parcel-intake.ts):
     * the timeline says so (PARCEL_TAKEN_IN) and the customer, just asked to send the goods, is told
     * there is nothing to send (./told-steps.ts). Keyed by the hold: once.
     */
    async takenIn(h: HeldParcel): Promise<void> {
      await recordToldStep(db, {
        caseId: h.caseId,
        stepKey: `held:${h.id}:taken-in`,
        kind: 'PARCEL_TAKEN_IN',
        actor: `warehouse:${h.heldBy}`,
        data: { heldParcelId: h.id, ...(h.trackingNumber ? { trackingNumber: h.trackingNumber } : {}) },
        message: { template: 'heldParcelTakenIn', params: {} },
      });
    },

    /**
     * Takes parcels off the shelf: one (`id`), or a case's (its arrival was recorded): those with
     * the label's number scanned, and those held by return code alone (no number); every one of
     * the case's when the scan had no number either. Only those still on it: an ended hold keeps
     * how it ended. Returns the rows ended now.
     */
    async end(which: { id: string } | { caseId: string; trackingNumber?: string }, e: { outcome: HeldParcelOutcome; by: string; note?: string }): Promise<HeldParcel[]> {
      const where: Prisma.HeldParcelWhereInput =
        'id' in which ? { id: which.id } : { caseId: which.caseId, ...(which.trackingNumber ? { OR: [{ trackingNumber: which.trackingNumber }, { trackingNumber: null }] } : {}) };
      const ended = await db.heldParcel.updateManyAndReturn({
        where: { ...where, endedAt: null },
        data: { outcome: e.outcome, endedBy: e.by, endedAt: new Date(), endNote: e.note ?? null },
        select: heldParcel,
      });
      // The database's clock, as every other write of updatedAt (the feed's polling compares against it).
      if (ended.length) await db.$executeRaw`UPDATE "Case" SET "updatedAt" = now() WHERE id = ANY(${[...new Set(ended.map((h) => h.caseId))]})`;
      return ended;
    },
  };
}
