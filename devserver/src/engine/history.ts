import { timestamp, type Obj } from '../proto.js';
import type { BufferedEvent, Run } from './types.js';

/** `WORKFLOW_EXECUTION_SIGNALED` → `workflowExecutionSignaledEventAttributes`. */
export function attributesKey(type: string): string {
  const camel = type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${camel}EventAttributes`;
}

/**
 * An open run's history stays in memory for as long as the run waits (weeks, for a case waiting
 * for its customer), so its events hold one copy of what repeats across events and runs: the event
 * type names, and the short strings that requests bring anew each time (payload metadata such as
 * the `json/plain` encoding, worker identities, task queue, activity and marker names). The table
 * is bounded: past `MAX_SHARED` distinct strings, new ones are kept as they come.
 */
const EVENT_NAMES = new Map<string, { eventType: string; attributes: string }>();
const SHARED = new Map<string, string>();
const MAX_SHARED = 10_000;
/** Fields whose strings take few distinct values; every string inside a payload's `metadata` is shared too. */
const FEW_VALUES = new Set(['identity', 'name', 'kind', 'normalName', 'markerName', 'encoding', 'type']);

function share(s: string): string {
  const known = SHARED.get(s);
  if (known !== undefined) return known;
  if (SHARED.size < MAX_SHARED && s.length <= 128) SHARED.set(s, s);
  return s;
}

/** Replaces the repeating strings of an event's attributes by their shared copy (same value, so nothing else sees a change). */
function shareStrings(o: Obj, inMetadata: boolean): void {
  if (Array.isArray(o)) {
    for (const v of o) if (v !== null && typeof v === 'object') shareStrings(v, false);
    return;
  }
  if (o instanceof Uint8Array || Object.isFrozen(o)) return;
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (typeof v === 'string') {
      if (inMetadata || FEW_VALUES.has(k)) o[k] = share(v);
    } else if (v !== null && typeof v === 'object') shareStrings(v, k === 'metadata');
  }
}

/** Appends an event now and returns its id. Ids are 1, 2, 3… with no gaps. */
export function appendEvent(run: Run, type: string, attrs: Obj, time: number): number {
  const eventId = run.history.length + 1;
  let names = EVENT_NAMES.get(type);
  if (!names) EVENT_NAMES.set(type, (names = { eventType: `EVENT_TYPE_${type}`, attributes: attributesKey(type) }));
  shareStrings(attrs, false);
  const id = String(eventId);
  const event: Obj = {
    eventId: id,
    eventTime: timestamp(time),
    eventType: names.eventType,
    taskId: id,
    [names.attributes]: attrs,
  };
  run.historyBytes += run.history.push(event);
  return eventId;
}

export const workflowTaskStarted = (run: Run) => run.wft?.startedEventId !== undefined;

/**
 * Events that happen while a workflow task is started must wait until it completes: a started
 * workflow task may only be followed by its own completion (core's history rule).
 */
export function recordEvent(run: Run, ev: BufferedEvent): number | undefined {
  if (workflowTaskStarted(run)) {
    run.buffered.push(ev);
    return undefined;
  }
  return writeBuffered(run, ev);
}

export function flushBuffered(run: Run): number {
  const events = run.buffered;
  run.buffered = [];
  for (const ev of events) writeBuffered(run, ev);
  return events.length;
}

function writeBuffered(run: Run, ev: BufferedEvent): number {
  const attrs = { ...ev.attrs };
  if (ev.link === 'prev') attrs.startedEventId = String(run.history.length);
  else if (ev.link) attrs.startedEventId = String(run.children[ev.link.childInitiatedEventId]?.startedEventId ?? 0);
  const id = appendEvent(run, ev.type, attrs, ev.time);
  if (ev.type === 'CHILD_WORKFLOW_EXECUTION_STARTED') {
    const child = run.children[String(attrs.initiatedEventId)];
    if (child) child.startedEventId = id;
  }
  return id;
}

/**
 * Changes an event already written (metadata that comes just after it: user metadata, links, a
 * cron run's next run id). The history re-encodes it; the run's history size follows.
 */
export function changeEvent(run: Run, index: number, change: (event: Obj) => void): void {
  run.history.update(index, change);
  run.historyBytes = run.history.byteLength;
}

export function lastEvent(run: Run): Obj | undefined {
  return run.history.last();
}
