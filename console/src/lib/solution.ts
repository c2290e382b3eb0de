/**
 * Whether a case's same-day solution (003 §8) has been given, and so whether its deadline still
 * runs. The API names no "solution given" time, so the case's own data decides: resolved or closed
 * (status, resolvedAt, closedAt — a case in its revisit was resolved before), or on a case's page a
 * SOLUTION_PROPOSED step in the timeline. Once given, `late` says whether the deadline was met:
 * the workflow marks a case late only when the deadline passed without a solution.
 */
interface CaseFacts {
  status: string;
  late: boolean;
  resolvedAt: string | null;
  closedAt: string | null;
  timeline?: Array<{ kind: string }>;
}

export type SolutionState = 'RUNNING' | 'MET' | 'MISSED';

export function solutionState(c: CaseFacts): SolutionState {
  const given =
    c.status === 'RESOLVED' ||
    c.status === 'CLOSED' ||
    c.resolvedAt !== null ||
    c.closedAt !== null ||
    !!c.timeline?.some((e) => e.kind === 'SOLUTION_PROPOSED');
  if (!given) return 'RUNNING';
  return c.late ? 'MISSED' : 'MET';
}
