/**
 * The warehouse system (WMS) as the case activities see it: where an order is in fulfilment
 * (picked? an outbound document? shipped?) and cancelling an order that has not left. Refunds
 * before shipping (仅退款-未发货, 001 §03) check here first, so a parcel on its way is never
 * refunded as if it had not left.
 */

/** NOT_PICKED → PICKED (an outbound document exists) → PACKED → SHIPPED; or CANCELLED. */
export type FulfilmentStatus = 'NOT_PICKED' | 'PICKED' | 'PACKED' | 'SHIPPED' | 'CANCELLED';

export interface OrderFulfilment {
  orderId: string;
  status: FulfilmentStatus;
  /** The outbound document (出库单) once the order was picked. */
  outboundId?: string;
  carrier?: string;
  trackingNumber?: string;
  shippedAt?: number;
}

export interface CancelRequest {
  idempotencyKey: string;
  orderId: string;
  reason: string;
}

export interface CancelResult {
  orderId: string;
  status: 'CANCELLED';
  /** The outbound document that was reversed, when the order had been picked. */
  reversedOutboundId?: string;
}

export interface WarehouseGateway {
  /** NOT_FOUND when the warehouse does not know the order. */
  orderStatus(orderId: string): Promise<OrderFulfilment>;
  /** REJECTED ALREADY_SHIPPED once the parcel has left; cancelling twice with one key answers the same. */
  cancelOrder(c: CancelRequest): Promise<CancelResult>;
}
