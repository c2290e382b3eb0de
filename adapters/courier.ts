/**
 * The couriers as the case activities see them: traces (查件), pickups for returns, claims
 * (索赔) under the carrier contract, and interception of a parcel still in transit.
 * Times are epoch milliseconds, like every deadline in the workflows.
 */

/** NO_TRACE (无物流信息) is a state of its own: the domain reacts to it (ask the warehouse / courier to scan). */
export type TrackingStatus = 'NO_TRACE' | 'PICKED_UP' | 'IN_TRANSIT' | 'OUT_FOR_DELIVERY' | 'DELIVERED' | 'EXCEPTION' | 'RETURNING';

export interface ParcelRef {
  /** Carrier code, e.g. SF, YTO. */
  carrier: string;
  trackingNumber: string;
}

export interface TrackingEvent {
  at: number;
  /** The carrier's scan code. */
  code: string;
  description: string;
  location?: string;
}

export interface Trace {
  status: TrackingStatus;
  /** Oldest first. */
  events: TrackingEvent[];
  deliveredAt?: number;
}

export interface Address {
  country?: string;
  province: string;
  city: string;
  district?: string;
  street: string;
  postalCode?: string;
}

export interface Contact {
  name: string;
  phone: string;
}

export interface PickupRequest {
  idempotencyKey: string;
  carrier: string;
  address: Address;
  contact: Contact;
  window: { from: number; to: number };
}

export interface PickupResult {
  pickupId: string;
  status: 'SCHEDULED';
  window: { from: number; to: number };
}

export interface ClaimRequest {
  idempotencyKey: string;
  carrier: string;
  trackingNumber: string;
  amountMinor: number;
  currency: string;
  reason: string;
  evidenceUrls: string[];
}

/** FILED until the carrier decides; then paid in full, in part, or refused; WITHDRAWN by us before that (the parcel turned up). */
export type ClaimStatus = 'FILED' | 'PAID' | 'PARTLY_PAID' | 'REFUSED' | 'WITHDRAWN';

export interface ClaimResult {
  claimId: string;
  status: ClaimStatus;
}

export interface Claim extends ClaimResult {
  carrier: string;
  trackingNumber: string;
  claimedMinor: number;
  /** Set once decided: what the carrier pays (0 when refused). */
  paidMinor?: number;
  currency: string;
  decidedAt?: number;
}

/** A claim taken back before the carrier decides it: the parcel it was for turned up. */
export interface ClaimWithdrawal {
  idempotencyKey: string;
  claimId: string;
  reason: string;
}

export interface InterceptRequest extends ParcelRef {
  idempotencyKey: string;
}

export interface InterceptResult {
  interceptId: string;
  /** REQUESTED: the carrier will send the parcel back; a delivered parcel is REJECTED ALREADY_DELIVERED. */
  status: 'REQUESTED';
}

export interface CourierGateway {
  /** A parcel the carrier has not scanned yet is NO_TRACE, not NOT_FOUND. */
  track(p: ParcelRef): Promise<Trace>;
  schedulePickup(p: PickupRequest): Promise<PickupResult>;
  fileClaim(c: ClaimRequest): Promise<ClaimResult>;
  getClaim(claimId: string): Promise<Claim>;
  /** WITHDRAWN if the claim was still FILED; a claim the carrier decided first is answered as it stands. */
  withdrawClaim(w: ClaimWithdrawal): Promise<Claim>;
  intercept(i: InterceptRequest): Promise<InterceptResult>;
}
