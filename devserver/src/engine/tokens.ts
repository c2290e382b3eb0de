import { invalidArgument } from '../errors.js';

/** Task tokens are opaque to workers; ours are base64 JSON naming the run, the task and its attempt. */
export type TaskToken =
  | { k: 'w'; ns: string; r: string; s: number; a: number }
  | { k: 'a'; ns: string; r: string; s: number; a: number }
  | { k: 'q'; id: string };

export function encodeToken(t: TaskToken): string {
  return Buffer.from(JSON.stringify(t)).toString('base64');
}

export function decodeToken(b64: string | undefined): TaskToken {
  if (!b64) throw invalidArgument('task token is empty');
  try {
    const t = JSON.parse(Buffer.from(b64, 'base64').toString('utf8'));
    if (t && (t.k === 'w' || t.k === 'a' || t.k === 'q')) return t as TaskToken;
  } catch {
    // fall through
  }
  throw invalidArgument('task token is malformed');
}
