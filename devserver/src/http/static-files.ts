/**
 * The Web UI's built files (a single-page app): a file when it exists, `index.html` for every other
 * page path, so a reload or a shared link to `/namespaces/default/workflows/…` works.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ServerResponse } from 'node:http';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

function fileAt(root: string, pathname: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return undefined;
  }
  if (decoded.includes('\0')) return undefined;
  const file = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  if (file !== root && !file.startsWith(root + path.sep)) return undefined; // no way out of the build folder
  try {
    return fs.statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function send(res: ServerResponse, file: string, head: boolean, immutable: boolean): void {
  const stat = fs.statSync(file);
  res.writeHead(200, {
    'content-type': TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
    'content-length': stat.size,
    // Hashed bundle names never change content; the page itself must be fetched fresh after a rebuild.
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (head) return void res.end();
  fs.createReadStream(file).pipe(res);
}

export function serveStatic(root: string | undefined, pathname: string, method: string, res: ServerResponse): void {
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' });
    return void res.end('Method not allowed\n');
  }
  const index = root ? fileAt(root, '/index.html') : undefined;
  if (!root || !index) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    return void res.end('The Temporal Web UI is not built. Build it with `npm ci && npm run build` in the ui/ folder; the HTTP API is at /api/v1/.\n');
  }
  const file = pathname === '/' ? undefined : fileAt(root, pathname);
  if (file) return send(res, file, method === 'HEAD', pathname.includes('/immutable/'));
  // A missing asset is a 404; a page path is the app's to route.
  if (path.extname(pathname) && !pathname.endsWith('.html')) {
    res.writeHead(404, { 'content-type': 'text/plain' });
    return void res.end('Not found\n');
  }
  send(res, index, method === 'HEAD', false);
}
