/**
 * The API as a real client sees it while the platform is being killed: a refused connection, a
 * reset, a timeout or a 5xx/429 means "try again" — with the same Idempotency-Key, so a request
 * that did reach the platform is not done twice. Clients wait (back off) while the API is down.
 * A command answered 409 (the case already took it) or 404 for a case that already closed, after
 * an earlier attempt failed, is done: the failed attempt got through before the answer was lost.
 */
import { errorText, pause } from './util.js';

export interface Reply {
  status: number;
  body: any;
  /** True when a retry was answered 409/404: the command had been taken by an attempt whose answer was lost. */
  takenEarlier?: boolean;
}

export interface ClientStats {
  requests: number;
  /** Attempts repeated (connection error, timeout, 5xx, 429), POSTs with the same Idempotency-Key. */
  retries: number;
  connectionErrors: number;
  http5xx: number;
  http429: number;
  /** 409 IDEMPOTENCY_IN_PROGRESS: an earlier attempt still held the key; asked again after Retry-After. */
  inProgress: number;
  /** Commands answered 409/404 after a retry and counted done. */
  takenEarlier: number;
  /** Answers to a retried POST the API replayed from its idempotency record (`idempotent-replayed`). */
  replayed: number;
}

export class GaveUp extends Error {}

export class ApiClient {
  readonly stats: ClientStats = { requests: 0, retries: 0, connectionErrors: 0, http5xx: 0, http429: 0, inProgress: 0, takenEarlier: 0, replayed: 0 };

  constructor(
    private readonly baseUrl: string,
    private readonly options: { requestTimeoutMs: number; patienceMs: number; stopped: () => boolean },
  ) {}

  /**
   * One call, repeated until it gets an answer that is not a transient failure (or `patienceMs`
   * passes: then GaveUp). POSTs carry `idempotencyKey` on every attempt.
   */
  async call(method: 'GET' | 'POST' | 'PUT', path: string, key: string, body?: unknown, idempotencyKey?: string): Promise<Reply> {
    const until = Date.now() + this.options.patienceMs;
    let failedBefore = false;
    let lastProblem = '';
    for (let attempt = 1; ; attempt++) {
      if (this.options.stopped()) throw new GaveUp(`${method} ${path}: the drill is stopping`);
      if (Date.now() > until) throw new GaveUp(`${method} ${path}: no answer in ${Math.round(this.options.patienceMs / 1000)} s (last: ${lastProblem})`);
      if (attempt > 1) {
        this.stats.retries += 1;
        // Back off a little more each time, up to 2 s (the API comes back within seconds of a restart).
        await pause(Math.min(2_000, 100 * 2 ** Math.min(attempt - 2, 5)) + Math.floor(Math.random() * 100));
      }
      this.stats.requests += 1;
      let res: Response;
      let text: string;
      try {
        res = await fetch(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${key}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
            ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.requestTimeoutMs),
        });
        text = await res.text();
      } catch (err) {
        // Refused, reset, timed out: try again. Anything else (a bad URL…) is the drill's bug, not the platform's.
        const e = err as Error;
        if (e.name !== 'TimeoutError' && e.name !== 'AbortError' && e.message !== 'fetch failed' && e.message !== 'terminated') throw err;
        this.stats.connectionErrors += 1;
        failedBefore = true;
        lastProblem = errorText((err as { cause?: unknown }).cause ?? err);
        continue;
      }
      // Another attempt of this very request still holds the Idempotency-Key (its process may have
      // died): the API says when to ask again. Not an answer to the request, so not "taken earlier".
      const inProgress = res.status === 409 && (res.headers.has('retry-after') || text.includes('IDEMPOTENCY_IN_PROGRESS'));
      if (res.status >= 500 || res.status === 429 || inProgress) {
        this.stats[res.status === 429 ? 'http429' : inProgress ? 'inProgress' : 'http5xx'] += 1;
        failedBefore = true;
        lastProblem = `${res.status} ${text.slice(0, 200)}`;
        const retryAfter = Number(res.headers.get('retry-after'));
        if (retryAfter > 0) await pause(Math.min(retryAfter, 30) * 1000);
        continue;
      }
      let parsed: any;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = text;
      }
      if (res.headers.get('idempotent-replayed') === 'true') this.stats.replayed += 1;
      if (failedBefore && method === 'POST' && (res.status === 409 || res.status === 404)) {
        this.stats.takenEarlier += 1;
        return { status: res.status, body: parsed, takenEarlier: true };
      }
      return { status: res.status, body: parsed };
    }
  }
}
