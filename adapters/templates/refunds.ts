/** Messages of refunds before and after shipping (仅退款), in the shape of adapters/templates.ts. */
import type { TemplateDef } from './template-def.js';

export const REFUND_TEMPLATES = {
  orderCancelled: {
    params: { orderId: 'text' },
    text: {
      'zh-CN': { subject: '订单已取消', body: '您好，您的订单 {orderId} 尚未发货，已为您取消，退款将原路退回。' },
      en: { subject: 'Your order has been cancelled', body: 'Hello, your order {orderId} had not been shipped yet and has been cancelled; the refund goes back to your original payment method.' },
    },
  },
  refundRejected: {
    params: { reason: 'text' },
    closing: 'thanks',
    text: {
      'zh-CN': { subject: '退款申请未通过', body: '很抱歉，您的退款申请未能通过，原因：{reason}。如有疑问，请回复本消息联系客服。' },
      en: { subject: 'Your refund request was not approved', body: 'We are sorry, your refund request could not be approved. Reason: {reason}. If you have any questions, reply to this message to reach our customer service.' },
    },
  },
  alreadyShipped: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '订单已发出', body: '您好，您的订单已经发出（{carrier} 运单号 {trackingNumber}），无法直接取消。如仍需退款，请申请已发货退款：我们会请快递将包裹退回；您也可以在送达时拒收后申请，或签收后申请退货退款。' },
      en: { subject: 'Your order is already on its way', body: 'Hello, your order has already left our warehouse ({carrier}, tracking number {trackingNumber}) and can no longer be cancelled. If you still want a refund, ask for a refund of a shipped order and we will have the courier bring it back; you can also refuse the delivery and then ask, or request a return and refund once it arrives.' },
    },
  },
  /**
   * Already shipped, with no tracking number on the dispatch record (already-shipped-without-number):
   * said without one. `alreadyShipped` showed "（- 运单号 -）" there.
   */
  alreadyShippedNoTracking: {
    params: {},
    text: {
      'zh-CN': { subject: '订单已发出', body: '您好，您的订单已经发出，无法直接取消。如仍需退款，请申请已发货退款：我们会请快递将包裹退回；您也可以在送达时拒收后申请，或签收后申请退货退款。' },
      en: { subject: 'Your order is already on its way', body: 'Hello, your order has already left our warehouse and can no longer be cancelled. If you still want a refund, ask for a refund of a shipped order and we will have the courier bring it back; you can also refuse the delivery and then ask, or request a return and refund once it arrives.' },
    },
  },
  interceptionRequested: {
    params: { carrier: 'carrier', trackingNumber: 'text' },
    text: {
      'zh-CN': { subject: '已为您拦截包裹', body: '您好，我们已通知快递（{carrier} 运单号 {trackingNumber}）将包裹退回。如果包裹仍送到您手中，请直接拒收；包裹退回后我们会尽快为您退款。' },
      en: { subject: 'We have asked the courier to bring your parcel back', body: 'Hello, we have asked the courier ({carrier}, tracking number {trackingNumber}) to return your parcel to us. If it still reaches you, please refuse it; we will refund you once it is on its way back.' },
    },
  },
  /**
   * The same, as the workflow then acts (interception-told-refund-by): refunded once the parcel is
   * back and checked, or, not back by the interception's deadline, then; delivered after all, a return. The
   * message before promised the refund only on the parcel's return (its English: "once it is on its
   * way back").
   */
  /** A parcel refused at the door before the case was opened, signed in at the shop (refund-shipped-turned-back-first): not "your return has arrived". */
  refusedParcelBack: {
    params: { refundBy: 'date' },
    text: {
      'zh-CN': { subject: '您拒收的包裹已退回', body: '您好，您拒收的包裹已退回我们这里。仓库验收后我们为您退款；若到 {refundBy} 仍未验收完毕，届时也会为您退款。' },
      en: { subject: 'The parcel you refused is back with us', body: 'Hello, the parcel you refused at delivery is back with us. We refund you once our warehouse has checked it; if that is not done by {refundBy}, we refund you then.' },
    },
  },
  interceptionRequestedRefundBy: {
    params: { carrier: 'carrier', trackingNumber: 'text', refundBy: 'date' },
    text: {
      'zh-CN': { subject: '已为您拦截包裹', body: '您好，我们已通知快递（{carrier} 运单号 {trackingNumber}）将包裹退回。如果包裹仍送到您手中，请直接拒收。包裹退回仓库并验收后我们为您退款；若到 {refundBy} 包裹仍未退回，届时也会为您退款。如果包裹最终已签收，请改为申请退货退款。' },
      en: { subject: 'We have asked the courier to bring your parcel back', body: 'Hello, we have asked the courier ({carrier}, tracking number {trackingNumber}) to return your parcel to us. If it still reaches you, please refuse it. We refund you once it is back with us and checked; if it is not back by {refundBy}, we refund you then. If it is delivered to you after all, please ask for a return instead.' },
    },
  },
  /**
   * A refund before shipping whose order had left (refund-not-shipped-intercepts): the courier is asked to
   * bring it back, as for a refund after shipping, and the customer told why it was not cancelled.
   */
  shippedInterceptionRefundBy: {
    params: { carrier: 'carrier', trackingNumber: 'text', refundBy: 'date' },
    text: {
      'zh-CN': { subject: '订单已发出，已为您拦截包裹', body: '您好，您的订单已经发出（{carrier} 运单号 {trackingNumber}），无法直接取消，我们已通知快递将包裹退回。如果包裹仍送到您手中，请直接拒收。包裹退回仓库并验收后我们为您退款；若到 {refundBy} 包裹仍未退回，届时也会为您退款。如果包裹最终已签收，请改为申请退货退款。' },
      en: { subject: 'Your order had already left: we have asked the courier to bring it back', body: 'Hello, your order had already left our warehouse ({carrier}, tracking number {trackingNumber}) and could no longer be cancelled, so we have asked the courier to return it to us. If it still reaches you, please refuse it. We refund you once it is back with us and checked; if it is not back by {refundBy}, we refund you then. If it is delivered to you after all, please ask for a return instead.' },
    },
  },
  /** A refund before shipping whose order had left and been delivered (refund-not-shipped-intercepts): why it was not cancelled, and a return. */
  shippedDeliveredUseReturn: {
    params: {},
    text: {
      'zh-CN': { subject: '订单已发出并已签收', body: '您好，您的订单在取消前已经发出，并且已经签收，因此无法取消或拦截。如需退款，请在订单中申请退货退款，我们会尽快为您处理。' },
      en: { subject: 'Your order had already been delivered', body: 'Hello, your order had already left our warehouse before it could be cancelled, and it has been delivered, so it can no longer be cancelled or intercepted. To get a refund, please request a return and refund from your order; we will handle it promptly.' },
    },
  },
  deliveredUseReturn: {
    params: {},
    text: {
      'zh-CN': { subject: '包裹已签收', body: '您好，您的包裹已经签收，无法再拦截。如需退款，请在订单中申请退货退款，我们会尽快为您处理。' },
      en: { subject: 'Your parcel has been delivered', body: 'Hello, your parcel has already been delivered and can no longer be intercepted. To get a refund, please request a return and refund from your order; we will handle it promptly.' },
    },
  },
} as const satisfies Record<string, TemplateDef>;
