import { describe, expect, it } from 'vitest';
import { RpcError } from '../src/errors.js';
import { jsonPayload, type Payload } from '../src/proto.js';
import { parseGoDuration, parseListQuery, type VisibilityRecord } from '../src/visibility/list-filter.js';
import {
  decodeValue,
  fromEnumName,
  parseIndexedValueType,
  parseIsoTime,
  SearchAttributeRegistry,
  toEnumName,
} from '../src/visibility/search-attributes.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const unb64 = (s: string | undefined) => Buffer.from(s ?? '', 'base64').toString();
/** A typed payload, as `typedSearchAttributes` sends it. */
const typed = (value: unknown, type: string) => jsonPayload(value, type);
/** A legacy payload: no type, value wrapped in an array. */
const legacy = (...values: unknown[]) => jsonPayload(values);

const registry = new SearchAttributeRegistry();
registry.add('Stage', 'Keyword');
registry.add('Tags', 'KeywordList');
registry.add('new-search-attr', 'Int');

const T0 = Date.parse('2026-03-01T00:00:00Z');
function rec(id: string, over: Partial<VisibilityRecord> = {}, sa: Record<string, Payload> = {}): VisibilityRecord {
  return {
    namespace: 'default',
    workflowId: id,
    runId: `run-${id}`,
    workflowType: 'refund',
    status: 'Running',
    taskQueue: 'q1',
    startTime: T0,
    executionTime: T0,
    historyLength: 3,
    searchAttributes: registry.validate(sa),
    ...over,
  };
}

// Default order of these rows: running ones newest start first (w4, w1), then closed ones newest close first (w3, w2).
const rows = [
  rec('w1', { startTime: T0 + 1_000, executionTime: T0 + 1_000, historyLength: 5, parentWorkflowId: 'p1', rootWorkflowId: 'p1' }, {
    Stage: typed('inspect', 'Keyword'),
    CustomTextField: typed('Parcel arrived DAMAGED, box torn', 'Text'),
    CustomIntField: typed(5, 'Int'),
    CustomDoubleField: typed(1.5, 'Double'),
    CustomBoolField: typed(true, 'Bool'),
    CustomDatetimeField: typed('2026-03-02T10:00:00.000Z', 'Datetime'),
    Tags: typed(['vip', 'late'], 'KeywordList'),
    TemporalChangeVersion: typed(['fix-1'], 'KeywordList'),
  }),
  rec('w2', { status: 'Completed', startTime: T0 + 2_000, executionTime: T0 + 2_000, closeTime: T0 + 62_000, historyLength: 11 }, {
    Stage: legacy('refund'),
    CustomTextField: legacy('wrong item sent'),
    CustomIntField: legacy(10),
    CustomDoubleField: legacy(-2.25),
    CustomBoolField: legacy(false),
    CustomDatetimeField: legacy('2026-03-05T00:00:00+08:00'),
    Tags: legacy('late'),
  }),
  rec('w3', { status: 'Failed', workflowType: 'claim', startTime: T0 + 3_000, executionTime: T0 + 3_000, closeTime: T0 + 3_600_000 + 3_000, taskQueue: 'q2' }, {
    Stage: typed('inspected', 'Keyword'),
    CustomIntField: typed(-3, 'Int'),
    'new-search-attr': typed(7, 'Int'),
  }),
  rec('w4', { status: 'Running', startTime: T0 + 4_000, executionTime: T0 + 4_000, taskQueue: 'q2' }),
];

function ids(q: string): string[] {
  const parsed = parseListQuery(q, registry);
  return rows.filter((r) => parsed.matches(r)).sort((a, b) => parsed.compare(a, b)).map((r) => r.workflowId);
}

/** Runs `f`, expects an RpcError with `code` whose message contains every fragment. */
function expectRpcError(f: () => unknown, code: number, ...fragments: string[]): RpcError {
  let caught: unknown;
  try {
    f();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(RpcError);
  const err = caught as RpcError;
  expect(err.code).toBe(code);
  for (const fragment of fragments) expect(err.message).toContain(fragment);
  return err;
}
const expectInvalid = (q: string, ...fragments: string[]) => expectRpcError(() => parseListQuery(q, registry), 3, ...fragments);

describe('list filter: matching', () => {
  it('an empty (or blank) query matches everything in the default order: running first, then newest start', () => {
    expect(ids('')).toEqual(['w4', 'w1', 'w3', 'w2']);
    expect(ids('  \n\t')).toEqual(['w4', 'w1', 'w3', 'w2']);
  });

  it('= and != on Keyword are exact (case-sensitive) matches; != is false where the attribute is absent', () => {
    expect(ids(`Stage = 'inspect'`)).toEqual(['w1']);
    expect(ids(`Stage = "INSPECT"`)).toEqual([]);
    expect(ids(`Stage != 'inspect'`)).toEqual(['w3', 'w2']);
    expect(ids(`Stage <> 'inspect'`)).toEqual(['w3', 'w2']);
  });

  it('< <= > >= on Int, Double, Keyword and Datetime', () => {
    expect(ids('CustomIntField > 5')).toEqual(['w2']);
    expect(ids('CustomIntField >= 5')).toEqual(['w1', 'w2']);
    expect(ids('CustomIntField < 5')).toEqual(['w3']);
    expect(ids('CustomIntField <= -3')).toEqual(['w3']);
    expect(ids('CustomDoubleField < 0')).toEqual(['w2']);
    expect(ids('CustomDoubleField >= 1.5')).toEqual(['w1']);
    expect(ids('CustomDoubleField = -2.25')).toEqual(['w2']);
    expect(ids(`Stage > 'inspect'`)).toEqual(['w3', 'w2']);
    expect(ids(`CustomDatetimeField > '2026-03-03T00:00:00Z'`)).toEqual(['w2']);
    // +08:00 midnight on the 5th is 16:00Z on the 4th: compared as instants, not strings.
    expect(ids(`CustomDatetimeField < '2026-03-04T17:00:00Z'`)).toEqual(['w1', 'w2']);
    expect(ids(`CustomDatetimeField = '2026-03-04T16:00:00Z'`)).toEqual(['w2']);
  });

  it('Bool with bare and quoted true/false, any case', () => {
    expect(ids('CustomBoolField = true')).toEqual(['w1']);
    expect(ids('CustomBoolField = FALSE')).toEqual(['w2']);
    expect(ids(`CustomBoolField != 'true'`)).toEqual(['w2']);
  });

  it('Text matches words, case-insensitively, in any order; != negates', () => {
    expect(ids(`CustomTextField = 'damaged'`)).toEqual(['w1']);
    expect(ids(`CustomTextField = 'torn PARCEL'`)).toEqual(['w1']);
    expect(ids(`CustomTextField = 'dam'`)).toEqual([]); // a word, not a substring
    expect(ids(`CustomTextField = 'damaged sent'`)).toEqual([]); // every word must appear
    expect(ids(`CustomTextField != 'damaged'`)).toEqual(['w2']);
  });

  it('KeywordList: = means contains, IN means contains any, != and NOT IN negate', () => {
    expect(ids(`Tags = 'late'`)).toEqual(['w1', 'w2']);
    expect(ids(`Tags = 'vip'`)).toEqual(['w1']);
    expect(ids(`Tags IN ('vip', 'none')`)).toEqual(['w1']);
    expect(ids(`Tags != 'vip'`)).toEqual(['w2']);
    expect(ids(`Tags NOT IN ('vip')`)).toEqual(['w2']);
    expect(ids(`TemporalChangeVersion = 'fix-1'`)).toEqual(['w1']);
  });

  it('IN and NOT IN on scalars', () => {
    expect(ids(`WorkflowId IN ('w1', 'w3', 'nope')`)).toEqual(['w1', 'w3']);
    expect(ids(`WorkflowId NOT IN ('w1', 'w3')`)).toEqual(['w4', 'w2']);
    expect(ids('CustomIntField in (5, -3)')).toEqual(['w1', 'w3']);
    expect(ids(`WorkflowId IN ('w2')`)).toEqual(['w2']);
  });

  it('BETWEEN and NOT BETWEEN are inclusive', () => {
    expect(ids('CustomIntField BETWEEN -3 AND 5')).toEqual(['w1', 'w3']);
    expect(ids('CustomIntField NOT BETWEEN -3 AND 5')).toEqual(['w2']);
    expect(ids(`StartTime BETWEEN '2026-03-01T00:00:02Z' AND '2026-03-01T00:00:03Z'`)).toEqual(['w3', 'w2']);
    expect(ids('HistoryLength between 4 and 11')).toEqual(['w1', 'w2']);
  });

  it('STARTS_WITH and NOT STARTS_WITH on Keyword and KeywordList', () => {
    expect(ids(`Stage STARTS_WITH 'inspect'`)).toEqual(['w1', 'w3']);
    expect(ids(`Stage NOT STARTS_WITH 'inspect'`)).toEqual(['w2']);
    expect(ids(`Tags STARTS_WITH 'vi'`)).toEqual(['w1']);
    expect(ids(`WorkflowId starts_with 'w'`)).toEqual(['w4', 'w1', 'w3', 'w2']);
  });

  it('IS NULL / IS NOT NULL for custom and system attributes', () => {
    expect(ids('Stage IS NULL')).toEqual(['w4']);
    expect(ids('Stage is not null')).toEqual(['w1', 'w3', 'w2']);
    expect(ids('CloseTime IS NULL')).toEqual(['w4', 'w1']);
    expect(ids('CloseTime IS NOT NULL')).toEqual(['w3', 'w2']);
    expect(ids('ParentWorkflowId IS NOT NULL')).toEqual(['w1']);
    expect(ids('ExecutionDuration IS NULL')).toEqual(['w4', 'w1']);
  });

  it('system attributes: ids, type, queue, status (any case), history length, times', () => {
    expect(ids(`RunId = 'run-w3'`)).toEqual(['w3']);
    expect(ids(`WorkflowType = 'claim'`)).toEqual(['w3']);
    expect(ids(`TaskQueue = 'q2'`)).toEqual(['w4', 'w3']);
    expect(ids(`ExecutionStatus = 'running'`)).toEqual(['w4', 'w1']);
    expect(ids(`ExecutionStatus = "COMPLETED"`)).toEqual(['w2']);
    expect(ids(`ExecutionStatus IN ('Failed', 'TimedOut')`)).toEqual(['w3']);
    expect(ids(`ExecutionStatus != 'Running'`)).toEqual(['w3', 'w2']);
    expect(ids('HistoryLength > 4')).toEqual(['w1', 'w2']);
    expect(ids(`StartTime >= '2026-03-01T00:00:03Z'`)).toEqual(['w4', 'w3']);
    expect(ids(`ExecutionTime < '2026-03-01T00:00:02Z'`)).toEqual(['w1']);
    expect(ids(`CloseTime > '2026-03-01T00:05:00Z'`)).toEqual(['w3']);
    expect(ids(`ParentWorkflowId = 'p1' AND RootWorkflowId = 'p1'`)).toEqual(['w1']);
  });

  it('ExecutionDuration takes nanoseconds or Go durations', () => {
    // w2 ran 60 s, w3 ran 1 h.
    expect(ids(`ExecutionDuration > '59s'`)).toEqual(['w3', 'w2']);
    expect(ids(`ExecutionDuration > '10m'`)).toEqual(['w3']);
    expect(ids(`ExecutionDuration >= '1h'`)).toEqual(['w3']);
    expect(ids(`ExecutionDuration = '1m'`)).toEqual(['w2']);
    expect(ids('ExecutionDuration = 60000000000')).toEqual(['w2']);
    expect(ids(`ExecutionDuration < '1h0m0.5s'`)).toEqual(['w3', 'w2']);
    expect(parseGoDuration('1h30m')).toBe(5400e9);
    expect(parseGoDuration('1.5s')).toBe(1.5e9);
    expect(parseGoDuration('-250ms')).toBe(-250e6);
    expect(parseGoDuration('10')).toBeUndefined();
    expect(parseGoDuration('h')).toBeUndefined();
  });

  it('AND binds tighter than OR; parentheses override; NOT negates', () => {
    expect(ids(`Stage = 'refund' OR Stage = 'inspect' AND CustomIntField < 0`)).toEqual(['w2']);
    expect(ids(`(Stage = 'refund' OR Stage = 'inspect') AND CustomIntField < 0`)).toEqual([]);
    expect(ids(`Stage = 'inspected' OR Stage = 'inspect' AND CustomIntField > 0`)).toEqual(['w1', 'w3']);
    expect(ids(`CustomIntField > 0 AND (Stage = 'refund' OR TaskQueue = 'q2')`)).toEqual(['w2']);
    expect(ids(`((WorkflowId = 'w1'))`)).toEqual(['w1']);
    expect(ids(`NOT WorkflowId = 'w1'`)).toEqual(['w4', 'w3', 'w2']);
    expect(ids(`NOT (Stage = 'inspect' OR Stage = 'refund')`)).toEqual(['w4', 'w3']);
  });

  it('keywords are case-insensitive, whitespace is free', () => {
    expect(ids(`workflowid = 'w1'`.replace('workflowid', 'WorkflowId') + ` or WorkflowId='w2'`)).toEqual(['w1', 'w2']);
    expect(ids(`WorkflowId='w1'And(TaskQueue='q1')`)).toEqual(['w1']);
  });

  it('back-quoted names, also for ordinary attributes and names that look like keywords', () => {
    expect(ids('`new-search-attr` = 7')).toEqual(['w3']);
    expect(ids("`WorkflowId` = 'w4'")).toEqual(['w4']);
  });

  it('string literals: single or double quotes, backslash escapes and doubled quotes', () => {
    const r = new SearchAttributeRegistry();
    const quoted = rec('q', {}, {});
    quoted.workflowId = `it's "x"\\`;
    const m = (q: string) => parseListQuery(q, r).matches(quoted);
    expect(m(`WorkflowId = 'it\\'s "x"\\\\'`)).toBe(true);
    expect(m(`WorkflowId = 'it''s "x"\\\\'`)).toBe(true);
    expect(m(`WorkflowId = "it's \\"x\\"\\\\"`)).toBe(true);
    expect(m(`WorkflowId = 'its "x"\\\\'`)).toBe(false);
  });
});

describe('list filter: ORDER BY and GROUP BY', () => {
  it('ORDER BY one or more attributes, ASC by default, DESC on request', () => {
    expect(ids('ORDER BY StartTime')).toEqual(['w1', 'w2', 'w3', 'w4']);
    expect(ids('ORDER BY StartTime desc')).toEqual(['w4', 'w3', 'w2', 'w1']);
    expect(ids('CustomIntField IS NOT NULL ORDER BY CustomIntField ASC')).toEqual(['w3', 'w1', 'w2']);
    expect(ids('ORDER BY TaskQueue DESC, WorkflowId ASC')).toEqual(['w3', 'w4', 'w1', 'w2']);
    // Absent values sort first ascending (SQL NULLS FIRST), last descending.
    expect(ids('ORDER BY CloseTime')).toEqual(['w1', 'w4', 'w2', 'w3']);
    expect(ids('ORDER BY CloseTime DESC')).toEqual(['w3', 'w2', 'w1', 'w4']);
  });

  it('GROUP BY ExecutionStatus sets groupBy; without it groupBy is unset', () => {
    const q = parseListQuery(`TaskQueue = 'q2' GROUP BY ExecutionStatus`, registry);
    expect(q.groupBy).toBe('ExecutionStatus');
    expect(rows.filter((r) => q.matches(r)).map((r) => r.workflowId)).toEqual(['w3', 'w4']);
    expect(parseListQuery('group by ExecutionStatus', registry).groupBy).toBe('ExecutionStatus');
    expect(parseListQuery(`TaskQueue = 'q2'`, registry).groupBy).toBeUndefined();
  });

  it('GROUP BY anything else is INVALID_ARGUMENT', () => {
    expectInvalid('GROUP BY WorkflowType', 'GROUP BY is only supported for ExecutionStatus');
    expectInvalid('GROUP BY ExecutionStatus, TaskQueue', 'GROUP BY is only supported for ExecutionStatus');
  });
});

describe('list filter: errors', () => {
  it('unknown attributes are named', () => {
    expectInvalid('Foo = 1', 'invalid query: unknown search attribute Foo');
    expectInvalid('ORDER BY Bar', 'unknown search attribute Bar');
    expectInvalid('`no-such` IS NULL', 'unknown search attribute no-such');
  });

  it('syntax errors say what was expected and where', () => {
    expectInvalid(`(WorkflowId = 'a' OR WorkflowId = 'b'`, "expected ')' at position 37, found end of query");
    expectInvalid(`WorkflowId = `, 'expected a value at position 13');
    expectInvalid(`WorkflowId 'a'`, 'expected an operator after WorkflowId at position 11');
    expectInvalid(`WorkflowId = 'a`, 'unterminated string starting at position 13');
    expectInvalid('`abc = 1', 'unterminated back-quoted name at position 0');
    expectInvalid(`WorkflowId = 'a' extra`, "unexpected 'extra' at position 17");
    expectInvalid(`WorkflowId ~ 'a'`, 'unexpected character "~" at position 11');
    expectInvalid(`WorkflowId = 'a' AND`, 'expected a search attribute name at position 20');
    expectInvalid(`WorkflowId IN 'a'`, "expected '(' at position 14");
    expectInvalid(`WorkflowId IN ()`, 'expected a value at position 15');
    expectInvalid(`CustomIntField BETWEEN 1 OR 2`, 'expected AND at position 25');
    expectInvalid(`CloseTime IS NOTHING`, 'expected NULL');
    expectInvalid(`WorkflowId NOT = 'a'`, 'expected IN, BETWEEN or STARTS_WITH after NOT');
    expectInvalid(`WorkflowId = abc`, 'quote strings');
    expectInvalid(`ORDER WorkflowId`, 'expected BY');
  });

  it('type mismatches name the attribute', () => {
    expectInvalid(`CustomIntField = 'five'`, 'CustomIntField expects a number');
    expectInvalid(`CustomDoubleField > true`, 'CustomDoubleField expects a number');
    expectInvalid(`CustomBoolField = 1`, 'CustomBoolField expects true or false');
    expectInvalid(`CustomKeywordField = 3`, 'CustomKeywordField expects a quoted string');
    expectInvalid(`CustomDatetimeField > 'yesterday'`, 'CustomDatetimeField expects an ISO-8601 time');
    expectInvalid(`StartTime > '2026-02-30T00:00:00Z'`, 'StartTime expects an ISO-8601 time');
    expectInvalid(`ExecutionStatus = 'Sleeping'`, 'invalid ExecutionStatus value "Sleeping"');
    expectInvalid(`ExecutionDuration > 'soon'`, 'invalid ExecutionDuration "soon"');
  });

  it('operators that make no sense for a type are rejected', () => {
    expectInvalid(`CustomTextField > 'a'`, 'operator > is not supported for CustomTextField (type Text)');
    expectInvalid(`Tags BETWEEN 'a' AND 'b'`, 'operator BETWEEN is not supported for Tags');
    expectInvalid(`CustomBoolField < true`, 'operator < is not supported for CustomBoolField');
    expectInvalid(`CustomIntField STARTS_WITH '1'`, 'operator STARTS_WITH is not supported for CustomIntField');
    expectInvalid(`WorkflowId STARTS_WITH w`, 'STARTS_WITH expects a quoted prefix');
    expectInvalid('ORDER BY CustomTextField', 'cannot ORDER BY CustomTextField');
  });

  it('deep nesting is an RpcError, not a stack overflow', () => {
    expectInvalid('('.repeat(5000) + `WorkflowId = 'a'` + ')'.repeat(5000), 'nested more than');
    expectInvalid('NOT '.repeat(5000) + `WorkflowId = 'a'`, 'nested more than');
    // Moderate nesting still works.
    expect(ids('('.repeat(50) + `WorkflowId = 'w1'` + ')'.repeat(50))).toEqual(['w1']);
  });

  it('long flat queries parse and evaluate quickly (no backtracking, no deep recursion)', () => {
    const long = Array.from({ length: 1200 }, (_, i) => `WorkflowId = 'x${i}'`).join(' OR ') + ` OR WorkflowId = 'w2'`;
    const started = Date.now();
    expect(ids(long)).toEqual(['w2']);
    for (const evil of ['1'.repeat(20_000) + 'x', "'" + '\\'.repeat(20_001), ' '.repeat(30_000) + '~', 'a'.repeat(30_000) + '!']) {
      expect(() => parseListQuery(evil, registry)).toThrow(RpcError);
    }
    expect(Date.now() - started).toBeLessThan(2000);
    expectInvalid('x'.repeat(40_000), 'longer than');
  });

  it('random input never throws anything but INVALID_ARGUMENT', () => {
    const pieces = [`'`, '"', '`', '(', ')', '=', '!=', '<', '>=', ',', ' ', '-', '.', '\\', '1', '1.5', '1e999', 'AND', 'OR', 'NOT', 'IN',
      'BETWEEN', 'IS', 'NULL', 'STARTS_WITH', 'ORDER BY', 'GROUP BY', 'DESC', 'true', 'WorkflowId', 'CustomIntField', 'Tags',
      'CustomDatetimeField', 'ExecutionStatus', 'ExecutionDuration', 'CloseTime', "'2026-03-01T00:00:00Z'", "'1h'", "'x'", 'µ', '\u0000'];
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    let parsedOk = 0;
    for (let i = 0; i < 5000; i++) {
      const q = i % 2
        ? Array.from({ length: rand(14) }, () => pieces[rand(pieces.length)]).join(rand(2) ? ' ' : '')
        : Array.from({ length: rand(30) }, () => String.fromCharCode(rand(128))).join('');
      try {
        const parsed = parseListQuery(q, registry);
        rows.filter((r) => parsed.matches(r)).sort((a, b) => parsed.compare(a, b));
        parsedOk++;
      } catch (err) {
        expect(err, q).toBeInstanceOf(RpcError);
        expect((err as RpcError).code, q).toBe(3);
        expect((err as RpcError).message, q).toMatch(/^invalid query: /);
      }
    }
    expect(parsedOk).toBeGreaterThan(0); // the generator does produce valid queries too
  });
});

describe('search attribute types', () => {
  it('converts to and from the OperatorService enum names', () => {
    expect(toEnumName('KeywordList')).toBe('INDEXED_VALUE_TYPE_KEYWORD_LIST');
    expect(toEnumName('Datetime')).toBe('INDEXED_VALUE_TYPE_DATETIME');
    expect(fromEnumName('INDEXED_VALUE_TYPE_KEYWORD_LIST')).toBe('KeywordList');
    expect(fromEnumName('INDEXED_VALUE_TYPE_BOOL')).toBe('Bool');
    expectRpcError(() => fromEnumName('INDEXED_VALUE_TYPE_UNSPECIFIED'), 3, 'INDEXED_VALUE_TYPE_UNSPECIFIED');
  });

  it('accepts case-insensitive command-line type names and rejects unknown ones', () => {
    expect(parseIndexedValueType('keyword')).toBe('Keyword');
    expect(parseIndexedValueType('KEYWORDLIST')).toBe('KeywordList');
    expect(parseIndexedValueType('Datetime')).toBe('Datetime');
    expectRpcError(() => parseIndexedValueType('String'), 3, 'unknown search attribute type String');
  });

  it('parseIsoTime reads RFC 3339 / ISO-8601 instants and rejects everything else', () => {
    expect(parseIsoTime('2026-03-01T00:00:00Z')).toBe(T0);
    expect(parseIsoTime('2026-03-01T08:00:00+08:00')).toBe(T0);
    expect(parseIsoTime('2026-02-28T19:00:00-0500')).toBe(T0);
    expect(parseIsoTime('2026-03-01T00:00:00.123456789Z')).toBe(T0 + 123);
    expect(parseIsoTime('2026-03-01')).toBe(T0);
    expect(parseIsoTime('March 1, 2026')).toBeUndefined();
    expect(parseIsoTime('2026-13-01T00:00:00Z')).toBeUndefined();
    expect(parseIsoTime('')).toBeUndefined();
  });
});

describe('SearchAttributeRegistry', () => {
  it('knows the system and default custom attributes with their types', () => {
    const r = new SearchAttributeRegistry();
    expect(r.system()).toMatchObject({
      WorkflowId: 'Keyword', ExecutionStatus: 'Keyword', StartTime: 'Datetime', ExecutionDuration: 'Int',
      TemporalChangeVersion: 'KeywordList', BuildIds: 'KeywordList', TemporalScheduledById: 'Keyword', RootRunId: 'Keyword',
    });
    expect(r.custom()).toEqual({
      CustomKeywordField: 'Keyword', CustomStringField: 'Text', CustomTextField: 'Text', CustomIntField: 'Int',
      CustomDoubleField: 'Double', CustomBoolField: 'Bool', CustomDatetimeField: 'Datetime',
    });
    expect(r.typeOf('HistoryLength')).toBe('Int');
    expect(r.typeOf('Nope')).toBeUndefined();
    expect(r.typeOf('toString')).toBeUndefined(); // no prototype leaks
  });

  it('add registers, duplicates are ALREADY_EXISTS naming the attribute, bad names INVALID_ARGUMENT', () => {
    const r = new SearchAttributeRegistry();
    r.add('CaseStage', 'Keyword');
    expect(r.typeOf('CaseStage')).toBe('Keyword');
    expect(r.custom().CaseStage).toBe('Keyword');
    expectRpcError(() => r.add('CaseStage', 'Int'), 6, 'CaseStage');
    expectRpcError(() => r.add('CustomKeywordField', 'Keyword'), 6, 'CustomKeywordField');
    expectRpcError(() => r.add('WorkflowId', 'Keyword'), 6, 'WorkflowId');
    expectRpcError(() => r.add('has space', 'Keyword'), 3, 'not valid');
    expectRpcError(() => r.add('', 'Keyword'), 3, 'not valid');
    expectRpcError(() => r.add('Fine', 'String' as never), 3, 'unknown search attribute type String');
    expect(r.typeOf('CaseStage')).toBe('Keyword'); // the failed add did not change it
  });

  it('remove deletes custom attributes only; NOT_FOUND otherwise', () => {
    const r = new SearchAttributeRegistry();
    r.remove('CustomIntField');
    expect(r.typeOf('CustomIntField')).toBeUndefined();
    expectRpcError(() => r.remove('CustomIntField'), 5, 'CustomIntField');
    expectRpcError(() => r.remove('WorkflowId'), 5, 'WorkflowId');
    expect(r.typeOf('WorkflowId')).toBe('Keyword');
  });

  it('persists only the custom map; nothing saved means the defaults', () => {
    const r = new SearchAttributeRegistry();
    r.add('CaseStage', 'KeywordList');
    r.remove('CustomBoolField');
    const json = JSON.parse(JSON.stringify(r));
    expect(json).not.toHaveProperty('WorkflowId');
    const copy = SearchAttributeRegistry.fromJSON(json);
    expect(copy.custom()).toEqual(r.custom());
    expect(copy.typeOf('CustomBoolField')).toBeUndefined();
    expect(copy.typeOf('StartTime')).toBe('Datetime');
    expect(SearchAttributeRegistry.fromJSON(undefined).typeOf('CustomBoolField')).toBe('Bool');
    expect(SearchAttributeRegistry.fromJSON({ Bad: 'Nope', Good: 'Int' }).custom()).toEqual({ Good: 'Int' });
  });

  it('validate normalises typed and legacy payloads and stamps metadata.type', () => {
    const r = new SearchAttributeRegistry();
    r.add('Tags', 'KeywordList');
    const stored = r.validate({
      CustomIntField: legacy(3),
      CustomKeywordField: typed('k', 'Keyword'),
      CustomDatetimeField: legacy('2026-03-01T00:00:00Z'),
      Tags: legacy('a', 'b'),
      TemporalChangeVersion: typed(['p1'], 'KeywordList'),
    });
    expect(decodeValue(stored.CustomIntField)).toBe(3);
    expect(unb64(stored.CustomIntField!.data)).toBe('3'); // unwrapped for storage
    expect(unb64(stored.CustomIntField!.metadata!.type)).toBe('Int');
    expect(unb64(stored.CustomIntField!.metadata!.encoding)).toBe('json/plain');
    expect(decodeValue(stored.CustomKeywordField)).toBe('k');
    expect(decodeValue(stored.CustomDatetimeField)).toBe('2026-03-01T00:00:00Z');
    expect(decodeValue(stored.Tags)).toEqual(['a', 'b']);
    expect(unb64(stored.Tags!.metadata!.type)).toBe('KeywordList');
    expect(decodeValue(stored.TemporalChangeVersion)).toEqual(['p1']);
    // A single keyword for a KeywordList becomes a list.
    expect(decodeValue(r.validate({ Tags: typed('solo', 'Keyword') }).Tags)).toEqual(['solo']);
  });

  it('validate rejects unknown names, reserved system names and values of the wrong type, naming the attribute', () => {
    const r = new SearchAttributeRegistry();
    expectRpcError(() => r.validate({ Unknown: legacy('x') }), 3, 'search attribute Unknown is not defined');
    expectRpcError(() => r.validate({ WorkflowId: legacy('x') }), 3, 'WorkflowId');
    expectRpcError(() => r.validate({ CustomIntField: typed('three', 'Int') }), 3, 'CustomIntField', 'Int');
    expectRpcError(() => r.validate({ CustomIntField: legacy(1.5) }), 3, 'CustomIntField');
    expectRpcError(() => r.validate({ CustomIntField: legacy(1, 2) }), 3, 'CustomIntField');
    expectRpcError(() => r.validate({ CustomDoubleField: legacy('1.5') }), 3, 'CustomDoubleField');
    expectRpcError(() => r.validate({ CustomBoolField: legacy('true') }), 3, 'CustomBoolField');
    expectRpcError(() => r.validate({ CustomKeywordField: legacy(5) }), 3, 'CustomKeywordField');
    expectRpcError(() => r.validate({ CustomDatetimeField: typed('tomorrow', 'Datetime') }), 3, 'CustomDatetimeField');
    expectRpcError(() => r.validate({ CustomDatetimeField: typed(1700000000000, 'Datetime') }), 3, 'CustomDatetimeField');
    expectRpcError(() => r.validate({ TemporalChangeVersion: legacy(1) }), 3, 'TemporalChangeVersion');
    expectRpcError(() => r.validate({ CustomKeywordField: { data: b64('{not json') } }), 3, 'CustomKeywordField');
  });

  it('validate drops removal markers; merge applies them (null, empty payload, legacy empty array)', () => {
    const r = new SearchAttributeRegistry();
    expect(r.validate({ CustomIntField: jsonPayload(null), CustomKeywordField: typed('k', 'Keyword') })).not.toHaveProperty('CustomIntField');
    const a = r.merge({}, { CustomKeywordField: typed('k', 'Keyword'), CustomIntField: legacy(1), CustomBoolField: legacy(true), CustomTextField: typed('t', 'Text') });
    expect(Object.keys(a).sort()).toEqual(['CustomBoolField', 'CustomIntField', 'CustomKeywordField', 'CustomTextField']);
    const b = r.merge(a, { CustomKeywordField: jsonPayload(null), CustomIntField: {}, CustomBoolField: legacy(), CustomTextField: typed('u', 'Text') });
    expect(Object.keys(b)).toEqual(['CustomTextField']);
    expect(decodeValue(b.CustomTextField)).toBe('u');
    expect(Object.keys(a)).toHaveLength(4); // merge does not mutate its input
    expectRpcError(() => r.merge(a, { Nope: jsonPayload(null) }), 3, 'Nope');
  });

  it('stamp sets metadata.type from the registry on every known payload and keeps the rest', () => {
    const r = new SearchAttributeRegistry();
    const raw = { CustomIntField: legacy(3), TemporalChangeVersion: legacy('p'), Gone: legacy('x') };
    const stamped = r.stamp(raw);
    expect(unb64(stamped.CustomIntField!.metadata!.type)).toBe('Int');
    expect(unb64(stamped.CustomIntField!.metadata!.encoding)).toBe('json/plain');
    expect(stamped.CustomIntField!.data).toBe(raw.CustomIntField.data);
    expect(unb64(stamped.TemporalChangeVersion!.metadata!.type)).toBe('KeywordList');
    expect(stamped.Gone).toEqual(raw.Gone);
    expect(raw.CustomIntField.metadata).not.toHaveProperty('type'); // input untouched
  });

  it('decodeValue unwraps legacy arrays only for scalar types', () => {
    expect(decodeValue(legacy('a'), 'Keyword')).toBe('a');
    expect(decodeValue(legacy('a'), 'KeywordList')).toEqual(['a']);
    expect(decodeValue({ metadata: { type: b64('Int') }, data: b64('[4]') })).toBe(4);
    expect(decodeValue(legacy('a'))).toEqual(['a']); // no type known: left as is
    expect(decodeValue(undefined)).toBeNull();
    expect(registry.value('Stage', legacy('z'))).toBe('z');
  });
});
