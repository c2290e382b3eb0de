/**
 * The official testing API with the compiled executable as `existing-path`:
 * `TestWorkflowEnvironment.createTimeSkipping` (Java test-server CLI form `<port>`) and
 * `TestWorkflowEnvironment.createLocal` (Temporal CLI form `server start-dev …`).
 * Checks a subset of features on each and that `teardown()` leaves nothing listening.
 *
 * Requires `npm run build` (done by `npm test`'s pretest).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { assertServerBuilt, collect, ensureRuntime, getBundle, isListening, SERVER_BIN, uid, waitFor, withTimeout, withWorker, type Collected, checkCollectedHistories } from './harness.js';
import { countQuery, finishSignal, incSignal } from './workflows/basic.js';

const histories: Collected[] = [];
const EphKeyword = defineSearchAttributeKey('EphKeyword', SearchAttributeType.KEYWORD);
const EphInt = defineSearchAttributeKey('EphInt', SearchAttributeType.INT);

/**
 * Starts an environment the way users do: the SDK spawns the executable and gives it 5 seconds
 * to answer (a limit in the SDK's core, not an option). On a loaded machine a fresh Node process
 * can miss it; that is a failure of every test that needs the server, with this message — never a
 * skip.
 */
async function startSpawned(factory: string, start: () => Promise<TestWorkflowEnvironment>): Promise<TestWorkflowEnvironment> {
  assertServerBuilt();
  ensureRuntime();
  const t0 = Date.now();
  try {
    return await start();
  } catch (err) {
    throw new Error(
      `TestWorkflowEnvironment.${factory} could not start ${SERVER_BIN} (gave up after ${Date.now() - t0} ms; the SDK waits at most 5 s for a spawned server to answer): ${err instanceof Error ? err.message : String(err)}`,
      { cause: err },
    );
  }
}

function portOf(address: string): number {
  return Number(address.split(':').at(-1));
}

async function expectPortClosed(port: number): Promise<void> {
  await waitFor(`port ${port} to be released after teardown`, async () => !(await isListening(port)), undefined, 100);
}

/** Features both environments must support. */
function commonTests(getEnv: () => TestWorkflowEnvironment, label: string) {
  const sink = { histories };
  const worker = (_taskQueue: string) => ({ nativeConnection: getEnv().nativeConnection, namespace: getEnv().namespace ?? 'default' });

  it(`${label}: start + result`, async () => {
    const taskQueue = uid(`tq-${label}-start`);
    await withWorker(worker(taskQueue), { taskQueue }, async () => {
      const h = await getEnv().client.workflow.start('echoWorkflow', { taskQueue, workflowId: uid('eph-echo'), args: [{ hello: label }] });
      expect(await h.result()).toEqual({ hello: label });
      await collect(sink, h);
    });
  }, 60_000);

  it(`${label}: signal and query`, async () => {
    const taskQueue = uid(`tq-${label}-sigq`);
    await withWorker(worker(taskQueue), { taskQueue }, async () => {
      const h = await getEnv().client.workflow.start('counter', { taskQueue, workflowId: uid('eph-counter'), args: [{}] });
      await h.signal(incSignal, 3);
      await h.signal(incSignal, 4);
      expect(await h.query(countQuery)).toBe(7);
      await h.signal(finishSignal, 'end');
      expect(await h.result()).toEqual({ count: 7, signals: 2, note: 'end' });
      expect(await h.query(countQuery)).toBe(7);
      await collect(sink, h);
    });
  }, 60_000);

  it(`${label}: activity`, async () => {
    const taskQueue = uid(`tq-${label}-act`);
    await withWorker(worker(taskQueue), { taskQueue }, async () => {
      const h = await getEnv().client.workflow.start('runActivity', {
        taskQueue,
        workflowId: uid('eph-act'),
        args: [{ activity: 'failUntil', args: [2], retry: { initialIntervalMs: 100, maximumAttempts: 3 } }],
      });
      expect(await h.result()).toEqual({ ok: true, result: 2 });
      await collect(sink, h);
    });
  }, 60_000);
}

describe('TestWorkflowEnvironment.createTimeSkipping (existing-path)', () => {
  let env: TestWorkflowEnvironment;
  let port = 0;

  let startFailure: Error | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    [env] = await Promise.all([
      startSpawned('createTimeSkipping', () => TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: SERVER_BIN } } })).catch((err: Error) => {
        startFailure = err;
        return undefined as unknown as TestWorkflowEnvironment;
      }),
      getBundle('main'),
    ]);
    if (!env) return;
    port = portOf(env.address);
    console.log(`[ephemeral] createTimeSkipping ready in ${Date.now() - t0} ms at ${env.address}`);
  }, 60_000);

  // A server that did not start fails every test here with the reason (a failed beforeAll would skip them).
  beforeEach(() => {
    if (startFailure) throw startFailure;
  });

  afterAll(async () => {
    // normally already torn down by the last test
    if (env) await env.teardown();
  }, 30_000);

  it('reports time skipping support', () => {
    expect(env.supportsTimeSkipping).toBe(true);
    expect(port).toBeGreaterThan(0);
  });

  it('skips a 30-day timer in well under the wall time', async () => {
    const taskQueue = uid('tq-ts-30d');
    await withWorker({ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const workflowId = uid('ts-30d');
      const t0 = Date.now();
      const result = (await env.client.workflow.execute('sleeper', { taskQueue, workflowId, args: ['30 days'] })) as {
        elapsedMs: number;
      };
      const wall = Date.now() - t0;
      console.log(`[ephemeral] 30-day timer completed in ${wall} ms of wall time`);
      expect(result.elapsedMs).toBeGreaterThanOrEqual(30 * 24 * 3600 * 1000);
      expect(result.elapsedMs).toBeLessThan(31 * 24 * 3600 * 1000);
      expect(wall).toBeLessThan(10_000);
      await collect({ histories }, env.client.workflow.getHandle(workflowId));
    });
  }, 60_000);

  it('env.sleep() advances virtual time; currentTimeMs() reflects it', async () => {
    const before = await env.currentTimeMs();
    const t0 = Date.now();
    await env.sleep('2 hours');
    const after = await env.currentTimeMs();
    expect(after - before).toBeGreaterThanOrEqual(2 * 3600 * 1000);
    expect(Date.now() - t0).toBeLessThan(10_000);
  }, 30_000);

  it('skips activity retry backoffs, condition timeouts and start delays', async () => {
    const taskQueue = uid('tq-ts-more');
    await withWorker({ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const t0 = Date.now();
      // 2 retries with a 1-hour backoff each
      const retry = await env.client.workflow.execute('runActivity', {
        taskQueue,
        workflowId: uid('ts-backoff'),
        args: [{ activity: 'failUntil', args: [3], retry: { initialIntervalMs: 3_600_000, backoffCoefficient: 1, maximumAttempts: 5 } }],
      });
      expect(retry).toEqual({ ok: true, result: 3 });
      // condition with a 1-day timeout that nobody satisfies
      const waited = (await env.client.workflow.execute('waitWithTimeout', { taskQueue, workflowId: uid('ts-condition'), args: ['1 day'] })) as {
        signalled: boolean;
        elapsedMs: number;
      };
      expect(waited.signalled).toBe(false);
      expect(waited.elapsedMs).toBeGreaterThanOrEqual(24 * 3600 * 1000);
      // a start delay of 2 days
      const before = await env.currentTimeMs();
      const delayed = await env.client.workflow.execute('echoWorkflow', { taskQueue, workflowId: uid('ts-delay'), args: ['delayed'], startDelay: '2 days' });
      expect(delayed).toBe('delayed');
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(2 * 24 * 3600 * 1000);
      const wall = Date.now() - t0;
      console.log(`[ephemeral] 1-hour retry backoffs, 1-day condition timeout and 2-day start delay skipped in ${wall} ms of wall time`);
      expect(wall).toBeLessThan(20_000);
    });
  }, 60_000);

  commonTests(() => env, 'time-skipping');

  // Last before teardown: a server that loses track of the lock count stays locked afterwards.
  it('several concurrent result() calls all complete (time-skipping lock count stays balanced)', async () => {
    const taskQueue = uid('tq-ts-concurrent');
    await withWorker({ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue, timeoutMs: 30_000 }, async () => {
      const t0 = Date.now();
      const days = [1, 2, 3, 4];
      // abortable, so that a hang does not leave long-polls behind after teardown
      const ac = new AbortController();
      let results: { elapsedMs: number }[];
      try {
        results = (await withTimeout(
          env.client.withAbortSignal(ac.signal, () =>
            Promise.all(days.map((d) => env.client.workflow.execute('sleeper', { taskQueue, workflowId: uid(`ts-conc-${d}`), args: [`${d} days`] }))),
          ),
          10_000,
          '4 concurrent result() calls on 1–4 day timers',
        )) as { elapsedMs: number }[];
      } finally {
        ac.abort();
      }
      results.forEach((r, i) => expect(r.elapsedMs).toBeGreaterThanOrEqual(days[i] * 24 * 3600 * 1000));
      console.log(`[ephemeral] 4 concurrent result() calls (1–4 day timers) completed in ${Date.now() - t0} ms of wall time`);
      // and time skipping still works for a single result() afterwards
      const ac2 = new AbortController();
      const after = (await withTimeout(
        env.client.withAbortSignal(ac2.signal, () => env.client.workflow.execute('sleeper', { taskQueue, workflowId: uid('ts-after'), args: ['5 days'] })),
        5_000,
        'single result() after the concurrent ones',
      ).finally(() => ac2.abort())) as { elapsedMs: number };
      expect(after.elapsedMs).toBeGreaterThanOrEqual(5 * 24 * 3600 * 1000);
    });
  }, 60_000);

  it('teardown() kills the server: nothing listens on its port afterwards', async () => {
    expect(await isListening(port)).toBe(true);
    const e = env;
    env = undefined as unknown as TestWorkflowEnvironment;
    await e.teardown();
    await expectPortClosed(port);
  }, 30_000);
});

describe('TestWorkflowEnvironment.createLocal (existing-path)', () => {
  let env: TestWorkflowEnvironment;
  let port = 0;

  let startFailure: Error | undefined;

  beforeAll(async () => {
    const t0 = Date.now();
    [env] = await Promise.all([
      startSpawned('createLocal', () =>
        TestWorkflowEnvironment.createLocal({
          server: { executable: { type: 'existing-path', path: SERVER_BIN }, searchAttributes: [EphKeyword, EphInt] },
        }),
      ).catch((err: Error) => {
        startFailure = err;
        return undefined as unknown as TestWorkflowEnvironment;
      }),
      getBundle('main'),
    ]);
    if (!env) return;
    port = portOf(env.address);
    console.log(`[ephemeral] createLocal ready in ${Date.now() - t0} ms at ${env.address}`);
  }, 60_000);

  // A server that did not start fails every test here with the reason (a failed beforeAll would skip them).
  beforeEach(() => {
    if (startFailure) throw startFailure;
  });

  afterAll(async () => {
    // normally already torn down by the last test
    if (env) await env.teardown();
  }, 30_000);

  it('does not skip time; a short timer takes real time', async () => {
    expect(env.supportsTimeSkipping).toBe(false);
    const taskQueue = uid('tq-local-timer');
    await withWorker({ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const t0 = Date.now();
      const h = await env.client.workflow.start('sleeper', { taskQueue, workflowId: uid('local-timer'), args: [700] });
      const r = (await h.result()) as { elapsedMs: number };
      expect(r.elapsedMs).toBeGreaterThanOrEqual(700);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(650);
      await collect({ histories }, h);
    });
  }, 60_000);

  it('search attributes passed as --search-attribute are registered', async () => {
    const taskQueue = uid('tq-local-sa');
    await withWorker({ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue }, async () => {
      const h = await env.client.workflow.start('echoWorkflow', {
        taskQueue,
        workflowId: uid('local-sa'),
        args: ['sa'],
        typedSearchAttributes: [
          { key: EphKeyword, value: 'eph-value' },
          { key: EphInt, value: 7 },
        ],
      });
      await h.result();
      const d = await h.describe();
      expect(d.typedSearchAttributes.get(EphKeyword)).toBe('eph-value');
      expect(d.typedSearchAttributes.get(EphInt)).toBe(7);
      const ids: string[] = [];
      for await (const wf of env.client.workflow.list({ query: `EphKeyword = 'eph-value' AND EphInt >= 7` })) ids.push(wf.workflowId);
      expect(ids).toEqual([h.workflowId]);
      await collect({ histories }, h);
    });
  }, 60_000);

  commonTests(() => env, 'local');

  it('teardown() kills the server: nothing listens on its port afterwards', async () => {
    expect(await isListening(port)).toBe(true);
    const e = env;
    env = undefined as unknown as TestWorkflowEnvironment;
    await e.teardown();
    await expectPortClosed(port);
  }, 30_000);
});

describe('replay', () => {
  checkCollectedHistories(() => histories, 4);
});
