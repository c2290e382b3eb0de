/**
 * Preloaded into a workflow sandbox before the SDK's worker freezes the sandbox's globals (by the
 * platform's worker unless WORKFLOW_STACK_TRACES=on, worker/workflow-bundle.ts; always by the
 * policy simulator, simulation/engine.ts): errors created in a case's workflow capture no stack.
 *
 * Why: for its stack-trace query (the Temporal UI's Call Stack tab) the SDK's worker hooks every
 * promise a workflow creates and captures a stack for each one, mapped through the bundle's source
 * map — about 40 % of the workflow threads' time under a burst of new cases, and most of it in a
 * simulation. V8 captures at most `Error.stackTraceLimit` frames, read from the sandbox's own
 * `Error`, so with 0 the hook finds none and is cheap. Failures are still reported by message; the
 * stack-trace query answers a bare "Error" per waiting promise.
 */
Error.stackTraceLimit = 0;

export {};
