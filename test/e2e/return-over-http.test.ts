/**
 * End to end over real HTTP: the platform as `npm start` runs it (API, worker, the project's
 * Temporal dev server, Postgres — a database of this file's own), driven like a storefront,
 * a customer, the warehouse and an agent would; plus every error the API promises.
 */
import { Client, Connection } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { DATE_TIME_REASON, EPOCH_REASON } from '../../api/validation-problems.js';
import { loadConfig } from '../../app/config.js';
import { startPlatform, type Platform } from '../../app/platform.js';
import { createPrisma, type Db } from '../../db/client.js';
import { createTestDatabase } from '../../db/test-database.js';
import { waitUntil } from '../support/wait.js';
import { httpClient } from './client.js';

const DAY = 86_400_000;
let platform: Platform;
let drop: () => Promise<void>;
let db: Db;
let temporal: Connection;

beforeAll(async () => {
  const t = await createTestDatabase({ migrate: false });
  drop = t.drop;
  platform = await startPlatform(loadConfig({ PORT: '0', DATABASE_URL: t.url, DATA_DIR: '.data/e2e', COURIER_SECRETS: 'SF=sf-test-secret' }), { timeSkipping: true });
  db = createPrisma(t.url);
  // The test service moves the dev server's virtual clock (as TestWorkflowEnvironment does).
  temporal = await Connection.connect({ address: platform.temporalAddress, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as never);
}, 120_000);

afterAll(async () => {
  await temporal?.close();
  await db?.$disconnect();
  await platform?.stop();
  await drop?.();
});

const { call, until, untilStep } = httpClient(() => platform.apiUrl);

const keys = () => platform.keys as Record<string, string>;
let seq = 0;
function returnRequest(over: Record<string, unknown> = {}) {
  const now = Date.now();
  return {
    customer: { id: 'cust-42', locale: 'zh-CN' },
    order: {
      orderId: `o-${++seq}`,
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


describe('a return and refund from opening to closing, over HTTP', () => {
  it('storefront opens, customer ships, warehouse scans and inspects, refund, revisit, closed', async () => {
    const request = returnRequest();
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, request, { 'idempotency-key': 'open-case-0001' });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-42' })).body.token;

    const view = await until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    expect(view).toMatchObject({ status: 'WAITING_CUSTOMER', type: 'RETURN_AND_REFUND', requestedAmountMinor: 6666, policyVersion: 1 });
    expect(view.timeline.map((e: { kind: string }) => e.kind)).toEqual(expect.arrayContaining(['OPENED', 'SOLUTION_PROPOSED', 'RETURN_APPROVED']));
    // Who opened it: the storefront's key for staff, the storefront for the customer.
    expect(view.timeline.find((e: { kind: string }) => e.kind === 'OPENED').actor).toBe('storefront');
    const staffView = (await call('GET', `/v1/cases/${caseId}`, keys().AGENT)).body;
    expect(staffView.timeline.find((e: { kind: string }) => e.kind === 'OPENED').actor).toMatch(/^storefront:\S+$/);
    const proposed = view.timeline.find((e: { kind: string }) => e.kind === 'SOLUTION_PROPOSED');
    expect(proposed.decision).toMatchObject({ rule: 'noReasonReturnDays', outcome: 'APPROVE', policyVersion: 1 });
    // A rule approved the request as asked: no agent's lines to expect instead.
    expect(view.approvedLines).toBeNull();
    // Where the customer sends the goods, by when, and who pays for the parcel (a return with no reason:
    // the customer), in the case the customer (or the storefront) reads.
    const approved = view.timeline.find((e: { kind: string }) => e.kind === 'RETURN_APPROVED');
    expect(approved.data).toEqual({ returnCode: caseId, shipBy: view.deadlines.shipDueAt, returnAddress: expect.stringMatching(/\S/), postage: 'CUSTOMER' });
    // Approved at once: the solution was given at opening, well within its deadline.
    expect(Date.parse(view.solutionGivenAt)).toBeGreaterThanOrEqual(Date.parse(view.createdAt) - 1000);
    expect(Date.parse(view.solutionGivenAt)).toBeLessThanOrEqual(Date.parse(view.solutionDueAt));
    // Stack traces are off unless WORKFLOW_STACK_TRACES=on (test/ui/temporal-ui.test.ts): the Call Stack tab's query finds no frame.
    const stack = await new Client({ connection: temporal }).workflow.getHandle(`case-${caseId}`).query<string>('__stack_trace');
    expect(stack).toMatch(/^Error/);
    expect(stack).not.toMatch(/\bat /);

    // A blank carrier (a parcel's identifiers lose their surrounding spaces): named, with a reason
    // about it alone (the tracking number was fine).
    const blank = await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: ' ', trackingNumber: 'SF1000001' });
    expect(blank).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body.carrier' } });
    expect(blank.body.problems).toEqual([{ field: 'body.carrier', reason: 'must not be empty' }]);
    // Both fields wrong: both named in the same answer, so one round fixes them.
    const both = await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: '', trackingNumber: '      ' });
    expect(both.body.problems).toEqual([{ field: 'body.carrier', reason: 'must not be empty' }, { field: 'body.trackingNumber', reason: 'must be at least 4 characters' }]);
    expect((await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SF1000001' })).status).toBe(200);
    await until(caseId, token, 'AWAITING_ARRIVAL');
    // The same parcel entered again (a second click): the case as it is, not a refusal (another parcel
    // would correct the number: test/e2e/return-parcels-over-http.test.ts).
    expect(await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SF1000001' })).toMatchObject({ status: 200, body: { caseId, stage: 'AWAITING_ARRIVAL' } });
    // A parcel no case knows, or a code no case has: a 404 that names the field and says what to do.
    expect(await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { trackingNumber: 'SF9999999', scannedBy: 'dock-3' })).toMatchObject({ status: 404, body: { error: 'NOT_FOUND', field: 'body.trackingNumber', message: expect.stringContaining('scan the return code on the slip inside') } });
    expect(await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { returnCode: 'deadbeef00', scannedBy: 'dock-3' })).toMatchObject({ status: 404, body: { field: 'body.returnCode' } });
    const scanned = await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { trackingNumber: 'SF1000001', scannedBy: 'dock-3' });
    expect(scanned.status).toBe(202);
    expect(scanned.body).not.toHaveProperty('alreadyArrived');
    await until(caseId, keys().WAREHOUSE, 'AWAITING_INSPECTION');
    // Scanned again (the parcel went past the scanner twice): said so, with when and by whom it came in; nothing recorded again.
    const again = await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { returnCode: caseId, scannedBy: 'dock-5' });
    expect(again).toMatchObject({ status: 202, body: { caseId, stage: 'AWAITING_INSPECTION', alreadyArrived: { by: 'dock-3', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) } } });
    expect((await call('GET', `/v1/cases/${caseId}`, keys().WAREHOUSE)).body.timeline.filter((e: { kind: string }) => e.kind === 'ARRIVED')).toHaveLength(1);
    // A line the order does not have and more mugs than were bought (a typo that would book stock
    // never the shop's): both named in one answer (400), nothing lands.
    const wrong = await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 5, condition: 'OK' }, { sku: 'NOPE', receivedQuantity: 1, condition: 'OK' }] });
    expect(wrong).toMatchObject({ status: 400, body: { error: 'BAD_REQUEST', field: 'body.lines[1].sku' } });
    expect(wrong.body.problems).toEqual([{ field: 'body.lines[1].sku', reason: 'unknown SKU NOPE' }, { field: 'body.lines[0].receivedQuantity', reason: expect.stringMatching(/^5 of MUG received, but the order had \d: count again$/) }]);
    // Too early for the revisit: still the stage's 409.
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    const inspected = await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] });
    expect(inspected.status).toBe(200);
    const resolved = await until(caseId, token, 'RESOLVED');
    expect(resolved).toMatchObject({ status: 'RESOLVED', refundedAmountMinor: 6666 });
    // The scanner retries its report (no Idempotency-Key): the case as it is, nothing taken twice; another count is refused.
    expect(await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] })).toMatchObject({ status: 200, body: { stage: 'RESOLVED' } });
    expect(await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect(platform.simulators.payment!.refunds).toEqual([expect.objectContaining({ merchantId: 'demo-merchant', amountMinor: 6666, currency: 'CNY', idempotencyKey: `${caseId}:refund` })]);
    expect(await db.ledgerEntry.findMany({ where: { caseId }, select: { kind: true, amountMinor: true }, orderBy: { id: 'asc' } })).toEqual([
      { kind: 'REFUND', amountMinor: -6666n },
      { kind: 'RETURN_NOTE', amountMinor: 0n },
    ]);

    // The revisit comes days later: move the dev server's virtual clock forward.
    await temporal.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: (3 * 86_400 + 3_600) as never } });
    await until(caseId, token, 'AWAITING_REVISIT');
    expect((await call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 })).status).toBe(200);
    const closed = await until(caseId, token, 'CLOSED');
    expect(closed).toMatchObject({ status: 'CLOSED', closeReason: 'SATISFIED', satisfaction: 5 });
    // The customer's own answer names them; sent again (a second tap) it is answered with the case as
    // it is, as the first was; another score after it is refused: the first one stands.
    expect(closed.timeline.at(-1)).toMatchObject({ kind: 'CLOSED_SATISFIED', actor: expect.stringMatching(/^customer:cust-/) });
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 })).toMatchObject({ status: 200, body: { caseId, stage: 'CLOSED', status: 'CLOSED' } });
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 4 })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    // The two mugs came back and were refunded: returned again (a storefront bug, a customer trying
    // twice) they would be booked into stock a second time. The third mug is still the customer's.
    const returnedAgain = await call('POST', '/v1/returns', keys().STOREFRONT, { ...request, lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }] });
    expect(returnedAgain).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', field: 'body.lines' } });
    expect(returnedAgain.body.message).toContain(`in case ${caseId}`);
    expect((await call('POST', '/v1/returns', keys().STOREFRONT, { ...request, lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] })).status).toBe(201);
    // The closing notification follows the CLOSED step.
    await waitUntil('the caseClosed message', () => platform.simulators.notifier!.sent.some((m) => m.template === 'caseClosed'), {
      state: () => `sent: ${platform.simulators.notifier!.sent.map((m) => m.template).join(', ')}`,
    });
    expect(platform.simulators.notifier!.sent.map((m) => m.template)).toEqual(
      expect.arrayContaining(['returnApprovedWithPostage', 'parcelReceived', 'refundIssued', 'revisitSilenceCloses', 'caseClosed']),
    );
  });
});

describe('API errors', () => {
  it('401 without a key, 403 for the wrong role, 404 for another customer’s case', async () => {
    const { caseId } = (await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest())).body;
    expect((await call('GET', `/v1/cases/${caseId}`, undefined)).status).toBe(401);
    expect((await call('GET', `/v1/cases/${caseId}`, 'not-a-key')).status).toBe(401);
    expect((await call('POST', '/v1/returns', keys().WAREHOUSE, returnRequest())).status).toBe(403);
    const stranger = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'someone-else' })).body.token;
    const res = await call('GET', `/v1/cases/${caseId}`, stranger);
    expect(res).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect((await call('GET', '/v1/cases/does-not-exist', keys().AGENT)).status).toBe(404);
  });

  it('400 names the field and the reason', async () => {
    const bad = await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest({ lines: [{ sku: 'MUG', quantity: 9, reason: 'NO_REASON' }] }));
    expect(bad).toMatchObject({ status: 400, body: { field: 'body.lines[0].quantity', message: expect.stringContaining('more than the 3 ordered') } });
    const unknownSku = await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest({ lines: [{ sku: 'NOPE', quantity: 1, reason: 'NO_REASON' }] }));
    expect(unknownSku.body.field).toBe('body.lines[0].sku');
    const negative = await call('POST', '/v1/returns', keys().STOREFRONT, { ...returnRequest(), order: { ...returnRequest().order, shippingFeeMinor: -5 } });
    expect(negative).toMatchObject({ status: 400, body: { field: expect.stringContaining('shippingFeeMinor') } });
    expect((await call('POST', '/v1/returns', keys().STOREFRONT, '{not json')).status).toBe(400);
    expect((await call('GET', '/v1/cases?limit=5000', keys().AGENT)).status).toBe(400);
    // The policy's amounts (its auto-approve limit, in CNY) would be read against yen: refused, nothing opened.
    const yen = { ...returnRequest(), order: { ...returnRequest().order, orderId: 'order-in-yen', currency: 'JPY' } };
    expect(await call('POST', '/v1/returns', keys().STOREFRONT, yen)).toMatchObject({ status: 400, body: { field: 'body.order.currency', message: expect.stringMatching(/is JPY, but .* counts its amounts in CNY/) } });
    expect((await call('GET', '/v1/cases?orderId=order-in-yen', keys().AGENT)).body.items).toEqual([]);
  });

  it('409 with the workflow’s reason for a command at the wrong stage', async () => {
    const { caseId } = (await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest())).body;
    await until(caseId, keys().AGENT, 'AWAITING_RETURN_SHIPMENT');
    const res = await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'w', lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] });
    expect(res).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('AWAITING_RETURN_SHIPMENT') } });
    // With the case as it is now, what it waits for said to the sender: the warehouse reads the staff's English…
    expect(res.body.case).toEqual({ caseId, stage: 'AWAITING_RETURN_SHIPMENT', status: 'WAITING_CUSTOMER', late: expect.any(Boolean), waitingFor: { party: 'CUSTOMER', command: `POST /v1/cases/${caseId}/return-shipment`, what: expect.stringMatching(/^the customer sends the goods back/), deadlineAt: expect.stringMatching(/^\d{4}-/) } });
    // …and a storefront passing on a customer's answer that came too early reads words it can show
    // its customer, in their language (zh-CN), rather than only the stage's name.
    const early = await call('POST', `/v1/cases/${caseId}/revisit`, keys().STOREFRONT, { score: 5 });
    expect(early).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', case: { stage: 'AWAITING_RETURN_SHIPMENT', waitingFor: { party: 'CUSTOMER', what: '请在截止时间前寄回商品并填写快递单号；逾期未寄回，本次售后申请将关闭' } } } });
    expect(early.body.case.waitingFor.deadlineAt).toBe(res.body.case.waitingFor.deadlineAt);
    // A case the sender may not see is not shown: a refusal of its own (404), never its state.
    expect(await call('POST', `/v1/cases/no-such-case/revisit`, keys().STOREFRONT, { score: 5 })).toMatchObject({ status: 404 });
  });

  it('a customer withdraws a return before sending it: closed WITHDRAWN; once it is closed, a 409', async () => {
    const request = returnRequest({ reference: `WD-REF-${seq}` });
    const { caseId } = (await call('POST', '/v1/returns', keys().STOREFRONT, request)).body;
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-42' })).body.token;
    // The case says it takes a withdrawal now: the storefront shows its customer the button.
    expect(await until(caseId, token, 'AWAITING_RETURN_SHIPMENT')).toMatchObject({ withdrawable: true });
    expect(await call('POST', `/v1/cases/${caseId}/withdrawal`, token, { reason: '' })).toMatchObject({ status: 400, body: { field: 'body.reason' } });
    // The answer says why it closed and what it refunded: no second read to tell the customer.
    expect(await call('POST', `/v1/cases/${caseId}/withdrawal`, token, { reason: '买错了' })).toMatchObject({ status: 200, body: { caseId, stage: 'CLOSED', status: 'CLOSED', waitingFor: null, closeReason: 'WITHDRAWN', refundedAmountMinor: 0 } });
    const closed = await until(caseId, token, 'CLOSED');
    expect(closed).toMatchObject({ closeReason: 'WITHDRAWN', withdrawable: false });
    expect(closed.timeline.at(-1)).toMatchObject({ kind: 'WITHDRAWN', data: { comment: '买错了' } });
    expect(await call('POST', `/v1/cases/${caseId}/withdrawal`, token, {})).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    // Its reference sent again names that case, and says it is closed, withdrawn: not reopened.
    expect(await call('POST', '/v1/returns', keys().STOREFRONT, request)).toMatchObject({ status: 200, body: { caseId, status: 'CLOSED', stage: 'CLOSED', closeReason: 'WITHDRAWN' } });
    // Withdrawn, nothing sent or refunded: the mugs are still the customer's to ask about, under a new reference.
    expect((await call('POST', '/v1/returns', keys().STOREFRONT, { ...request, reference: `WD-REF-${seq}-2` })).status).toBe(201);
  });

  it('a withdrawal tapped three times at once: withdrawn once, every tap answered as the first (never "not found", nor a refusal a storefront cannot tell from a real one); another reason after it is refused', async () => {
    const { caseId } = (await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest({ customer: { id: 'cust-triple', locale: 'zh-CN' } }))).body;
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-triple' })).body.token;
    await until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    const taps = await Promise.all([1, 2, 3].map(() => call('POST', `/v1/cases/${caseId}/withdrawal`, token, { reason: '不想退了' })));
    expect(taps.map((t) => t.status)).toEqual([200, 200, 200]);
    for (const tap of taps) expect(tap.body).toMatchObject({ caseId, stage: 'CLOSED', status: 'CLOSED', closeReason: 'WITHDRAWN' });
    const closed = await until(caseId, token, 'CLOSED');
    expect(closed.timeline.filter((e: { kind: string }) => e.kind === 'WITHDRAWN')).toHaveLength(1);
    expect(await call('POST', `/v1/cases/${caseId}/withdrawal`, token, { reason: '另一个原因' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringContaining('closed') } });
  });

  it('Idempotency-Key: same body → same answer, different body → 422', async () => {
    const body = returnRequest({ caseId: `idem-${Date.now()}` });
    const a = await call('POST', '/v1/returns', keys().STOREFRONT, body, { 'idempotency-key': 'key-abcdefgh' });
    const b = await call('POST', '/v1/returns', keys().STOREFRONT, body, { 'idempotency-key': 'key-abcdefgh' });
    expect(b).toMatchObject({ status: a.status, body: a.body });
    expect(b.headers.get('idempotent-replayed')).toBe('true');
    const c = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, lines: [{ sku: 'TEA', quantity: 1, reason: 'DEFECTIVE' }] }, { 'idempotency-key': 'key-abcdefgh' });
    expect(c).toMatchObject({ status: 422, body: { error: 'IDEMPOTENCY_KEY_REUSED' } });
  });

  it('agents list and filter cases from the read model', async () => {
    const res = await call('GET', '/v1/cases?type=RETURN_AND_REFUND&limit=2', keys().AGENT);
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(2);
    expect(res.body.nextCursor).toEqual(expect.any(String));
    const next = await call('GET', `/v1/cases?type=RETURN_AND_REFUND&limit=2&cursor=${res.body.nextCursor}`, keys().AGENT);
    expect(next.body.items[0].id).not.toBe(res.body.items[0].id);
    expect((await call('GET', '/v1/cases', keys().WAREHOUSE)).status).toBe(403);
  });

  it('courier callbacks must be signed by the carrier', async () => {
    const event = JSON.stringify({ trackingNumber: 'SF1000001', code: 'IN_TRANSIT', at: Date.now(), eventId: 'evt-1' });
    const unsigned = await call('POST', '/v1/couriers/SF/events', undefined, event);
    expect(unsigned.status).toBe(401);
    const forged = await call('POST', '/v1/couriers/SF/events', undefined, event, { 'x-signature': sign('wrong-secret', event, Math.floor(Date.now() / 1000)) });
    expect(forged.status).toBe(401);
    const signed = await call('POST', '/v1/couriers/SF/events', undefined, event, { 'x-signature': sign('sf-test-secret', event, Math.floor(Date.now() / 1000)) });
    expect(signed).toMatchObject({ status: 202, body: { accepted: true } });
    expect((await call('POST', '/v1/couriers/NOPE/events', undefined, event)).status).toBe(404);
  });

  it('409 GOODS_ALREADY_CLAIMED: the same mugs asked back by a second case while the first holds them; the mug it left is free', async () => {
    const first = returnRequest();
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, first);
    expect(opened.status).toBe(201);
    const twice = await call('POST', '/v1/returns', keys().STOREFRONT, { ...first, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
    expect(twice).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', field: 'body.lines' } });
    expect(twice.body.message).toContain(`2 of the 3 ordered are already in case ${opened.body.caseId} (2)`);
    expect(twice.body.message).toMatch(/: follow that case, or ask for what it does not hold$/);
    // The third mug and the tea are the customer's to ask about.
    expect((await call('POST', '/v1/returns', keys().STOREFRONT, { ...first, lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }, { sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] })).status).toBe(201);
  });

  it('409 GOODS_ALREADY_CLAIMED names every case that holds the goods, and says "those cases" when there are several', async () => {
    const first = returnRequest({ lines: [{ sku: 'MUG', quantity: 1, reason: 'DEFECTIVE' }] });
    const a = await call('POST', '/v1/returns', keys().STOREFRONT, first);
    const b = await call('POST', '/v1/returns', keys().STOREFRONT, { ...first, lines: [{ sku: 'MUG', quantity: 1, reason: 'NO_REASON' }] });
    expect([a.status, b.status]).toEqual([201, 201]);
    const third = await call('POST', '/v1/returns', keys().STOREFRONT, { ...first, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] });
    expect(third).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', field: 'body.lines' } });
    expect(third.body.message).toContain(a.body.caseId);
    expect(third.body.message).toContain(b.body.caseId);
    expect(third.body.message).toMatch(/: follow those cases, or ask for what they do not hold$/);
  });

  it('approved in part: the warehouse expects what the agent approved, not the whole request (its task, the parcel lookup)', async () => {
    // Delivered 30 days ago, no reason given: outside the no-reason window, an agent decides.
    const body = returnRequest({ lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }, { sku: 'TEA', quantity: 1, reason: 'NO_REASON' }] });
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, order: { ...body.order, shippedAt: Date.now() - 32 * DAY, deliveredAt: Date.now() - 30 * DAY } });
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await until(caseId, keys().AGENT, 'AWAITING_DECISION');
    expect((await call('POST', `/v1/cases/${caseId}/proposals`, keys().AGENT, { decision: 'APPROVE', lines: [{ sku: 'MUG', quantity: 1 }], reason: '茶叶已拆封，不予退货' })).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_CUSTOMER_CONSENT');
    // The case view says what was approved, to staff and to the customer's storefront alike.
    expect((await call('GET', `/v1/cases/${caseId}`, keys().AGENT)).body.approvedLines).toEqual([{ sku: 'MUG', quantity: 1 }]);
    expect((await call('GET', `/v1/cases/${caseId}`, keys().STOREFRONT)).body.approvedLines).toEqual([{ sku: 'MUG', quantity: 1 }]);
    expect((await call('POST', `/v1/cases/${caseId}/proposal-answer`, keys().AGENT, { accept: true })).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_RETURN_SHIPMENT');
    // Accepted twice (a double tap): the second answered with the case as it is; declining now, or
    // accepting with words the first did not have, is another answer: refused.
    expect(await call('POST', `/v1/cases/${caseId}/proposal-answer`, keys().AGENT, { accept: true })).toMatchObject({ status: 200, body: { caseId, stage: 'AWAITING_RETURN_SHIPMENT' } });
    expect(await call('POST', `/v1/cases/${caseId}/proposal-answer`, keys().AGENT, { accept: false })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect(await call('POST', `/v1/cases/${caseId}/proposal-answer`, keys().AGENT, { accept: true, comment: '只退一只杯子' })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    expect((await call('POST', `/v1/cases/${caseId}/return-shipment`, keys().AGENT, { carrier: 'SF', trackingNumber: 'SFPART0001' })).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_ARRIVAL');
    const lookup = await call('GET', '/v1/warehouse/parcels?trackingNumber=SFPART0001', keys().WAREHOUSE);
    expect(lookup.body.cases).toEqual([expect.objectContaining({ caseId, lines: [{ sku: 'MUG', name: '马克杯', quantity: 1 }] })]);
    expect((await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { trackingNumber: 'SFPART0001', scannedBy: 'dock-3' })).status).toBe(202);
    await until(caseId, keys().AGENT, 'AWAITING_INSPECTION');
    const tasks = await call('GET', '/v1/warehouse/tasks', keys().WAREHOUSE);
    expect(tasks.body.items.find((t: { caseId: string }) => t.caseId === caseId)).toMatchObject({ task: 'INSPECT_RETURN', lines: [{ sku: 'MUG', name: '马克杯', quantity: 1 }] });
    // The refused tea stays with the customer: another case may ask about it (it held it before); the approved mug it holds.
    const order = { ...body.order, shippedAt: Date.now() - 32 * DAY, deliveredAt: Date.now() - 30 * DAY };
    const tea = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, order, lines: [{ sku: 'TEA', quantity: 1, reason: 'DEFECTIVE' }] });
    expect(tea.status, JSON.stringify(tea.body)).toBe(201);
    const mugs = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, order, lines: [{ sku: 'MUG', quantity: 3, reason: 'DEFECTIVE' }] });
    expect(mugs).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED' } });
    expect(mugs.body.message).toContain(caseId);
  });

  it('a count mismatch: the agent is told what each refund would come to, and the one chosen is what the case refunds', async () => {
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest());
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    await until(caseId, keys().AGENT, 'AWAITING_RETURN_SHIPMENT');
    expect((await call('POST', `/v1/cases/${caseId}/return-shipment`, keys().AGENT, { carrier: 'SF', trackingNumber: 'SFCOUNT0001' })).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_ARRIVAL');
    expect(((await call('GET', `/v1/cases/${caseId}`, keys().AGENT)).body.agentRefunds)).toBeNull();
    expect((await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { trackingNumber: 'SFCOUNT0001', scannedBy: 'dock-3' })).status).toBe(202);
    await until(caseId, keys().AGENT, 'AWAITING_INSPECTION');
    // Two mugs asked back, one in the parcel.
    expect((await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 1, condition: 'OK' }] })).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_AGENT');
    const view = (await call('GET', `/v1/cases/${caseId}`, keys().AGENT)).body;
    expect(view.agentRefunds).toEqual({ REFUND_RECEIVED: 3333, REFUND_REQUESTED: 6666 });
    // Staff only: the storefront's view has no such field.
    expect((await call('GET', `/v1/cases/${caseId}`, keys().STOREFRONT)).body).not.toHaveProperty('agentRefunds');
    // The mug that came back is the customer's: not closed without a refund, and the case still waits.
    expect(await call('POST', `/v1/cases/${caseId}/resolution`, keys().AGENT, { action: 'CLOSE', note: 'short' })).toMatchObject({
      status: 400,
      body: { field: 'body.action', message: expect.stringContaining('the warehouse holds goods the customer sent back (MUG × 1)') },
    });
    expect((await call('GET', `/v1/cases/${caseId}`, keys().AGENT)).body).toMatchObject({ stage: 'AWAITING_AGENT' });
    expect((await call('POST', `/v1/cases/${caseId}/resolution`, keys().AGENT, { action: 'REFUND_RECEIVED', note: 'one mug in the parcel' })).status).toBe(200);
    const resolved = await until(caseId, keys().AGENT, 'RESOLVED');
    expect(resolved.refundedAmountMinor).toBe(view.agentRefunds.REFUND_RECEIVED);
    expect(resolved.agentRefunds).toBeNull();
  });

  it('a time in the wrong form is refused with what to send: epoch milliseconds in a body, a date-time with its zone in a query', async () => {
    const body = returnRequest();
    const iso = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, order: { ...body.order, shippedAt: '2026-11-28T10:00:00+08:00' } });
    expect(iso).toMatchObject({ status: 400, body: { problems: [{ field: 'body.order.shippedAt', reason: EPOCH_REASON }] } });
    const query = await call('GET', '/v1/cases?order=updated&updatedAfter=1796228244183', keys().AGENT);
    expect(query).toMatchObject({ status: 400, body: { problems: [{ field: 'querystring.updatedAfter', reason: DATE_TIME_REASON }] } });
  });

  it('the same return sent three times at once (a double click, no Idempotency-Key or reference): one case, the taps after it answered with that case (200); the same goods asked back by another request: 409', async () => {
    const body = returnRequest({ lines: [{ sku: 'MUG', quantity: 3, reason: 'DEFECTIVE' }] });
    const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/v1/returns', keys().STOREFRONT, body)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 201]);
    const opened = answers.find((a) => a.status === 201)!;
    for (const again of answers.filter((a) => a.status === 200)) expect(again.body).toMatchObject({ caseId: opened.body.caseId, returnCode: opened.body.caseId, status: expect.any(String), stage: expect.any(String) });
    expect((await call('GET', `/v1/cases?orderId=${body.order.orderId}`, keys().AGENT)).body.items).toHaveLength(1);
    // The same goods for another reason is another request: refused, as held by that case.
    const other = await call('POST', '/v1/returns', keys().STOREFRONT, { ...body, lines: [{ sku: 'MUG', quantity: 3, reason: 'NO_REASON' }] });
    expect(other).toMatchObject({ status: 409, body: { error: 'GOODS_ALREADY_CLAIMED', field: 'body.lines' } });
    expect(other.body.message).toContain(opened.body.caseId);
  });

  it('health and readiness', async () => {
    expect((await call('GET', '/health', undefined)).body).toEqual({ status: 'ok' });
    expect((await call('GET', '/ready', undefined)).body).toEqual({ database: 'ok', temporal: 'ok', worker: 'polling' });
    expect((await call('GET', '/docs/json', undefined)).body.paths['/v1/returns']).toBeDefined();
  });
});

describe('a lost return parcel: the courier claim', () => {
  it('is filed by its own process, decided by the carrier’s signed callback, and the recovery is booked', async () => {
    const { caseId } = (await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest())).body;
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-42' })).body.token;
    await until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFLOST01' });
    await until(caseId, token, 'AWAITING_ARRIVAL');
    await temporal.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: (11 * 86_400) as never } });
    const lost = await until(caseId, keys().AGENT, 'AWAITING_AGENT');
    expect(lost.timeline.map((e: { kind: string }) => e.kind)).toContain('PARCEL_LOST');
    const filed: { data: { claimId: string; claimedMinor: number } } = await untilStep(caseId, keys().AGENT, 'CLAIM_FILED');
    expect(filed.data).toMatchObject({ claimedMinor: 6666 });
    const { claimId } = filed.data;

    const decision = (body: unknown, secret = 'sf-test-secret', carrier = 'SF') => {
      const raw = JSON.stringify(body);
      const path = `/v1/couriers/${carrier}/claims/${claimId}/decision`;
      return call('POST', path, undefined, raw, { 'x-signature': sign(secret, raw, Math.floor(Date.now() / 1000), { method: 'POST', path }) });
    };
    expect((await decision({ status: 'PAID', paidMinor: 6666, at: Date.now() }, 'forged-secret')).status).toBe(401);
    // The URL names the claim and the body does not: a body-only (v1) signature, or one made for
    // another claim's URL (a captured decision replayed here), is refused before anything is read.
    const paid = JSON.stringify({ status: 'PAID', paidMinor: 6666, at: Date.now() });
    const now = Math.floor(Date.now() / 1000);
    expect(await call('POST', `/v1/couriers/SF/claims/${claimId}/decision`, undefined, paid, { 'x-signature': sign('sf-test-secret', paid, now) })).toMatchObject({ status: 401, body: { error: 'BAD_SIGNATURE', message: expect.stringContaining('must carry a v2 signature here') } });
    const forAnother = sign('sf-test-secret', paid, now, { method: 'POST', path: '/v1/couriers/SF/claims/cl_another/decision' });
    expect(await call('POST', `/v1/couriers/SF/claims/${claimId}/decision`, undefined, paid, { 'x-signature': forAnother })).toMatchObject({ status: 401, body: { error: 'BAD_SIGNATURE', message: expect.stringContaining(`"POST /v1/couriers/SF/claims/${claimId}/decision"`) } });
    expect(await decision({ status: 'PAID', paidMinor: 1000, at: Date.now() })).toMatchObject({ status: 400, body: { field: 'body.paidMinor' } });
    expect(await decision({ status: 'PARTLY_PAID', paidMinor: 5000, at: Date.now() })).toMatchObject({ status: 400, body: { field: 'body.reason' } });
    const unknownClaim = JSON.stringify({ status: 'REFUSED', paidMinor: 0, at: Date.now() });
    const nope = { method: 'POST', path: '/v1/couriers/SF/claims/cl_nope/decision' };
    expect((await call('POST', nope.path, undefined, unknownClaim, { 'x-signature': sign('sf-test-secret', unknownClaim, Math.floor(Date.now() / 1000), nope) })).status).toBe(404);
    // Dated before the claim was filed (a day back; or in epoch seconds): refused, naming body.at.
    expect(await decision({ status: 'PARTLY_PAID', paidMinor: 5000, reason: 'uninsured value limit', at: Date.now() - 86_400_000 })).toMatchObject({ status: 400, body: { field: 'body.at', message: expect.stringContaining(`before claim ${claimId} was filed`) } });
    expect(await decision({ status: 'PARTLY_PAID', paidMinor: 5000, reason: 'uninsured value limit', at: Math.floor(Date.now() / 1000) })).toMatchObject({ status: 400, body: { field: 'body.at' } });
    expect(await decision({ status: 'PARTLY_PAID', paidMinor: 5000, reason: 'uninsured value limit', at: Date.now() })).toMatchObject({ status: 202, body: { caseId, duplicate: false } });
    // The carrier's reason is on the case's timeline: what the shop disputes a short payment on.
    expect((await untilStep(caseId, keys().AGENT, 'CLAIM_PARTLY_PAID')).data).toMatchObject({ claimId, recoveredMinor: 5000, reason: 'uninsured value limit' });
    // The carrier retries after a timeout (its URL spelling the code in lower case): the same decision is acknowledged, another is refused.
    expect(await decision({ status: 'PARTLY_PAID', paidMinor: 5000, reason: 'uninsured value limit', at: Date.now() }, 'sf-test-secret', 'sf')).toMatchObject({ status: 202, body: { caseId, duplicate: true } });
    expect(await decision({ status: 'PAID', paidMinor: 6666, at: Date.now() })).toMatchObject({ status: 409, body: { error: 'CLAIM_ALREADY_DECIDED', field: 'body.status' } });

    const recovery = await waitUntil('the claim recovery in the ledger', async () => {
      const entries = await db.ledgerEntry.findMany({ where: { caseId, kind: 'CLAIM_RECOVERY' }, select: { kind: true, amountMinor: true } });
      return entries.length ? entries : undefined;
    });
    expect(recovery).toEqual([{ kind: 'CLAIM_RECOVERY', amountMinor: 5000n }]);
    // Nothing came back to refund: the API takes only the actions this wait offers.
    expect(await call('POST', `/v1/cases/${caseId}/resolution`, keys().AGENT, { action: 'REFUND_RECEIVED' })).toMatchObject({
      status: 400,
      body: { field: 'body.action', message: expect.stringContaining('this wait (PARCEL_LOST) takes REFUND_REQUESTED, CLOSE') },
    });
    // The customer was not kept waiting for the carrier: the agent settles the case meanwhile.
    expect((await call('POST', `/v1/cases/${caseId}/resolution`, keys().AGENT, { action: 'REFUND_REQUESTED' })).status).toBe(200);
    await until(caseId, token, 'RESOLVED');
  });
});

// Last in the file: it moves the dev server's virtual clock on by a week, past the no-reason window
// of the returns the tests before it open with real-time delivery dates.
describe('an answer sent again across revisit rounds', () => {
  it('a revisit score sent again is answered as it is, the case having taken it; another answer is refused, in its round and after', async () => {
    // Defective: approved whatever the virtual clock says of its delivery date (a shop-fault return has no no-reason window).
    const opened = await call('POST', '/v1/returns', keys().STOREFRONT, returnRequest({ customer: { id: 'cust-rounds', locale: 'zh-CN' }, lines: [{ sku: 'MUG', quantity: 2, reason: 'DEFECTIVE' }] }));
    expect(opened.status).toBe(201);
    const { caseId } = opened.body;
    const token = (await call('POST', '/v1/customer-tokens', keys().STOREFRONT, { customerId: 'cust-rounds' })).body.token;
    await until(caseId, token, 'AWAITING_RETURN_SHIPMENT');
    expect((await call('POST', `/v1/cases/${caseId}/return-shipment`, token, { carrier: 'SF', trackingNumber: 'SFROUNDS01' })).status).toBe(200);
    await until(caseId, token, 'AWAITING_ARRIVAL');
    expect((await call('POST', '/v1/warehouse/arrivals', keys().WAREHOUSE, { trackingNumber: 'SFROUNDS01', scannedBy: 'dock-3' })).status).toBe(202);
    await until(caseId, token, 'AWAITING_INSPECTION');
    expect((await call('POST', `/v1/cases/${caseId}/inspection`, keys().WAREHOUSE, { by: 'inspector-7', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] })).status).toBe(200);
    await until(caseId, token, 'RESOLVED');
    await temporal.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: (3 * 86_400 + 3_600) as never } });
    await until(caseId, token, 'AWAITING_REVISIT');
    const low = { score: 2, comment: '退款太慢' };
    expect((await call('POST', `/v1/cases/${caseId}/revisit`, token, low)).status).toBe(200);
    await until(caseId, keys().AGENT, 'AWAITING_AGENT');
    // Sent again in its round (a second tap): answered with the case as it is; another comment is another answer.
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, low)).toMatchObject({ status: 200, body: { caseId, stage: 'AWAITING_AGENT' } });
    expect((await call('POST', `/v1/cases/${caseId}/revisit`, token, { ...low, comment: '其实还行' })).status).toBe(409);
    expect((await call('POST', `/v1/cases/${caseId}/resolution`, keys().AGENT, { action: 'CONTINUE', note: '已向顾客解释退款时效' })).status).toBe(200);
    await until(caseId, token, 'RESOLVED');
    // Resolved again, waiting for its next revisit: a late retry of the same answer hears the case as it is;
    // any other answer is a 409 (nothing is asked of the customer now).
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, low)).toMatchObject({ status: 200, body: { caseId, stage: 'RESOLVED' } });
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, { score: 5 })).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    // The next revisit goes out, and the customer calls first: escalated, the revisit is withdrawn.
    // The first round's score sent now answers nothing the case asks: refused, not "taken".
    await temporal.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: (3 * 86_400 + 3_600) as never } });
    await until(caseId, token, 'AWAITING_REVISIT');
    expect((await call('POST', `/v1/cases/${caseId}/escalations`, keys().AGENT, { reason: '顾客来电：仍不满意' })).status).toBe(202);
    await untilStep(caseId, keys().AGENT, 'REOPENED_ON_ESCALATION');
    expect(await call('POST', `/v1/cases/${caseId}/revisit`, token, low)).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
  });
});
