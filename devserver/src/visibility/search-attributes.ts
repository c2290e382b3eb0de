import { alreadyExists, invalidArgument, notFound } from '../errors.js';
import { fromB64, jsonPayload, type Payload } from '../proto.js';

export type IndexedValueType = 'Text' | 'Keyword' | 'Int' | 'Double' | 'Bool' | 'Datetime' | 'KeywordList';

const TYPES: IndexedValueType[] = ['Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'];

/** `KeywordList` → `INDEXED_VALUE_TYPE_KEYWORD_LIST` (the OperatorService enum). */
export function toEnumName(type: IndexedValueType): string {
  return `INDEXED_VALUE_TYPE_${type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}`;
}

export function fromEnumName(name: string): IndexedValueType {
  const t = TYPES.find((type) => toEnumName(type) === name);
  if (!t) throw invalidArgument(`unknown search attribute type ${name}`);
  return t;
}

/** Case-insensitive type name, as on the command line (`--search-attribute Name=Keyword`). */
export function parseIndexedValueType(name: string): IndexedValueType {
  const t = TYPES.find((type) => type.toLowerCase() === name.toLowerCase());
  if (!t) throw invalidArgument(`unknown search attribute type ${name} (expected one of ${TYPES.join(', ')})`);
  return t;
}

const SYSTEM: Record<string, IndexedValueType> = {
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
};

/** Attributes a workflow may set itself although they are system ones (patching writes TemporalChangeVersion). */
const WRITABLE_SYSTEM = new Set(['TemporalChangeVersion', 'BuildIds', 'BatcherUser', 'TemporalScheduledById']);

const DEFAULT_CUSTOM: Record<string, IndexedValueType> = {
  CustomKeywordField: 'Keyword',
  CustomStringField: 'Text',
  CustomTextField: 'Text',
  CustomIntField: 'Int',
  CustomDoubleField: 'Double',
  CustomBoolField: 'Bool',
  CustomDatetimeField: 'Datetime',
};

const NAME = /^[A-Za-z_][A-Za-z0-9_\-.]*$/;

export function decodeJson(payload: Payload | undefined): unknown {
  if (!payload?.data) return null;
  try {
    return JSON.parse(fromB64(payload.data));
  } catch {
    return undefined;
  }
}

/** The search attributes known in one namespace, and the checks values pass on the way in. */
export class SearchAttributeRegistry {
  private customTypes: Record<string, IndexedValueType>;

  constructor(custom: Record<string, IndexedValueType> = DEFAULT_CUSTOM) {
    this.customTypes = { ...custom };
  }

  static fromJSON(json: unknown): SearchAttributeRegistry {
    const custom: Record<string, IndexedValueType> = {};
    for (const [k, v] of Object.entries((json ?? {}) as Record<string, string>)) {
      if (TYPES.includes(v as IndexedValueType)) custom[k] = v as IndexedValueType;
    }
    return new SearchAttributeRegistry(custom);
  }

  toJSON(): Record<string, IndexedValueType> {
    return { ...this.customTypes };
  }

  add(name: string, type: IndexedValueType): void {
    if (!NAME.test(name)) throw invalidArgument(`search attribute name ${JSON.stringify(name)} is not valid`);
    if (!TYPES.includes(type)) throw invalidArgument(`unknown search attribute type ${type}`);
    if (SYSTEM[name] || this.customTypes[name]) throw alreadyExists(`Search attribute ${name} already exists.`);
    this.customTypes[name] = type;
  }

  remove(name: string): void {
    if (!this.customTypes[name]) throw notFound(`Search attribute ${name} doesn't exist.`);
    delete this.customTypes[name];
  }

  typeOf(name: string): IndexedValueType | undefined {
    return SYSTEM[name] ?? this.customTypes[name];
  }

  custom(): Record<string, IndexedValueType> {
    return { ...this.customTypes };
  }

  system(): Record<string, IndexedValueType> {
    return { ...SYSTEM };
  }

  /** Normalised copy for storage: known names only, values of the registered type, `metadata.type` stamped. */
  validate(fields: Record<string, Payload>): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const [name, payload] of Object.entries(fields ?? {})) {
      const type = this.customTypes[name] ?? (WRITABLE_SYSTEM.has(name) ? SYSTEM[name] : undefined);
      if (!type) throw invalidArgument(`search attribute ${name} is not defined`);
      const value = decodeJson(payload);
      if (value === null) {
        out[name] = payload; // removal marker in an upsert
        continue;
      }
      out[name] = jsonPayload(coerce(name, type, value), type);
    }
    return out;
  }

  /** Applies an upsert: a null value removes the attribute. */
  merge(current: Record<string, Payload>, upsert: Record<string, Payload>): Record<string, Payload> {
    const next = { ...current };
    for (const [name, payload] of Object.entries(this.validate(upsert))) {
      if (decodeJson(payload) === null) delete next[name];
      else next[name] = payload;
    }
    return next;
  }

  /** Copy with `metadata.type` set on every payload: the SDK's typed decoder drops attributes without it. */
  stamp(fields: Record<string, Payload>): Record<string, Payload> {
    const out: Record<string, Payload> = {};
    for (const [name, payload] of Object.entries(fields ?? {})) {
      const type = this.typeOf(name);
      out[name] = type ? { ...payload, metadata: { ...payload.metadata, type: Buffer.from(type).toString('base64') } } : payload;
    }
    return out;
  }

  /** The JSON value of a stored attribute. */
  value(name: string, payload: Payload | undefined): unknown {
    const v = decodeJson(payload);
    const type = this.typeOf(name);
    return Array.isArray(v) && type && type !== 'KeywordList' ? v[0] : v;
  }
}

/** Checks a value against the registered type; legacy (untyped) payloads arrive as one-element arrays. */
function coerce(name: string, type: IndexedValueType, raw: unknown): unknown {
  const bad = () => invalidArgument(`invalid value for search attribute ${name} of type ${type}: ${JSON.stringify(raw)}`);
  if (type === 'KeywordList') {
    const list = Array.isArray(raw) ? raw : [raw];
    if (!list.every((v) => typeof v === 'string')) throw bad();
    return list;
  }
  let v = raw;
  if (Array.isArray(v)) {
    if (v.length !== 1) throw bad();
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
      if (typeof v !== 'number') throw bad();
      return v;
    case 'Bool':
      if (typeof v !== 'boolean') throw bad();
      return v;
    case 'Datetime':
      if (typeof v !== 'string' || Number.isNaN(Date.parse(v))) throw bad();
      return v;
  }
}
