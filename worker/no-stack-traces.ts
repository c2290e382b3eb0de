/**
 * Preloaded into the simulator's workflow sandbox only (simulation/engine.ts), before the worker
 * freezes the sandbox's globals: errors created in a simulated case's workflow capture no stack.
 *
 * Why: for its stack-trace query the SDK's worker hooks every promise a workflow creates and
 * captures a stack for each one, mapped through the bundle's source map: most of the workflow
 * thread's time in a simulation. V8 captures at most `Error.stackTraceLimit` frames, read from
 * the sandbox's own `Error`, so with 0 the hook finds none and is cheap. No one asks a simulated
 * case for its stack trace, and its failures are reported by message.
 */
Error.stackTraceLimit = 0;

export {};
