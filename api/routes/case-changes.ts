/**
 * GET /v1/case-changes: server-sent events for the console (issue 13) — `event: case` with what a
 * list shows of a case each time its row in the read model changes (the caller's merchant's cases;
 * an admin's: all), and a `: ping` comment every 15 s so proxies keep the stream open. The key is
 * sent as a header (the console reads the stream with fetch(), not EventSource), never in the URL.
 * A storefront may follow its merchant's cases too: an event holds the case's id, type, stage,
 * status and time of change, all of which GET /v1/cases/{caseId} shows it (nothing staff-only), and
 * tells it when to read the case again instead of polling each one. Not a customer token: the
 * stream is the merchant's, not one customer's.
 *
 * A stream lives as long as its client: it is counted once by the rate limiter, never answered by
 * the idempotency hooks (GET), and measured by the metrics when it ends. It ends when the client
 * goes away, when the key is revoked (checked at each ping), when the client reads too slowly,
 * when the feed's connection is lost (the client reconnects) and when the app closes.
 */
import { PassThrough, type Readable } from 'node:stream';
import { Type } from 'typebox';
import type { ApiApp } from '../typed-app.js';
import type pg from 'pg';
import { principalOf } from '../auth.js';
import type { ApiDeps } from '../context.js';
import { ApiError } from '../errors.js';
import { CaseChangeEvent } from '../responses.js';
import { CaseChangeFeed, readModelConnection, type CaseChange } from './case-change-feed.js';
import { CONSOLE_ROLES } from './console.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The app's one listener of case changes (its `size` is the number of open streams). */
    caseChanges: CaseChangeFeed;
  }
}

export const PING_INTERVAL_MS = 15_000;
/**
 * Streams one key may hold open at once: an agent's console tabs (one stream each), a storefront's
 * listeners. Each stream costs the API memory, a timer and a key check every ping, and storefront
 * keys (integrations, not people) take the feed too: a leak there must not open thousands.
 */
export const MAX_STREAMS_PER_KEY = 20;
/** Unsent bytes a stream may hold before its reader is taken for gone (it reconnects and reloads). */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface CaseChangeOptions {
  /** Where to LISTEN (default: the read model's own pool settings). */
  connection?: pg.ClientConfig;
  pingIntervalMs?: number;
}

export function caseChangeRoutes(app: ApiApp, deps: ApiDeps, options: CaseChangeOptions = {}): void {
  const feed = new CaseChangeFeed(options.connection ?? readModelConnection(deps.repos.db), (m) => app.log.warn(m));
  app.decorate('caseChanges', feed);
  // Before the server stops taking requests: an open stream would keep app.close() waiting.
  app.addHook('preClose', async () => feed.close());
  const pingMs = options.pingIntervalMs ?? PING_INTERVAL_MS;
  const openPerKey = new Map<string, number>();

  app.get(
    '/v1/case-changes',
    {
      config: { roles: [...CONSOLE_ROLES, 'STOREFRONT'] },
      exposeHeadRoute: false,
      schema: {
        tags: ['console', 'storefront'],
        summary: 'Live updates: a server-sent event each time one of your cases changes',
        description:
          'A `text/event-stream` that stays open: `event: case` with `data:` a JSON object `{ caseId, merchantId, type, stage, status, updatedAt }` each time a case row of the read model changes (your merchant’s cases; an admin’s: all), and a `: ping` comment every 15 s. Read it with fetch() and the `Authorization` header. Nothing missed while disconnected is replayed: after a reconnect, reload what you show (a storefront: sync with GET /v1/cases?order=updated).',
        // No parameters: a `since` or `after` would look taken while the stream still starts now.
        querystring: Type.Object({}, { additionalProperties: false }),
        // The reply is the stream itself; the schema documents what each event's `data` holds.
        response: { 200: { description: 'The stream of case changes', content: { 'text/event-stream': { schema: Type.Unsafe<Readable>(CaseChangeEvent) } } } },
      },
    },
    async (request, reply) => {
      const p = principalOf(request);
      const key = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1] ?? '';
      const open = openPerKey.get(p.id) ?? 0;
      if (open >= MAX_STREAMS_PER_KEY) {
        reply.header('retry-after', '30');
        throw new ApiError(429, 'RATE_LIMITED', `this key has ${open} live update streams open already (at most ${MAX_STREAMS_PER_KEY}): close one, or share one stream`);
      }
      openPerKey.set(p.id, open + 1);
      const stream = new PassThrough();
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const left = (openPerKey.get(p.id) ?? 1) - 1;
        if (left > 0) openPerKey.set(p.id, left);
        else openPerKey.delete(p.id);
      };
      const send = (text: string) => {
        if (stream.writableLength > MAX_BUFFERED_BYTES) stream.end();
        else if (!stream.writableEnded) stream.write(text);
      };
      const mine = (c: CaseChange) => p.role === 'ADMIN' || c.merchantId === p.merchantId;
      const unsubscribe = await feed
        .subscribe({ onChange: (c) => mine(c) && send(`event: case\ndata: ${JSON.stringify(c)}\n\n`), onEnd: () => stream.end() })
        .catch((err: Error) => {
          release();
          request.log.warn({ err }, 'case changes: cannot listen');
          throw new ApiError(503, 'UNAVAILABLE', 'live case updates are unavailable right now: retry later');
        });
      const ping = setInterval(() => {
        send(': ping\n\n');
        void deps.repos.credential(key).then((still) => still || stream.end(), () => undefined);
      }, pingMs);
      // Fastify destroys the stream when the client goes away; ending it ourselves closes it too.
      stream.on('close', () => {
        clearInterval(ping);
        unsubscribe();
        release();
      });
      stream.write('retry: 5000\n\n');
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
}
