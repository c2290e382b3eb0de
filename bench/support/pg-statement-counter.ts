/**
 * A Postgres wire-protocol proxy that counts the statements clients run through it: every simple
 * query ('Q') and every Execute of the extended protocol ('E'). Measured from outside the
 * platform, so nothing in it changes to be measured. Plain TCP, no TLS (a local server).
 */
import net from 'node:net';

export interface StatementCounter {
  /** A connection string like `target`, through the proxy. */
  url: string;
  /** Statements seen since start (or since the last `reset`), with their SQL where the client sent it. */
  count(): number;
  statements(): string[];
  reset(): void;
  close(): Promise<void>;
}

export async function startStatementCounter(target: string): Promise<StatementCounter> {
  const to = new URL(target);
  let seen: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(to.port || 5432), to.hostname);
    sockets.add(client).add(upstream);
    let buf = Buffer.alloc(0);
    let started = false;
    /** The SQL of the last Parse per connection, named by the Execute that follows. */
    let lastParsed = '';
    client.on('data', (chunk) => {
      upstream.write(chunk);
      buf = Buffer.concat([buf, chunk]);
      for (;;) {
        if (!started) {
          // The startup message (and an SSLRequest) carry no type byte.
          if (buf.length < 4) break;
          const len = buf.readInt32BE(0);
          if (buf.length < len) break;
          const code = buf.readInt32BE(4);
          buf = buf.subarray(len);
          if (code !== 80877103) started = true; // SSLRequest: the real startup follows
          continue;
        }
        if (buf.length < 5) break;
        const type = String.fromCharCode(buf[0]!);
        const len = buf.readInt32BE(1);
        if (buf.length < len + 1) break;
        const body = buf.subarray(5, len + 1);
        if (type === 'Q') seen.push(body.toString('utf8', 0, body.length - 1));
        if (type === 'P') {
          const nameEnd = body.indexOf(0);
          lastParsed = body.toString('utf8', nameEnd + 1, body.indexOf(0, nameEnd + 1));
        }
        if (type === 'E') seen.push(lastParsed);
        buf = buf.subarray(len + 1);
      }
    });
    upstream.on('data', (chunk) => client.write(chunk));
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const via = new URL(target);
  via.hostname = '127.0.0.1';
  via.port = String((server.address() as net.AddressInfo).port);
  return {
    url: via.toString(),
    count: () => seen.length,
    statements: () => [...seen],
    reset: () => void (seen = []),
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
