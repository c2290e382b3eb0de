import { hash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, unlink } from 'node:fs';
import { dirname } from 'node:path';
import type { Run } from './engine/types.js';
import { encodeRunRecord, RUN_PREFIX, type ExpiredFn, type Header, type StoredMeta } from './store-format.js';
import { replaceLog, supersededPath, writeAll } from './store-files.js';
import { readLog } from './store-read.js';

/**
 * Persistence for `--db-filename`: an append-only JSON-lines log (its lines: store-format.ts),
 * compacted into a snapshot: the log is rewritten as a snapshot of the live runs when it is twice
 * the last snapshot and over `compactMinBytes`, and at start (store-read.ts) when it holds much that
 * is no longer live.
 */
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

/** A fingerprint of a field's JSON: the JSON itself when short, a truncated SHA-1 otherwise (memory per open run). */
const fingerprint = (json: string) => (json.length <= 24 ? json : hash('sha1', json, 'base64').slice(0, 16));

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
    if (!read) {
      store.writeSnapshot(runs, undefined);
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

  /** Writes a snapshot of `runs` in place of the log. */
  private writeSnapshot(runs: Run[], meta: StoredMeta | undefined): void {
    const total = replaceLog(this.path, (out) => {
      if (meta) out.write(JSON.stringify({ k: 'meta', meta }) + '\n');
      for (const run of runs) out.write(encodeRunRecord(run));
      for (const line of this.activityLines.values()) out.write(line);
    });
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
