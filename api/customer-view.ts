/**
 * What a customer — or the storefront, which shows a case to its customer — is shown of a case.
 * The merchant's staff write internal notes (`POST /v1/cases/{id}/notes`) for each other, and their
 * keys' ids name who did what: neither is the customer's business. So a customer's view of the
 * timeline has no notes, assignments or escalations, and names staff by their role only ("agent", "warehouse"), as it names the
 * case's assignee not at all. The customer's own steps, the courier's and the workflow's keep their
 * actor. Staff see everything (README, under the `npm run keys` commands).
 */

/**
 * Timeline kinds only the merchant's staff see: their notes, who on the staff has the case, their
 * escalations (the reason names the escalating key and says what staff say to each other) and the
 * reminders an agent's silence raises.
 */
const INTERNAL_KINDS = new Set(['NOTE', 'ASSIGNED', 'ESCALATED', 'AGENT_REMINDER']);

/** Actors named `role:id` whose id is the merchant's (staff and integration keys). */
const STAFF_ROLES = new Set(['agent', 'supervisor', 'admin', 'warehouse', 'storefront']);

export const isCustomerFacing = (role: string) => role === 'CUSTOMER' || role === 'STOREFRONT';

/** "agent:7cd0…" → "agent"; "customer:cust-9", "courier:SF" and "system" as they are. */
export function actorForCustomer(actor: string | null): string | null {
  if (actor === null) return null;
  const colon = actor.indexOf(':');
  const role = colon < 0 ? actor : actor.slice(0, colon);
  return STAFF_ROLES.has(role) ? role : actor;
}

export function timelineForCustomer<E extends { kind: string; actor: string | null }>(events: E[]): E[] {
  return events.filter((e) => !INTERNAL_KINDS.has(e.kind)).map((e) => ({ ...e, actor: actorForCustomer(e.actor) }));
}

export function evidenceForCustomer<E extends { addedBy: string }>(evidence: E[]): E[] {
  return evidence.map((e) => ({ ...e, addedBy: actorForCustomer(e.addedBy)! }));
}
