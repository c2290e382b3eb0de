/**
 * Schedules through the SDK's ScheduleClient: create / describe / list / update / pause / unpause /
 * trigger / backfill / delete, the real server's errors (AlreadyExists, conflict token), overlap
 * SKIP vs ALLOW_ALL, a calendar spec in a time zone (ListScheduleMatchingTimes), firing as virtual
 * time is skipped (24 hourly runs in a skipped day) and a schedule that survives a restart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection, ScheduleAlreadyRunning, ScheduleNotFoundError, ScheduleOverlapPolicy, type ScheduleDescription } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { msToTs } from '@temporalio/common/lib/time.js';
import { checkCollectedHistories, collect, getBundle, startSuite, uid, waitFor, withWorker, type Collected, type Suite } from './harness.js';
import { releaseSignal, type ScheduledRunInfo } from './workflows/schedules.js';

const HOUR = 3_600_000;
let suite: Suite;
let skipping: Suite;
const histories: Collected[] = [];

beforeAll(async () => {
  [suite, skipping] = await Promise.all([startSuite(), startSuite({ timeSkipping: true }), getBundle('main')]);
}, 60_000);

afterAll(async () => {
  await Promise.all([suite?.stop(), skipping?.stop()]);
}, 30_000);

/** The TestService of a time-skipping suite: lets virtual time jump `ms` ahead (and locks it again). */
async function skipTime(s: Suite, ms: number): Promise<void> {
  const connection = await Connection.connect({ address: s.address, [InternalConnectionOptionsSymbol]: { supportsTestService: true } } as Parameters<typeof Connection.connect>[0]);
  try {
    await connection.testService!.unlockTimeSkippingWithSleep({ duration: msToTs(ms) });
  } finally {
    await connection.close();
  }
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

describe('the schedule API (SDK ScheduleClient)', () => {
  it('GetSystemInfo says schedules are supported', async () => {
    const info = await suite.connection.workflowService.getSystemInfo({});
    expect(info.capabilities?.supportsSchedules).toBe(true);
  });

  it('create, describe, list, update (conflict token), pause/unpause with notes, trigger, backfill, delete', async () => {
    const taskQueue = uid('tq-sched');
    const scheduleId = uid('sched');
    const workflowId = uid('sched-wf');
    const startAt = new Date(Date.UTC(2030, 0, 1));
    await withWorker(suite, { taskQueue }, async () => {
      const handle = await suite.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1h', offset: '5m' }], startAt, jitter: '10s' },
        action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue, workflowId, args: [], memo: { kind: 'action' } },
        memo: { owner: 'team-a' },
        policies: { catchupWindow: '2m' },
        state: { note: 'created by the test' },
      });

      // duplicate id: AlreadyExists, worded as the real server does
      const dup = await suite.client.schedule
        .create({ scheduleId, spec: { intervals: [{ every: '1h' }] }, action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue } })
        .catch((err: unknown) => err);
      expect(dup).toBeInstanceOf(ScheduleAlreadyRunning);
      const raw = await suite.connection.workflowService
        .createSchedule({ namespace: 'default', scheduleId, requestId: uid('r'), schedule: { spec: {}, action: { startWorkflow: { workflowId: 'x', workflowType: { name: 'scheduledRun' }, taskQueue: { name: taskQueue } } } } })
        .catch((err: { code?: number; details?: string }) => err);
      expect(raw).toMatchObject({ code: 6, details: `schedule "${scheduleId}" is already registered` });

      let d: ScheduleDescription = await handle.describe();
      expect(d.spec.intervals).toEqual([{ every: HOUR, offset: 5 * 60_000 }]);
      expect(d.spec.startAt).toEqual(startAt);
      expect(d.spec.jitter).toBe(10_000);
      expect(d.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 120_000, pauseOnFailure: false });
      expect(d.state).toMatchObject({ paused: false, note: 'created by the test' });
      expect(d.memo).toEqual({ owner: 'team-a' });
      expect(d.action).toMatchObject({ type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue, workflowId, memo: { kind: 'action' } });
      expect(d.info.numActionsTaken).toBe(0);
      expect(d.info.createdAt).toBeInstanceOf(Date);
      expect(d.info.lastUpdatedAt).toBeUndefined();
      // future action times: from startAt on, on the hour + 5 min, each within the 10 s jitter
      expect(d.info.nextActionTimes).toHaveLength(10);
      d.info.nextActionTimes.forEach((t, i) => {
        const nominal = startAt.getTime() + 5 * 60_000 + i * HOUR;
        expect(t.getTime()).toBeGreaterThanOrEqual(nominal);
        expect(t.getTime()).toBeLessThan(nominal + 10_000);
      });

      // update with a stale conflict token is refused; through the SDK it goes through
      const token = d.raw.conflictToken!;
      await handle.update((prev) => ({ ...prev, spec: { calendars: [{ hour: 9, minute: 30, comment: 'daily' }] }, policies: { ...prev.policies, overlap: ScheduleOverlapPolicy.BUFFER_ONE } }));
      const stale = await suite.connection.workflowService
        .updateSchedule({ namespace: 'default', scheduleId, conflictToken: token, requestId: uid('r'), schedule: d.raw.schedule })
        .catch((err: { code?: number; details?: string }) => err);
      expect(stale).toMatchObject({ code: 9, details: 'mismatched conflict token' });
      d = await handle.describe();
      expect(d.spec.calendars).toEqual([
        { second: [{ start: 0, end: 0, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }], hour: [{ start: 9, end: 9, step: 1 }], dayOfMonth: [{ start: 1, end: 31, step: 1 }], month: [{ start: 'JANUARY', end: 'DECEMBER', step: 1 }], year: [], dayOfWeek: [{ start: 'SUNDAY', end: 'SATURDAY', step: 1 }], comment: 'daily' },
      ]);
      expect(d.policies.overlap).toBe(ScheduleOverlapPolicy.BUFFER_ONE);
      expect(d.info.lastUpdatedAt).toBeInstanceOf(Date);
      expect(d.raw.conflictToken).not.toEqual(token);

      await handle.pause('maintenance window');
      d = await handle.describe();
      expect(d.state).toMatchObject({ paused: true, note: 'maintenance window' });
      const listed = await waitFor('the schedule in list()', async () => {
        for await (const s of suite.client.schedule.list()) if (s.scheduleId === scheduleId) return s;
        return undefined;
      });
      expect(listed).toMatchObject({ state: { paused: true, note: 'maintenance window' }, memo: { owner: 'team-a' }, action: { type: 'startWorkflow', workflowType: 'scheduledRun' } });
      await handle.unpause('back');
      expect((await handle.describe()).state).toMatchObject({ paused: false, note: 'back' });

      // trigger: a run now, its id the workflow id + the nominal time in RFC 3339
      const before = new Date(Math.floor(Date.now() / 1000) * 1000);
      await handle.trigger();
      d = await waitFor('the triggered action', async () => {
        const x = await handle.describe();
        return x.info.numActionsTaken === 1 ? x : undefined;
      });
      const action = d.info.recentActions[0]!;
      expect(action.action.workflow.workflowId).toBe(`${workflowId}-${rfc3339(action.scheduledAt)}`);
      expect(action.scheduledAt.getTime()).toBeGreaterThanOrEqual(before.getTime() - 1000);
      const triggered = suite.client.workflow.getHandle(action.action.workflow.workflowId);
      const result = (await triggered.result()) as ScheduledRunInfo;
      expect(result.workflowId).toBe(action.action.workflow.workflowId);
      const desc = await triggered.describe();
      expect(desc.searchAttributes.TemporalScheduledById).toEqual([scheduleId]);
      expect(desc.memo).toEqual({ kind: 'action' });
      await collect({ histories }, triggered);
      const started = (await triggered.fetchHistory()).events![0]!.workflowExecutionStartedEventAttributes!;
      expect(started.identity).toBe(`temporal-scheduler-default-${scheduleId}`);

      // backfill three hours of the daily 09:30 calendar → three days, each at its nominal time
      await handle.backfill({ start: new Date(Date.UTC(2024, 4, 1)), end: new Date(Date.UTC(2024, 4, 3, 23)), overlap: ScheduleOverlapPolicy.ALLOW_ALL });
      d = await waitFor('three backfilled actions', async () => {
        const x = await handle.describe();
        return x.info.numActionsTaken === 4 ? x : undefined;
      });
      const ids = d.info.recentActions.slice(1).map((a) => a.action.workflow.workflowId);
      expect(ids).toEqual(['2024-05-01T09:30:00Z', '2024-05-02T09:30:00Z', '2024-05-03T09:30:00Z'].map((t) => `${workflowId}-${t}`));
      for (const id of ids) {
        const h = suite.client.workflow.getHandle(id);
        await h.result();
        const sa = (await h.describe()).searchAttributes;
        expect(sa.TemporalScheduledById).toEqual([scheduleId]);
        await collect({ histories }, h);
      }

      // list with the query the UI sends, then delete
      const byQuery: string[] = [];
      for await (const s of suite.client.schedule.list({ query: `ScheduleId = '${scheduleId}'` })) byQuery.push(s.scheduleId);
      expect(byQuery).toEqual([scheduleId]);
      const count = await suite.connection.workflowService.countSchedules({ namespace: 'default', query: `ScheduleId STARTS_WITH 'sched-'` });
      expect(Number(count.count)).toBeGreaterThanOrEqual(1);
      await handle.delete();
      await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
      // the id is free again
      const again = await suite.client.schedule.create({ scheduleId, spec: { intervals: [{ every: '1h' }] }, action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue }, state: { paused: true } });
      await again.delete();
    });
  }, 60_000);

  it('list() pages through many schedules; an invalid spec is refused', async () => {
    const prefix = uid('page');
    for (let i = 0; i < 7; i++) {
      await suite.client.schedule.create({ scheduleId: `${prefix}-${i}`, spec: { intervals: [{ every: '1d' }] }, action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: 'none' }, state: { paused: true } });
    }
    const page = await suite.connection.workflowService.listSchedules({ namespace: 'default', maximumPageSize: 3, query: `ScheduleId STARTS_WITH '${prefix}'` });
    expect(page.schedules).toHaveLength(3);
    expect(page.nextPageToken?.length).toBeGreaterThan(0);
    const all: string[] = [];
    for await (const s of suite.client.schedule.list({ pageSize: 3, query: `ScheduleId STARTS_WITH '${prefix}'` })) all.push(s.scheduleId);
    expect(all.sort()).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `${prefix}-${i}`));
    await expect(
      suite.client.schedule.create({ scheduleId: uid('bad'), spec: { cronExpressions: ['61 * * * *'] }, action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: 'none' } }),
    ).rejects.toThrow(/out of range/);
    for (let i = 0; i < 7; i++) await suite.client.schedule.getHandle(`${prefix}-${i}`).delete();
  });

  it('a calendar spec in a time zone: matching times follow the zone across DST; a CRON_TZ cron string', async () => {
    const scheduleId = uid('tz');
    const handle = await suite.client.schedule.create({
      scheduleId,
      spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 9, comment: 'Monday 9:00 New York' }], timezone: 'America/New_York' },
      action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: 'none' },
      state: { paused: true },
    });
    const res = await suite.connection.workflowService.listScheduleMatchingTimes({
      namespace: 'default',
      scheduleId,
      startTime: msToTs(Date.UTC(2025, 2, 1)),
      endTime: msToTs(Date.UTC(2025, 2, 31, 23)),
    });
    const times = (res.startTime ?? []).map((t) => new Date(Number(t.seconds) * 1000).toISOString());
    // EST (UTC-5) until 9 March 2025, EDT (UTC-4) after
    expect(times).toEqual(['2025-03-03T14:00:00.000Z', '2025-03-10T13:00:00.000Z', '2025-03-17T13:00:00.000Z', '2025-03-24T13:00:00.000Z', '2025-03-31T13:00:00.000Z']);
    const d = await handle.describe();
    expect(d.spec.timezone).toBe('America/New_York');
    expect(d.spec.calendars?.[0]?.comment).toBe('Monday 9:00 New York');
    for (const t of d.info.nextActionTimes) {
      const local = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', weekday: 'long', hour: 'numeric', hourCycle: 'h23' }).format(t);
      expect(local).toMatch(/^Monday,? 09$/);
    }
    await handle.delete();

    const cron = await suite.client.schedule.create({
      scheduleId: uid('cron-tz'),
      spec: { cronExpressions: ['CRON_TZ=Europe/Berlin 30 8 * * 1-5'] },
      action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: 'none' },
      state: { paused: true },
    });
    const cd = await cron.describe();
    expect(cd.spec.timezone).toBe('Europe/Berlin');
    expect(cd.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 8, end: 8, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }], dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY', step: 1 }] });
    for (const t of cd.info.nextActionTimes) {
      const local = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Berlin', weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(t);
      expect(local).toMatch(/^(Mon|Tue|Wed|Thu|Fri),? 08:30$/);
    }
    await cron.delete();
  });
});

describe('schedules on virtual time (time skipping)', () => {
  it('an hourly schedule fires 24 times in a skipped day, each run seeing the previous result', async () => {
    const taskQueue = uid('tq-skip');
    const scheduleId = uid('hourly');
    await withWorker(skipping, { taskQueue }, async () => {
      const handle = await skipping.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1h' }] },
        action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue, workflowId: `${scheduleId}-wf` },
      });
      await skipTime(skipping, 24 * HOUR + 1000);
      const d = await waitFor('24 actions', async () => {
        const x = await handle.describe();
        return x.info.numActionsTaken >= 24 && x.info.runningActions.length === 0 ? x : undefined;
      });
      expect(d.info.numActionsTaken).toBe(24);
      expect(d.info.numActionsSkippedOverlap).toBe(0);
      const ids = d.info.recentActions.map((a) => a.action.workflow.workflowId);
      expect(ids).toHaveLength(10);
      for (const a of d.info.recentActions) expect(a.scheduledAt.getTime() % HOUR).toBe(0);
      // the runs chain their results (last completion result), as the real server passes it on
      const last = skipping.client.workflow.getHandle(ids[ids.length - 1]!);
      expect(((await last.result()) as ScheduledRunInfo).n).toBe(24);
      const count = await skipping.client.workflow.count(`TemporalScheduledById = '${scheduleId}'`);
      expect(count.count).toBe(24);
      await collect({ histories }, last);
      await handle.delete();
    });
  }, 60_000);

  it('overlap SKIP starts one run while it is running; ALLOW_ALL starts every time', async () => {
    const taskQueue = uid('tq-overlap');
    await withWorker(skipping, { taskQueue }, async () => {
      const mk = (policy: ScheduleOverlapPolicy) =>
        skipping.client.schedule.create({
          scheduleId: uid(`ov-${String(policy).toLowerCase()}`),
          spec: { intervals: [{ every: '1m' }] },
          action: { type: 'startWorkflow', workflowType: 'scheduledHold', taskQueue },
          policies: { overlap: policy },
        });
      const skip = await mk(ScheduleOverlapPolicy.SKIP);
      const all = await mk(ScheduleOverlapPolicy.ALLOW_ALL);
      await skipTime(skipping, 10 * 60_000 + 1000);
      const ds = await skip.describe();
      const da = await all.describe();
      expect(ds.info.numActionsTaken).toBe(1);
      expect(ds.info.numActionsSkippedOverlap).toBeGreaterThanOrEqual(9);
      expect(ds.info.runningActions).toHaveLength(1);
      expect(da.info.numActionsTaken).toBeGreaterThanOrEqual(10);
      expect(da.info.numActionsSkippedOverlap).toBe(0);
      // releasing the running one lets SKIP start again at its next time
      const running = skipping.client.workflow.getHandle(ds.info.runningActions[0]!.workflow.workflowId);
      await running.signal(releaseSignal);
      await running.result();
      await collect({ histories }, running);
      await waitFor('SKIP schedule idle', async () => (await skip.describe()).info.runningActions.length === 0);
      await skipTime(skipping, 60_000);
      expect((await skip.describe()).info.numActionsTaken).toBe(2);
      for (const h of [skip, all]) {
        const d = await h.describe();
        await h.delete();
        for (const a of d.info.recentActions) {
          await skipping.client.workflow.getHandle(a.action.workflow.workflowId).terminate('done').catch(() => undefined);
        }
      }
    });
  }, 60_000);
});

describe('persistence', () => {
  it('a schedule and its state survive a restart on the same dbFilename', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-sched-'));
    const dbFilename = path.join(dir, 'db.log');
    const scheduleId = uid('persist');
    try {
      const first = await startSuite({ dbFilename });
      let before: ScheduleDescription;
      try {
        const handle = await first.client.schedule.create({
          scheduleId,
          spec: { calendars: [{ hour: 3, minute: 15 }], timezone: 'Asia/Tokyo' },
          action: { type: 'startWorkflow', workflowType: 'scheduledRun', taskQueue: uid('tq-none'), workflowId: 'persisted-wf' },
          memo: { who: 'persistence test' },
          policies: { overlap: ScheduleOverlapPolicy.BUFFER_ALL },
        });
        await handle.trigger();
        await handle.pause('paused before the restart');
        before = await handle.describe();
        expect(before.info.numActionsTaken).toBe(1);
      } finally {
        await first.stop();
      }
      const second = await startSuite({ dbFilename });
      try {
        const handle = second.client.schedule.getHandle(scheduleId);
        const after = await handle.describe();
        expect(after.spec).toEqual(before.spec);
        expect(after.action).toEqual(before.action);
        expect(after.policies).toEqual(before.policies);
        expect(after.memo).toEqual({ who: 'persistence test' });
        expect(after.state).toMatchObject({ paused: true, note: 'paused before the restart' });
        expect(after.info.numActionsTaken).toBe(1);
        expect(after.info.recentActions.map((a) => a.action.workflow.workflowId)).toEqual(before.info.recentActions.map((a) => a.action.workflow.workflowId));
        expect(after.info.createdAt).toEqual(before.info.createdAt);
        expect(after.raw.conflictToken).toEqual(before.raw.conflictToken);
        await handle.unpause();
        await handle.delete();
        await expect(handle.describe()).rejects.toBeInstanceOf(ScheduleNotFoundError);
      } finally {
        await second.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

checkCollectedHistories(() => histories, 3);
