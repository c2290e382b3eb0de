import { describe, expect, it } from 'vitest';
import { RpcError } from '../src/errors.js';
import { jsonPayload } from '../src/proto.js';
import { parseListQuery, type VisibilityRecord } from '../src/visibility/list-filter.js';
import { SearchAttributeRegistry } from '../src/visibility/search-attributes.js';

const registry = new SearchAttributeRegistry();
registry.add('CaseType', 'Keyword');
registry.add('Tags', 'KeywordList');
registry.add('new-attr', 'Int');

const T0 = Date.parse('2026-11-01T00:00:00Z');
function rec(id: string, over: Partial<VisibilityRecord> = {}, sa: Record<string, unknown> = {}): VisibilityRecord {
  const searchAttributes = registry.validate(Object.fromEntries(Object.entries(sa).map(([k, v]) => [k, jsonPayload(v)])));
  return {
    namespace: 'default',
    workflowId: id,
    runId: `run-${id}`,
    workflowType: 'returnAndRefund',
    status: 'Running',
    taskQueue: 'cases',
    startTime: T0,
    executionTime: T0,
    historyLength: 5,
    searchAttributes,
    ...over,
  };
}

const rows = [
  rec('a', { startTime: T0 + 1000 }, { CaseType: 'RETURN', CustomIntField: 5, CustomBoolField: true, CustomTextField: 'parcel arrived damaged', Tags: ['vip', 'late'], CustomDatetimeField: '2026-11-02T10:00:00Z', CustomDoubleField: 1.5 }),
  rec('b', { status: 'Completed', closeTime: T0 + 5000, startTime: T0 + 2000 }, { CaseType: 'COMPLAINT', CustomIntField: 10, CustomBoolField: false, CustomTextField: 'wrong item', Tags: ['late'] }),
  rec('c', { status: 'Failed', closeTime: T0 + 9000, startTime: T0 + 3000, workflowType: 'claim' }, { CaseType: 'RETURN', CustomIntField: -3, 'new-attr': 7 }),
  rec('d', { taskQueue: 'other', startTime: T0 + 4000 }),
];

const ids = (q: string) => {
  const parsed = parseListQuery(q, registry);
  return rows.filter(parsed.matches).sort(parsed.compare).map((r) => r.workflowId);
};

function expectInvalid(q: string, fragment: string) {
  try {
    parseListQuery(q, registry);
  } catch (err) {
    expect(err).toBeInstanceOf(RpcError);
    expect((err as RpcError).code).toBe(3);
    expect((err as RpcError).message).toContain(fragment);
    return;
  }
  throw new Error(`expected ${q} to be rejected`);
}

describe('list filter', () => {
  it('empty query matches everything, in default order: running first, then newest start', () => {
    expect(ids('')).toEqual(['d', 'a', 'c', 'b']);
  });

  it('compares keywords, ints, doubles, bools and datetimes', () => {
    expect(ids(`CaseType = 'RETURN'`)).toEqual(['a', 'c']);
    expect(ids(`CaseType != "RETURN"`)).toEqual(['b']);
    expect(ids('CustomIntField > 4')).toEqual(['a', 'b']);
    expect(ids('CustomIntField <= 5')).toEqual(['a', 'c']);
    expect(ids('CustomIntField < 0')).toEqual(['c']);
    expect(ids('CustomIntField >= 10')).toEqual(['b']);
    expect(ids('CustomDoubleField = 1.5')).toEqual(['a']);
    expect(ids('CustomBoolField = true')).toEqual(['a']);
    expect(ids('CustomBoolField = false')).toEqual(['b']);
    expect(ids(`CustomDatetimeField > '2026-11-02T09:00:00Z'`)).toEqual(['a']);
    expect(ids(`CustomDatetimeField < '2026-11-02T09:00:00+08:00'`)).toEqual([]);
  });

  it('system attributes: status (case-insensitive), type, queue, times, ids', () => {
    expect(ids(`ExecutionStatus = 'running'`)).toEqual(['d', 'a']);
    expect(ids(`ExecutionStatus IN ('Completed', 'Failed')`)).toEqual(['c', 'b']);
    expect(ids(`WorkflowType = 'claim'`)).toEqual(['c']);
    expect(ids(`TaskQueue = 'other'`)).toEqual(['d']);
    expect(ids(`StartTime >= '${new Date(T0 + 3000).toISOString()}'`)).toEqual(['d', 'c']);
    expect(ids(`CloseTime IS NULL`)).toEqual(['d', 'a']);
    expect(ids(`CloseTime IS NOT NULL`)).toEqual(['c', 'b']);
    expect(ids(`WorkflowId IN ('a', 'b', 'zz')`)).toEqual(['a', 'b']);
    expect(ids(`WorkflowId NOT IN ('a', 'b')`)).toEqual(['d', 'c']);
    expect(ids(`ExecutionDuration > '5s'`)).toEqual(['c']);
  });

  it('BETWEEN, STARTS_WITH, text token match and keyword-list contains', () => {
    expect(ids('CustomIntField BETWEEN 0 AND 9')).toEqual(['a']);
    expect(ids('CustomIntField NOT BETWEEN 0 AND 9')).toEqual(['c', 'b']);
    expect(ids(`WorkflowId STARTS_WITH 'b'`)).toEqual(['b']);
    expect(ids(`CaseType STARTS_WITH 'RET'`)).toEqual(['a', 'c']);
    expect(ids(`CustomTextField = 'damaged'`)).toEqual(['a']);
    expect(ids(`CustomTextField = 'ITEM wrong'`)).toEqual(['b']);
    expect(ids(`Tags = 'late'`)).toEqual(['a', 'b']);
    expect(ids(`Tags IN ('vip', 'nope')`)).toEqual(['a']);
  });

  it('AND binds tighter than OR; parentheses and NOT change that', () => {
    expect(ids(`CaseType = 'COMPLAINT' OR CaseType = 'RETURN' AND CustomIntField < 0`)).toEqual(['c', 'b']);
    expect(ids(`(CaseType = 'COMPLAINT' OR CaseType = 'RETURN') AND CustomIntField < 0`)).toEqual(['c']);
    expect(ids(`NOT (CaseType = 'RETURN')`)).toEqual(['d', 'b']);
  });

  it('back-quoted names and ORDER BY', () => {
    expect(ids('`new-attr` = 7')).toEqual(['c']);
    expect(ids('CustomIntField > -100 ORDER BY CustomIntField')).toEqual(['c', 'a', 'b']);
    expect(ids('CustomIntField > -100 ORDER BY CustomIntField DESC')).toEqual(['b', 'a', 'c']);
    expect(ids('ORDER BY StartTime ASC')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('GROUP BY ExecutionStatus is recognised, other groupings are not', () => {
    expect(parseListQuery(`TaskQueue = 'cases' GROUP BY ExecutionStatus`, registry).groupBy).toBe('ExecutionStatus');
    expectInvalid('GROUP BY WorkflowType', 'GROUP BY is only supported for ExecutionStatus');
  });

  it('rejects bad queries with INVALID_ARGUMENT saying what and where', () => {
    expectInvalid('Nope = 1', 'unknown search attribute Nope');
    expectInvalid(`WorkflowId = `, 'expected a value');
    expectInvalid(`(WorkflowId = 'a'`, "expected ')'");
    expectInvalid(`WorkflowId = 'a`, 'unterminated string');
    expectInvalid(`CustomIntField = 'x'`, 'expects a number');
    expectInvalid(`CustomDatetimeField > 'yesterday'`, 'ISO-8601');
    expectInvalid(`ExecutionStatus = 'Sleeping'`, 'invalid ExecutionStatus');
    expectInvalid(`WorkflowId = 'a' garbage`, 'unexpected');
    expectInvalid(`WorkflowId ~ 'a'`, 'unexpected character');
  });

  it('never throws anything but an RpcError, whatever the input', () => {
    const alphabet = [`'`, '"', '(', ')', '=', '!', '<', '>', ' ', 'AND', 'OR', 'IN', 'NOT', 'BETWEEN', 'WorkflowId', 'CustomIntField', '1', ',', '`', 'ORDER BY', 'GROUP BY', 'IS', 'NULL', 'STARTS_WITH', '-'];
    let seed = 42;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    for (let i = 0; i < 2000; i++) {
      const q = Array.from({ length: rand(12) }, () => alphabet[rand(alphabet.length)]).join(' ');
      try {
        const parsed = parseListQuery(q, registry);
        rows.filter(parsed.matches).sort(parsed.compare);
      } catch (err) {
        expect(err, q).toBeInstanceOf(RpcError);
      }
    }
  });
});

describe('search attribute registry', () => {
  it('validates values against the registered type and stamps the type', () => {
    const r = new SearchAttributeRegistry();
    const stored = r.validate({ CustomIntField: jsonPayload([3]) });
    expect(r.value('CustomIntField', stored.CustomIntField)).toBe(3);
    expect(Buffer.from(r.stamp(stored).CustomIntField!.metadata!.type!, 'base64').toString()).toBe('Int');
    expect(() => r.validate({ CustomIntField: jsonPayload('three') })).toThrow(/CustomIntField/);
    expect(() => r.validate({ CustomDatetimeField: jsonPayload('not a date') })).toThrow(/CustomDatetimeField/);
    expect(() => r.validate({ Unknown: jsonPayload('x') })).toThrow('search attribute Unknown is not defined');
  });

  it('an upsert with null removes the attribute', () => {
    const r = new SearchAttributeRegistry();
    const a = r.merge({}, { CustomKeywordField: jsonPayload('k'), CustomIntField: jsonPayload(1) });
    const b = r.merge(a, { CustomKeywordField: jsonPayload(null) });
    expect(Object.keys(b)).toEqual(['CustomIntField']);
  });

  it('add is ALREADY_EXISTS for a known name, remove NOT_FOUND for an unknown one; survives JSON', () => {
    const r = new SearchAttributeRegistry();
    r.add('CaseStage', 'Keyword');
    expect(() => r.add('CaseStage', 'Int')).toThrowError(expect.objectContaining({ code: 6 }));
    expect(() => r.add('WorkflowId', 'Keyword')).toThrowError(expect.objectContaining({ code: 6 }));
    expect(() => r.remove('Nope')).toThrowError(expect.objectContaining({ code: 5 }));
    const copy = SearchAttributeRegistry.fromJSON(JSON.parse(JSON.stringify(r.toJSON())));
    expect(copy.typeOf('CaseStage')).toBe('Keyword');
    r.remove('CaseStage');
    expect(r.typeOf('CaseStage')).toBeUndefined();
  });
});
