/**
 * The one way the console talks to the API: same origin, the person's key as a Bearer token (from
 * session storage, never a URL), JSON in and out, and every error answer turned into an
 * `ApiProblem` (the API's error shape: code, message, and each problem with the field it names), so
 * a form can show the API's own words next to the field they are about.
 */
import type { components } from './api/schema.js';

export type ErrorBody = components['schemas']['Error'];

/** Where the key lives while the tab is open (session storage only: gone when the tab closes). */
export const KEY_STORAGE = 'aftersales.console.key';

export const storedKey = (): string | null => (typeof sessionStorage === 'undefined' ? null : sessionStorage.getItem(KEY_STORAGE));
export const storeKey = (key: string) => sessionStorage.setItem(KEY_STORAGE, key);
export const forgetKey = () => sessionStorage.removeItem(KEY_STORAGE);

export interface Problem {
  field: string;
  reason: string;
  allowed?: unknown[];
}

export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly problems: Problem[] = [],
    /** Whether `message` is already in the reader's words (a refusal the console reworded): shown as it is. */
    readonly inReadersWords = false,
  ) {
    super(message);
    this.name = 'ApiProblem';
  }

  /**
   * What the API said about one form field. `field` is named as the API names it in the request
   * (`body.reason`, `body.rootCause`, `querystring.q`): a problem at that field or inside it
   * (`body.rootCause.category`) counts.
   */
  about(field: string): string | undefined {
    const hits = this.problems.filter((p) => p.field === field || p.field.startsWith(`${field}.`) || p.field.startsWith(`${field}[`));
    return hits.length ? hits.map((p) => p.reason).join('; ') : undefined;
  }

  /** The message to show above a form when no problem names one of `fields` (a refusal, a conflict). */
  general(fields: string[]): string | undefined {
    const named = this.problems.filter((p) => fields.some((f) => p.field === f || p.field.startsWith(`${f}.`) || p.field.startsWith(`${f}[`)));
    return named.length === this.problems.length && named.length > 0 ? undefined : this.message;
  }
}

/** Fired when the API says the key is no longer good (401): the shell signs the person out. */
export const UNAUTHENTICATED_EVENT = 'aftersales:unauthenticated';

/**
 * Fired (detail: the case id) when a command to a case is refused because the case has moved on
 * (409 WRONG_STATE: another agent, the customer or a deadline got there first): the case page
 * reloads and says so, instead of keeping a stage and forms that are no longer the case's.
 */
export const CASE_MOVED_ON_EVENT = 'aftersales:case-moved-on';
const CASE_COMMAND = /^\/v1\/cases\/([^/]+)\/[^/]+/;

type Query = Record<string, string | number | boolean | undefined | null | Array<string | number>>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** A key to use instead of the stored one (the sign-in form checks a key before keeping it). */
  key?: string;
  /** Request headers of the call's own (a create-only PUT's `if-none-match: *`). */
  headers?: Record<string, string>;
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function parseProblem(res: Response): Promise<ApiProblem> {
  let body: Partial<ErrorBody> | undefined;
  try {
    body = (await res.json()) as Partial<ErrorBody>;
  } catch {
    body = undefined;
  }
  const problems = Array.isArray(body?.problems) ? (body.problems as Problem[]) : [];
  return new ApiProblem(res.status, body?.error ?? `HTTP_${res.status}`, body?.message ?? `${res.status} ${res.statusText}`, problems);
}

export function authHeaders(key = storedKey()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Idempotency-Keys of POSTs that got no answer yet, by who sent what where. */
const unanswered = new Map<string, string>();

export async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, options: RequestOptions = {}): Promise<T> {
  const sender = options.key ?? storedKey();
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers, ...authHeaders(sender) };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  // A POST sent again after it got no answer (the network dropped it, the API was away) goes with
  // the key of the first try, so the API does the work once if the first did arrive. Sent again
  // after an answer, it is a new command with a new key (two notes with the same text are two notes).
  const retry = method === 'POST' ? `${sender ?? ''}\n${path}\n${body ?? ''}` : undefined;
  if (retry !== undefined) {
    const idempotencyKey = unanswered.get(retry) ?? crypto.randomUUID();
    unanswered.set(retry, idempotencyKey);
    headers['idempotency-key'] = idempotencyKey;
  }
  let res: Response;
  try {
    res = await fetch(`${path}${queryString(options.query)}`, { method, headers, body, signal: options.signal, credentials: 'omit', cache: 'no-store' });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiProblem(0, 'NETWORK', 'the API cannot be reached');
  }
  // A 5xx may come from a proxy in front of an API that did the work: that is no answer either.
  if (retry !== undefined && res.status < 500) unanswered.delete(retry);
  if (!res.ok) {
    const problem = await parseProblem(res);
    if (res.status === 401 && !options.key) window.dispatchEvent(new CustomEvent(UNAUTHENTICATED_EVENT));
    const command = method === 'POST' && problem.code === 'WRONG_STATE' ? CASE_COMMAND.exec(path) : null;
    if (command) window.dispatchEvent(new CustomEvent(CASE_MOVED_ON_EVENT, { detail: decodeURIComponent(command[1]!) }));
    throw problem;
  }
  if (res.status === 204) return undefined as T;
  const type = res.headers.get('content-type') ?? '';
  return (type.includes('json') ? await res.json() : await res.text()) as T;
}

export const get = <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal });
export const post = <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} });

/**
 * What a failed request means for a page: the API's problem (anything else wrapped as one), or
 * null when the page itself aborted it (its inputs changed): keep showing what was there.
 */
export function problemOf(err: unknown): ApiProblem | null {
  if ((err as Error).name === 'AbortError') return null;
  return err instanceof ApiProblem ? err : new ApiProblem(0, 'ERROR', String(err));
}
