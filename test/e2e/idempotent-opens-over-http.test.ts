/**
 * Opening a case twice, over real HTTP: the server mints every case id; the storefront's own
 * `reference` names a case once per merchant (sent again with the same request: the case it
 * opened, 200, nothing added, no second workflow — not even after the case has ended; with
 * another request: 409 REFERENCE_IN_USE), and `Idempotency-Key` holds when the duplicates arrive
 * at the same moment (one case, the same answer for all).
 */
import { Client } from '@temporalio/client';
import { Prisma } from '../../generated/prisma/client.js';
import { describe, expect, it } from 'vitest';
import { waitUntil } from '../support/wait.js';
import { usePlatform } from './platform-harness.js';

const pt = usePlatform();
const DAY = 86_400_000;
let seq = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++seq}`;

function returnBody(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    customer: { id: 'cust-ref', locale: 'zh-CN' },
    order: {
      orderId: unique('ref-o'),
      currency: 'CNY',
      items: [
        { sku: 'MUG', name: '马克杯', quantity: 3, unitPriceMinor: 3333, unitCostMinor: 1200 },
        { sku: 'TEA', name: '茶叶', quantity: 1, unitPriceMinor: 5000, unitCostMinor: 2000 },
      ],
      shippingFeeMinor: 1000,
      paidTotalMinor: 15999,
      shippedAt: now - 3 * DAY,
      deliveredAt: now - DAY,
    },
    lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    ...over,
  };
}

const wrongItemBody = (over: Record<string, unknown> = {}) => ({
  customer: { id: 'cust-ref', locale: 'zh-CN' },
  order: { orderId: unique('ref-wi'), currency: 'CNY', items: [{ sku: 'MUG-BLUE', name: '蓝杯', quantity: 1, unitPriceMinor: 5_000, unitCostMinor: 2_000 }], shippingFeeMinor: 0, paidTotalMinor: 5_000 },
  orderedSku: 'MUG-BLUE',
  arrivedBarcode: '6901',
  barcodes: { 'MUG-BLUE': '6901' },
  ...over,
});

const open = (path: string, body: unknown, headers: Record<string, string> = {}) => pt.call('POST', path, pt.keys.STOREFRONT, body, headers);

describe('reference: the storefront’s own name for a case, unique per merchant', () => {
  it('the server mints the case id; the same reference with the same request answers the case it opened (200), adding nothing', async () => {
    const reference = unique('SO-R');
    const body = returnBody({ reference, evidenceUrls: ['https://evidence.example.com/ref/crack.jpg'] });
    const first = await open('/v1/returns', body);
    expect(first.status).toBe(201);
    const { caseId } = first.body;
    expect(caseId).not.toBe(reference);
    expect(first.body).toMatchObject({ reference, returnCode: caseId, workflowId: expect.stringContaining(caseId) });
    await pt.until(caseId, pt.keys.AGENT, 'AWAITING_RETURN_SHIPMENT');

    const again = await open('/v1/returns', body);
    // The same answer, with where the case stands now.
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { ...first.body, status: 'WAITING_CUSTOMER', stage: 'AWAITING_RETURN_SHIPMENT', closeReason: null } });
    const view = (await pt.call('GET', `/v1/cases/${caseId}`, pt.keys.AGENT)).body;
    expect(view).toMatchObject({ id: caseId, reference, stage: 'AWAITING_RETURN_SHIPMENT' });
    expect(view.evidence).toHaveLength(1);
    expect(view.timeline.filter((e: { kind: string }) => e.kind === 'OPENED')).toHaveLength(1);
    expect(await pt.db.case.count({ where: { orderId: body.order.orderId } })).toBe(1);

    const found = await pt.call('GET', `/v1/cases?reference=${reference}`, pt.keys.AGENT);
    expect(found).toMatchObject({ status: 200, body: { items: [{ id: caseId, reference }], nextCursor: null } });
  });

  it('the same reference with another request is 409 REFERENCE_IN_USE — on the same route or another', async () => {
    const reference = unique('SO-R');
    const first = await open('/v1/returns', returnBody({ reference }));
    expect(first.status).toBe(201);
    const other = await open('/v1/returns', returnBody({ reference, lines: [{ sku: 'TEA', quantity: 1, reason: 'DEFECTIVE' }] }));
    // Naming the case that holds the reference, so the client can read it instead.
    expect(other).toMatchObject({ status: 409, body: { error: 'REFERENCE_IN_USE', field: 'body.reference', message: `reference ${reference} already names case ${first.body.caseId} of this merchant, opened with another request` } });
    expect((await open('/v1/wrong-items', wrongItemBody({ reference }))).body.error).toBe('REFERENCE_IN_USE');
    expect(await pt.db.case.count({ where: { reference } })).toBe(1);
  });

  it('caseId in an opening body is the deprecated name of reference: it never chooses the case id', async () => {
    const reference = unique('SO-C');
    const body: Record<string, unknown> = returnBody({ caseId: reference });
    const first = await open('/v1/returns', body);
    expect(first.status).toBe(201);
    expect(first.body.caseId).not.toBe(reference);
    expect(first.body.reference).toBe(reference);
    // The same request under the new name is the same request.
    const { caseId: _alias, ...rest } = body;
    expect(await open('/v1/returns', { ...rest, reference })).toMatchObject({ status: 200, body: first.body });
    expect((await open('/v1/returns', { ...body, reference: `${reference}-x` })).status).toBe(400);
    // Another request under the deprecated name: the field it came in is the one named.
    expect((await open('/v1/returns', { ...body, lines: [{ sku: 'TEA', quantity: 1, reason: 'DEFECTIVE' }] })).body).toMatchObject({ error: 'REFERENCE_IN_USE', field: 'body.caseId' });
  });

  it('sent again after its case has ended: the same answer, and no second workflow run', async () => {
    const reference = unique('SO-W');
    const body = wrongItemBody({ reference });
    const first = await open('/v1/wrong-items', body);
    expect(first.status).toBe(201);
    const closed = await pt.until(first.body.caseId, pt.keys.AGENT, 'CLOSED');
    const handle = new Client({ connection: pt.temporal }).workflow.getHandle(first.body.workflowId);
    // The case's workflow has ended (it tells the customer after the CLOSED step, then completes).
    const run = await waitUntil('the case’s workflow to complete', async () => {
      const d = await handle.describe();
      return d.status.name === 'COMPLETED' && d;
    });

    const again = await open('/v1/wrong-items', body);
    // The same answer, saying the case has closed: its reference does not open it again.
    expect({ status: again.status, body: again.body }).toEqual({ status: 200, body: { ...first.body, status: 'CLOSED', stage: 'CLOSED', closeReason: closed.closeReason } });
    const after = await handle.describe();
    expect({ runId: after.runId, status: after.status.name }).toEqual({ runId: run.runId, status: run.status.name });
    const view = (await pt.call('GET', `/v1/cases/${first.body.caseId}`, pt.keys.AGENT)).body;
    expect({ stage: view.stage, timeline: view.timeline.length }).toEqual({ stage: 'CLOSED', timeline: closed.timeline.length });
  });

  it('8 identical opens at once with one reference: one case; one 201 and seven 200 with the same answer', async () => {
    const reference = unique('SO-P');
    const body = returnBody({ reference, evidenceUrls: ['https://evidence.example.com/ref/p.jpg'] });
    const answers = await Promise.all(Array.from({ length: 8 }, () => open('/v1/returns', body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 201]);
    const created = answers.find((a) => a.status === 201)!.body;
    for (const a of answers) expect(a.body).toMatchObject(created);
    // The seven repeats say where the case stands (it has just opened: not closed).
    for (const a of answers.filter((x) => x.status === 200)) expect(a.body).toMatchObject({ status: expect.any(String), stage: expect.any(String), closeReason: null });
    expect(await pt.db.case.count({ where: { orderId: body.order.orderId } })).toBe(1);
    expect(await pt.db.evidence.count({ where: { caseId: answers[0]!.body.caseId } })).toBe(1);
  });
});

describe('Idempotency-Key when the duplicates arrive together', () => {
  it('8 identical opens at once with one key: exactly one case, 8 identical answers', async () => {
    const body = returnBody();
    const key = unique('open-at-once');
    const answers = await Promise.all(Array.from({ length: 8 }, () => open('/v1/returns', body, { 'idempotency-key': key })));
    expect(await pt.db.case.count({ where: { orderId: body.order.orderId } })).toBe(1);
    for (const a of answers) expect({ status: a.status, body: a.body }).toEqual({ status: 201, body: answers[0]!.body });
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(7);
  });

  it('different bodies at once with one key: one is opened, the others are refused with 422', async () => {
    const key = unique('open-at-once');
    const bodies = Array.from({ length: 6 }, () => returnBody());
    const answers = await Promise.all(bodies.map((b) => open('/v1/returns', b, { 'idempotency-key': key })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 422).map((a) => a.body.error)).toEqual(Array(5).fill('IDEMPOTENCY_KEY_REUSED'));
    expect(await pt.db.case.count({ where: { orderId: { in: bodies.map((b) => b.order.orderId) } } })).toBe(1);
  });

  it('a retry that takes over the claim of an opening that died half-way gets that case, never a second one (found by the crash drill)', async () => {
    const body = returnBody();
    const key = unique('open-died');
    const first = await open('/v1/returns', body, { 'idempotency-key': key });
    expect(first.status).toBe(201);
    // As if the API had died after writing the case and before answering: the claim is left
    // unanswered, and its lease has run out, so the retry runs the handler again.
    const claim = await pt.db.idempotencyRecord.findFirstOrThrow({ where: { key } });
    await pt.db.idempotencyRecord.update({
      where: { principal_key: { principal: claim.principal, key } },
      data: { status: null, responseBody: Prisma.DbNull, claimedAt: new Date(Date.now() - 60 * 60_000) },
    });
    const retry = await open('/v1/returns', body, { 'idempotency-key': key });
    expect(retry.status).toBe(200);
    expect(retry.body.caseId).toBe(first.body.caseId);
    expect(await pt.db.case.count({ where: { orderId: body.order.orderId } })).toBe(1);
  });
});
