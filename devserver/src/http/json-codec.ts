/**
 * Proto3 JSON (https://protobuf.dev/programming-guides/json/) for the HTTP API, written against
 * the protobufjs reflection the gRPC side already uses.
 *
 * The engine passes messages around as protobufjs `toObject` output (int64 as strings, enums as
 * names, bytes as base64 — see `proto.ts`), which is close to proto3 JSON but not it: timestamps
 * and durations are `{seconds, nanos}` objects, default values are present, and some fields are
 * attached as already-encoded bytes (`withEncodedField`). `toProto3Json` turns such an object into
 * exactly what Temporal's own HTTP API (grpc-gateway over protojson) answers; `fromProto3Json`
 * reads a request body, query string or path parameters back into the engine's shape.
 */
import type { Enum, Field, Type } from 'protobufjs';
import { invalidArgument } from '../errors.js';
import { encodedFieldOf, type Obj } from '../proto.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const TO_OBJECT = { longs: String, enums: String, bytes: String, json: true } as const;
const INT64 = new Set(['int64', 'uint64', 'sint64', 'fixed64', 'sfixed64']);
const NUMBER = new Set(['int32', 'uint32', 'sint32', 'fixed32', 'sfixed32', 'double', 'float']);
const WRAPPERS: Record<string, string> = {
  '.google.protobuf.DoubleValue': 'double',
  '.google.protobuf.FloatValue': 'float',
  '.google.protobuf.Int64Value': 'int64',
  '.google.protobuf.UInt64Value': 'uint64',
  '.google.protobuf.Int32Value': 'int32',
  '.google.protobuf.UInt32Value': 'uint32',
  '.google.protobuf.BoolValue': 'bool',
  '.google.protobuf.StringValue': 'string',
  '.google.protobuf.BytesValue': 'bytes',
};

const isEnum = (field: Field) => field.resolvedType !== null && 'values' in field.resolvedType && !('fields' in field.resolvedType);
const messageType = (field: Field) => (field.resolvedType && 'fields' in field.resolvedType ? (field.resolvedType as Type) : undefined);

function resolved(type: Type): Type {
  for (const f of type.fieldsArray) f.resolve();
  return type;
}

// --- fractions: protojson writes 0, 3, 6 or 9 digits ---

function fraction(nanos: number): string {
  if (nanos === 0) return '';
  if (nanos % 1_000_000 === 0) return `.${String(nanos / 1_000_000).padStart(3, '0')}`;
  if (nanos % 1_000 === 0) return `.${String(nanos / 1_000).padStart(6, '0')}`;
  return `.${String(nanos).padStart(9, '0')}`;
}

export function timestampToJson(t: Obj): string {
  const seconds = Number(t.seconds ?? 0);
  const nanos = Number(t.nanos ?? 0);
  const iso = new Date(seconds * 1000).toISOString(); // …T00:00:00.000Z
  return `${iso.slice(0, 19)}${fraction(nanos)}Z`;
}

export function durationToJson(d: Obj): string {
  const seconds = Number(d.seconds ?? 0);
  const nanos = Number(d.nanos ?? 0);
  const negative = seconds < 0 || nanos < 0;
  return `${negative ? '-' : ''}${Math.abs(seconds)}${fraction(Math.abs(nanos))}s`;
}

const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

export function timestampFromJson(value: unknown, field: string): Obj {
  const m = typeof value === 'string' ? RFC3339.exec(value) : null;
  const ms = m ? Date.parse(`${m[1]}${m[3]}`) : NaN;
  if (!m || Number.isNaN(ms)) throw invalidArgument(`${field}: ${JSON.stringify(value)} is not an RFC 3339 timestamp`);
  const nanos = m[2] ? Number(m[2].slice(1).padEnd(9, '0')) : 0;
  return { seconds: String(Math.floor(ms / 1000)), nanos };
}

export function durationFromJson(value: unknown, field: string): Obj {
  const m = typeof value === 'string' ? /^(-)?(\d+)(?:\.(\d{1,9}))?s$/.exec(value) : null;
  if (!m) throw invalidArgument(`${field}: ${JSON.stringify(value)} is not a duration such as "1.5s"`);
  const sign = m[1] ? -1 : 1;
  const nanos = m[3] ? Number(m[3].padEnd(9, '0')) : 0;
  return { seconds: String(sign * Number(m[2])), nanos: sign * nanos };
}

// --- to JSON ---

function scalarToJson(type: string, value: unknown): Json | undefined {
  if (INT64.has(type)) {
    const s = String(value);
    return s === '0' ? undefined : s;
  }
  if (NUMBER.has(type)) {
    const n = Number(value);
    if (Number.isNaN(n)) return 'NaN';
    if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : '-Infinity';
    return n === 0 ? undefined : n;
  }
  if (type === 'bool') return value ? true : undefined;
  if (type === 'bytes') {
    const s = typeof value === 'string' ? value : Buffer.from(value as Uint8Array).toString('base64');
    return s === '' ? undefined : s;
  }
  const s = String(value);
  return s === '' ? undefined : s;
}

function enumToJson(en: Enum, value: unknown): Json | undefined {
  const name = typeof value === 'number' ? en.valuesById[value] : String(value);
  if (name === undefined) return typeof value === 'number' && value !== 0 ? value : undefined; // unknown number: proto3 JSON keeps it
  return en.values[name] === 0 ? undefined : name;
}

/** One value of `field` (not repeated/map). `undefined` = the default value, omitted. */
function valueToJson(field: Field, value: unknown): Json | undefined {
  if (value === undefined || value === null) return undefined;
  const sub = messageType(field);
  if (sub) return messageToJson(sub, value as Obj);
  if (isEnum(field)) return enumToJson(field.resolvedType as Enum, value);
  return scalarToJson(field.type, value);
}

/** A message's JSON; a message that is set is always written, even when all its fields are default. */
export function messageToJson(type: Type, obj: Obj): Json {
  const full = type.fullName;
  if (full === '.google.protobuf.Timestamp') return timestampToJson(obj);
  if (full === '.google.protobuf.Duration') return durationToJson(obj);
  if (full === '.google.protobuf.FieldMask') return (obj.paths ?? []).join(',');
  if (WRAPPERS[full]) return scalarToJson(WRAPPERS[full]!, obj.value) ?? defaultScalar(WRAPPERS[full]!);
  const out: { [key: string]: Json } = {};
  for (const field of resolved(type).fieldsArray) {
    const bytes = encodedFieldOf(obj, field.name);
    const sub = messageType(field);
    if (bytes && sub) {
      out[field.name] = messageToJson(sub, sub.toObject(sub.decode(bytes), TO_OBJECT));
      continue;
    }
    const value = obj[field.name];
    if (value === undefined || value === null) continue;
    if (field.map) {
      const entries = Object.entries(value as Obj);
      if (!entries.length) continue;
      const map: { [key: string]: Json } = {};
      for (const [k, v] of entries) map[k] = valueToJson(field, v) ?? defaultOf(field);
      out[field.name] = map;
    } else if (field.repeated) {
      const list = value as unknown[];
      if (!list.length) continue;
      out[field.name] = list.map((v) => valueToJson(field, v) ?? defaultOf(field));
    } else {
      const json = valueToJson(field, value);
      // proto3 `optional` fields (and oneof members) are written when set, even to their default.
      if (json !== undefined) out[field.name] = json;
      else if (field.partOf || (field.options?.proto3_optional ?? false)) out[field.name] = defaultOf(field);
    }
  }
  return out;
}

function defaultScalar(type: string): Json {
  if (INT64.has(type)) return '0';
  if (NUMBER.has(type)) return 0;
  if (type === 'bool') return false;
  return '';
}

function defaultOf(field: Field): Json {
  if (messageType(field)) return {};
  if (isEnum(field)) return (field.resolvedType as Enum).valuesById[0] ?? 0;
  return defaultScalar(field.type);
}

// --- from JSON ---

const camel = (name: string) => name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function fieldOf(type: Type, key: string): Field | undefined {
  return resolved(type).fields[camel(key)] ?? type.fieldsArray.find((f) => f.name.toLowerCase() === key.toLowerCase());
}

function scalarFromJson(type: string, value: unknown, path: string): unknown {
  if (INT64.has(type)) {
    const s = typeof value === 'number' ? String(value) : value;
    if (typeof s !== 'string' || !/^-?\d+$/.test(s)) throw invalidArgument(`${path}: ${JSON.stringify(value)} is not an integer`);
    return s;
  }
  if (NUMBER.has(type)) {
    const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
    if (typeof n !== 'number' || Number.isNaN(n)) throw invalidArgument(`${path}: ${JSON.stringify(value)} is not a number`);
    if (type !== 'double' && type !== 'float' && !Number.isInteger(n)) throw invalidArgument(`${path}: ${JSON.stringify(value)} is not an integer`);
    return n;
  }
  if (type === 'bool') {
    if (value === true || value === 'true') return true;
    if (value === false || value === 'false') return false;
    throw invalidArgument(`${path}: ${JSON.stringify(value)} is not true or false`);
  }
  if (typeof value !== 'string') throw invalidArgument(`${path}: ${JSON.stringify(value)} is not a string`);
  if (type === 'bytes') {
    const std = value.replace(/-/g, '+').replace(/_/g, '/');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(std)) throw invalidArgument(`${path}: not base64`);
    return Buffer.from(std, 'base64').toString('base64');
  }
  return value;
}

function enumFromJson(en: Enum, value: unknown, path: string): string {
  const byNumber = typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value)) ? en.valuesById[Number(value)] : undefined;
  if (byNumber !== undefined) return byNumber;
  if (typeof value === 'string' && en.values[value] !== undefined) return value;
  const allowed = Object.keys(en.values).join(', ');
  throw invalidArgument(`${path}: ${JSON.stringify(value)} is not one of ${allowed}`);
}

function valueFromJson(field: Field, value: unknown, path: string): unknown {
  if (value === null) return undefined;
  const sub = messageType(field);
  if (sub) return messageFromJson(sub, value, path);
  if (isEnum(field)) return enumFromJson(field.resolvedType as Enum, value, path);
  return scalarFromJson(field.type, value, path);
}

/**
 * A request in proto3 JSON → the engine's object shape. Field names are accepted as JSON names
 * (camelCase) or proto names (snake_case). Unknown fields are dropped, as the real server's
 * gateway does (`DiscardUnknown`), so a newer UI keeps working; a value of the wrong kind is
 * INVALID_ARGUMENT naming the field.
 */
export function messageFromJson(type: Type, json: unknown, path = ''): Obj {
  const full = type.fullName;
  if (full === '.google.protobuf.Timestamp') return timestampFromJson(json, path);
  if (full === '.google.protobuf.Duration') return durationFromJson(json, path);
  if (full === '.google.protobuf.FieldMask') {
    if (typeof json !== 'string') throw invalidArgument(`${path}: a field mask is a comma-separated string`);
    return { paths: json ? json.split(',').map(camel) : [] };
  }
  if (WRAPPERS[full]) return { value: scalarFromJson(WRAPPERS[full]!, json, path) };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw invalidArgument(`${path || 'body'}: expected an object for ${full.slice(1)}`);
  }
  const out: Obj = {};
  for (const [key, value] of Object.entries(json)) {
    const field = fieldOf(type, key);
    if (!field || value === null || value === undefined) continue;
    const at = path ? `${path}.${field.name}` : field.name;
    if (field.map) {
      if (typeof value !== 'object' || Array.isArray(value)) throw invalidArgument(`${at}: expected an object`);
      const map: Obj = {};
      for (const [k, v] of Object.entries(value as Obj)) map[k] = valueFromJson(field, v, `${at}.${k}`);
      out[field.name] = map;
    } else if (field.repeated) {
      const list = Array.isArray(value) ? value : [value]; // a query string gives one value as a string
      out[field.name] = list.map((v, i) => valueFromJson(field, v, `${at}[${i}]`));
    } else {
      out[field.name] = valueFromJson(field, value, at);
    }
  }
  return out;
}
