import { decodeMessage, lookupType, varint, type Obj } from '../proto.js';

const HISTORY_EVENT = lookupType('temporal.api.history.v1.HistoryEvent');
/** Tag of `History.events` (field 1, length-delimited): each event is kept framed as an element of a `History` message. */
const EVENTS_TAG = 0x0a;
const EMPTY = Buffer.alloc(0);

/**
 * A run's history, kept as the protobuf bytes of its events rather than as objects.
 *
 * An open case waits weeks for its customer, and all that time the server holds its history.
 * As objects, the events of a return at its first wait took about three quarters of the ~20 KiB
 * the server held per case (an object per event, its attributes, every timestamp and payload);
 * as protobuf bytes they take about a quarter of that, outside the JS heap. And the bytes are what
 * workers and history pages ask for, so serving a workflow task is a slice, never an encoding.
 *
 * Events are encoded once, when appended, and decoded only when the engine reads one (the start
 * event of a retry or continue-as-new, a close event, a reset, the UI's reverse history); reads
 * return a fresh object each time, so changing one changes nothing: `update` re-encodes.
 *
 * A history restored from a log written before the events were kept as bytes stays as the objects
 * it was read as until something appends to it (closed runs never do), so reading an old log costs
 * no encoding.
 */
export class EventHistory {
  /** Framed events; bytes past `used` are room to grow (never handed out). */
  private buf: Buffer = EMPTY;
  private used = 0;
  /** Where each event's frame starts in `buf`. */
  private starts: number[] = [];
  /** The events as objects: a history read from an older log, until something appends to it. */
  private objects: Obj[] | undefined;

  /** A history from events as objects (an older log, a copy for a reset). */
  static of(events: Obj[]): EventHistory {
    const h = new EventHistory();
    h.objects = events;
    return h;
  }

  /** A history from framed bytes (`History.events` elements, as `framed` gives and the log keeps). */
  static fromFramed(bytes: Buffer): EventHistory {
    const h = new EventHistory();
    h.appendFramed(bytes);
    return h;
  }

  get length(): number {
    return this.objects ? this.objects.length : this.starts.length;
  }

  /** Bytes of the encoded events (what the real server reports as the history size). */
  get byteLength(): number {
    this.toBytes();
    return this.used;
  }

  /** Event `i` (0-based), decoded; a new object on every call. */
  at(i: number): Obj | undefined {
    if (i < 0 || i >= this.length) return undefined;
    if (this.objects) return this.objects[i];
    const [from, to] = this.bodyOf(i);
    return decodeMessage(HISTORY_EVENT, this.buf.subarray(from, to));
  }

  first(): Obj | undefined {
    return this.at(0);
  }

  last(): Obj | undefined {
    return this.at(this.length - 1);
  }

  /** Events `from` … `to` − 1, decoded. */
  slice(from = 0, to = this.length): Obj[] {
    to = Math.min(to, this.length);
    const out: Obj[] = [];
    for (let i = Math.max(0, from); i < to; i++) out.push(this.at(i)!);
    return out;
  }

  /** Appends an event; returns the bytes it takes. */
  push(event: Obj): number {
    this.toBytes();
    const body = HISTORY_EVENT.encode(HISTORY_EVENT.fromObject(event)).finish();
    const len = varint(body.byteLength);
    const size = 1 + len.length + body.byteLength;
    this.reserve(size);
    const at = this.used;
    this.buf[at] = EVENTS_TAG;
    this.buf.set(len, at + 1);
    this.buf.set(body, at + 1 + len.length);
    this.starts.push(at);
    this.used += size;
    return size;
  }

  /** Appends events given as framed bytes. */
  appendFramed(bytes: Buffer): void {
    const starts = frameStarts(bytes);
    this.toBytes();
    this.reserve(bytes.length);
    const base = this.used;
    bytes.copy(this.buf, base);
    for (const s of starts) this.starts.push(base + s);
    this.used += bytes.length;
  }

  /**
   * Appends framed events given in base64 (the log's form), decoded straight into the history's
   * own buffer: a restart restores tens of thousands of histories, and a decoded copy of each, made
   * only to be copied again, cost a fifth of reading the live runs (and the garbage collector's time).
   */
  appendBase64(base64: string): void {
    this.toBytes();
    this.reserve(Math.ceil((base64.length * 3) / 4));
    const base = this.used;
    const written = this.buf.write(base64, base, 'base64');
    // The bytes past `used` are not the history's until checked: bad input changes nothing.
    const starts = frameStarts(this.buf.subarray(base, base + written));
    for (const s of starts) this.starts.push(base + s);
    this.used += written;
  }

  /**
   * Changes event `i` (metadata added just after it was written: user metadata, links). The
   * bytes are rebuilt in a new buffer, so slices already handed to responses stay as they were.
   */
  update(i: number, change: (event: Obj) => void): void {
    const event = this.at(i);
    if (!event) return;
    change(event);
    if (this.objects) return;
    const rest = this.slice(i + 1);
    const keep = this.starts[i]!;
    const head = this.buf.subarray(0, keep);
    this.buf = EMPTY;
    this.used = 0;
    this.starts = [];
    this.appendFramed(Buffer.from(head));
    this.push(event);
    for (const e of rest) this.push(e);
  }

  /** The first `count` events (a copy). */
  truncated(count: number): EventHistory {
    if (this.objects) return EventHistory.of(this.objects.slice(0, count));
    return EventHistory.fromFramed(Buffer.from(this.framed(0, count)));
  }

  /**
   * Events `from` … `to` − 1 as the bytes of a `History` message (a view: valid as long as the
   * caller keeps it, whatever is appended later).
   */
  framed(from = 0, to = this.length): Buffer {
    this.toBytes();
    to = Math.min(to, this.length);
    if (from >= to) return EMPTY;
    return this.buf.subarray(this.starts[from]!, to < this.starts.length ? this.starts[to]! : this.used);
  }

  /**
   * Events `from` on as the JSON the log keeps: the framed bytes in base64 (restored without
   * decoding or encoding anything), or the objects of a history still held as objects.
   */
  recordJson(from = 0): string {
    if (this.objects) return JSON.stringify(this.objects.slice(from));
    return JSON.stringify(this.framed(from).toString('base64'));
  }

  /** A history read back from the log: `prefix` (the events already read) and what a record adds (`recordJson`'s form). */
  static restore(prefix: EventHistory | undefined, events: Obj[] | string): EventHistory {
    if (typeof events === 'string') {
      const h = prefix ?? new EventHistory();
      h.appendBase64(events);
      return h;
    }
    if (!prefix || prefix.objects) return EventHistory.of([...(prefix?.objects ?? []), ...events]);
    for (const e of events) prefix.push(e);
    return prefix;
  }

  /** As JSON: the events as objects (the form older logs and tools read). */
  toJSON(): Obj[] {
    return this.objects ?? this.slice();
  }

  private bodyOf(i: number): [number, number] {
    const start = this.starts[i]!;
    const end = i + 1 < this.starts.length ? this.starts[i + 1]! : this.used;
    const [, n] = readVarint(this.buf, start + 1);
    return [start + 1 + n, end];
  }

  private reserve(extra: number): void {
    const need = this.used + extra;
    if (need <= this.buf.length) return;
    // A sixteenth more than needed: a run that waits weeks holds little unused room, and a growing
    // history is still copied only a bounded number of times per byte (the growth is geometric).
    // Not from Node's shared pool (where small buffers go): a kept slice would hold a whole slab.
    const next = Buffer.allocUnsafeSlow(need + (need >>> 4) + 64);
    this.buf.copy(next, 0, 0, this.used);
    this.buf = next;
  }

  private toBytes(): void {
    const objects = this.objects;
    if (!objects) return;
    this.objects = undefined;
    for (const e of objects) this.push(e);
  }
}

function readVarint(buf: Buffer, at: number): [value: number, bytes: number] {
  let value = 0;
  let scale = 1;
  for (let n = 0; ; n++) {
    const b = buf[at + n];
    if (b === undefined) throw new Error('history bytes: a length is cut short');
    value += (b & 0x7f) * scale;
    if (b < 0x80) return [value, n + 1];
    scale *= 128;
  }
}

/** Where each framed event starts in `bytes`, checked whole before anything is kept. */
function frameStarts(bytes: Buffer): number[] {
  const starts: number[] = [];
  for (let at = 0; at < bytes.length; ) {
    if (bytes[at] !== EVENTS_TAG) throw new Error(`history bytes: expected an event at byte ${at}`);
    const [len, n] = readVarint(bytes, at + 1);
    starts.push(at);
    at += 1 + n + len;
    if (at > bytes.length) throw new Error('history bytes: the last event is cut short');
  }
  return starts;
}
