/**
 * What every simulator shares: fault injection (fail the next n calls, fail always, be slow),
 * a record of calls, and idempotency by key — the properties the activities rely on and the
 * tests must be able to break on purpose.
 */
import { AdapterError, rejected, type AdapterErrorType } from '../errors.js';

export interface FailOptions {
  /**
   * The call takes effect and then fails (the provider paid, the answer was lost): the case a
   * retry with the same idempotency key must survive without paying twice. TRANSIENT only makes sense here.
   */
  afterEffect?: boolean;
}

const STATUS: Record<AdapterErrorType, number> = { TRANSIENT: 503, REJECTED: 422, INVALID_REQUEST: 400, NOT_FOUND: 404 };

export class FaultPlan {
  private queue: Array<{ type: AdapterErrorType; afterEffect: boolean }> = [];
  private always: AdapterErrorType | undefined;
  delayMs = 0;

  failNext(n: number, type: AdapterErrorType = 'TRANSIENT', options: FailOptions = {}): void {
    for (let i = 0; i < n; i++) this.queue.push({ type, afterEffect: options.afterEffect ?? false });
  }

  /** `undefined` stops failing. */
  failAlways(type: AdapterErrorType | undefined): void {
    this.always = type;
  }

  delay(ms: number): void {
    this.delayMs = ms;
  }

  reset(): void {
    this.queue = [];
    this.always = undefined;
    this.delayMs = 0;
  }

  /** Waits the delay, throws a failure planned for before the effect, or returns one to throw after it. */
  async before(provider: string): Promise<AdapterError | undefined> {
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    const next = this.queue.shift() ?? (this.always ? { type: this.always, afterEffect: false } : undefined);
    if (!next) return undefined;
    const err = new AdapterError(next.type, provider, `simulated ${next.type.toLowerCase()} failure${next.afterEffect ? ' after the call took effect' : ''}`, {
      code: 'SIMULATED',
      status: STATUS[next.type],
    });
    if (next.afterEffect) return err;
    throw err;
  }
}

/**
 * Where a simulator keeps the effects it made, one per idempotency key, so they outlive the process
 * (db/simulator-journal.ts keeps them in Postgres): after a crash a retried call with the same key
 * gets the first answer instead of a second effect, and a crash test can count what the "provider"
 * was asked to do. Without one the simulator remembers in memory only (unit tests).
 */
export interface SimulatorJournal {
  /** The effect recorded under this key, if any. */
  find(provider: string, method: string, key: string): Promise<{ fingerprint: string; result: unknown } | undefined>;
  /** Records an effect once; when one was recorded first (a concurrent call), that one is returned. */
  remember(provider: string, method: string, key: string, effect: { fingerprint: string; result: unknown }): Promise<{ fingerprint: string; result: unknown }>;
  /** Every effect of one method, oldest first: what a simulator started afresh rebuilds its state from. */
  list(provider: string, method: string): Promise<Array<{ key: string; fingerprint: string; result: unknown; at: Date }>>;
}

export interface SimulatorOptions {
  /** Epoch ms for created / decided times: inject a fixed clock for deterministic records. */
  now?: () => number;
  journal?: SimulatorJournal;
}

export abstract class Simulator {
  readonly faults = new FaultPlan();
  /** Every call as received, failed ones included. */
  readonly calls: Array<{ method: string; request: unknown }> = [];
  protected readonly now: () => number;
  private readonly keys = new Map<string, { fingerprint: string; result: unknown }>();
  protected readonly journal: SimulatorJournal | undefined;

  constructor(
    protected readonly provider: string,
    options: SimulatorOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.journal = options.journal;
  }

  failNext(n: number, type: AdapterErrorType = 'TRANSIENT', options?: FailOptions): void {
    this.faults.failNext(n, type, options);
  }
  failAlways(type: AdapterErrorType | undefined): void {
    this.faults.failAlways(type);
  }
  delay(ms: number): void {
    this.faults.delay(ms);
  }

  /** Forgets faults, calls and everything recorded; arrays are emptied in place so held references stay live. */
  reset(): void {
    this.faults.reset();
    this.calls.length = 0;
    this.keys.clear();
  }

  /**
   * One call: recorded, delayed / failed as planned, validated, then done once per idempotency key.
   * `effect` runs only for a new key; a repeated key with the same request returns the first result,
   * with a different request it is REJECTED IDEMPOTENCY_KEY_REUSED.
   */
  protected async call<T>(method: string, request: object, effect: () => T): Promise<T> {
    this.calls.push({ method, request: structuredClone(request) });
    const lateFailure = await this.faults.before(this.provider);
    const key = (request as { idempotencyKey?: unknown }).idempotencyKey;
    let result: T;
    if (typeof key !== 'string') {
      result = effect();
    } else {
      const scoped = `${method}\u0000${key}`;
      const fingerprint = stableJson({ ...request, idempotencyKey: undefined });
      let earlier = this.keys.get(scoped) ?? (await this.journal?.find(this.provider, method, key));
      if (!earlier) {
        const made = { fingerprint, result: structuredClone(effect()) }; // a refusal (thrown) is not remembered: the same key may be tried again
        // The journal has the last word: a call in another process may have recorded this key first.
        earlier = this.journal ? await this.journal.remember(this.provider, method, key, made) : made;
      }
      if (earlier.fingerprint !== fingerprint) {
        throw rejected(this.provider, 'IDEMPOTENCY_KEY_REUSED', `idempotency key ${key} was already used for a different ${method} request`, 409);
      }
      this.keys.set(scoped, earlier);
      result = earlier.result as T;
    }
    if (lateFailure) throw lateFailure;
    return structuredClone(result);
  }
}

/** JSON with object keys sorted, so two equal requests fingerprint the same whatever their key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

export function requireKey(provider: string, key: unknown): void {
  if (typeof key !== 'string' || key === '') throw new AdapterError('INVALID_REQUEST', provider, 'an idempotency key is required', { code: 'INVALID_REQUEST', status: 400 });
}
