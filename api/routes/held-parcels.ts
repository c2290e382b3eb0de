/**
 * The warehouse's hold shelf (domain/held-parcels.ts): returned parcels an arrival scan put there
 * because their case did not wait for them. The list says what each waits for; a parcel goes back
 * to the customer or stays with the shop (an agent's call) and is recorded so here. A parcel whose
 * case now takes it is taken off the shelf by its arrival scan (api/routes/cases.ts).
 */
import type { FastifyRequest } from 'fastify';
import { heldParcelNext, heldParcelSentBackMessage, releasesAllowed, type HeldParcelNext } from '../../domain/held-parcels.js';
import { merchantScopeOf, principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { HeldParcelItem, heldParcelItem, HeldParcelParams, HeldParcelQuery, heldParcelRank, HeldParcels, KeptBody, SentBackBody } from '../held-parcels.js';
import type { ApiApp } from '../typed-app.js';

export function heldParcelRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/warehouse/held-parcels', { config: { roles: ['WAREHOUSE', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: HeldParcels }, tags: ['warehouse'], summary: 'The hold shelf: returned parcels scanned while their case did not take them, and what each waits for', querystring: HeldParcelQuery } }, async (request) => {
    const { onShelf, limit } = request.query;
    const rows = await deps.repos.heldParcels.list({ merchantId: merchantScopeOf(principalOf(request)), onShelf: onShelf ?? true, limit: limit ?? 200 });
    // The shelf is short (parcels wait there days, not months): ordered here, by what to do first.
    const items = rows.map(heldParcelItem).sort((a, b) => heldParcelRank(a.next) - heldParcelRank(b.next));
    return { items };
  });

  /**
   * Takes a held parcel off the shelf as `outcome` says, where its case allows that (domain/held-parcels.ts
   * releasesAllowed); the same release again answers the parcel as it is. `step`: what its timeline
   * step says beside the case's end note (the clerk's own note, the number it went back under). Sent
   * back again under another number than the first: 409, naming the first.
   */
  async function release(request: FastifyRequest, heldParcelId: string, outcome: 'SENT_BACK' | 'KEPT', e: { by: string; note?: string }, step: { note?: string; sentBackAs?: string }) {
    const held = await deps.repos.heldParcels.byId(heldParcelId);
    const merchantId = merchantScopeOf(principalOf(request));
    if (!held || (merchantId && held.merchantId !== merchantId)) throw notFound('held parcel');
    if (!held.endedAt) {
      const next = heldParcelNext(held.case);
      if (!releasesAllowed(next).includes(outcome)) throw new ApiError(409, 'WRONG_STATE', refusal(held.caseId, held.case.stage, next, outcome));
      await deps.repos.heldParcels.end({ id: heldParcelId }, { outcome, by: e.by, ...(e.note ? { note: e.note } : {}) });
    }
    // Ended now, or a moment ago by this release sent twice, or by something else (a scan-in): said as it is.
    const now = (await deps.repos.heldParcels.byId(heldParcelId))!;
    if (now.outcome !== outcome) throw new ApiError(409, 'WRONG_STATE', `held parcel ${heldParcelId} is off the shelf already (${now.outcome} at ${now.endedAt!.toISOString()} by ${now.endedBy})`);
    // The customer hears what became of the goods they sent (also on a release sent again: written once).
    if (outcome === 'SENT_BACK') {
      const told = await deps.repos.heldParcels.released(now, 'PARCEL_SENT_BACK', heldParcelSentBackMessage(step.sentBackAs), step.note);
      // Sent again under another number than the one the customer was told: not this send-back again.
      if (step.sentBackAs && step.sentBackAs !== told.sentBackAs) {
        const under = told.sentBackAs ? `under ${told.sentBackAs}` : 'with no tracking number';
        throw new ApiError(409, 'WRONG_STATE', `held parcel ${heldParcelId} was already sent back ${under} (by ${now.endedBy} at ${now.endedAt!.toISOString()}), not as ${step.sentBackAs}: its customer was told so`);
      }
    } else await deps.repos.heldParcels.released(now, 'PARCEL_KEPT', { template: 'heldParcelKept', params: {} }, step.note);
    return heldParcelItem(now);
  }

  app.post('/v1/warehouse/held-parcels/:heldParcelId/sent-back', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: HeldParcelItem }, tags: ['warehouse'], summary: 'A held parcel went back to the customer', description: 'For a parcel on the shelf whose case closed with nothing given for the goods (`next` SEND_BACK), or whose agent decided so (`next` ASK_AGENT). One its case now takes is scanned in instead, one whose case has not decided yet waits (409 WRONG_STATE each, saying so). The case’s timeline gets PARCEL_SENT_BACK and its customer is told their goods are coming back (with `trackingNumber`, the number they come under). Sent back again: the parcel as it is — or, under another `trackingNumber` than the first (or a number where the first had none), 409 WRONG_STATE naming the number it went back under, by whom and when.', params: HeldParcelParams, body: SentBackBody } }, async (request) => {
    const { trackingNumber, note, by } = request.body;
    const endNote = [trackingNumber && `sent back as ${trackingNumber}`, note].filter(Boolean).join('; ') || undefined;
    return release(request, request.params.heldParcelId, 'SENT_BACK', { by, ...(endNote ? { note: endNote } : {}) }, { note, sentBackAs: trackingNumber });
  });

  app.post('/v1/warehouse/held-parcels/:heldParcelId/kept', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: HeldParcelItem }, tags: ['warehouse'], summary: 'A held parcel the shop keeps (an agent decided: the goods were refunded or replaced already)', description: 'Only for a parcel whose case went on without it (`next` ASK_AGENT): the note says who decided and why. Goods of a case closed with nothing given for them are the customer’s and are sent back (409). The case’s timeline gets PARCEL_KEPT (the note for the staff) and its customer is told the shop keeps the goods.', params: HeldParcelParams, body: KeptBody } }, async (request) => {
    const { by, note } = request.body;
    return release(request, request.params.heldParcelId, 'KEPT', { by, note }, { note });
  });
}

function refusal(caseId: string, stage: string, next: HeldParcelNext, outcome: 'SENT_BACK' | 'KEPT'): string {
  if (next === 'SCAN_NOW') return `case ${caseId} now takes this parcel (stage ${stage}): scan it in (POST /v1/warehouse/arrivals)`;
  if (next === 'WAIT') return `case ${caseId} has not decided yet whether the goods come back (stage ${stage}): keep the parcel on the shelf until an agent approves (scan it in then) or rejects the request (send it back then)`;
  return `case ${caseId} closed with nothing given for these goods: they are the customer’s, send them back (POST /v1/warehouse/held-parcels/{heldParcelId}/sent-back), not ${outcome === 'KEPT' ? 'kept' : outcome}`;
}
