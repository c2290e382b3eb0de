/**
 * Poison input stops at the edge. A NUL character or a lone UTF-16 surrogate in a string cannot be
 * stored (Postgres refuses NUL in text and JSON; a lone surrogate turns into U+FFFD or an error on
 * the way to UTF-8), and once a workflow has accepted such a string its next database write fails
 * for ever. So every string of a request — the JSON body's values and property names however deep,
 * the querystring and the path parameters — is checked once, after authentication and before schema
 * validation, and a bad one is a 400 naming its field (`body.lines[0].sku`); so is JSON nested
 * deeper than any body needs (`MAX_DEPTH`). Stored headers
 * (`Idempotency-Key`) use `unsafeStringReason` themselves.
 */
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { badInput } from './errors.js';
import type { Problem } from './validation-problems.js';

export const UNSAFE_STRING_REASON = 'must not contain NUL or unpaired surrogate characters';
export const NOT_FINITE_REASON = 'must be a finite number';

/** NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const UNSAFE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/**
 * The bidirectional embedding, override and isolate controls: "f\u202e1" shows as another id than
 * it is in the console, a CSV or a log (the "trojan source" trick). Nothing this API takes needs
 * them: ids are the shop's own, texts Chinese or English.
 */
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
export const BIDI_REASON = 'must not contain bidirectional control characters (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069): they show text in another order than it is';
/**
 * Characters that show as nothing (zero-width spaces and joiners, the soft hyphen, a byte-order
 * mark, line and paragraph separators): harmless in a comment, but an id holding one is another
 * customer, order or SKU that reads the same as the real one. Refused in identifiers (IDENTIFIER_KEYS).
 */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200D\u2028\u2029\u2060-\u2064\uFEFF]/;
export const INVISIBLE_REASON = 'must not contain characters that show as nothing (zero-width spaces and joiners, U+00AD, U+FEFF, line separators): an id holding one reads the same as another';
/** The properties that name something by an id a person reads and compares: the customer, the order, goods, staff. */
const IDENTIFIER_KEYS = new Set(['id', 'customerId', 'orderId', 'sku', 'replacementSku', 'reference', 'by', 'scannedBy', 'agentId', 'returnCode', 'merchantId', 'label']);

export const isSafeString = (s: string): boolean => !UNSAFE.test(s) && !BIDI_CONTROLS.test(s);

/** The reason a string may not be stored, or undefined when it may. */
export const unsafeStringReason = (s: string): string | undefined => (UNSAFE.test(s) ? UNSAFE_STRING_REASON : BIDI_CONTROLS.test(s) ? BIDI_REASON : undefined);

/** The reason an identifier may not be stored: as any string, and nothing in it that shows as nothing. */
const unsafeIdentifierReason = (s: string): string | undefined => unsafeStringReason(s) ?? (INVISIBLE.test(s) ? INVISIBLE_REASON : undefined);

/** A property name as it can be shown: the bad characters escaped (`note\u0000`, `id\u202e`), never raw. */
const EVERY_BIDI_CONTROL = new RegExp(BIDI_CONTROLS.source, 'gu');
export const printable = (key: string) => JSON.stringify(key).slice(1, -1).replace(EVERY_BIDI_CONTROL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** Stop after this many: enough to fix a request, bounded however large the body is. */
const MAX_PROBLEMS = 20;

/**
 * How deep a request's JSON may nest. No body of this API needs a tenth of it; deeper, the
 * recursive code after this check (hashing a body for its Idempotency-Key, storing it as JSON)
 * could run out of stack: a 500 on client input.
 */
export const MAX_DEPTH = 32;
export const TOO_DEEP_REASON = `is nested more than ${MAX_DEPTH} levels deep`;

/**
 * Every unsafe string in `value` (values and property names), named from `root` the way schema
 * problems are named (`body.order.items[0].sku`). Iterative, so a deeply nested body cannot
 * overflow the stack.
 */
export function unsafeStrings(root: string, value: unknown): Problem[] {
  const problems: Problem[] = [];
  // Depth first, children pushed last-to-first: problems come in the order their fields appear.
  const stack: Array<{ field: string; value: unknown; depth: number; badKey?: string; key?: string }> = [{ field: root, value, depth: 0 }];
  while (stack.length && problems.length < MAX_PROBLEMS) {
    const { field, value: v, depth, badKey, key: name } = stack.pop()!;
    if (badKey) problems.push({ field, reason: `property name ${badKey}` });
    else if (depth > MAX_DEPTH && v !== null && typeof v === 'object') problems.push({ field, reason: TOO_DEEP_REASON });
    else if (typeof v === 'number') {
      // JSON.parse reads 1e309 as Infinity, and schema coercion turns "1e309" into it too.
      if (!Number.isFinite(v)) problems.push({ field, reason: NOT_FINITE_REASON });
    } else if (typeof v === 'string') {
      const unsafe = name !== undefined && IDENTIFIER_KEYS.has(name) ? unsafeIdentifierReason(v) : unsafeStringReason(v);
      if (unsafe) problems.push({ field, reason: unsafe });
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ field: `${field}[${i}]`, value: v[i], depth: depth + 1 });
    } else if (v !== null && typeof v === 'object') {
      const entries = Object.entries(v as Record<string, unknown>);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        const unsafeKey = unsafeStringReason(key);
        stack.push(unsafeKey ? { field: `${field}.${printable(key)}`, value: undefined, depth: depth + 1, badKey: unsafeKey } : { field: `${field}.${key}`, value: child, depth: depth + 1, key });
      }
    }
  }
  return problems;
}

const checkRequest: preValidationHookHandler = async function (request: FastifyRequest) {
  const problems = [...unsafeStrings('params', request.params), ...unsafeStrings('querystring', request.query), ...unsafeStrings('body', request.body)].slice(0, MAX_PROBLEMS);
  if (problems.length) throw badInput(problems);
};

/**
 * Adds the check to every route as the route's own `preValidation` hook: a route's hooks run after
 * the application's, so authentication — the bearer key when the request arrives, a courier's
 * signature over the raw body at preValidation — always comes first, and schema validation after.
 * Call before the routes are declared.
 */
export function installInputSafety(app: FastifyInstance): void {
  addToEveryRoute(app, checkRequest);
  // Ajv coerces a querystring's "1e309" to Infinity and lets it pass `maximum`: checked once more
  // after validation, before any handler can hand it to the database.
  app.addHook('preHandler', async (request) => {
    const problems = [...unsafeStrings('params', request.params), ...unsafeStrings('querystring', request.query)];
    if (problems.length) throw badInput(problems);
  });
}

/** Adds `hook` to every route declared from now on, after the route's own preValidation hooks (authentication first). */
export function addToEveryRoute(app: FastifyInstance, hook: preValidationHookHandler): void {
  app.addHook('onRoute', (route) => {
    const own = route.preValidation;
    route.preValidation = own === undefined ? [hook] : Array.isArray(own) ? [...own, hook] : [own, hook];
  });
}
