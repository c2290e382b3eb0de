import { closeSync, existsSync, fsyncSync, linkSync, openSync, renameSync, rmSync, unlink, writeSync, writevSync } from 'node:fs';
import { dirname } from 'node:path';

/** Files of the log (store.ts): whole writes, and a snapshot put in the log's place so that a crash leaves one or the other. */

/** Where a log replaced by a snapshot waits for its unlink (a name no one else gives a file). */
export const supersededPath = (path: string) => `${path}.superseded-by-snapshot`;

export function writeAll(fd: number, buf: Buffer): void {
  let off = 0;
  while (off < buf.length) off += writeSync(fd, buf, off);
}

/** Writes `bufs` in order with as few calls as the kernel allows (a partial writev goes on piece by piece). */
function writevAll(fd: number, bufs: Buffer[]): void {
  for (let i = 0; i < bufs.length; i += IOV_BATCH) {
    const batch = bufs.slice(i, i + IOV_BATCH);
    let skip = writevSync(fd, batch);
    for (const b of batch) {
      if (skip >= b.length) {
        skip -= b.length;
        continue;
      }
      writeAll(fd, b.subarray(skip));
      skip = 0;
    }
  }
}
/** Buffers per `writev` (Linux takes at most 1,024). */
const IOV_BATCH = 1024;

/** A snapshot being written: parts are gathered and written in chunks of a few MiB. */
export class SnapshotWriter {
  private parts: Buffer[] = [];
  private gathered = 0;
  bytes = 0;
  constructor(private readonly fd: number) {}

  write(part: string | Buffer): void {
    const buf = typeof part === 'string' ? Buffer.from(part) : part;
    this.parts.push(buf);
    this.gathered += buf.length;
    if (this.gathered > 4 * 1024 * 1024 || this.parts.length >= IOV_BATCH) this.flush();
  }

  /** Writes what was gathered (call before the bytes of a `Buffer` part are reused). */
  flush(): void {
    if (!this.parts.length) return;
    writevAll(this.fd, this.parts);
    this.bytes += this.gathered;
    this.parts = [];
    this.gathered = 0;
  }
}

/**
 * Replaces the log at `path` with what `fill` writes: a new file, fsync, rename over the log, fsync
 * of the directory (so the rename itself survives a crash). Returns the new log's size.
 */
export function replaceLog(path: string, fill: (out: SnapshotWriter) => void): number {
  const tmp = `${path}.compact`;
  const fd = openSync(tmp, 'w');
  const out = new SnapshotWriter(fd);
  try {
    fill(out);
    out.flush();
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  // The old log's blocks are freed when its last link goes: inside the rename that replaces it,
  // that held start-up for over a second on a 2.5 GB log. A second link keeps them until it is
  // unlinked on a background thread. (One left behind by a crash goes at the next start.)
  const old = supersededPath(path);
  let linked = false;
  try {
    rmSync(old, { force: true });
    if (existsSync(path)) {
      linkSync(path, old);
      linked = true;
    }
  } catch {
    // no hard links here: the rename frees the old log itself
  }
  renameSync(tmp, path);
  if (linked) unlink(old, () => undefined);
  try {
    const dirFd = openSync(dirname(path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // some platforms cannot fsync a directory; the rename is then as durable as they make it
  }
  return out.bytes;
}
