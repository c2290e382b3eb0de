/**
 * A case's step writer (a local activity) must batch the same steps whichever workflow task hands
 * its result to the workflow. A worker busy answering queries when the write finishes records the
 * marker with that task but hands the result over only in the next one, beside that task's own
 * news (a child started, a timer fired, an update); on replay the result comes with the marker.
 * Built here from every saved history of cases under WRITER_SETTLES_PATCH (*-settled-*, *-v13-*):
 * each writer marker that news followed is moved after the next workflow task's completion — the
 * history such a first run writes — and the variant must replay. Without `settledActivation` before
 * every batch, 13 of them fail ("Activity id of scheduled event '6' does not match … '7'"),
 * as the lost-parcel case of drill/findings/lost-parcel-local-activity-6.pb failed after a worker
 * restart. Cases from before the patch keep the old batching (their histories, including
 * *-late-write-*: written when the result came a task late in both runs, must replay as they were).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { describe, expect, it } from 'vitest';
import { WRITER_SETTLES_PATCH } from '../../workflows/case-machinery.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const DIR = path.join(HERE, 'histories');
const { History, HistoryEvent } = temporal.api.history.v1;
type PlainEvent = Record<string, unknown> & { eventId: string; eventType: string };

const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/** The events as plain objects (ids as strings, event types by name), so they can be moved and renumbered. */
function plainEvents(history: temporal.api.history.v1.IHistory): PlainEvent[] {
  return (history.events ?? []).map((e) => HistoryEvent.toObject(HistoryEvent.fromObject(e), { longs: String, enums: String, defaults: false }) as PlainEvent);
}

const isLocalActivityMarker = (e: PlainEvent | undefined) =>
  e?.eventType === 'EVENT_TYPE_MARKER_RECORDED' && (e.markerRecordedEventAttributes as { markerName?: string }).markerName === LOCAL_ACTIVITY_MARKER;

/** The marker WRITER_SETTLES_PATCH leaves in the first workflow task of the cases it applies to. */
function isWriterSettlesMarker(e: PlainEvent): boolean {
  const attrs = e.markerRecordedEventAttributes as { markerName?: string; details?: Record<string, { payloads?: Array<{ data?: string }> }> } | undefined;
  if (e.eventType !== 'EVENT_TYPE_MARKER_RECORDED' || attrs?.markerName !== 'core_patch') return false;
  const data = attrs.details?.['patch-data']?.payloads?.[0]?.data;
  return !!data && Buffer.from(data, 'base64').toString('utf8').includes(WRITER_SETTLES_PATCH);
}

/** Rewrites every `…EventId` reference inside an event's attributes after events moved. */
function renumberReferences(value: unknown, newIdOf: Map<string, string>): void {
  if (!value || typeof value !== 'object' || value instanceof Uint8Array) return;
  for (const [key, v] of Object.entries(value)) {
    if (key.endsWith('EventId') && typeof v === 'string' && newIdOf.has(v)) (value as Record<string, unknown>)[key] = newIdOf.get(v);
    else renumberReferences(v, newIdOf);
  }
}

/**
 * The history with the marker at `index` recorded by the next workflow task instead: after that
 * task's WORKFLOW_TASK_COMPLETED, first among its commands. Undefined when no task follows.
 */
function handedOverOneTaskLater(events: PlainEvent[], index: number): temporal.api.history.v1.History | undefined {
  const moved = events.map((e) => structuredClone(e));
  const [marker] = moved.splice(index, 1);
  const completed = moved.findIndex((e, i) => i >= index && e.eventType === 'EVENT_TYPE_WORKFLOW_TASK_COMPLETED');
  if (completed < 0) return undefined;
  moved.splice(completed + 1, 0, marker!);
  const newIdOf = new Map(moved.map((e, i) => [e.eventId, String(i + 1)]));
  for (const e of moved) {
    for (const [key, attrs] of Object.entries(e)) if (key.endsWith('Attributes')) renumberReferences(attrs, newIdOf);
  }
  moved.forEach((e, i) => (e.eventId = String(i + 1)));
  return History.fromObject({ events: moved });
}

/**
 * Every variant worth replaying: markers that news followed within their workflow task (the event
 * after the marker is neither the next task nor another marker — a second local activity of the
 * same task cannot have finished before the first).
 */
function variants(): { workflowId: string; history: temporal.api.history.v1.History }[] {
  const out: { workflowId: string; history: temporal.api.history.v1.History }[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.pb')).sort()) {
    const events = plainEvents(History.decode(readFileSync(path.join(DIR, file))));
    if (!events.some(isWriterSettlesMarker)) continue;
    events.forEach((event, i) => {
      const next = events[i + 1];
      if (!isLocalActivityMarker(event) || !next || next.eventType === 'EVENT_TYPE_WORKFLOW_TASK_SCHEDULED' || isLocalActivityMarker(next)) return;
      const history = handedOverOneTaskLater(events, i);
      if (history) out.push({ workflowId: `${file.replace(/\.pb$/, '')}@${event.eventId}`, history });
    });
  }
  return out;
}

describe('step batches do not depend on which workflow task hands over the writer’s result', () => {
  it('builds the variant the drill met: a lost parcel whose writer’s result came with the claim’s child start', () => {
    const events = plainEvents(History.decode(readFileSync(path.join(DIR, 'lost-parcel-settled-02-CLOSED_SATISFIED.pb'))));
    const markerAt = events.findIndex((e, i) => isLocalActivityMarker(e) && events[i + 1]?.eventType === 'EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED');
    expect(markerAt).toBeGreaterThan(0);
    const moved = plainEvents(handedOverOneTaskLater(events, markerAt)!);
    const types = moved.slice(markerAt, markerAt + 6).map((e) => e.eventType.replace('EVENT_TYPE_', ''));
    expect(types).toEqual(['CHILD_WORKFLOW_EXECUTION_STARTED', 'WORKFLOW_TASK_SCHEDULED', 'WORKFLOW_TASK_STARTED', 'WORKFLOW_TASK_COMPLETED', 'MARKER_RECORDED', 'UPSERT_WORKFLOW_SEARCH_ATTRIBUTES']);
    // References follow the renumbering: the started task names its scheduled event.
    const started = moved[markerAt + 2]!.workflowTaskStartedEventAttributes as { scheduledEventId: string };
    expect(started.scheduledEventId).toBe(moved[markerAt + 1]!.eventId);
  });

  it('replays every saved history of the patch with a step writer’s result handed over one workflow task later', async () => {
    const histories = variants();
    expect(histories.length).toBeGreaterThanOrEqual(40);
    const failures: string[] = [];
    for await (const result of Worker.runReplayHistories({ workflowsPath: path.resolve(HERE, '../../workflows/index.ts') }, histories)) {
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
  }, 180_000);
});
