/**
 * The HTTP API's proto3 JSON codec against a reference: protobufjs' own protojson (`ext/protojson`,
 * the implementation behind the SDK's `historyToJSON`, i.e. the JSON history files Temporal tools
 * exchange). Every event type our case workflows produce is covered by the recorded replay
 * histories in test/workflows/histories.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { lookupType } from '../../devserver/src/proto.js';
import { durationFromJson, durationToJson, messageFromJson, messageToJson, timestampFromJson, timestampToJson } from '../../devserver/src/http/json-codec.js';

// The protobufjs copy that @temporalio/proto's root was built with (its `Type` is what protojson accepts).
const requireFromProto = createRequire(createRequire(import.meta.url).resolve('@temporalio/proto'));
const protojson = requireFromProto('protobufjs/ext/protojson') as { toJson: (type: unknown, message: unknown) => unknown };

const TO_OBJECT = { longs: String, enums: String, bytes: String, json: true } as const;
const HISTORIES = fileURLToPath(new URL('../workflows/histories', import.meta.url));
const historyType = lookupType('temporal.api.history.v1.History');

describe('proto3 JSON of histories', () => {
  const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.pb'));

  it('equals the reference for every recorded case history, and covers every event type they contain', () => {
    expect(files.length).toBeGreaterThan(20);
    const eventTypes = new Set<string>();
    for (const file of files) {
      const message = historyType.decode(fs.readFileSync(path.join(HISTORIES, file)));
      const obj = historyType.toObject(message, TO_OBJECT);
      for (const e of obj.events) eventTypes.add(e.eventType);
      const ours = messageToJson(historyType, obj);
      expect(ours, file).toEqual(protojson.toJson(historyType, message));
    }
    // The case workflows' histories use timers, activities, signals, updates, markers and search attributes.
    for (const t of ['EVENT_TYPE_TIMER_STARTED', 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED', 'EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED', 'EVENT_TYPE_MARKER_RECORDED', 'EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES', 'EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED']) {
      expect(eventTypes).toContain(t);
    }
  });

  it('reads its own JSON back to the same history', () => {
    for (const file of files.slice(0, 10)) {
      const obj = historyType.toObject(historyType.decode(fs.readFileSync(path.join(HISTORIES, file))), TO_OBJECT);
      const back = messageFromJson(historyType, JSON.parse(JSON.stringify(messageToJson(historyType, obj))));
      expect(historyType.encode(historyType.fromObject(back)).finish()).toEqual(historyType.encode(historyType.fromObject(obj)).finish());
    }
  });
});

describe('well-known types', () => {
  it('writes timestamps and durations with 0, 3, 6 or 9 fractional digits, as protojson does', () => {
    expect(timestampToJson({ seconds: '1700000000', nanos: 0 })).toBe('2023-11-14T22:13:20Z');
    expect(timestampToJson({ seconds: '1700000000', nanos: 5_000_000 })).toBe('2023-11-14T22:13:20.005Z');
    expect(timestampToJson({ seconds: '1700000000', nanos: 5_000 })).toBe('2023-11-14T22:13:20.000005Z');
    expect(timestampToJson({ seconds: '1700000000', nanos: 5 })).toBe('2023-11-14T22:13:20.000000005Z');
    expect(durationToJson({ seconds: '1', nanos: 500_000_000 })).toBe('1.500s');
    expect(durationToJson({ seconds: '0', nanos: 0 })).toBe('0s');
    expect(durationToJson({ seconds: '-2', nanos: -1_000 })).toBe('-2.000001s');
  });

  it('reads timestamps with offsets and durations, and refuses malformed ones naming the field', () => {
    expect(timestampFromJson('2023-11-14T23:13:20.25+01:00', 'startTime')).toEqual({ seconds: '1700000000', nanos: 250_000_000 });
    expect(durationFromJson('1.5s', 'timeout')).toEqual({ seconds: '1', nanos: 500_000_000 });
    expect(() => timestampFromJson('yesterday', 'startTime')).toThrow(/startTime: "yesterday" is not an RFC 3339 timestamp/);
    expect(() => durationFromJson('5m', 'timeout')).toThrow(/timeout: "5m" is not a duration/);
  });
});

describe('requests', () => {
  const listRequest = lookupType('temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest');
  const describeTaskQueue = lookupType('temporal.api.workflowservice.v1.DescribeTaskQueueRequest');
  const terminate = lookupType('temporal.api.workflowservice.v1.TerminateWorkflowExecutionRequest');

  it('accepts proto names and JSON names, enums as names or numbers, and drops unknown fields as the real gateway does', () => {
    expect(messageFromJson(listRequest, { namespace: 'default', page_size: '20', nextPageToken: 'AAE=', fromTheFuture: 1 })).toEqual({
      namespace: 'default',
      pageSize: 20,
      nextPageToken: 'AAE=',
    });
    expect(messageFromJson(describeTaskQueue, { taskQueue: { name: 'q' }, taskQueueType: '2', reportPollers: 'true' })).toMatchObject({
      taskQueue: { name: 'q' },
      taskQueueType: 'TASK_QUEUE_TYPE_ACTIVITY',
      reportPollers: true,
    });
    expect(messageFromJson(describeTaskQueue, { taskQueueType: 'TASK_QUEUE_TYPE_WORKFLOW' }).taskQueueType).toBe('TASK_QUEUE_TYPE_WORKFLOW');
  });

  it('names the field and the allowed values when a value does not fit', () => {
    expect(() => messageFromJson(describeTaskQueue, { taskQueueType: 'WORKERS' })).toThrow(/taskQueueType: "WORKERS" is not one of TASK_QUEUE_TYPE_UNSPECIFIED, TASK_QUEUE_TYPE_WORKFLOW/);
    expect(() => messageFromJson(listRequest, { pageSize: 'many' })).toThrow(/pageSize: "many" is not a number/);
    expect(() => messageFromJson(terminate, { workflowExecution: 'wf-1' })).toThrow(/workflowExecution: expected an object/);
    expect(() => messageFromJson(terminate, { details: { payloads: [{ data: 'not base64!' }] } })).toThrow(/details.payloads\[0\].data: not base64/);
  });
});
