/**
 * The console's API client (console/src/lib/api.ts) and Idempotency-Keys: a POST sent again after
 * it got no answer goes with the key of the first try, so the API does the work once if the first
 * did arrive; sent again after an answer, it is a new command with a new key.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiProblem, post } from '../../console/src/lib/api.js';

/** A fetch that answers from `answers` in turn (an Error: the network failed) and keeps the keys sent. */
function fakeFetch(answers: Array<number | Error>) {
  const keys: Array<string | undefined> = [];
  vi.stubGlobal('fetch', async (_url: string, init: RequestInit) => {
    keys.push((init.headers as Record<string, string>)['idempotency-key']);
    const answer = answers.shift();
    if (answer instanceof Error || answer === undefined) throw answer ?? new TypeError('fetch failed');
    return new Response(answer === 204 ? null : JSON.stringify(answer < 400 ? { ok: true } : { error: 'X', message: 'x' }), { status: answer, headers: { 'content-type': 'application/json' } });
  });
  return keys;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('a POST sent again', () => {
  it('after no answer (network, 502) goes with the first key; after an answer, with a new one', async () => {
    const keys = fakeFetch([new TypeError('fetch failed'), 502, 201, 201]);
    const note = { text: '客户来电，已解释' };
    await expect(post('/v1/cases/c-1/notes', note)).rejects.toMatchObject({ status: 0, code: 'NETWORK' });
    await expect(post('/v1/cases/c-1/notes', note)).rejects.toBeInstanceOf(ApiProblem);
    await post('/v1/cases/c-1/notes', note);
    await post('/v1/cases/c-1/notes', note); // the same text again, on purpose: another note
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys.slice(0, 3)).toEqual([keys[0], keys[0], keys[0]]);
    expect(keys[3]).not.toBe(keys[0]);
  });

  it('is another command when its body or path differs, and a refusal (4xx) is an answer', async () => {
    const keys = fakeFetch([new TypeError('fetch failed'), 201, new TypeError('fetch failed'), 400, 400]);
    await expect(post('/v1/cases/c-2/notes', { text: 'a' })).rejects.toMatchObject({ code: 'NETWORK' });
    await post('/v1/cases/c-2/notes', { text: 'b' });
    await expect(post('/v1/cases/c-3/escalations', { reason: 'r' })).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(post('/v1/cases/c-3/escalations', { reason: 'r' })).rejects.toMatchObject({ status: 400 });
    await expect(post('/v1/cases/c-3/escalations', { reason: 'r' })).rejects.toMatchObject({ status: 400 });
    expect(new Set([keys[0], keys[1], keys[2]]).size).toBe(3);
    expect(keys[3]).toBe(keys[2]);
    expect(keys[4]).not.toBe(keys[3]);
  });
});
