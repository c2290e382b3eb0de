/**
 * The console's static files (issue 13): the SvelteKit build in `console/build` (adapter-static,
 * `fallback: 'index.html'`, `paths.base = '/console'`) served at /console/. Public and never rate
 * limited: the files hold no data (everything comes from the API with the person's key) — so this
 * is registered before the rate limiter and authentication (api/app.ts), whose hooks then do not
 * apply here. A path that is not a file answers index.html (the app routes in the browser).
 *
 * Compression: the build writes each file's brotli and gzip forms beside it, sent to a browser that
 * accepts them; index.html, which this module sends itself, goes as it is (about 2 KB).
 *
 * Caching: SvelteKit names what is under `_app/immutable/` by content hash, so those are cached for
 * a year; index.html is revalidated every time (it names the current hashes). The page's
 * Content-Security-Policy allows scripts from here plus the inline bootstrap blocks of index.html by
 * their sha256 (read again whenever index.html changes, so a rebuild needs no restart).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ApiApp } from '../typed-app.js';

export const DEFAULT_CONSOLE_DIR = fileURLToPath(new URL('../../console/build', import.meta.url));
const IMMUTABLE = '/_app/immutable/';

/** The sha256 sources of the inline <script> blocks of a page (`'sha256-…'`). */
export function inlineScriptHashes(html: string): string[] {
  const hashes = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/i.test(m[1]!) || !m[2]) continue;
    hashes.push(`'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
  }
  return hashes;
}

export function consolePolicy(scriptHashes: string[]): string {
  return [
    "default-src 'self'",
    // Evidence photos are links to wherever the shop keeps them.
    "img-src 'self' data: https: http:",
    "style-src 'self' 'unsafe-inline'",
    ["script-src 'self'", ...scriptHashes].join(' '),
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** index.html and the policy that allows its inline scripts, read again when the file changes. */
function indexPage(dir: string) {
  const file = path.join(dir, 'index.html');
  let cached: { mtimeMs: number; html: string; policy: string } | undefined;
  return async (): Promise<{ html: string; policy: string } | undefined> => {
    const info = await stat(file).catch(() => undefined);
    if (!info?.isFile()) return (cached = undefined);
    if (cached?.mtimeMs !== info.mtimeMs) {
      const html = await readFile(file, 'utf8');
      cached = { mtimeMs: info.mtimeMs, html, policy: consolePolicy(inlineScriptHashes(html)) };
    }
    return cached;
  };
}

export async function consolePages(app: ApiApp, options: { dir?: string } = {}): Promise<void> {
  const dir = path.resolve(options.dir ?? DEFAULT_CONSOLE_DIR);
  const index = indexPage(dir);
  // Read once now, so a missing build shows in the start-up log rather than at the first visit.
  if (!(await index())) app.log.warn(`console: ${path.join(dir, 'index.html')} is missing; /console/ answers 503 until \`npm run console:build\``);

  const sendIndex = async (reply: FastifyReply) => {
    const page = await index();
    if (!page) return reply.status(503).type('text/plain; charset=utf-8').header('cache-control', 'no-store').send('The console is not built: run `npm run console:build`, then reload.\n');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').header('content-security-policy', page.policy).send(page.html);
  };
  const notFound = (reply: FastifyReply) => reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');

  async function serve(request: FastifyRequest, reply: FastifyReply) {
    const pathname = request.url.split('?')[0]!;
    if (pathname === '/console') return reply.redirect('/console/');
    reply.header('x-content-type-options', 'nosniff').header('referrer-policy', 'no-referrer').header('content-security-policy', consolePolicy([]));
    let file: string;
    try {
      file = decodeURIComponent(pathname.slice('/console/'.length));
    } catch {
      return notFound(reply);
    }
    if (file === '' || file === 'index.html') return sendIndex(reply);
    const resolved = path.resolve(dir, file);
    if (!resolved.startsWith(dir + path.sep) || file.includes('\0')) return notFound(reply);
    if ((await stat(resolved).catch(() => undefined))?.isFile()) return reply.sendFile(file);
    // A content-hashed file that is not there is a 404, never the page in its place.
    if (`/${file}`.startsWith(IMMUTABLE)) return notFound(reply);
    // Any other path is a page of the app (its router reads the path): index.html.
    return sendIndex(reply);
  }

  await app.register(async (scope) => {
    // Decorates this scope's replies with sendFile; the routes are ours (below).
    await scope.register(fastifyStatic, {
      root: dir,
      serve: false,
      index: false,
      cacheControl: false,
      // The build writes .br and .gz beside each file (console/svelte.config.js): the browser gets
      // the one it accepts, with Vary: accept-encoding; anything else the file as it is.
      preCompressed: true,
      // The warning about a missing build is ours (above), with what to do.
      suppressWarning: true,
      setHeaders(reply, file) {
        const relative = `/${path.relative(dir, file).split(path.sep).join('/')}`;
        reply.header('cache-control', relative.startsWith(IMMUTABLE) ? 'public, max-age=31536000, immutable' : 'no-cache');
      },
    });
    // Answered in this scope's first hook. The app adds its rate limiter and authentication after
    // this scope exists, and Fastify appends hooks added to a parent later after a child's own, so
    // neither runs for these files (a page load is a dozen of them; they hold no data).
    scope.addHook('onRequest', async (request, reply) => serve(request, reply));
    const route = { schema: { hide: true }, config: { auth: 'public' as const } };
    scope.get('/console', route, serve);
    scope.get('/console/*', route, serve);
  });
}
