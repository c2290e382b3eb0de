import { hash } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, mkdirSync, openSync, readSync, renameSync, rmSync, unlink, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Run } from './engine/types.js';
import { EventHistory } from './engine/event-history.js';
import type { Obj } from './proto.js';

/**
 * Persistence for `--db-filename`: an append-only JSON-lines log, compacted into a snapshot.
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
 * twice the last snapshot and over `compactMinBytes`, and at start when it holds much that is no
 * longer live. Restart reads the file in chunks and parses only the headers; only live runs' lines
 * are parsed in full, so runs closed long ago cost a header each, whatever the file's size.
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

export interface OpenOptions {
  expired?: ExpiredFn;
  /** Runtime compaction never runs below this log size. Default 64 MiB. */
  compactMinBytes?: number;
}

export interface Opened {
  store: Store;
  meta?: StoredMeta;
  runs: Run[];
  /** Standalone activity executions (engine/standalone-activities.ts); none in older logs. */
  activities: unknown[];
  /** Closed runs left out because their retention had passed. */
  expired: number;
}

/** Fields that change with nearly every operation: written in every record, not compared. */
const VOLATILE = ['status', 'closeTime', 'wft', 'wftAttempt', 'lastCompletedStartedEventId', 'historyBytes', 'cancelRequested', 'newExecutionRunId'];
/** Fields that may carry payloads: written only when their content changed. */
const COMPARED = ['memo', 'searchAttributes', 'activities', 'timers', 'children', 'updates', 'buffered', 'signalRequestIds'];
const SKIP = new Set([...VOLATILE, ...COMPARED, 'history']);
/** The remaining fields (identity, timeouts, parent…), compared as one group. */
const FIXED = '~fixed';

const RUN_PREFIX = '{"k":"run","h":';
const RUN_PREFIX_BYTES = Buffer.from(RUN_PREFIX);
const BODY_MARK = Buffer.from(',"b":');
const NEWLINE = 10;

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

/** A fingerprint of a field's JSON: the JSON itself when short, a truncated SHA-1 otherwise (memory per open run). */
const fingerprint = (json: string) => (json.length <= 24 ? json : hash('sha1', json, 'base64').slice(0, 16));

/** One full record of a run: the whole state and history (what a snapshot holds). */
export function encodeRunRecord(run: Run): string {
  const { history, ...state } = run;
  const h: Header = { id: run.runId, ns: run.namespace, from: 0, f: 1 };
  if (run.closeTime !== undefined && run.status !== 'Running') h.c = run.closeTime;
  return `${RUN_PREFIX}${JSON.stringify(h)},"b":{"s":${JSON.stringify(state)},"e":${history.recordJson()}}}\n`;
}

export class Store {
  private fd: number;
  /** History length already in the file, per run. */
  private readonly persistedLength = new Map<string, number>();
  /** Per open run: fingerprints of the compared fields as last written (absent = next record is full). */
  private readonly written = new Map<string, Record<string, string>>();
  private pending: string[] = [];
  /** Standalone activities changed by the operation (serialised at `commit`; undefined = removed). */
  private pendingActivities = new Map<string, unknown>();
  /** The last record of each live standalone activity, copied into every snapshot. */
  private readonly activityLines = new Map<string, string>();
  private logBytes = 0;
  private snapshotBytes = 0;
  private readonly compactMinBytes: number;

  private constructor(
    private readonly path: string,
    fd: number,
    options: OpenOptions,
  ) {
    this.fd = fd;
    this.compactMinBytes = options.compactMinBytes ?? 64 * 1024 * 1024;
  }

  /** Reads the log (compacting it if it holds much that is not live); returns what it held. */
  static open(path: string, options: OpenOptions = {}): Opened {
    mkdirSync(dirname(path), { recursive: true });
    // A log replaced by a snapshot whose unlink did not finish before the process ended.
    unlink(supersededPath(path), () => undefined);
    const read = existsSync(path) ? readLog(path, options.expired) : undefined;
    const store = new Store(path, -1, options);
    const runs = read?.runs ?? [];
    for (const run of runs) store.persistedLength.set(run.runId, run.history.length);
    for (const [id, line] of read?.activities ?? []) store.activityLines.set(id, line);
    if (!read || read.compact) {
      store.writeSnapshot(runs, read?.meta, read?.raw);
    } else {
      store.fd = openSync(path, 'a');
      store.logBytes = store.snapshotBytes = read.fileBytes;
    }
    const activities = [...store.activityLines.values()].map((line) => (JSON.parse(line) as { a: unknown }).a);
    return { store, meta: read?.meta, runs, activities, expired: read?.expired ?? 0 };
  }

  writeMeta(meta: StoredMeta): void {
    this.pending.push(JSON.stringify({ k: 'meta', meta }) + '\n');
  }

  /** Queues a record of what changed in the run since its last record (written by `commit`). */
  writeRun(run: Run): void {
    const known = this.persistedLength.get(run.runId);
    const from = Math.min(known ?? 0, run.history.length);
    const prev = this.written.get(run.runId);
    const open = run.status === 'Running';
    const next: Record<string, string> = {};
    const parts: string[] = [];
    const r = run as unknown as Record<string, unknown>;
    const put = (key: string, json: string | undefined) => parts.push(`${JSON.stringify(key)}:${json ?? 'null'}`);
    for (const key of VOLATILE) if (prev || r[key] !== undefined) put(key, JSON.stringify(r[key]));
    for (const key of COMPARED) {
      const json = JSON.stringify(r[key]);
      const fp = json === undefined ? '' : fingerprint(json);
      if (open) next[key] = fp;
      if (!prev || prev[key] !== fp) put(key, json);
    }
    const fixed: Record<string, unknown> = {};
    for (const key of Object.keys(r)) if (!SKIP.has(key)) fixed[key] = r[key];
    const fixedJson = JSON.stringify(fixed);
    const fixedFp = fingerprint(fixedJson);
    if (!prev || prev[FIXED] !== fixedFp) parts.push(fixedJson.slice(1, -1));
    if (open) {
      next[FIXED] = fixedFp;
      this.written.set(run.runId, next);
    } else {
      this.written.delete(run.runId);
    }
    const h: Header = { id: run.runId, ns: run.namespace, from };
    if (!open && run.closeTime !== undefined) h.c = run.closeTime;
    if (!prev) h.f = 1;
    const events = run.history.recordJson(from);
    this.pending.push(`${RUN_PREFIX}${JSON.stringify(h)},"b":{"s":{${parts.filter(Boolean).join(',')}},"e":${events}}}\n`);
    this.persistedLength.set(run.runId, run.history.length);
  }

  /** Queues the removal of a run (its retention passed). */
  writeDelete(runId: string): void {
    this.persistedLength.delete(runId);
    this.written.delete(runId);
    this.pending.push(JSON.stringify({ k: 'del', id: runId }) + '\n');
  }

  /** Queues the state of a standalone activity (undefined: it was removed), written by `commit`. */
  writeActivity(id: string, state: unknown): void {
    this.pendingActivities.set(id, state);
  }

  /** Writes everything queued with one `write` (before the operation's RPC is answered). */
  commit(): void {
    for (const [id, state] of this.pendingActivities) {
      const line = JSON.stringify(state === undefined ? { k: 'sact', id } : { k: 'sact', id, a: state }) + '\n';
      this.pending.push(line);
      if (state === undefined) this.activityLines.delete(id);
      else this.activityLines.set(id, line);
    }
    this.pendingActivities.clear();
    if (!this.pending.length) return;
    const buf = Buffer.from(this.pending.join(''));
    this.pending = [];
    writeAll(this.fd, buf);
    this.logBytes += buf.length;
  }

  /** The log has grown to twice its last snapshot (and is big enough for a rewrite to pay off). */
  shouldCompact(): boolean {
    return this.logBytes > this.compactMinBytes && this.logBytes > 2 * this.snapshotBytes;
  }

  /** Rewrites the log as a snapshot of `runs` (call after `commit`, with every live run). */
  compact(runs: Iterable<Run>, meta: StoredMeta): void {
    this.commit();
    closeSync(this.fd);
    this.written.clear();
    this.persistedLength.clear();
    const list = [...runs];
    for (const run of list) this.persistedLength.set(run.runId, run.history.length);
    this.writeSnapshot(list, meta);
  }

  /** New file, fsync, rename over the log, fsync of the directory (so the rename itself survives a crash). */
  private writeSnapshot(runs: Run[], meta: StoredMeta | undefined, raw?: Map<string, Buffer>): void {
    const tmp = `${this.path}.compact`;
    const fd = openSync(tmp, 'w');
    let chunk: Array<string | Buffer> = [];
    let chunkBytes = 0;
    let total = 0;
    const flushChunk = () => {
      const buf = Buffer.concat(chunk.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
      writeAll(fd, buf);
      total += buf.length;
      chunk = [];
      chunkBytes = 0;
    };
    const add = (part: string | Buffer) => {
      chunk.push(part);
      chunkBytes += part.length;
      if (chunkBytes > 4 * 1024 * 1024) flushChunk();
    };
    if (meta) add(JSON.stringify({ k: 'meta', meta }) + '\n');
    // A run read back from a single full record is copied as the bytes it was read from.
    for (const run of runs) {
      const line = raw?.get(run.runId);
      if (line) {
        add(line);
        add('\n');
      } else add(encodeRunRecord(run));
    }
    for (const line of this.activityLines.values()) add(line);
    flushChunk();
    fsyncSync(fd);
    closeSync(fd);
    // The old log's blocks are freed when its last link goes: inside the rename that replaces it,
    // that held start-up for over a second on a 2.5 GB log. A second link keeps them until it is
    // unlinked on a background thread. (One left behind by a crash goes at the next start.)
    const old = supersededPath(this.path);
    let linked = false;
    try {
      rmSync(old, { force: true });
      if (existsSync(this.path)) {
        linkSync(this.path, old);
        linked = true;
      }
    } catch {
      // no hard links here: the rename frees the old log itself
    }
    renameSync(tmp, this.path);
    if (linked) unlink(old, () => undefined);
    try {
      const dirFd = openSync(dirname(this.path), 'r');
      fsyncSync(dirFd);
      closeSync(dirFd);
    } catch {
      // some platforms cannot fsync a directory; the rename is then as durable as they make it
    }
    this.fd = openSync(this.path, 'a');
    this.logBytes = this.snapshotBytes = total;
  }

  close(): void {
    try {
      this.commit();
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  get file(): string {
    return this.path;
  }

  /** Bytes in the log now and in its last snapshot (for tests and benchmarks). */
  get sizes(): { log: number; snapshot: number } {
    return { log: this.logBytes, snapshot: this.snapshotBytes };
  }
}

/** Where a log replaced by a snapshot waits for its unlink (a name no one else gives a file). */
const supersededPath = (path: string) => `${path}.superseded-by-snapshot`;

function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

interface Entry {
  ns: string;
  close?: number;
  /** Byte ranges (offset, length, …) of the run's lines since its last full record. */
  ranges: number[];
  legacy?: boolean;
}

interface ReadResult {
  meta?: StoredMeta;
  /** Standalone activity id → its last record line (with the newline). */
  activities: Map<string, string>;
  runs: Run[];
  /** With `compact`: the line (without its newline) of each run read from a single full record. */
  raw?: Map<string, Buffer>;
  expired: number;
  /** The log should be rewritten as a snapshot now: a torn last line, or much that is no longer live. */
  compact: boolean;
  fileBytes: number;
}

/** Ranges further apart than this are read separately; closer ones in one read. */
const READ_GAP = 64 * 1024;
/** The most one read of live lines takes. */
const READ_WINDOW = 16 * 1024 * 1024;

/**
 * Calls `fn` with the bytes of each range (ascending, non-overlapping), reading ranges that lie
 * close together with one `read` (a compacted log is nearly all live lines) and far-apart ones
 * alone (an old log's few live lines among many dead ones). A range's bytes are valid only during
 * its call.
 */
function forEachRange(fd: number, ranges: Array<[number, number]>, fn: (bytes: Buffer) => void): void {
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
    for (; i < j; i++) fn(buf.subarray(ranges[i]![0] - first, ranges[i]![0] - first + ranges[i]![1]));
  }
}

/**
 * Two passes, neither holding the file in memory: the first reads it in chunks and parses only
 * meta lines and run headers, keeping per run the byte ranges of its lines since its last full
 * record; the second reads and parses only the lines of runs that are still live.
 */
function readLog(path: string, expired: ExpiredFn | undefined): ReadResult {
  const fd = openSync(path, 'r');
  try {
    const fileBytes = fstatSync(fd).size;
    const entries = new Map<string, Entry>();
    const activities = new Map<string, string>();
    let meta: StoredMeta | undefined;
    let torn = false;
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
        meta = scanLine(buf, pos, nl, bufStart + pos, entries, activities) ?? meta;
        pos = nl + 1;
      }
      if (n === 0) {
        // Bytes after the last newline are a record whose write was cut short: never acknowledged.
        torn = filled > pos;
        break;
      }
      buf.copy(buf, 0, pos, filled);
      bufStart += pos;
      filled -= pos;
    }

    let dropped = 0;
    const ranges: Array<[number, number]> = [];
    for (const [id, e] of entries) {
      if (e.close !== undefined && expired?.(e.ns, e.close, meta)) {
        entries.delete(id);
        dropped++;
        continue;
      }
      for (let i = 0; i < e.ranges.length; i += 2) ranges.push([e.ranges[i]!, e.ranges[i + 1]!]);
    }
    ranges.sort((a, b) => a[0] - b[0]);

    let liveBytes = 0;
    for (const [, length] of ranges) liveBytes += length + 1;
    const compact = torn || fileBytes - liveBytes > Math.max(1024 * 1024, liveBytes / 4);
    const runs = new Map<string, Run>();
    // Copies of the lines a snapshot can take as they are, kept only when one is written now.
    const raw = compact ? new Map<string, Buffer>() : undefined;
    forEachRange(fd, ranges, (line) => {
      // Events: framed bytes in base64, or (logs written before histories were kept as bytes) objects.
      let rec: { k: string; h?: Header; b?: { s: Record<string, unknown>; e: Obj[] | string }; run?: Omit<Run, 'history'>; from?: number; events?: Obj[] };
      try {
        rec = JSON.parse(line.toString('utf8'));
      } catch {
        return;
      }
      const legacy = rec.run !== undefined;
      const h: Header = legacy ? { id: rec.run!.runId, ns: rec.run!.namespace, from: rec.from ?? 0, f: 1 } : rec.h!;
      const state = legacy ? (rec.run as unknown as Record<string, unknown>) : rec.b!.s;
      const events = (legacy ? rec.events : rec.b!.e) ?? [];
      const prev = runs.get(h.id);
      const full = h.f === 1 || !prev;
      const run = (full ? { ...state } : Object.assign(prev, state)) as Record<string, unknown>;
      for (const key of Object.keys(state)) if (state[key] === null) delete run[key];
      run.history = EventHistory.restore(prev?.history.truncated(h.from), events);
      runs.set(h.id, run as unknown as Run);
      if (full && h.from === 0 && !legacy) raw?.set(h.id, Buffer.from(line));
      else raw?.delete(h.id);
    });
    return { meta, activities, runs: [...runs.values()], raw, expired: dropped, compact, fileBytes };
  } finally {
    closeSync(fd);
  }
}

/** First pass over one line [start, end) of buf: returns the meta it holds, or records a run line's range. */
function scanLine(buf: Buffer, start: number, end: number, offset: number, entries: Map<string, Entry>, activities?: Map<string, string>): StoredMeta | undefined {
  if (end - start < 8) return undefined;
  let h: Header;
  let legacy = false;
  try {
    if (end - start > RUN_PREFIX_BYTES.length && buf.compare(RUN_PREFIX_BYTES, 0, RUN_PREFIX_BYTES.length, start, start + RUN_PREFIX_BYTES.length) === 0) {
      const mark = buf.indexOf(BODY_MARK, start + RUN_PREFIX_BYTES.length);
      if (mark < 0 || mark > end) return undefined;
      h = parseHeader(buf.toString('utf8', start + RUN_PREFIX_BYTES.length, mark));
    } else {
      const rec = JSON.parse(buf.toString('utf8', start, end));
      if (rec.k === 'meta') return rec.meta as StoredMeta;
      if (rec.k === 'del') entries.delete(rec.id);
      if (rec.k === 'sact' && typeof rec.id === 'string') {
        if (rec.a) activities?.set(rec.id, buf.toString('utf8', start, end) + '\n');
        else activities?.delete(rec.id);
        return undefined;
      }
      if (rec.k !== 'run' || !rec.run) return undefined;
      // a line of the log format before headers: the whole state in every record
      legacy = true;
      h = { id: rec.run.runId, ns: rec.run.namespace, from: rec.from, f: rec.from === 0 ? 1 : undefined, c: rec.run.status === 'Running' ? undefined : rec.run.closeTime };
    }
  } catch {
    return undefined;
  }
  let e = entries.get(h.id);
  if (!e) entries.set(h.id, (e = { ns: h.ns, ranges: [] }));
  // a full state with the history from its start supersedes every earlier line of the run
  if (h.f === 1 && h.from === 0) e.ranges.length = 0;
  e.ranges.push(offset, end - start);
  e.close = h.c;
  if (legacy) e.legacy = true;
  return undefined;
}
