/**
 * A batch of a case's steps (what its workflow did in one workflow task) written in one SQL
 * statement: the timeline events, the parcels they name (and forget, see parcelsSupersededBy), the case row moved to the last step, and
 * the messages queued in the notification outbox. One round trip, no interactive transaction: the
 * statement is atomic, and every part is idempotent (events by (case, stepKey), parcels by key,
 * messages by idempotency key, the case row only forward by projection version), so a retried
 * activity writes nothing twice.
 */
import type { CaseSteps, Transition } from '../activities/contract.js';
import { actingAgentOf } from '../domain/acting-agent.js';
import { carrierCodeOf } from '../domain/carriers.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { sqlOf, type Db } from './client.js';

const STATUSES = new Set(['OPEN', 'WAITING_CUSTOMER', 'WAITING_WAREHOUSE', 'WAITING_COURIER', 'RESOLVED', 'CLOSED']);

/**
 * The parcels a step names, which courier events will be matched against: the return the customer
 * sent (or the original parcel being intercepted), the original parcel as the warehouse's dispatch
 * record numbers it (`originalTracking`) and anything the warehouse sent out. Carriers are kept
 * as their codes, as couriers' callbacks name them (domain/carriers.ts; a case opened before the API
 * turned names into codes may still name its parcel "顺丰": the rows stored before were turned into
 * codes by migration parcel_carrier_codes), and tracking numbers normalised as the API
 * takes them (domain/tracking-number.ts): a workflow that took its number before the API did so
 * still names it as typed.
 */

type Parcel = { carrier: string; trackingNumber: string };
type NamedParcel = Parcel & { role: string };

export function parcelsNamedBy(t: Transition): NamedParcel[] {
  const d = t.data ?? {};
  const carrier = typeof d.carrier === 'string' ? carrierCodeOf(d.carrier) : '';
  if (!carrier) return [];
  return [
    ...(typeof d.trackingNumber === 'string' ? [{ carrier, trackingNumber: normaliseTrackingNumber(d.trackingNumber), role: t.kind === 'INTERCEPTION_REQUESTED' ? 'ORIGINAL' : 'RETURN' }] : []),
    ...(typeof d.outboundTracking === 'string' ? [{ carrier, trackingNumber: normaliseTrackingNumber(d.outboundTracking), role: 'OUTBOUND' }] : []),
    ...(typeof d.originalTracking === 'string' ? [{ carrier, trackingNumber: normaliseTrackingNumber(d.originalTracking), role: 'ORIGINAL' }] : []),
  ];
}

/**
 * The parcel a correction replaced — a return (RETURN_SHIPMENT_CORRECTED: the customer mistyped its
 * number, workflows/return-parcel.ts) or a parcel the case follows until delivered
 * (FOLLOWED_PARCEL_CORRECTED: the warehouse mistyped it, or the shipment a delay or an inquiry was
 * opened about was given wrongly, workflows/shipping.ts): no longer followed, so the courier's events
 * for that number — someone else's parcel, as like as not — stop reaching the case. `roles`: the
 * rows of that number it forgets (a followed parcel may be the one the case was opened about).
 */
type ForgottenParcel = Parcel & { roles: string[] };
export function parcelsSupersededBy(t: Transition): ForgottenParcel[] {
  const d = t.data ?? {};
  if (typeof d.previousCarrier !== 'string') return [];
  const carrier = carrierCodeOf(d.previousCarrier);
  if (t.kind === 'RETURN_SHIPMENT_CORRECTED' && typeof d.previousTrackingNumber === 'string') return [{ carrier, trackingNumber: normaliseTrackingNumber(d.previousTrackingNumber), roles: ['RETURN'] }];
  if (t.kind === 'FOLLOWED_PARCEL_CORRECTED' && typeof d.previousOutboundTracking === 'string') return [{ carrier, trackingNumber: normaliseTrackingNumber(d.previousOutboundTracking), roles: ['OUTBOUND', 'ORIGINAL'] }];
  return [];
}

/**
 * The parcels a batch adds and the parcels its corrections forget, each parcel as the batch last left it
 * (corrected away and back: followed). One statement's parts cannot see each other's rows, so a
 * parcel added and forgotten in the same batch must not reach the INSERT at all.
 */
export function parcelChanges(steps: Transition[]): { parcels: NamedParcel[]; superseded: ForgottenParcel[] } {
  const last = new Map<string, { parcel: NamedParcel } | { forgotten: ForgottenParcel }>();
  const key = (p: Parcel) => `${p.carrier}\n${p.trackingNumber}`;
  for (const t of steps) {
    for (const parcel of parcelsNamedBy(t)) {
      // Named twice, the first naming's role stands (as the stored row's would: ON CONFLICT DO NOTHING).
      const before = last.get(key(parcel));
      if (!before || 'forgotten' in before) last.set(key(parcel), { parcel });
    }
    for (const forgotten of parcelsSupersededBy(t)) {
      const before = last.get(key(forgotten));
      if (!before || !('parcel' in before) || forgotten.roles.includes(before.parcel.role)) last.set(key(forgotten), { forgotten });
    }
  }
  const changes = [...last.values()];
  return { parcels: changes.flatMap((c) => ('parcel' in c ? [c.parcel] : [])), superseded: changes.flatMap((c) => ('forgotten' in c ? [c.forgotten] : [])) };
}

/** The case row after a run of steps: the last step's stage and deadlines, each other field as last set. */
export interface CaseRowProjection {
  version: number;
  stage: string;
  status: string | null;
  deadlines: Record<string, number>;
  solutionDueAt: number | null;
  /** When the solution was given (the first step that says so). */
  solutionGivenAt: number | null;
  /** The deadline of the case's current stage (see projectSteps). */
  nextDeadlineAt: number | null;
  late: boolean | null;
  escalated: boolean | null;
  /**
   * The step (its stepKey) that escalated the case in this batch, after the last that cleared it:
   * a person's (BY_PEOPLE), the latest of them; else the first step to escalate it. A case escalated
   * already keeps its reason unless the batch cleared it first or a person gives one.
   */
  escalatedBy: string | null;
  /** `escalatedBy` is a person's step: it replaces the reason the case had. */
  escalatedByPerson: boolean;
  /** A step of the batch cleared the escalation. */
  escalationCleared: boolean;
  /**
   * An agent's resolution (AGENT_RESOLVED) came before any escalation of the batch, so it answered
   * the case's escalation from before the batch, unknown here: the statement clears that one unless
   * a member of staff escalated it (answeredByResolution); an escalation later in the batch stands.
   */
  resolvedEarlierEscalation: boolean;
  assigneeId: string | null;
  /**
   * The first agent whose own act is among the steps (`agent:<id>`: a decision, a resolution, an
   * answer entered for the customer): an unassigned case becomes theirs, as a help desk gives a
   * ticket to the agent who first answers it, so the figures by agent and "my cases" count what
   * agents did without anyone assigning first. An assignment, in this batch or before, wins.
   */
  actingAgentId: string | null;
  refundedAmountMinor: number | null;
  satisfaction: number | null;
  closeReason: string | null;
  resolved: boolean;
  closed: boolean;
  returnTrackingNumber: string | null;
  carrier: string | null;
}

/**
 * Escalations a person gave a reason for (someone escalating it, a customer's low revisit score):
 * they say why a case is escalated better than the automatic hand-over or reminder before them.
 */
const BY_PEOPLE = new Set(['ESCALATED', 'REOPENED']);

/**
 * An escalation an agent's resolution answers: every one but a member of staff's (an ESCALATED step
 * by an agent, supervisor or admin), which a supervisor clears. A hand-over to an agent, a reminder
 * past the agent's deadline, the customer's low score, a courier's report: once the agent (or a
 * supervisor) resolved the wait, the case no longer needs a supervisor's eye, and a trial's
 * supervisor found "only escalated" listing mostly cases already handled.
 */
const STAFF_ACTORS = /^(agent|supervisor|admin)(:|$)/;
const answeredByResolution = (t: Pick<Transition, 'kind' | 'actor'>) => !(t.kind === 'ESCALATED' && STAFF_ACTORS.test(t.actor ?? ''));

/** Folds steps (in order) into the case row, as applying them one by one would leave it. */
export function projectSteps(transitions: Transition[], now: number): CaseRowProjection {
  const last = transitions.at(-1);
  if (!last) throw new Error('projectSteps needs at least one step');
  const deadlines = last.deadlines ?? {};
  const upcoming = Object.values(deadlines).filter((d) => d > now);
  const p: CaseRowProjection = {
    version: last.version,
    stage: last.stage,
    status: null,
    deadlines,
    solutionDueAt: null,
    solutionGivenAt: null,
    // A closed case waits for nothing, whatever deadlines it once had. Otherwise the deadline of
    // the stage it is in (overdue or not); steps from before the workflow sent it: the earliest
    // deadline still ahead, which could be another stage's (deadlines accumulate).
    nextDeadlineAt: last.status === 'CLOSED' ? null : last.stageDeadlineAt !== undefined ? last.stageDeadlineAt : upcoming.length ? Math.min(...upcoming) : null,
    late: null,
    escalated: null,
    escalatedBy: null,
    escalatedByPerson: false,
    escalationCleared: false,
    resolvedEarlierEscalation: false,
    assigneeId: null,
    actingAgentId: null,
    refundedAmountMinor: null,
    satisfaction: null,
    closeReason: null,
    resolved: false,
    closed: false,
    returnTrackingNumber: null,
    carrier: null,
  };
  const byKey = new Map(transitions.map((t) => [t.stepKey, t]));
  for (const t of transitions) {
    p.actingAgentId ??= actingAgentOf(t);
    if (t.status && STATUSES.has(t.status)) p.status = t.status;
    if (t.deadlines?.solutionDueAt) p.solutionDueAt = t.deadlines.solutionDueAt;
    if (t.solutionGivenAt !== undefined) p.solutionGivenAt ??= t.solutionGivenAt;
    if (t.late !== undefined) p.late = t.late;
    if (t.escalated === false) Object.assign(p, { escalatedBy: null, escalatedByPerson: false, escalationCleared: true });
    else if (t.escalated && BY_PEOPLE.has(t.kind)) Object.assign(p, { escalatedBy: t.stepKey, escalatedByPerson: true });
    else if (t.escalated && !p.escalated) p.escalatedBy = t.stepKey;
    if (t.escalated !== undefined) p.escalated = t.escalated;
    if (t.kind === 'AGENT_RESOLVED') {
      // Escalated in this batch: the step that did is known here. Before it: the statement looks it up.
      const by = p.escalated && p.escalatedBy ? byKey.get(p.escalatedBy) : undefined;
      if (by && answeredByResolution(by)) Object.assign(p, { escalated: false, escalatedBy: null, escalatedByPerson: false, escalationCleared: true });
      else if (p.escalated === null) p.resolvedEarlierEscalation = true;
    }
    if (t.assigneeId !== undefined) p.assigneeId = t.assigneeId;
    if (t.refundedAmountMinor !== undefined) p.refundedAmountMinor = t.refundedAmountMinor;
    if (t.satisfaction !== undefined) p.satisfaction = t.satisfaction;
    if (t.closeReason !== undefined) p.closeReason = t.closeReason;
    if (t.status === 'RESOLVED') p.resolved = true;
    if (t.status === 'CLOSED') p.closed = true;
    if (typeof t.data?.trackingNumber === 'string') p.returnTrackingNumber = normaliseTrackingNumber(t.data.trackingNumber);
    if (typeof t.data?.carrier === 'string' && t.data.carrier) p.carrier = carrierCodeOf(t.data.carrier);
  }
  return p;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * The case's escalation from before the batch was answered by the batch's agent resolution
 * (`resolvedEarlierEscalation`, $27): it was escalated, and not by a member of staff (answeredByResolution).
 */
const ANSWERED = `($27::boolean AND escalated AND NOT EXISTS (SELECT 1 FROM "CaseEvent" s WHERE s."caseId" = $1 AND s."stepKey" = "Case"."escalatedBy" AND s.kind = 'ESCALATED' AND s.actor ~ '${STAFF_ACTORS.source}'))`;

/** Writes the batch in one statement (see the top of this file). */
export async function applySteps(db: Db, s: CaseSteps, now = Date.now()): Promise<void> {
  const events = s.transitions.map((t, ord) => ({ ord, stepKey: t.stepKey, kind: t.kind, stage: t.stage, actor: t.actor ?? 'system', data: t.data ?? {}, decision: t.decision ?? null }));
  const { parcels, superseded } = parcelChanges(s.transitions);
  const messages = s.notifications.map((n, ord) => ({ ord, template: n.template, params: n.params, idempotencyKey: `${n.caseId}:${n.stepKey}` }));
  const row = s.transitions.length ? projectSteps(s.transitions, now) : undefined;
  // With no steps (messages only), the case row is left alone: version 0 never beats a stored one.
  const p = row ?? { version: 0, stage: '', status: null, deadlines: {}, solutionDueAt: null, solutionGivenAt: null, nextDeadlineAt: null, late: null, escalated: null, escalatedBy: null, escalatedByPerson: false, escalationCleared: false, resolvedEarlierEscalation: false, assigneeId: null, actingAgentId: null, refundedAmountMinor: null, satisfaction: null, closeReason: null, resolved: false, closed: false, returnTrackingNumber: null, carrier: null };
  // Plain SQL on Prisma's pool (db/client.ts): every workflow task of every case runs this
  // statement, and through Prisma's raw query it took about twice as long.
  await sqlOf(db).query(
    `WITH events AS (
      INSERT INTO "CaseEvent" ("caseId", "stepKey", kind, stage, actor, data, decision)
      SELECT $1, e."stepKey", e.kind, e.stage, e.actor, e.data, CASE WHEN jsonb_typeof(e.decision) = 'null' THEN NULL ELSE e.decision END
      FROM jsonb_to_recordset($2::jsonb) AS e(ord int, "stepKey" text, kind text, stage text, actor text, data jsonb, decision jsonb)
      ORDER BY e.ord
      ON CONFLICT ("caseId", "stepKey") DO NOTHING
    ), parcels AS (
      INSERT INTO "CaseParcel" ("caseId", carrier, "trackingNumber", role)
      SELECT $1, x.carrier, x."trackingNumber", x.role
      FROM jsonb_to_recordset($3::jsonb) AS x(carrier text, "trackingNumber" text, role text)
      ON CONFLICT DO NOTHING
    ), superseded AS (
      DELETE FROM "CaseParcel" p
      USING jsonb_to_recordset($22::jsonb) AS x(carrier text, "trackingNumber" text, roles jsonb)
      WHERE p."caseId" = $1 AND p.carrier = x.carrier AND p."trackingNumber" = x."trackingNumber" AND x.roles @> to_jsonb(p.role)
    ), projected AS (
      UPDATE "Case" SET
        "projectionVersion" = $4,
        stage = $5,
        status = COALESCE($6::text::"CaseStatus", status),
        deadlines = $7::jsonb,
        "solutionDueAt" = COALESCE($8::timestamptz, "solutionDueAt"),
        "solutionGivenAt" = COALESCE("solutionGivenAt", $9::timestamptz),
        "nextDeadlineAt" = $10::timestamptz,
        late = COALESCE($11::boolean, late),
        -- An agent's resolution answers the escalation from before the batch, unless a member of staff
        -- escalated it (answeredByResolution): then a supervisor clears it.
        escalated = CASE WHEN ${ANSWERED} THEN COALESCE($12::boolean, false)
                         ELSE COALESCE($12::boolean, escalated) END,
        -- Why it is escalated: a person's latest reason, else the step that first escalated it since it
        -- was last cleared ('' for a case escalated before this was kept: unknown, until a person says).
        "escalatedBy" = CASE WHEN ${ANSWERED} THEN CASE WHEN $12::boolean THEN $24::text END
                             WHEN $12::boolean IS NULL THEN "escalatedBy"
                             WHEN NOT $12::boolean THEN NULL
                             WHEN $26::boolean THEN $24::text
                             WHEN escalated AND NOT $25::boolean THEN COALESCE("escalatedBy", $24::text)
                             ELSE $24::text END,
        "assigneeId" = COALESCE($13::text, "assigneeId", $23::text),
        -- A step's own figure, unless a refund of the case came back from the bank and was paid
        -- again: that payment set it to what the ledger nets to (db/refund-settlement.ts), and a
        -- workflow still running (a wrong item's root cause, a revisit) would write its first figure
        -- over a re-payment the order's cap cut. (Sent back and owed, the step's figure is the owed one.)
        "refundedAmountMinor" = CASE WHEN $14::bigint IS NULL THEN "refundedAmountMinor"
                                     WHEN EXISTS (SELECT 1 FROM "RefundHold" f JOIN "RefundHold" a ON a."stepKey" = f."stepKey" || ':again'
                                                   WHERE f."caseId" = $1 AND f.status = 'FAILED') THEN "refundedAmountMinor"
                                     ELSE $14::bigint END,
        satisfaction = COALESCE($15::int, satisfaction),
        "closeReason" = COALESCE($16::text, "closeReason"),
        -- When the case became resolved (closed), not the time of every later step that still says
        -- so: an assignment or an escalation of a resolved case moved its resolution in the figures.
        "resolvedAt" = CASE WHEN $17::boolean AND status IS DISTINCT FROM 'RESOLVED' THEN now() ELSE "resolvedAt" END,
        "closedAt" = CASE WHEN $18::boolean AND status IS DISTINCT FROM 'CLOSED' THEN now() ELSE "closedAt" END,
        "returnTrackingNumber" = COALESCE($19::text, "returnTrackingNumber"),
        carrier = COALESCE($20::text, carrier),
        "updatedAt" = now()
      WHERE id = $1 AND "projectionVersion" < $4
    )
    INSERT INTO "Notification" ("caseId", template, locale, params, "idempotencyKey")
    SELECT $1, m.template, c."customerLocale", m.params, m."idempotencyKey"
    FROM jsonb_to_recordset($21::jsonb) AS m(ord int, template text, params jsonb, "idempotencyKey" text)
    JOIN "Case" c ON c.id = $1
    ORDER BY m.ord
    ON CONFLICT ("idempotencyKey") DO NOTHING`,
    [
      s.caseId,
      JSON.stringify(events),
      JSON.stringify(parcels),
      p.version,
      p.stage,
      p.status,
      JSON.stringify(p.deadlines),
      iso(p.solutionDueAt),
      iso(p.solutionGivenAt),
      iso(p.nextDeadlineAt),
      p.late,
      p.escalated,
      p.assigneeId,
      p.refundedAmountMinor === null ? null : String(p.refundedAmountMinor),
      p.satisfaction,
      p.closeReason,
      p.resolved,
      p.closed,
      p.returnTrackingNumber,
      p.carrier,
      JSON.stringify(messages),
      JSON.stringify(superseded),
      p.actingAgentId,
      p.escalatedBy,
      p.escalationCleared,
      p.escalatedByPerson,
      p.resolvedEarlierEscalation,
    ],
  );
}
