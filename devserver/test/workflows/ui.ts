import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';

export const noteSignal = defineSignal<[string]>('note');

const acts = proxyActivities<{ nextValue(): Promise<number> }>({ startToCloseTimeout: '5s', retry: { maximumAttempts: 1 } });

/** Records a value from an activity, then collects notes until one says `done` (reset tests). */
export async function recordThenWait(): Promise<{ value: number; notes: string[] }> {
  const notes: string[] = [];
  setHandler(noteSignal, (n) => void notes.push(n));
  const value = await acts.nextValue();
  await condition(() => notes.includes('done'));
  return { value, notes };
}
