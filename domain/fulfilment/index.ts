/** Pure rules of the fulfilment case types (少货, 错货, 运输破损, 质量问题, 丢件, 延误, 查件) and their ledgers. */
export * from './common.js';
export * from './courier-claim.js';
export * from './documents.js';
export * from './ledger.js';
export * from './lost-delay.js';
export * from './missing-items.js';
export * from './quality.js';
export * from './root-cause.js';
export * from './rules.js';
export * from './tracking.js';
export * from './transit-damage.js';
export * from './wrong-item.js';
