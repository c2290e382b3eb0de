import { decodeMessage, encodedFieldOf, lookupType, varint, type Obj } from '../proto.js';
import type { Run } from './types.js';

/**
 * Each history event is encoded to protobuf once. Encoding by reflection is the server's costliest
 * step when every poll response, query task and history page re-encodes a run's whole history; here
 * a run keeps the bytes of its history as one `History` message (each event framed as an element of
 * `History.events`), so any range of events is a slice of those bytes.
 *
 * Events never change once appended, so the bytes only grow. The cache is keyed by the run object
 * and lives and dies with it; nothing of it is persisted.
 */
interface Encoded {
  bytes: Buffer;
  /** Byte offset of each encoded event in `bytes`; `bytes.length` is the end of the last one. */
  offsets: number[];
  /** The last encoded event, to notice a history that was replaced (a run restored from disk). */
  last: Obj | undefined;
}

const HISTORY_EVENT = lookupType('temporal.api.history.v1.HistoryEvent');
/** Tag of `History.events` (field 1, length-delimited). */
const EVENTS_TAG = varint(1 * 8 + 2);

const cache = new WeakMap<Run, Encoded>();

function encodedUpTo(run: Run, count: number): Encoded {
  let enc = cache.get(run);
  const n = enc?.offsets.length ?? 0;
  if (!enc || n > run.history.length || (n > 0 && run.history[n - 1] !== enc.last)) {
    enc = { bytes: Buffer.alloc(0), offsets: [], last: undefined };
    cache.set(run, enc);
  }
  if (enc.offsets.length >= count) return enc;
  const parts: Uint8Array[] = [enc.bytes];
  let offset = enc.bytes.length;
  for (let i = enc.offsets.length; i < count; i++) {
    const body = HISTORY_EVENT.encode(HISTORY_EVENT.fromObject(run.history[i]!)).finish();
    const len = varint(body.byteLength);
    parts.push(EVENTS_TAG, len, body);
    enc.offsets.push(offset);
    offset += EVENTS_TAG.length + len.length + body.byteLength;
  }
  // A new buffer each time: slices handed to responses still in flight stay valid.
  enc.bytes = Buffer.concat(parts, offset);
  enc.last = run.history[count - 1];
  return enc;
}

/** The events of a poll response's encoded history, decoded back (for tests that drive the engine directly). */
export function historyEventsOf(response: Obj): Obj[] {
  const bytes = encodedFieldOf(response, 'history');
  return bytes ? (decodeMessage(lookupType('temporal.api.history.v1.History'), Buffer.from(bytes)).events ?? []) : [];
}

/** The encoded `History` message of events `from` (0-based, inclusive) to `to` (exclusive). */
export function encodedHistory(run: Run, from = 0, to = run.history.length): Buffer {
  to = Math.min(to, run.history.length);
  if (from >= to) return Buffer.alloc(0);
  const enc = encodedUpTo(run, to);
  const end = to < enc.offsets.length ? enc.offsets[to]! : enc.bytes.length;
  return enc.bytes.subarray(enc.offsets[from]!, end);
}
