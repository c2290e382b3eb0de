/**
 * Visibility as seen through the SDK: typed search attributes at start and upserted by the
 * workflow, `list({ query })` with several operators, `count()` with GROUP BY ExecutionStatus,
 * `describe().typedSearchAttributes`, memo at start + upsertMemo.
 */
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { WorkflowExecutionInfo } from '@temporalio/client';
import { collect, getBundle, startSuite, uid, waitFor, waitForEvent, WAIT_MS, withWorker, type Suite, checkCollectedHistories } from './harness.js';
import { finishSignal } from './workflows/basic.js';

const DsKeyword = defineSearchAttributeKey('DsKeyword', SearchAttributeType.KEYWORD);
const DsText = defineSearchAttributeKey('DsText', SearchAttributeType.TEXT);
const DsInt = defineSearchAttributeKey('DsInt', SearchAttributeType.INT);
const DsDouble = defineSearchAttributeKey('DsDouble', SearchAttributeType.DOUBLE);
const DsBool = defineSearchAttributeKey('DsBool', SearchAttributeType.BOOL);
const DsDatetime = defineSearchAttributeKey('DsDatetime', SearchAttributeType.DATETIME);
const DsKeywordList = defineSearchAttributeKey('DsKeywordList', SearchAttributeType.KEYWORD_LIST);
const NotRegistered = defineSearchAttributeKey('DsNotRegistered', SearchAttributeType.KEYWORD);

let suite: Suite;

beforeAll(async () => {
  [suite] = await Promise.all([
    startSuite({
      searchAttributes: {
        DsKeyword: 'Keyword',
        DsText: 'Text',
        DsInt: 'Int',
        DsDouble: 'Double',
        DsBool: 'Bool',
        DsDatetime: 'Datetime',
        DsKeywordList: 'KeywordList',
      },
    }),
    getBundle('main'),
  ]);
}, 60_000);

afterAll(async () => {
  await suite?.stop();
}, 30_000);

async function listIds(query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const wf of suite.client.workflow.list({ query })) ids.push(wf.workflowId);
  return ids.sort();
}

/** Visibility may lag a little: poll (up to the harness's WAIT_MS), then assert with a readable diff. */
async function expectList(query: string, expected: string[]): Promise<void> {
  const want = [...expected].sort();
  let got: string[] = [];
  const deadline = Date.now() + WAIT_MS;
  while (Date.now() < deadline) {
    got = await listIds(query);
    if (JSON.stringify(got) === JSON.stringify(want)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  expect({ query, ids: got }).toEqual({ query, ids: want });
}

describe('search attributes', () => {
  it('typed search attributes at start and upserted in the workflow are described, listed and counted', async () => {
    const taskQueue = uid('tq-sa');
    const tag = uid('t').replace('-', '');
    await withWorker(suite, { taskQueue }, async () => {
      const a = await suite.client.workflow.start('searchAttrWorkflow', {
        taskQueue,
        workflowId: `${tag}-a`,
        args: [{ int: 10, double: 1.5, keywordList: ['red', 'green'], datetimeIso: '2026-01-01T00:00:00.000Z' }, true],
        typedSearchAttributes: [
          { key: DsKeyword, value: `${tag}-alpha` },
          { key: DsText, value: 'hello brave new world' },
          { key: DsBool, value: true },
        ],
      });
      const b = await suite.client.workflow.start('searchAttrWorkflow', {
        taskQueue,
        workflowId: `${tag}-b`,
        args: [{ int: 20, double: 2.5, keywordList: ['blue'], datetimeIso: '2026-06-01T00:00:00.000Z' }, false],
        typedSearchAttributes: [
          { key: DsKeyword, value: `${tag}-beta` },
          { key: DsBool, value: false },
        ],
      });
      const c = await suite.client.workflow.start('searchAttrWorkflow', {
        taskQueue,
        workflowId: `${tag}-c`,
        args: [{ int: 30, removeKeyword: true }, false],
        typedSearchAttributes: [{ key: DsKeyword, value: `${tag}-gamma` }],
      });
      const d = await suite.client.workflow.start('waitForever', { taskQueue, workflowId: `${tag}-d` });

      // the workflow sees its own start-time attributes
      expect(await b.result()).toEqual({ keyword: `${tag}-beta`, int: 20 });
      expect(await c.result()).toEqual({ int: 30 });
      await waitForEvent(a, 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES');
      await d.terminate('for the group-by count');

      // describe: start-time + upserted values, all typed
      const da = await a.describe();
      expect(da.status.name).toBe('RUNNING');
      expect(da.typedSearchAttributes.get(DsKeyword)).toBe(`${tag}-alpha`);
      expect(da.typedSearchAttributes.get(DsText)).toBe('hello brave new world');
      expect(da.typedSearchAttributes.get(DsBool)).toBe(true);
      expect(da.typedSearchAttributes.get(DsInt)).toBe(10);
      expect(da.typedSearchAttributes.get(DsDouble)).toBe(1.5);
      expect(da.typedSearchAttributes.get(DsKeywordList)).toEqual(['red', 'green']);
      expect(da.typedSearchAttributes.get(DsDatetime)?.toISOString()).toBe('2026-01-01T00:00:00.000Z');
      const dc = await c.describe();
      expect(dc.typedSearchAttributes.get(DsKeyword)).toBeUndefined(); // removed by upsert(null)
      expect(dc.typedSearchAttributes.get(DsInt)).toBe(30);

      const tq = `TaskQueue = '${taskQueue}'`;
      const [A, B, C, D] = [a, b, c, d].map((h) => h.workflowId);
      await expectList(tq, [A, B, C, D]);
      await expectList(`DsKeyword = '${tag}-alpha'`, [A]);
      await expectList(`DsKeyword IN ('${tag}-alpha', '${tag}-beta', 'nope')`, [A, B]);
      await expectList(`DsKeyword STARTS_WITH '${tag}-'`, [A, B]);
      await expectList(`WorkflowType = 'searchAttrWorkflow' AND DsInt != 10 AND ${tq}`, [B, C]);
      await expectList(`${tq} AND DsInt > 15`, [B, C]);
      await expectList(`${tq} AND DsInt >= 10 AND DsInt < 30`, [A, B]);
      await expectList(`${tq} AND DsInt BETWEEN 15 AND 25`, [B]);
      await expectList(`${tq} AND (DsInt = 10 OR DsInt = 30)`, [A, C]);
      await expectList(`${tq} AND DsDouble > 2`, [B]);
      await expectList(`${tq} AND DsBool = false`, [B]);
      await expectList(`${tq} AND DsKeywordList = 'red'`, [A]);
      await expectList(`${tq} AND DsDatetime > '2026-03-01T00:00:00Z'`, [B]);
      await expectList(`${tq} AND DsText = 'brave'`, [A]);
      await expectList(`${tq} AND DsKeyword IS NULL`, [C, D]);
      await expectList(`${tq} AND ExecutionStatus = 'Running'`, [A]);
      await expectList(`${tq} AND ExecutionStatus = 'Completed'`, [B, C]);
      await expectList(`${tq} AND ExecutionStatus != 'Running'`, [B, C, D]);
      await expectList(`${tq} AND WorkflowType = 'searchAttrWorkflow'`, [A, B, C]);
      await expectList(`WorkflowId = '${A}'`, [A]);

      // list entries carry typed search attributes too
      let entryA: WorkflowExecutionInfo | undefined;
      for await (const wf of suite.client.workflow.list({ query: `WorkflowId = '${A}'` })) entryA = wf;
      expect(entryA?.typedSearchAttributes.get(DsInt)).toBe(10);
      expect(entryA?.typedSearchAttributes.get(DsKeyword)).toBe(`${tag}-alpha`);
      expect(entryA?.status.name).toBe('RUNNING');
      expect(entryA?.taskQueue).toBe(taskQueue);

      // count + group by
      expect((await suite.client.workflow.count(tq)).count).toBe(4);
      expect((await suite.client.workflow.count(`${tq} AND DsInt > 15`)).count).toBe(2);
      const grouped = await suite.client.workflow.count(`${tq} GROUP BY ExecutionStatus`);
      expect(grouped.count).toBe(4);
      const groups = Object.fromEntries(grouped.groups.map((g) => [JSON.stringify(g.groupValues), g.count]));
      expect(groups).toEqual({ '[["Running"]]': 1, '[["Completed"]]': 2, '[["Terminated"]]': 1 });

      await a.signal(finishSignal);
      expect(await a.result()).toEqual({ keyword: `${tag}-alpha`, int: 10 });
      await expectList(`${tq} AND ExecutionStatus = 'Completed'`, [A, B, C]);
      expect((await a.describe()).typedSearchAttributes.get(DsInt)).toBe(10);
      for (const h of [a, b, c, d]) await collect(suite, h);
    });
  }, 60_000);

  it('rejects unregistered search attributes and unknown attributes in queries', async () => {
    const taskQueue = uid('tq-sa-bad');
    const start = suite.client.workflow.start('echoWorkflow', {
      taskQueue,
      workflowId: uid('sa-bad'),
      args: [1],
      typedSearchAttributes: [{ key: NotRegistered, value: 'x' }],
    });
    const err = await start.catch((e) => e);
    expect(err).toBeInstanceOf(Error);
    // the client wraps the gRPC error (ServiceError 'Failed to start Workflow', cause = INVALID_ARGUMENT)
    const chain = [err.message, err.cause?.message, err.cause?.details].join(' | ');
    expect(chain).toMatch(/DsNotRegistered/);
    expect(err.cause?.code).toBe(3 /* INVALID_ARGUMENT */);
    await expect(listIds(`DsNoSuchAttribute = 'x'`)).rejects.toThrow();
    await expect(suite.client.workflow.count(`DsNoSuchAttribute = 'x'`)).rejects.toThrow();
  }, 30_000);
});

describe('list paging and order', () => {
  it('list() pages with a small pageSize and returns closed workflows newest first', async () => {
    const taskQueue = uid('tq-paging');
    const started: string[] = [];
    await withWorker(suite, { taskQueue }, async () => {
      for (let i = 0; i < 7; i++) {
        const h = await suite.client.workflow.start('echoWorkflow', { taskQueue, workflowId: uid(`page-${i}`), args: [i] });
        expect(await h.result()).toBe(i);
        started.push(h.workflowId);
        if (i < 2) await collect(suite, h);
      }
    });
    const ids: string[] = [];
    for await (const wf of suite.client.workflow.list({ query: `TaskQueue = '${taskQueue}'`, pageSize: 2 })) ids.push(wf.workflowId);
    expect(ids).toHaveLength(7);
    expect(new Set(ids).size).toBe(7);
    // default order: CloseTime DESC (all closed, in start order) ⇒ reverse start order
    expect(ids).toEqual([...started].reverse());
    expect((await suite.client.workflow.count(`TaskQueue = '${taskQueue}'`)).count).toBe(7);
  }, 60_000);
});

describe('memo', () => {
  it('memo given at start and upserted by the workflow are both visible', async () => {
    const taskQueue = uid('tq-memo');
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.workflow.start('memoWorkflow', {
        taskQueue,
        workflowId: uid('memo'),
        memo: { fromStart: 'hello', nested: { a: 1, b: [true, null] } },
      });
      await waitForEvent(handle, 'WORKFLOW_PROPERTIES_MODIFIED');
      const expected = { fromStart: 'hello', nested: { a: 1, b: [true, null] }, fromWorkflow: 'yes', counter: 2 };
      await waitFor('merged memo', async () => isDeepStrictEqual((await handle.describe()).memo, expected)).catch(() => undefined);
      expect((await handle.describe()).memo).toEqual(expected);
      let listed: WorkflowExecutionInfo | undefined;
      for await (const wf of suite.client.workflow.list({ query: `WorkflowId = '${handle.workflowId}'` })) listed = wf;
      expect(listed?.memo).toEqual(expected);
      await handle.signal(finishSignal);
      await handle.result();
      expect((await handle.describe()).memo).toEqual(expected);
      await collect(suite, handle);
    });
  }, 60_000);
});

describe('replay', () => {
  checkCollectedHistories(() => suite.histories, 2);
});
