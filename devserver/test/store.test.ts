/**
 * The dev server's log read back at start (devserver/src/store-read.ts), on runs written by a real
 * Store: what a compacting start keeps (the live lines, byte for byte, in their order), what it
 * drops (runs past retention, removed runs, a torn last line), and that the runs read back are the
 * runs that were written, history bytes included, whether a run's state lies in one line or several.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EventHistory } from '../src/engine/event-history.js';
import type { Run } from '../src/engine/types.js';
import { encodeRunRecord, headerAt, parseHeader, type StoredMeta } from '../src/store-format.js';
import { Store } from '../src/store.js';

const DAY = 86_400_000;
const NOW = Date.now();
const RETENTION_DAYS = 7;
const expired = (_ns: string, closeTime: number) => closeTime + RETENTION_DAYS * DAY <= NOW;
/** No search attributes, in the meta and in every run. */
const searchAttributes = {};
const META: StoredMeta = { clockOffset: 0, namespaces: [{ name: 'default', id: 'ns-1', description: '', retentionDays: RETENTION_DAYS, searchAttributes }] };

const payload = (text: string) => ({ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from(JSON.stringify(text)).toString('base64') });

function signal(run: Run, text: string): void {
  const id = run.history.length + 1;
  run.history.push({ eventId: String(id), eventTime: { seconds: String(Math.floor(NOW / 1000)), nanos: 0 }, eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', workflowExecutionSignaledEventAttributes: { signalName: 'note', input: { payloads: [payload(text)] } } });
}

let seq = 0;
function newRun(runId: string): Run {
  const run: Run = {
    namespace: 'default',
    workflowId: `wf-${runId}`,
    runId,
    seq: seq++,
    firstExecutionRunId: runId,
    workflowType: 'caseWorkflow',
    taskQueue: 'cases',
    status: 'Running',
    startTime: NOW - DAY,
    executionTime: NOW - DAY,
    history: new EventHistory(),
    historyBytes: 0,
    memo: { customer: payload('c-1') },
    searchAttributes,
    runTimeoutMs: 0,
    executionTimeoutMs: 0,
    workflowTaskTimeoutMs: 10_000,
    executionExpiration: 0,
    root: { workflowId: `wf-${runId}`, runId },
    wftAttempt: 1,
    lastCompletedStartedEventId: 0,
    buffered: [],
    activities: {},
    timers: { 1: { timerId: '1', startedEventId: 1, fireAt: NOW + 30 * DAY } } as unknown as Run['timers'],
    children: {},
    updates: {},
    cancelRequested: false,
    attempt: 1,
    signalRequestIds: [],
  };
  signal(run, `started ${runId}`);
  return run;
}

function close(run: Run, at: number): void {
  signal(run, 'closing');
  run.status = 'Completed';
  run.closeTime = at;
  run.timers = {};
}

/** A run as compared: its state, and its history as bytes. */
const seen = (run: Run) => {
  const { history, ...state } = run;
  return { state, events: Buffer.from(history.framed()).toString('base64'), length: history.length };
};

/** The log's lines, each with the run id its header names (undefined for other lines). */
const linesOf = (file: string) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((text) => ({ text, runId: text.startsWith('{"k":"run"') ? (JSON.parse(text) as { h: { id: string } }).h.id : undefined }));

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-store-'));
  file = path.join(dir, 'log.db');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Writes: an open run in three records, a run closed yesterday in two, 300 runs closed a month ago, a removed run, a standalone activity. */
function writeLog(): { open: Run; recent: Run } {
  const { store } = Store.open(file);
  store.writeMeta(META);
  const open = newRun('run-open');
  store.writeRun(open);
  const recent = newRun('run-recent');
  store.writeRun(recent);
  store.commit();
  for (let i = 0; i < 300; i++) {
    const old = newRun(`run-old-${i}`);
    signal(old, 'x'.repeat(4_000));
    store.writeRun(old);
    close(old, NOW - 30 * DAY);
    store.writeRun(old);
    if (i === 150) {
      signal(open, 'the customer wrote');
      open.memo = { customer: payload('c-2') };
      store.writeRun(open);
    }
    store.commit();
  }
  const removed = newRun('run-removed');
  close(removed, NOW);
  store.writeRun(removed);
  store.writeDelete(removed.runId);
  close(recent, NOW - DAY);
  store.writeRun(recent);
  signal(open, 'an agent answered');
  open.wftAttempt = 2;
  store.writeRun(open);
  store.writeActivity('act-1', { activityId: 'act-1', state: 'scheduled' });
  store.commit();
  store.close();
  return { open, recent };
}

describe('the log read back at start', () => {
  it('a compacting start keeps the live lines byte for byte and reads back the live runs as they were written', () => {
    const { open, recent } = writeLog();
    const before = linesOf(file);
    const liveIds = new Set([open.runId, recent.runId]);
    const liveLines = before.filter((l) => l.runId !== undefined && liveIds.has(l.runId)).map((l) => l.text);
    expect(liveLines).toHaveLength(5); // three records of the open run, two of the recent one
    const activityLine = before.find((l) => l.text.startsWith('{"k":"sact"'))!.text;

    const opened = Store.open(file, { expired });
    expect(opened.expired).toBe(300);
    expect(opened.meta).toEqual(META);
    expect(opened.activities).toEqual([{ activityId: 'act-1', state: 'scheduled' }]);
    const byId = new Map(opened.runs.map((r) => [r.runId, r]));
    expect([...byId.keys()].sort()).toEqual(['run-open', 'run-recent']);
    expect(seen(byId.get('run-open')!)).toEqual(seen(open));
    expect(seen(byId.get('run-recent')!)).toEqual(seen(recent));
    opened.store.close();

    // The snapshot: the meta, the live lines as they were and in their order, the activity.
    expect(linesOf(file).map((l) => l.text)).toEqual([JSON.stringify({ k: 'meta', meta: META }), ...liveLines, activityLine.trimEnd()]);

    // A start on the snapshot finds nothing to drop and rewrites nothing.
    const size = statSync(file).size;
    const again = Store.open(file, { expired });
    expect(again.expired).toBe(0);
    expect(again.runs.map(seen).sort((a, b) => a.state.runId.localeCompare(b.state.runId))).toEqual([seen(open), seen(recent)]);
    expect(again.store.sizes.log).toBe(size);

    // The store goes on from what it read: the next change is read back on top of it.
    const reopened = again.runs.find((r) => r.runId === 'run-open')!;
    signal(reopened, 'after the restart');
    again.store.writeRun(reopened);
    again.store.close();
    const third = Store.open(file, { expired });
    expect(seen(third.runs.find((r) => r.runId === 'run-open')!)).toEqual(seen(reopened));
    third.store.close();
  });

  it("a full record from the history's start supersedes the run's earlier lines (the snapshot keeps only it)", () => {
    const { open } = writeLog();
    // What a compaction writes for a run, here after the run's earlier lines: a shorter history than theirs.
    const replaced = newRun(open.runId);
    replaced.memo = { customer: payload('c-3') };
    appendFileSync(file, encodeRunRecord(replaced));
    const opened = Store.open(file, { expired });
    expect(seen(opened.runs.find((r) => r.runId === open.runId)!)).toEqual(seen(replaced));
    opened.store.close();
    expect(linesOf(file).filter((l) => l.runId === open.runId).map((l) => l.text)).toEqual([encodeRunRecord(replaced).trimEnd()]);
  });

  it('a start on a fresh snapshot rewrites nothing, also when its live part is mostly standalone activities', () => {
    const { store } = Store.open(file);
    store.writeMeta(META);
    for (let i = 0; i < 6_000; i++) store.writeActivity(`act-${i}`, { activityId: `act-${i}`, input: 'x'.repeat(300) });
    store.commit();
    store.close();
    const files: number[] = [];
    for (let start = 0; start < 3; start++) {
      const opened = Store.open(file, { expired });
      opened.store.close();
      expect(opened.activities).toHaveLength(6_000);
      files.push(statSync(file).ino);
    }
    // The activities and the meta are live too: the second start leaves the first one's file as it is,
    // and so does the third (counting run lines alone, every start wrote the log again).
    expect(files[2]).toBe(files[1]);
    expect(files[1]).toBe(files[0]);
  });

  it('a whole line whose events cannot be read stops the start, saying where, and the log stays as it was', () => {
    const { store } = Store.open(file);
    store.writeMeta(META);
    store.writeRun(newRun('run-1'));
    store.close();
    const line = '{"k":"run","h":{"id":"run-1","ns":"default","from":1},"b":{"s":{},"e":"EgEA"}}\n';
    const at = statSync(file).size;
    appendFileSync(file, line);
    const before = readFileSync(file);
    expect(() => Store.open(file, { expired })).toThrow(`${file}: the record at byte ${at} cannot be read back: history bytes: expected an event at byte 0`);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it('a torn last line (a write cut short) is left out and the log rewritten without it, as is a damaged line', () => {
    const { store } = Store.open(file);
    store.writeMeta(META);
    const run = newRun('run-1');
    store.writeRun(run);
    store.close();
    const whole = readFileSync(file, 'utf8');
    // Whole lines never read as JSON, though their header does: damage, not anything the server writes.
    appendFileSync(file, '{"k":"run","h":{"id":"run-1","ns":"default","from":1},"b":{"s":{"wftAttempt":2,"e":"x"}}\n');
    appendFileSync(file, '{"k":"run","h":{"id":"run-1","ns":"default","from":1},"b":{"s":{oops},"e":"CgA="}}\n');
    appendFileSync(file, '{"k":"run","h":{"id":"run-1","ns":"default","from":1},"b":{"s":{"wftAtt');

    const opened = Store.open(file, { expired });
    expect(opened.runs.map(seen)).toEqual([seen(run)]);
    opened.store.close();
    expect(readFileSync(file, 'utf8')).toBe(whole);
  });
});

describe('run headers read back', () => {
  const headers = [
    { id: 'run-1', ns: 'default', from: 0, f: 1 },
    { id: 'run-1', ns: 'default', from: 12 },
    { id: 'run-1', ns: 'default', from: 12, c: 1796142104499 },
    { id: 'run-1', ns: 'default', from: 0, f: 1, c: 1796142104499 },
    { id: 'run-1', ns: 'default', from: 0, c: 1796142104499, f: 1 },
    { id: '售后-1', ns: 'é', from: 3, c: 5 },
  ];
  // Read from the bytes only in the form the server writes; anything else is parsed as JSON.
  const unusual = [
    { id: 'a"quote', ns: 'back\\slash', from: 3 },
    { id: 'run-1', ns: 'default', from: 3, c: 1796142104499.5 },
  ];
  const line = (h: object) => Buffer.from(`{"k":"run","h":${JSON.stringify(h)},"b":{"s":{},"e":""}}`);
  const at = '{"k":"run","h":'.length;

  it('as JSON.stringify wrote them, whether matched or parsed (escapes, other scripts, fractional times, either key order)', () => {
    for (const h of [...headers, ...unusual]) expect(parseHeader(JSON.stringify(h))).toEqual(h);
  });

  it('from the bytes of a line, the same as parsed; unusual ones left to the parser', () => {
    for (const h of headers) {
      const bytes = line(h);
      expect(headerAt(bytes, at, bytes.length)).toEqual(h);
    }
    for (const h of unusual) {
      const bytes = line(h);
      expect(headerAt(bytes, at, bytes.length)).toBeUndefined();
    }
  });
});
