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
  | { type: 'run'; cases: readonly RecordedCase[]; policies: SimulationPolicies; options: Omit<SimulationOptions, 'onProgress'> }
  | { type: 'close' };

export type ToParent =
  | { type: 'ready' }
  | { type: 'failed'; message: string }
  | { type: 'progress'; done: number; total: number }
  | { type: 'result'; results: CaseResult[] }
  | { type: 'error'; message: string };

export interface SimulatorProcessOptions extends Omit<SimulatorOptions, 'unguardedSandbox'> {
  /** A run that reports no progress for this long is ended and its process killed. Default 5 minutes. */
  stallMs?: number;
}

const CHILD = fileURLToPath(new URL('./child.ts', import.meta.url));
const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A simulator in its own process; `pid` for whoever watches its memory (the benchmark). */
export interface SimulatorProcess extends Simulator {
  readonly pid: number;
}

export async function startSimulatorProcess(options: SimulatorProcessOptions = {}): Promise<SimulatorProcess> {
  const { stallMs = 5 * 60_000, ...simulatorOptions } = options;
  // `--import tsx` resolves from the project root, where the platform itself runs it from.
  const child: ChildProcess = fork(CHILD, [], { cwd: PROJECT_ROOT, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  let exited: string | undefined;
  let onExit: ((why: string) => void) | undefined;
  child.on('exit', (code, signal) => {
    exited ??= signal ? `its process was stopped (${signal})` : `its process ended (exit code ${code})`;
    onExit?.(exited);
  });

  await new Promise<void>((resolve, reject) => {
    onExit = (why) => reject(new Error(`the simulator did not start: ${why}`));
    child.once('error', reject);
    child.on('message', function started(m: ToParent) {
      if (m.type !== 'ready' && m.type !== 'failed') return;
      child.off('message', started);
      if (m.type === 'ready') resolve();
      else {
        child.kill('SIGKILL');
        reject(new Error(`the simulator did not start: ${m.message}`));
      }
    });
    child.send({ type: 'start', options: { ...simulatorOptions, unguardedSandbox: true } } satisfies ToChild);
  });

  let running = false;
  return {
    pid: child.pid!,
    run(cases, policies, runOptions = {}) {
      if (exited) return Promise.reject(new Error(`the simulator is gone: ${exited}`));
      if (running) return Promise.reject(new Error('the simulator runs one simulation at a time'));
      running = true;
      const { onProgress, ...rest } = runOptions;
      return new Promise<CaseResult[]>((resolve, reject) => {
        let lastHeard = Date.now();
        const watch = setInterval(() => {
          if (Date.now() - lastHeard < stallMs) return;
          settle();
          const seconds = Math.round(stallMs / 1000);
          exited = `its process was stopped after ${seconds} s without progress`;
          child.kill('SIGKILL');
          reject(new Error(`the simulation made no progress for ${seconds} s (a simulated case may be stuck in its workflow); its process was stopped`));
        }, Math.max(10, Math.min(stallMs / 4, 10_000)));
        const listen = (m: ToParent) => {
          lastHeard = Date.now();
          if (m.type === 'progress') onProgress?.(m.done, m.total);
          else if (m.type === 'result') {
            settle();
            resolve(m.results);
          } else if (m.type === 'error') {
            settle();
            reject(new Error(m.message));
          }
        };
        onExit = (why) => {
          settle();
          reject(new Error(`the simulation stopped: ${why}`));
        };
        function settle() {
          clearInterval(watch);
          child.off('message', listen);
          onExit = undefined;
          running = false;
        }
        child.on('message', listen);
        child.send({ type: 'run', cases, policies, options: rest } satisfies ToChild);
      });
    },
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.send({ type: 'close' } satisfies ToChild);
      // A child that does not end in time (its workflow thread stuck) is killed.
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
