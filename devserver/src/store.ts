import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Run } from './engine/types.js';

/**
 * Persistence for `--db-filename`: an append-only JSON-lines log.
 *
 * Every operation appends, before its RPC is answered, one record per run it changed: the run's
 * state without its history plus only the history events added since the last record. A `write`
 * reaches the kernel's page cache synchronously, so a SIGKILL of the server loses nothing that was
 * acknowledged. On start the log is replayed and rewritten compactly (one record per run).
 *
 * Why not SQLite: Node 20 has no `node:sqlite`, and native addons need install scripts and a
 * compiler at `npm ci` time; a log needs neither and is simple to reason about for a dev server.
 */
interface MetaRecord {
  k: 'meta';
  meta: StoredMeta;
}
interface RunRecord {
  k: 'run';
  run: Omit<Run, 'history'>;
  from: number;
  events: Run['history'];
}

export interface StoredMeta {
  clockOffset: number;
  namespaces: Array<{ name: string; id: string; description: string; retentionDays: number; searchAttributes: unknown }>;
}

export class Store {
  private fd: number;
  private persistedLength = new Map<string, number>();

  private constructor(
    private readonly path: string,
    fd: number,
  ) {
    this.fd = fd;
  }

  /** Opens (and compacts) the log; returns what it held. */
  static open(path: string): { store: Store; meta?: StoredMeta; runs: Run[] } {
    const runs = new Map<string, Run>();
    let meta: StoredMeta | undefined;
    mkdirSync(dirname(path), { recursive: true });
    if (existsSync(path)) {
      const lines = readFileSync(path, 'utf8').split('\n');
      for (const line of lines) {
        if (!line.trim()) continue;
        let rec: MetaRecord | RunRecord;
        try {
          rec = JSON.parse(line);
        } catch {
          // A torn last line (the process died mid-write of an unacknowledged change) is skipped.
          continue;
        }
        if (rec.k === 'meta') meta = rec.meta;
        else if (rec.k === 'run') {
          const prev = runs.get(rec.run.runId);
          const history = (prev?.history ?? []).slice(0, rec.from).concat(rec.events);
          runs.set(rec.run.runId, { ...(rec.run as Run), history });
        }
      }
    }
    // Compact: one record per run, written to a new file and renamed over the old one.
    const tmp = `${path}.compact`;
    const fd = openSync(tmp, 'w');
    const store = new Store(path, fd);
    if (meta) store.writeMeta(meta);
    for (const run of runs.values()) store.writeRun(run);
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, path);
    store.fd = openSync(path, 'a');
    return { store, meta, runs: [...runs.values()] };
  }

  writeMeta(meta: StoredMeta): void {
    this.append({ k: 'meta', meta });
  }

  writeRun(run: Run): void {
    const from = Math.min(this.persistedLength.get(run.runId) ?? 0, run.history.length);
    const { history, ...state } = run;
    this.append({ k: 'run', run: state, from, events: history.slice(from) });
    this.persistedLength.set(run.runId, history.length);
  }

  private append(rec: MetaRecord | RunRecord): void {
    const buf = Buffer.from(JSON.stringify(rec) + '\n');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off);
  }

  close(): void {
    try {
      fsyncSync(this.fd);
      closeSync(this.fd);
    } catch {
      // already closed
    }
  }

  get file(): string {
    return this.path;
  }
}
