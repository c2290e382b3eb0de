/**
 * A run's history kept as the protobuf bytes of its events (devserver/src/engine/event-history.ts):
 * what is read back is what was appended, the bytes are a valid `History` message, a change to an
 * event leaves bytes already handed out as they were, and the log's two forms (bytes in base64,
 * objects from older logs) restore to the same events.
 */
import { describe, expect, it } from 'vitest';
import { EventHistory } from '../src/engine/event-history.js';
import { decodeMessage, lookupType, type Obj } from '../src/proto.js';

const HISTORY = lookupType('temporal.api.history.v1.History');

function event(id: number, type: string, key: string, attrs: Obj): Obj {
  return { eventId: String(id), eventTime: { seconds: String(1_764_000_000 + id), nanos: 5_000_000 }, eventType: `EVENT_TYPE_${type}`, taskId: String(id), [key]: attrs };
}

const started = event(1, 'WORKFLOW_EXECUTION_STARTED', 'workflowExecutionStartedEventAttributes', {
  workflowType: { name: 'returnAndRefund' },
  taskQueue: { name: 'cases', kind: 'TASK_QUEUE_KIND_NORMAL' },
  input: { payloads: [{ metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: Buffer.from(JSON.stringify({ caseId: '退货-1' })).toString('base64') }] },
  attempt: 1,
});
const scheduled = event(2, 'WORKFLOW_TASK_SCHEDULED', 'workflowTaskScheduledEventAttributes', { taskQueue: { name: 'cases', kind: 'TASK_QUEUE_KIND_NORMAL' }, attempt: 1 });
const timer = event(3, 'TIMER_STARTED', 'timerStartedEventAttributes', { timerId: '1', startToFireTimeout: { seconds: '86400' }, workflowTaskCompletedEventId: '2' });

describe('EventHistory', () => {
  it('reads back each event as appended, and its bytes are the History message of those events', () => {
    const h = new EventHistory();
    const sizes = [started, scheduled, timer].map((e) => h.push(e));
    expect(h.length).toBe(3);
    expect(h.byteLength).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(h.at(0)).toEqual(started);
    expect(h.last()).toEqual(timer);
    expect(h.at(3)).toBeUndefined();
    expect(h.slice(1)).toEqual([scheduled, timer]);
    expect(decodeMessage(HISTORY, h.framed()).events).toEqual([started, scheduled, timer]);
    expect(decodeMessage(HISTORY, h.framed(1, 2)).events).toEqual([scheduled]);
    expect(h.framed(2, 2).length).toBe(0);
    // A read is a copy: changing it changes nothing kept.
    h.at(0)!.eventType = 'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED';
    expect(h.first()).toEqual(started);
  });

  it('a change re-encodes the event in new bytes: a slice handed out before keeps what it was sent', () => {
    const h = new EventHistory();
    for (const e of [started, scheduled, timer]) h.push(e);
    const sent = h.framed();
    const before = Buffer.from(sent);
    h.update(0, (e) => void (e.userMetadata = { summary: { metadata: { encoding: 'anNvbi9wbGFpbg==' }, data: 'InN1bW1hcnki' } }));
    expect(Buffer.compare(sent, before)).toBe(0);
    expect(h.first()!.userMetadata).toBeDefined();
    expect(h.slice(1)).toEqual([scheduled, timer]);
    expect(decodeMessage(HISTORY, h.framed()).events).toHaveLength(3);
  });

  it('appending after a view was handed out leaves the view as it was', () => {
    const h = new EventHistory();
    h.push(started);
    const view = h.framed();
    const copy = Buffer.from(view);
    for (let i = 0; i < 200; i++) h.push(event(i + 2, 'TIMER_STARTED', 'timerStartedEventAttributes', { timerId: String(i) }));
    expect(Buffer.compare(view, copy)).toBe(0);
    expect(h.length).toBe(201);
    expect(h.at(150)!.timerStartedEventAttributes).toEqual({ timerId: '149' });
  });

  it('restores from the log in either form, in pieces, to the same events', () => {
    const h = new EventHistory();
    h.push(started);
    const first = JSON.parse(h.recordJson()) as string;
    h.push(scheduled);
    h.push(timer);
    const rest = JSON.parse(h.recordJson(1)) as string;
    expect(typeof first).toBe('string');
    const fromBytes = EventHistory.restore(EventHistory.restore(undefined, first).truncated(1), rest);
    expect(fromBytes.slice()).toEqual([started, scheduled, timer]);

    // An older log: events as objects, kept as objects (nothing encoded) until something is appended.
    const old = EventHistory.restore(EventHistory.restore(undefined, [started]), [scheduled]);
    expect(JSON.parse(old.recordJson())).toEqual([started, scheduled]);
    old.push(timer);
    expect(typeof JSON.parse(old.recordJson())).toBe('string');
    expect(old.slice()).toEqual([started, scheduled, timer]);
    expect(Buffer.compare(old.framed(), fromBytes.framed())).toBe(0);
  });

  it('refuses bytes that are not framed events', () => {
    expect(() => EventHistory.fromFramed(Buffer.from([0x12, 0x01, 0x00]))).toThrow(/expected an event at byte 0/);
    expect(() => EventHistory.fromFramed(Buffer.from([0x0a, 0x05, 0x00]))).toThrow(/cut short/);
  });

  it('refuses base64 of bytes that are not framed events, and the history stays as it was', () => {
    const h = new EventHistory();
    h.push(started);
    const before = Buffer.from(h.framed());
    expect(() => h.appendBase64(Buffer.from([0x0a, 0x05, 0x00]).toString('base64'))).toThrow(/cut short/);
    expect(() => h.appendBase64(Buffer.from([0x12, 0x01, 0x00]).toString('base64'))).toThrow(/expected an event/);
    expect(h.length).toBe(1);
    expect(Buffer.compare(h.framed(), before)).toBe(0);
    const more = new EventHistory();
    more.push(scheduled);
    more.push(timer);
    h.appendBase64(more.framed().toString('base64'));
    expect(h.slice()).toEqual([started, scheduled, timer]);
  });
});
