/**
 * The time-skipping locks as the Java test server keeps them (devserver/src/clock.ts): one count
 * of the client's lock, of the work in flight (workflow tasks, activities, queries, updates) and
 * of the `UnlockTimeSkippingWithSleep` calls still sleeping; time skips while it is zero.
 *
 * Driven through the official testing API (`TestWorkflowEnvironment`: `env.sleep`,
 * `env.currentTimeMs`, the time-skipping `env.client` whose `result()` unlocks while it waits) on
 * the dev server in this process (test/support/time-skipping-environment.ts), plus the clock's
 * arithmetic on its own.
 */
import { Client } from '@temporalio/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../devserver/src/clock.js';
import { createTimeSkippingEnvironment, type InProcessTimeSkippingEnvironment } from '../support/time-skipping-environment.js';
import { checkCollectedHistories, collect, getBundle, uid, waitFor, withTimeout, withWorker, type Collected } from '../../devserver/test/harness.js';
import type { TimeSkippingActivities } from '../../devserver/test/workflows/time-skipping.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const histories: Collected[] = [];
let env: InProcessTimeSkippingEnvironment;

beforeAll(async () => {
  [env] = (await Promise.all([createTimeSkippingEnvironment(), getBundle('main')])) as [InProcessTimeSkippingEnvironment, unknown];
}, 60_000);

afterAll(async () => {
  await env?.teardown();
}, 30_000);

const clock = () => env.devServer.engine.clock;

/** The activities call the environment, as in the doc comment of `TestWorkflowEnvironment.sleep`. */
let sleeping = 0;
const activities: TimeSkippingActivities = {
  async envSleep(duration) {
    sleeping++;
    try {
      const before = await env.currentTimeMs();
      await env.sleep(duration);
      return (await env.currentTimeMs()) - before;
    } finally {
      sleeping--;
    }
  },
  async virtualTimeDuring(ms) {
    const before = await env.currentTimeMs();
    await new Promise((r) => setTimeout(r, ms));
    return (await env.currentTimeMs()) - before;
  },
};

function worker(taskQueue: string) {
  return [{ nativeConnection: env.nativeConnection, namespace: 'default' }, { taskQueue, activities }] as const;
}

/** Back to the client's one lock, nothing in flight, nobody sleeping. */
async function expectBalanced(): Promise<void> {
  await waitFor('the lock count back to the client lock alone', () => sleeping === 0 && clock().lockCount === 1, 10_000);
}

describe('VirtualClock lock count', () => {
  it('counts the client lock, work in flight and sleeping unlocks as one number, as the Java test server does', () => {
    const c = new VirtualClock(true);
    try {
      expect(c.lockCount).toBe(1); // locked at start
      expect(c.canSkip).toBe(false);
      c.unlockUser(); // result() waiting
      expect(c.canSkip).toBe(true);
      c.lockWork(); // an activity in flight
      expect(c.canSkip).toBe(false);
      c.unlockUntil(c.now() + DAY, () => undefined); // …calling env.sleep
      expect(c.lockCount).toBe(0);
      expect(c.canSkip).toBe(true);
      c.lockWork(); // a workflow task in flight
      expect(c.canSkip).toBe(false);
    } finally {
      c.stop();
    }
  });

  it('client unlocks below zero (concurrent result() calls) do not cancel the locks of work in flight', () => {
    const c = new VirtualClock(true);
    try {
      for (let i = 0; i < 4; i++) c.unlockUser();
      c.lockWork();
      expect(c.lockCount).toBe(1);
      expect(c.canSkip).toBe(false);
      c.unlockWork();
      expect(c.canSkip).toBe(true);
      for (let i = 0; i < 4; i++) c.lockUser();
      expect(c.lockCount).toBe(1);
    } finally {
      c.stop();
    }
  });

  it('a sleeping unlock takes its lock again when its time comes, before later tasks run', async () => {
    const c = new VirtualClock(true);
    try {
      c.unlockUser(); // result() waiting
      c.lockWork(); // the activity that sleeps
      const seen: number[] = [];
      const start = c.now();
      c.schedule(start + 2 * DAY, () => seen.push(c.lockCount));
      const woke = new Promise<number>((resolve) => c.unlockUntil(start + DAY, () => resolve(c.lockCount)));
      expect(await withTimeout(woke, 2_000, 'the 1-day sleep')).toBe(1); // the activity's
      expect(c.now() - start).toBeGreaterThanOrEqual(DAY);
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([]); // locked again: the 2-day task waits
      expect(c.now() - start).toBeLessThan(DAY + 10_000);
    } finally {
      c.stop();
    }
  });
});

describe('VirtualClock with frozen time (the server option frozenTime)', () => {
  it('stands still while locked, runs what is due now, and moves only by skips, to the exact instant', async () => {
    const c = new VirtualClock(true, 0, true);
    try {
      const start = c.now();
      const wallStart = Date.now();
      while (Date.now() < wallStart + 5); // wall time passes while the client holds its lock…
      expect(c.now()).toBe(start); // …virtual time does not
      const ran: string[] = [];
      c.schedule(start, () => ran.push('due now'));
      c.schedule(start + HOUR, () => ran.push(`in an hour at +${c.now() - start}`));
      await waitFor('the task due now', () => ran.length === 1);
      expect(ran).toEqual(['due now']);
      c.unlockUser(); // nothing in flight: skip
      await waitFor('the skip to the next task', () => ran.length === 2);
      expect(ran[1]).toBe(`in an hour at +${HOUR}`);
      expect(c.now()).toBe(start + HOUR);
    } finally {
      c.stop();
    }
  });
});

describe('time skipping around work in flight (TestWorkflowEnvironment on the dev server)', () => {
  it("the doc comment's example: an activity in env.sleep(1_000_000) loses to a 500_000 ms timer, in well under a second of wall time per virtual minute", async () => {
    const taskQueue = uid('tq-tsl-race');
    await withWorker(...worker(taskQueue), async () => {
      const t0 = Date.now();
      const before = await env.currentTimeMs();
      const handle = await env.client.workflow.start('raceActivityAndTimer', { taskQueue, workflowId: uid('tsl-race'), args: [500_000, 1_000_000] });
      expect(await withTimeout(handle.result(), 15_000, 'the race (the 500-s timer firing in real time would take 500 s)')).toBe('timer');
      const wall = Date.now() - t0;
      console.log(`[time-skipping-locks] doc example: timer won after ${wall} ms of wall time`);
      expect(wall).toBeLessThan(10_000);
      // The abandoned activity's sleep ends too (nothing else holds the clock), in skipped time.
      await expectBalanced();
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(1_000_000);
      await collect({ histories }, handle);
    });
  }, 60_000);

  it("an activity's env.sleep('20s') raced against sleep('1 day'): the 20 s are skipped, so the activity wins at once", async () => {
    // The Java test server jumps to the earliest due task: the sleep's end (20 s), not the timer (1 day).
    const taskQueue = uid('tq-tsl-race20');
    await withWorker(...worker(taskQueue), async () => {
      const t0 = Date.now();
      const handle = await env.client.workflow.start('raceActivityAndTimer', { taskQueue, workflowId: uid('tsl-race20'), args: ['1 day', '20s'] });
      expect(await withTimeout(handle.result(), 15_000, 'the race')).toBe('activity');
      const wall = Date.now() - t0;
      console.log(`[time-skipping-locks] env.sleep('20s') in an activity took ${wall} ms of wall time`);
      expect(wall).toBeLessThan(10_000);
      await expectBalanced();
      await collect({ histories }, handle);
    });
  }, 60_000);

  it('handle.result() skips time: a 2-day timer, and an activity sleeping 2 days with env.sleep, return at once', async () => {
    const taskQueue = uid('tq-tsl-result');
    await withWorker(...worker(taskQueue), async () => {
      const t0 = Date.now();
      const timer = await env.client.workflow.start('sleeper', { taskQueue, workflowId: uid('tsl-timer'), args: ['2 days'] });
      const slept = (await withTimeout(timer.result(), 15_000, 'a 2-day timer under result()')) as { elapsedMs: number };
      expect(slept.elapsedMs).toBeGreaterThanOrEqual(2 * DAY);
      const activity = await env.client.workflow.start('activityEnvSleep', { taskQueue, workflowId: uid('tsl-act'), args: ['2 days'] });
      const r = (await withTimeout(activity.result(), 15_000, 'an activity in env.sleep(2 days) under result()')) as { activityMs: number; workflowMs: number };
      expect(r.activityMs).toBeGreaterThanOrEqual(2 * DAY);
      expect(r.workflowMs).toBeGreaterThanOrEqual(2 * DAY);
      const wall = Date.now() - t0;
      console.log(`[time-skipping-locks] 2-day timer and 2-day activity env.sleep under result(): ${wall} ms of wall time`);
      expect(wall).toBeLessThan(10_000);
      await expectBalanced();
      await collect({ histories }, timer);
      await collect({ histories }, activity);
    });
  }, 60_000);

  it("without result() the client's lock holds: an activity's env.sleep then waits in wall time", async () => {
    const taskQueue = uid('tq-tsl-plain');
    const plain = new Client({ connection: env.connection }); // no unlocking around result()
    await withWorker(...worker(taskQueue), async () => {
      const t0 = Date.now();
      const handle = await plain.workflow.start('activityEnvSleep', { taskQueue, workflowId: uid('tsl-plain'), args: [1_500] });
      const r = (await handle.result()) as { activityMs: number };
      expect(r.activityMs).toBeGreaterThanOrEqual(1_500);
      expect(r.activityMs).toBeLessThan(60_000); // not skipped ahead to a timeout
      expect(Date.now() - t0).toBeGreaterThanOrEqual(1_400);
      await expectBalanced();
      await collect({ histories }, handle);
    });
  }, 60_000);

  it('a workflow task in flight holds the clock while an activity sleeps: no skip during it, the skip right after', async () => {
    const taskQueue = uid('tq-tsl-wft');
    await withWorker(...worker(taskQueue), async () => {
      const t0 = Date.now();
      // A minute in, a workflow task stays open 1.5 s (a local activity); the activity sleeps an hour.
      const handle = await env.client.workflow.start('workflowTaskDuringActivitySleep', { taskQueue, workflowId: uid('tsl-wft'), args: [1_500] });
      const r = (await withTimeout(handle.result(), 20_000, 'the hour-long env.sleep')) as { localSawMs: number; elapsedMs: number; activityMs: number };
      const wall = Date.now() - t0;
      console.log(`[time-skipping-locks] workflow task in flight during an activity's env.sleep: ${JSON.stringify(r)} in ${wall} ms of wall time`);
      expect(r.localSawMs).toBeGreaterThanOrEqual(1_400); // wall speed while the task was open…
      expect(r.localSawMs).toBeLessThan(60_000); // …not the hour-long jump
      expect(r.activityMs).toBeGreaterThanOrEqual(HOUR);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(HOUR);
      expect(wall).toBeLessThan(15_000);
      await expectBalanced();
      await collect({ histories }, handle);
    });
  }, 60_000);
});

describe('replay', () => {
  checkCollectedHistories(() => histories, 5);
});
