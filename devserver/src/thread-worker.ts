/** The dev server's thread (thread.ts): starts the server with the options it was given, stops it when asked. */
import { parentPort, workerData } from 'node:worker_threads';
import { startDevServer, type DevServerOptions } from './index.js';
import type { ThreadMessage } from './thread.js';

const port = parentPort!;
const say = (m: ThreadMessage) => port.postMessage(m);

try {
  const server = await startDevServer(workerData as DevServerOptions);
  port.on('message', (m) => {
    // Stopped, the server has flushed and closed its log: nothing of the thread is left to wait for.
    if (m === 'stop') void server.stop().finally(() => process.exit(0));
  });
  say({ started: { address: server.address, port: server.port, httpUrl: server.httpUrl } });
} catch (err) {
  say({ failed: err instanceof Error ? err.message : String(err) });
}
