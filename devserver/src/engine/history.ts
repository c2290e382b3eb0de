import { approxSize, timestamp, type Obj } from '../proto.js';
import type { BufferedEvent, Run } from './types.js';

/** `WORKFLOW_EXECUTION_SIGNALED` → `workflowExecutionSignaledEventAttributes`. */
export function attributesKey(type: string): string {
  const camel = type.toLowerCase().replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
  return `${camel}EventAttributes`;
}

/** Appends an event now and returns its id. Ids are 1, 2, 3… with no gaps. */
export function appendEvent(run: Run, type: string, attrs: Obj, time: number): number {
  const eventId = run.history.length + 1;
  const event: Obj = {
    eventId: String(eventId),
    eventTime: timestamp(time),
    eventType: `EVENT_TYPE_${type}`,
    taskId: String(eventId),
    [attributesKey(type)]: attrs,
  };
  run.history.push(event);
  run.historyBytes += approxSize(event);
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

export function lastEvent(run: Run): Obj | undefined {
  return run.history[run.history.length - 1];
}
