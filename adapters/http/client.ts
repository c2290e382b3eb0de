/**
 * The one HTTP path every provider client goes through: JSON in and out, a per-request timeout,
 * an HMAC signature over the exact bytes sent, the Idempotency-Key header on mutating calls, and
 * the mapping of every failure onto the adapter error table.
 */
import { AdapterError } from '../errors.js';
import { sign, SIGNATURE_HEADER } from './signature.js';

export interface HttpAdapterConfig {
  /** e.g. https://pay.example.com/api — paths are appended to it. */
  baseUrl: string;
  /** Shared HMAC secret with the provider. */
  secret: string;
  /** Per request, headers and body included. */
  timeoutMs: number;
  /** Epoch ms; injectable for tests. */
  now?: () => number;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  idempotencyKey?: string;
}

export interface HttpClient {
  request<T>(req: HttpRequest): Promise<T>;
}

export function createHttpClient(provider: string, config: HttpAdapterConfig): HttpClient {
  if (!(config.timeoutMs > 0)) throw new Error(`${provider}: timeoutMs must be > 0`);
  if (!config.secret) throw new Error(`${provider}: a signing secret is required`);
  const base = new URL(config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`);
  const now = config.now ?? Date.now;

  return {
    async request<T>(req: HttpRequest): Promise<T> {
      const url = new URL(req.path.replace(/^\//, ''), base);
      const body = req.body === undefined ? '' : JSON.stringify(req.body);
      const headers: Record<string, string> = {
        accept: 'application/json',
        [SIGNATURE_HEADER]: sign(config.secret, body, Math.floor(now() / 1000)),
      };
      if (req.body !== undefined) headers['content-type'] = 'application/json';
      if (req.idempotencyKey !== undefined) headers['Idempotency-Key'] = req.idempotencyKey;

      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), config.timeoutMs);
      try {
        const res = await fetch(url, { method: req.method, headers, body: req.body === undefined ? undefined : body, signal: controller.signal });
        // The timer stays armed while the body is read: a provider that stalls mid-body is a timeout too.
        const text = await res.text();
        if (res.ok) return parseSuccess<T>(provider, text, res.status);
        throw errorFromResponse(provider, res.status, text, res.headers.get('retry-after'), now());
      } catch (err) {
        if (err instanceof AdapterError) throw err;
        if (controller.signal.aborted) {
          throw new AdapterError('TRANSIENT', provider, `${req.method} ${url.pathname} timed out after ${config.timeoutMs} ms`, { code: 'TIMEOUT', cause: err });
        }
        // fetch rejects with a TypeError for refused connections, resets, DNS failures.
        throw new AdapterError('TRANSIENT', provider, `${req.method} ${url.pathname} failed: ${describe(err)}`, { code: 'NETWORK', cause: err });
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

function parseSuccess<T>(provider: string, text: string, status: number): T {
  try {
    return (text ? JSON.parse(text) : {}) as T;
  } catch {
    // Retrying is safe (the call is idempotent) and the provider may answer properly next time.
    throw new AdapterError('TRANSIENT', provider, `unparseable ${status} response`, { code: 'BAD_RESPONSE', status });
  }
}

/** 5xx / 408 / 425 / 429 retry; 400 invalid; 404 not found; every other 4xx is a business refusal. */
export function errorFromResponse(provider: string, status: number, text: string, retryAfter: string | null, nowMs: number): AdapterError {
  const { code, message } = errorBody(text);
  const retryAfterMs = parseRetryAfter(retryAfter, nowMs);
  const opts = { status, code: code ?? `HTTP_${status}`, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  const msg = message ?? `HTTP ${status}`;
  if (status >= 500 || status === 408 || status === 425 || status === 429) return new AdapterError('TRANSIENT', provider, msg, opts);
  if (status === 400) return new AdapterError('INVALID_REQUEST', provider, msg, opts);
  if (status === 404) return new AdapterError('NOT_FOUND', provider, msg, opts);
  if (status >= 400) return new AdapterError('REJECTED', provider, msg, opts);
  // 1xx/3xx that fetch did not resolve: nothing was promised, so asking again is safe.
  return new AdapterError('TRANSIENT', provider, `unexpected HTTP ${status}`, opts);
}

/** Accepts `{ code, message }` and `{ error: { code, message } }`; anything else yields nothing (bodies may hold personal data). */
function errorBody(text: string): { code?: string; message?: string } {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const e = (parsed && typeof parsed.error === 'object' && parsed.error !== null ? parsed.error : parsed) as Record<string, unknown>;
    return {
      ...(typeof e.code === 'string' && e.code ? { code: e.code } : {}),
      ...(typeof e.message === 'string' && e.message ? { message: e.message.slice(0, 500) } : {}),
    };
  } catch {
    return {};
  }
}

function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : undefined;
}

function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  return cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
}
