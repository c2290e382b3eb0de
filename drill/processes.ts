/**
 * The platform's processes as the drill runs them: spawned as children, each the leader of its
 * own process group (so a SIGKILL takes the whole tree, and only it), output appended to a log
 * file per process, readiness probed, and restarted when they die — by the drill's hand (a kill)
 * or on their own (e.g. the API exits when Temporal is down while it starts), the way a process
 * supervisor (systemd, Kubernetes) would restart them in production.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, openSync, readSync, statSync } from 'node:fs';
import { pause } from './util.js';

export type ProcessName = 'devserver' | 'worker' | 'api';

export interface ProcessSpec {
  name: ProcessName;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd: string;
  logFile: string;
  /** True once the process serves (port answers, worker polling). `sinceOffset`: where this start's log output begins. */
  ready: (sinceOffset: number) => Promise<boolean>;
}

/** Every process group the drill started and has not seen exit: killed when the drill process ends, however it ends. */
const live = new Set<number>();
process.on('exit', () => {
  for (const pid of live) killGroup(pid);
});

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

export class ManagedProcess {
  state: 'stopped' | 'starting' | 'ready' = 'stopped';
  starts = 0;
  kills = 0;
  /** Exits the drill did not cause, with their code: restarted like a supervisor would. */
  readonly unexpectedExits: Array<{ at: number; code: number | null; signal: string | null }> = [];
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();
  private expectingExit = false;
  private stopping = false;

  constructor(readonly spec: ProcessSpec) {}

  get name(): ProcessName {
    return this.spec.name;
  }

  /** Spawns the process and probes it until ready (not awaited by callers that only restart it). */
  start(): void {
    if (this.stopping || this.child) return;
    this.starts += 1;
    this.state = 'starting';
    appendFileSync(this.spec.logFile, `\n--- drill: start #${this.starts} of ${this.name} at ${new Date().toISOString()}\n`);
    const offset = statSync(this.spec.logFile).size;
    const fd = openSync(this.spec.logFile, 'a');
    const child = spawn(this.spec.command, this.spec.args, { cwd: this.spec.cwd, env: this.spec.env, stdio: ['ignore', fd, fd], detached: true });
    closeSync(fd);
    this.child = child;
    if (child.pid) live.add(child.pid);
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        if (child.pid) live.delete(child.pid);
        // Anything left in the group (none expected: each process is one node) goes with its leader.
        if (child.pid) killGroup(child.pid);
        this.child = undefined;
        this.state = 'stopped';
        const ours = this.expectingExit;
        this.expectingExit = false;
        resolve();
        if (!ours && !this.stopping) {
          this.unexpectedExits.push({ at: Date.now(), code, signal });
          // A supervisor's restart, with a short pause so a process that cannot start does not spin.
          void pause(1_000).then(() => this.start());
        }
      });
    });
    void this.probe(child, offset);
  }

  private async probe(child: ChildProcess, offset: number): Promise<void> {
    while (this.child === child && this.state === 'starting') {
      if (await this.spec.ready(offset).catch(() => false)) {
        if (this.child === child) this.state = 'ready';
        return;
      }
      await pause(200);
    }
  }

  /** SIGKILL to the process group: no shutdown hook runs, exactly like a machine losing power. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child?.pid) return;
    this.kills += 1;
    this.expectingExit = true;
    killGroup(child.pid);
    await this.exited;
  }

  /** Resolves once ready; rejects if not ready within `timeoutMs`. */
  async waitReady(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.state !== 'ready') {
      if (Date.now() > until) throw new Error(`${this.name} not ready after ${Math.round(timeoutMs / 1000)} s (log: ${this.spec.logFile})`);
      await pause(100);
    }
  }

  /** For good: no restart afterwards. */
  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child?.pid) return;
    this.expectingExit = true;
    killGroup(child.pid);
    await this.exited;
  }
}

/** Runs a one-shot command (migrations, the first admin key) to its end; rejects on a non-zero exit. */
export function runToEnd(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv; logFile: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    if (child.pid) live.add(child.pid);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (child.pid) live.delete(child.pid);
      appendFileSync(options.logFile, `\n--- drill: ${command} ${args.join(' ')} → exit ${code}\n${out}`);
      if (code === 0) resolve(out);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

/** The worker's readiness: its log says the SDK worker is RUNNING (it has no port to probe). */
export function logSays(file: string, pattern: RegExp): (offset: number) => Promise<boolean> {
  return async (offset) => {
    // Only this start's output (the file holds every start), read from its byte offset on.
    const fd = openSync(file, 'r');
    try {
      const length = Math.max(0, statSync(file).size - offset);
      const buf = Buffer.alloc(Math.min(length, 4 * 1024 * 1024));
      const n = readSync(fd, buf, 0, buf.length, offset);
      return pattern.test(buf.subarray(0, n).toString('utf8'));
    } finally {
      closeSync(fd);
    }
  };
}
