/** Tracking events pushed by couriers: signed per carrier (HMAC), recorded once per event id. */
import type { ApiApp } from '../typed-app.js';
import type { FastifyRequest } from 'fastify';
import { caseWorkflowId, courierEvent, escalate, type EscalationAbout } from '../../workflows/contract.js';
import { carrierCodeOf } from '../../domain/carriers.js';
import { courierEventCode, TURNED_BACK_CODES } from '../../domain/courier-event-codes.js';
import { normaliseTrackingNumber } from '../../domain/tracking-number.js';
import { caseInputs } from '../../db/case-inputs.js';
import { tellClaimParcelFound } from '../claim-withdrawal.js';
import { deliver, recordInput } from '../commands.js';
import type { ApiDeps } from '../context.js';
import { ApiError, badRequest } from '../errors.js';
import { CourierEventBody, CourierParams } from '../schemas.js';
import { CourierEventAccepted } from '../responses.js';
import { reportedTimeProblem } from '../reported-times.js';
import { CLOCK_TOLERANCE_MS } from '../../domain/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    rawBody?: string;
  }
}

const COURIER_EVENTS_HOW =
  'Sent by a carrier, not with a key: the request is signed with the carrier’s shared secret in the `X-Signature` header (the courierSignature scheme says how; the operator configures one secret per carrier, COURIER_SECRETS: a carrier without one is a 404), and `{carrier}` is the carrier’s code (SF, ZTO …) or its name. Every case that follows the tracking number hears the event (a return coming back, goods sent again, a parcel being intercepted); what each code does is said under `code`. Answers 202 `{ accepted: true, matched: true }` once the cases have it, or `matched: false` when no case follows the parcel (nothing to do: it is not retried). A parcel that cases follow under another carrier is a 409 CARRIER_MISMATCH (one carrier’s secret speaks for its own parcels only); an event dated more than ' + `${CLOCK_TOLERANCE_MS / 60_000}` + ' minutes ahead of now (a carrier’s fast clock is allowed that much), or in epoch seconds, a 400 naming `body.at`. An event of a parcel the shop sent again (a re-shipment, a replacement) dated before its case was opened is of an earlier parcel under the same number: it is recorded among the case’s inputs as refused (not on its timeline), and changes nothing. The DELIVERED of a parcel a lost-parcel case gave up as lost (the customer was offered the goods again or the money) escalates that case with why (step ESCALATED, actor `courier:<carrier>`; a resolved case is reopened to an agent): the customer may have the goods twice. Such a case that has not sent the goods again nor refunded them yet (the customer still choosing, or the re-shipment not left) also stops at an agent (step DELIVERED_AFTER_LOSS; the choice and the re-shipment report answer 409 meanwhile) to confirm with the customer: CLOSE when they have it, CONTINUE when not — unless an agent checked its signature already, or the courier reported it turned back first. That parcel delivered or turned back to the sender (refused, returning, returned) has the case’s courier claim for it withdrawn while the carrier has not decided it (CLAIM_WITHDRAWN), also once the case closed, and as soon as it is filed when it was still being filed; a claim the carrier paid already gets an escalated CLAIM_PAID_PARCEL_FOUND, to be paid back. A retry of an event (the same `eventId` for the parcel) is answered as the first and recorded once; a retry of one answered 503 (Temporal away) is delivered to the cases then (`duplicate: false`).';

export function courierRoutes(app: ApiApp, deps: ApiDeps): void {
  app.post('/v1/couriers/:carrier/events', { config: { auth: 'courier-signature' }, schema: { response: { 202: CourierEventAccepted }, tags: ['courier'], summary: "A carrier's tracking event for a parcel (signed callback)", description: COURIER_EVENTS_HOW, params: CourierParams, body: CourierEventBody } }, async (request, reply) => {
    // The carrier by its code, however the callback URL spells it ("sf" is SF: the auth hook found its secret so).
    const carrier = carrierCodeOf(request.params.carrier);
    const body = request.body;
    // An event reports what happened: one dated ahead (a carrier's clock or a bug) would deliver a
    // parcel "tomorrow" today and date the case's steps so; one in seconds, in 1970.
    const late = reportedTimeProblem(body.at, deps.now?.() ?? Date.now());
    if (late) throw badRequest('body.at', late);
    const following = await deps.repos.casesFollowing(body.trackingNumber);
    if (!following.length) return reply.status(202).send({ accepted: true, matched: false });
    // Only the parcel's own carrier speaks for it: a secret of one carrier signs nothing of another's.
    const mine = following.filter((f) => f.carrier === carrier);
    if (!mine.length) throw new ApiError(409, 'CARRIER_MISMATCH', `${body.trackingNumber} is not a parcel of carrier ${carrier}`, 'body.trackingNumber');
    // An event id names an event of one parcel: carriers that number each waybill's events (1, 2, …)
    // reuse ids across parcels, and a case follows several (the return, the goods sent again).
    const stepKey = `courier:${carrier}:${body.trackingNumber}:${body.eventId}`;
    // Events recorded before ids counted per parcel (2026-12-04) are under carrier and id alone: a
    // carrier's retry of one of them is the same event, not news for the case a second time.
    const legacyKey = `courier:${carrier}:${body.eventId}`;
    const recorded = (await deps.repos.recordedCourierEvents(mine.map((f) => f.case.id), [stepKey, legacyKey])).filter((r) => r.stepKey === stepKey || normaliseTrackingNumber(String(r.data.trackingNumber)) === body.trackingNumber);
    // A retry sends the same event again (recorded the first time). Another event under a used id
    // would be dropped unseen — a delivery lost behind an earlier scan's id: refused before any case hears of it.
    const other = recorded.map((r) => r.data).find((was) => was.code !== body.code || was.at !== body.at);
    const recordedBefore = new Set(recorded.filter((r) => r.stepKey === legacyKey).map((r) => r.caseId));
    if (other) {
      throw new ApiError(409, 'EVENT_ID_REUSED', `eventId ${body.eventId} was sent before for another event (${String(other.code)} at ${typeof other.at === 'number' ? new Date(other.at).toISOString() : String(other.at)}): each event needs an id of its own`, 'body.eventId');
    }
    let duplicate = true;
    for (const { case: c, role } of mine) {
      if (recordedBefore.has(c.id)) continue; // sent and recorded before, under its old key
      // The code as the workflows compare it: "delivered" and "已签收" are DELIVERED (the recorded event keeps the carrier's word).
      const arg = { carrier, trackingNumber: body.trackingNumber, code: courierEventCode(body.code), description: body.description, at: body.at };
      const handle = deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
      const input = { caseId: c.id, via: 'SIGNAL' as const, kind: courierEvent.name, workflowId: handle.workflowId, arg, sender: { role: 'COURIER', id: carrier } };
      const earlier = earlierParcel(c, role, body.at);
      if (earlier) {
        // Among the case's inputs only, not on its timeline: its customer would read a delivery days
        // before their parcel left. A retry is recognised there.
        if (await courierEventSent(deps, c.id, arg)) continue;
        duplicate = false;
        await recordInput(deps, request, { ...input, at: new Date(deps.now?.() ?? Date.now()), outcome: 'REFUSED', reason: earlier });
        continue;
      }
      const fresh = await deps.repos.recordCourierEvent(c.id, stepKey, { carrier, ...body });
      // A retry of an event id: answered as the first — unless the first never reached the case's
      // workflow (Temporal away, the API stopped between the two): the event is on the timeline,
      // but the workflow learns of it only from this retry. Workflows take an event twice alike.
      if (!fresh && (await courierEventSent(deps, c.id, arg))) {
        // The first may have stopped between the event and the escalation it called for.
        if (c.status !== 'CLOSED') await escalateLostParcelFound(deps, request, c, role, arg);
        else await withdrawLostParcelClaim(deps, request, c, role, arg);
        continue;
      }
      duplicate = false;
      // A closed case is not told; under another policy it might still follow the parcel, so the event is recorded, refused.
      if (c.status === 'CLOSED') {
        await recordInput(deps, request, { ...input, at: new Date(deps.now?.() ?? Date.now()), outcome: 'REFUSED', reason: 'the case is closed' });
        await withdrawLostParcelClaim(deps, request, c, role, arg);
      } else {
        await deliver(deps, request, input, () => handle.signal(courierEvent, arg));
        await escalateLostParcelFound(deps, request, c, role, arg);
      }
    }
    return reply.status(202).send({ accepted: true, matched: true, duplicate });
  });
}

/**
 * A parcel a lost-parcel case gave up as lost, delivered after all: the customer was offered the
 * goods again or the money (CHOICE_REQUESTED), so they may now have both, and a courier claim may
 * be running for a parcel that arrived: a claim still open is withdrawn (its process is told). Once
 * the goods were sent again or refunded, the case's workflow no longer acts on that parcel's events
 * (it follows the re-shipment, or rests); before, it stops at an agent itself (DELIVERED_AFTER_LOSS),
 * and one started before it learnt to does not. Either way the API escalates the case with why, from
 * the courier: a supervisor sees it in the escalated queue, and a resolved case is reopened to an
 * agent (docs/after-sales.md §3). Once per event, also when the carrier retries it.
 */
async function escalateLostParcelFound(deps: ApiDeps, request: FastifyRequest, c: { id: string; type: string }, role: string, e: { carrier: string; trackingNumber: string; code: string; at: number }): Promise<void> {
  await withdrawLostParcelClaim(deps, request, c, role, e);
  if (c.type !== 'LOST_PARCEL' || role !== 'ORIGINAL' || e.code !== 'DELIVERED') return;
  const steps = await deps.repos.timeline(c.id);
  const kinds = new Set(steps.map((step) => step.kind));
  if (!kinds.has('CHOICE_REQUESTED')) return;
  // Sent again, refunded, or still to be (then which the customer chose): what the agent is to see to differs.
  const remedy = ([...steps].reverse().find((s) => s.kind === 'CHOICE_ANSWERED' || s.kind === 'CHOICE_TIMED_OUT')?.data as { remedy?: unknown } | null | undefined)?.remedy;
  const chose = remedy === 'RESHIP' || remedy === 'REFUND' ? remedy : undefined;
  const chosen = chose === 'RESHIP' ? ' (the customer chose the goods sent again)' : chose === 'REFUND' ? ' (the customer chose the refund)' : '';
  const done = kinds.has('RESHIPPED') ? 'SENT_AGAIN' : kinds.has('RESOLVED') ? 'REFUNDED' : 'NOTHING_YET';
  const what =
    done === 'SENT_AGAIN'
      ? 'the goods were sent again: the customer may now have the goods twice'
      : done === 'REFUNDED'
        ? 'the refund was paid: the customer may now have the goods and the refund'
        : `nothing was sent again or refunded yet${chosen}: confirm with the customer whether they have it before anything is`;
  // The claim may have been withdrawn at an earlier report of the same parcel, or paid: said as what happens to it, whichever it is.
  const reason = `the parcel given up as lost (${e.carrier} ${e.trackingNumber}) was delivered after all, at ${new Date(e.at).toISOString()}: ${what}; its courier claim, if still open, is withdrawn, and one the carrier paid already is to be paid back (the claim's steps say which)`;
  // Sent once: a retry of the event (the first answered with an error after the event went in) sends only what is missing.
  if ((await caseInputs(deps.repos.db, c.id)).some((i) => i.kind === escalate.name && i.outcome === 'ACCEPTED' && (i.arg as { reason?: unknown } | null)?.reason === reason)) return;
  const handle = deps.temporal.workflow.getHandle(caseWorkflowId(c.id));
  // The same said as data, for a screen in another language (the console's zh-CN agents).
  const about: EscalationAbout = { code: 'LOST_PARCEL_DELIVERED', carrier: e.carrier, trackingNumber: e.trackingNumber, deliveredAt: e.at, done, ...(done === 'NOTHING_YET' && chose ? { chose } : {}) };
  const arg = { by: { kind: 'courier' as const, id: e.carrier }, reason, about };
  await deliver(deps, request, { caseId: c.id, via: 'SIGNAL', kind: escalate.name, workflowId: handle.workflowId, arg, sender: { role: 'COURIER', id: e.carrier } }, () => handle.signal(escalate, arg));
}

/**
 * A parcel a lost-parcel case gave up as lost, delivered after all: its courier claim, if still open,
 * is withdrawn (api/claim-withdrawal.ts) — also when the case has closed, since the claim outlives it.
 */
async function withdrawLostParcelClaim(deps: ApiDeps, request: FastifyRequest, c: { id: string; type: string }, role: string, e: { carrier: string; trackingNumber: string; code: string; at: number }): Promise<void> {
  if (c.type !== 'LOST_PARCEL' || role !== 'ORIGINAL') return;
  // Delivered, or located and on its way back to the shop (refused, returning, returned to sender): not lost.
  const how = e.code === 'DELIVERED' ? 'DELIVERED' : TURNED_BACK_CODES.has(e.code) ? 'COMING_BACK' : undefined;
  if (how) await tellClaimParcelFound(deps, request, c.id, { trackingNumber: e.trackingNumber, at: e.at, how, by: e.carrier }, { role: 'COURIER', id: e.carrier });
}

/** A carrier's clock may run ahead of ours: an event dated this much before the case opened is still taken. */
const CARRIER_CLOCK_SKEW_MS = 3_600_000;

/**
 * Why a parcel the shop sent again (a re-shipment, a replacement) does not take an event, if it
 * does not: dated before its case was opened, the event is of an earlier parcel under the same
 * number (carriers reuse them) — goods sent again never left before the case that sends them — and
 * its DELIVERED would end the wait for this one (an integrator's trial resolved a case so). A
 * tracking inquiry's parcel is the order's own, which may have left before the customer asked; a
 * parcel a case is about, or a customer's return, has scans from before the case heard of it.
 */
function earlierParcel(c: { type: string; createdAt: Date }, role: string, at: number): string | undefined {
  if (role !== 'OUTBOUND' || c.type === 'TRACKING_INQUIRY' || at >= c.createdAt.getTime() - CARRIER_CLOCK_SKEW_MS) return undefined;
  return `the event is dated ${new Date(at).toISOString()}, before the case that sent this parcel was opened (${c.createdAt.toISOString()}): it is of an earlier parcel under the same number`;
}

/** Whether `arg` (a courier event as sent to workflows) was sent to case `caseId`'s workflow before, taken or refused (its recorded inputs). */
async function courierEventSent(deps: ApiDeps, caseId: string, arg: { trackingNumber: string; code: string; at: number }): Promise<boolean> {
  const inputs = await caseInputs(deps.repos.db, caseId);
  return inputs.some((i) => {
    if (i.kind !== courierEvent.name || i.via !== 'SIGNAL') return false;
    const sent = i.arg as { trackingNumber?: unknown; code?: unknown; at?: unknown } | null;
    return sent?.trackingNumber === arg.trackingNumber && sent.code === arg.code && sent.at === arg.at;
  });
}
