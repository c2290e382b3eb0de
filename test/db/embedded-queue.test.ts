/**
 * The embedded database keeps each client's extended query together (db/embedded-queue.ts): a
 * client that has sent Parse keeps the one PGlite backend until its Sync, so another client's
 * statement cannot take the place of its unnamed one between its Parse and its Bind. Driven with
 * raw protocol messages on two sockets, to put the other client's query exactly in that gap.
 */
import net from 'node:net';
import { parse, serialize } from 'pg-protocol';
import type { BackendMessage } from 'pg-protocol/dist/messages.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../../db/embedded.js';
import { waitUntil } from '../support/wait.js';

let db: EmbeddedPostgres;
beforeAll(async () => {
  db = await startEmbeddedPostgres(null);
}, 60_000);
afterAll(async () => db?.stop());

/** A raw connection: every backend message it received, by name, with an error's message. */
async function connect(): Promise<{ socket: net.Socket; seen: string[]; rows: string[] }> {
  const [host, port] = new URL(db.url).host.split(':');
  const socket = net.connect(Number(port), host!);
  const seen: string[] = [];
  const rows: string[] = [];
  void parse(socket, (m: BackendMessage) => {
    seen.push(m.name === 'error' ? `error: ${(m as unknown as { message: string }).message}` : m.name);
    if (m.name === 'dataRow') rows.push(String((m as unknown as { fields: unknown[] }).fields[0]));
  });
  await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
  socket.write(serialize.startup({ user: 'postgres', database: 'postgres' }));
  await waitUntil('the connection to be ready', () => seen.includes('readyForQuery'));
  seen.length = 0;
  return { socket, seen, rows };
}

it("another client's query waits until a client's Parse … Sync is done: its Bind meets its own statement", async () => {
  const a = await connect();
  const b = await connect();
  // A parses a two-parameter statement and flushes, so the parse has surely run.
  a.socket.write(Buffer.concat([serialize.parse({ text: 'SELECT $1::int + $2::int' }), serialize.flush()]));
  await waitUntil("A's statement to be parsed", () => a.seen.includes('parseComplete'));
  // B sends a whole one-parameter query now: before the fix it ran here and replaced A's unnamed statement.
  b.socket.write(Buffer.concat([serialize.parse({ text: 'SELECT $1::int * 2' }), serialize.bind({ values: ['21'] }), serialize.execute(), serialize.sync()]));
  a.socket.write(Buffer.concat([serialize.bind({ values: ['1', '2'] }), serialize.execute(), serialize.sync()]));
  await waitUntil('both queries to finish', () => a.seen.includes('readyForQuery') && b.seen.includes('readyForQuery'), { state: () => `A: ${a.seen.join(', ')}; B: ${b.seen.join(', ')}` });
  expect(a.seen.filter((s) => s.startsWith('error'))).toEqual([]);
  expect(b.seen.filter((s) => s.startsWith('error'))).toEqual([]);
  expect([a.rows, b.rows]).toEqual([['3'], ['42']]);
  for (const c of [a, b]) c.socket.destroy();
});

it('a client gone between its Parse and its Sync does not hold the backend: the next client runs', async () => {
  const a = await connect();
  const b = await connect();
  a.socket.write(Buffer.concat([serialize.parse({ text: 'SELECT $1::int' }), serialize.flush()]));
  await waitUntil("A's statement to be parsed", () => a.seen.includes('parseComplete'));
  a.socket.destroy();
  b.socket.write(Buffer.concat([serialize.parse({ text: 'SELECT $1::int * 2' }), serialize.bind({ values: ['4'] }), serialize.execute(), serialize.sync()]));
  await waitUntil("B's query to finish", () => b.seen.includes('readyForQuery'), { state: () => `B: ${b.seen.join(', ')}` });
  expect(b.rows).toEqual(['8']);
  b.socket.destroy();
});
