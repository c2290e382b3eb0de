/** The simulators behave like the providers where the activities depend on it: idempotency, refusals, failures on command. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { createAdapters } from '../../adapters/index.js';
import { CourierSimulator, NotifierSimulator, PaymentSimulator } from '../../adapters/simulators/index.js';

const clock = () => 1_800_000_000_000;
const refund = { idempotencyKey: 'case-1:refund', merchantId: 'm1', orderId: 'o-1', amountMinor: 6666, currency: 'CNY', reason: 'return' };

async function failure(p: Promise<unknown>): Promise<AdapterError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AdapterError);
  return err as AdapterError;
}

describe('PaymentSimulator', () => {
  let pay: PaymentSimulator;
  beforeEach(() => {
    pay = new PaymentSimulator({ now: clock });
  });

  it('a second refund with the same key returns the first and does not pay twice', async () => {
    const first = await pay.refund(refund);
    const again = await pay.refund({ ...refund });
    expect(first).toEqual({ refundId: 'rf_1', status: 'SUCCEEDED', amountMinor: 6666 });
    expect(again).toEqual(first);
    expect(pay.refunds).toHaveLength(1);
    expect(pay.calls.map((c) => c.method)).toEqual(['refund', 'refund']);
  });

  it('the same key with a different amount is REJECTED IDEMPOTENCY_KEY_REUSED', async () => {
    await pay.refund(refund);
    const err = await failure(pay.refund({ ...refund, amountMinor: 9999 }));
    expect(err).toMatchObject({ type: 'REJECTED', code: 'IDEMPOTENCY_KEY_REUSED', retryable: false });
    expect(pay.refunds).toHaveLength(1);
  });

  it('never refunds more than the order paid, across keys', async () => {
    pay.setPaidAmount('o-1', 10_000);
    await pay.refund(refund);
    const err = await failure(pay.refund({ ...refund, idempotencyKey: 'case-1:refund-2', amountMinor: 3335 }));
    expect(err).toMatchObject({ type: 'REJECTED', code: 'REFUND_EXCEEDS_PAID', retryable: false });
    await pay.refund({ ...refund, idempotencyKey: 'case-1:refund-3', amountMinor: 3334 });
    expect(pay.refundedMinor('o-1')).toBe(10_000);
  });

  it('a TRANSIENT failure after the refund took effect is survived by retrying with the same key', async () => {
    pay.failNext(1, 'TRANSIENT', { afterEffect: true });
    expect(await failure(pay.refund(refund))).toMatchObject({ type: 'TRANSIENT', retryable: true });
    expect(pay.refunds).toHaveLength(1); // paid, answer lost
    expect(await pay.refund(refund)).toEqual({ refundId: 'rf_1', status: 'SUCCEEDED', amountMinor: 6666 });
    expect(pay.refunds).toHaveLength(1);
  });

  it('failNext fails exactly n calls before any effect, with the given type', async () => {
    pay.failNext(2);
    expect(await failure(pay.refund(refund))).toMatchObject({ type: 'TRANSIENT', status: 503 });
    expect(await failure(pay.refund(refund))).toMatchObject({ type: 'TRANSIENT' });
    expect(pay.refunds).toHaveLength(0);
    await pay.refund(refund);
    pay.failNext(1, 'REJECTED');
    expect(await failure(pay.getRefund('rf_1'))).toMatchObject({ type: 'REJECTED', retryable: false });
  });

  it('failAlways fails until turned off; reset forgets faults and records', async () => {
    pay.failAlways('TRANSIENT');
    for (let i = 0; i < 3; i++) await failure(pay.refund(refund));
    pay.failAlways(undefined);
    await pay.refund(refund);
    pay.failAlways('NOT_FOUND');
    pay.reset();
    expect(pay.refunds).toEqual([]);
    expect(pay.calls).toEqual([]);
    expect(await pay.refund(refund)).toMatchObject({ refundId: 'rf_1' });
  });

  it('delay(ms) holds every call that long', async () => {
    vi.useFakeTimers();
    try {
      pay.delay(5000);
      let done = false;
      const p = pay.refund(refund).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(4999);
      expect(done).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      await p;
      expect(done).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('held refunds are PENDING until settled; getRefund reads them; unknown is NOT_FOUND', async () => {
    pay.holdRefunds();
    expect(await pay.refund(refund)).toMatchObject({ status: 'PENDING' });
    pay.settleRefund('rf_1');
    expect(await pay.getRefund('rf_1')).toEqual({ refundId: 'rf_1', status: 'SUCCEEDED', amountMinor: 6666, orderId: 'o-1', currency: 'CNY' });
    expect(await failure(pay.getRefund('rf_404'))).toMatchObject({ type: 'NOT_FOUND' });
  });

  it('a held refund the bank sends back reads FAILED with its reason, and no longer counts against the order', async () => {
    pay.setPaidAmount('o-1', 6666);
    pay.holdRefunds();
    const first = await pay.refund(refund);
    expect(() => pay.failRefund('rf_404')).toThrow('no refund rf_404');
    pay.failRefund(first.refundId, 'ACCOUNT_CLOSED');
    expect(() => pay.failRefund(first.refundId)).toThrow('only a pending refund can come back');
    expect(await pay.getRefund(first.refundId)).toMatchObject({ status: 'FAILED', failureReason: 'ACCOUNT_CLOSED' });
    expect(await pay.refund({ ...refund, idempotencyKey: 'case-1:refund:again' })).toMatchObject({ amountMinor: 6666 });
  });

  it('refuses fractional amounts, bad currencies and missing keys as INVALID_REQUEST', async () => {
    for (const bad of [{ amountMinor: 1.5 }, { amountMinor: 0 }, { currency: 'yuan' }, { idempotencyKey: '' }]) {
      expect(await failure(pay.refund({ ...refund, ...bad }))).toMatchObject({ type: 'INVALID_REQUEST' });
    }
    expect(pay.refunds).toEqual([]);
  });

  it('returns copies: mutating a result does not change what the next caller sees', async () => {
    const first = await pay.refund(refund);
    first.amountMinor = 1;
    expect((await pay.refund(refund)).amountMinor).toBe(6666);
  });
});

describe('CourierSimulator', () => {
  let courier: CourierSimulator;
  const parcel = { carrier: 'SF', trackingNumber: 'SF100' };
  const claim = { idempotencyKey: 'case-1:lost-return-claim', ...parcel, amountMinor: 6666, currency: 'CNY', reason: 'lost', evidenceUrls: [] };
  beforeEach(() => {
    courier = new CourierSimulator({ now: clock });
  });

  it('an unscanned parcel is NO_TRACE; fed events and delivery show up in order', async () => {
    expect(await courier.track(parcel)).toEqual({ status: 'NO_TRACE', events: [] });
    courier.addTrackingEvent(parcel, { at: 2000, code: 'ARRIVED', description: 'arrived at hub', location: '杭州' });
    courier.addTrackingEvent(parcel, { at: 1000, code: 'PICKED', description: 'picked up' }, 'PICKED_UP');
    courier.markDelivered(parcel, 3000);
    const trace = await courier.track(parcel);
    expect(trace.status).toBe('DELIVERED');
    expect(trace.deliveredAt).toBe(3000);
    expect(trace.events.map((e) => e.code)).toEqual(['PICKED', 'ARRIVED', 'SIGNED']);
    expect(await courier.track({ carrier: 'YTO', trackingNumber: 'SF100' })).toMatchObject({ status: 'NO_TRACE' });
  });

  it('files a claim once per key and lets the test decide it', async () => {
    const a = await courier.fileClaim(claim);
    const b = await courier.fileClaim(claim);
    expect(a).toEqual({ claimId: 'cl_1', status: 'FILED' });
    expect(b).toEqual(a);
    expect(courier.claims).toHaveLength(1);
    expect(await failure(courier.fileClaim({ ...claim, amountMinor: 1 }))).toMatchObject({ type: 'REJECTED', code: 'IDEMPOTENCY_KEY_REUSED' });

    courier.resolveClaim('cl_1', 'PARTLY_PAID', 4000);
    expect(await courier.getClaim('cl_1')).toEqual({
      claimId: 'cl_1',
      status: 'PARTLY_PAID',
      carrier: 'SF',
      trackingNumber: 'SF100',
      claimedMinor: 6666,
      paidMinor: 4000,
      currency: 'CNY',
      decidedAt: clock(),
    });
    expect(() => courier.resolveClaim('cl_1', 'PAID')).toThrow(/already PARTLY_PAID/);
  });

  it('resolves PAID in full by default and REFUSED as 0; refuses nonsense outcomes', async () => {
    await courier.fileClaim(claim);
    await courier.fileClaim({ ...claim, idempotencyKey: 'k2' });
    await courier.fileClaim({ ...claim, idempotencyKey: 'k3' });
    courier.resolveClaim('cl_1', 'PAID');
    courier.resolveClaim('cl_2', 'REFUSED');
    expect(await courier.getClaim('cl_1')).toMatchObject({ status: 'PAID', paidMinor: 6666 });
    expect(await courier.getClaim('cl_2')).toMatchObject({ status: 'REFUSED', paidMinor: 0 });
    expect(() => courier.resolveClaim('cl_3', 'PARTLY_PAID')).toThrow();
    expect(() => courier.resolveClaim('cl_3', 'PAID', 7000)).toThrow();
    expect(await failure(courier.getClaim('cl_9'))).toMatchObject({ type: 'NOT_FOUND' });
  });

  it('withdraws a claim still FILED; one the carrier decided first stays as decided', async () => {
    await courier.fileClaim(claim);
    await courier.fileClaim({ ...claim, idempotencyKey: 'k2' });
    courier.resolveClaim('cl_2', 'PAID');
    expect(await courier.withdrawClaim({ idempotencyKey: 'w1', claimId: 'cl_1', reason: 'parcel delivered after all' })).toMatchObject({ status: 'WITHDRAWN', decidedAt: clock() });
    expect(await courier.withdrawClaim({ idempotencyKey: 'w2', claimId: 'cl_2', reason: 'parcel delivered after all' })).toMatchObject({ status: 'PAID', paidMinor: 6666 });
    expect(() => courier.resolveClaim('cl_1', 'PAID')).toThrow(/already WITHDRAWN/);
    expect(await failure(courier.withdrawClaim({ idempotencyKey: 'w3', claimId: 'cl_9', reason: 'x' }))).toMatchObject({ type: 'NOT_FOUND' });
  });

  it('intercepts a parcel in transit once per key, and refuses a delivered one', async () => {
    courier.addTrackingEvent(parcel, { at: 1000, code: 'PICKED', description: 'picked up' });
    const req = { idempotencyKey: 'case-1:intercept', ...parcel };
    expect(await courier.intercept(req)).toEqual({ interceptId: 'ic_1', status: 'REQUESTED' });
    expect(await courier.intercept(req)).toEqual({ interceptId: 'ic_1', status: 'REQUESTED' });
    expect(courier.intercepts).toHaveLength(1);
    expect((await courier.track(parcel)).status).toBe('RETURNING');
    const other = { carrier: 'SF', trackingNumber: 'SF200' };
    courier.markDelivered(other, 5000);
    expect(await failure(courier.intercept({ idempotencyKey: 'case-2:intercept', ...other }))).toMatchObject({ type: 'REJECTED', code: 'ALREADY_DELIVERED' });
  });

  it('schedules a pickup once per key and refuses an empty window', async () => {
    const pickup = {
      idempotencyKey: 'case-1:pickup',
      carrier: 'SF',
      address: { province: '浙江省', city: '杭州市', street: '文一西路 1 号' },
      contact: { name: '张三', phone: '13800000000' },
      window: { from: 1000, to: 2000 },
    };
    expect(await courier.schedulePickup(pickup)).toEqual({ pickupId: 'pu_1', status: 'SCHEDULED', window: { from: 1000, to: 2000 } });
    await courier.schedulePickup(pickup);
    expect(courier.pickups).toHaveLength(1);
    expect(await failure(courier.schedulePickup({ ...pickup, idempotencyKey: 'x', window: { from: 2000, to: 2000 } }))).toMatchObject({ type: 'INVALID_REQUEST' });
  });
});

describe('NotifierSimulator', () => {
  const msg = {
    idempotencyKey: 'case-1:3:notify:refundIssued',
    to: { customerId: 'cust-1', channel: 'APP' as const },
    template: 'refundIssued',
    locale: 'en' as const,
    params: { amountMinor: 6666, currency: 'CNY' },
  };

  it('sends once per key, with the rendered text', async () => {
    const n = new NotifierSimulator({ now: clock });
    const a = await n.send(msg);
    expect(await n.send(msg)).toEqual(a);
    expect(n.sent).toHaveLength(1);
    expect(n.sent[0]).toMatchObject({ messageId: 'msg_1', subject: 'Your refund has been issued', sentAt: clock() });
    expect(n.sent[0]!.text).toContain('CN¥66.66');
    expect(await failure(n.send({ ...msg, params: { amountMinor: 1, currency: 'CNY' } }))).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('a template that does not render: refused by default (as the HTTP notifier does), recorded when lenient', async () => {
    const lenient = new NotifierSimulator({ strictTemplates: false });
    await lenient.send({ ...msg, params: {} });
    expect(lenient.sent[0]!.renderError).toMatch(/missing parameter amountMinor/);
    const strict = new NotifierSimulator();
    expect(await failure(strict.send({ ...msg, params: {} }))).toMatchObject({ type: 'INVALID_REQUEST', code: 'TEMPLATE' });
    expect(strict.sent).toEqual([]);
  });

  it('fails on command, and the retry sends once', async () => {
    const n = new NotifierSimulator();
    n.failNext(1);
    await failure(n.send(msg));
    await n.send(msg);
    expect(n.sent).toHaveLength(1);
    expect(n.calls).toHaveLength(2);
  });
});

describe('createAdapters', () => {
  afterEach(() => vi.restoreAllMocks());

  it('simulators by default, exposed for the tests to drive', () => {
    const a = createAdapters();
    expect(a.payment).toBeInstanceOf(PaymentSimulator);
    expect(a.simulators.payment).toBe(a.payment);
    expect(a.simulators.courier).toBe(a.courier);
    expect(a.simulators.notifier).toBe(a.notifier);
  });

  it('HTTP per adapter when configured', () => {
    const a = createAdapters({
      payment: { kind: 'http', baseUrl: 'https://pay.example.com', secret: 's3cret', timeoutMs: 5000 },
      courier: { kind: 'simulator' },
      notifier: { kind: 'http', baseUrl: 'https://notify.example.com', secret: 's3cret', timeoutMs: 5000 },
    });
    expect(a.payment.constructor.name).toBe('HttpPaymentGateway');
    expect(a.notifier.constructor.name).toBe('HttpNotifier');
    // The warehouse is simulated when not configured at all (configurations older than it).
    expect(a.simulators).toEqual({ courier: a.courier, warehouse: a.warehouse });
    const w = createAdapters({ payment: { kind: 'simulator' }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' }, warehouse: { kind: 'http', baseUrl: 'https://wms.example.com', secret: 's3cret', timeoutMs: 5000 } });
    expect(w.warehouse.constructor.name).toBe('HttpWarehouseGateway');
    expect(w.simulators.warehouse).toBeUndefined();
  });

  it('refuses an HTTP adapter without a secret or timeout', () => {
    expect(() => createAdapters({ payment: { kind: 'http', baseUrl: 'https://p', secret: '', timeoutMs: 1 }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' } })).toThrow(/secret/);
    expect(() => createAdapters({ payment: { kind: 'http', baseUrl: 'https://p', secret: 's', timeoutMs: 0 }, courier: { kind: 'simulator' }, notifier: { kind: 'simulator' } })).toThrow(/timeoutMs/);
  });
});
