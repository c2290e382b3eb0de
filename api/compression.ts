/**
 * The API's answers compressed for a client that accepts it (Accept-Encoding: br or gzip), as
 * integrators expect of a JSON API: a page of cases, the register or the OpenAPI document shrink to
 * a fifth or less. Only answers already in memory (JSON, CSV, the OpenAPI page's text) of at least
 * 1 KiB: a case opening's small answer costs no CPU, and a stream — the case-change feed's
 * event-stream, an export written as it is read — is never held back to compress it. The console's
 * own files are precompressed at build time (api/routes/console-pages.ts) and pass through as sent.
 * Compression runs on libuv's threads (zlib's async calls), off the event loop.
 */
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);

/** Smaller answers go as they are: their headers weigh about as much as compression would save. */
export const COMPRESS_FROM_BYTES = 1024;
const COMPRESSIBLE = /^(application\/(json|problem\+json|xml|javascript)|text\/(csv|plain|html|css|javascript))\b/;

/** The encoding to answer in: brotli, else gzip, as the request accepts (q=0 refuses one). */
export function chosenEncoding(accept: string | undefined): 'br' | 'gzip' | undefined {
  if (!accept) return undefined;
  const accepted = new Map<string, number>();
  for (const part of accept.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const wanted = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return wanted('br') ? 'br' : wanted('gzip') ? 'gzip' : undefined;
}

export function installCompression(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
    if (reply.hasHeader('content-encoding')) return payload;
    const type = String(reply.getHeader('content-type') ?? '');
    if (!COMPRESSIBLE.test(type)) return payload;
    // Whatever the answer, a cache must keep it apart by the encoding asked for (a HEAD's too).
    reply.header('vary', varyWith(reply.getHeader('vary')));
    if (request.method === 'HEAD') return payload;
    const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
    if (body.length < COMPRESS_FROM_BYTES) return payload;
    const encoding = chosenEncoding(request.headers['accept-encoding']);
    if (!encoding) return payload;
    // Brotli at quality 4: about gzip's speed, a smaller result; 11 (the default) is for build time.
    const packed = encoding === 'br' ? await brotli(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 4, [constants.BROTLI_PARAM_SIZE_HINT]: body.length } }) : await gzipped(body);
    reply.header('content-encoding', encoding);
    reply.removeHeader('content-length');
    return packed;
  });
}

function varyWith(vary: unknown): string {
  const names = String(vary ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return names.some((v) => v.toLowerCase() === 'accept-encoding' || v === '*') ? names.join(', ') : [...names, 'Accept-Encoding'].join(', ');
}
