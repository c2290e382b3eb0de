/**
 * How the case worker runs its workflow tasks; shared with the timer benchmark
 * (bench/timer-lateness.mjs), which measures the worker as the platform runs it.
 */
export const CASE_WORKER_TUNING = {
  // Two workflow threads instead of the SDK's one (with reuseV8Context): under a burst of opens the
  // single thread was the limit — each activation pays the SDK's sandbox entry several times — and
  // new cases queued at OPENED while the second core had room.
  workflowThreadPoolSize: 2,
  // 300 workflow task slots instead of the SDK's 40: with 40, a burst of due timers left both cores
  // half idle (each task waits on round trips to the server, not on CPU). 2,000 timers due at once
  // completed their woken tasks by p99 1.6–1.9 s against 2.4–3.1 s with 40 (bench/README.md).
  maxConcurrentWorkflowTaskExecutions: 300,
} as const;
