/** Every workflow the worker registers. */
export { returnAndRefund } from './return-refund.js';
export { courierClaim } from './courier-claim.js';
export { missingItems } from './missing-items.js';
export { refundNotShipped } from './refund-not-shipped.js';
export { refundShipped } from './refund-shipped.js';
export { complaint } from './complaint.js';
export { exchange } from './exchange.js';
export { deliveryDelay } from './delivery-delay.js';
export { lostParcel } from './lost-parcel.js';
export { qualityProblem } from './quality-problem.js';
export { transitDamage } from './transit-damage.js';
export { trackingInquiry } from './tracking-inquiry.js';
export { wrongItem } from './wrong-item.js';
