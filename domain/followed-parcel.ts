/**
 * The parcel a case follows until it is delivered (workflows/shipping.ts followUntilDelivered),
 * read from the case's timeline: the latest FOLLOWING_PARCEL step, or the correction of its number
 * after it (FOLLOWED_PARCEL_CORRECTED), with no delivery since. What a correction of a mistyped
 * number corrects (POST /v1/cases/{caseId}/parcel-correction); the API and the console's form ask the same.
 */

/** The stages at which a case may follow a parcel until it is delivered. */
export const FOLLOWING_STAGES: readonly string[] = ['SHIPPED', 'RESHIPPED', 'FOLLOWING'];

export interface FollowedParcel {
  carrier: string;
  trackingNumber: string;
}

/**
 * The parcel the case followed last (its latest FOLLOWING_PARCEL, or the correction of its number
 * after it) and whether it was delivered since, or null: none was ever followed. Steps oldest first.
 */
export function lastFollowedParcel(timeline: ReadonlyArray<{ kind: string; data?: unknown }>): { parcel: FollowedParcel; delivered: boolean } | null {
  let delivered = false;
  for (let i = timeline.length - 1; i >= 0; i--) {
    const step = timeline[i]!;
    if (step.kind === 'DELIVERED') delivered = true;
    if (step.kind !== 'FOLLOWING_PARCEL' && step.kind !== 'FOLLOWED_PARCEL_CORRECTED') continue;
    const d = (step.data ?? {}) as { carrier?: unknown; outboundTracking?: unknown };
    return typeof d.carrier === 'string' && typeof d.outboundTracking === 'string' ? { parcel: { carrier: d.carrier, trackingNumber: d.outboundTracking }, delivered } : null;
  }
  return null;
}

/** The parcel followed now, or null: none was followed, or it was delivered. Steps oldest first. */
export function followedParcel(timeline: ReadonlyArray<{ kind: string; data?: unknown }>): FollowedParcel | null {
  const last = lastFollowedParcel(timeline);
  return last && !last.delivered ? last.parcel : null;
}
