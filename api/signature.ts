/** HMAC-SHA256 signatures of JSON bodies: `X-Signature: t=<unix seconds>,v1=<hex of HMAC(secret, "t.body")>`. */
import { createHmac, timingSafeEqual } from 'node:crypto';

export function sign(secret: string, body: string, timestamp: number): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export function verify(secret: string, header: string | undefined, rawBody: string, opts: { toleranceSeconds: number; now: number }): boolean {
  if (!header) return false;
  const parts = Object.fromEntries(header.split(',').map((p) => p.trim().split('=') as [string, string]));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || !/^[0-9a-f]{64}$/.test(parts.v1)) return false;
  if (Math.abs(opts.now / 1000 - t) > opts.toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${t}.${rawBody}`).digest('hex'), 'hex');
  return timingSafeEqual(expected, Buffer.from(parts.v1, 'hex'));
}
