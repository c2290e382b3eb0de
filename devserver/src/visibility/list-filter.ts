import { invalidArgument } from '../errors.js';
import type { Payload } from '../proto.js';
import type { IndexedValueType, SearchAttributeRegistry } from './search-attributes.js';

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
  parentWorkflowId?: string;
  parentRunId?: string;
  rootWorkflowId?: string;
  rootRunId?: string;
  searchAttributes: Record<string, Payload>;
}

export interface ListQuery {
  matches(r: VisibilityRecord): boolean;
  compare(a: VisibilityRecord, b: VisibilityRecord): number;
  groupBy?: 'ExecutionStatus';
}

// ------------------------------------------------------------------ tokens

type Tok =
  | { t: 'id'; v: string; pos: number }
  | { t: 'str'; v: string; pos: number }
  | { t: 'num'; v: number; pos: number }
  | { t: 'op'; v: string; pos: number }
  | { t: 'end'; pos: number };

function fail(msg: string): never {
  throw invalidArgument(`invalid query: ${msg}`);
}

function tokenize(q: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const c = q[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      const start = i++;
      let v = '';
      while (i < q.length && q[i] !== c) {
        if (q[i] === '\\' && i + 1 < q.length) i++;
        v += q[i++];
      }
      if (i >= q.length) fail(`unterminated string starting at position ${start}`);
      i++;
      toks.push({ t: 'str', v, pos: start });
    } else if (c === '`') {
      const start = i++;
      const end = q.indexOf('`', i);
      if (end < 0) fail(`unterminated back-quoted name at position ${start}`);
      toks.push({ t: 'id', v: q.slice(i, end), pos: start });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(q[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(q.slice(i))!;
      toks.push({ t: 'num', v: Number(m[0]), pos: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.\-]*/.exec(q.slice(i))!;
      toks.push({ t: 'id', v: m[0], pos: i });
      i += m[0].length;
    } else {
      const two = q.slice(i, i + 2);
      if (['!=', '<=', '>=', '<>'].includes(two)) {
        toks.push({ t: 'op', v: two === '<>' ? '!=' : two, pos: i });
        i += 2;
      } else if ('=<>(),'.includes(c)) {
        toks.push({ t: 'op', v: c, pos: i });
        i++;
      } else {
        fail(`unexpected character ${JSON.stringify(c)} at position ${i}`);
      }
    }
  }
  toks.push({ t: 'end', pos: q.length });
  return toks;
}

// ------------------------------------------------------------------ values of a record

type Value = string | number | boolean | string[] | null;
type Pred = (r: VisibilityRecord) => boolean;

const STATUSES: ExecutionStatusName[] = ['Running', 'Completed', 'Failed', 'Canceled', 'Terminated', 'ContinuedAsNew', 'TimedOut'];

function systemValue(name: string, r: VisibilityRecord): Value | undefined {
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
    case 'ParentWorkflowId': return r.parentWorkflowId ?? null;
    case 'ParentRunId': return r.parentRunId ?? null;
    case 'RootWorkflowId': return r.rootWorkflowId ?? null;
    case 'RootRunId': return r.rootRunId ?? null;
    default: return undefined;
  }
}

function goDurationNs(s: string): number | undefined {
  const re = /([0-9.]+)(ns|us|µs|ms|s|m|h)/gy;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
  let total = 0;
  let m: RegExpExecArray | null;
  let consumed = 0;
  while ((m = re.exec(s))) {
    total += Number(m[1]) * unit[m[2]!]!;
    consumed = re.lastIndex;
  }
  return consumed === s.length && consumed > 0 ? total : undefined;
}

// ------------------------------------------------------------------ parser

class Parser {
  private i = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly registry: SearchAttributeRegistry,
  ) {}

  private peek(): Tok {
    return this.toks[this.i]!;
  }
  private next(): Tok {
    return this.toks[this.i++]!;
  }
  private isWord(w: string, tok = this.peek()): boolean {
    return tok.t === 'id' && tok.v.toUpperCase() === w;
  }
  private expectOp(v: string): void {
    const tok = this.next();
    if (tok.t !== 'op' || tok.v !== v) fail(`expected '${v}' at position ${tok.pos}`);
  }
  private expectWord(w: string): void {
    const tok = this.next();
    if (!this.isWord(w, tok)) fail(`expected ${w} at position ${tok.pos}`);
  }

  parse(): ListQuery {
    let where: Pred = () => true;
    if (this.peek().t !== 'end' && !this.isWord('ORDER') && !this.isWord('GROUP')) where = this.or();
    let groupBy: 'ExecutionStatus' | undefined;
    const order: Array<{ name: string; desc: boolean }> = [];
    if (this.isWord('GROUP')) {
      this.next();
      this.expectWord('BY');
      const tok = this.next();
      if (tok.t !== 'id' || tok.v !== 'ExecutionStatus') fail('GROUP BY is only supported for ExecutionStatus');
      groupBy = 'ExecutionStatus';
    }
    if (this.isWord('ORDER')) {
      this.next();
      this.expectWord('BY');
      for (;;) {
        const tok = this.next();
        if (tok.t !== 'id') fail(`expected an attribute name at position ${tok.pos}`);
        this.typeOf(tok.v);
        let desc = false;
        if (this.isWord('DESC')) { this.next(); desc = true; } else if (this.isWord('ASC')) this.next();
        order.push({ name: tok.v, desc });
        if (this.peek().t === 'op' && (this.peek() as { v: string }).v === ',') { this.next(); continue; }
        break;
      }
    }
    const end = this.peek();
    if (end.t !== 'end') fail(`unexpected ${describe(end)} at position ${end.pos}`);
    return { matches: where, compare: this.comparator(order), groupBy };
  }

  private comparator(order: Array<{ name: string; desc: boolean }>) {
    const value = (name: string, r: VisibilityRecord) => this.valueOf(name, r);
    return (a: VisibilityRecord, b: VisibilityRecord): number => {
      for (const o of order) {
        const c = compareValues(value(o.name, a), value(o.name, b));
        if (c !== 0) return o.desc ? -c : c;
      }
      if (order.length) return a.runId.localeCompare(b.runId);
      // Temporal's default: running first (CloseTime DESC NULLS FIRST), then StartTime DESC.
      const ac = a.closeTime ?? Infinity;
      const bc = b.closeTime ?? Infinity;
      if (ac !== bc) return bc > ac ? 1 : -1;
      if (a.startTime !== b.startTime) return b.startTime - a.startTime;
      return a.runId.localeCompare(b.runId);
    };
  }

  private or(): Pred {
    let left = this.and();
    while (this.isWord('OR')) {
      this.next();
      const l = left;
      const r = this.and();
      left = (rec) => l(rec) || r(rec);
    }
    return left;
  }

  private and(): Pred {
    let left = this.unary();
    while (this.isWord('AND')) {
      this.next();
      const l = left;
      const r = this.unary();
      left = (rec) => l(rec) && r(rec);
    }
    return left;
  }

  private unary(): Pred {
    if (this.isWord('NOT')) {
      this.next();
      const inner = this.unary();
      return (r) => !inner(r);
    }
    const tok = this.peek();
    if (tok.t === 'op' && tok.v === '(') {
      this.next();
      const inner = this.or();
      this.expectOp(')');
      return inner;
    }
    return this.comparison();
  }

  private typeOf(name: string): IndexedValueType {
    const type = this.registry.typeOf(name);
    if (!type) fail(`unknown search attribute ${name}`);
    return type;
  }

  private valueOf(name: string, r: VisibilityRecord): Value {
    const sys = systemValue(name, r);
    if (sys !== undefined) return sys;
    const payload = r.searchAttributes[name];
    if (!payload) return null;
    const v = this.registry.value(name, payload);
    if (v === null || v === undefined) return null;
    if (this.registry.typeOf(name) === 'Datetime' && typeof v === 'string') return Date.parse(v);
    return v as Value;
  }

  /** A literal converted to what record values of `type` are compared with. */
  private literal(name: string, type: IndexedValueType): string | number | boolean {
    const tok = this.next();
    if (tok.t === 'end' || tok.t === 'op') fail(`expected a value at position ${tok.pos}`);
    const v = tok.v;
    if (name === 'ExecutionStatus') {
      const s = STATUSES.find((x) => x.toLowerCase() === String(v).toLowerCase());
      if (!s) fail(`invalid ExecutionStatus value ${JSON.stringify(v)} at position ${tok.pos}`);
      return s;
    }
    if (name === 'ExecutionDuration') {
      if (typeof v === 'number') return v;
      const ns = goDurationNs(String(v));
      if (ns === undefined) fail(`invalid ExecutionDuration ${JSON.stringify(v)} at position ${tok.pos}`);
      return ns;
    }
    switch (type) {
      case 'Int':
      case 'Double':
        if (typeof v !== 'number') fail(`${name} expects a number at position ${tok.pos}`);
        return v;
      case 'Bool': {
        const b = String(v).toLowerCase();
        if (b !== 'true' && b !== 'false') fail(`${name} expects true or false at position ${tok.pos}`);
        return b === 'true';
      }
      case 'Datetime': {
        const ms = typeof v === 'number' ? v / 1e6 : Date.parse(String(v));
        if (Number.isNaN(ms)) fail(`${name} expects an ISO-8601 time at position ${tok.pos}`);
        return ms;
      }
      default:
        if (tok.t !== 'str') fail(`${name} expects a quoted string at position ${tok.pos}`);
        return String(v);
    }
  }

  private comparison(): Pred {
    const tok = this.next();
    if (tok.t !== 'id') fail(`expected an attribute name at position ${tok.pos}`);
    const name = tok.v;
    const type = this.typeOf(name);
    const get = (r: VisibilityRecord) => this.valueOf(name, r);
    const eq = (v: Value, lit: string | number | boolean) => equals(type, v, lit);

    if (this.isWord('IS')) {
      this.next();
      const negate = this.isWord('NOT') ? (this.next(), true) : false;
      this.expectWord('NULL');
      return (r) => (get(r) === null) !== negate;
    }
    let negate = false;
    if (this.isWord('NOT')) {
      this.next();
      negate = true;
      if (!this.isWord('IN') && !this.isWord('BETWEEN') && !this.isWord('STARTS_WITH')) fail(`expected IN, BETWEEN or STARTS_WITH after NOT at position ${this.peek().pos}`);
    }
    const wrap = (p: Pred): Pred => (negate ? (r) => get(r) !== null && !p(r) : p);
    if (this.isWord('IN')) {
      this.next();
      this.expectOp('(');
      const lits = [this.literal(name, type)];
      while (this.peek().t === 'op' && (this.peek() as { v: string }).v === ',') {
        this.next();
        lits.push(this.literal(name, type));
      }
      this.expectOp(')');
      return wrap((r) => {
        const v = get(r);
        return v !== null && lits.some((l) => eq(v, l));
      });
    }
    if (this.isWord('BETWEEN')) {
      this.next();
      const lo = this.literal(name, type);
      this.expectWord('AND');
      const hi = this.literal(name, type);
      return wrap((r) => {
        const v = get(r);
        return v !== null && compareValues(v, lo) >= 0 && compareValues(v, hi) <= 0;
      });
    }
    if (this.isWord('STARTS_WITH')) {
      this.next();
      if (type !== 'Keyword' && type !== 'KeywordList') fail(`STARTS_WITH needs a Keyword attribute, ${name} is ${type}`);
      const prefix = String(this.literal(name, type));
      return wrap((r) => {
        const v = get(r);
        if (v === null) return false;
        return Array.isArray(v) ? v.some((x) => x.startsWith(prefix)) : String(v).startsWith(prefix);
      });
    }
    const op = this.next();
    if (op.t !== 'op' || !['=', '!=', '<', '<=', '>', '>='].includes(op.v)) fail(`expected a comparison operator at position ${op.pos}`);
    const lit = this.literal(name, type);
    switch (op.v) {
      case '=':
        return (r) => { const v = get(r); return v !== null && eq(v, lit); };
      case '!=':
        return (r) => { const v = get(r); return v !== null && !eq(v, lit); };
      default: {
        const test = { '<': (c: number) => c < 0, '<=': (c: number) => c <= 0, '>': (c: number) => c > 0, '>=': (c: number) => c >= 0 }[op.v as '<']!;
        return (r) => { const v = get(r); return v !== null && !Array.isArray(v) && test(compareValues(v, lit)); };
      }
    }
  }
}

function describe(tok: Tok): string {
  return tok.t === 'end' ? 'end of query' : `'${String(tok.v)}'`;
}

/** Keyword: exact; Text: every word of the literal appears as a word of the value; KeywordList: contains. */
function equals(type: IndexedValueType, v: Value, lit: string | number | boolean): boolean {
  if (Array.isArray(v)) return v.includes(String(lit));
  if (type === 'Text') {
    const words = new Set(String(v).toLowerCase().split(/\W+/).filter(Boolean));
    const wanted = String(lit).toLowerCase().split(/\W+/).filter(Boolean);
    return wanted.length > 0 && wanted.every((w) => words.has(w));
  }
  return v === lit;
}

function compareValues(a: Value, b: Value | string | number | boolean): number {
  if (a === null && b === null) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0;
}

export function parseListQuery(query: string, registry: SearchAttributeRegistry): ListQuery {
  if (typeof query !== 'string') fail('query must be a string');
  if (query.length > 10_000) fail('query is longer than 10000 characters');
  return new Parser(tokenize(query), registry).parse();
}
