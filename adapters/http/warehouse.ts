/**
 * The warehouse system over HTTP: GET /v1/orders/:orderId/fulfilment and
 * POST /v1/orders/:orderId/cancel (with the Idempotency-Key header).
 */
import { invalid } from '../errors.js';
import type { CancelRequest, CancelResult, FulfilmentStatus, OrderFulfilment, WarehouseGateway } from '../warehouse.js';
import { createHttpClient, type HttpAdapterConfig } from './client.js';
import { reader } from './response.js';

const PROVIDER = 'warehouse';
const STATUS: readonly FulfilmentStatus[] = ['NOT_PICKED', 'PICKED', 'PACKED', 'SHIPPED', 'CANCELLED'];
const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

export class HttpWarehouseGateway implements WarehouseGateway {
  private readonly http;
  constructor(config: HttpAdapterConfig) {
    this.http = createHttpClient(PROVIDER, config);
  }

  async orderStatus(orderId: string): Promise<OrderFulfilment> {
    const res = reader(PROVIDER, 'order fulfilment', await this.http.request({ method: 'GET', path: `/v1/orders/${encodeURIComponent(orderId)}/fulfilment` }));
    const shippedAt = res.optionalInt('shippedAt');
    const [outboundId, carrier, trackingNumber] = [text(res.obj.outboundId), text(res.obj.carrier), text(res.obj.trackingNumber)];
    return {
      orderId: res.string('orderId'),
      status: res.oneOf('status', STATUS),
      ...(outboundId ? { outboundId } : {}),
      ...(carrier ? { carrier } : {}),
      ...(trackingNumber ? { trackingNumber } : {}),
      ...(shippedAt !== undefined ? { shippedAt } : {}),
    };
  }

  async cancelOrder(c: CancelRequest): Promise<CancelResult> {
    if (!c.idempotencyKey) throw invalid(PROVIDER, 'a cancellation needs an idempotency key');
    const { idempotencyKey, orderId, reason } = c;
    const res = reader(PROVIDER, 'cancellation', await this.http.request({ method: 'POST', path: `/v1/orders/${encodeURIComponent(orderId)}/cancel`, body: { reason }, idempotencyKey }));
    const reversed = text(res.obj.reversedOutboundId);
    return { orderId: res.string('orderId'), status: res.oneOf('status', ['CANCELLED'] as const), ...(reversed ? { reversedOutboundId: reversed } : {}) };
  }
}
