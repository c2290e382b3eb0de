/** The simulators, one import for dev wiring and tests. */
export { FaultPlan, type FailOptions, type SimulatorOptions } from './base.js';
export { PaymentSimulator, type RefundRecord } from './payment.js';
export { CourierSimulator, type ClaimRecord } from './courier.js';
export { NotifierSimulator, type NotifierSimulatorOptions, type SentMessage } from './notifier.js';
export { WarehouseSimulator } from './warehouse.js';
