import { decodeMessage, encodedFieldOf, lookupType, type Obj } from '../proto.js';
import type { Run } from './types.js';

/**
 * The encoded `History` message of events `from` (0-based, inclusive) to `to` (exclusive): a view
 * of the bytes the run keeps its events in (`EventHistory`), so a workflow task, a query task or
 * a history page costs no encoding.
 */
export function encodedHistory(run: Run, from = 0, to = run.history.length): Buffer {
  return run.history.framed(from, to);
}

/** The events of a poll response's encoded history, decoded back (for tests that drive the engine directly). */
export function historyEventsOf(response: Obj): Obj[] {
  const bytes = encodedFieldOf(response, 'history');
  return bytes ? (decodeMessage(lookupType('temporal.api.history.v1.History'), Buffer.from(bytes)).events ?? []) : [];
}
