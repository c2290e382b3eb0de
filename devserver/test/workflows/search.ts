import { condition, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import { finishSignal, stateQuery } from './basic.js';

// Search attribute keys (same shape as @temporalio/common's defineSearchAttributeKey).
const DsInt = { name: 'DsInt', type: 'INT' } as const;
const DsDouble = { name: 'DsDouble', type: 'DOUBLE' } as const;
const DsKeywordList = { name: 'DsKeywordList', type: 'KEYWORD_LIST' } as const;
const DsDatetime = { name: 'DsDatetime', type: 'DATETIME' } as const;
const DsKeyword = { name: 'DsKeyword', type: 'KEYWORD' } as const;

export interface SaUpsert {
  int?: number;
  double?: number;
  keywordList?: string[];
  datetimeIso?: string;
  removeKeyword?: boolean;
}

/**
 * Upserts typed search attributes from inside the workflow, then waits for `finish` (or completes
 * immediately when `waitForFinish` is false). Returns what the workflow itself sees.
 */
export async function searchAttrWorkflow(upsert: SaUpsert, waitForFinish: boolean): Promise<{ keyword?: unknown; int?: unknown }> {
  let finished = !waitForFinish;
  setHandler(finishSignal, () => {
    finished = true;
  });
  setHandler(stateQuery, () => ({ count: 0, finished, signals: 0 }));
  const pairs: { key: any; value: any }[] = [];
  if (upsert.int !== undefined) pairs.push({ key: DsInt, value: upsert.int });
  if (upsert.double !== undefined) pairs.push({ key: DsDouble, value: upsert.double });
  if (upsert.keywordList !== undefined) pairs.push({ key: DsKeywordList, value: upsert.keywordList });
  if (upsert.datetimeIso !== undefined) pairs.push({ key: DsDatetime, value: new Date(upsert.datetimeIso) });
  if (upsert.removeKeyword) pairs.push({ key: DsKeyword, value: null });
  if (pairs.length) upsertSearchAttributes(pairs);
  await condition(() => finished);
  const sa = workflowInfo().typedSearchAttributes;
  return { keyword: sa.get(DsKeyword as any), int: sa.get(DsInt as any) };
}
