/**
 * A storefront's own view of its merchant's cases (GET /v1/cases with a STOREFRONT key), on case
 * rows written straight into a test database: only its merchant's cases, each as the case view shows
 * it to the storefront (no assignee, escalation or stuck flag), by order id, and the sync order —
 * oldest change first, keyset pages whose cursor holds its place while the cases change, a change
 * listed once every write begun before it has ended (never behind a cursor already handed out), the
 * next sync from the last one's syncCursor. The staff's list is as it was. A customer token lists
 * its own customer's cases at its merchant, shown as to the storefront.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openReadModelApi, type ReadModelApi } from '../support/read-model-api.js';
import pg from 'pg';
import { waitUntil } from '../support/wait.js';

let api: ReadModelApi;
let t: ReadModelApi['t'];
let app: ReadModelApi['app'];
const keys: Record<string, { id: string; key: string }> = {};
/** The fixtures' changes, an hour ago: settled long since. */
const BASE = Date.now() - 3_600_000;
const at = (seconds: number) => new Date(BASE + seconds * 1000);

interface Page {
  items: Array<{ id: string; updatedAt: string; assigneeId: string | null; escalated: boolean; stuck: boolean; stuckReason: string | null }>;
  nextCursor: string | null;
  syncCursor?: string | null;
}

async function aCase(id: string, o: { merchantId?: string; orderId: string; updated: number; created?: number; assigneeId?: string; escalated?: boolean; stuckReason?: string }) {
  await t.prisma.case.create({
    data: {
      id,
      merchantId: o.merchantId ?? 'shop-a',
      type: 'RETURN_AND_REFUND',
      status: 'WAITING_AGENT',
      stage: 'AWAITING_DECISION',
      orderId: o.orderId,
      orderSnapshot: {},
      request: {},
      customerId: 'cust-1',
      currency: 'CNY',
      policyVersion: 1,
      workflowId: `wf-${id}`,
      assigneeId: o.assigneeId,
      escalated: o.escalated ?? false,
      stuck: o.stuckReason !== undefined,
      stuckReason: o.stuckReason,
      createdAt: at(o.created ?? o.updated),
      updatedAt: at(o.updated),
    },
  });
}

/**
 * A case changes as a projection changes it (its stage, and updatedAt = now()), and the change is
 * waited for until the sync order lists it: until every write begun before it has ended — in the
 * whole Postgres server, so another test file's write under way can hold it back a moment.
 */
async function change(id: string, stage: string) {
  await t.prisma.$executeRawUnsafe(`UPDATE "Case" SET stage = $2, "updatedAt" = now() WHERE id = $1`, id, stage);
  await listable(id);
}
const listable = (id: string) =>
  waitUntil(`${id}'s change listable`, async () => {
    const [row] = await t.prisma.$queryRawUnsafe<Array<{ ok: boolean }>>(`SELECT k.seq < pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS ok FROM "CaseChange" k WHERE k."caseId" = $1`, id);
    return row?.ok;
  });

beforeAll(async () => {
  api = await openReadModelApi();
  ({ t, app } = api);
  const { repos } = api;
  await repos.ensureMerchant('shop-a', 'Shop A');
  await repos.ensureMerchant('shop-b', 'Shop B');
  for (const [name, role, merchantId] of [
    ['storefrontA', 'STOREFRONT', 'shop-a'],
    ['storefrontB', 'STOREFRONT', 'shop-b'],
    ['agentA', 'AGENT', 'shop-a'],
    ['warehouseA', 'WAREHOUSE', 'shop-a'],
    ['admin', 'ADMIN', undefined],
  ] as const) {
    keys[name] = await repos.createCredential({ role, merchantId, label: name });
  }
  keys.customerA = await repos.createCredential({ role: 'CUSTOMER', merchantId: 'shop-a', customerId: 'cust-1', label: 'token' });
  // a-2 and a-3 changed in the same millisecond: the id orders them. Created in another order.
  await aCase('a-1', { orderId: 'SO-1', updated: 1, created: 0, assigneeId: keys.agentA!.id, escalated: true, stuckReason: 'refund (attempt 3): timeout' });
  await aCase('a-2', { orderId: 'SO-1', updated: 2, created: 1 });
  await aCase('a-3', { orderId: 'SO-2', updated: 2, created: 4 });
  await aCase('a-4', { orderId: 'SO-3', updated: 3, created: 2 });
  await aCase('a-5', { orderId: 'SO-4', updated: 4, created: 3 });
  // Another merchant's case of an order with the same id.
  await aCase('b-1', { merchantId: 'shop-b', orderId: 'SO-1', updated: 2 });
});

afterAll(() => api?.close());

async function get(url: string, who: string) {
  const res = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${keys[who]!.key}` } });
  return { status: res.statusCode, body: JSON.parse(res.body) as Page & { field?: string; message?: string } };
}
const ids = (page: { items: Array<{ id: string }> }) => page.items.map((c) => c.id);

/**
 * Every page of a sync from `query` (order=updated) and `from` (the previous sync's syncCursor),
 * following nextCursor; `between` runs after the first page. Returns the pages and the syncCursor.
 */
async function sync(query: string, limit: number, from?: string | null, between?: () => Promise<unknown>): Promise<{ pages: string[][]; syncCursor: string | null }> {
  const pages: string[][] = [];
  let cursor: string | null = from ?? null;
  let syncCursor: string | null = null;
  do {
    const res = await get(`/v1/cases?order=updated&limit=${limit}${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, 'storefrontA');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(ids(res.body));
    cursor = res.body.nextCursor;
    syncCursor = res.body.syncCursor ?? null;
    if (pages.length === 1) await between?.();
  } while (cursor);
  return { pages, syncCursor };
}

describe('GET /v1/cases with a storefront key', () => {
  it('lists its merchant’s cases only, each as the case view shows it to the storefront', async () => {
    const a = await get('/v1/cases?limit=100', 'storefrontA');
    expect(a.status).toBe(200);
    expect(ids(a.body)).toEqual(['a-3', 'a-5', 'a-4', 'a-2', 'a-1']); // newest first, as for staff
    expect(ids((await get('/v1/cases?limit=100', 'storefrontB')).body)).toEqual(['b-1']);
    expect(ids((await get('/v1/cases?q=b-1', 'storefrontA')).body)).toEqual([]);
    // Who has the case, its escalation and why it is stuck stay with the staff, as on the case view.
    const listed = a.body.items.find((c) => c.id === 'a-1')!;
    expect(listed).toMatchObject({ assigneeId: null, escalated: false, stuck: false, stuckReason: null });
    const { order: _order, solutionDeadline: _deadline, timeline: _timeline, evidence: _evidence, approvedLines: _approved, offer: _offer, withdrawable: _withdrawable, escalation: _escalation, ...shown } = (await get('/v1/cases/a-1', 'storefrontA')).body as unknown as Record<string, unknown>;
    expect(listed).toEqual(shown);
  });

  it('refuses the filters that would tell what the items hide: who has a case, its escalation, stuck', async () => {
    for (const query of ['mine=true', `assigneeId=${keys.agentA!.id}`, 'escalated=false', 'stuck=true']) {
      const field = `querystring.${query.split('=')[0]}`;
      expect(await get(`/v1/cases?${query}`, 'storefrontA'), query).toMatchObject({ status: 400, body: { field, message: expect.stringContaining('storefront key may not filter by it') } });
    }
  });

  it('finds the cases of an order by its id, of its own merchant only', async () => {
    expect(ids((await get('/v1/cases?orderId=SO-1', 'storefrontA')).body)).toEqual(['a-2', 'a-1']);
    expect(ids((await get('/v1/cases?orderId=SO-3', 'storefrontA')).body)).toEqual(['a-4']);
    expect(ids((await get('/v1/cases?orderId=SO-1', 'storefrontB')).body)).toEqual(['b-1']);
    expect(ids((await get('/v1/cases?orderId=SO-9', 'storefrontA')).body)).toEqual([]);
    expect(ids((await get('/v1/cases?orderId=SO-1', 'admin')).body).sort()).toEqual(['a-1', 'a-2', 'b-1']);
    for (const bad of ['', 'SO%001', 'x'.repeat(65)]) expect(await get(`/v1/cases?orderId=${bad}`, 'storefrontA'), bad).toMatchObject({ status: 400, body: { field: 'querystring.orderId' } });
  });

  it('syncs: oldest change first, pages that hold their place while cases change, the next sync from the syncCursor', async () => {
    // a-2 ends the first page and then changes: the cursor still reads on from where a-2 was, and
    // a-2 comes again at the end.
    const first = await sync('', 2, undefined, () => change('a-2', 'AWAITING_ARRIVAL'));
    expect(first.pages).toEqual([['a-1', 'a-2'], ['a-3', 'a-4'], ['a-5', 'a-2']]);
    expect(first.syncCursor).toEqual(expect.stringMatching(/\.a-2$/));

    // The next sync goes on from the syncCursor: nothing, until another case changes; then just that one.
    expect(await sync('', 2, first.syncCursor)).toEqual({ pages: [[]], syncCursor: first.syncCursor });
    await change('a-4', 'AWAITING_INSPECTION');
    const second = await sync('', 2, first.syncCursor);
    expect(second.pages).toEqual([['a-4']]);
    expect(second.syncCursor).not.toBe(first.syncCursor);
    // A first sync may start from a time instead: the cases changed after it (strictly), in the sync order.
    expect((await sync(`&updatedAfter=${at(2).toISOString()}`, 10)).pages.flat()).toEqual(['a-5', 'a-2', 'a-4']);
  });

  it('never hands out a cursor past a change still being written: a write that began earlier and commits later is listed next time', async () => {
    const before = (await sync('', 100)).syncCursor;
    const slow = new pg.Client({ connectionString: t.url });
    await slow.connect();
    try {
      // A write of a-1 under way (a lock wait, a slow commit) while a-3 changes and commits.
      await slow.query('BEGIN');
      await slow.query(`UPDATE "Case" SET stage = 'AWAITING_REVISIT', "updatedAt" = now() WHERE id = 'a-1'`);
      await t.prisma.$executeRawUnsafe(`UPDATE "Case" SET stage = 'AWAITING_ARRIVAL', "updatedAt" = now() WHERE id = 'a-3'`);
      // a-3's change is after a-1's in the sync order, so it is not listed while a-1's could still commit.
      const during = await sync('', 100, before);
      expect(during.pages).toEqual([[]]);
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    await listable('a-3');
    expect((await sync('', 100, before)).pages).toEqual([['a-1', 'a-3']]);
  });

  it('a first sync that lists nothing still hands out where the next one goes on from, past no change still being written', async () => {
    const slow = new pg.Client({ connectionString: t.url });
    await slow.connect();
    let fromNow: string | null = null;
    try {
      // A write of a-5 under way while a shop starts syncing "from now": nothing changed after that instant yet.
      await slow.query('BEGIN');
      await slow.query(`UPDATE "Case" SET stage = 'AWAITING_REVISIT', "updatedAt" = now() WHERE id = 'a-5'`);
      const first = await sync(`&updatedAfter=${new Date(Date.now() + 60_000).toISOString()}`, 10);
      expect(first.pages).toEqual([[]]);
      fromNow = first.syncCursor;
      expect(fromNow).toEqual(expect.stringMatching(/^\d+\.$/));
      await slow.query('COMMIT');
    } finally {
      await slow.end();
    }
    // The write that was under way, and one made after, come in the next sync; a cursor with no case is taken as any other.
    await change('a-3', 'AWAITING_INSPECTION');
    await listable('a-3');
    expect((await sync('', 10, fromNow)).pages.flat()).toEqual(['a-5', 'a-3']);
  });

  it('lists a case whose evidence grew; the same link sent twice at once is the case’s once', async () => {
    const { syncCursor } = await sync('', 100);
    const url = 'https://img.shop.example.cn/evidence/SO-3/tag.jpg';
    const post = () => app.inject({ method: 'POST', url: '/v1/cases/a-4/evidence', headers: { authorization: `Bearer ${keys.storefrontA!.key}` }, payload: { urls: [url, url] } });
    const answers = await Promise.all([post(), post()]);
    expect(answers.map((a) => a.statusCode)).toEqual([201, 201]);
    expect(answers.map((a) => a.json().added).sort()).toEqual([0, 1]);
    expect((await t.prisma.evidence.findMany({ where: { caseId: 'a-4' }, select: { url: true } })).map((e) => e.url)).toEqual([url]);
    await listable('a-4');
    expect((await sync('', 100, syncCursor)).pages).toEqual([['a-4']]);
  });

  it('takes no evidence on a closed case: 409 naming the way to have it looked at again, nothing stored', async () => {
    await aCase('a-closed', { orderId: 'SO-8', updated: 6 });
    await t.prisma.case.update({ where: { id: 'a-closed' }, data: { status: 'CLOSED', stage: 'CLOSED' } });
    try {
      const res = await app.inject({ method: 'POST', url: '/v1/cases/a-closed/evidence', headers: { authorization: `Bearer ${keys.customerA!.key}` }, payload: { urls: ['https://img.shop.example.cn/evidence/late.jpg'] } });
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ error: 'WRONG_STATE', message: expect.stringContaining('/complaint') });
      expect(await t.prisma.evidence.count({ where: { caseId: 'a-closed' } })).toBe(0);
    } finally {
      await t.prisma.case.delete({ where: { id: 'a-closed' } });
    }
  });

  it('takes in the sync order only filters a case never leaves', async () => {
    for (const query of ['open=true', 'status=OPEN', 'stage=AWAITING_DECISION', 'late=false', 'q=SO-1']) {
      const field = `querystring.${query.split('=')[0]}`;
      expect(await get(`/v1/cases?order=updated&${query}`, 'storefrontA'), query).toMatchObject({ status: 400, body: { field, message: expect.stringContaining('a sync filtered by it would miss') } });
    }
    expect(ids((await get('/v1/cases?order=updated&orderId=SO-1&type=RETURN_AND_REFUND', 'storefrontA')).body).sort()).toEqual(['a-1', 'a-2']);
  });

  it('refuses a bad updatedAfter or cursor with the field and why (never a 500)', async () => {
    for (const bad of ['yesterday', '2026-13-01T00:00:00Z', '2026-03-04', '2026-03-04T09:12:30']) {
      expect(await get(`/v1/cases?order=updated&updatedAfter=${bad}`, 'storefrontA'), bad).toMatchObject({ status: 400, body: { field: 'querystring.updatedAfter' } });
    }
    expect(await get('/v1/cases?updatedAfter=2026-03-04T09:12:30.000Z', 'storefrontA')).toMatchObject({ status: 400, body: { field: 'querystring.updatedAfter', message: expect.stringContaining('order=updated') } });
    expect(await get('/v1/cases?order=newest&updatedAfter=2026-03-04T09:12:30.000Z', 'agentA')).toMatchObject({ status: 400, body: { field: 'querystring.updatedAfter' } });
    // The earliest and latest instants the format allows are answers, not database errors.
    for (const edge of ['0000-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) expect((await get(`/v1/cases?order=updated&updatedAfter=${edge}`, 'storefrontA')).status, edge).toBe(200);
    // A sync's cursor is its key; the id cursor of the other orders is none, nor is garbage.
    for (const cursor of ['a-1', 'garbage', '.a-1', '1234567890123456789.a-1', '1700000000000.a b']) {
      expect(await get(`/v1/cases?order=updated&cursor=${encodeURIComponent(cursor)}`, 'storefrontA'), cursor).toMatchObject({ status: 400, body: { field: 'querystring.cursor' } });
    }
    expect(ids((await get('/v1/cases?order=updated&cursor=9999999999999.a-1', 'storefrontA')).body)).toEqual([]);
  });

  it('is not for the warehouse', async () => {
    expect((await get('/v1/cases', 'warehouseA')).status).toBe(403);
  });

  it('is documented: the new query fields with descriptions and examples', async () => {
    const doc = JSON.parse((await app.inject({ method: 'GET', url: '/docs/json' })).body);
    const op = doc.paths['/v1/cases'].get as { description: string; parameters: Array<{ name: string; description?: string; example?: unknown; examples?: unknown; schema: { enum?: string[]; examples?: unknown[] } }> };
    expect(op.description).toContain('STOREFRONT');
    for (const name of ['updatedAfter', 'orderId']) {
      const p = op.parameters.find((x) => x.name === name);
      expect(p?.description, name).toEqual(expect.any(String));
      expect(p?.example ?? p?.examples ?? p?.schema.examples, name).toBeDefined();
    }
  });
});

describe('GET /v1/cases with a staff key, as before', () => {
  it('lists newest first with who has a case, its escalation and why it is stuck, and filters by them', async () => {
    const res = await get('/v1/cases?limit=100', 'agentA');
    expect(ids(res.body)).toEqual(['a-3', 'a-5', 'a-4', 'a-2', 'a-1']);
    expect(res.body.items.find((c) => c.id === 'a-1')).toMatchObject({ assigneeId: keys.agentA!.id, escalated: true, stuck: true, stuckReason: 'refund (attempt 3): timeout' });
    expect(ids((await get('/v1/cases?escalated=true', 'agentA')).body)).toEqual(['a-1']);
    expect(ids((await get('/v1/cases?mine=true', 'agentA')).body)).toEqual(['a-1']);
    expect(ids((await get('/v1/cases?stuck=true&orderId=SO-1', 'agentA')).body)).toEqual(['a-1']);
    // The other orders' cursor is the last case's id with its order; a bare id (as handed out before) still pages.
    const first = await get('/v1/cases?limit=2', 'agentA');
    expect(first.body.nextCursor).toBe('newest.a-5');
    expect(ids((await get(`/v1/cases?limit=2&cursor=${first.body.nextCursor}`, 'agentA')).body)).toEqual(['a-4', 'a-2']);
    expect(ids((await get('/v1/cases?limit=2&cursor=a-5', 'agentA')).body)).toEqual(['a-4', 'a-2']);
  });
});

describe('GET /v1/cases with a customer token', () => {
  it('lists the customer’s own cases at the token’s merchant, as the case view shows them to the customer', async () => {
    // Another customer of the same shop, and the same customer id at another shop (b-1): neither listed.
    await aCase('a-9', { orderId: 'SO-9', updated: 5, created: 5 });
    await t.prisma.case.update({ where: { id: 'a-9' }, data: { customerId: 'cust-2' } });
    try {
      const mine = await get('/v1/cases?limit=100', 'customerA');
      expect(mine.status, JSON.stringify(mine.body)).toBe(200);
      expect(ids(mine.body).sort()).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
      expect(mine.body.items.find((c) => c.id === 'a-1')).toMatchObject({ assigneeId: null, escalated: false, stuck: false, stuckReason: null });
      const { order: _order, solutionDeadline: _deadline, timeline: _timeline, evidence: _evidence, approvedLines: _approved, offer: _offer, withdrawable: _withdrawable, escalation: _escalation, ...shown } = (await get('/v1/cases/a-1', 'customerA')).body as unknown as Record<string, unknown>;
      expect(mine.body.items.find((c) => c.id === 'a-1')).toEqual(shown);
      // Their own customer id as a filter is the same list; a search finds only theirs.
      expect(ids((await get('/v1/cases?limit=100&customerId=cust-1', 'customerA')).body).sort()).toEqual(['a-1', 'a-2', 'a-3', 'a-4', 'a-5']);
      expect(ids((await get('/v1/cases?q=SO-9', 'customerA')).body)).toEqual([]);
      expect(ids((await get('/v1/cases?orderId=SO-9', 'customerA')).body)).toEqual([]);
      // The shop's staff see the other customer's case.
      expect(ids((await get('/v1/cases?orderId=SO-9', 'agentA')).body)).toEqual(['a-9']);
      // Another customer's case is no cursor of this list, as a case that does not exist is none:
      // a page answered for it would tell the case exists and where it stands among theirs.
      for (const order of ['newest', 'urgency']) {
        for (const cursor of ['a-9', 'no-such-case']) {
          expect(await get(`/v1/cases?order=${order}&cursor=${cursor}`, 'customerA'), `${order} ${cursor}`).toMatchObject({ status: 400, body: { field: 'querystring.cursor' } });
        }
        expect((await get(`/v1/cases?order=${order}&cursor=a-3`, 'customerA')).status, order).toBe(200);
      }
    } finally {
      await t.prisma.case.delete({ where: { id: 'a-9' } });
    }
  });

  it('reads what the case waits for as its type means it: a missing item is sent again or refunded, never repaired', async () => {
    await aCase('a-choice', { orderId: 'SO-7', updated: 6 });
    await t.prisma.case.update({ where: { id: 'a-choice' }, data: { type: 'MISSING_ITEMS', status: 'WAITING_CUSTOMER', stage: 'AWAITING_CUSTOMER_CHOICE' } });
    try {
      const res = await app.inject({ method: 'GET', url: '/v1/cases/a-choice', headers: { authorization: `Bearer ${keys.customerA!.key}` } });
      expect(res.statusCode, res.body).toBe(200);
      // The case's customer reads zh-CN (the column's default): what happens next in Chinese.
      const { waitingFor } = res.json() as { waitingFor: { party: string; command: string; what: string } };
      expect(waitingFor).toMatchObject({ party: 'CUSTOMER', command: 'POST /v1/cases/a-choice/remedy-choice', what: expect.stringContaining('逾期未选择将默认退款') });
      expect(waitingFor.what).toMatch(/补发/);
      expect(waitingFor.what).not.toMatch(/维修/);
      // An English-reading customer reads the English a shop tells its customer.
      await t.prisma.case.update({ where: { id: 'a-choice' }, data: { customerLocale: 'en' } });
      const en = (await app.inject({ method: 'GET', url: '/v1/cases/a-choice', headers: { authorization: `Bearer ${keys.customerA!.key}` } })).json() as { waitingFor: { what: string } };
      expect(en.waitingFor.what).toContain('if you do not choose in time, you get the refund');
      expect(en.waitingFor.what).not.toMatch(/REPAIR|repair/);
    } finally {
      await t.prisma.case.delete({ where: { id: 'a-choice' } });
    }
  });

  it('refuses another customer’s id, the staff’s filters and the sync order, with the field and why', async () => {
    // An empty customerId (a storefront that lost its customer) would otherwise list every customer's cases.
    expect(await get('/v1/cases?customerId=', 'storefrontA')).toMatchObject({ status: 400, body: { field: 'querystring.customerId' } });
    expect(await get('/v1/cases?customerId=cust-2', 'customerA')).toMatchObject({ status: 400, body: { field: 'querystring.customerId', message: expect.stringContaining('another customer') } });
    expect(await get('/v1/cases?order=updated', 'customerA')).toMatchObject({ status: 400, body: { field: 'querystring.order', message: expect.stringContaining('storefront’s sync order') } });
    for (const query of ['mine=true', 'escalated=true', 'stuck=false', `assigneeId=${keys.agentA!.id}`]) {
      expect(await get(`/v1/cases?${query}`, 'customerA'), query).toMatchObject({ status: 400, body: { field: `querystring.${query.split('=')[0]}`, message: expect.stringContaining('a customer token may not filter by it') } });
    }
  });
});
