/**
 * What came into a case from outside, recorded for the policy what-if and read back over HTTP
 * (`GET /v1/cases/:caseId/inputs`): a return driven through the API — opening, return shipment, a
 * return shipment sent again at the wrong stage (refused), a courier event on the return parcel,
 * the arrival scan, the inspection (retried with its Idempotency-Key: recorded once), the revisit
 * and a revisit after the case closed (refused). Each input is there once, in order, with the
 * argument the workflow got (compared with the workflow's own history), its sender, its outcome
 * and its offset from the opening; only the merchant's supervisors and admins may read them.
 */
import { Client } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../../adapters/http/signature.js';
import { merchantCaseInputs, recordCaseInput } from '../../db/case-inputs.js';
import { inputTimeline, recordableOpening } from '../../domain/case-inputs.js';
import { usePlatform } from './platform-harness.js';

const SF_SECRET = 'sf-inputs-secret-01';
const pt = usePlatform({ COURIER_SECRETS: `SF=${SF_SECRET}` });
const DAY = 86_400_000;
const OTHER_MERCHANT = 'inputs-other-shop';

interface InputView {
  seq: number;
  at: string;
  afterMs: number;
  via: string;
  kind: string;
  workflowId: string;
  arg: any;
  sender: { role: string; id: string | null };
  requestId: string | null;
  outcome: string;
  reason: string | null;
}

let otherSupervisor: string;

beforeAll(async () => {
  const admin = pt.keys.ADMIN!;
  expect((await pt.call('PUT', `/v1/admin/merchants/${OTHER_MERCHANT}`, admin, { name: 'Other shop', defaultCurrency: 'CNY', returnAddress: { name: 'Returns', phone: '021-00000000', address: 'Shanghai' } })).status).toBe(201);
  otherSupervisor = (await pt.call('POST', '/v1/admin/keys', admin, { role: 'SUPERVISOR', merchantId: OTHER_MERCHANT, label: 'inputs test' })).body.key;
});

function returnBody(orderId: string, customerId: string) {
  const now = Date.now();
  return {
    customer: { id: customerId, locale: 'en' },
    order: {
      orderId,
      currency: 'CNY',
      items: [{ sku: 'MUG', name: 'Mug', quantity: 2, unitPriceMinor: 3333, unitCostMinor: 1200 }],
      shippingFeeMinor: 0,
      paidTotalMinor: 6666,
      shippedAt: now - 3 * DAY,
      deliveredAt: now - DAY,
    },
    lines: [{ sku: 'MUG', quantity: 2, reason: 'NO_REASON' }],
    evidenceUrls: ['https://evidence.example.com/inputs/mug.jpg'],
  };
}

/** A call with the wall-clock window it ran in: the API stamps its input inside that window. */
async function timed<T>(send: () => Promise<T>): Promise<{ reply: T; from: number; to: number }> {
  const from = Date.now();
  const reply = await send();
  return { reply, from, to: Date.now() };
}

const inputsOf = async (caseId: string, key = pt.keys.SUPERVISOR!) => {
  const r = await pt.call('GET', `/v1/cases/${caseId}/inputs`, key);
  expect(r.status).toBe(200);
  return r.body as { caseId: string; policyVersion: number; openedAt: string; inputs: InputView[] };
};

/** What the workflow itself got, from its history: its input, then each signal and accepted update in order. */
async function historyOf(workflowId: string) {
  const client = new Client({ connection: pt.temporal });
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const decode = <T = unknown>(p: unknown): T => defaultPayloadConverter.fromPayload<T>(p as never);
  let input: Record<string, unknown> | undefined;
  const received: Array<{ kind: string; arg: unknown }> = [];
  for (const e of history.events ?? []) {
    if (e.workflowExecutionStartedEventAttributes) input = decode<Record<string, unknown>>(e.workflowExecutionStartedEventAttributes.input!.payloads![0]);
    const signal = e.workflowExecutionSignaledEventAttributes;
    if (signal) received.push({ kind: signal.signalName!, arg: decode(signal.input!.payloads![0]) });
    const update = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input;
    if (update) received.push({ kind: update.name!, arg: decode(update.args!.payloads![0]) });
  }
  return { input: input!, received };
}

async function push(trackingNumber: string, eventId: string, at: number) {
  const raw = JSON.stringify({ trackingNumber, code: 'IN_TRANSIT', description: 'left the sorting centre', at, eventId });
  return pt.call('POST', '/v1/couriers/SF/events', undefined, raw, { 'x-signature': sign(SF_SECRET, raw, Math.floor(Date.now() / 1000)) });
}

describe('the inputs of a case, recorded and read back', () => {
  it('a return from opening to closing: every input once, in order, as the workflow got it, with its outcome and offset', async () => {
    const body = returnBody('inputs-o-1', 'cust-inputs-1');
    const open = await timed(() => pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { ...body, reference: 'INPUTS-R1' }, { 'x-request-id': 'inputs-open-1' }));
    expect(open.reply.status).toBe(201);
    const { caseId, workflowId } = open.reply.body;
    // The same opening again by its reference: the same case, its opening recorded once.
    expect((await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, { ...body, reference: 'INPUTS-R1' })).status).toBe(200);
    const token = await pt.call('POST', '/v1/customer-tokens', pt.keys.STOREFRONT, { customerId: 'cust-inputs-1' });
    const customer = token.body.token as string;
    await pt.until(caseId, customer, 'AWAITING_RETURN_SHIPMENT');

    const windows: Array<{ from: number; to: number }> = [open];
    const ship = await timed(() => pt.call('POST', `/v1/cases/${caseId}/return-shipment`, customer, { carrier: 'SF', trackingNumber: 'SFINPUTS01' }));
    expect(ship.reply.status).toBe(200);
    windows.push(ship);
    await pt.until(caseId, customer, 'AWAITING_ARRIVAL');

    // The same command at the wrong stage: refused by the workflow's validator, recorded as refused —
    // and sent again with its Idempotency-Key, answered from the key and not recorded again.
    // (A proposal answer, while the case waits for the parcel: a second return shipment would now correct the first.)
    const again = await timed(() => pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, customer, { accept: true }, { 'idempotency-key': 'inputs-ship-again-1' }));
    expect(again.reply).toMatchObject({ status: 409, body: { error: 'WRONG_STATE' } });
    windows.push(again);
    const replayedRefusal = await pt.call('POST', `/v1/cases/${caseId}/proposal-answer`, customer, { accept: true }, { 'idempotency-key': 'inputs-ship-again-1' });
    expect(replayedRefusal.status).toBe(409);
    expect(replayedRefusal.headers.get('idempotent-replayed')).toBe('true');

    // The carrier's event on the return parcel, pushed twice under one event id: sent and recorded once.
    const eventAt = Date.now() - 60_000;
    const event = await timed(() => push('SFINPUTS01', 'inputs-ev-1', eventAt));
    expect(event.reply).toMatchObject({ status: 202, body: { matched: true, duplicate: false } });
    windows.push(event);
    expect(await push('SFINPUTS01', 'inputs-ev-1', eventAt)).toMatchObject({ status: 202, body: { duplicate: true } });

    const scan = await timed(() => pt.call('POST', '/v1/warehouse/arrivals', pt.keys.WAREHOUSE, { trackingNumber: 'SFINPUTS01', scannedBy: 'dock-2' }));
    expect(scan.reply.status).toBe(202);
    windows.push(scan);
    await pt.until(caseId, pt.keys.WAREHOUSE!, 'AWAITING_INSPECTION');

    const inspection = { by: 'inspector-2', lines: [{ sku: 'MUG', receivedQuantity: 2, condition: 'OK' }] };
    const inspect = await timed(() => pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, inspection, { 'idempotency-key': 'inputs-inspect-1' }));
    expect(inspect.reply.status).toBe(200);
    windows.push(inspect);
    const replayed = await pt.call('POST', `/v1/cases/${caseId}/inspection`, pt.keys.WAREHOUSE, inspection, { 'idempotency-key': 'inputs-inspect-1' });
    expect(replayed.status).toBe(200);
    expect(replayed.headers.get('idempotent-replayed')).toBe('true');
    await pt.until(caseId, customer, 'RESOLVED');

    await pt.skip(3 * 86_400 + 3_600); // the revisit comes days later (virtual time)
    await pt.until(caseId, customer, 'AWAITING_REVISIT');
    const revisit = await timed(() => pt.call('POST', `/v1/cases/${caseId}/revisit`, customer, { score: 4, comment: 'fine' }));
    expect(revisit.reply.status).toBe(200);
    windows.push(revisit);
    await pt.until(caseId, customer, 'CLOSED');
    // After the case closed: refused by the API; under another policy the case might still be open.
    const late = await timed(() => pt.call('POST', `/v1/cases/${caseId}/revisit`, customer, { score: 1 }));
    expect(late.reply).toMatchObject({ status: 409, body: { error: 'WRONG_STATE', message: expect.stringMatching(/^the case is closed \(.+\) at \d{4}-\d\d-\d\dT/) } });
    windows.push(late);

    const read = await inputsOf(caseId);
    expect(read).toMatchObject({ caseId, policyVersion: 1 });
    const { inputs } = read;
    const storefrontId = inputs[0]!.sender.id;
    const tokenId = token.body.tokenId as string;
    expect(inputs.map(({ seq, via, kind, workflowId: wf, outcome, sender }) => ({ seq, via, kind, wf, outcome, sender: sender.role }))).toEqual([
      { seq: 0, via: 'START', kind: 'returnAndRefund', wf: workflowId, outcome: 'ACCEPTED', sender: 'STOREFRONT' },
      { seq: 1, via: 'UPDATE', kind: 'submitReturnShipment', wf: workflowId, outcome: 'ACCEPTED', sender: 'CUSTOMER' },
      { seq: 2, via: 'UPDATE', kind: 'answerProposal', wf: workflowId, outcome: 'REFUSED', sender: 'CUSTOMER' },
      { seq: 3, via: 'SIGNAL', kind: 'courierEvent', wf: workflowId, outcome: 'ACCEPTED', sender: 'COURIER' },
      { seq: 4, via: 'SIGNAL', kind: 'arrivalScanned', wf: workflowId, outcome: 'ACCEPTED', sender: 'WAREHOUSE' },
      { seq: 5, via: 'UPDATE', kind: 'reportInspection', wf: workflowId, outcome: 'ACCEPTED', sender: 'WAREHOUSE' },
      { seq: 6, via: 'UPDATE', kind: 'answerRevisit', wf: workflowId, outcome: 'ACCEPTED', sender: 'CUSTOMER' },
      { seq: 7, via: 'UPDATE', kind: 'answerRevisit', wf: workflowId, outcome: 'REFUSED', sender: 'CUSTOMER' },
    ]);
    const [opening, shipped, refused, courier, scanned, inspected, revisited, closed] = inputs as [InputView, InputView, InputView, InputView, InputView, InputView, InputView, InputView];

    // Who sent each (ids, never keys), the request that carried it, and why the refused ones were refused.
    expect(opening).toMatchObject({ sender: { role: 'STOREFRONT', id: expect.any(String) }, requestId: 'inputs-open-1', reason: null });
    expect(storefrontId).not.toBe(pt.keys.STOREFRONT);
    for (const i of [shipped, refused, revisited, closed]) expect(i.sender).toEqual({ role: 'CUSTOMER', id: tokenId });
    expect(courier.sender).toEqual({ role: 'COURIER', id: 'SF' });
    expect(refused).toMatchObject({ arg: { accept: true }, reason: again.reply.body.message });
    expect(refused.reason).toMatch(/AWAITING_ARRIVAL/);
    expect(closed).toMatchObject({ arg: { score: 1 }, reason: late.reply.body.message });

    // The arguments are what was sent: the commands' bodies, and what the API added (scan time, carrier).
    expect(shipped.arg).toEqual({ carrier: 'SF', trackingNumber: 'SFINPUTS01' });
    expect(courier.arg).toEqual({ carrier: 'SF', trackingNumber: 'SFINPUTS01', code: 'IN_TRANSIT', description: 'left the sorting centre', at: eventAt });
    expect(scanned.arg).toEqual({ trackingNumber: 'SFINPUTS01', scannedBy: 'dock-2', scannedAt: expect.any(Number) });
    expect(inspected.arg).toEqual(inspection);
    expect(revisited.arg).toEqual({ score: 4, comment: 'fine' });

    // …exactly what the workflow got: its input with the policy named by version, then every accepted input in order.
    const history = await historyOf(workflowId);
    expect(opening.arg).toEqual(recordableOpening(history.input, 1));
    expect(opening.arg).toMatchObject({ caseId, policy: { policyVersion: 1 }, order: body.order, customer: body.customer, request: { lines: body.lines, evidenceUrls: body.evidenceUrls }, returnAddress: expect.any(Object) });
    expect(history.received).toEqual(inputs.filter((i) => i.via !== 'START' && i.outcome === 'ACCEPTED').map((i) => ({ kind: i.kind, arg: i.arg })));

    // Offsets from the opening, on the API's clock: each inside the window its call ran in.
    const openedAt = Date.parse(read.openedAt);
    expect(openedAt).toBe(opening.arg.openedAt);
    expect(openedAt).toBeGreaterThanOrEqual(open.from);
    expect(openedAt).toBeLessThanOrEqual(open.to);
    inputs.forEach((input, n) => {
      const w = windows[n]!;
      expect(Date.parse(input.at), `${input.kind} #${input.seq}`).toBeGreaterThanOrEqual(w.from);
      expect(Date.parse(input.at), `${input.kind} #${input.seq}`).toBeLessThanOrEqual(w.to);
      expect(input.afterMs).toBe(Date.parse(input.at) - openedAt);
    });
    expect(inputs.map((i) => i.afterMs)).toEqual([...inputs.map((i) => i.afterMs)].sort((a, b) => a - b));
    expect(inputTimeline(inputs.map((i) => ({ ...i, at: Date.parse(i.at) }))).map((t) => t.afterMs)).toEqual(inputs.map((i) => i.afterMs));

    // The merchant's admin reads the same; nobody else does.
    expect(await inputsOf(caseId, pt.keys.ADMIN)).toEqual(read);
    for (const key of [pt.keys.AGENT!, pt.keys.STOREFRONT!, pt.keys.WAREHOUSE!, customer]) {
      expect(await pt.call('GET', `/v1/cases/${caseId}/inputs`, key)).toMatchObject({ status: 403, body: { error: 'FORBIDDEN' } });
    }
    expect(await pt.call('GET', `/v1/cases/${caseId}/inputs`, otherSupervisor)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await pt.call('GET', '/v1/cases/a0b1c2d3e4f5a6b7c8d9/inputs', pt.keys.SUPERVISOR)).toMatchObject({ status: 404, body: { error: 'NOT_FOUND' } });
    expect(await pt.call('GET', `/v1/cases/${caseId}/inputs`, undefined)).toMatchObject({ status: 401 });
  });

  it('inputs recorded at the same instant each get a number of their own; an opening is recorded once', async () => {
    const body = returnBody('inputs-o-2', 'cust-inputs-2');
    const opened = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, body, { 'idempotency-key': 'inputs-open-2' });
    expect(opened.status).toBe(201);
    const { caseId, workflowId } = opened.body;
    // The opening sent again with its Idempotency-Key is answered from the key: nothing more recorded.
    const replay = await pt.call('POST', '/v1/returns', pt.keys.STOREFRONT, body, { 'idempotency-key': 'inputs-open-2' });
    expect(replay).toMatchObject({ status: 201, body: { caseId } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const at = new Date();
    const base = { caseId, via: 'SIGNAL' as const, kind: 'escalate', workflowId, at, sender: { role: 'AGENT', id: 'k1' }, outcome: 'ACCEPTED' as const };
    // Through Prisma's side of sqlOf (the same pool, and Prisma then closes it with the test).
    const db = { $queryRawUnsafe: pt.db.$queryRawUnsafe.bind(pt.db) };
    const seqs = await Promise.all(Array.from({ length: 5 }, (_, n) => recordCaseInput(db, { ...base, arg: { by: { kind: 'agent' }, reason: `r${n}` } })));
    expect([...seqs].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(await recordCaseInput(db, { ...base, via: 'START', kind: 'returnAndRefund', arg: {} })).toBeNull();
    expect(await recordCaseInput(db, { ...base, caseId: 'no-such-case', arg: {} })).toBeNull();
    const { inputs } = await inputsOf(caseId);
    expect(inputs.map((i) => i.seq)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(inputs[0]).toMatchObject({ via: 'START', kind: 'returnAndRefund' });

    // The merchant's cases opened in a period, each with its inputs in order (what a what-if replays).
    const period = { merchantId: 'demo-merchant', from: new Date(Date.parse(inputs[0]!.at) - 1), to: new Date(Date.parse(inputs[0]!.at) + 1) };
    const ofPeriod = await merchantCaseInputs(db, period);
    expect(ofPeriod.map((i) => [i.caseId, i.seq])).toEqual([0, 1, 2, 3, 4, 5].map((seq) => [caseId, seq]));
    expect(await merchantCaseInputs(db, { ...period, merchantId: OTHER_MERCHANT })).toEqual([]);
  });
});
