/**
 * In-process courier: traces fed by the test (`addTrackingEvent`, `markDelivered`), pickups,
 * interceptions, and claims that stay FILED until the test decides them (`resolveClaim`).
 */
import { invalid, notFound, rejected } from '../errors.js';
import { assertMoney } from '../money.js';
import type {
  Claim,
  ClaimRequest,
  ClaimResult,
  ClaimStatus,
  ClaimWithdrawal,
  CourierGateway,
  InterceptRequest,
  InterceptResult,
  ParcelRef,
  PickupRequest,
  PickupResult,
  Trace,
  TrackingEvent,
  TrackingStatus,
} from '../courier.js';
import { requireKey, Simulator, type SimulatorOptions } from './base.js';

export interface ClaimRecord extends ClaimRequest {
  claimId: string;
  status: ClaimStatus;
  paidMinor?: number;
  decidedAt?: number;
}

const parcelKey = (p: ParcelRef) => `${p.carrier}\u0000${p.trackingNumber}`;

export class CourierSimulator extends Simulator implements CourierGateway {
  readonly claims: ClaimRecord[] = [];
  readonly pickups: Array<PickupRequest & { pickupId: string }> = [];
  readonly intercepts: Array<InterceptRequest & { interceptId: string }> = [];
  private readonly traces = new Map<string, Trace>();

  constructor(options: SimulatorOptions = {}) {
    super('courier-simulator', options);
  }

  /** A scan; the parcel takes `status` (IN_TRANSIT unless said otherwise). */
  addTrackingEvent(parcel: ParcelRef, event: TrackingEvent, status: TrackingStatus = 'IN_TRANSIT'): void {
    const trace = this.traces.get(parcelKey(parcel)) ?? { status: 'NO_TRACE', events: [] };
    trace.events.push({ ...event });
    trace.events.sort((a, b) => a.at - b.at);
    trace.status = status;
    this.traces.set(parcelKey(parcel), trace);
  }

  /** A scan as a carrier records it: a delivery also dates the parcel's delivery (as `markDelivered`). */
  recordScan(parcel: ParcelRef, event: TrackingEvent, status: TrackingStatus): void {
    this.addTrackingEvent(parcel, event, status);
    if (status === 'DELIVERED') this.traces.get(parcelKey(parcel))!.deliveredAt = event.at;
  }

  markDelivered(parcel: ParcelRef, at: number = this.now(), location?: string): void {
    this.recordScan(parcel, { at, code: 'SIGNED', description: 'delivered and signed for', ...(location ? { location } : {}) }, 'DELIVERED');
  }

  /** The parcel's trace as `track` answers it, without being a call of the gateway (no fault, no record). */
  traceOf(p: ParcelRef): Trace {
    return structuredClone(this.traces.get(parcelKey(p)) ?? { status: 'NO_TRACE', events: [] });
  }

  /** The carrier decides a claim: PAID (in full unless `amountMinor` says less), PARTLY_PAID (needs the amount), REFUSED (pays 0). */
  resolveClaim(claimId: string, outcome: Exclude<ClaimStatus, 'FILED' | 'WITHDRAWN'>, amountMinor?: number): void {
    const c = this.claims.find((x) => x.claimId === claimId);
    if (!c) throw new Error(`no claim ${claimId}`);
    if (c.status !== 'FILED') throw new Error(`claim ${claimId} is already ${c.status}`);
    const paid = outcome === 'REFUSED' ? 0 : (amountMinor ?? (outcome === 'PAID' ? c.amountMinor : undefined));
    if (paid === undefined || !Number.isSafeInteger(paid) || paid < 0 || paid > c.amountMinor || (outcome === 'PARTLY_PAID' && (paid === 0 || paid === c.amountMinor))) {
      throw new Error(`${outcome} of claim ${claimId} (claimed ${c.amountMinor}) cannot pay ${String(amountMinor)}`);
    }
    Object.assign(c, { status: outcome, paidMinor: paid, decidedAt: this.now() });
  }

  track(p: ParcelRef): Promise<Trace> {
    return this.call('track', p, () => this.traces.get(parcelKey(p)) ?? { status: 'NO_TRACE', events: [] });
  }

  schedulePickup(p: PickupRequest): Promise<PickupResult> {
    return this.call('schedulePickup', p, () => {
      requireKey(this.provider, p.idempotencyKey);
      if (!(p.window.from < p.window.to)) throw invalid(this.provider, 'pickup window must end after it starts');
      const pickupId = `pu_${this.pickups.length + 1}`;
      this.pickups.push({ ...structuredClone(p), pickupId });
      return { pickupId, status: 'SCHEDULED' as const, window: { ...p.window } };
    });
  }

  fileClaim(c: ClaimRequest): Promise<ClaimResult> {
    return this.call('fileClaim', c, () => {
      requireKey(this.provider, c.idempotencyKey);
      assertMoney(this.provider, c.amountMinor, c.currency);
      const claimId = `cl_${this.claims.length + 1}`;
      this.claims.push({ ...structuredClone(c), claimId, status: 'FILED' });
      return { claimId, status: 'FILED' as const };
    });
  }

  getClaim(claimId: string): Promise<Claim> {
    return this.call('getClaim', { claimId }, () => this.claimAsItIs(claimId));
  }

  withdrawClaim(w: ClaimWithdrawal): Promise<Claim> {
    return this.call('withdrawClaim', w, () => {
      requireKey(this.provider, w.idempotencyKey);
      const c = this.claimAsItIs(w.claimId);
      if (c.status !== 'FILED') return c;
      Object.assign(this.claims.find((x) => x.claimId === w.claimId)!, { status: 'WITHDRAWN', decidedAt: this.now() });
      return this.claimAsItIs(w.claimId);
    });
  }

  private claimAsItIs(claimId: string): Claim {
      const c = this.claims.find((x) => x.claimId === claimId);
      if (!c) throw notFound(this.provider, `claim ${claimId}`);
      return {
        claimId: c.claimId,
        status: c.status,
        carrier: c.carrier,
        trackingNumber: c.trackingNumber,
        claimedMinor: c.amountMinor,
        currency: c.currency,
        ...(c.paidMinor !== undefined ? { paidMinor: c.paidMinor } : {}),
        ...(c.decidedAt !== undefined ? { decidedAt: c.decidedAt } : {}),
      };
  }

  intercept(i: InterceptRequest): Promise<InterceptResult> {
    return this.call('intercept', i, () => {
      requireKey(this.provider, i.idempotencyKey);
      const trace = this.traces.get(parcelKey(i));
      if (trace?.status === 'DELIVERED') throw rejected(this.provider, 'ALREADY_DELIVERED', `parcel ${i.trackingNumber} is already delivered`);
      const interceptId = `ic_${this.intercepts.length + 1}`;
      this.intercepts.push({ ...i, interceptId });
      this.addTrackingEvent(i, { at: this.now(), code: 'INTERCEPT_REQUESTED', description: 'interception requested by the sender' }, 'RETURNING');
      return { interceptId, status: 'REQUESTED' as const };
    });
  }

  override reset(): void {
    super.reset();
    this.claims.length = 0;
    this.pickups.length = 0;
    this.intercepts.length = 0;
    this.traces.clear();
  }
}
