/**
 * Every workflow the worker registers (the export names are the workflow types). Each case type
 * is wrapped by `caseWorkflow`: whatever way it ends, the steps and messages its session still has
 * queued are written first (batched steps, workflows/case-machinery.ts).
 */
import { caseWorkflow } from './case-machinery.js';
import { complaint as complaintCase } from './complaint.js';
import { deliveryDelay as deliveryDelayCase } from './delivery-delay.js';
import { exchange as exchangeCase } from './exchange.js';
import { lostParcel as lostParcelCase } from './lost-parcel.js';
import { missingItems as missingItemsCase } from './missing-items.js';
import { qualityProblem as qualityProblemCase } from './quality-problem.js';
import { refundNotShipped as refundNotShippedCase } from './refund-not-shipped.js';
import { refundShipped as refundShippedCase } from './refund-shipped.js';
import { returnAndRefund as returnAndRefundCase } from './return-refund.js';
import { trackingInquiry as trackingInquiryCase } from './tracking-inquiry.js';
import { transitDamage as transitDamageCase } from './transit-damage.js';
import { wrongItem as wrongItemCase } from './wrong-item.js';

export { courierClaim } from './courier-claim.js';
export { housekeeping } from './housekeeping.js';
export { policySimulation } from './policy-simulation.js';
export { refundAgain } from './refund-again.js';
export const returnAndRefund = caseWorkflow(returnAndRefundCase);
export const missingItems = caseWorkflow(missingItemsCase);
export const refundNotShipped = caseWorkflow(refundNotShippedCase);
export const refundShipped = caseWorkflow(refundShippedCase);
export const complaint = caseWorkflow(complaintCase);
export const exchange = caseWorkflow(exchangeCase);
export const deliveryDelay = caseWorkflow(deliveryDelayCase);
export const lostParcel = caseWorkflow(lostParcelCase);
export const qualityProblem = caseWorkflow(qualityProblemCase);
export const transitDamage = caseWorkflow(transitDamageCase);
export const trackingInquiry = caseWorkflow(trackingInquiryCase);
export const wrongItem = caseWorkflow(wrongItemCase);
