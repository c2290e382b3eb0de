/**
 * One `npm start` per DATA_DIR: the lock file DATA_DIR/.lock holds the owner's pid; a second start
 * stops at once naming the path and the pid, a lock left by a process that is gone is taken over,
 * and releasing removes only our own lock.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../app/config.js';
import { acquireDataDirLock, DataDirInUseError, liveLockHolder, processIsAlive } from '../../app/data-dir-lock.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-lock-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const lockFile = () => path.join(dir, '.lock');
/** The lock's first line: its owner's pid (the second names the directory). */
const lockPid = () => fs.readFileSync(lockFile(), 'utf8').split('\n')[0];

describe('the DATA_DIR lock', () => {
  it('is taken once: a second start is refused with the path and the pid of the first', () => {
    const alive = new Set([4242]);
    const first = acquireDataDirLock(dir, { pid: 4242, isAlive: (pid) => alive.has(pid) });
    expect(lockPid()).toBe('4242');
    let refused: unknown;
    try {
      acquireDataDirLock(dir, { pid: 5353, isAlive: (pid) => alive.has(pid) });
    } catch (err) {
      refused = err;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    // A ConfigError: `npm start` prints its message alone and exits.
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as Error).message).toBe(`another npm start is using DATA_DIR (${path.resolve(dir)}), pid 4242: stop it first or set DATA_DIR`);
    // The first one's lock is untouched.
    expect(lockPid()).toBe('4242');
    first.release();
    expect(fs.existsSync(lockFile())).toBe(false);
  });

  it('names its directory: a lock copied with the directory (a backup taken while running) holds nothing in the copy', () => {
    const alive = () => true;
    const original = acquireDataDirLock(dir, { pid: 4242, isAlive: alive });
    expect(fs.readFileSync(lockFile(), 'utf8')).toBe(`4242\n${fs.realpathSync(dir)}\n`);
    const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'data-dir-copy-'));
    try {
      fs.copyFileSync(lockFile(), path.join(copy, '.lock'));
      expect(liveLockHolder(copy, alive)).toBeUndefined();
      expect(liveLockHolder(dir, alive)).toBe(4242);
      const started = acquireDataDirLock(copy, { pid: 5353, isAlive: alive });
      expect(fs.readFileSync(path.join(copy, '.lock'), 'utf8').split('\n')[0]).toBe('5353');
      started.release();
    } finally {
      fs.rmSync(copy, { recursive: true, force: true });
    }
    original.release();
  });

  it('takes over a stale lock whose process is gone, and one that holds no pid', () => {
    fs.writeFileSync(lockFile(), '999999\n');
    const lock = acquireDataDirLock(dir, { pid: 4242, isAlive: () => false });
    expect(lockPid()).toBe('4242');
    lock.release();
    fs.writeFileSync(lockFile(), '');
    const again = acquireDataDirLock(dir, { pid: 4343, isAlive: () => true });
    expect(lockPid()).toBe('4343');
    again.release();
  });

  it('is released on stop, once, and never removes a lock that is no longer ours', () => {
    const lock = acquireDataDirLock(dir, { pid: 4242, isAlive: () => false });
    // Taken over meanwhile (we were thought dead): our release leaves the new owner's lock.
    const other = acquireDataDirLock(dir, { pid: 5353, isAlive: () => false });
    lock.release();
    expect(lockPid()).toBe('5353');
    other.release();
    other.release();
    expect(fs.existsSync(lockFile())).toBe(false);
    // Free again: the next start gets it.
    acquireDataDirLock(dir, { pid: 6464 }).release();
  });

  it('creates DATA_DIR when it does not exist yet, and knows this process is alive', () => {
    const nested = path.join(dir, 'fresh', 'data');
    const lock = acquireDataDirLock(nested);
    expect(fs.readFileSync(path.join(nested, '.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    expect(() => acquireDataDirLock(nested)).toThrow(/pid \d+: stop it first or set DATA_DIR/);
    lock.release();
    expect(processIsAlive(process.pid)).toBe(true);
  });
});
