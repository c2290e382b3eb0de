/**
 * The HTTP side of the dev server: Temporal's HTTP API under `/api/v1/` and, when given a built
 * Web UI folder, the UI itself on the same origin (as `temporal server start-dev` serves both on
 * :8233).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { handleApi, type ApiOptions } from './api.js';
import { serveStatic } from './static-files.js';

export interface HttpServerOptions extends ApiOptions {
  port: number;
  ip: string;
  /** A built UI (the folder with `index.html`); without it only the API is served. */
  uiDir?: string;
}

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const uiDir = options.uiDir ? path.resolve(options.uiDir) : undefined;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    handleApi(options, req, res, url)
      .then((handled) => {
        if (!handled) serveStatic(uiDir, url.pathname, req.method ?? 'GET', res);
      })
      .catch((err) => {
        options.log(`HTTP ${req.method} ${url.pathname}: ${err instanceof Error ? err.stack : String(err)}`);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end();
      });
  });
  // Long polls (history with waitNewEvent) hold a request for up to 20 s: keep Node's own limits out of their way.
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  const hostForListen = options.ip;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, hostForListen, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.ip === '0.0.0.0' || options.ip === '::' ? '127.0.0.1' : options.ip.includes(':') ? `[${options.ip}]` : options.ip;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
