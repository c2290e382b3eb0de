/**
 * The return parcel a case follows while it waits for the goods at the warehouse, and its
 * correction. The customer types the tracking number by hand; a mistyped one had the case chase the
 * courier about someone else's parcel, file a lost-parcel claim against it, and the warehouse's scan
 * of the real label refused (the number contradicted the case's). Since RETURN_CORRECTION_PATCH the
 * customer (or the storefront) sends the shipment again while the case is at AWAITING_ARRIVAL and
 * nothing has arrived: the case follows the new parcel from then on, with the same arrival
 * deadline, and records a RETURN_SHIPMENT_CORRECTED step naming both (docs/after-sales.md §10).
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { days, type CaseSession } from './case-machinery.js';
import { answeredBy, invalidInput, requireParcel, submitReturnShipment, type Actor, type ReturnShipment } from './contract.js';

/**
 * Patch: a return shipment sent again at AWAITING_ARRIVAL corrects the parcel the case follows
 * (return-and-refund; the take-back of exchange, quality problem, transit damage and wrong item).
 * Before, it was refused for the stage. Replayed by test/workflows/histories/*-v10-return-corrected-*.pb.
 */
export const RETURN_CORRECTION_PATCH = 'return-parcel-correction';

const sameParcel = (a: ReturnShipment, b: ReturnShipment) =>
  a.carrier.trim().toUpperCase() === b.carrier.trim().toUpperCase() && normaliseTrackingNumber(a.trackingNumber) === normaliseTrackingNumber(b.trackingNumber);

export class ReturnParcel {
  /** The parcel the case follows: as the customer sent it, corrected since. */
  private followed: ReturnShipment | undefined;
  private arrivalDueAt = 0;
  /** Who sent it: the correction step's actor. */
  private customerId = '';
  private correctable = false;
  private readonly corrections: Array<{ parcel: ReturnShipment; previous: ReturnShipment; by: Actor | undefined }> = [];

  constructor(
    private readonly session: CaseSession,
    private readonly arrived: () => boolean,
  ) {}

  /**
   * Registers the return-shipment update: at AWAITING_RETURN_SHIPMENT the customer's shipment
   * (`shipped`, answered with the arrival deadline it sets), at AWAITING_ARRIVAL a correction. `by`:
   * the staff member who entered it for the customer, kept apart from the parcel.
   */
  handleShipments(returnArrivalDays: number, shipped: (parcel: ReturnShipment, by: Actor | undefined) => void): void {
    setHandler(submitReturnShipment, ({ by, ...parcel }) => (this.correcting ? this.correct(parcel, by) : (shipped(parcel, by), { ...this.session.taken(), arrivalDeadline: Date.now() + days(returnArrivalDays) })), {
      validator: (s) => {
        if (!this.correcting) this.session.requireStage('AWAITING_RETURN_SHIPMENT');
        requireParcel(s);
        // The parcel already followed is no correction (a second click is answered as it is).
        if (this.correcting && this.followed && sameParcel(s, this.followed)) throw invalidInput('trackingNumber', `${s.carrier} ${s.trackingNumber} is the return parcel the case already follows`);
      },
    });
  }

  /** The parcel the case follows (the courier is chased and a claim filed about it). */
  get current(): ReturnShipment | undefined {
    return this.followed;
  }

  /**
   * From AWAITING_ARRIVAL on, the customer's parcel may be corrected until something arrives. Called
   * once the case entered the stage; a case that reached it before the patch keeps refusing.
   */
  follow(parcel: ReturnShipment | undefined, arrivalDueAt: number, customerId: string): void {
    this.followed = parcel;
    this.arrivalDueAt = arrivalDueAt;
    this.customerId = customerId;
    // A parcel scanned in before the customer named one has arrived: nothing to correct.
    if (!parcel || this.correctable || !patched(RETURN_CORRECTION_PATCH)) return;
    this.correctable = true;
    void this.recordAsTheyCome();
  }

  /** Whether a shipment sent now is a correction (the update handler's branch; handlers run again on replay, so state only). */
  private get correcting(): boolean {
    return this.correctable && this.session.stage === 'AWAITING_ARRIVAL' && !this.arrived();
  }

  /** A correction: followed from now on (a chase due in this same task asks about it), recorded as it comes. */
  private correct(parcel: ReturnShipment, by: Actor | undefined): { stage: string; arrivalDeadline: number } {
    this.corrections.push({ parcel, previous: this.followed!, by });
    this.followed = parcel;
    return { stage: this.session.stage, arrivalDeadline: this.arrivalDueAt };
  }

  private async recordAsTheyCome(): Promise<void> {
    for (;;) {
      await condition(() => this.corrections.length > 0);
      const { parcel, previous, by } = this.corrections.shift()!;
      await this.session.step('RETURN_SHIPMENT_CORRECTED', {
        actor: answeredBy(by, this.customerId),
        data: { carrier: parcel.carrier, trackingNumber: parcel.trackingNumber, previousCarrier: previous.carrier, previousTrackingNumber: previous.trackingNumber },
      });
    }
  }
}
