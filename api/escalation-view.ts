/**
 * Why a case is escalated, for its staff: the step the read model kept as having escalated it
 * (`Case.escalatedBy`, a stepKey: db/case-steps.ts), found on the case's timeline. A person's
 * escalation gives its reason, a reopening by the customer's score their comment; a step that keeps
 * failing (STUCK) its error.
 */
export interface TimelineStep {
  stepKey: string;
  at: Date;
  kind: string;
  actor: string | null;
  data: unknown;
  decision?: unknown;
}

export interface EscalationView {
  kind: string;
  at: string;
  actor: string | null;
  reason: string | null;
  /** The rule its step applied and what it decided (a complaint's classification: URGENT), when it decided something. */
  rule: string | null;
  outcome: string | null;
}

export function escalationView(escalated: boolean, escalatedBy: string | null, timeline: readonly TimelineStep[]): EscalationView | null {
  if (!escalated || !escalatedBy) return null;
  const step = timeline.find((e) => e.stepKey === escalatedBy);
  if (!step) return null;
  const data = (step.data ?? {}) as Record<string, unknown>;
  // A person's reason (an escalation), the customer's words (a low revisit score), a failing step's error.
  const reason = step.kind === 'STUCK' ? data.error : (data.reason ?? data.comment);
  const decision = (step.decision ?? {}) as { rule?: unknown; outcome?: unknown };
  const text = (v: unknown) => (typeof v === 'string' && v ? v : null);
  return { kind: step.kind, at: step.at.toISOString(), actor: step.actor, reason: text(reason), rule: text(decision.rule), outcome: text(decision.outcome) };
}
