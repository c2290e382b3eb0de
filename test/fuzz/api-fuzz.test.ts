/**
 * A property-based fuzz of the whole API, driven by its own OpenAPI document: every operation,
 * called by every kind of caller (each role, a customer, no key, a garbage key, a signed or
 * unsigned courier) with bodies that are the documented example, the example with one field
 * dropped, retyped or made hostile, an unknown field added, or any JSON at all; path parameters
 * real or hostile; query strings of hostile values. Whatever comes in, the answer is below 500 and
 * comes back, and the platform is healthy afterwards. `npm run fuzz -- --runs N` runs it longer.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { usePlatform } from '../e2e/platform-harness.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);
const SF_SECRET = 'sf-fuzz-secret-123';
// Fuzzing is many requests from one address: the limits would answer most of them with 429.
const pt = usePlatform({ COURIER_SECRETS: `SF=${SF_SECRET}`, RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', RATE_LIMIT_ANONYMOUS_PER_MINUTE: '1000000' });

interface Operation {
  method: string;
  path: string;
  example?: unknown;
  query: string[];
}
let operations: Operation[] = [];
let caseId = '';
let customerToken = '';

const HOSTILE = ['\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '__proto__', 'constructor', 'toString', "' OR 1=1 --", '../../etc/passwd', '%00', '%2e%2e%2f', '😀', '\u202eevil', ' ', '', 'null', '-1', '1e309', 'NaN', 'x'.repeat(70_000)];
const hostileString = fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 20 }));
const json: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    hostileString,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(hostileString, fc.string({ maxLength: 10 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** Every path to a value inside `v` (objects and arrays), to drop or replace one. */
function leaves(v: unknown, at: Array<string | number> = []): Array<Array<string | number>> {
  if (v && typeof v === 'object') return Object.entries(v).flatMap(([k, child]) => [[...at, Array.isArray(v) ? Number(k) : k], ...leaves(child, [...at, Array.isArray(v) ? Number(k) : k])]);
  return [];
}
function withChange(v: unknown, path: Array<string | number>, change: { drop: true } | { value: unknown }): unknown {
  const copy = structuredClone(v) as Record<string | number, unknown>;
  let node = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if ('drop' in change) {
    if (Array.isArray(node)) node.splice(Number(last), 1);
    else delete node[last];
  } else node[last] = change.value;
  return copy;
}

const bodyFor = (op: Operation): fc.Arbitrary<unknown> => {
  const example = op.example;
  const paths = leaves(example);
  const options: Array<fc.Arbitrary<unknown>> = [json, fc.constant(example)];
  if (paths.length) {
    options.push(fc.constantFrom(...paths).map((p) => withChange(example, p, { drop: true })));
    options.push(fc.tuple(fc.constantFrom(...paths), json).map(([p, value]) => withChange(example, p, { value })));
  }
  if (example && typeof example === 'object' && !Array.isArray(example)) options.push(fc.tuple(hostileString, json).map(([k, value]) => ({ ...(example as object), [k]: value })));
  return fc.oneof(...options);
};

/** Percent-encodes a path segment; a lone surrogate (not encodable as UTF-8) goes as the bytes of one. */
const segment = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return v.split('').map((c) => (/[\ud800-\udfff]/.test(c) ? '%ED%A0%80' : encodeURIComponent(c))).join('');
  }
};

const REAL: Record<string, () => string> = { caseId: () => caseId, carrier: () => 'SF', merchantId: () => 'demo-merchant', version: () => '1', day: () => '2026-11-30', period: () => '2026-11' };
const pathFor = (op: Operation) =>
  fc.tuple(...[...op.path.matchAll(/\{(\w+)\}/g)].map((m) => fc.oneof(fc.constant(REAL[m[1]!]?.() ?? 'unknown-id'), hostileString.filter((s) => s.length > 0)))).map((values) => {
    let i = 0;
    return op.path.replace(/\{\w+\}/g, () => segment(values[i++] as string));
  });
const queryFor = (op: Operation) =>
  op.query.length ? fc.dictionary(fc.constantFrom(...op.query), hostileString, { maxKeys: 3 }).map((q) => (Object.keys(q).length ? `?${new URLSearchParams(q as Record<string, string>)}` : '')) : fc.constant('');
/** One raw request; the answer's status only (bodies may be CSV, XLSX, empty or a stream). */
async function send(method: string, url: string, key: string | undefined, raw: string | undefined, headers: Record<string, string>): Promise<{ status: number; text: string }> {
  const res = await fetch(`${pt.platform.apiUrl}${url}`, {
    method,
    headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...(raw !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
    body: raw,
    signal: AbortSignal.timeout(60_000),
  });
  // A stream (GET /v1/case-changes) never ends: its status and headers are the answer.
  if (res.headers.get('content-type')?.startsWith('text/event-stream')) {
    await res.body?.cancel();
    return { status: res.status, text: '(an event stream)' };
  }
  return { status: res.status, text: await res.text() };
}

const callerFor = () => fc.constantFrom<string | undefined>(...Object.values(pt.keys), customerToken, undefined, 'garbage-key', '');

describe('the API under fuzzing', () => {
  beforeAll(async () => {
    const doc = (await pt.call('GET', '/docs/json', undefined)).body;
    for (const [path, ops] of Object.entries<Record<string, any>>(doc.paths)) {
      if (path.startsWith('/docs')) continue;
      for (const [method, op] of Object.entries<any>(ops)) {
        const content = op.requestBody?.content?.['application/json'];
        operations.push({ method: method.toUpperCase(), path, example: content?.example ?? content?.examples?.example1?.value, query: (op.parameters ?? []).filter((p: any) => p.in === 'query').map((p: any) => p.name) });
      }
    }
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, operations.find((o) => o.path === '/v1/returns')!.example);
    expect(opened.status).toBe(201);
    caseId = opened.body.caseId;
    customerToken = (await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'fuzz-customer' })).body.token;
    operations = operations.filter((o) => o.method !== 'DELETE' || !o.path.includes('keys')); // revoking the fuzzer's own keys would only test 401s from then on
  });

  it(`answers ${RUNS} hostile requests below 500, and stays healthy`, async () => {
    const failures: string[] = [];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...operations).chain((op) => fc.record({ op: fc.constant(op), url: fc.tuple(pathFor(op), queryFor(op)).map(([p, q]) => p + q), body: bodyFor(op), caller: callerFor(), signed: fc.boolean() })),
        async ({ op, url, body, caller, signed }) => {
          const raw = op.method === 'GET' || op.method === 'DELETE' ? undefined : JSON.stringify(body);
          const headers: Record<string, string> = signed && raw !== undefined ? { 'x-signature': sign(SF_SECRET, raw, Math.floor(Date.now() / 1000), { method: op.method, path: url }) } : {};
          const res = await send(op.method, url, caller || undefined, raw, headers).catch((err: Error) => ({ status: 599, text: `no answer: ${err.message}` }));
          if (res.status >= 500) failures.push(`${op.method} ${url.slice(0, 120)} → ${res.status} ${res.text.slice(0, 200)} (body ${raw?.slice(0, 200)})`);
          return res.status < 500;
        },
      ),
      { numRuns: RUNS, interruptAfterTimeLimit: 30 * 60_000, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) },
    ).catch((err) => {
      throw new Error(`${failures.slice(0, 5).join('\n')}\n${String(err).slice(0, 2000)}`);
    });
    expect((await pt.call('GET', '/ready', undefined)).status).toBe(200);
    expect((await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).status).toBe(200);
  }, 40 * 60_000);
});
