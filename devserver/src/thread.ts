/**
 * The dev server on a thread of its own, for a process that embeds it beside busy work of its own
 * (the after-sales platform's `npm start`: API, worker and server in one process).
 *
 * Why a thread: in one event loop, every gRPC call the SDK makes waits behind the embedding
 * process's work and that work waits behind the server's — the server's handlers, HTTP/2 and
 * persistence were about a third of a busy platform's main thread. On a thread the server has its
 * own event loop and heap and can use another core; to its clients it is the same server on a
 * port. Why not a child process: a thread ends with its process however that ends (a child
 * killed along with its parent is easy to leave behind, holding the port and the log).
 *
 * The thread runs the compiled server (`dist/`, built by `npm run build`), whichever of `src/` or
 * `dist/` this file was loaded from: a thread does not inherit a TypeScript loader from a test
 * runner. `DevServer.call` and `engine` are for callers in the server's own thread, so a thread
 * offers only the address, the HTTP URL and `stop`.
 */
import { Worker } from 'node:worker_threads';
import type { DevServerOptions } from './options.js';

export interface DevServerThread {
  address: string;
  port: number;
  httpUrl?: string;
  /** Stops the server (as `DevServer.stop`: its log flushed and closed), then the thread. */
  stop(): Promise<void>;
}

/** What the thread says (thread-worker.ts). */
export type ThreadMessage = { started: { address: string; port: number; httpUrl?: string } } | { failed: string };

/** The compiled entry, from `src/thread.ts` and from `dist/thread.js` alike. */
const ENTRY = new URL('../dist/thread-worker.js', import.meta.url);

/**
 * Starts a dev server on a new thread. Resolves once it listens; rejects with the server's own
 * message when it cannot start (a port in use, a log it cannot open). Should the thread fail
 * later, `onError` hears it (default: the error is thrown in this process, as it would be were the
 * server in this thread).
 */
export function startDevServerThread(options: DevServerOptions, onError: (err: Error) => void = (err) => { throw err; }): Promise<DevServerThread> {
  // No inherited flags: a TypeScript loader or an inspector port of the process are not the thread's.
  const worker = new Worker(ENTRY, { workerData: options, execArgv: [] });
  let stopping: Promise<void> | undefined;
  let exited = false;
  return new Promise((resolve, reject) => {
    let started = false;
    worker.on('message', (m: ThreadMessage) => {
      if ('started' in m) {
        started = true;
        resolve({
          ...m.started,
          stop: () =>
            (stopping ??= new Promise<void>((done) => {
              // A thread that already ended (it failed, and onError heard why) has nothing left to stop.
              if (exited) return done();
              worker.once('exit', () => done());
              worker.postMessage('stop');
            })),
        });
      } else {
        reject(new Error(m.failed));
        void worker.terminate();
      }
    });
    worker.on('error', (err) => (started ? onError(err) : reject(err)));
    worker.on('exit', (code) => {
      exited = true;
      if (!started) reject(new Error(`the dev server's thread exited (code ${code}) before it listened`));
      else if (!stopping) onError(new Error(`the dev server's thread exited (code ${code})`));
    });
  });
}
