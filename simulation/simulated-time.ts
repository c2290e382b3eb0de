/**
 * The header a simulated case's local activities carry their workflow's time in (set in the
 * workflow by simulation/local-activities.ts, read by the worker in in-memory-activities.ts). A
 * module of its own because the workflow bundle must not import the worker side.
 */
export const SIMULATED_TIME_HEADER = 'simulated-time';
