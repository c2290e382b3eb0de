/**
 * The courier gateway over HTTP (one aggregator API in front of the carriers):
 * GET /v1/carriers/:carrier/parcels/:trackingNumber, POST /v1/pickups, POST /v1/claims,
 * GET /v1/claims/:id, POST /v1/claims/:id/withdrawal, POST /v1/intercepts. Mutating calls carry the
 * Idempotency-Key header.
 */
import { assertMoney } from '../money.js';
import { invalid } from '../errors.js';
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
import { createHttpClient, type HttpAdapterConfig } from './client.js';
import { reader } from './response.js';

const PROVIDER = 'courier';
const TRACKING: readonly TrackingStatus[] = ['NO_TRACE', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'RETURNING'];
const CLAIM: readonly ClaimStatus[] = ['FILED', 'PAID', 'PARTLY_PAID', 'REFUSED', 'WITHDRAWN'];

export class HttpCourierGateway implements CourierGateway {
  private readonly http;
  constructor(config: HttpAdapterConfig) {
    this.http = createHttpClient(PROVIDER, config);
  }

  async track(p: ParcelRef): Promise<Trace> {
    const path = `/v1/carriers/${encodeURIComponent(p.carrier)}/parcels/${encodeURIComponent(p.trackingNumber)}`;
    const res = reader(PROVIDER, 'trace', await this.http.request({ method: 'GET', path }));
    const raw = Array.isArray(res.obj.events) ? res.obj.events : [];
    const events = raw.map((e): TrackingEvent => {
      const ev = reader(PROVIDER, 'tracking event', e);
      const location = typeof ev.obj.location === 'string' ? ev.obj.location : undefined;
      return { at: ev.int('at'), code: ev.string('code'), description: String(ev.obj.description ?? ''), ...(location ? { location } : {}) };
    });
    const deliveredAt = res.optionalInt('deliveredAt');
    return { status: res.oneOf('status', TRACKING), events, ...(deliveredAt !== undefined ? { deliveredAt } : {}) };
  }

  async schedulePickup(p: PickupRequest): Promise<PickupResult> {
    if (!p.idempotencyKey) throw invalid(PROVIDER, 'a pickup needs an idempotency key');
    if (!(p.window.from < p.window.to)) throw invalid(PROVIDER, 'pickup window must end after it starts');
    const { idempotencyKey, ...body } = p;
    const res = reader(PROVIDER, 'pickup', await this.http.request({ method: 'POST', path: '/v1/pickups', body, idempotencyKey }));
    return { pickupId: res.string('pickupId'), status: res.oneOf('status', ['SCHEDULED'] as const), window: p.window };
  }

  async fileClaim(c: ClaimRequest): Promise<ClaimResult> {
    if (!c.idempotencyKey) throw invalid(PROVIDER, 'a claim needs an idempotency key');
    assertMoney(PROVIDER, c.amountMinor, c.currency);
    const { idempotencyKey, ...body } = c;
    const res = reader(PROVIDER, 'claim', await this.http.request({ method: 'POST', path: '/v1/claims', body, idempotencyKey }));
    return { claimId: res.string('claimId'), status: res.oneOf('status', CLAIM) };
  }

  async getClaim(claimId: string): Promise<Claim> {
    return this.claimOf(await this.http.request({ method: 'GET', path: `/v1/claims/${encodeURIComponent(claimId)}` }));
  }

  async withdrawClaim(w: ClaimWithdrawal): Promise<Claim> {
    if (!w.idempotencyKey) throw invalid(PROVIDER, 'a withdrawal needs an idempotency key');
    return this.claimOf(await this.http.request({ method: 'POST', path: `/v1/claims/${encodeURIComponent(w.claimId)}/withdrawal`, body: { reason: w.reason }, idempotencyKey: w.idempotencyKey }));
  }

  private claimOf(body: unknown): Claim {
    const res = reader(PROVIDER, 'claim', body);
    const paidMinor = res.optionalInt('paidMinor');
    const decidedAt = res.optionalInt('decidedAt');
    return {
      claimId: res.string('claimId'),
      status: res.oneOf('status', CLAIM),
      carrier: res.string('carrier'),
      trackingNumber: res.string('trackingNumber'),
      claimedMinor: res.int('claimedMinor'),
      currency: res.string('currency'),
      ...(paidMinor !== undefined ? { paidMinor } : {}),
      ...(decidedAt !== undefined ? { decidedAt } : {}),
    };
  }

  async intercept(i: InterceptRequest): Promise<InterceptResult> {
    if (!i.idempotencyKey) throw invalid(PROVIDER, 'an interception needs an idempotency key');
    const { idempotencyKey, ...body } = i;
    const res = reader(PROVIDER, 'intercept', await this.http.request({ method: 'POST', path: '/v1/intercepts', body, idempotencyKey }));
    return { interceptId: res.string('interceptId'), status: res.oneOf('status', ['REQUESTED'] as const) };
  }
}
