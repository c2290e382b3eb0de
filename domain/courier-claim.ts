/**
 * The timetable of a courier claim (索赔) under the carrier contract (004 §三.3 根据合同约定):
 * the window counts from shipment; logistics follows up every N days; a claim not settled N days
 * before the window closes goes to a supervisor; the carrier never pays more than its per-parcel
 * limit, so that is the most worth claiming.
 */
/** What the courier contract says about claims (004 §三.3: 根据合同约定 … 向物流公司索赔). */
export interface CarrierContract {
  /** Days after shipment during which the carrier accepts a claim. */
  claimWindowDays: number;
  /** Logistics chases an open claim every N days. */
  followUpEveryDays: number;
  /** An unsettled claim goes to the supervisor this many days before the window closes. */
  escalateBeforeCloseDays: number;
  /** The most the carrier pays per parcel (uninsured limit), minor units; absent = no limit. */
  maxClaimMinor?: number;
}

const DAY = 86_400_000;

/** For carriers without a contract of their own in the merchant's table. */
export const DEFAULT_CARRIER_CONTRACT: Readonly<CarrierContract> = { claimWindowDays: 30, followUpEveryDays: 3, escalateBeforeCloseDays: 5 };

export interface ClaimSchedule {
  windowClosesAt: number;
  escalateAt: number;
  followUpEveryMs: number;
  /** The amount to claim: what was lost, capped by the contract's per-parcel limit. */
  claimableMinor: number;
}

export function claimSchedule(contract: CarrierContract, shippedAt: number, lostMinor: number): ClaimSchedule {
  if (!(contract.claimWindowDays > 0) || !(contract.followUpEveryDays > 0) || !(contract.escalateBeforeCloseDays >= 0)) {
    throw new RangeError(`carrier contract needs claimWindowDays > 0, followUpEveryDays > 0 and escalateBeforeCloseDays ≥ 0, got ${JSON.stringify(contract)}`);
  }
  if (!Number.isSafeInteger(lostMinor) || lostMinor < 0) throw new RangeError(`the lost amount must be whole minor units ≥ 0, got ${lostMinor}`);
  const windowClosesAt = shippedAt + contract.claimWindowDays * DAY;
  return {
    windowClosesAt,
    escalateAt: windowClosesAt - contract.escalateBeforeCloseDays * DAY,
    followUpEveryMs: contract.followUpEveryDays * DAY,
    claimableMinor: contract.maxClaimMinor === undefined ? lostMinor : Math.min(lostMinor, contract.maxClaimMinor),
  };
}

/**
 * The reasons a claim is filed for a parcel lost as a whole (as the workflows file them). A parcel
 * that turns up withdraws such a claim (workflows/courier-claim.ts); a claim for goods broken in
 * transit or missing from a parcel that came is for goods the parcel did not bring, and stands.
 */
export const LOST_PARCEL_CLAIM = { inTransit: 'parcel lost in transit', onItsWayBack: 'parcel lost on its way back to the shop', returnInTransit: 'return parcel lost in transit' } as const;
export const claimsALostParcel = (reason: string): boolean => (Object.values(LOST_PARCEL_CLAIM) as string[]).includes(reason);
