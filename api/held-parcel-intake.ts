/**
 * A parcel on the hold shelf whose case then asks for the goods (an approval, an assessment that
 * wants them back) is taken in by itself: the case hears the arrival scan that held it, as the
 * scan it would have been had the case asked first (who scanned it, when it came in), and the
 * parcel comes off the shelf as SCANNED_IN. Before, the shelf only listed it as SCAN_NOW: until a
 * clerk scanned it again, the case asked its customer for goods the warehouse had, and closed
 * as not sent at its ship-by date (docs/after-sales.md, "Parcels that come too early or too late").
 *
 * Which parcels and when is domain/held-parcels.ts `shelfTakesIn`. The API looks every few seconds
 * (buildApp's `heldParcelIntake`). Each parcel is first taken off the shelf — one statement, so of
 * two API processes looking at once one takes it — then its case hears the scan; should the case
 * not be reached (Temporal away), the parcel goes back on the shelf for the next look. A clerk
 * scanning it at the same moment is harmless: a case takes one arrival and hears a second as the
 * same parcel again. (A crash between the two steps leaves the parcel off the shelf and its case
 * not told: the hold reads SCANNED_IN with this note while its case still waits; a clerk's scan of
 * the parcel takes it in.)
 */
import type { Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { SHELF_TAKEN_IN_AT, shelfTakesIn } from '../domain/held-parcels.js';
import { recordCaseInput } from '../db/case-inputs.js';
import type { Repositories } from '../db/repositories.js';
import { arrivalScanned, caseWorkflowId, type ArrivalScan } from '../workflows/contract.js';
import { lookEvery } from './periodic-look.js';
import { unavailableService } from './unavailable.js';

/** Said on the hold when it comes off the shelf so (its `endNote`). */
export const TAKEN_IN_BY_ITSELF = 'taken in from the shelf when its case asked for the goods';

/** At most this many parcels are remembered as not to be taken in (their case's workflow gone); beyond, they are tried again. */
const REMEMBERED = 10_000;

export class HeldParcelIntake {
  /** Parcels whose case could not take them (not Temporal away): left to a clerk, not tried at every look. */
  private readonly refused = new Set<string>();

  constructor(private readonly deps: { repos: Repositories; temporal: Client; now?: () => number }) {}

  /**
   * Takes in the held parcels whose case now waits for them (at most `limit`, oldest first).
   * Answers the parcels taken and those that could not be (with why; each back on the shelf).
   * Throws only when the look itself fails, or Temporal is away (the parcel in hand back on the shelf).
   */
  async takeIn(limit = 100): Promise<{ taken: Array<{ heldParcelId: string; caseId: string; notTold?: string; inputNotRecorded?: string }>; failed: Array<{ heldParcelId: string; caseId: string; error: string }> }> {
    const { repos, temporal } = this.deps;
    const taken: Array<{ heldParcelId: string; caseId: string; notTold?: string; inputNotRecorded?: string }> = [];
    const failed: Array<{ heldParcelId: string; caseId: string; error: string }> = [];
    for (const held of await repos.heldParcels.awaitedAgain(SHELF_TAKEN_IN_AT, limit, [...this.refused])) {
      if (!shelfTakesIn(held.case, held)) continue;
      const [ended] = await repos.heldParcels.end({ id: held.id }, { outcome: 'SCANNED_IN', by: held.heldBy, note: TAKEN_IN_BY_ITSELF });
      // Taken off by a clerk's scan, or another API process, since the list was read.
      if (!ended) continue;
      // The scan that held it, as the case would have taken it: by its label's number, else by its return code (the case's id).
      const scan: ArrivalScan = { ...(held.trackingNumber ? { trackingNumber: held.trackingNumber } : { returnCode: held.caseId }), scannedAt: held.heldAt.getTime(), scannedBy: held.heldBy };
      const workflowId = caseWorkflowId(held.caseId);
      try {
        await temporal.workflow.getHandle(workflowId).signal(arrivalScanned, scan);
      } catch (err) {
        await repos.heldParcels.backOnShelf(ended);
        if (unavailableService(err)) throw err;
        if (this.refused.size >= REMEMBERED) this.refused.clear();
        this.refused.add(held.id);
        failed.push({ heldParcelId: held.id, caseId: held.caseId, error: err instanceof Error ? err.message : String(err) });
        continue;
      }
      // The customer was just asked to send the goods (the approval's message): told they need not.
      const notTold = await repos.heldParcels.takenIn(ended).then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      // For the policy what-if, as a clerk's scan is recorded: the clerk who scanned it sent it. The
      // case has taken the scan whatever becomes of the record (the history holds the signal).
      const inputNotRecorded = await recordCaseInput(repos.db, { caseId: held.caseId, via: 'SIGNAL', kind: arrivalScanned.name, workflowId, arg: scan, at: new Date(this.deps.now?.() ?? Date.now()), sender: { role: 'WAREHOUSE', id: held.heldBy }, outcome: 'ACCEPTED' }).then(
        () => undefined,
        (err: unknown) => (err instanceof Error ? err.message : String(err)),
      );
      taken.push({ heldParcelId: held.id, caseId: held.caseId, ...(notTold ? { notTold } : {}), ...(inputNotRecorded ? { inputNotRecorded } : {}) });
    }
    return { taken, failed };
  }
}

/** How often the platform's API looks at the shelf. */
export const HELD_PARCEL_INTAKE_EVERY_MS = 5_000;

/** Every `everyMs` (api/periodic-look.ts); what it takes in is logged. */
export function takeInHeldParcels(app: FastifyInstance, deps: ConstructorParameters<typeof HeldParcelIntake>[0], o: { everyMs: number }): void {
  const intake = new HeldParcelIntake(deps);
  lookEvery(app, {
    everyMs: o.everyMs,
    look: () =>
      intake
        .takeIn()
        .then(({ taken, failed }) => {
          if (taken.length) app.log.info({ parcels: taken }, `took in ${taken.length} held parcel(s) whose case asked for the goods`);
          if (failed.length) app.log.error({ failed }, `${failed.length} held parcel(s) whose case asked for the goods could not be taken in: they stay on the shelf for a clerk`);
        })
        .catch((err: unknown) => app.log.warn(`taking in held parcels failed (the next look tries again): ${err instanceof Error ? err.message : String(err)}`)),
  });
}
