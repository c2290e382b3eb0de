import { alreadyExists, invalidArgument, notFound } from '../errors.js';
import { fromB64, jsonPayload, type Payload } from '../proto.js';

export type IndexedValueType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

export const INDEXED_VALUE_TYPES: readonly IndexedValueType[] = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];

const isType = (t: unknown): t is IndexedValueType => INDEXED_VALUE_TYPES.includes(t as IndexedValueType);

/** `KeywordList` → `INDEXED_VALUE_TYPE_KEYWORD_LIST` (the OperatorService enum). */
export function toEnumName(type: IndexedValueType): string {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

/** `INDEXED_VALUE_TYPE_KEYWORD_LIST` → `KeywordList`; UNSPECIFIED or anything else is INVALID_ARGUMENT. */
export function fromEnumName(name: string): IndexedValueType {
  const t = INDEXED_VALUE_TYPES.find((type) => toEnumName(type) === name);
  if (!t) throw invalidArgument(`unknown search attribute type ${String(name)}`);
  return t;
}

/** Case-insensitive type name, as on the command line (`--search-attribute Name=Keyword`). */
export function parseIndexedValueType(name: string): IndexedValueType {
  const t = INDEXED_VALUE_TYPES.find((type) => type.toLowerCase() === String(name).toLowerCase());
  if (!t) throw invalidArgument(`unknown search attribute type ${name} (expected one of ${INDEXED_VALUE_TYPES.join(', ')})`);
  return t;
}

const SYSTEM: Readonly<Record<string, IndexedValueType>> = {
  WorkflowId: 'Keyword',
  RunId: 'Keyword',
  WorkflowType: 'Keyword',
  ExecutionStatus: 'Keyword',
  TaskQueue: 'Keyword',
  StartTime: 'Datetime',
  CloseTime: 'Datetime',
  ExecutionTime: 'Datetime',
  ExecutionDuration: 'Int',
  HistoryLength: 'Int',
  HistorySizeBytes: 'Int',
  ParentWorkflowId: 'Keyword',
  ParentRunId: 'Keyword',
  RootWorkflowId: 'Keyword',
  RootRunId: 'Keyword',
  TemporalChangeVersion: 'KeywordList',
  BuildIds: 'KeywordList',
  BatcherUser: 'Keyword',
  TemporalScheduledById: 'Keyword',
  TemporalScheduledStartTime: 'Datetime',
  // Set on the real server's internal scheduler workflows; the Web UI counts by it on its schedules page.
  TemporalNamespaceDivision: 'Keyword',
};

/** System attributes a workflow or client may write itself (`patched()` upserts TemporalChangeVersion). */
const WRITABLE_SYSTEM = new Set(['TemporalChangeVersion', 'BuildIds', 'BatcherUser', 'TemporalScheduledById']);

const DEFAULT_CUSTOM: Readonly<Record<string, IndexedValueType>> = {
  CustomKeywordField: 'Keyword',
  CustomStringField: 'Text',
  CustomTextField: 'Text',
  CustomIntField: 'Int',
  CustomDoubleField: 'Double',
  CustomBoolField: 'Bool',
  CustomDatetimeField: 'Datetime',
};

// Dashes and dots are allowed because list queries can back-quote such names (`new-search-attr`).
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/;

// Anchored, no nested quantifiers: linear. Date, optional time, optional zone (none = UTC).
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch ms of an ISO-8601 / RFC 3339 time (digits beyond ms are dropped), or undefined if it is not one. */
export function parseIsoTime(s: string): number | undefined {
  const m = ISO.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '0', mi = '0', sec = '0', frac = '', zone = 'Z'] = m;
  const [Y, M, D, H, Mi, S] = [y, mo, d, h, mi, sec].map(Number) as [number, number, number, number, number, number];
  if (M < 1 || M > 12 || D < 1 || D > 31 || H > 23 || Mi > 59 || S > 60) return undefined;
  let ms = Date.UTC(Y, M - 1, D, H, Mi, S, Number(frac.padEnd(3, '0').slice(0, 3)));
  if (new Date(Date.UTC(Y, M - 1, D)).getUTCDate() !== D) return undefined; // 2026-02-30
  if (zone !== 'Z' && zone !== 'z') {
    const digits = zone.replace(':', '');
    const offset = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || '0');
    ms -= (zone[0] === '-' ? -1 : 1) * offset * 60_000;
  }
  return Number.isFinite(ms) ? ms : undefined;
}

/** The JSON inside a payload: `null` for an absent/empty payload, `undefined` if it is not JSON. */
export function decodeJson(payload: Payload | undefined): unknown {
  if (!payload?.data) return null;
  try {
    return JSON.parse(fromB64(payload.data));
  } catch {
    return undefined;
  }
}

/** The type a payload says it has (`metadata.type`), if any. */
export function payloadType(payload: Payload | undefined): IndexedValueType | undefined {
  const t = payload?.metadata?.type;
  if (!t) return undefined;
  const name = fromB64(t);
  return isType(name) ? name : undefined;
}

/**
 * The JSON value of a search attribute payload. Legacy (untyped) payloads are JSON arrays: for
 * scalar types (from `type`, else from `metadata.type`) a one-element array is unwrapped.
 */
export function decodeValue(payload: Payload | undefined, type: IndexedValueType | undefined = payloadType(payload)): unknown {
  const v = decodeJson(payload);
  if (Array.isArray(v) && type && type !== 'KeywordList') return v.length === 1 ? v[0] : v.length === 0 ? null : v;
  return v;
}

/** Null JSON, an empty payload, and (legacy SDK API) an empty array all mean "remove this attribute" in an upsert. */
function isRemoval(value: unknown): boolean {
  return value === null || (Array.isArray(value) && value.length === 0);
}

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');

/** The search attributes known in one namespace, and the checks values pass on the way in. */
export class SearchAttributeRegistry {
  private readonly customTypes: Record<string, IndexedValueType>;

  constructor(custom: Readonly<Record<string, IndexedValueType>> = DEFAULT_CUSTOM) {
    this.customTypes = { ...custom };
  }

  /** From `toJSON()` output; nothing saved (older state) means the defaults. */
  static fromJSON(json: unknown): SearchAttributeRegistry {
    if (json === null || typeof json !== 'object' || Array.isArray(json)) return new SearchAttributeRegistry();
    const custom: Record<string, IndexedValueType> = {};
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) if (isType(v) && NAME.test(k)) custom[k] = v;
    return new SearchAttributeRegistry(custom);
  }

  /** Only the custom map: system attributes are fixed. */
  toJSON(): Record<string, IndexedValueType> {
    return { ...this.customTypes };
  }

  add(name: string, type: IndexedValueType): void {
    if (typeof name !== 'string' || !NAME.test(name)) throw invalidArgument(`search attribute name ${JSON.stringify(name)} is not valid`);
    if (!isType(type)) throw invalidArgument(`unknown search attribute type ${String(type)} for ${name}`);
    if (Object.hasOwn(SYSTEM, name)) throw alreadyExists(`Search attribute ${name} is reserved by system.`);
    if (Object.hasOwn(this.customTypes, name)) throw alreadyExists(`Search attribute ${name} already exists.`);
    this.customTypes[name] = type;
  }

  remove(name: string): void {
    if (!Object.hasOwn(this.customTypes, name)) throw notFound(`Search attribute ${name} doesn't exist.`);
    delete this.customTypes[name];
  }

  typeOf(name: string): IndexedValueType | undefined {
    return Object.hasOwn(SYSTEM, name) ? SYSTEM[name] : Object.hasOwn(this.customTypes, name) ? this.customTypes[name] : undefined;
  }

  isSystem(name: string): boolean {
    return Object.hasOwn(SYSTEM, name);
  }

  custom(): Record<string, IndexedValueType> {
    return { ...this.customTypes };
  }

  system(): Record<string, IndexedValueType> {
    return { ...SYSTEM };
  }

  /**
   * Normalised copy for storage (start, continue-as-new, child start): known, writable names only,
   * values checked against the registered type, legacy arrays unwrapped, `metadata.type` stamped.
   * Removal markers (null, empty) are dropped: there is nothing to remove from.
   */
  validate(fields: Record<string, Payload> | undefined): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const [name, value] of this.normalise(fields)) if (value) out[name] = value;
    return out;
  }

  /** Applies an upsert to stored attributes: removal markers delete, everything else is validated and replaces. */
  merge(current: Record<string, Payload>, upsert: Record<string, Payload> | undefined): Record<string, Payload> {
    const next = { ...current };
    for (const [name, value] of this.normalise(upsert)) {
      if (value) next[name] = value;
      else delete next[name];
    }
    return next;
  }

  /** Copy with `metadata.type` set on every payload: the SDK's typed decoder drops attributes without it. */
  stamp(fields: Record<string, Payload> | undefined): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const [name, payload] of Object.entries(fields ?? {})) {
      const type = this.typeOf(name);
      out[name] = type ? { ...payload, metadata: { ...payload?.metadata, type: b64(type) } } : payload;
    }
    return out;
  }

  /** The JSON value of a stored attribute, using the registered type to unwrap legacy arrays. */
  value(name: string, payload: Payload | undefined): unknown {
    return decodeValue(payload, this.typeOf(name) ?? payloadType(payload));
  }

  /** name → normalised payload, or null for a removal. */
  private normalise(fields: Record<string, Payload> | undefined): Array<[string, Payload | null]> {
    if (fields !== undefined && (fields === null || typeof fields !== 'object')) throw invalidArgument('search attributes must be a map');
    return Object.entries(fields ?? {}).map(([name, payload]) => {
      const type = Object.hasOwn(this.customTypes, name) ? this.customTypes[name] : WRITABLE_SYSTEM.has(name) ? SYSTEM[name] : undefined;
      if (!type) {
        if (Object.hasOwn(SYSTEM, name)) throw invalidArgument(`search attribute ${name} is reserved by system`);
        throw invalidArgument(`search attribute ${name} is not defined`);
      }
      const raw = decodeJson(payload);
      if (isRemoval(raw)) return [name, null];
      return [name, jsonPayload(coerce(name, type, raw), type)];
    });
  }
}

/** Checks a value against the registered type; legacy (untyped) payloads arrive as one-element arrays. */
function coerce(name: string, type: IndexedValueType, raw: unknown): unknown {
  const bad = () => invalidArgument(`invalid value for search attribute ${name} of type ${type}: ${JSON.stringify(raw) ?? 'not JSON'}`);
  if (type === 'KeywordList') {
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.every((v) => typeof v === 'string')) throw bad();
    return list;
  }
  let v = raw;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw bad(); // a scalar type holds one value
    v = v[0];
  }
  switch (type) {
    case 'Keyword':
    case 'Text':
      if (typeof v !== 'string') throw bad();
      return v;
    case 'Int':
      if (typeof v !== 'number' || !Number.isInteger(v)) throw bad();
      return v;
    case 'Double':
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad();
      return v;
    case 'Bool':
      if (typeof v !== 'boolean') throw bad();
      return v;
    case 'Datetime':
      if (typeof v !== 'string' || parseIsoTime(v) === undefined) throw bad();
      return v;
  }
}
