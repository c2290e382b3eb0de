/** Pure business rules: imported by workflows (deterministic sandbox), activities, the API and tests. */
export * from './business-calendar.js';
export * from './decision.js';
export * from './policy.js';
export * from './return-refund.js';
export * from './revisit.js';
