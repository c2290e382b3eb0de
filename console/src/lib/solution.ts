/**
 * Whether a case's same-day solution has been given, and so whether its deadline still runs, and
 * if given whether on time. The API names when it was given (`solutionGivenAt`: the first step of
 * the case's workflow once its solution was given); for cases from before that was recorded, the
 * case's own data decides as it did: resolved or closed (status, resolvedAt, closedAt — a case in
 * its revisit was resolved before), or on a case's page a SOLUTION_PROPOSED step in the timeline,
 * and then `late` says whether the deadline was met. That step counts only for a case opened before
 * the record began: since then a proposal an agent must still decide (records that say nothing was
 * missing) is not the solution, and `solutionGivenAt` null means it is still owed.
 */
interface CaseFacts {
  status: string;
  late: boolean;
  resolvedAt: string | null;
  closedAt: string | null;
  solutionDueAt?: string | null;
  solutionGivenAt?: string | null;
  createdAt?: string;
  timeline?: Array<{ kind: string }>;
}

export type SolutionState = 'RUNNING' | 'MET' | 'MISSED';

/** When the workflows began to record `solutionGivenAt` (the migration `solution_given`). */
const SOLUTION_RECORDED_FROM = Date.parse('2026-12-02T01:12:49Z');

export function solutionState(c: CaseFacts): SolutionState {
  // `late` also marks other missed deadlines (a warehouse task, say): the two times are what count.
  if (c.solutionGivenAt) return c.solutionDueAt && Date.parse(c.solutionGivenAt) > Date.parse(c.solutionDueAt) ? 'MISSED' : 'MET';
  const given =
    c.status === 'RESOLVED' ||
    c.status === 'CLOSED' ||
    c.resolvedAt !== null ||
    c.closedAt !== null ||
    (!!c.timeline?.some((e) => e.kind === 'SOLUTION_PROPOSED') && !(c.createdAt && Date.parse(c.createdAt) >= SOLUTION_RECORDED_FROM));
  if (!given) return 'RUNNING';
  return c.late ? 'MISSED' : 'MET';
}

/**
 * Which deadline a queue row leads with: what the case waits for (`WAIT`) when that comes before the
 * same-day solution's, or when the solution has been given — the column is the next deadline, the
 * queue is sorted by it, and a case whose solution was given still waits for someone by a time (an
 * agent on a reopened case, the warehouse's inspection, the customer's parcel or answer); its
 * solution's outcome ("On time") goes under it. Else the solution's (`SOLUTION`).
 */
export function queueLeads(c: CaseFacts & { waitingFor?: { party: string; deadlineAt: string | null } | null }): 'WAIT' | 'SOLUTION' {
  const at = c.waitingFor?.deadlineAt;
  if (!at) return 'SOLUTION';
  if (solutionState(c) !== 'RUNNING') return 'WAIT';
  // On a tie (an urgent complaint's hours cut at the shop's closing, which is also the day's
  // solution deadline) the wait leads, as on the case page: it says who must act.
  return !c.solutionDueAt || Date.parse(at) <= Date.parse(c.solutionDueAt) ? 'WAIT' : 'SOLUTION';
}

/**
 * When the shop promised the customer its answer: the same-day solution's deadline, or, for a
 * complaint whose priority promises an answer sooner (an urgent one within hours), that sooner time
 * (`deadlines.answerBy`, which the complaint's message named). Elsewhere `answerBy` is the customer's
 * time to answer an offer, not a promise of the shop's.
 */
export function promisedBy(c: { type: string; solutionDueAt?: string | null; deadlines?: Record<string, number> }): string | null {
  const answerBy = c.type === 'COMPLAINT' ? c.deadlines?.answerBy : undefined;
  if (typeof answerBy !== 'number') return c.solutionDueAt ?? null;
  return !c.solutionDueAt || answerBy < Date.parse(c.solutionDueAt) ? new Date(answerBy).toISOString() : c.solutionDueAt;
}
