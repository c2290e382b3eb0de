import protoRoot from '@temporalio/proto';
import type { Root, Type } from 'protobufjs';

/** The protobufjs root `@temporalio/proto` builds: reflection for every Temporal message and service. */
export const root = protoRoot as unknown as Root;

/** Messages travel through the engine as protobufjs JSON objects (int64 as strings, enums as names, bytes as base64). */
export type Obj = Record<string, any>;
export type Payload = { metadata?: Record<string, string>; data?: string };
export type Payloads = { payloads?: Payload[] };

const toObjectOptions = { longs: String, enums: String, bytes: String, json: true } as const;

export function decodeMessage(type: Type, buf: Buffer): Obj {
  return type.toObject(type.decode(buf), toObjectOptions);
}

export function encodeMessage(type: Type, obj: Obj): Buffer {
  return Buffer.from(type.encode(type.fromObject(obj)).finish());
}

export function lookupType(name: string): Type {
  return root.lookupType(name);
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

/** Approximate encoded size, used for `history_size_bytes`. */
export function approxSize(obj: unknown): number {
  return JSON.stringify(obj)?.length ?? 0;
}
