import { decodeMessage, encodedFieldOf, lookupType, varint, type Obj } from '../proto.js';
import type { Run } from './types.js';

/**
 * Each history event is encoded to protobuf once per use, never by reflection over the whole
 * history again. Encoding by reflection is the server's costliest step when every poll response,
 * query task and history page re-encodes a run's whole history; here the runs used most recently
 * keep the bytes of their history as one `History` message (each event framed as an element of
 * `History.events`), so any range of events is a slice of those bytes.
 *
 * The bytes are kept for a bounded number of runs only (`CACHE_BYTES`, least recently used dropped
 * first), not for every run for as long as it lives: a run waiting weeks for its customer would
 * otherwise hold a second copy of its history (about 5 KiB for a return at its first wait, a
 * quarter of what the server holds for it) that nothing reads until it wakes. A run's later
 * workflow tasks go to its worker's sticky queue with only the events after the last completed
 * task (`from` > 0): those few events are encoded on their own, from the cache when it has them,
 * so a run dropped from the cache costs nothing more as long as its worker keeps it. Requests
 * for the whole history (first task, a worker that lost the run, query tasks, history pages from
 * the start) encode it into the cache again.
 *
 * Events never change once appended, so the bytes only grow. Nothing of it is persisted.
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

/** Bytes of encoded histories kept across runs: the working set of a busy server, not every open run. */
const CACHE_BYTES = 16 * 2 ** 20;
/** Encoded histories, least recently used first (a Map iterates in insertion order). */
const cache = new Map<Run, Encoded>();
let cachedBytes = 0;

/** Frames events `from`…`to` − 1 as elements of `History.events`, appending to `parts`; returns their offsets relative to `start`. */
function encodeEvents(run: Run, from: number, to: number, parts: Uint8Array[], start: number): number[] {
  const offsets: number[] = [];
  let offset = start;
  for (let i = from; i < to; i++) {
    const body = HISTORY_EVENT.encode(HISTORY_EVENT.fromObject(run.history[i]!)).finish();
    const len = varint(body.byteLength);
    parts.push(EVENTS_TAG, len, body);
    offsets.push(offset);
    offset += EVENTS_TAG.length + len.length + body.byteLength;
  }
  offsets.push(offset);
  return offsets;
}

function cached(run: Run): Encoded | undefined {
  const enc = cache.get(run);
  if (!enc) return undefined;
  const n = enc.offsets.length;
  if (n > run.history.length || (n > 0 && run.history[n - 1] !== enc.last)) {
    forgetEncodedHistory(run);
    return undefined;
  }
  return enc;
}

function encodedUpTo(run: Run, count: number): Encoded {
  let enc = cached(run);
  if (enc) cache.delete(run); // re-inserted below as the most recently used
  else enc = { bytes: Buffer.alloc(0), offsets: [], last: undefined };
  if (enc.offsets.length < count) {
    const parts: Uint8Array[] = [enc.bytes];
    const offsets = encodeEvents(run, enc.offsets.length, count, parts, enc.bytes.length);
    const end = offsets.pop()!;
    for (const o of offsets) enc.offsets.push(o);
    cachedBytes -= enc.bytes.length;
    // A new buffer each time: slices handed to responses still in flight stay valid. Not from
    // Node's shared 8 KiB pool (where Buffer.concat puts anything under 4 KiB): a kept slice of
    // the pool would keep the whole slab alive.
    const bytes = Buffer.allocUnsafeSlow(end);
    let at = 0;
    for (const part of parts) {
      bytes.set(part, at);
      at += part.byteLength;
    }
    enc.bytes = bytes;
    cachedBytes += enc.bytes.length;
    enc.last = run.history[count - 1];
  }
  cache.set(run, enc);
  for (const [oldest, e] of cache) {
    if (cachedBytes <= CACHE_BYTES || oldest === run) break;
    cache.delete(oldest);
    cachedBytes -= e.bytes.length;
  }
  return enc;
}

/** Drops a run's encoded history (a run removed after its retention). */
export function forgetEncodedHistory(run: Run): void {
  const enc = cache.get(run);
  if (!enc) return;
  cache.delete(run);
  cachedBytes -= enc.bytes.length;
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
  if (from > 0) {
    // A sticky task or a later history page: served from the cache when it holds the range,
    // otherwise these events alone are encoded (and not kept).
    const enc = cached(run);
    if (enc && enc.offsets.length >= to) {
      const end = to < enc.offsets.length ? enc.offsets[to]! : enc.bytes.length;
      return enc.bytes.subarray(enc.offsets[from]!, end);
    }
    const parts: Uint8Array[] = [];
    const offsets = encodeEvents(run, from, to, parts, 0);
    return Buffer.concat(parts, offsets[offsets.length - 1]);
  }
  const enc = encodedUpTo(run, to);
  const end = to < enc.offsets.length ? enc.offsets[to]! : enc.bytes.length;
  return enc.bytes.subarray(enc.offsets[from]!, end);
}
