/** The policy what-if engine (docs/policy-simulation.md). */
export { startSimulator, type SimulationOptions, type SimulationPolicies, type Simulator } from './engine.js';
export { InMemoryCaseActivities, routedActivities } from './in-memory-activities.js';
export {
  COURIER_ANSWER_STEPS,
  courierAnswerAt,
  courierAnswers,
  parcelCorrections,
  recordedCases,
  WAREHOUSE_ANSWER_STEPS,
  warehouseAnswerAt,
  warehouseAnswers,
  type CourierAnswer,
  type RecordedCase,
  type RecordedStep,
  type WarehouseAnswer,
} from './recorded.js';
export { caseResult, type CaseResult } from './result.js';
export { startSimulatorProcess, type SimulatorProcess, type SimulatorProcessOptions } from './process.js';
