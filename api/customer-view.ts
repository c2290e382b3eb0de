/**
 * What a customer — or the storefront, which shows a case to its customer — is shown of a case.
 * The merchant's staff write internal notes (`POST /v1/cases/{id}/notes`) for each other, and their
 * keys' ids name who did what: neither is the customer's business. So a customer's view of the
 * timeline has no notes, assignments or escalations, and names staff by their role only ("agent", "warehouse"), as it names the
 * case's assignee not at all. The customer's own steps, the courier's and the workflow's keep their
 * actor. Staff see everything (README, under the `npm run keys` commands).
 *
 * Nor are the merchant's reckonings: a step's data keeps only what tells the customer where their
 * goods and parcels are and what was decided for them (CUSTOMER_DATA), never unit costs, claims
 * against the courier, who on the staff is accountable or a complaint's classification; an automatic
 * decision keeps its rule, outcome and policy version and, of the values it weighed, only what the
 * customer is offered and why (CUSTOMER_DECISION_VALUES) — never a customer marked as difficult or
 * the shop's costs.
 *
 * And the customer reads it in their own language: the case's customer locale (zh-CN unless the
 * case says 'en', as for the messages they get) gives the reasons the rules gave (domain/decision-reasons.ts)
 * and the sentence explaining the solution deadline (domain/solution-deadline.ts). Staff read English.
 */
import { CLOSE_REASONS } from '../domain/case-types.js';
import { decisionReason } from '../domain/decision-reasons.js';
import { displayLocaleOf, type DisplayLocale, type Reader } from '../domain/money.js';

/**
 * Timeline kinds only the merchant's staff see: their notes, who on the staff has the case, their
 * escalations (what staff say to each other about the case, under the escalating key's name), the
 * reminders and escalations a silent agent or warehouse raises (every `…_REMINDER`), and the
 * shop's own findings: the root cause of a wrong shipment (asked for, and on file) and who is
 * accountable for a loss.
 */
const INTERNAL_KINDS = new Set(['NOTE', 'ASSIGNED', 'ESCALATED', 'ESCALATION_CLEARED', 'ROOT_CAUSE_REQUIRED', 'ROOT_CAUSE_RECORDED', 'ROOT_CAUSE_ON_FILE', 'RESPONSIBILITY_RECORDED', 'CAUSE_REVISED']);
/** Staff steps, reminders, and the shop's claim against the courier (CLAIM_FILED … CLAIM_PAID): the shop's business with its carrier, not the customer's. */
const isInternalKind = (kind: string) => INTERNAL_KINDS.has(kind) || kind.endsWith('_REMINDER') || kind.startsWith('CLAIM_');

/** Actors named `role:id` whose id is the merchant's (staff and integration keys). */
const STAFF_ROLES = new Set(['agent', 'supervisor', 'admin', 'warehouse', 'storefront']);

export const isCustomerFacing = (role: string) => role === 'CUSTOMER' || role === 'STOREFRONT';

/** The language a case speaks to its customer: its customer locale, zh-CN unless 'en' (as its messages). */
export const customerLocaleOf = (c: { customerLocale: string }): DisplayLocale => displayLocaleOf(c.customerLocale);

/** Who a reader with `role` reads the case as: its customer, in their locale, for them and the storefront; the staff otherwise. */
export const readerOf = (role: string, c: { customerLocale: string }): Reader => (isCustomerFacing(role) ? customerLocaleOf(c) : 'staff');

/**
 * What a case waits for as a reader with `role` reads it: a customer token gets the command only
 * where the wait is theirs to answer (party CUSTOMER); another party's (the warehouse's scan, an
 * agent's decision, the storefront's confirmation of a payment) is a path it cannot call: null, the
 * party and `what` saying what happens. The storefront and the staff read every command.
 */
export function waitingForRole<W extends { party: string; command: string }>(role: string, w: W | null): (Omit<W, 'command'> & { command: string | null }) | null {
  return w && role === 'CUSTOMER' && w.party !== 'CUSTOMER' ? { ...w, command: null } : w;
}

/** "agent:7cd0…" → "agent"; "customer:cust-9", "courier:SF" and "system" as they are. */
export function actorForCustomer(actor: string | null): string | null {
  if (actor === null) return null;
  const colon = actor.indexOf(':');
  const role = colon < 0 ? actor : actor.slice(0, colon);
  return STAFF_ROLES.has(role) ? role : actor;
}

/** Step data the customer reads: parcels, dates, their goods line by line, what was decided for them, what they said. */
const CUSTOMER_DATA = new Set([
  'carrier', 'trackingNumber', 'outboundTracking', 'originalTracking', 'sentBackAs', 'returnCode', 'returnAddress', 'scannedBeforeShipment', 'weightGrams',
  'shippedAt', 'deliveredAt', 'etaAt', 'newEtaAt', 'windowClosesAt', 'shipBy',
  // who pays for the parcel back (SHOP: send it freight collect; CUSTOMER: prepaid; domain/return-postage.ts)
  'postage',
  'lines', 'missing', 'remedy', 'accepted', 'amountMinor', 'refundedMinor', 'currency', 'score', 'comment', 'trace',
  // a complaint's plan: what was done for the customer (its cause analysis and improvement are the shop's)
  'plan',
  // a courier's tracking event: its code and time (its words are the carrier's: see below)
  'code', 'at',
  // other steps' own words for the customer; what an agent wrote to them with a decision (AGENT_RESOLVED)
  'description', 'customerMessage',
]);
/**
 * The opening's own facts, which the customer gave (a complaint's category, channel and the case it
 * is about; an exchange's kind and reason; a refund's reason and note; the photos they sent): read
 * back on the OPENED step only — elsewhere a `category` is a root cause, the shop's business.
 */
const CUSTOMER_OPENING_DATA = new Set(['category', 'channel', 'relatedCaseId', 'orderId', 'kind', 'reason', 'note', 'evidenceUrls']);
/** Steps that read those facts: the opening, and on the case a complaint is about, the complaint it opened (its case and category: the app links to it). */
const OPENING_KINDS = new Set(['OPENED', 'COMPLAINT_OPENED']);
/** Of a line of goods: which, how many, in what state; not what it cost the shop. */
const CUSTOMER_LINE = new Set(['sku', 'name', 'quantity', 'receivedQuantity', 'condition', 'reason']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function lineForCustomer(v: unknown): unknown {
  return isRecord(v) ? Object.fromEntries(Object.entries(v).filter(([k]) => CUSTOMER_LINE.has(k))) : v;
}

export function dataForCustomer(data: unknown, kind?: string): unknown {
  if (!isRecord(data)) return data;
  const kept: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(data)) {
    if (!CUSTOMER_DATA.has(k) && !(OPENING_KINDS.has(kind ?? '') && CUSTOMER_OPENING_DATA.has(k))) continue;
    // A carrier's own words on a scan name whoever signed and where ("签收人：仓库 李四 138…"): the
    // shop's staff on a return, anyone on a number the customer entered that was not theirs. The
    // code and the time say what happened.
    if (kind === 'COURIER_EVENT' && k === 'description') continue;
    kept[k] = Array.isArray(v) ? v.map(lineForCustomer) : isRecord(v) ? lineForCustomer(v) : v;
  }
  return kept;
}

/**
 * Of the values a decision weighed, those that tell the customer what they are offered and why: the
 * goods approved or sent (line by line, without costs), the discount, the price difference, the
 * refund and what it came to, the reason given. A partial approval or a discount asks the customer
 * to accept it: they must see what it is. How a refund of returned goods is made up too — the goods,
 * the shipping fee, what the order's earlier refunds cut off, the lines left out and why (damaged,
 * not ordered) — and a late delivery's days and compensation: a customer refunded less than they
 * paid must be able to see why without asking. Never flags about the customer, costs or accountability.
 */
const CUSTOMER_DECISION_VALUES = new Set([
  'lines', 'outgoing', 'reason', 'discountMinor', 'differenceMinor', 'refundMinor', 'grantedMinor', 'currency',
  // refundReceivedGoods (domain/return-refund.ts computeRefund); delayCompensation (domain/fulfilment/lost-delay.ts)
  'goodsMinor', 'shippingMinor', 'cappedMinor', 'excluded', 'daysLate', 'compensationMinor',
  // the remedies a decision offers the customer to choose from (quality, missing items, wrong item,
  // lost parcel), and that the shop pays the shipping both ways (a quality problem insisted on)
  'options', 'shopPaysShippingBothWays',
]);

/**
 * Decisions that are the shop's business whole: how urgent a complaint is (URGENT says the staff
 * marked the customer as threatening escalation). The customer reads the step without it.
 */
const INTERNAL_RULES = new Set(['complaintPriority']);

/**
 * Outcomes that say more than the customer's business, read as what they mean to the customer: a
 * lost parcel's cause is LOST whether the shop claims it from the courier (COURIER_CLAIM) or holds
 * its own warehouse to account (INTERNAL_ACCOUNTABILITY). The remedies offered stay in its values.
 */
const CUSTOMER_OUTCOMES: Record<string, Record<string, string>> = {
  lostParcelCause: { COURIER_CLAIM: 'LOST', INTERNAL_ACCOUNTABILITY: 'LOST' },
};

/** The reason given reads in the customer's locale when it is a rule's own (domain/decision-reasons.ts); staff's words as written. */
export function decisionForCustomer(decision: unknown, locale: DisplayLocale): unknown {
  if (!isRecord(decision)) return decision;
  const { rule, outcome, policyVersion, values } = decision;
  if (typeof rule === 'string' && INTERNAL_RULES.has(rule)) return null;
  const kept = isRecord(values) ? Object.entries(values).filter(([k]) => CUSTOMER_DECISION_VALUES.has(k)) : [];
  const shown = (k: string, v: unknown) => (k === 'reason' ? decisionReason(decision, locale) : Array.isArray(v) ? v.map(lineForCustomer) : v);
  const shownOutcome = typeof rule === 'string' && typeof outcome === 'string' ? (CUSTOMER_OUTCOMES[rule]?.[outcome] ?? outcome) : outcome;
  return { rule, outcome: shownOutcome, policyVersion, ...(kept.length ? { values: Object.fromEntries(kept.map(([k, v]) => [k, shown(k, v)])) } : {}) };
}

/**
 * An agent's CLOSE is two steps — their resolution (AGENT_RESOLVED, with what they wrote for the
 * customer) and the case closing (CLOSED_BY_AGENT) — which read to a customer as "resolved" and
 * "closed" for one act. The customer reads one: the closing, by the agent, with their words.
 */
function closingsAsOne<E extends { kind: string; actor: string | null; data?: unknown }>(events: E[]): E[] {
  const shown: E[] = [];
  for (const [i, e] of events.entries()) {
    const closing = e.kind === 'AGENT_RESOLVED' && isRecord(e.data) && e.data.action === 'CLOSE' ? events.slice(i + 1).find((later) => !isInternalKind(later.kind)) : undefined;
    if (isRecord(e.data) && closing?.kind === 'CLOSED_BY_AGENT') {
      const words = e.data.customerMessage;
      if (closing.actor === null || closing.actor === 'system') closing.actor = e.actor;
      if (typeof words === 'string' && words) Object.assign(closing, { data: { ...(isRecord(closing.data) ? closing.data : {}), customerMessage: words } });
      continue;
    }
    shown.push(e);
  }
  return shown;
}

export function timelineForCustomer<E extends { kind: string; actor: string | null; data?: unknown; decision?: unknown }>(events: E[], locale: DisplayLocale): E[] {
  return closingsAsOne(events.map((e) => ({ ...e })))
    .filter((e) => !isInternalKind(e.kind))
    .map((e) => ({ ...e, actor: actorForCustomer(e.actor), ...('data' in e ? { data: dataForCustomer(e.data, e.kind) } : {}), ...('decision' in e ? { decision: decisionForCustomer(e.decision, locale) } : {}) }));
}

/**
 * Why a case closed, as anyone may read it: the workflows' codes (CLOSE_REASONS: NOT_SHIPPED,
 * WITHDRAWN …) as they are; anything else is an agent's note, which is the staff's (the customer's
 * words are `customerMessage`, sent as a message) — even one that looks like a code ("FRAUD") —, so
 * it reads CLOSED_BY_AGENT.
 */
export const closeReasonForAnyone = (reason: string | null): string | null => (reason === null || (CLOSE_REASONS as readonly string[]).includes(reason) ? reason : 'CLOSED_BY_AGENT');

/**
 * The case fields the staff keep to themselves: who has it, whether it was escalated, whether a
 * side effect of it keeps failing (with the error), and an agent's note on closing it. The customer
 * reads them as not set (the close as CLOSED_BY_AGENT). Nor is an agent's own deadline theirs
 * (`agentDueAt`: when a reminder escalates a case an agent holds, past once it fires): the case's
 * next deadline reads null while it is that one (waitingFor's too: domain/waiting.ts).
 */
export function caseFieldsForCustomer<C extends { assigneeId: unknown; escalated: boolean; stuck: boolean; stuckReason: unknown; closeReason: string | null; deadlines?: Record<string, number>; nextDeadlineAt?: string | null }>(c: C): C {
  const hidden = { ...c, assigneeId: null, escalated: false, stuck: false, stuckReason: null, closeReason: closeReasonForAnyone(c.closeReason) };
  if (c.deadlines?.agentDueAt === undefined) return hidden;
  const { agentDueAt, ...deadlines } = c.deadlines;
  const agents = typeof c.nextDeadlineAt === 'string' && Date.parse(c.nextDeadlineAt) === agentDueAt;
  return { ...hidden, deadlines, ...(agents ? { nextDeadlineAt: null } : {}) };
}

/**
 * The list filters that ask about those fields: a storefront filtering by them would learn from
 * which of its cases come back what the fields themselves hide (which were escalated, who has one).
 */
export const STAFF_ONLY_FILTERS = ['mine', 'assigneeId', 'escalated', 'stuck'] as const;

export function evidenceForCustomer<E extends { addedBy: string }>(evidence: E[]): E[] {
  return evidence.map((e) => ({ ...e, addedBy: actorForCustomer(e.addedBy)! }));
}
