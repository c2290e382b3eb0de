/**
 * One `npm start` per DATA_DIR: the embedded Postgres and the dev server's persistence file must
 * never be opened by two processes. `DATA_DIR/.lock` is created exclusively (`wx`) and holds the
 * owner's pid and the directory's real path; a lock whose pid is no longer alive (a crashed start)
 * or that names another directory (copied with it) is taken over; `release()`
 * removes it — only while it is still ours.
 */
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.js';

export const LOCK_FILE = '.lock';

/** Thrown when another live process holds the lock (a ConfigError: its message is all there is to say). */
export class DataDirInUseError extends ConfigError {
  constructor(
    readonly dataDir: string,
    readonly pid: number,
  ) {
    super(`another npm start is using DATA_DIR (${path.resolve(dataDir)}), pid ${pid}: stop it first or set DATA_DIR`);
  }
}

export interface DataDirLock {
  /** The lock file. */
  path: string;
  /** Removes the lock file if it still holds our pid (idempotent). */
  release(): void;
}

export interface LockOptions {
  /** The pid written into the lock (default: this process). */
  pid?: number;
  /** Whether a process runs (default: signal 0; EPERM means it runs under another user). */
  isAlive?: (pid: number) => boolean;
}

export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The lock's pid (first line) and the directory it was taken for (second line; absent in older locks). */
const readLock = (file: string): { pid?: number; dir?: string } => {
  try {
    const [first = '', second = ''] = fs.readFileSync(file, 'utf8').split('\n');
    const pid = Number(first.trim());
    return { ...(Number.isInteger(pid) && pid > 0 ? { pid } : {}), ...(second.trim() ? { dir: second.trim() } : {}) };
  } catch {
    return {};
  }
};
const readPid = (file: string): number | undefined => readLock(file).pid;
const realDir = (dataDir: string) => fs.realpathSync(path.resolve(dataDir));

/**
 * The pid of the live process that holds DATA_DIR's lock, if one does. A lock copied with the
 * directory (a backup taken while running) names the original's directory and its live pid: it
 * holds nothing here, or the copy could neither be started nor read by `npm run keys` while the
 * original runs.
 */
export function liveLockHolder(dataDir: string, isAlive: (pid: number) => boolean = processIsAlive): number | undefined {
  const lock = readLock(path.join(dataDir, LOCK_FILE));
  if (lock.pid === undefined || (lock.dir !== undefined && lock.dir !== realDir(dataDir))) return undefined;
  return isAlive(lock.pid) ? lock.pid : undefined;
}

export function acquireDataDirLock(dataDir: string, options: LockOptions = {}): DataDirLock {
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const file = path.join(dataDir, LOCK_FILE);
  fs.mkdirSync(dataDir, { recursive: true });
  // A few rounds: a stale lock is removed, then created again by whoever gets there first.
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, 'wx', 0o644);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = liveLockHolder(dataDir, isAlive);
      if (holder !== undefined) throw new DataDirInUseError(dataDir, holder);
      // Stale (its process is gone) or unreadable (a start that died while writing it): take it over.
      try {
        fs.unlinkSync(file);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
      }
      continue;
    }
    try {
      fs.writeSync(fd, `${pid}\n${realDir(dataDir)}\n`);
    } finally {
      fs.closeSync(fd);
    }
    let released = false;
    return {
      path: file,
      release() {
        if (released) return;
        released = true;
        if (readPid(file) !== pid) return;
        try {
          fs.unlinkSync(file);
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        }
      },
    };
  }
  const holder = readPid(file);
  throw new DataDirInUseError(dataDir, holder ?? 0);
}
