/** The request signature both ways: what we send providers and what couriers send our API. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sign, signatureProblem, verify } from '../../adapters/http/signature.js';

const secret = 'sf-callback-secret';
const body = JSON.stringify({ trackingNumber: 'SF123', status: 'DELIVERED' });
const t = 1_800_000_000;
const at = (seconds: number) => ({ toleranceSeconds: 300, now: seconds * 1000 });

describe('sign', () => {
  it('is t=<seconds>,v1=<hex HMAC-SHA256 of "t.body">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
    expect(sign(secret, body, t)).toBe(`t=${t},v1=${expected}`);
  });
});

describe('verify', () => {
  const header = sign(secret, body, t);

  it('accepts the signed body within the tolerance, either side', () => {
    expect(verify(secret, header, body, at(t))).toBe(true);
    expect(verify(secret, header, body, at(t + 300))).toBe(true);
    expect(verify(secret, header, body, at(t - 300))).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verify(secret, header, body.replace('DELIVERED', 'LOST'), at(t))).toBe(false);
    expect(verify(secret, header, `${body} `, at(t))).toBe(false);
  });

  it('rejects the wrong secret', () => {
    expect(verify('another-secret', header, body, at(t))).toBe(false);
    expect(verify('', header, body, at(t))).toBe(false);
  });

  it('rejects a stale or future timestamp (replay window)', () => {
    expect(verify(secret, header, body, at(t + 301))).toBe(false);
    expect(verify(secret, header, body, at(t - 301))).toBe(false);
  });

  it('rejects a timestamp changed after signing', () => {
    expect(verify(secret, header.replace(`t=${t}`, `t=${t + 1}`), body, at(t))).toBe(false);
  });

  it('accepts any of several v1 values (secret rotation)', () => {
    const old = sign('old-secret', body, t).split(',')[1];
    expect(verify(secret, `${header},${old}`, body, at(t))).toBe(true);
    expect(verify('old-secret', `${header},${old}`, body, at(t))).toBe(true);
  });

  it('returns false, never throws, on malformed headers', () => {
    for (const bad of [undefined, '', 'garbage', `t=${t}`, `v1=${'a'.repeat(64)}`, `t=abc,v1=${'a'.repeat(64)}`, `t=${t},v1=short`, `t=${t},t=${t},v1=${'a'.repeat(64)}`]) {
      expect(verify(secret, bad, body, at(t))).toBe(false);
    }
  });
});

describe('v2: the signature covers the request line too', () => {
  const line = { method: 'POST', path: '/v1/couriers/SF/claims/CL-1/decision' };
  const header = sign(secret, body, t, line);
  const withLine = (extra: object = {}) => ({ ...at(t), line, ...extra });

  it('is t=<seconds>,v2=<hex HMAC-SHA256 of "t.METHOD path.body">', () => {
    const expected = createHmac('sha256', secret).update(`${t}.POST /v1/couriers/SF/claims/CL-1/decision.${body}`).digest('hex');
    expect(header).toBe(`t=${t},v2=${expected}`);
    expect(sign(secret, body, t, { ...line, method: 'post' })).toBe(header);
  });

  it('matches only the request line it was made for: another path, query or method fails', () => {
    expect(verify(secret, header, body, withLine())).toBe(true);
    expect(verify(secret, header, body, withLine({ line: { ...line, path: '/v1/couriers/SF/claims/CL-2/decision' } }))).toBe(false);
    expect(verify(secret, header, body, withLine({ line: { ...line, path: `${line.path}?x=1` } }))).toBe(false);
    expect(verify(secret, header, body, withLine({ line: { ...line, method: 'PUT' } }))).toBe(false);
    expect(verify(secret, header, body.replace('DELIVERED', 'LOST'), withLine())).toBe(false);
    // Without the line to check against, a v2 value cannot match.
    expect(verify(secret, header, body, at(t))).toBe(false);
  });

  it('where the line is required, a v1 value does not count, even a right one', () => {
    const v1 = sign(secret, body, t);
    expect(verify(secret, v1, body, withLine())).toBe(true);
    expect(signatureProblem(secret, v1, body, withLine({ lineRequired: true }))).toMatch(/^X-Signature must carry a v2 signature here: .* could be replayed to another URL\. X-Signature must be "t=<unix seconds>,v2=/);
    expect(verify(secret, `${v1},${header.split(',')[1]}`, body, withLine({ lineRequired: true }))).toBe(true);
  });

  it('says which request line it checked when a v2 value does not match', () => {
    const other = sign(secret, body, t, { ...line, path: '/v1/couriers/SF/claims/CL-2/decision' });
    expect(signatureProblem(secret, other, body, withLine({ lineRequired: true }))).toBe(`X-Signature does not match the request: sign the exact bytes sent (v2: and "POST /v1/couriers/SF/claims/CL-1/decision" as sent), with this carrier's secret`);
  });
});

describe('signatureProblem: what a sender whose signature failed is told', () => {
  const header = sign(secret, body, t);

  it('names the part that failed: missing, malformed, a clock off, a timestamp in milliseconds, or a body the signature is not of', () => {
    expect(signatureProblem(secret, header, body, at(t))).toBeUndefined();
    expect(signatureProblem(secret, undefined, body, at(t))).toMatch(/^X-Signature is missing: X-Signature must be "t=<unix seconds>,v1=/);
    expect(signatureProblem(secret, 'v1=abc', body, at(t))).toMatch(/^X-Signature is malformed/);
    // Which part: a value that is no HMAC-SHA256 says so (an integrator read "malformed" as the timestamp's fault).
    expect(signatureProblem(secret, 't=1,v2=abcd', body, at(t))).toMatch(/^X-Signature is malformed: its v2 is not the 64 hexadecimal digits of an HMAC-SHA256 \(4 characters\)/);
    // …while a valid value beside it still counts.
    expect(signatureProblem(secret, `${header},v2=abcd`, body, at(t))).toBeUndefined();
    expect(signatureProblem(secret, header, body, at(t + 400))).toBe('X-Signature t=1800000000 is 400 s behind our clock (at most 300 s either way): sign each request when it is sent, with a clock set right');
    const inMillis = `t=${t * 1000},v1=${header.split('v1=')[1]}`;
    expect(signatureProblem(secret, inMillis, body, at(t))).toMatch(/ahead of our clock .*: t is unix seconds, not milliseconds$/);
    expect(signatureProblem('another-secret', header, body, at(t))).toBe("X-Signature does not match the body: sign the exact bytes sent, with this carrier's secret");
  });
});
