/**
 * Why an escalated case is escalated, every reason since the escalation was last cleared, oldest
 * first. The case view's `escalation` names one step only (the latest reason a person gave, else
 * the first step that escalated it); a case escalated twice has an ESCALATED step for each, and a
 * supervisor reads them all, each with when and by whom. A step the platform raised with data of its
 * own (`about`) is said by `said` (describe.ts, aboutText: in the reader's words). Pure (no Svelte),
 * so it is tested as is.
 */
import type { CaseDetail } from './api/types.js';

/** A timeline step as far as this needs it. */
export interface Step {
  kind: string;
  at: string;
  actor: string | null;
  data?: unknown;
}

/** The case view's `escalation` (the API's own type). */
export type EscalationView = NonNullable<CaseDetail['escalation']>;

/** One reason the case is escalated: a person's (ESCALATED, its reason or null when none was written), or the step the view names — said as the view says one. */
export type EscalationReason = EscalationView;

/** A reason as written: steps recorded before the workflow kept it so carry their actor in front ("agent:<key id>: …"). */
export function withoutActor(reason: unknown, actor: string | null | undefined): unknown {
  return typeof reason === 'string' && actor && reason.startsWith(`${actor}: `) ? reason.slice(actor.length + 2) : reason;
}

const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : null);

/**
 * The escalations in force, oldest first: every ESCALATED step after the last ESCALATION_CLEARED,
 * and the case view's step when it is another one (a hand-over to an agent, a deadline passed, the
 * customer's revisit comment). Empty when the view names none and no person escalated.
 */
export function escalationReasons(timeline: readonly Step[], view: EscalationView | null | undefined, said: (about: unknown) => string | null = () => null): EscalationReason[] {
  const cleared = timeline.map((e) => e.kind).lastIndexOf('ESCALATION_CLEARED');
  const people: EscalationReason[] = timeline
    .slice(cleared + 1)
    .filter((e) => e.kind === 'ESCALATED')
    .map((e) => {
      const data = e.data as { reason?: unknown; about?: unknown } | null | undefined;
      return { kind: e.kind, at: e.at, actor: e.actor, reason: said(data?.about) ?? text(withoutActor(data?.reason, e.actor)), rule: null, outcome: null };
    });
  const named = view && !people.some((p) => p.kind === view.kind && p.at === view.at && p.actor === view.actor) ? [{ ...view, reason: view.kind === 'ESCALATED' ? text(withoutActor(view.reason, view.actor)) : view.reason }] : [];
  // Oldest first; steps of the same instant keep the timeline's order.
  return [...named, ...people].map((r, i) => ({ r, i })).sort((a, b) => Date.parse(a.r.at) - Date.parse(b.r.at) || a.i - b.i).map(({ r }) => r);
}
