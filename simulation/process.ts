/**
 * The simulator in a process of its own (simulation/child.ts), as the platform's what-if job runs
 * it (worker/policy-simulation.ts). Same `Simulator` interface as `startSimulator`.
 *
 * Why a process: a month of cases keeps two cores busy for a minute and holds most of a gigabyte;
 * in the platform's process that is the API's event loop and heap. In its own, the operating
 * system shares the cores, the memory goes back when it ends, and a run that stops moving can be
 * killed: so its workflow sandbox runs without the SDK's deadlock timeout (`unguardedSandbox`,
 * simulation/engine.ts), and instead a run that reports no progress for `stallMs` is ended here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from './result.js';
import type { RecordedCase } from './recorded.js';
import type { SimulationOptions, SimulationPolicies, Simulator, SimulatorOptions } from './engine.js';

export type ToChild =
  | { type: 'start'; options: SimulatorOptions }
  | { type: 'run'; cases: readonly RecordedCase[]; policies: SimulationPolicies; options: Omit<SimulationOptions, 'onProgress' | 'onClockMoved'> }
  | { type: 'close' };

export type ToParent =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'progress'; done: number; total: number }
  /** The run's clock moved (at most about once a second): alive, though no batch finished yet. */
  | { type: 'alive' }
  | { type: 'result'; results: CaseResult[] }
  | { type: 'error'; message: string };

export interface SimulatorProcessOptions extends Omit<SimulatorOptions, 'unguardedSandbox'> {
  /**
   * A run whose clock does not move for this long (no input reached, no run-on step done, no batch
   * finished: a workflow stuck in a loop) is ended and its process killed. Default 5 minutes.
   */
  stallMs?: number;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A simulator in its own process; `pid` for whoever watches its memory (the benchmark). */
export interface SimulatorProcess extends Simulator {
  readonly pid: number;
}

/** How long the simulator's process may take to start its dev servers and workers. */
const START_LIMIT_MS = 2 * 60_000;
/** How long closing may take before the process is killed (the child itself gives up after 5 s). */
const CLOSE_LIMIT_MS = 15_000;

export async function startSimulatorProcess(options: SimulatorProcessOptions = {}): Promise<SimulatorProcess> {
  const { stallMs = 5 * 60_000, ...simulatorOptions } = options;
  // `--import tsx` resolves from the project root, where the platform itself runs it from.
  const child: ChildProcess = fork(CHILD, [], { cwd: PROJECT_ROOT, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  /** Why the process can take no more work, once it cannot. */
  let gone: string | undefined;
  /** The pending start or run, told when the process goes. */
  let onGone: ((why: string) => void) | undefined;
  const end = (why: string) => {
    gone ??= why;
    onGone?.(gone);
  };
  child.on('exit', (code, signal) => end(signal ? `its process was stopped (${signal})` : `its process ended (exit code ${code})`));
  child.on('disconnect', () => end('its process closed its channel'));
  // A failed spawn or a message that could not be sent: the process is of no more use.
  child.on('error', (err) => {
    end(`its process failed: ${err.message}`);
    child.kill('SIGKILL');
  });
  const kill = (why: string) => {
    end(why);
    child.kill('SIGKILL');
  };
  /** Sends, or reports why it could not (the callback covers a channel that closes meanwhile). */
  const send = (message: ToChild, failed: (err: Error) => void) => {
    if (gone || !child.connected) return failed(new Error(`the simulator is gone: ${gone ?? 'its channel is closed'}`));
    try {
      child.send(message, (err) => err && failed(err));
    } catch (err) {
      failed(err as Error); // e.g. a value that cannot be cloned
    }
  };

  await new Promise<void>((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(limit);
      child.off('message', started);
      onGone = undefined;
      kill(why);
      reject(new Error(`the simulator did not start: ${why}`));
    };
    const limit = setTimeout(() => fail(`not ready after ${START_LIMIT_MS / 1000} s`), START_LIMIT_MS);
    onGone = (why) => fail(why);
    function started(m: ToParent) {
      if (m.type === 'ready') {
        clearTimeout(limit);
        child.off('message', started);
        onGone = undefined;
        resolve();
      } else if (m.type === 'failed') fail(m.message);
    }
    child.on('message', started);
    send({ type: 'start', options: { ...simulatorOptions, unguardedSandbox: true } }, (err) => fail(err.message));
  });

  let running = false;
  return {
    pid: child.pid!,
    run(cases, policies, runOptions = {}) {
      if (gone) return Promise.reject(new Error(`the simulator is gone: ${gone}`));
      if (running) return Promise.reject(new Error('the simulator runs one simulation at a time'));
      running = true;
      const { onProgress, onClockMoved: _moved, ...rest } = runOptions;
      return new Promise<CaseResult[]>((resolve, reject) => {
        let lastHeard = Date.now();
        const fail = (err: Error) => {
          settle();
          reject(err);
        };
        const watch = setInterval(() => {
          if (Date.now() - lastHeard < stallMs) return;
          const seconds = Math.round(stallMs / 1000);
          fail(new Error(`the simulation made no progress for ${seconds} s (a simulated case may be stuck in its workflow); its process was stopped`));
          kill(`its process was stopped after ${seconds} s without progress`);
        }, Math.max(10, Math.min(stallMs / 4, 10_000)));
        const listen = (m: ToParent) => {
          lastHeard = Date.now();
          if (m.type === 'progress') onProgress?.(m.done, m.total);
          else if (m.type === 'result') {
            settle();
            resolve(m.results);
          } else if (m.type === 'error') fail(new Error(m.message));
        };
        onGone = (why) => fail(new Error(`the simulation stopped: ${why}`));
        function settle() {
          clearInterval(watch);
          child.off('message', listen);
          onGone = undefined;
          running = false;
        }
        child.on('message', listen);
        send({ type: 'run', cases, policies, options: rest }, (err) => {
          // A run that never reached the process leaves it in an unknown state: end it.
          fail(new Error(`the simulation could not be sent to its process: ${err.message}`));
          kill(`its process was stopped: the run could not be sent (${err.message})`);
        });
      });
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      const timer = setTimeout(() => child.kill('SIGKILL'), CLOSE_LIMIT_MS);
      send({ type: 'close' }, () => child.kill('SIGKILL'));
      await exited;
      clearTimeout(timer);
    },
  };
}
