/** Fixed deployment of `wftFlaky`: same command sequence up to the failure point, then completes. */
import { sleep } from '@temporalio/workflow';

export async function wftFlaky(input: string): Promise<string> {
  await sleep(1);
  return `fixed:${input}`;
}
