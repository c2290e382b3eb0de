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

/**
 * Why a signature header does not sign `rawBody` now, in words a sender can act on; undefined when it
 * does. Saying which part failed gives nothing away: the timestamp is sent in clear, and a wrong
 * secret and a changed body still read alike. Never throws.
 */
export function signatureProblem(secret: string, header: string | undefined, rawBody: string, opts: VerifyOptions): string | undefined {
  const form = `${SIGNATURE_HEADER} must be "t=<unix seconds>,v1=<hex HMAC-SHA256 of t + "." + the body>"`;
  if (!secret || !header) return `${SIGNATURE_HEADER} is missing: ${form}`;
  let t: number | undefined;
  const candidates: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) return `${SIGNATURE_HEADER} is malformed: ${form}`;
    if (key === 't') {
      if (t !== undefined || !/^\d{1,13}$/.test(value)) return `${SIGNATURE_HEADER} is malformed: ${form}`;
      t = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      candidates.push(Buffer.from(value, 'hex'));
    }
  }
  if (t === undefined || candidates.length === 0) return `${SIGNATURE_HEADER} is malformed: ${form}`;
  const skew = Math.round(opts.now / 1000 - t);
  if (Math.abs(skew) > opts.toleranceSeconds) {
    const millis = Math.abs(opts.now - t) <= opts.toleranceSeconds * 1000;
    return `${SIGNATURE_HEADER} t=${t} is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} our clock (at most ${opts.toleranceSeconds} s either way)${millis ? ': t is unix seconds, not milliseconds' : ': sign each request when it is sent, with a clock set right'}`;
  }
  const expected = mac(secret, rawBody, t);
  // Compare against every candidate (no early exit) so timing does not reveal which one matched.
  let ok = false;
  for (const c of candidates) ok = timingSafeEqual(expected, c) || ok;
  return ok ? undefined : `${SIGNATURE_HEADER} does not match the body: sign the exact bytes sent, with this carrier's secret`;
}

/** True only for a well-formed header whose timestamp is fresh and one of whose v1 values matches. Never throws. */
export function verify(secret: string, header: string | undefined, rawBody: string, opts: VerifyOptions): boolean {
  return signatureProblem(secret, header, rawBody, opts) === undefined;
}
