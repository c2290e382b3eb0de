// Benchmark of the console's work queue (issue 13; not a test, prints figures):
//   npm run bench:console-queue          (DATABASE_URL defaults to the local server)
// Seeds BENCH_OPEN (10,000) open cases of one merchant — beside BENCH_CLOSED (40,000) of its closed
// ones and another merchant's 10,000 open ones — into a database of its own, runs the API in this
// process, and times GET /v1/cases?open=true&order=urgency&limit=50 over HTTP (median and p99 of
// BENCH_CALLS, 50; also its second page, and newest-first for comparison) against a baseline from
// the same run: a bare `SELECT * … LIMIT 50` of the same merchant's rows, as plain SQL (and, for
// scale, GET /health: the HTTP round trip alone). With a
// console build (console/build/index.html), also the time from navigating to /console/ in headless
// Chromium, the key already in session storage, until the first queue row shows (median of 5).
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import pg from 'pg';
import { chromium } from 'playwright-core';
import { buildApp } from '../api/app.js';
import { createPrisma } from '../db/client.js';
import { createRepositories } from '../db/repositories.js';
import { createTestDatabase } from '../db/test-database.js';
import { median, percentile, report, type Result } from './support/results.js';

const OPEN = Number(process.env.BENCH_OPEN ?? 10_000);
const CLOSED = Number(process.env.BENCH_CLOSED ?? 40_000);
const CALLS = Number(process.env.BENCH_CALLS ?? 50);
const RENDERS = 5;
const GOAL_RENDER_MS = 1000;
const CONSOLE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../console/build');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const QUEUE = '/v1/cases?open=true&order=urgency&limit=50';

async function timed(calls: number, job: () => Promise<unknown>): Promise<number[]> {
  await job(); // warm-up: the first call compiles schemas and plans
  const xs: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await job();
    xs.push(performance.now() - t0);
  }
  return xs;
}

/** Cases as the projections leave them: ~10 % late, ~5 % without a solution deadline, the rest due within two days. */
async function seed(sql: pg.Pool) {
  await sql.query(`INSERT INTO "Merchant" (id, name, "defaultCurrency") VALUES ('shop', 'Busy shop', 'CNY'), ('other', 'Other shop', 'CNY')`);
  await sql.query(
    `INSERT INTO "Case" ("id","merchantId","type","status","stage","orderId","orderSnapshot","request","customerId","currency","policyVersion","workflowId",
                         "createdAt","updatedAt","late","solutionDueAt","nextDeadlineAt","assigneeId","closedAt")
     SELECT 'q' || g, m, (enum_range(NULL::"CaseType"))[1 + g % 12], st, CASE WHEN st = 'CLOSED' THEN 'CLOSED' ELSE 'AWAITING_AGENT' END,
            'SO' || g, '{"orderId":"SO","currency":"CNY","items":[{"sku":"MUG-01","name":"Mug","quantity":2}]}', '{}', 'c' || (g % 5000), 'CNY', 1, 'case-q' || g,
            opened, opened, g % 10 = 0, CASE WHEN g % 20 = 1 THEN NULL ELSE opened + interval '1 day' + (g % 97) * interval '17 minutes' END,
            opened + interval '1 day', CASE WHEN g % 3 = 0 THEN 'agent-' || (g % 12) END, CASE WHEN st = 'CLOSED' THEN opened + interval '3 days' END
       FROM generate_series(1, $1::int + $2::int + $3::int) g,
            LATERAL (SELECT CASE WHEN g <= $1 THEN 'shop' WHEN g <= $1 + $2 THEN 'shop' ELSE 'other' END AS m,
                            (CASE WHEN g <= $1 THEN (ARRAY['OPEN','WAITING_AGENT','WAITING_CUSTOMER','WAITING_WAREHOUSE'])[1 + g % 4] WHEN g <= $1 + $2 THEN 'CLOSED' ELSE 'WAITING_AGENT' END)::"CaseStatus" AS st,
                            now() - (g % 20000) * interval '3 minutes' AS opened) x`,
    [OPEN, CLOSED, OPEN],
  );
  await sql.query('ANALYZE "Case"');
}

/** From navigating to /console/ (the key already in session storage) to the first queue row on screen. */
async function renderTimes(apiUrl: string, key: string): Promise<number[]> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-dev-shm-usage'],
  });
  try {
    const times: number[] = [];
    for (let i = 0; i <= RENDERS; i++) {
      // A fresh context each time: nothing cached, as on a first visit of the day.
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      await context.addInitScript((k) => sessionStorage.setItem('aftersales.console.key', k), key);
      const page = await context.newPage();
      const t0 = performance.now();
      await page.goto(`${apiUrl}/console/`);
      await page.locator('[data-testid="queue-row"]').first().waitFor({ state: 'visible', timeout: 30_000 });
      if (i > 0) times.push(performance.now() - t0); // the first is a warm-up (the browser's own start)
      await context.close();
    }
    return times;
  } finally {
    await browser.close();
  }
}

const t = await createTestDatabase();
const sql = new pg.Pool({ connectionString: t.url, max: 2 });
const db = createPrisma(t.url);
const connection = Connection.lazy({ address: '127.0.0.1:1' }); // the queue never asks Temporal
const app = await buildApp({ repos: createRepositories(db), temporal: new Client({ connection }), courierSecrets: {}, rateLimits: { perKeyPerMinute: 1_000_000, anonymousPerMinute: 1_000_000 } });
try {
  const t0 = performance.now();
  await seed(sql);
  const { key } = await createRepositories(db).createCredential({ role: 'AGENT', merchantId: 'shop', label: 'bench' });
  const apiUrl = await app.listen({ port: 0, host: '127.0.0.1' });
  console.log(`# console queue benchmark — ${OPEN.toLocaleString('en')} open cases of the shop (+ ${CLOSED.toLocaleString('en')} closed, + ${OPEN.toLocaleString('en')} open of another shop), seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${CALLS} calls each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);

  const get = async (url: string) => {
    const res = await fetch(`${apiUrl}${url}`, { headers: { authorization: `Bearer ${key}` } });
    const body = (await res.json()) as { items: Array<{ id: string }>; nextCursor: string | null };
    if (res.status !== 200 || body.items.length !== 50) throw new Error(`${url}: ${res.status} with ${body.items?.length} items`);
    return body;
  };
  const baseline = await timed(CALLS, () => sql.query(`SELECT * FROM "Case" WHERE "merchantId" = 'shop' LIMIT 50`));
  const http = await timed(CALLS, async () => (await fetch(`${apiUrl}/health`)).text());
  const first = await timed(CALLS, () => get(QUEUE));
  const cursor = (await get(QUEUE)).nextCursor!;
  const second = await timed(CALLS, () => get(`${QUEUE}&cursor=${cursor}`));
  const newest = await timed(CALLS, () => get('/v1/cases?open=true&limit=50'));
  const plan = (await sql.query(`EXPLAIN (ANALYZE, BUFFERS) SELECT c."id" FROM "Case" c WHERE c."merchantId" = 'shop' AND c."status" NOT IN ('RESOLVED', 'CLOSED') ORDER BY (NOT c."late"), COALESCE(c."solutionDueAt", 'infinity'::timestamptz), c."id" LIMIT 51`)).rows.map((r: Record<string, string>) => r['QUERY PLAN']);
  console.log(`\nthe page's ids, EXPLAIN ANALYZE:\n  ${plan.join('\n  ')}`);

  const base = median(baseline);
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const results: Result[] = [
    { figure: 'baseline: bare SELECT * … LIMIT 50 of the shop (SQL, no HTTP)', measured: `median ${ms(base)}, p99 ${ms(percentile(baseline, 0.99))}` },
    { figure: 'for scale: GET /health (HTTP, no database)', measured: `median ${ms(median(http))}, p99 ${ms(percentile(http, 0.99))}` },
    ...([
      ['GET /v1/cases?open=true&order=urgency&limit=50 (first page)', first],
      ['the same, second page (cursor)', second],
      ['GET /v1/cases?open=true&limit=50 (newest first)', newest],
    ] as const).map(([figure, xs]): Result => ({ figure, measured: `median ${ms(median(xs))}, p99 ${ms(percentile(xs, 0.99))}`, ratio: `${(median(xs) / base).toFixed(1)} × baseline` })),
  ];
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    console.log(`\nrender figure skipped: no console build at ${CONSOLE_DIR}/index.html (npm run console:build)`);
  } else if (!existsSync(CHROMIUM)) {
    console.log(`\nrender figure skipped: no Chromium at ${CHROMIUM} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  } else {
    const renders = await renderTimes(apiUrl, key);
    const m = median(renders);
    results.push({ figure: `/console/ to the first queue row in headless Chromium (median of ${RENDERS}, fresh context each)`, measured: ms(m), goal: `< ${GOAL_RENDER_MS} ms`, pass: m < GOAL_RENDER_MS });
  }
  report(results, '## console work queue');
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await app.close();
  await connection.close();
  await sql.end();
  await db.$disconnect();
  await t.drop();
}
