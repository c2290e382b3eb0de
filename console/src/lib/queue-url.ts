/**
 * The work queue's filters, search and sort as the page's query string (`?type=RETURN_AND_REFUND&late=1&sort=newest`),
 * so a reload or a shared link shows the same list, and back/forward step through the filters
 * chosen. Only what differs from the default is written; what is read is checked (an unknown code
 * or a mangled value falls back to the default, never reaches the API). Pure.
 */

export const QUEUE_SORTS = ['urgency', 'newest'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export interface QueueState {
  type: string;
  stage: string;
  assigneeId: string;
  late: boolean;
  escalated: boolean;
  stuck: boolean;
  /** Cases with a refund the bank sent back, not yet paid again (open or closed). */
  refundReturned: boolean;
  /** Cases with a refund still pending at the bank a week after it was paid (open or closed). */
  refundPendingLong: boolean;
  mine: boolean;
  finished: boolean;
  /** The search, as submitted. */
  q: string;
  sort: QueueSort;
}

export const DEFAULT_QUEUE: QueueState = { type: '', stage: '', assigneeId: '', late: false, escalated: false, stuck: false, refundReturned: false, refundPendingLong: false, mine: false, finished: false, q: '', sort: 'urgency' };

const FLAGS = ['late', 'escalated', 'stuck', 'refundReturned', 'refundPendingLong', 'mine', 'finished'] as const;

/** The state a query string asks for; `types` and `stages`: the codes a filter may take. */
export function queueFromSearch(search: URLSearchParams, codes: { types: readonly string[]; stages: readonly string[] }): QueueState {
  const one = (name: string) => search.get(name)?.trim() ?? '';
  const type = one('type');
  const stage = one('stage');
  const sort = one('sort');
  const state: QueueState = {
    ...DEFAULT_QUEUE,
    type: codes.types.includes(type) ? type : '',
    stage: codes.stages.includes(stage) ? stage : '',
    assigneeId: one('assignee').slice(0, 64),
    q: one('q').slice(0, 128),
    sort: (QUEUE_SORTS as readonly string[]).includes(sort) ? (sort as QueueSort) : 'urgency',
  };
  for (const flag of FLAGS) state[flag] = ['1', 'true'].includes(one(flag));
  // "Mine" replaces the assignee (the form disables the field).
  if (state.mine) state.assigneeId = '';
  return state;
}

/** The query string of a state (without `?`), only what differs from the default, in a fixed order. */
export function queueSearch(state: QueueState): string {
  const out = new URLSearchParams();
  if (state.q.trim()) out.set('q', state.q.trim());
  if (state.type) out.set('type', state.type);
  if (state.stage) out.set('stage', state.stage);
  if (!state.mine && state.assigneeId.trim()) out.set('assignee', state.assigneeId.trim());
  for (const flag of FLAGS) if (state[flag]) out.set(flag, '1');
  if (state.sort !== 'urgency') out.set('sort', state.sort);
  return out.toString();
}
