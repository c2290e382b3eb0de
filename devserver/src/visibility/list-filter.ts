/**
 * Temporal's list-filter language (docs.temporal.io/list-filter), parsed into a predicate and a
 * comparator over visibility records. Hand-written tokenizer (sticky regexes, no backtracking) and
 * recursive-descent parser with a depth limit, so no input can throw anything but an RpcError.
 */
import { invalidArgument } from '../errors.js';
import type { Payload } from '../proto.js';
import { parseIsoTime, type IndexedValueType, type SearchAttributeRegistry } from './search-attributes.js';

export type ExecutionStatusName = 'Running' | 'Completed' | 'Failed' | 'Canceled' | 'Terminated' | 'ContinuedAsNew' | 'TimedOut';

export interface VisibilityRecord {
  namespace: string;
  workflowId: string;
  runId: string;
  workflowType: string;
  status: ExecutionStatusName;
  taskQueue: string;
  startTime: number;
  executionTime: number;
  closeTime?: number;
  historyLength: number;
  historySizeBytes?: number;
  parentWorkflowId?: string;
  parentRunId?: string;
  rootWorkflowId?: string;
  rootRunId?: string;
  /** Custom attributes + TemporalChangeVersion etc., as stored by `SearchAttributeRegistry.validate()`. */
  searchAttributes: Record<string, Payload>;
}

export interface ListQuery {
  matches(r: VisibilityRecord): boolean;
  compare(a: VisibilityRecord, b: VisibilityRecord): number;
  groupBy?: 'ExecutionStatus';
  /** The query has an ORDER BY clause (otherwise `compare` is the SQL store's default order). */
  ordered: boolean;
}

const MAX_QUERY_LENGTH = 32_768;
const MAX_DEPTH = 100; // parentheses / NOT nesting; keeps recursion far from the stack limit

function fail(msg: string): never {
  throw invalidArgument(`invalid query: ${msg}`);
}

// ------------------------------------------------------------------ tokens

type Tok =
  | { t: 'id'; v: string; pos: number; quoted: boolean }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

const WS = /\s+/y;
const NUM = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const IDENT = /[A-Za-z_][A-Za-z0-9_]*/y;
const OP = /!=|<>|<=|>=|[=<>(),]/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', b: '\b', Z: '\x1a' };

function sticky(re: RegExp, q: string, i: number): string | undefined {
  re.lastIndex = i;
  return re.exec(q)?.[0];
}

function tokenize(q: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    let m: string | undefined;
    if ((m = sticky(WS, q, i))) {
      i += m.length;
    } else if (c === "'" || c === '"') {
      // Backslash escapes (MySQL style) and a doubled quote both stand for the quote itself.
      const start = i++;
      const parts: string[] = [];
      for (;;) {
        if (i >= q.length) fail(`unterminated string starting at position ${start}`);
        const ch = q[i]!;
        if (ch === '\\' && i + 1 < q.length) {
          const e = q[i + 1]!;
          parts.push(ESCAPES[e] ?? e);
          i += 2;
        } else if (ch === c && q[i + 1] === c) {
          parts.push(c);
          i += 2;
        } else if (ch === c) {
          i++;
          break;
        } else {
          parts.push(ch);
          i++;
        }
      }
      toks.push({ t: 'str', v: parts.join(''), pos: start });
    } else if (c === '`') {
      const end = q.indexOf('`', i + 1);
      if (end < 0) fail(`unterminated back-quoted name at position ${i}`);
      if (end === i + 1) fail(`empty back-quoted name at position ${i}`);
      toks.push({ t: 'id', v: q.slice(i + 1, end), pos: i, quoted: true });
      i = end + 1;
    } else if ((m = sticky(NUM, q, i))) {
      const v = Number(m);
      if (!Number.isFinite(v)) fail(`number out of range at position ${i}`);
      toks.push({ t: 'num', v, pos: i });
      i += m.length;
    } else if ((m = sticky(IDENT, q, i))) {
      toks.push({ t: 'id', v: m, pos: i, quoted: false });
      i += m.length;
    } else if ((m = sticky(OP, q, i))) {
      toks.push({ t: 'op', v: m === '<>' ? '!=' : m, pos: i });
      i += m.length;
    } else {
      fail(`unexpected character ${JSON.stringify(c)} at position ${i}`);
    }
  }
  toks.push({ t: 'end', pos: q.length });
  return toks;
}

const show = (tok: Tok) => (tok.t === 'end' ? 'end of query' : tok.t === 'str' ? JSON.stringify(tok.v) : `'${String(tok.v)}'`);

// ------------------------------------------------------------------ values

type Value = string | number | boolean | string[];
type Literal = string | number | boolean;
/**
 * Two-valued: any comparison with an absent attribute (including `!=` and `NOT IN`) is false, but
 * `NOT (…)` is plain negation, so `NOT (X = 1)` matches records without X (as Elasticsearch does).
 */
type Pred = (r: VisibilityRecord) => boolean;

const STATUSES: ExecutionStatusName[] = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];

/** Record fields that are not stored as payloads. Datetimes are epoch ms; ExecutionDuration is ns. */
function systemValue(name: string, r: VisibilityRecord): Value | null | undefined {
  switch (name) {
    case 'WorkflowId': return r.workflowId;
    case 'RunId': return r.runId;
    case 'WorkflowType': return r.workflowType;
    case 'ExecutionStatus': return r.status;
    case 'TaskQueue': return r.taskQueue;
    case 'StartTime': return r.startTime;
    case 'ExecutionTime': return r.executionTime;
    case 'CloseTime': return r.closeTime ?? null;
    case 'ExecutionDuration': return r.closeTime !== undefined ? (r.closeTime - r.executionTime) * 1e6 : null;
    case 'HistoryLength': return r.historyLength;
    case 'HistorySizeBytes': return r.historySizeBytes ?? null;
    case 'ParentWorkflowId': return r.parentWorkflowId ?? null;
    case 'ParentRunId': return r.parentRunId ?? null;
    case 'RootWorkflowId': return r.rootWorkflowId ?? null;
    case 'RootRunId': return r.rootRunId ?? null;
    default: return undefined;
  }
}

const DURATION_UNITS: Record<string, number> = { ns: 1, us: 1e3, 'µs': 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Go `time.ParseDuration` syntax ('1h30m', '1.5s', '-10m') → nanoseconds. */
export function parseGoDuration(s: string): number | undefined {
  let i = 0;
  let sign = 1;
  if (s[0] === '-' || s[0] === '+') {
    sign = s[0] === '-' ? -1 : 1;
    i++;
  }
  if (s.slice(i) === '0') return 0;
  let total = 0;
  let parts = 0;
  while (i < s.length) {
    DURATION_PART.lastIndex = i;
    const m = DURATION_PART.exec(s);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    i = DURATION_PART.lastIndex;
    parts++;
  }
  return parts > 0 ? sign * total : undefined;
}

function compareValues(a: Value | Literal | null, b: Value | Literal | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1; // NULLs first, as SQL ASC
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

const words = (s: string) => s.toLowerCase().split(/[^\p{L}\p{N}_]+/u).filter(Boolean);

/** Keyword: exact; Text: every word of the literal is a word of the value; KeywordList: contains. */
function equals(type: IndexedValueType, v: Value, lit: Literal): boolean {
  if (Array.isArray(v)) return v.includes(String(lit));
  if (type === 'Text') {
    const have = new Set(words(String(v)));
    const want = words(String(lit));
    return want.length > 0 && want.every((w) => have.has(w));
  }
  return v === lit;
}

// ------------------------------------------------------------------ parser

class Parser {
  private i = 0;
  private depth = 0;

  constructor(
    private readonly toks: Tok[],
    private readonly registry: SearchAttributeRegistry,
  ) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private next(): Tok {
    const tok = this.toks[this.i]!;
    if (tok.t !== 'end') this.i++;
    return tok;
  }
  /** An unquoted keyword (case-insensitive); back-quoted names are never keywords. */
  private isWord(w: string, tok = this.peek()): boolean {
    return tok.t === 'id' && !tok.quoted && tok.v.toUpperCase() === w;
  }
  private isOp(v: string, tok = this.peek()): boolean {
    return tok.t === 'op' && tok.v === v;
  }
  private expectOp(v: string): void {
    const tok = this.next();
    if (!this.isOp(v, tok)) fail(`expected '${v}' at position ${tok.pos}, found ${show(tok)}`);
  }
  private expectWord(w: string): void {
    const tok = this.next();
    if (!this.isWord(w, tok)) fail(`expected ${w} at position ${tok.pos}, found ${show(tok)}`);
  }
  private attribute(): { name: string; type: IndexedValueType; pos: number } {
    const tok = this.next();
    if (tok.t !== 'id') fail(`expected a search attribute name at position ${tok.pos}, found ${show(tok)}`);
    const type = this.registry.typeOf(tok.v);
    if (!type) fail(`unknown search attribute ${tok.v} at position ${tok.pos}`);
    return { name: tok.v, type, pos: tok.pos };
  }

  parse(): ListQuery {
    const clauseStart = this.isWord('ORDER') || this.isWord('GROUP') || this.peek().t === 'end';
    const where: Pred = clauseStart ? () => true : this.or();
    let groupBy: 'ExecutionStatus' | undefined;
    const order: Array<{ name: string; desc: boolean }> = [];
    if (this.isWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      const tok = this.next();
      if (tok.t !== 'id' || tok.v !== 'ExecutionStatus' || this.isOp(',')) fail('GROUP BY is only supported for ExecutionStatus');
      groupBy = 'ExecutionStatus';
    }
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      for (;;) {
        const { name, type, pos } = this.attribute();
        if (type === 'Text' || type === 'KeywordList') fail(`cannot ORDER BY ${name} (type ${type}) at position ${pos}`);
        const desc = this.isWord('DESC');
        if (desc || this.isWord('ASC')) this.next();
        order.push({ name, desc });
        if (!this.isOp(',')) break;
        this.next();
      }
    }
    const end = this.peek();
    if (end.t !== 'end') fail(`unexpected ${show(end)} at position ${end.pos}`);
    return { matches: where, compare: this.comparator(order), groupBy, ordered: order.length > 0 };
  }

  private comparator(order: Array<{ name: string; desc: boolean }>) {
    return (a: VisibilityRecord, b: VisibilityRecord): number => {
      for (const o of order) {
        const c = compareValues(this.valueOf(o.name, a), this.valueOf(o.name, b));
        if (c !== 0) return o.desc ? -c : c;
      }
      if (!order.length) {
        // The real server's SQL visibility store (query_converter_legacy_{mysql,postgresql,sqlite}.go):
        // ORDER BY coalesce(close_time, '9999-12-31 23:59:59') DESC, start_time DESC, run_id —
        // running first, then newest close, then newest start, then run id ascending.
        const ac = a.closeTime ?? Infinity;
        const bc = b.closeTime ?? Infinity;
        if (ac !== bc) return bc > ac ? 1 : -1;
        if (a.startTime !== b.startTime) return b.startTime - a.startTime;
      }
      return compareValues(a.runId, b.runId); // stable pages
    };
  }

  private or(): Pred {
    const preds = [this.and()];
    while (this.isWord('OR')) {
      this.next();
      preds.push(this.and());
    }
    return preds.length === 1 ? preds[0]! : (r) => preds.some((p) => p(r));
  }

  private and(): Pred {
    const preds = [this.unary()];
    while (this.isWord('AND')) {
      this.next();
      preds.push(this.unary());
    }
    return preds.length === 1 ? preds[0]! : (r) => preds.every((p) => p(r));
  }

  private unary(): Pred {
    if (++this.depth > MAX_DEPTH) fail(`query is nested more than ${MAX_DEPTH} levels deep at position ${this.peek().pos}`);
    try {
      if (this.isWord('NOT')) {
        this.next();
        const inner = this.unary();
        return (r) => !inner(r);
      }
      if (this.isOp('(')) {
        this.next();
        const inner = this.or();
        this.expectOp(')');
        return inner;
      }
      return this.comparison();
    } finally {
      this.depth--;
    }
  }

  /** A record's value for `name`, in the form literals are converted to; null when absent. */
  private valueOf(name: string, r: VisibilityRecord): Value | null {
    const sys = systemValue(name, r);
    if (sys !== undefined) return sys;
    const v = this.registry.value(name, r.searchAttributes[name]);
    if (v === null || v === undefined || (Array.isArray(v) && v.length === 0)) return null;
    if (this.registry.typeOf(name) === 'Datetime') return typeof v === 'string' ? (parseIsoTime(v) ?? null) : null;
    if (Array.isArray(v)) return v.map(String);
    return typeof v === 'object' ? null : (v as Value);
  }

  /** The next token as a literal for attribute `name`, converted to what record values are compared with. */
  private literal(name: string, type: IndexedValueType): Literal {
    const tok = this.next();
    if (tok.t === 'end' || tok.t === 'op') fail(`expected a value at position ${tok.pos}, found ${show(tok)}`);
    const at = `at position ${tok.pos}`;
    if (tok.t === 'id' && !this.isWord('TRUE', tok) && !this.isWord('FALSE', tok)) {
      fail(`expected a value for ${name} ${at}, found ${show(tok)} (quote strings)`);
    }
    const v: Literal = tok.t === 'id' ? tok.v.toLowerCase() === 'true' : tok.v;
    if (name === 'ExecutionStatus') {
      const s = typeof v === 'number' ? STATUSES[v - 1] : STATUSES.find((x) => x.toLowerCase() === String(v).toLowerCase());
      if (!s) fail(`invalid ExecutionStatus value ${JSON.stringify(v)} ${at} (expected one of ${STATUSES.join(', ')})`);
      return s;
    }
    if (name === 'ExecutionDuration') {
      const ns = typeof v === 'number' ? v : typeof v === 'string' ? parseGoDuration(v) : undefined;
      if (ns === undefined) fail(`invalid ExecutionDuration ${JSON.stringify(v)} ${at} (expected nanoseconds or a duration like '10m')`);
      return ns;
    }
    switch (type) {
      case 'Int':
      case 'Double':
        if (typeof v !== 'number') fail(`${name} expects a number ${at}, found ${show(tok)}`);
        return v;
      case 'Bool':
        if (typeof v === 'boolean') return v;
        if (v === 'true' || v === 'false') return v === 'true';
        return fail(`${name} expects true or false ${at}, found ${show(tok)}`);
      case 'Datetime': {
        // Numbers are epoch nanoseconds, as Temporal accepts them.
        const ms = typeof v === 'number' ? v / 1e6 : typeof v === 'string' ? parseIsoTime(v) : undefined;
        if (ms === undefined) fail(`${name} expects an ISO-8601 time like '2024-01-31T12:00:00Z' ${at}, found ${show(tok)}`);
        return ms;
      }
      default:
        if (typeof v !== 'string') fail(`${name} expects a quoted string ${at}, found ${show(tok)}`);
        return v;
    }
  }

  private literalList(name: string, type: IndexedValueType): Literal[] {
    this.expectOp('(');
    const lits = [this.literal(name, type)];
    while (this.isOp(',')) {
      this.next();
      lits.push(this.literal(name, type));
    }
    this.expectOp(')');
    return lits;
  }

  private comparison(): Pred {
    const { name, type } = this.attribute();
    const get = (r: VisibilityRecord) => this.valueOf(name, r);
    const known = (test: (v: Value) => boolean): Pred => (r) => {
      const v = get(r);
      return v !== null && test(v);
    };
    const onlyFor = (op: string, ok: boolean) => {
      if (!ok) fail(`operator ${op} is not supported for ${name} (type ${type}) at position ${this.peek().pos}`);
    };
    const ordered = type !== 'Text' && type !== 'KeywordList' && type !== 'Bool';

    if (this.isWord('IS')) {
      this.next();
      const negate = this.isWord('NOT') ? (this.next(), true) : false;
      this.expectWord('NULL');
      return (r) => (get(r) === null) !== negate;
    }
    const negate = this.isWord('NOT') ? (this.next(), true) : false;
    const opTok = this.next();
    const word = opTok.t === 'id' && !opTok.quoted ? opTok.v.toUpperCase() : '';
    if (negate && !['IN', 'BETWEEN', 'STARTS_WITH'].includes(word)) {
      fail(`expected IN, BETWEEN or STARTS_WITH after NOT at position ${opTok.pos}, found ${show(opTok)}`);
    }
    let test: (v: Value) => boolean;
    if (word === 'IN') {
      const lits = this.literalList(name, type);
      test = (v) => lits.some((l) => equals(type, v, l));
    } else if (word === 'BETWEEN') {
      onlyFor('BETWEEN', ordered);
      const lo = this.literal(name, type);
      this.expectWord('AND');
      const hi = this.literal(name, type);
      test = (v) => compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
    } else if (word === 'STARTS_WITH') {
      onlyFor('STARTS_WITH', type === 'Keyword' || type === 'KeywordList');
      const tok = this.peek();
      if (tok.t !== 'str') fail(`STARTS_WITH expects a quoted prefix at position ${tok.pos}, found ${show(tok)}`);
      const prefix = (this.next() as { v: string }).v;
      test = (v) => (Array.isArray(v) ? v.some((x) => x.startsWith(prefix)) : String(v).startsWith(prefix));
    } else if (opTok.t === 'op' && ['=', '!=', '<', '<=', '>', '>='].includes(opTok.v)) {
      const op = opTok.v;
      if (op !== '=' && op !== '!=') onlyFor(op, ordered);
      const lit = this.literal(name, type);
      const cmp = (v: Value) => compareValues(v, lit);
      test = {
        '=': (v: Value) => equals(type, v, lit),
        '!=': (v: Value) => !equals(type, v, lit),
        '<': (v: Value) => cmp(v) < 0,
        '<=': (v: Value) => cmp(v) <= 0,
        '>': (v: Value) => cmp(v) > 0,
        '>=': (v: Value) => cmp(v) >= 0,
      }[op]!;
    } else {
      fail(`expected an operator after ${name} at position ${opTok.pos}, found ${show(opTok)}`);
    }
    const t = test;
    return known(negate ? (v) => !t(v) : t);
  }
}

/** Parses a list/count query; every failure is INVALID_ARGUMENT `invalid query: …`. */
export function parseListQuery(query: string, registry: SearchAttributeRegistry): ListQuery {
  if (query === undefined || query === null) query = '';
  if (typeof query !== 'string') fail('query must be a string');
  if (query.length > MAX_QUERY_LENGTH) fail(`query is longer than ${MAX_QUERY_LENGTH} characters`);
  return new Parser(tokenize(query), registry).parse();
}
