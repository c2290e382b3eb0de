/**
 * HMAC-SHA256 request signatures, the same scheme both ways: our requests to providers and the
 * couriers' callbacks to our API. Header: `X-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC(secret, `${t}.${rawBody}`). The timestamp is signed so a captured request cannot be
 * replayed after `toleranceSeconds`; several v1 values are accepted so a sender can rotate secrets.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Signature';

function mac(secret: string, body: string, timestamp: number): Buffer {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest();
}

/** `timestamp` in unix seconds. */
export function sign(secret: string, body: string, timestamp: number): string {
  if (!Number.isSafeInteger(timestamp)) throw new Error('signature timestamp must be whole unix seconds');
  return `t=${timestamp},v1=${mac(secret, body, timestamp).toString('hex')}`;
}

export interface VerifyOptions {
  /** How far the signed time may be from `now`, either way (clock skew, and replay window). */
  toleranceSeconds: number;
  /** Epoch milliseconds (inject it in tests). */
  now: number;
}

/** True only for a well-formed header whose timestamp is fresh and one of whose v1 values matches. Never throws. */
export function verify(secret: string, header: string | undefined, rawBody: string, opts: VerifyOptions): boolean {
  if (!secret || !header) return false;
  let t: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) return false;
    if (key === 't') {
      if (t !== undefined || !/^\d{1,12}$/.test(value)) return false;
      t = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      candidates.push(Buffer.from(value, 'hex'));
    }
  }
  if (t === undefined || candidates.length === 0) return false;
  if (Math.abs(opts.now / 1000 - t) > opts.toleranceSeconds) return false;
  const expected = mac(secret, rawBody, t);
  // Compare against every candidate (no early exit) so timing does not reveal which one matched.
  let ok = false;
  for (const c of candidates) ok = timingSafeEqual(expected, c) || ok;
  return ok;
}
