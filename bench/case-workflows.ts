/**
 * The bundle of the case benchmarks: every real case workflow (workflows/index.ts, unchanged) and,
 * for the baseline of bench/case-lifecycles.ts, the smallest workflow with the same long wait — one
 * activity, then a 30-day timer — so that both run on the same worker, bundle and server.
 */
import { proxyActivities, sleep } from '@temporalio/workflow';

export * from '../workflows/index.js';

const { touch } = proxyActivities<{ touch(n: number): Promise<number> }>({ startToCloseTimeout: '30 seconds' });

export async function activityThenMonth(n: number): Promise<number> {
  const v = await touch(n);
  await sleep('30 days');
  return v;
}
