/**
 * The warehouse's hold shelf (domain/held-parcels.ts): returned parcels an arrival scan put there
 * because their case did not take them yet (or any more). The list says what each waits for; a
 * parcel whose case ended without it is sent back to the customer and recorded so here. A parcel
 * whose case now asks for it is taken off the shelf by its arrival scan (api/routes/cases.ts).
 */
import { heldParcelNext } from '../../domain/held-parcels.js';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError, notFound } from '../errors.js';
import { HeldParcelItem, heldParcelItem, HeldParcelParams, HeldParcelQuery, heldParcelRank, HeldParcels, SentBackBody } from '../held-parcels.js';
import type { ApiApp } from '../typed-app.js';

export function heldParcelRoutes(app: ApiApp, deps: ApiDeps): void {
  // A warehouse key bound to a merchant sees that merchant's shelf; an admin's or an unbound key's, all of it.
  const merchantOfReader = (p: ReturnType<typeof principalOf>) => (p.role === 'ADMIN' ? undefined : (p.merchantId ?? undefined));

  app.get('/v1/warehouse/held-parcels', { config: { roles: ['WAREHOUSE', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: HeldParcels }, tags: ['warehouse'], summary: 'The hold shelf: returned parcels scanned while their case did not take them, and what each waits for', querystring: HeldParcelQuery } }, async (request) => {
    const { onShelf, limit } = request.query;
    const rows = await deps.repos.heldParcels.list({ merchantId: merchantOfReader(principalOf(request)), onShelf: onShelf ?? true, limit: limit ?? 200 });
    // The shelf is short (parcels wait there days, not months): ordered here, by what to do first.
    const items = rows.map(heldParcelItem).sort((a, b) => heldParcelRank(a.next) - heldParcelRank(b.next));
    return { items };
  });

  app.post('/v1/warehouse/held-parcels/:heldParcelId/sent-back', { config: { roles: ['WAREHOUSE'] }, schema: { response: { 200: HeldParcelItem }, tags: ['warehouse'], summary: 'A held parcel whose case ended without it went back to the customer', description: 'Only for a parcel on the shelf whose case ended without it (`next` CASE_ENDED). One whose case now asks for it is scanned in instead (409 WRONG_STATE); one whose case has not decided yet waits (409: an agent decides first, by approving or rejecting the request). Sending it back again answers the parcel as it is.', params: HeldParcelParams, body: SentBackBody } }, async (request) => {
    const p = principalOf(request);
    const { heldParcelId } = request.params;
    const held = await deps.repos.heldParcels.byId(heldParcelId);
    const merchantId = merchantOfReader(p);
    if (!held || (merchantId && held.merchantId !== merchantId)) throw notFound('held parcel');
    if (held.endedAt) {
      if (held.outcome === 'SENT_BACK') return heldParcelItem(held);
      throw new ApiError(409, 'WRONG_STATE', `held parcel ${heldParcelId} is off the shelf already: case ${held.caseId} took it in at ${held.endedAt.toISOString()}`);
    }
    const next = heldParcelNext(held.case);
    if (next === 'SCAN_NOW') throw new ApiError(409, 'WRONG_STATE', `case ${held.caseId} now asks for this parcel (stage ${held.case.stage}): scan it in (POST /v1/warehouse/arrivals) instead of sending it back`);
    if (next === 'WAIT') throw new ApiError(409, 'WRONG_STATE', `case ${held.caseId} has not decided yet whether the goods come back (stage ${held.case.stage}): keep the parcel on the shelf until an agent approves (scan it in then) or rejects the request (send it back then)`);
    const { trackingNumber, note, by } = request.body;
    const endNote = [trackingNumber && `sent back as ${trackingNumber}`, note].filter(Boolean).join('; ') || undefined;
    await deps.repos.heldParcels.end({ id: heldParcelId }, { outcome: 'SENT_BACK', by, ...(endNote ? { note: endNote } : {}) });
    // Ended now or by a send-back a moment ago: the row as it is.
    return heldParcelItem((await deps.repos.heldParcels.byId(heldParcelId))!);
  });
}
