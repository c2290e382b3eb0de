/**
 * HMAC-SHA256 request signatures, the same scheme both ways: our requests to providers and the
 * couriers' callbacks to our API. Header: `X-Signature: t=<unix seconds>,v1=<hex>` where
 * v1 = HMAC(secret, `${t}.${rawBody}`), or `v2=<hex>` where v2 = HMAC(secret, `${t}.${METHOD} ${path}.${rawBody}`).
 * The timestamp is signed so a captured request cannot be replayed after `toleranceSeconds`. v2 also
 * signs the request line, so a captured request cannot be replayed to another URL within that window
 * either: a route whose URL says what its body does not (which claim a decision is for) requires it.
 * Several values are accepted so a sender can rotate secrets, or send v1 and v2 while it moves.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Signature';

/** The request line a v2 signature covers: the method, and the path with its query exactly as sent. */
export interface SignedRequestLine {
  method: string;
  path: string;
}

const signedText = (body: string, timestamp: number, line?: SignedRequestLine) =>
  line ? `${timestamp}.${line.method.toUpperCase()} ${line.path}.${body}` : `${timestamp}.${body}`;

function mac(secret: string, body: string, timestamp: number, line?: SignedRequestLine): Buffer {
  return createHmac('sha256', secret).update(signedText(body, timestamp, line)).digest();
}

/** `timestamp` in unix seconds; with the request line, a v2 signature (which covers it), else v1. */
export function sign(secret: string, body: string, timestamp: number, line?: SignedRequestLine): string {
  if (!Number.isSafeInteger(timestamp)) throw new Error('signature timestamp must be whole unix seconds');
  return `t=${timestamp},${line ? 'v2' : 'v1'}=${mac(secret, body, timestamp, line).toString('hex')}`;
}

export interface VerifyOptions {
  /** How far the signed time may be from `now`, either way (clock skew, and replay window). */
  toleranceSeconds: number;
  /** Epoch milliseconds (inject it in tests). */
  now: number;
  /** The request line as received: v2 values are checked against it (without it, only v1 can match). */
  line?: SignedRequestLine;
  /** Only a v2 value counts: the URL carries what the body does not, so a v1 signature could be replayed to another URL. */
  lineRequired?: boolean;
}

const V1_FORM = 'v1=<hex HMAC-SHA256 of t + "." + the body>';
const V2_FORM = 'v2=<hex HMAC-SHA256 of t + "." + the method, a space and the path with its query + "." + the body>';

/**
 * Why a signature header does not sign `rawBody` now, in words a sender can act on; undefined when it
 * does. Saying which part failed gives nothing away: the timestamp is sent in clear, and a wrong
 * secret and a changed body still read alike. Never throws.
 */
export function signatureProblem(secret: string | readonly string[], header: string | undefined, rawBody: string, opts: VerifyOptions): string | undefined {
  // Several secrets while one replaces the other (a rotation on our side): a value made with any counts.
  const secrets = (typeof secret === 'string' ? [secret] : secret).filter(Boolean);
  const form = `${SIGNATURE_HEADER} must be "t=<unix seconds>,${opts.lineRequired ? V2_FORM : `${V1_FORM}" or "t=<unix seconds>,${V2_FORM}`}"`;
  if (!secrets.length || !header) return `${SIGNATURE_HEADER} is missing: ${form}`;
  let t: number | undefined;
  let unreadable: string | undefined;
  const v1: Buffer[] = [];
  const v2: Buffer[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (eq < 0) return `${SIGNATURE_HEADER} is malformed: ${form}`;
    if (key === 't') {
      if (t !== undefined || !/^\d{1,13}$/.test(value)) return `${SIGNATURE_HEADER} is malformed: ${form}`;
      t = Number(value);
    } else if (key === 'v1' || key === 'v2') {
      // A value that is no HMAC-SHA256 is passed over (a valid one beside it still counts), and named if none is left.
      if (/^[0-9a-f]{64}$/i.test(value)) (key === 'v1' ? v1 : v2).push(Buffer.from(value, 'hex'));
      else unreadable ??= `its ${key} is not the 64 hexadecimal digits of an HMAC-SHA256 (${value.length} characters)`;
    }
  }
  if (t === undefined || v1.length + v2.length === 0) return `${SIGNATURE_HEADER} is malformed: ${unreadable ? `${unreadable}; ` : ''}${form}`;
  if (opts.lineRequired && v2.length === 0) {
    return `${SIGNATURE_HEADER} must carry a v2 signature here: this URL says what the body does not, and a v1 signature (of the body only) could be replayed to another URL. ${form}`;
  }
  const skew = Math.round(opts.now / 1000 - t);
  if (Math.abs(skew) > opts.toleranceSeconds) {
    const millis = Math.abs(opts.now - t) <= opts.toleranceSeconds * 1000;
    return `${SIGNATURE_HEADER} t=${t} is ${Math.abs(skew)} s ${skew > 0 ? 'behind' : 'ahead of'} our clock (at most ${opts.toleranceSeconds} s either way)${millis ? ': t is unix seconds, not milliseconds' : ': sign each request when it is sent, with a clock set right'}`;
  }
  // Compare against every candidate (no early exit) so timing does not reveal which one matched.
  let ok = false;
  for (const key of secrets) {
    if (!opts.lineRequired) {
      const expected = mac(key, rawBody, t);
      for (const c of v1) ok = timingSafeEqual(expected, c) || ok;
    }
    if (opts.line) {
      const expected = mac(key, rawBody, t, opts.line);
      for (const c of v2) ok = timingSafeEqual(expected, c) || ok;
    }
  }
  if (ok) return undefined;
  return v2.length
    ? `${SIGNATURE_HEADER} does not match the request: sign the exact bytes sent (v2: and "${opts.line ? `${opts.line.method.toUpperCase()} ${opts.line.path}` : 'the request line'}" as sent), with this carrier's secret`
    : `${SIGNATURE_HEADER} does not match the body: sign the exact bytes sent, with this carrier's secret`;
}

/** True only for a well-formed header whose timestamp is fresh and one of whose values matches. Never throws. */
export function verify(secret: string | readonly string[], header: string | undefined, rawBody: string, opts: VerifyOptions): boolean {
  return signatureProblem(secret, header, rawBody, opts) === undefined;
}
