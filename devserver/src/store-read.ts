import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Run } from './engine/types.js';
import { EventHistory } from './engine/event-history.js';
import type { Obj } from './proto.js';
import { BODY_MARK, headerAt, NamespaceNames, NEWLINE, parseHeader, RUN_PREFIX_BYTES, startsAt, type ExpiredFn, type Header, type StoredMeta } from './store-format.js';
import { replaceLog } from './store-files.js';

/** Reading the log back at start (store.ts): two passes, the second only over the lines of live runs. */

/**
 * The first pass's findings per run: its namespace, close time and the byte ranges of its lines
 * since its last full record. Kept in flat arrays rather than an object and an array per run: a
 * year's log names half a million runs, and that many small objects cost the garbage collector
 * more than the scan itself.
 */
class LineIndex {
  /** Run id → its slot. */
  readonly slots = new Map<string, number>();
  private ns: string[] = [];
  /** Close time per slot; NaN while open. */
  private close = new Float64Array(1024);
  /** First and last range per slot (−1: none). */
  private head = new Int32Array(1024);
  private tail = new Int32Array(1024);
  private offset = new Float64Array(4096);
  private length = new Float64Array(4096);
  /** The run's next range (−1: none). */
  private next = new Int32Array(4096);
  private ranges = 0;

  /** Notes a line of run `id` at `offset` (`length` bytes without its newline). */
  add(id: string, ns: string, close: number | undefined, restart: boolean, offset: number, length: number): void {
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ns.length;
      this.slots.set(id, slot);
      this.ns.push(ns);
      if (slot === this.close.length) {
        this.close = grown(this.close);
        this.head = grown(this.head);
        this.tail = grown(this.tail);
      }
      this.head[slot] = -1;
    }
    this.close[slot] = close ?? NaN;
    const r = this.ranges++;
    if (r === this.offset.length) {
      this.offset = grown(this.offset);
      this.length = grown(this.length);
      this.next = grown(this.next);
    }
    this.offset[r] = offset;
    this.length[r] = length;
    this.next[r] = -1;
    // a full state with the history from its start supersedes every earlier line of the run
    if (restart || this.head[slot] === -1) this.head[slot] = r;
    else this.next[this.tail[slot]!] = r;
    this.tail[slot] = r;
  }

  delete(id: string): void {
    this.slots.delete(id);
  }

  namespaceOf(slot: number): string {
    return this.ns[slot]!;
  }

  closeOf(slot: number): number | undefined {
    const c = this.close[slot]!;
    return Number.isNaN(c) ? undefined : c;
  }

  /** The run's ranges (offset, length with the newline) appended to `out`. */
  rangesOf(slot: number, out: Array<[number, number]>): void {
    for (let r = this.head[slot]!; r !== -1; r = this.next[r]!) out.push([this.offset[r]!, this.length[r]! + 1]);
  }
}

function grown<T extends Float64Array | Int32Array>(a: T): T {
  const b = new (a.constructor as new (n: number) => T)(a.length * 2);
  b.set(a);
  return b;
}

export interface ReadResult {
  meta?: StoredMeta;
  /** Standalone activity id → its last record line (with the newline). */
  activities: Map<string, string>;
  runs: Run[];
  expired: number;
  /** The log's size as it is now (after a compaction: the snapshot's). */
  fileBytes: number;
}

/** Ranges further apart than this are read separately; closer ones in one read. */
const READ_GAP = 64 * 1024;
/** The most one read of live lines takes. */
const READ_WINDOW = 16 * 1024 * 1024;

/**
 * Calls `fn` with the bytes of each range (ascending, non-overlapping), reading ranges that lie
 * close together with one `read` (a compacted log is nearly all live lines) and far-apart ones
 * alone (an old log's few live lines among many dead ones). A range's bytes are valid only until
 * `fn` returns for the last range of its read, which `windowDone` is told.
 */
function forEachRange(fd: number, ranges: Array<[number, number]>, fn: (bytes: Buffer, offset: number) => void, windowDone?: () => void): void {
  let buf = Buffer.allocUnsafe(1024 * 1024);
  for (let i = 0; i < ranges.length; ) {
    const first = ranges[i]![0];
    let end = first + ranges[i]![1];
    let j = i + 1;
    while (j < ranges.length && ranges[j]![0] - end <= READ_GAP && ranges[j]![0] + ranges[j]![1] - first <= READ_WINDOW) end = ranges[j]![0] + ranges[j++]![1];
    if (end - first > buf.length) buf = Buffer.allocUnsafe(end - first);
    for (let got = 0; got < end - first; ) {
      const n = readSync(fd, buf, got, end - first - got, first + got);
      if (n === 0) throw new Error(`log ended at byte ${first + got} while reading a line that was there`);
      got += n;
    }
    for (; i < j; i++) fn(buf.subarray(ranges[i]![0] - first, ranges[i]![0] - first + ranges[i]![1]), ranges[i]![0]);
    windowDone?.();
  }
}

/**
 * Two passes, neither holding the file in memory: the first reads it in chunks and reads only
 * meta lines and run headers, keeping per run the byte ranges of its lines since its last full
 * record; the second reads and parses only the lines of runs that are still live. When the log
 * holds much that is not live (or a torn last line), the second pass also copies the live lines,
 * byte for byte, into a snapshot that replaces the log: nothing is encoded again, and a run whose
 * state is spread over several lines keeps them (a restart reads them as it read them here).
 */
export function readLog(path: string, expired: ExpiredFn | undefined): ReadResult {
  const fd = openSync(path, 'r');
  let closed = false;
  try {
    const fileBytes = fstatSync(fd).size;
    const { index, activities, meta, metaBytes, torn } = scanLog(fd);

    let dropped = 0;
    // Read with their newline, so that a snapshot copies whole lines.
    const ranges: Array<[number, number]> = [];
    for (const slot of index.slots.values()) {
      const close = index.closeOf(slot);
      if (close !== undefined && expired?.(index.namespaceOf(slot), close, meta)) {
        dropped++;
        continue;
      }
      index.rangesOf(slot, ranges);
    }
    ranges.sort((a, b) => a[0] - b[0]);

    // What a snapshot would hold: the live runs' lines, the last meta line, the live standalone
    // activities. (Counting the runs alone, a log of mostly activities was rewritten at every start.)
    let liveBytes = metaBytes;
    for (const [, length] of ranges) liveBytes += length;
    for (const line of activities.values()) liveBytes += Buffer.byteLength(line);
    const compact = torn || fileBytes - liveBytes > Math.max(1024 * 1024, liveBytes / 4);
    const runs = new Map<string, Run>();
    const restore = (line: Buffer, offset: number) => {
      try {
        return restoreLine(runs, line.subarray(0, line.length - 1));
      } catch (err) {
        // A line that parses but whose events do not: the log is damaged there. Say where, and let
        // the start fail rather than drop what may be a live run's history.
        throw new Error(`${path}: the record at byte ${offset} cannot be read back: ${(err as Error).message}`);
      }
    };
    if (!compact) {
      forEachRange(fd, ranges, restore);
      return { meta, activities, runs: [...runs.values()], expired: dropped, fileBytes };
    }
    const snapshotBytes = replaceLog(path, (out) => {
      if (meta) out.write(JSON.stringify({ k: 'meta', meta }) + '\n');
      forEachRange(
        fd,
        ranges,
        (line, offset) => {
          // A line that does not parse (only damage writes one) is left out, as it is at every read.
          if (restore(line, offset)) out.write(line);
        },
        () => out.flush(),
      );
      for (const line of activities.values()) out.write(line);
      // Closed before the rename: once the old log's names are gone, closing its last descriptor
      // frees its blocks, which took half a second for a year's log.
      closeSync(fd);
      closed = true;
    });
    return { meta, activities, runs: [...runs.values()], expired: dropped, fileBytes: snapshotBytes };
  } finally {
    if (!closed) closeSync(fd);
  }
}

/** The first pass: meta, standalone activities and, per run, the ranges of its lines that count. */
function scanLog(fd: number): { index: LineIndex; activities: Map<string, string>; meta?: StoredMeta; metaBytes: number; torn: boolean } {
  const index = new LineIndex();
  const activities = new Map<string, string>();
  const names = new NamespaceNames();
  let meta: StoredMeta | undefined;
  /** The last meta line's bytes (with its newline): live, like the runs' lines. */
  let metaBytes = 0;
  const CHUNK = 16 * 1024 * 1024;
  let buf = Buffer.allocUnsafe(CHUNK);
  let filled = 0;
  let bufStart = 0; // file offset of buf[0]
  for (;;) {
    if (filled === buf.length) {
      // one line longer than the buffer: grow it
      const bigger = Buffer.allocUnsafe(buf.length * 2);
      buf.copy(bigger, 0, 0, filled);
      buf = bigger;
    }
    const n = readSync(fd, buf, filled, buf.length - filled, bufStart + filled);
    filled += n;
    let pos = 0;
    for (;;) {
      const nl = buf.indexOf(NEWLINE, pos);
      if (nl < 0 || nl >= filled) break;
      const found = scanLine(buf, pos, nl, bufStart + pos, index, activities, names);
      if (found) {
        meta = found;
        metaBytes = nl + 1 - pos;
      }
      pos = nl + 1;
    }
    if (n === 0) {
      // Bytes after the last newline are a record whose write was cut short: never acknowledged.
      return { index, activities, meta, metaBytes, torn: filled > pos };
    }
    buf.copy(buf, 0, pos, filled);
    bufStart += pos;
    filled -= pos;
  }
}

/** The second pass, one live line of a run: its state and events applied to what `runs` holds; false when it does not parse. */
function restoreLine(runs: Map<string, Run>, line: Buffer): boolean {
  let rec: RunRecord;
  try {
    rec = parseRunRecord(line);
  } catch {
    return false;
  }
  const legacy = rec.run !== undefined;
  const h: Header = legacy ? { id: rec.run!.runId, ns: rec.run!.namespace, from: rec.from ?? 0, f: 1 } : rec.h!;
  const state = legacy ? (rec.run as unknown as Record<string, unknown>) : rec.b!.s;
  const events = (legacy ? rec.events : rec.b!.e) ?? [];
  const prev = runs.get(h.id);
  const full = h.f === 1 || !prev;
  const run = (full ? { ...state } : Object.assign(prev, state)) as Record<string, unknown>;
  for (const key of Object.keys(state)) if (state[key] === null) delete run[key];
  // The run's own history, when the line goes on from its end (no copy needed).
  const prefix = prev && prev.history.length === h.from ? prev.history : prev?.history.truncated(h.from);
  run.history = EventHistory.restore(prefix, events);
  runs.set(h.id, run as unknown as Run);
  return true;
}

/** A run line as written; events as framed bytes in base64, or (logs written before histories were kept as bytes) objects. */
interface RunRecord {
  k: string;
  h?: Header;
  b?: { s: Record<string, unknown>; e: Obj[] | string };
  /** The format before headers: the whole state in every record. */
  run?: Omit<Run, 'history'>;
  from?: number;
  events?: Obj[];
}

const EVENTS_MARK = Buffer.from(',"e":"');
const LINE_END = Buffer.from('"}}');
const RECORD_END_TEXT = '}}';

/**
 * A run line as JSON, but its events' base64 (most of a line's bytes) taken straight from the
 * bytes instead of through JSON.parse: base64 holds no quote, so the last `,"e":"` of a line that
 * ends `"}}` opens it. Other lines (events as objects, older formats) are parsed whole.
 */
function parseRunRecord(line: Buffer): RunRecord {
  const at = line.lastIndexOf(EVENTS_MARK);
  if (at < 0 || line.compare(LINE_END, 0, LINE_END.length, line.length - LINE_END.length) !== 0) return JSON.parse(line.toString('utf8')) as RunRecord;
  const rec = JSON.parse(line.toString('utf8', 0, at) + RECORD_END_TEXT) as RunRecord;
  if (!rec.b) throw new Error('a run record without a body');
  rec.b.e = line.toString('latin1', at + EVENTS_MARK.length, line.length - LINE_END.length);
  return rec;
}

/** First pass over one line [start, end) of buf: returns the meta it holds, or records a run line's range. */
function scanLine(buf: Buffer, start: number, end: number, offset: number, index: LineIndex, activities: Map<string, string>, names: NamespaceNames): StoredMeta | undefined {
  if (end - start < 8) return undefined;
  let h: Header | undefined;
  try {
    if (startsAt(buf, start, end, RUN_PREFIX_BYTES)) {
      h = headerAt(buf, start + RUN_PREFIX_BYTES.length, end, names);
      if (!h) {
        const mark = buf.indexOf(BODY_MARK, start + RUN_PREFIX_BYTES.length);
        if (mark < 0 || mark > end) return undefined;
        h = parseHeader(buf.toString('utf8', start + RUN_PREFIX_BYTES.length, mark));
      }
    } else {
      const rec = JSON.parse(buf.toString('utf8', start, end));
      if (rec.k === 'meta') return rec.meta as StoredMeta;
      if (rec.k === 'del') index.delete(rec.id);
      if (rec.k === 'sact' && typeof rec.id === 'string') {
        if (rec.a) activities.set(rec.id, buf.toString('utf8', start, end) + '\n');
        else activities.delete(rec.id);
        return undefined;
      }
      if (rec.k !== 'run' || !rec.run) return undefined;
      // a line of the log format before headers: the whole state in every record
      h = { id: rec.run.runId, ns: rec.run.namespace, from: rec.from, f: rec.from === 0 ? 1 : undefined, c: rec.run.status === 'Running' ? undefined : rec.run.closeTime };
    }
  } catch {
    return undefined;
  }
  index.add(h.id, h.ns, h.c, h.f === 1 && h.from === 0, offset, end - start);
  return undefined;
}
