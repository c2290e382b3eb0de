/** The work queue's filters, search and sort in its address (console/src/lib/queue-url.ts): written and read back. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE, queueFromSearch, queueSearch } from '../../console/src/lib/queue-url.js';

const codes = { types: ['RETURN_AND_REFUND', 'LOST_PARCEL'], stages: ['AWAITING_DECISION', 'CLOSED'] };
const read = (qs: string) => queueFromSearch(new URLSearchParams(qs), codes);

describe('the queue in its address', () => {
  it('writes only what differs from the default, and reads it back as it was', () => {
    expect(queueSearch(DEFAULT_QUEUE)).toBe('');
    const state = { ...DEFAULT_QUEUE, type: 'LOST_PARCEL', stage: 'CLOSED', late: true, refundPendingLong: true, finished: true, assigneeId: 'agent-7', q: 'SO 1', sort: 'newest' as const };
    const qs = queueSearch(state);
    expect(qs).toBe('q=SO+1&type=LOST_PARCEL&stage=CLOSED&assignee=agent-7&late=1&refundPendingLong=1&finished=1&sort=newest');
    expect(read(qs)).toEqual(state);
    expect(read('')).toEqual(DEFAULT_QUEUE);
  });

  it('keeps what a mangled or hand-edited link asks for out of the query: unknown codes, sorts and flags fall back to the default', () => {
    expect(read('type=NOPE&stage=awaiting_decision&sort=random&late=yes&escalated=true')).toEqual({ ...DEFAULT_QUEUE, escalated: true });
    expect(read(`q=${'x'.repeat(300)}`).q).toHaveLength(128);
  });

  it('"mine" replaces an assignee, as the form does', () => {
    expect(queueSearch({ ...DEFAULT_QUEUE, mine: true, assigneeId: 'agent-7' })).toBe('mine=1');
    expect(read('mine=1&assignee=agent-7')).toEqual({ ...DEFAULT_QUEUE, mine: true });
  });
});
