import { createRequire } from 'node:module';
import type { Root, Type } from 'protobufjs';

let loadedRoot: Root | undefined;

/**
 * The protobufjs root `@temporalio/proto` builds: reflection for every Temporal message and
 * service. Built on first use (a fifth of a second of start-up), so that the server's port can
 * listen before it (see index.ts).
 */
export function protoRoot(): Root {
  return (loadedRoot ??= createRequire(import.meta.url)('@temporalio/proto') as Root);
}

/** `protoRoot()` under the name the rest of the server reads it by; resolved on first access. */
export const root: Root = new Proxy({} as Root, {
  get(_target, key) {
    const r = protoRoot();
    const value: unknown = Reflect.get(r, key, r);
    return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(r) : value;
  },
});

/** Messages travel through the engine as protobufjs JSON objects (int64 as strings, enums as names, bytes as base64). */
export type Obj = Record<string, any>;
export type Payload = { metadata?: Record<string, string>; data?: string };
export type Payloads = { payloads?: Payload[] };

const toObjectOptions = { longs: String, enums: String, bytes: String, json: true } as const;

export function decodeMessage(type: Type, buf: Buffer): Obj {
  return type.toObject(type.decode(buf), toObjectOptions);
}

/** Fields of a response given as bytes that are already encoded (see `withEncodedField`). */
const ENCODED = Symbol('encodedFields');

/**
 * Marks `field` (a message-typed field of `obj`'s type) as given by the bytes of its encoded
 * message: the response is encoded without it and the bytes are appended as that field. Protobuf
 * allows fields in any order, so the receiver sees the same message. Histories use it so that an
 * event is encoded once, not once per poll response that carries it.
 */
export function withEncodedField(obj: Obj, field: string, bytes: Uint8Array): Obj {
  const list: Array<{ field: string; bytes: Uint8Array }> = obj[ENCODED as unknown as string] ?? [];
  list.push({ field, bytes });
  obj[ENCODED as unknown as string] = list;
  return obj;
}

/** The bytes `withEncodedField` attached for `field`, if any. */
export function encodedFieldOf(obj: Obj, field: string): Uint8Array | undefined {
  const list: Array<{ field: string; bytes: Uint8Array }> | undefined = obj[ENCODED as unknown as string];
  return list?.find((f) => f.field === field)?.bytes;
}

/** A varint as protobuf writes it (tags and lengths). */
export function varint(n: number): Buffer {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

export function encodeMessage(type: Type, obj: Obj): Buffer {
  const body = type.encode(type.fromObject(obj)).finish();
  const encoded: Array<{ field: string; bytes: Uint8Array }> | undefined = obj[ENCODED as unknown as string];
  if (!encoded) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const parts: Uint8Array[] = [body];
  for (const { field, bytes } of encoded) {
    const id = type.fields[field]!.id;
    parts.push(varint(id * 8 + 2), varint(bytes.byteLength), bytes); // wire type 2: length-delimited
  }
  return Buffer.concat(parts);
}

export function lookupType(name: string): Type {
  return protoRoot().lookupType(name);
}

// --- time: the engine works in epoch milliseconds; the wire uses Timestamp / Duration messages ---

export function timestamp(ms: number): Obj {
  const seconds = Math.floor(ms / 1000);
  return { seconds: String(seconds), nanos: Math.round((ms - seconds * 1000) * 1e6) };
}

/** A Duration message; zero is emitted explicitly because the TS worker treats "absent" and "zero" differently. */
export function duration(ms: number): Obj {
  return timestamp(ms);
}

export function msOf(t: Obj | undefined | null): number {
  if (!t) return 0;
  return Number(t.seconds ?? 0) * 1000 + Math.floor(Number(t.nanos ?? 0) / 1e6);
}

export function tsOrUndefined(ms: number | undefined): Obj | undefined {
  return ms === undefined ? undefined : timestamp(ms);
}

// --- JSON payloads (search attributes, memo values, update outcomes written by the server itself) ---

const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
export const fromB64 = (s: string | undefined) => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

export function jsonPayload(value: unknown, type?: string): Payload {
  const metadata: Record<string, string> = { encoding: b64('json/plain') };
  if (type) metadata.type = b64(type);
  return { metadata, data: b64(JSON.stringify(value)) };
}

