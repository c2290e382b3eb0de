/**
 * The drill's provider stubs speak the protocol of adapters/http exactly: the platform's own HTTP
 * clients, pointed at them, get signed JSON answers; an Idempotency-Key replays its first answer
 * without a second effect; a key reused for another request, an over-refund, a wrong signature are
 * refused the way a real provider refuses them. If they did not, the drill's counts would mean nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterError } from '../../adapters/errors.js';
import { HttpCourierGateway } from '../../adapters/http/courier.js';
import { HttpNotifier } from '../../adapters/http/notifier.js';
import { HttpPaymentGateway } from '../../adapters/http/payment.js';
import { HttpWarehouseGateway } from '../../adapters/http/warehouse.js';
import { ProviderStubs } from '../../drill/stubs.js';

const secrets = { payment: 'payment-secret-0123456789', courier: 'courier-secret-0123456789', notifier: 'notifier-secret-012345678', warehouse: 'warehouse-secret-01234567' };
const stubs = new ProviderStubs(secrets);
let url = '';
const config = (p: keyof typeof secrets, secret = secrets[p]) => ({ baseUrl: `${url}/${p}`, secret, timeoutMs: 5_000 });

beforeAll(async () => {
  url = await stubs.listen();
});
afterAll(() => stubs.close());

describe('the drill’s provider stubs', () => {
  it('pay a refund once per Idempotency-Key: a retry gets the first answer and pays nothing more', async () => {
    const payment = new HttpPaymentGateway(config('payment'));
    stubs.paidTotals.set('o-1', 3_000);
    const request = { idempotencyKey: 'case-1:refund', merchantId: 'm', orderId: 'o-1', amountMinor: 1_500, currency: 'CNY', reason: 'test' };
    const first = await payment.refund(request);
    const again = await payment.refund(request);
    expect(again).toEqual(first);
    expect(stubs.refunds).toHaveLength(1);
    expect(stubs.replays.payment).toBe(1);
    expect(await payment.getRefund(first.refundId)).toMatchObject({ refundId: first.refundId, amountMinor: 1_500, orderId: 'o-1' });
  });

  it('refuse one key with another request, and refunds beyond what was paid', async () => {
    const payment = new HttpPaymentGateway(config('payment'));
    const reused = payment.refund({ idempotencyKey: 'case-1:refund', merchantId: 'm', orderId: 'o-1', amountMinor: 1_000, currency: 'CNY', reason: 'test' });
    await expect(reused).rejects.toMatchObject({ type: 'REJECTED', code: 'IDEMPOTENCY_KEY_REUSED' });
    const over = payment.refund({ idempotencyKey: 'case-2:refund', merchantId: 'm', orderId: 'o-1', amountMinor: 2_000, currency: 'CNY', reason: 'test' });
    await expect(over).rejects.toMatchObject({ type: 'REJECTED', code: 'REFUND_EXCEEDS_PAID' });
    expect(stubs.keyConflicts).toEqual([{ provider: 'payment', key: 'case-1:refund' }]);
    expect(stubs.refusedRefunds).toMatchObject([{ idempotencyKey: 'case-2:refund', amountMinor: 2_000, alreadyMinor: 1_500 }]);
    expect(stubs.refunds).toHaveLength(1);
  });

  it('check the signature with each provider’s own secret', async () => {
    const forged = new HttpPaymentGateway(config('payment', secrets.courier));
    await expect(forged.refund({ idempotencyKey: 'case-3:refund', merchantId: 'm', orderId: 'o-1', amountMinor: 1, currency: 'CNY', reason: 'x' })).rejects.toBeInstanceOf(AdapterError);
    expect(stubs.badSignatures).toBe(1);
  });

  it('answer traces, claims (decided later), messages and WMS orders in the shapes the HTTP clients read', async () => {
    stubs.parcels.set('SF1', 'EXCEPTION');
    const courier = new HttpCourierGateway(config('courier'));
    expect(await courier.track({ carrier: 'SF', trackingNumber: 'SF1' })).toEqual({ status: 'EXCEPTION', events: [] });
    expect((await courier.track({ carrier: 'SF', trackingNumber: 'unknown' })).status).toBe('NO_TRACE');
    const claim = { idempotencyKey: 'case-4:claim:SF1', carrier: 'SF', trackingNumber: 'SF1', amountMinor: 3_000, currency: 'CNY', reason: 'lost', evidenceUrls: [] };
    const { claimId } = await courier.fileClaim(claim);
    await courier.fileClaim(claim);
    expect(stubs.claims).toHaveLength(1);
    expect(await courier.getClaim(claimId)).toMatchObject({ status: 'FILED', claimedMinor: 3_000 });
    stubs.claims[0]!.decision = { status: 'PAID', paidMinor: 3_000, at: Date.now() };
    expect(await courier.getClaim(claimId)).toMatchObject({ status: 'PAID', paidMinor: 3_000 });

    const notifier = new HttpNotifier(config('notifier'));
    expect((await notifier.send({ idempotencyKey: 'case-4:1:notify', to: { customerId: 'c', channel: 'APP' }, template: 'caseClosed', locale: 'en', params: {} })).messageId).toMatch(/^msg_/);

    stubs.wmsOrders.set('o-2', { status: 'PICKED', outboundId: 'ob-2' });
    const wms = new HttpWarehouseGateway(config('warehouse'));
    expect(await wms.orderStatus('o-2')).toMatchObject({ status: 'PICKED', outboundId: 'ob-2' });
    const cancel = { idempotencyKey: 'case-5:cancel-order', orderId: 'o-2', reason: 'ORDERED_BY_MISTAKE' };
    expect(await wms.cancelOrder(cancel)).toEqual({ orderId: 'o-2', status: 'CANCELLED', reversedOutboundId: 'ob-2' });
    expect(await wms.cancelOrder(cancel)).toEqual({ orderId: 'o-2', status: 'CANCELLED', reversedOutboundId: 'ob-2' });
    await expect(wms.orderStatus('nobody-placed-it')).rejects.toMatchObject({ type: 'NOT_FOUND' });
  });
});
