/**
 * Ajv's schema errors turned into what a client can act on: every problem at once, each naming
 * the field as it sits in the request (`body.lines[0].reason`), unknown properties by name, and
 * enums with their allowed values (TypeBox writes an enum as `anyOf` of `const`s, for which Ajv
 * alone says only "must be equal to constant" once per value).
 */
import type { FastifySchemaValidationError } from 'fastify/types/schema.js';
import { Type, type TLiteral, type TUnion } from 'typebox';
import { HTTP_URL_REASON, httpUrlReason } from '../domain/evidence.js';

export interface Problem {
  field: string;
  reason: string;
  /** For an enum: every value the field may take. */
  allowed?: unknown[];
}

/**
 * The pattern of a text that must say something: at least one character that is neither white
 * space nor an invisible one (zero-width space, joiners, word joiner: an agent id of only those
 * assigned the case to nobody anyone could see).
 * A blank name, reason or carrier is refused by the schema with the request's other problems,
 * instead of by the workflow's check a round later.
 */
export const NOT_BLANK = '[^\\s\\u200B-\\u200D\\u2060\\uFEFF]';
/**
 * A local date or month of the years 1970–2999: the figures, the register and the budgets read
 * Postgres dates, which know no year 0 (a request for 0000-01-01 was a 500).
 */
export const LOCAL_DATE = '^(19[7-9]\\d|2\\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
export const LOCAL_MONTH = '^(19[7-9]\\d|2\\d{3})-(0[1-9]|1[0-2])$';
/**
 * A tracking number as labels print it, once normalised (domain/tracking-number.ts): ASCII letters,
 * digits, hyphens. "顺丰单号1234" or a number with emoji was taken and stored, a parcel no scan of a
 * label could ever match. Empty passes here: the length check says what is wrong with it.
 */
export const TRACKING_NUMBER_PATTERN = '^[A-Z0-9-]*$';
export const HTTP_URL_PATTERN = '^https?://';
/** A carrier's code, once a known carrier's name became its code (api/parcel-identifiers.ts, domain/carriers.ts). Empty passes: the length check says so. */
export const CARRIER_PATTERN = '^[A-Z0-9_-]*$';
export const CARRIER_REASON = "must be a carrier's code (SF, YTO, ZTO, STO, YUNDA, EMS, JD, JTEXPRESS, DEPPON, or the code in another carrier's callback URL: letters, digits, _ and -) or the name of one of those (顺丰, 中通快递, SF Express …)";
export const TRACKING_NUMBER_REASON = 'must be the letters, digits and hyphens the label prints (such as SF1400000000009): no carrier name or other text';
/** A currency as ISO 4217 writes it. */
export const CURRENCY_PATTERN = '^[A-Z]{3}$';
/** An id the platform mints or takes (a case, a merchant, a cursor): what a URL carries unescaped. */
export const ID_PATTERN = '^[A-Za-z0-9_-]{1,64}$';
/** A storefront's own reference for a case it opens. */
export const REFERENCE_PATTERN = '^[A-Za-z0-9_-]{6,64}$';
/** A carrier's code in a courier callback's URL, in any case (sf is SF): what COURIER_SECRETS names. */
export const CARRIER_PATH_PATTERN = '^[A-Za-z0-9_-]{1,32}$';
/** A courier's own claim number, as the claim filed with it carries it back. */
export const CLAIM_ID_PATTERN = '^[A-Za-z0-9_.:-]{1,64}$';
const PATTERN_REASONS: Record<string, string> = {
  [CURRENCY_PATTERN]: 'must be a currency code of three capital letters (ISO 4217), such as CNY or USD',
  [ID_PATTERN]: 'must be 1–64 of the letters A–Z and a–z, digits, _ and - (an id as the platform gives it)',
  [REFERENCE_PATTERN]: 'must be 6–64 of the letters A–Z and a–z, digits, _ and - (such as your order or ticket number)',
  [TRACKING_NUMBER_PATTERN]: TRACKING_NUMBER_REASON,
  [CARRIER_PATTERN]: CARRIER_REASON,
  [CARRIER_PATH_PATTERN]: "must be a carrier's code as COURIER_SECRETS names it: 1–32 letters, digits, _ and -",
  [CLAIM_ID_PATTERN]: 'must be the claim number the claim was filed with: 1–64 letters, digits, _ . : and -',
  // A link's scheme (api/schemas.ts HttpUrl): the same words as its format, so an ftp:// link is one problem, not two.
  [HTTP_URL_PATTERN]: HTTP_URL_REASON,
  [LOCAL_DATE]: 'must be a date YYYY-MM-DD of the years 1970–2999',
  [LOCAL_MONTH]: 'must be a month YYYY-MM of the years 1970–2999',
};
const BLANK_REASON = 'must not be blank';

/** The latest time a request may carry, in epoch milliseconds (the end of 2999; api/schemas.ts Instant). */
export const MAX_EPOCH_MS = Date.UTC(2999, 11, 31, 23, 59, 59, 999);
/**
 * The earliest: nothing a shop reports happened before 2000. Below it is a time sent in epoch
 * seconds, which read as milliseconds is January 1970: a shipment "56 years ago" closed a courier
 * claim's window before it opened, and a promised delivery then made a delay of 20,000 days.
 */
export const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
/** A time in epoch milliseconds (an Instant) sent as something else, typically a date text. */
export const EPOCH_REASON = 'must be a time in epoch milliseconds: a whole number such as 1795849800000 (2026-11-28T15:10:00Z), not a date text or a fraction';
export const DATE_TIME_REASON = 'must be a date and time with its zone, such as 2026-03-04T09:12:30.000Z or 2026-03-04T17:12:30+08:00 (in a query, write + as %2B)';
const isEpochSchema = (s: unknown) => !!s && typeof s === 'object' && (s as { type?: unknown; maximum?: unknown }).type === 'integer' && (s as { maximum?: unknown }).maximum === MAX_EPOCH_MS;

/** An amount (`…Minor`) sent with a fraction: amounts are whole minor units (fen, cents), said with the one it likely meant. */
export function minorUnitsReason(sent: number): string {
  // The example only where it reads right: at most two decimals, as yuan to fen.
  const asYuan = Number.isInteger(Math.round(sent * 100 * 1e6) / 1e6) ? `: ${sent} yuan is ${Math.round(sent * 100)}` : '';
  return `must be a whole number of minor units, got ${sent} (amounts are in the currency's smallest unit, fen or cents${asYuan})`;
}

/** Text a request must fill: not empty, not blank, at most `maxLength` characters. */
export const Text = (maxLength: number, options: { description?: string } = {}) => Type.String({ minLength: 1, pattern: NOT_BLANK, maxLength, ...options });

/**
 * One of a fixed list of strings, typed as that list's union: `Type.Union(values.map(Type.Literal))`
 * on a `const` tuple types as `never`, because TypeBox reads a union's members from a tuple type,
 * and `map` gives back an array.
 */
export function OneOf<const V extends readonly string[]>(values: V, options: { description?: string } = {}): TUnion<{ -readonly [K in keyof V]: TLiteral<V[K]> }> {
  return Type.Union(values.map((v) => Type.Literal(v)), options) as TUnion<{ -readonly [K in keyof V]: TLiteral<V[K]> }>;
}

type AjvError = FastifySchemaValidationError & { schema?: unknown; parentSchema?: unknown; data?: unknown };

/** `/lines/0/sku` → `lines[0].sku` */
function fieldPath(context: string, instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (child !== undefined) parts.push(child);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : `${acc}.${p}`), context);
}

const constsOf = (schema: unknown): unknown[] | undefined => {
  if (!Array.isArray(schema) || !schema.every((s) => s && typeof s === 'object' && 'const' in s)) return undefined;
  return schema.map((s) => (s as { const: unknown }).const);
};
const isNullSchema = (s: unknown) => !!s && typeof s === 'object' && (s as { type?: unknown }).type === 'null';

export function problemsOfValidation(errors: FastifySchemaValidationError[], context: string): Problem[] {
  const all = errors as AjvError[];
  const problems: Problem[] = [];
  // Errors inside a union (anyOf/oneOf branch) are summarised by the union's own error.
  const unions = all.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  const insideUnion = (e: AjvError) => unions.some((u) => u !== e && e.schemaPath.startsWith(`${u.schemaPath}/`));
  for (const e of all) {
    if (insideUnion(e)) continue;
    const params = (e.params ?? {}) as Record<string, unknown>;
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      const field = fieldPath(context, e.instancePath);
      const allowed = constsOf(e.schema);
      if (allowed) {
        problems.push({ field, reason: `must be one of: ${allowed.join(', ')}`, allowed });
        continue;
      }
      // A nullable value (X or null): report what is wrong against X.
      const branches = Array.isArray(e.schema) ? e.schema : [];
      const real = branches.findIndex((s) => !isNullSchema(s));
      if (branches.length === 2 && branches.some(isNullSchema)) {
        const prefix = `${e.schemaPath}/${real}/`;
        const inner = all.filter((x) => x.schemaPath.startsWith(prefix));
        if (inner.length) {
          problems.push(...problemsOfValidation(inner, context));
          continue;
        }
      }
      problems.push({ field, reason: 'does not match any of the allowed forms' });
      continue;
    }
    if (e.keyword === 'required') {
      problems.push({ field: fieldPath(context, e.instancePath, String(params.missingProperty)), reason: 'is required' });
    } else if (e.keyword === 'additionalProperties') {
      problems.push({ field: fieldPath(context, e.instancePath, String(params.additionalProperty)), reason: 'is not an allowed property' });
    } else if (e.keyword === 'enum') {
      const allowed = (params.allowedValues as unknown[]) ?? [];
      problems.push({ field: fieldPath(context, e.instancePath), reason: `must be one of: ${allowed.join(', ')}`, allowed });
    } else if (e.keyword === 'const') {
      problems.push({ field: fieldPath(context, e.instancePath), reason: `must be ${JSON.stringify(params.allowedValue)}`, allowed: [params.allowedValue] });
    } else if (e.keyword === 'pattern' && params.pattern === NOT_BLANK) {
      problems.push({ field: fieldPath(context, e.instancePath), reason: BLANK_REASON });
    } else if (e.keyword === 'pattern' && PATTERN_REASONS[String(params.pattern)]) {
      problems.push({ field: fieldPath(context, e.instancePath), reason: PATTERN_REASONS[String(params.pattern)]! });
    } else if (e.keyword === 'type' && params.type === 'integer' && /Minor$/.test(e.instancePath) && typeof e.data === 'number') {
      // An amount sent in yuan (39.9) for fen: Ajv's "must be integer" did not say which unit.
      problems.push({ field: fieldPath(context, e.instancePath), reason: minorUnitsReason(e.data) });
    } else if (e.keyword === 'type' && isEpochSchema(e.parentSchema)) {
      problems.push({ field: fieldPath(context, e.instancePath), reason: EPOCH_REASON });
    } else if (e.keyword === 'minimum' && isEpochSchema(e.parentSchema) && typeof e.data === 'number') {
      const looks = e.data >= 0 && e.data * 1000 >= MIN_EPOCH_MS && e.data * 1000 <= MAX_EPOCH_MS ? ` (${e.data} looks like seconds: ${e.data * 1000} milliseconds is ${new Date(e.data * 1000).toISOString()})` : '';
      // Below −8.64e15 ms there is no date to name (toISOString throws: a 500 on client input).
      const when = Number.isFinite(new Date(e.data).getTime()) ? new Date(e.data).toISOString() : 'before any date';
      problems.push({ field: fieldPath(context, e.instancePath), reason: `reads as ${when}: send epoch milliseconds, of a time since 2000${looks}` });
    } else if (e.keyword === 'format' && params.format === 'iri') {
      // Ajv's 'must match format "iri"' names a standard, not the rule (api/http-iri.ts); the domain's checks say the same words.
      problems.push({ field: fieldPath(context, e.instancePath), reason: httpUrlReason(e.data) });
    } else if (e.keyword === 'format' && params.format === 'date-time') {
      problems.push({ field: fieldPath(context, e.instancePath), reason: DATE_TIME_REASON });
    } else if (e.keyword === 'minItems' || e.keyword === 'maxItems') {
      // Ajv's "must NOT have fewer than 1 items".
      const n = Number(params.limit);
      problems.push({ field: fieldPath(context, e.instancePath), reason: e.keyword === 'minItems' ? (n === 1 ? 'must not be empty' : `must have at least ${n} entries`) : `must have at most ${n} entries` });
    } else if (e.keyword === 'maxLength') {
      problems.push({ field: fieldPath(context, e.instancePath), reason: `must be at most ${String(params.limit)} characters` });
    } else if (e.keyword === 'minLength') {
      // Ajv's "must NOT have fewer than 4 characters", in words a client reads.
      problems.push({ field: fieldPath(context, e.instancePath), reason: params.limit === 1 ? 'must not be empty' : `must be at least ${String(params.limit)} characters` });
    } else {
      problems.push({ field: fieldPath(context, e.instancePath), reason: e.message ?? 'is invalid' });
    }
  }
  // The same problem can be reached twice (a union nested in a union): report it once. An empty
  // string is too short and blank too: its length is the problem to name.
  const seen = new Set<string>();
  const tooShort = new Set(all.filter((e) => e.keyword === 'minLength').map((e) => fieldPath(context, e.instancePath)));
  return problems.filter((p) => !(p.reason === BLANK_REASON && tooShort.has(p.field)) && !seen.has(`${p.field}\0${p.reason}`) && seen.add(`${p.field}\0${p.reason}`));
}
