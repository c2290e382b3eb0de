import { proxyActivities, sleep } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(n: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

/** The throughput unit: one activity and one (short) timer. */
export async function oneActivityOneTimer(n: number): Promise<number> {
  const v = await touch(n);
  await sleep(100);
  return v;
}

/** An open workflow as most cases spend their life: waiting on a long timer. */
export async function waitOnTimer(): Promise<void> {
  await sleep('30 days');
}

/** Timer-lateness bench: sleeps until `dueEpochMs` (all of them due at once), then completes. */
export async function wakeAt(dueEpochMs: number): Promise<void> {
  await sleep(Math.max(1, dueEpochMs - Date.now()));
}

/** Timer-lateness bench: a new workflow started while the timers fall due (its first task competes with theirs). */
export async function newcomer(): Promise<void> {
  await sleep('30 days');
}
