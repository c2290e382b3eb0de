// Generates large `--db-filename` logs in the dev server's own format, fast, for the restart test
// (test/persistence-scale.test.ts) and benchmark (bench/devserver-restart.mjs).
//
// The format is not re-implemented here: a real Store (compiled, devserver/dist) writes one
// closed run (two records: a first full one while open, then the change that closes it) and one
// open run waiting on a timer into a scratch file; those lines become templates whose run id,
// workflow id and close time are substituted for each generated run. The events are written as the
// server writes them today, protobuf bytes in base64: the ids inside them are substituted in the
// decoded bytes (they keep their length) and each run's events encoded again; the events keep the
// template's times (only the headers and states get each run's close time), and `prefix` must be
// short enough for `pad` to keep the ids distinct. `format: 'objects'`
// writes them as objects instead, as logs did before histories were kept as bytes. Plain ESM so
// that the benchmark can use it without a TypeScript loader.
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventHistory } from '../dist/engine/event-history.js';
import { Store } from '../dist/store.js';

const RUN = 'R'.repeat(36);
const WF = 'W'.repeat(24);
const CLOSE = 4102444800123; // a placeholder time no real run has (2100-01-01)

const payload = (bytes) => ({ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: Buffer.from(JSON.stringify('x'.repeat(bytes))).toString('base64') });
const ts = (ms) => ({ seconds: String(Math.floor(ms / 1000)), nanos: 0 });

function event(id, type, key, attrs, time) {
  return { eventId: String(id), eventTime: ts(time), eventType: `EVENT_TYPE_${type}`, taskId: String(id), [key]: attrs };
}

/** A case-like run: start, three activities with payloads, a timer, a signal (and its completion). */
function templateRun(time, open) {
  const history = [];
  const add = (type, key, attrs) => history.push(event(history.length + 1, type, key, attrs, time));
  const wft = () => {
    add('WORKFLOW_TASK_SCHEDULED', 'workflowTaskScheduledEventAttributes', { taskQueue: { name: 'cases', kind: 'TASK_QUEUE_KIND_NORMAL' }, attempt: 1 });
    add('WORKFLOW_TASK_STARTED', 'workflowTaskStartedEventAttributes', { scheduledEventId: String(history.length), identity: 'worker@host', requestId: 'req' });
    add('WORKFLOW_TASK_COMPLETED', 'workflowTaskCompletedEventAttributes', { scheduledEventId: String(history.length - 1), startedEventId: String(history.length), identity: 'worker@host' });
  };
  add('WORKFLOW_EXECUTION_STARTED', 'workflowExecutionStartedEventAttributes', {
    workflowType: { name: 'caseWorkflow' },
    taskQueue: { name: 'cases', kind: 'TASK_QUEUE_KIND_NORMAL' },
    input: { payloads: [payload(300)] },
    originalExecutionRunId: RUN,
    firstExecutionRunId: RUN,
    workflowId: WF,
    attempt: 1,
  });
  wft();
  for (let i = 0; i < 3; i++) {
    add('ACTIVITY_TASK_SCHEDULED', 'activityTaskScheduledEventAttributes', { activityId: String(i + 1), activityType: { name: 'step' }, input: { payloads: [payload(150)] } });
    add('ACTIVITY_TASK_STARTED', 'activityTaskStartedEventAttributes', { scheduledEventId: String(history.length), attempt: 1 });
    add('ACTIVITY_TASK_COMPLETED', 'activityTaskCompletedEventAttributes', { result: { payloads: [payload(150)] }, scheduledEventId: String(history.length - 1) });
    wft();
  }
  add('TIMER_STARTED', 'timerStartedEventAttributes', { timerId: '1', startToFireTimeout: { seconds: '86400', nanos: 0 } });
  const timerEvent = history.length;
  const run = {
    namespace: 'default',
    workflowId: WF,
    runId: RUN,
    seq: 0,
    firstExecutionRunId: RUN,
    workflowType: 'caseWorkflow',
    taskQueue: 'cases',
    status: 'Running',
    startTime: time,
    executionTime: time,
    history,
    historyBytes: 9000,
    memo: { customer: payload(40) },
    searchAttributes: {},
    runTimeoutMs: 0,
    executionTimeoutMs: 0,
    workflowTaskTimeoutMs: 10000,
    executionExpiration: 0,
    root: { workflowId: WF, runId: RUN },
    wftAttempt: 1,
    lastCompletedStartedEventId: timerEvent - 2,
    buffered: [],
    activities: {},
    timers: open ? { 1: { timerId: '1', startedEventId: timerEvent, fireAt: CLOSE } } : {},
    children: {},
    updates: {},
    cancelRequested: false,
    attempt: 1,
    signalRequestIds: [],
  };
  return run;
}

function closeTemplateRun(run, time) {
  const add = (type, key, attrs) => run.history.push(event(run.history.length + 1, type, key, attrs, time));
  add('TIMER_FIRED', 'timerFiredEventAttributes', { timerId: '1', startedEventId: String(run.history.length) });
  add('WORKFLOW_EXECUTION_SIGNALED', 'workflowExecutionSignaledEventAttributes', { signalName: 'close', input: { payloads: [payload(100)] } });
  add('WORKFLOW_TASK_SCHEDULED', 'workflowTaskScheduledEventAttributes', { taskQueue: { name: 'cases' }, attempt: 1 });
  add('WORKFLOW_TASK_STARTED', 'workflowTaskStartedEventAttributes', { scheduledEventId: String(run.history.length) });
  add('WORKFLOW_TASK_COMPLETED', 'workflowTaskCompletedEventAttributes', { scheduledEventId: String(run.history.length - 1) });
  add('WORKFLOW_EXECUTION_COMPLETED', 'workflowExecutionCompletedEventAttributes', { result: { payloads: [payload(300)] } });
  run.status = 'Completed';
  run.closeTime = CLOSE;
  run.timers = {};
}

/**
 * The run as a Store holds it: its events as protobuf bytes (`bytes`, what the server writes), or
 * as objects (`objects`, the form of logs written before histories were kept as bytes).
 */
function asStored(run, format) {
  if (format === 'objects') return { ...run, history: EventHistory.of(run.history) };
  const history = new EventHistory();
  for (const e of run.history) history.push(e);
  return { ...run, history };
}

/** Lines a real Store writes for: a closed run (open record + closing change), an open run waiting on a timer. */
function templates(now, format) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'devserver-gen-'));
  try {
    const file = path.join(dir, 'tpl.log');
    const { store } = Store.open(file);
    const closed = templateRun(now, false);
    store.writeRun(asStored(closed, format));
    closeTemplateRun(closed, now);
    store.writeRun(asStored(closed, format));
    store.close();
    const openFile = path.join(dir, 'tpl-open.log');
    const second = Store.open(openFile).store;
    second.writeRun(asStored(templateRun(now, true), format));
    second.close();
    const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
    const openLines = readFileSync(openFile, 'utf8').split('\n').filter(Boolean);
    if (lines.length !== 2 || openLines.length !== 1) throw new Error('unexpected template lines');
    return { closed: `${lines[0]}\n${lines[1]}\n`, open: `${openLines[0]}\n` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const EVENTS_MARK = ',"e":"';

/**
 * A template's lines, each split for `fill`: the text before and after the events' base64 at its
 * placeholders (`slots`), and the events as bytes with where the run and workflow ids sit in them.
 */
function lineSlots(template) {
  return template
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const at = line.lastIndexOf(EVENTS_MARK);
      if (at < 0) return { head: slots(`${line}\n`) };
      const start = at + EVENTS_MARK.length;
      const end = line.indexOf('"', start);
      const bytes = Buffer.from(line.slice(start, end), 'base64');
      const ids = [];
      for (const [kind, text] of [[0, RUN], [1, WF]]) {
        for (let i = bytes.indexOf(text); i >= 0; i = bytes.indexOf(text, i + text.length)) ids.push({ at: i, kind });
      }
      // Events without ids (a closing change) are the same for every run: encoded once.
      return { head: slots(line.slice(0, start)), events: ids.length ? { bytes, ids } : undefined, fixed: ids.length ? undefined : line.slice(start, end), tail: slots(`${line.slice(end)}\n`) };
    });
}

/** Splits a template at its placeholders: texts[0] slot texts[1] slot … (0 = run id, 1 = workflow id, 2 = time). */
function slots(template) {
  const re = new RegExp(`${RUN}|${WF}|${CLOSE}`, 'g');
  const texts = [];
  const kinds = [];
  let last = 0;
  for (const m of template.matchAll(re)) {
    texts.push(template.slice(last, m.index));
    kinds.push(m[0] === RUN ? 0 : m[0] === WF ? 1 : 2);
    last = m.index + m[0].length;
  }
  texts.push(template.slice(last));
  return { texts, kinds };
}

const pad = (prefix, n, len) => (prefix + String(n).padStart(len - prefix.length, '0')).slice(0, len);

/**
 * Writes a log of `closed` closed runs (close times spread evenly over the `spanDays` before
 * `closedBefore`) and `open` open runs waiting on a timer due at `openFireAt`, interleaved as a
 * server would have written them (every closed run leaves a superseded record). Workflow ids are
 * `${prefix}-closed-N` / `${prefix}-open-N`. `suffix` (bytes) is appended, e.g. a real server's log.
 * Returns the file's size.
 */
export function generateLog(file, { closed, open = 0, closedBefore = Date.now(), spanDays = 365, openFireAt = Date.now() + 30 * 86_400_000, prefix = 'gen', suffix, now = Date.now(), format = 'bytes' }) {
  if (format !== 'bytes' && format !== 'objects') throw new Error(`format must be bytes or objects, got ${format}`);
  const tpl = templates(now, format);
  const closedParts = lineSlots(tpl.closed);
  const openParts = lineSlots(tpl.open);
  const text = ({ texts, kinds }, runId, wfId, time) => {
    let s = texts[0];
    for (let i = 0; i < kinds.length; i++) s += (kinds[i] === 0 ? runId : kinds[i] === 1 ? wfId : String(time)) + texts[i + 1];
    return s;
  };
  const events = ({ bytes, ids }, runId, wfId) => {
    const copy = Buffer.from(bytes);
    for (const { at, kind } of ids) copy.write(kind === 0 ? runId : wfId, at, 'latin1');
    return copy.toString('base64');
  };
  const fill = (lines, runId, wfId, time) => {
    let s = '';
    for (const l of lines) {
      s += text(l.head, runId, wfId, time);
      if (l.tail) s += (l.events ? events(l.events, runId, wfId) : l.fixed) + text(l.tail, runId, wfId, time);
    }
    return s;
  };
  const fd = openSync(file, 'w');
  let bytes = 0;
  let chunk = [];
  let chunkLen = 0;
  const out = (s) => {
    chunk.push(s);
    chunkLen += s.length;
    if (chunkLen > 8 * 1024 * 1024) drain();
  };
  const drain = () => {
    const buf = Buffer.from(chunk.join(''));
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off);
    bytes += buf.length;
    chunk = [];
    chunkLen = 0;
  };
  try {
    const span = spanDays * 86_400_000;
    const openEvery = open > 0 ? Math.max(1, Math.floor(closed / open)) : Infinity;
    let opened = 0;
    for (let i = 0; i < closed; i++) {
      const closeTime = Math.round(closedBefore - span + (span * (i + 1)) / closed);
      out(fill(closedParts, pad('run-c-', i, 36), pad(`${prefix}-closed-`, i, 24), closeTime));
      if (i % openEvery === 0 && opened < open) out(fill(openParts, pad('run-o-', opened, 36), pad(`${prefix}-open-`, opened++, 24), openFireAt));
    }
    while (opened < open) out(fill(openParts, pad('run-o-', opened, 36), pad(`${prefix}-open-`, opened++, 24), openFireAt));
    drain();
    if (suffix?.length) {
      let off = 0;
      while (off < suffix.length) off += writeSync(fd, suffix, off);
      bytes += suffix.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

export const closedWorkflowId = (prefix, i) => pad(`${prefix}-closed-`, i, 24);
export const openWorkflowId = (prefix, i) => pad(`${prefix}-open-`, i, 24);
