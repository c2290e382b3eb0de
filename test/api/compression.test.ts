/**
 * The API's answers compressed for clients that accept it (api/compression.ts): brotli or gzip as
 * asked, only answers in memory of 1 KiB or more, never a stream (the case-change feed) nor what is
 * compressed already (the console's files), always with Vary: Accept-Encoding.
 */
import { PassThrough } from 'node:stream';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chosenEncoding, COMPRESS_FROM_BYTES, installCompression } from '../../api/compression.js';

const big = { items: Array.from({ length: 200 }, (_, i) => ({ id: `case-${i}`, stage: 'AWAITING_RETURN_SHIPMENT', what: '仓库正在验收您寄回的商品' })) };
const app = Fastify();

beforeAll(async () => {
  installCompression(app);
  app.get('/big', async () => big);
  app.get('/small', async () => ({ ok: true }));
  app.get('/csv', async (_req, reply) => reply.type('text/csv; charset=utf-8').send('id,stage\n'.repeat(300)));
  app.get('/stream', async (_req, reply) => {
    const events = new PassThrough();
    events.end(`event: case\ndata: ${JSON.stringify(big)}\n\n`);
    return reply.type('text/event-stream; charset=utf-8').send(events);
  });
  app.get('/already', async (_req, reply) => reply.type('application/json').header('content-encoding', 'br').send(Buffer.from('not really brotli'.repeat(100))));
  await app.ready();
});
afterAll(() => app.close());

describe('compressed answers', () => {
  it('gives brotli, else gzip, as the request accepts, and the body is the same JSON', async () => {
    const br = await app.inject({ url: '/big', headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers).toMatchObject({ 'content-encoding': 'br', vary: 'Accept-Encoding' });
    expect(JSON.parse(brotliDecompressSync(br.rawPayload).toString())).toEqual(big);
    expect(br.rawPayload.length).toBeLessThan(JSON.stringify(big).length / 5);
    const gz = await app.inject({ url: '/big', headers: { 'accept-encoding': 'gzip' } });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gz.rawPayload).toString())).toEqual(big);
    expect(Number(gz.headers['content-length'])).toBe(gz.rawPayload.length);
    // A CSV export too.
    expect((await app.inject({ url: '/csv', headers: { 'accept-encoding': 'gzip' } })).headers['content-encoding']).toBe('gzip');
  });

  it('answers plain when nothing, or nothing it offers, is accepted (q=0 refuses)', async () => {
    for (const accept of [undefined, 'identity', 'br;q=0, gzip;q=0', 'deflate']) {
      const plain = await app.inject({ url: '/big', headers: accept ? { 'accept-encoding': accept } : {} });
      expect(plain.headers['content-encoding'], accept).toBeUndefined();
      expect(plain.json()).toEqual(big);
      expect(plain.headers.vary).toBe('Accept-Encoding');
    }
    expect(chosenEncoding('br;q=0, *')).toBe('gzip');
    expect(chosenEncoding('*;q=0.5')).toBe('br');
  });

  it(`leaves an answer under ${COMPRESS_FROM_BYTES} bytes, a stream and an answer compressed already as they are`, async () => {
    const small = await app.inject({ url: '/small', headers: { 'accept-encoding': 'br' } });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toEqual({ ok: true });
    // A HEAD says what its GET varies by.
    expect((await app.inject({ method: 'HEAD', url: '/big', headers: { 'accept-encoding': 'br' } })).headers.vary).toBe('Accept-Encoding');
    const stream = await app.inject({ url: '/stream', headers: { 'accept-encoding': 'br' } });
    expect(stream.headers['content-encoding']).toBeUndefined();
    expect(stream.payload).toContain('event: case');
    const already = await app.inject({ url: '/already', headers: { 'accept-encoding': 'gzip' } });
    expect(already.headers['content-encoding']).toBe('br');
    expect(already.payload).toBe('not really brotli'.repeat(100));
  });
});
