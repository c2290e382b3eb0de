import { defineQuery, proxyActivities, proxyLocalActivities, setHandler, sleep } from '@temporalio/workflow';

const { touch } = proxyActivities<{ touch(n: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });
const local = proxyLocalActivities<{ touch(n: number): Promise<number> }>({ startToCloseTimeout: '10 seconds' });

/** Query bench: the steps a `queriedSteps` workflow has written. */
export const stepsWritten = defineQuery<number>('stepsWritten');

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

/**
 * Query bench: a case's rhythm in miniature — ten short waits, each followed by a step written by a
 * local activity (as the case step writer does) — answering `stepsWritten` all along.
 */
export async function queriedSteps(): Promise<number> {
  let written = 0;
  setHandler(stepsWritten, () => written);
  for (let i = 0; i < 10; i++) {
    await sleep(100 + ((i * 37) % 150));
    await local.touch(i);
    written += 1;
  }
  return written;
}
