import type { Run } from './engine/types.js';

/**
 * The lines of the `--db-filename` log (store.ts): an append-only JSON-lines log, compacted into a snapshot.
 *
 * Lines (one JSON object each):
 *   {"k":"meta","meta":{…}}                               clock offset, namespaces and schedules; the last one wins
 *   {"k":"run","h":{"id","ns","from","c"?,"f"?},"b":{"s":{…},"e":[…]}}
 *        a run's change: `s` holds the fields of the run (without its history) that changed since its
 *        last record (`f`: all of them, replacing what was known), `e` the history events from index
 *        `from` on, `c` its close time once closed. The small header `h` comes first so that a restart
 *        can decide from it alone whether a run is still live, without parsing the rest of the line.
 *   {"k":"del","id":…}                                    the run was removed (retention)
 *   {"k":"sact","id":…,"a":{…}}                           a standalone activity execution's whole state
 *        (engine/standalone-activities.ts), the last one wins; without `a` it was removed
 *
 * Durability: `commit` writes every record of an operation with one `write` before its RPC is
 * answered (Engine.flush, called by the gRPC layer); it reaches the kernel's page cache, so a SIGKILL
 * of the server loses nothing acknowledged. A torn last line (the process died mid-write of an
 * unacknowledged change) is skipped.
 *
 * Size: the log is rewritten as a snapshot of the live runs (new file, fsync, rename) when it is
 * twice the last snapshot and over `compactMinBytes` (a full record per run), and at start when it
 * holds much that is no longer live (the live lines copied as they are, so a run may keep several).
 * Restart reads the file in chunks and reads only the headers; only live runs' lines are parsed in
 * full, so runs closed long ago cost a header each, whatever the file's size.
 *
 * Why not SQLite: Node 20 has no `node:sqlite`, and native addons need install scripts and a
 * compiler at `npm ci` time; a log needs neither and is simple to reason about for a dev server.
 */
export interface StoredMeta {
  clockOffset: number;
  namespaces: Array<{ name: string; id: string; description: string; retentionDays: number; searchAttributes: unknown }>;
  /** Every schedule with its state (engine/schedules.ts); absent in logs written before schedules. */
  schedules?: unknown[];
  /** Nexus endpoints (service/nexus-endpoints.ts); absent in logs written before Nexus. */
  nexusEndpoints?: unknown[];
}

export interface Header {
  id: string;
  ns: string;
  from: number;
  /** Close time, once the run is closed. */
  c?: number;
  /** The record holds the whole state (not only what changed). */
  f?: 1;
}

/** Whether a closed run is past its namespace's retention (decided with the last meta record). */
export type ExpiredFn = (namespace: string, closeTime: number, meta: StoredMeta | undefined) => boolean;

export const RUN_PREFIX = '{"k":"run","h":';
export const RUN_PREFIX_BYTES = Buffer.from(RUN_PREFIX);
export const BODY_MARK = Buffer.from(',"b":');
export const NEWLINE = 10;

/**
 * A header as `JSON.stringify` writes it (these keys in this order, `c` before or after `f`, no
 * escapes): matched instead of parsed, since a restart reads one per line of the log (twice as
 * fast on a year's million lines). Anything else is parsed as JSON.
 */
const HEADER = /^\{"id":"([^"\\]*)","ns":"([^"\\]*)","from":(\d+)(?:,"c":(\d+))?(,"f":1)?(?:,"c":(\d+))?\}$/;

export function parseHeader(text: string): Header {
  const m = HEADER.exec(text);
  if (!m) return JSON.parse(text) as Header;
  const h: Header = { id: m[1]!, ns: m[2]!, from: Number(m[3]) };
  const close = m[4] ?? m[6];
  if (close !== undefined) h.c = Number(close);
  if (m[5]) h.f = 1;
  return h;
}

/** One full record of a run: the whole state and history (what a snapshot holds). */
export function encodeRunRecord(run: Run): string {
  const { history, ...state } = run;
  const h: Header = { id: run.runId, ns: run.namespace, from: 0, f: 1 };
  if (run.closeTime !== undefined && run.status !== 'Running') h.c = run.closeTime;
  return `${RUN_PREFIX}${JSON.stringify(h)},"b":{"s":${JSON.stringify(state)},"e":${history.recordJson()}}}\n`;
}

/** The namespace names met in headers, so that a million lines do not make a million equal strings. */
export class NamespaceNames {
  private last: { bytes: Buffer; name: string } | undefined;
  of(buf: Buffer, start: number, end: number): string {
    const last = this.last;
    if (last && last.bytes.length === end - start && startsAt(buf, start, end, last.bytes)) return last.name;
    const name = buf.toString('utf8', start, end);
    this.last = { bytes: Buffer.from(buf.subarray(start, end)), name };
    return name;
  }
}

const QUOTE = 34;
const BACKSLASH = 92;
const HEADER_ID = Buffer.from('{"id":"');
const HEADER_NS = Buffer.from('","ns":"');
const HEADER_FROM = Buffer.from('","from":');
const HEADER_CLOSE = Buffer.from(',"c":');
const HEADER_FULL = Buffer.from(',"f":1');
const HEADER_END = Buffer.from('},"b":');

/** Whether `part` is at `at` (a loop: `Buffer.compare` with offsets costs more in its checks than these few bytes). */
export function startsAt(buf: Buffer, at: number, end: number, part: Buffer): boolean {
  if (at + part.length > end) return false;
  for (let i = 0; i < part.length; i++) if (buf[at + i] !== part[i]) return false;
  return true;
}

/**
 * A run header read from the bytes at `at`, in the form `JSON.stringify` writes it (see HEADER):
 * a restart reads one per line of the log, and building a string of each to match it cost a
 * third of the first pass and much of the garbage collector's time. Undefined for anything
 * else (an escape, a fractional time), which the caller parses as JSON.
 */
export function headerAt(buf: Buffer, at: number, end: number, names?: NamespaceNames): Header | undefined {
  if (!startsAt(buf, at, end, HEADER_ID)) return undefined;
  const idStart = at + HEADER_ID.length;
  const idEnd = stringEnd(buf, idStart, end);
  if (idEnd < 0 || !startsAt(buf, idEnd, end, HEADER_NS)) return undefined;
  const nsStart = idEnd + HEADER_NS.length;
  const nsEnd = stringEnd(buf, nsStart, end);
  if (nsEnd < 0 || !startsAt(buf, nsEnd, end, HEADER_FROM)) return undefined;
  let p = nsEnd + HEADER_FROM.length;
  const from = digitsAt(buf, p, end);
  if (from.end < 0) return undefined;
  p = from.end;
  let close: number | undefined;
  let full = false;
  for (;;) {
    if (close === undefined && startsAt(buf, p, end, HEADER_CLOSE)) {
      const c = digitsAt(buf, p + HEADER_CLOSE.length, end);
      if (c.end < 0) return undefined;
      close = c.value;
      p = c.end;
    } else if (!full && startsAt(buf, p, end, HEADER_FULL)) {
      full = true;
      p += HEADER_FULL.length;
    } else break;
  }
  if (!startsAt(buf, p, end, HEADER_END)) return undefined;
  const h: Header = { id: buf.toString('utf8', idStart, idEnd), ns: names ? names.of(buf, nsStart, nsEnd) : buf.toString('utf8', nsStart, nsEnd), from: from.value };
  if (close !== undefined) h.c = close;
  if (full) h.f = 1;
  return h;
}

/** Where the JSON string starting at `start` (after its quote) ends: its closing quote, or −1 if it has an escape or no end. */
function stringEnd(buf: Buffer, start: number, end: number): number {
  const q = buf.indexOf(QUOTE, start);
  if (q < 0 || q >= end) return -1;
  // (not `indexOf`: it would search on to the end of the read, megabytes away, when there is none)
  for (let p = start; p < q; p++) if (buf[p] === BACKSLASH) return -1;
  return q;
}

/** A non-negative integer of at most 15 digits at `at` (exact as a double), or end −1. */
function digitsAt(buf: Buffer, at: number, end: number): { value: number; end: number } {
  let value = 0;
  let p = at;
  for (; p < end && p - at < 16; p++) {
    const d = buf[p]! - 48;
    if (d < 0 || d > 9) break;
    value = value * 10 + d;
  }
  return p === at || p - at > 15 ? { value: 0, end: -1 } : { value, end: p };
}
