/** Pure business rules: imported by workflows (deterministic sandbox), activities, the API and tests. */
export * from './business-calendar.js';
export * from './case-types.js';
export * from './complaint.js';
export * from './courier-claim.js';
export * from './decision-reasons.js';
export * from './exchange.js';
export * from './trace-events.js';
export * from './figures.js';
export * from './fulfilment/index.js';
export * from './merchant.js';
export * from './money.js';
export * from './order-consistency.js';
export * from './policy.js';
export * from './refund-before-shipping.js';
export * from './return-refund.js';
export * from './revisit.js';
export * from './solution-deadline.js';
