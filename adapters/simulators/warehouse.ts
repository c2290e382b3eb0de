/**
 * In-process warehouse system: orders the test places and moves along (`setOrder`, `ship`). An
 * order nobody placed is NOT_PICKED (so `npm start` works without seeding a warehouse); with
 * `strictOrders` it is NOT_FOUND, as in a real WMS.
 */
import { notFound, rejected } from '../errors.js';
import type { CancelRequest, CancelResult, OrderFulfilment, WarehouseGateway } from '../warehouse.js';
import { requireKey, Simulator, type SimulatorOptions } from './base.js';

export class WarehouseSimulator extends Simulator implements WarehouseGateway {
  private readonly orders = new Map<string, OrderFulfilment>();
  readonly cancellations: CancelRequest[] = [];

  private readonly strict: boolean;

  constructor(options: SimulatorOptions & { strictOrders?: boolean } = {}) {
    super('warehouse-simulator', options);
    this.strict = options.strictOrders ?? false;
  }

  private order(orderId: string): OrderFulfilment | undefined {
    return this.orders.get(orderId) ?? (this.strict ? undefined : { orderId, status: 'NOT_PICKED' });
  }

  /** The order as `orderStatus` answers it, without being a call of the gateway (no fault, no record); undefined where that is NOT_FOUND. */
  fulfilmentOf(orderId: string): OrderFulfilment | undefined {
    const o = this.order(orderId);
    return o && { ...o };
  }

  /** Places or moves an order (unknown orders are NOT_FOUND, as in a real WMS). */
  setOrder(order: OrderFulfilment): void {
    this.orders.set(order.orderId, { ...order });
  }

  ship(orderId: string, carrier: string, trackingNumber: string, at: number = this.now()): void {
    const o = this.orders.get(orderId) ?? { orderId, status: 'NOT_PICKED' };
    this.orders.set(orderId, { ...o, status: 'SHIPPED', outboundId: o.outboundId ?? `ob_${orderId}`, carrier, trackingNumber, shippedAt: at });
  }

  orderStatus(orderId: string): Promise<OrderFulfilment> {
    return this.call('orderStatus', { orderId }, () => {
      const o = this.order(orderId);
      if (!o) throw notFound(this.provider, `order ${orderId}`);
      return { ...o };
    });
  }

  cancelOrder(c: CancelRequest): Promise<CancelResult> {
    return this.call('cancelOrder', c, () => {
      requireKey(this.provider, c.idempotencyKey);
      const o = this.order(c.orderId);
      if (!o) throw notFound(this.provider, `order ${c.orderId}`);
      if (o.status === 'SHIPPED') throw rejected(this.provider, 'ALREADY_SHIPPED', `order ${c.orderId} has left the warehouse`);
      this.cancellations.push({ ...c });
      const reversed = o.status === 'CANCELLED' ? undefined : o.outboundId;
      this.orders.set(c.orderId, { ...o, status: 'CANCELLED' });
      return { orderId: c.orderId, status: 'CANCELLED' as const, ...(reversed ? { reversedOutboundId: reversed } : {}) };
    });
  }

  override reset(): void {
    super.reset();
    this.orders.clear();
    this.cancellations.length = 0;
  }
}
