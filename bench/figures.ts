// Benchmark of the business figures and the daily register on a year of a mid-size shop (not a
// test; prints figures):
//   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:figures
// Seeds BENCH_CASES (500,000) cases over 365 days with timelines of BENCH_EVENTS (4) steps each,
// and order counts summing to about 20 million, on a database of its own; then times each figure
// query (median of BENCH_REPS) against a baseline measured in the same run: a bare
// count(*) over the same rows through the same index.
import { createPrisma } from '../db/client.js';
import { businessFigures, type Breakdown, type Grain } from '../db/figures.js';
import { dailyRegister } from '../db/register.js';
import { createTestDatabase } from '../db/test-database.js';

const CASES = Number(process.env.BENCH_CASES ?? 500_000);
const EVENTS = Number(process.env.BENCH_EVENTS ?? 4);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const TZ = 'Asia/Shanghai';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const t = await createTestDatabase();
const db = createPrisma(t.url);
try {
  const t0 = performance.now();
  await db.merchant.createMany({ data: [{ id: 'shop', name: 'Mid-size shop', defaultCurrency: 'CNY' }, { id: 'other', name: 'Other shop', defaultCurrency: 'CNY' }] });
  // A year of cases, spread over the days and hours, 12 types, 20 agents, 4 carriers; ~85 % resolved,
  // ~10 % late, ~40 % revisited, 1 % complaints; a second merchant's cases in between.
  await db.$executeRawUnsafe(`
    INSERT INTO "Case" ("id","merchantId","type","status","stage","orderId","orderSnapshot","request","customerId","currency",
                        "policyVersion","workflowId","createdAt","updatedAt","resolvedAt","closedAt","late","satisfaction","assigneeId","carrier","complaint")
    SELECT 'b' || g, CASE WHEN g % 10 = 0 THEN 'other' ELSE 'shop' END,
           (enum_range(NULL::"CaseType"))[1 + g % 12], CASE WHEN g % 7 = 0 THEN 'OPEN'::"CaseStatus" ELSE 'CLOSED'::"CaseStatus" END,
           CASE WHEN g % 7 = 0 THEN 'AWAITING_AGENT' ELSE 'CLOSED' END,
           'o' || g, '{}', '{}', 'c' || (g % 50000), 'CNY', 1, 'case-b' || g,
           opened, opened, CASE WHEN g % 7 <> 0 THEN opened + interval '2 days' END, CASE WHEN g % 7 <> 0 THEN opened + interval '5 days' END,
           g % 10 = 3, CASE WHEN g % 5 < 2 THEN 1 + g % 5 * 2 + (g / 5) % 2 END, 'agent-' || (g % 20),
           (ARRAY['SF','YTO','ZTO','JD'])[1 + g % 4], g % 100 = 0
      FROM generate_series(1, ${CASES}) g,
           LATERAL (SELECT timestamptz '2025-01-01 00:00+08' + (g::float / ${CASES}) * interval '365 days' AS opened) o`);
  await db.$executeRawUnsafe(`
    INSERT INTO "CaseEvent" ("caseId","stepKey","kind","stage","at")
    SELECT c."id", s || ':STEP', (ARRAY['OPENED','SOLUTION_PROPOSED','RETURN_SHIPPED','RESOLVED','CLOSED'])[1 + s % 5], 'STAGE_' || s, c."createdAt" + s * interval '1 day'
      FROM "Case" c, generate_series(0, ${EVENTS - 1}) s`);
  await db.$executeRawUnsafe(`
    INSERT INTO "OrderCount" ("merchantId","day","orders","updatedAt")
    SELECT m, d::date, 50000 + (extract(doy FROM d)::int * 37) % 10000, now()
      FROM generate_series(date '2025-01-01', date '2025-12-31', interval '1 day') d, unnest(ARRAY['shop','other']) m`);
  await db.$executeRawUnsafe('ANALYZE');
  const orders = await db.orderCount.aggregate({ _sum: { orders: true }, where: { merchantId: 'shop' } });
  console.log(`# figures benchmark — ${CASES.toLocaleString('en')} cases (${(CASES * 0.9).toLocaleString('en')} of the shop), ${(CASES * EVENTS).toLocaleString('en')} timeline steps, ${orders._sum.orders?.toLocaleString('en')} orders of the shop in 2025; seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s; median of ${REPS}`);

  const time = async (job: () => Promise<unknown>) => {
    const xs: number[] = [];
    for (let i = 0; i < REPS; i++) {
      const s = performance.now();
      await job();
      xs.push(performance.now() - s);
    }
    return median(xs);
  };
  const year = { merchantId: 'shop', from: '2025-01-01', to: '2026-01-01', timeZone: TZ };
  const baseline = await time(() => db.$queryRaw`SELECT count(*) FROM "Case" WHERE "merchantId" = 'shop' AND "createdAt" >= '2025-01-01' AND "createdAt" < '2026-01-01'`);
  console.log('\n| query | median | ÷ baseline |');
  console.log('| --- | --- | --- |');
  console.log(`| baseline: count(*) of the shop's year of cases | ${baseline.toFixed(0)} ms | 1 |`);
  const cases: Array<[string, Grain, Breakdown]> = [
    ['year by day (365 rows)', 'day', 'none'],
    ['year by week', 'week', 'none'],
    ['year by month', 'month', 'none'],
    ['year by month and case type', 'month', 'type'],
    ['year by month and agent', 'month', 'agent'],
    ['year by month and carrier', 'month', 'carrier'],
  ];
  for (const [name, grain, by] of cases) {
    const ms = await time(() => businessFigures(db, { ...year, grain, by }));
    console.log(`| figures, ${name} | ${ms.toFixed(0)} ms | ${(ms / baseline).toFixed(1)} |`);
  }
  const allMerchants = await time(() => businessFigures(db, { from: '2025-01-01', to: '2026-01-01', timeZone: TZ, grain: 'month', by: 'merchant' }));
  console.log(`| figures, year by month and merchant (all merchants) | ${allMerchants.toFixed(0)} ms | ${(allMerchants / baseline).toFixed(1)} |`);
  const oneDay = await time(() => businessFigures(db, { ...year, from: '2025-06-15', to: '2025-06-16', grain: 'day', by: 'none' }));
  console.log(`| figures, one day | ${oneDay.toFixed(0)} ms | ${(oneDay / baseline).toFixed(2)} |`);
  let registerRows = 0;
  const register = await time(async () => (registerRows = (await dailyRegister(db, { merchantId: 'shop', from: '2025-06-15', to: '2025-06-16', timeZone: TZ })).length));
  console.log(`| daily register, one day (${registerRows.toLocaleString('en')} open cases) | ${register.toFixed(0)} ms | ${(register / baseline).toFixed(1)} |`);
} catch (err) {
  console.error(`benchmark failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
  // BENCH_KEEP=1 leaves the seeded database for EXPLAIN ANALYZE by hand.
  if (process.env.BENCH_KEEP === '1') console.log(`kept: ${t.url}`);
  else await t.drop();
}
