// What opening one return costs, counted from outside (not a test; prints figures):
//   npm run bench:open-cost            (BENCH_CASES=10; DATABASE_URL defaults to the local server)
// Postgres statements, through a wire-protocol proxy between the platform and the database
// (bench/pg-statement-counter.ts): in the API request, until the case shows its first waiting
// stage in the read model, and until its messages have gone out. Workflow side, from the case's
// history at its first wait: activities, local activities, workflow tasks, events. Medians over the cases, opened
// one at a time on an idle platform (npm start's embedded dev server, the real worker).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto'; // CommonJS: under tsx only the default export is there
import { DefaultLogger, Runtime } from '@temporalio/worker';
import pg from 'pg';
import { loadConfig } from '../app/config.js';
import { startPlatform } from '../app/platform.js';
import { createTestDatabase } from '../db/test-database.js';
import { startStatementCounter } from './support/pg-statement-counter.js';
import { median, report } from './support/results.js';

const { temporal } = proto;
Runtime.install({ logger: new DefaultLogger('WARN') });
const CASES = Number(process.env.BENCH_CASES ?? 10);

const db = await createTestDatabase({ migrate: false });
const counter = await startStatementCounter(db.url);
const dataDir = mkdtempSync(path.join(tmpdir(), 'bench-open-cost-'));
const platform = await startPlatform(loadConfig({ ...process.env, PORT: '0', TEMPORAL_PORT: '0', TEMPORAL_UI_PORT: '0', DATABASE_URL: counter.url, DATA_DIR: dataDir, LOG_LEVEL: 'warn' }));
const direct = new pg.Pool({ connectionString: db.url, max: 2 });
const connection = await Connection.connect({ address: platform.temporalAddress });
const client = new Client({ connection });

const until = async (what: string, ready: () => Promise<boolean>) => {
  const t0 = Date.now();
  while (!(await ready())) {
    if (Date.now() - t0 > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 2));
  }
};

async function openOne(i: number) {
  counter.reset();
  const t0 = performance.now();
  const res = await fetch(`${platform.apiUrl}/v1/returns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${platform.keys.STOREFRONT}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      customer: { id: `cost-${i}`, locale: 'zh-CN' },
      order: { orderId: `cost-${i}-${Date.now()}`, currency: 'CNY', items: [{ sku: 'MUG', name: 'Mug', quantity: 1, unitPriceMinor: 3333, unitCostMinor: 1200 }], shippingFeeMinor: 0, paidTotalMinor: 3333, deliveredAt: Date.now() - 86_400_000 },
      lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }],
    }),
  });
  if (res.status !== 201) throw new Error(`open: ${res.status} ${await res.text()}`);
  const { caseId, workflowId } = (await res.json()) as { caseId: string; workflowId: string };
  const api = counter.count();
  const apiStatements = counter.statements();
  await until('the first waiting stage', async () => (await direct.query('SELECT stage FROM "Case" WHERE id = $1', [caseId])).rows[0]?.stage === 'AWAITING_RETURN_SHIPMENT');
  const visibleMs = performance.now() - t0;
  const toStage = counter.count();
  const stageStatements = counter.statements().slice(api);
  await until('the messages sent', async () => (await direct.query('SELECT count(*) FILTER (WHERE "sentAt" IS NULL) AS unsent, count(*) AS n FROM "Notification" WHERE "caseId" = $1', [caseId])).rows[0]!.unsent === '0');
  const withMessages = counter.count();
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const types = (history.events ?? []).map((e) => e.eventType);
  const n = (t: number) => types.filter((x) => x === t).length;
  const { EventType } = temporal.api.enums.v1;
  // A local activity (the step writer since local-case-steps) leaves a marker, not a scheduled activity.
  const localActivities = (history.events ?? []).filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length;
  return { api, toStage, withMessages, visibleMs, activities: n(EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED), localActivities, tasks: n(EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED), events: types.length, apiStatements, stageStatements };
}

try {
  for (let i = 0; i < 3; i++) await openOne(-1 - i); // warm-up: prepared statements, the bundle, connections
  const runs: Array<Awaited<ReturnType<typeof openOne>>> = [];
  for (let i = 0; i < CASES; i++) runs.push(await openOne(i));
  const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
  report(
    [
      { figure: 'Postgres statements in the API request (open a return)', measured: String(m((r) => r.api)) },
      { figure: 'statements until the first wait shows in the read model', measured: String(m((r) => r.toStage)), goal: '≤ 8', pass: m((r) => r.toStage) <= 8 },
      { figure: 'statements including sending its two messages (outbox)', measured: String(m((r) => r.withMessages)) },
      { figure: 'activities until the first wait (round trips through the server)', measured: String(m((r) => r.activities)), goal: '≤ 2', pass: m((r) => r.activities) <= 2 },
      { figure: 'local activities until the first wait (run inside a workflow task)', measured: String(m((r) => r.localActivities)) },
      { figure: 'workflow tasks until the first wait', measured: String(m((r) => r.tasks)) },
      { figure: 'history events at the first wait', measured: String(m((r) => r.events)) },
      { figure: 'request sent → first wait visible in the read model', measured: `${m((r) => r.visibleMs).toFixed(1)} ms` },
    ],
    `Opening a return (median of ${CASES}, one at a time, load ${loadavg().map((l) => l.toFixed(2)).join(' ')})`,
  );
  if (process.env.BENCH_VERBOSE) {
    console.log('\nAPI statements of the last case:\n' + runs.at(-1)!.apiStatements.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n'));
    console.log('until the stage:\n' + runs.at(-1)!.stageStatements.map((s) => `  ${s.replace(/\s+/g, ' ').slice(0, 160)}`).join('\n'));
  }
} finally {
  await connection.close();
  await direct.end();
  await platform.stop();
  await counter.close();
  await db.drop();
  rmSync(dataDir, { recursive: true, force: true });
}
