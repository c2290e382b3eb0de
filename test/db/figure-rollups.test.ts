/**
 * The daily rollups the figures read ("FigureDay", kept by triggers on "Case") against the same
 * counts computed straight from the cases, after cases are opened, reassigned, resolved, revisited,
 * closed, moved and deleted — one by one, in bulk statements, and concurrently from many
 * connections — in Beijing time and in a zone added later by a policy (backfilled on the spot).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrisma, type Db } from '../../db/client.js';
import { businessFigures, fromCases, fromRollups, type Breakdown, type FigureQuery, type Grain } from '../../db/figures.js';
import { createTestDatabase } from '../../db/test-database.js';

let db: Db;
let drop: () => Promise<void>;

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
let seed = 20261130;
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

const TYPES = ['RETURN_AND_REFUND', 'COMPLAINT', 'MISSING_ITEMS', 'DELAY'] as const;
const AGENTS = [null, 'ann', 'bob', 'cy'];
const CARRIERS = [null, 'SF', 'YTO'];
const MERCHANTS = ['tea', 'cup'];
/** Around local midnights in Beijing and New York, over three weeks of March 2026 (a DST change in New York). */
const anInstant = () => new Date(Date.parse('2026-03-01T00:00:00Z') + Math.floor(random() * 21 * 24) * 3_600_000 + pick([0, 1, 59 * 60_000, 30 * 60_000]) - 60_000);

let n = 0;
function aCase() {
  const id = `r${++n}`;
  const resolved = random() < 0.6;
  return {
    id,
    merchantId: pick(MERCHANTS),
    type: pick(TYPES),
    stage: 'OPENED',
    orderId: `o${n}`,
    orderSnapshot: {},
    request: {},
    customerId: 'c',
    currency: 'CNY',
    policyVersion: 1,
    workflowId: `case-${id}`,
    createdAt: anInstant(),
    resolvedAt: resolved ? new Date('2026-04-01T00:00:00Z') : null,
    late: random() < 0.3,
    satisfaction: random() < 0.5 ? 1 + Math.floor(random() * 5) : null,
    assigneeId: pick(AGENTS),
    carrier: pick(CARRIERS),
  };
}

/** One random change of what the figures count (or of nothing they count). */
function aChange(): Record<string, unknown> {
  return pick([
    () => ({ assigneeId: pick(AGENTS) }),
    () => ({ late: random() < 0.5 }),
    () => ({ satisfaction: random() < 0.2 ? null : 1 + Math.floor(random() * 5) }),
    () => ({ resolvedAt: random() < 0.2 ? null : new Date() }),
    () => ({ status: 'CLOSED', closedAt: new Date(), stage: 'CLOSED' }),
    () => ({ carrier: pick(CARRIERS) }),
    () => ({ type: pick(TYPES) }),
    () => ({ createdAt: anInstant() }),
    () => ({ merchantId: pick(MERCHANTS) }),
    () => ({ stage: 'AWAITING_AGENT', projectionVersion: { increment: 1 } }), // counted by nothing
  ])();
}

async function expectRollupsExact(timeZones: string[]) {
  for (const timeZone of timeZones) {
    for (const grain of ['day', 'week', 'month'] as Grain[]) {
      for (const by of ['none', 'type', 'agent', 'carrier', 'merchant'] as Breakdown[]) {
        for (const merchantId of by === 'merchant' ? [undefined] : [...MERCHANTS, undefined]) {
          const q: FigureQuery = { merchantId, from: '2026-02-20', to: '2026-04-10', grain, by, timeZone };
          const expected = await fromCases(db, q);
          expect(expected.length).toBeGreaterThan(0);
          expect(await fromRollups(db, q), JSON.stringify(q)).toEqual(expected);
        }
      }
    }
  }
}

beforeAll(async () => {
  const t = await createTestDatabase();
  drop = t.drop;
  db = createPrisma(t.url);
  await db.merchant.createMany({ data: MERCHANTS.map((id) => ({ id, name: id, defaultCurrency: 'CNY' })) });
}, 60_000);

afterAll(async () => {
  await db?.$disconnect();
  await drop?.();
});

describe('the figure rollups', () => {
  it('match the cases after opening, changing, closing and deleting them, one by one and in bulk', async () => {
    await db.case.createMany({ data: Array.from({ length: 150 }, aCase) }); // one statement
    for (let i = 0; i < 20; i++) await db.case.create({ data: aCase() });
    for (let i = 0; i < 120; i++) await db.case.update({ where: { id: `r${1 + Math.floor(random() * n)}` }, data: aChange() as never });
    await db.case.updateMany({ where: { assigneeId: 'bob' }, data: { assigneeId: 'cy', late: true } }); // many rows, one statement
    await db.case.updateMany({ where: { id: 'no-such-case' }, data: { late: true } }); // none
    await db.case.deleteMany({ where: { id: { in: ['r3', 'r7', 'r11'] } } });
    await expectRollupsExact(['Asia/Shanghai']);
  }, 120_000);

  it('match the cases after concurrent changes from many connections (same merchants, same days)', async () => {
    const ids = Array.from({ length: 60 }, () => `r${1 + Math.floor(random() * n)}`).filter((id) => !['r3', 'r7', 'r11'].includes(id));
    const jobs = [
      ...ids.map((id) => () => db.case.update({ where: { id }, data: aChange() as never })),
      ...Array.from({ length: 30 }, () => () => db.case.create({ data: aCase() })),
      ...Array.from({ length: 10 }, () => () => db.case.updateMany({ where: { merchantId: pick(MERCHANTS), late: true }, data: { late: false } })),
      ...Array.from({ length: 10 }, () => () => db.$transaction(async (tx) => {
        // Several cases in one transaction, as a bulk tool would.
        await tx.case.create({ data: aCase() });
        await tx.case.updateMany({ where: { type: pick(TYPES) }, data: { satisfaction: 5 } });
      }, { maxWait: 30_000, timeout: 30_000 })), // it waits for the rows the other jobs hold
    ].sort(() => random() - 0.5);
    const results = await Promise.allSettled(jobs.map((job) => job()));
    // Two multi-row statements may deadlock on the cases themselves; Postgres then rolls one back whole.
    const failed = results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason));
    expect(failed.filter((e) => !/deadlock/i.test(e))).toEqual([]);
    await expectRollupsExact(['Asia/Shanghai']);
  }, 120_000);

  it('a policy in a new zone adds it, filled from the cases already there; figures in a zone without rollups come from the cases', async () => {
    expect(await db.figureZone.findMany({ select: { zone: true } })).toEqual([{ zone: 'Asia/Shanghai' }]);
    const paris = { merchantId: 'tea', from: '2026-03-01', to: '2026-03-22', grain: 'day' as const, by: 'agent' as const, timeZone: 'Europe/Paris' };
    const before = await businessFigures(db, paris); // not kept: computed from the cases
    expect(before.length).toBeGreaterThan(0);
    await db.policyVersion.create({
      data: { merchantId: 'cup', version: 1, rules: {}, businessHours: { timeZone: 'America/New_York', workingDays: [1, 2, 3, 4, 5], open: '09:00', close: '18:00', holidays: [], extraWorkingDays: [] } },
    });
    await db.policyVersion.create({ data: { merchantId: 'tea', version: 1, rules: {}, businessHours: { timeZone: 'Not/AZone' } } }); // unknown to Postgres: not kept, not refused
    expect((await db.figureZone.findMany({ select: { zone: true }, orderBy: { zone: 'asc' } })).map((z) => z.zone)).toEqual(['America/New_York', 'Asia/Shanghai']);
    for (let i = 0; i < 40; i++) await db.case.update({ where: { id: ids()[i % ids().length]! }, data: aChange() as never });
    await expectRollupsExact(['Asia/Shanghai', 'America/New_York']);
    const fromTheCases = (await fromCases(db, paris)).map((r) => [r.period.toISOString().slice(0, 10), r.key, Number(r.cases), Number(r.satisfied)]);
    expect((await businessFigures(db, paris)).map((r) => [r.period, r.key, r.cases, r.satisfied])).toEqual(fromTheCases);
  }, 120_000);
});

const ids = () => Array.from({ length: n }, (_, i) => `r${i + 1}`).filter((id) => !['r3', 'r7', 'r11'].includes(id));
