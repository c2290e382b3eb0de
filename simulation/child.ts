/**
 * The simulator's process (started by simulation/process.ts, never by hand): runs the simulator
 * on the parent's requests over IPC and answers with progress and results.
 *
 * Messages in: `start` (simulator options), `run` (cases, policies, options), `close`. Out:
 * `ready` or `failed`, then per run `progress` and `result` or `error`. When the parent goes away
 * the process closes its simulator and ends.
 */
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startSimulator, type Simulator } from './engine.js';
import type { ToChild, ToParent } from './process.js';

// The worker's own logs stay out of the platform's output; its failures reach the parent as messages.
Runtime.install({ logger: new DefaultLogger('WARN') });

// After the parent has gone, sending would raise an uncaught 'error': nothing is listening any more.
const send = (message: ToParent) => void (process.connected && process.send?.(message));
let simulator: Simulator | undefined;

/** How long closing may take before the process ends anyway (a workflow stuck in a loop never lets its worker stop). */
const CLOSE_LIMIT_MS = 5_000;

async function close(code: number): Promise<never> {
  setTimeout(() => process.exit(code), CLOSE_LIMIT_MS).unref();
  await simulator?.close().catch(() => undefined);
  process.exit(code);
}

/** Tells the parent the run's clock moved, at most once a second (its stall watch: simulation/process.ts). */
function alive(): () => void {
  let told = 0;
  return () => {
    if (Date.now() - told < 1_000) return;
    told = Date.now();
    send({ type: 'alive' });
  };
}

// The parent is gone (ended, crashed, killed): nothing here is durable, so end at once.
process.on('disconnect', () => process.exit(0));
process.on('message', (message: ToChild) => {
  switch (message.type) {
    case 'start':
      startSimulator(message.options).then(
        (s) => {
          simulator = s;
          send({ type: 'ready' });
        },
        (err: Error) => send({ type: 'failed', message: err.message }),
      );
      return;
    case 'run':
      if (!simulator) return send({ type: 'error', message: 'the simulator has not started' });
      simulator
        .run(message.cases, message.policies, { ...message.options, onProgress: (done, total) => send({ type: 'progress', done, total }), onClockMoved: alive() })
        .then(
          (results) => send({ type: 'result', results }),
          (err: Error) => send({ type: 'error', message: err.message }),
        );
      return;
    case 'close':
      void close(0);
  }
});
