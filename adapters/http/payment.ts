/** The payment provider over HTTP: POST /v1/refunds (Idempotency-Key), GET /v1/refunds/:id. */
import { assertMoney } from '../money.js';
import { invalid } from '../errors.js';
import type { PaymentGateway, Refund, RefundRequest, RefundResult, RefundStatus } from '../payment.js';
import { createHttpClient, type HttpAdapterConfig } from './client.js';
import { reader } from './response.js';

const PROVIDER = 'payment';
const STATUSES: readonly RefundStatus[] = ['SUCCEEDED', 'PENDING', 'FAILED'];
/** A refund just asked for is paid or pending; a refusal is an error status, not a body. */
const ACCEPTED: readonly RefundStatus[] = ['SUCCEEDED', 'PENDING'];

export class HttpPaymentGateway implements PaymentGateway {
  private readonly http;
  constructor(config: HttpAdapterConfig) {
    this.http = createHttpClient(PROVIDER, config);
  }

  async refund(r: RefundRequest): Promise<RefundResult> {
    if (!r.idempotencyKey) throw invalid(PROVIDER, 'a refund needs an idempotency key');
    assertMoney(PROVIDER, r.amountMinor, r.currency);
    const { idempotencyKey, ...body } = r;
    const res = reader(PROVIDER, 'refund', await this.http.request({ method: 'POST', path: '/v1/refunds', body, idempotencyKey }));
    return { refundId: res.string('refundId'), status: res.oneOf('status', ACCEPTED), amountMinor: res.int('amountMinor') };
  }

  async getRefund(refundId: string): Promise<Refund> {
    const res = reader(PROVIDER, 'refund', await this.http.request({ method: 'GET', path: `/v1/refunds/${encodeURIComponent(refundId)}` }));
    const failureReason = res.optionalString('failureReason');
    return {
      refundId: res.string('refundId'),
      status: res.oneOf('status', STATUSES),
      amountMinor: res.int('amountMinor'),
      orderId: res.string('orderId'),
      currency: res.string('currency'),
      ...(failureReason ? { failureReason } : {}),
    };
  }
}
