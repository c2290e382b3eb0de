/** First deployment of `wftFlaky`: throws a plain Error, which fails the workflow *task* (not the workflow). */
import { sleep } from '@temporalio/workflow';

export async function wftFlaky(input: string): Promise<string> {
  await sleep(1);
  throw new Error(`bug in deployment 1 (input ${input})`);
}
