// Benchmark of the platform's API (not a test; prints figures). Needs a Postgres server:
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:api
// 1. Cases opened per second through POST /v1/returns (row + workflow start), against a bare
//    Fastify route doing one Postgres INSERT — both served by this process, measured side by side.
// 2. Latency from a warehouse arrival scan (POST /v1/warehouse/arrivals) until GET /v1/cases/:id
//    shows the new stage (signal → workflow task → activity → projection in Postgres).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Fastify from 'fastify';
import pg from 'pg';
import { loadConfig } from '../app/config.js';
import { startPlatform } from '../app/platform.js';
import { createTestDatabase } from '../db/test-database.js';

const REPS = Number(process.env.BENCH_REPS ?? 3);
const N = Number(process.env.BENCH_N ?? 300);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 20);
const SCANS = Number(process.env.BENCH_SCANS ?? 30);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)]!;

async function rate(count: number, limit: number, job: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: Math.min(limit, count) }, async () => { while (next < count) await job(next++); }));
  return count / ((performance.now() - t0) / 1000);
}

const db = await createTestDatabase({ migrate: false });
// A fresh data directory: the dev server persists workflows, and cases of an earlier run would
// wake up against this run's (new, empty) database.
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-api-'));
const platform = await startPlatform(loadConfig({ RATE_LIMIT_PER_KEY_PER_MINUTE: '1000000', ...process.env, PORT: '0', DATABASE_URL: db.url, DATA_DIR: dataDir }));
const pool = new pg.Pool({ connectionString: db.url, max: 10 });
await pool.query('CREATE TABLE bench_rows (id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz DEFAULT now())');
const bare = Fastify();
bare.post('/bare', async (request) => {
  const { rows } = await pool.query('INSERT INTO bench_rows (body) VALUES ($1) RETURNING id', [request.body]);
  return { id: rows[0].id };
});
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareUrl = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}/bare`;

const key = platform.keys.STOREFRONT!;
const now = Date.now();
const body = (i: number, rep: number) =>
  JSON.stringify({
    customer: { id: `bench-${i % 50}`, locale: 'zh-CN' },
    order: {
      orderId: `bench-${rep}-${i}`,
      currency: 'CNY',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 }],
      shippingFeeMinor: 1000,
      paidTotalMinor: 10_999,
      deliveredAt: now - 86_400_000,
    },
    lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
  });
const post = async (url: string, payload: string, auth?: string) => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bearer ${auth}` } : {}) }, body: payload });
  if (res.status >= 300) throw new Error(`${url} → ${res.status} ${await res.text()}`);
  return res.json() as Promise<Record<string, string>>;
};

try {
  console.log(`# API benchmark — ${REPS} × ${N} requests, ${CONCURRENCY} in flight`);
  const bareRates: number[] = [];
  const openRates: number[] = [];
  for (let rep = 0; rep < REPS; rep++) {
    bareRates.push(await rate(N, CONCURRENCY, async (i) => void (await post(bareUrl, body(i, rep)))));
    openRates.push(await rate(N, CONCURRENCY, async (i) => void (await post(`${platform.apiUrl}/v1/returns`, body(i, rep), key))));
    console.log(`  rep ${rep + 1}: bare insert ${bareRates[rep]!.toFixed(0)}/s, cases opened ${openRates[rep]!.toFixed(0)}/s`);
  }

  // Scan → stage latency: cases waiting for their parcel, scanned one at a time.
  const latencies: number[] = [];
  const customer = (await post(`${platform.apiUrl}/v1/customer-tokens`, JSON.stringify({ customerId: 'bench-0' }), key)).token!;
  for (let i = 0; i < SCANS; i++) {
    const { caseId } = await post(`${platform.apiUrl}/v1/returns`, body(0, 1000 + i), key);
    const stage = async () => ((await (await fetch(`${platform.apiUrl}/v1/cases/${caseId}`, { headers: { authorization: `Bearer ${customer}` } })).json()) as { stage: string }).stage;
    while ((await stage()) !== 'AWAITING_RETURN_SHIPMENT') await new Promise((r) => setTimeout(r, 5));
    await post(`${platform.apiUrl}/v1/cases/${caseId}/return-shipment`, JSON.stringify({ carrier: 'SF', trackingNumber: `SFB${1000 + i}` }), customer);
    while ((await stage()) !== 'AWAITING_ARRIVAL') await new Promise((r) => setTimeout(r, 5));
    const t0 = performance.now();
    await post(`${platform.apiUrl}/v1/warehouse/arrivals`, JSON.stringify({ trackingNumber: `SFB${1000 + i}`, scannedBy: 'bench' }), platform.keys.WAREHOUSE);
    while ((await stage()) !== 'AWAITING_INSPECTION') await new Promise((r) => setTimeout(r, 2));
    latencies.push(performance.now() - t0);
  }

  const b = median(bareRates);
  const o = median(openRates);
  console.log('\n| figure | median | ratio |');
  console.log('| --- | --- | --- |');
  console.log(`| baseline: bare Fastify route, one Postgres INSERT | ${b.toFixed(0)} req/s | 1 |`);
  console.log(`| cases opened through POST /v1/returns (row + workflow start) | ${o.toFixed(0)}/s | ${(o / b).toFixed(3)} of baseline |`);
  console.log(`| arrival scan → case shows the new stage (${SCANS} scans) | ${median(latencies).toFixed(0)} ms | p95 ${p95(latencies).toFixed(0)} ms |`);
} catch (err) {
  // A failed run must say so: no figures, a message, a non-zero exit.
  console.error(`benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await bare.close();
  await pool.end();
  await platform.stop();
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(process.exitCode ?? 0);
}
