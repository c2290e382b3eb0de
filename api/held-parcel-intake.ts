/**
 * A parcel on the hold shelf whose case then asks for the goods (an approval, an assessment that
 * wants them back) is taken in by itself: the case hears the arrival scan that held it, as the
 * scan it would have been had the case asked first (who scanned it, when it came in), and the
 * parcel comes off the shelf as SCANNED_IN. Before, the shelf only listed it as SCAN_NOW: until a
 * clerk scanned it again, the case asked its customer for goods the warehouse had, and closed
 * as not sent at its ship-by date (docs/after-sales.md, "Parcels that come too early or too late").
 *
 * Which parcels and when is domain/held-parcels.ts `shelfTakesIn`, said again in the look's query
 * (db/repositories/held-parcels.ts `toTakeIn`) so parcels left to a clerk never fill its page; one
 * parcel per case. The API looks every few seconds (buildApp's `heldParcelIntake`). Each parcel is
 * first taken off the shelf — one statement, so of two API processes looking at once one takes
 * it — then its case hears the scan. Should the case not hear it (Temporal away, an answer lost, a
 * crash between the two), the hold stays ended and a later look, finding its case still waiting
 * for the goods, tells the case again (a case takes one arrival and hears a second as the same
 * parcel again, as it does a clerk's scan at the same moment); only a case whose workflow is gone
 * gets the parcel back on the shelf, for a clerk.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { SHELF_TAKEN_IN_AT, shelfTakesIn, TAKEN_IN_BY_ITSELF } from '../domain/held-parcels.js';
import { recordCaseInput } from '../db/case-inputs.js';
import type { Repositories } from '../db/repositories.js';
import type { HeldParcel } from '../db/repositories/held-parcels.js';
import { arrivalScanned, caseWorkflowId, type ArrivalScan } from '../workflows/contract.js';
import { lookEvery } from './periodic-look.js';
import { unavailableService } from './unavailable.js';

/** A hold taken in by itself whose case still waits for the goods this long after is told again: its case did not hear it. */
export const TOLD_AGAIN_AFTER_MS = 30_000;

/** At most this many parcels are remembered as not to be taken in (their case's workflow gone); beyond, they are tried again. */
const REMEMBERED = 10_000;

type Taken = { heldParcelId: string; caseId: string; notTold?: string; inputNotRecorded?: string };

export class HeldParcelIntake {
  /** Parcels whose case could not take them (not Temporal away): left to a clerk, not tried at every look. */
  private readonly refused = new Set<string>();

  constructor(private readonly deps: { repos: Repositories; temporal: Client; now?: () => number }) {}

  /**
   * Takes in the held parcels whose case now waits for them (at most `limit`, oldest first, one
   * per case), and tells again the cases of those taken in earlier that still wait (`TOLD_AGAIN_AFTER_MS`).
   * Answers the parcels taken and those that could not be (with why: back on the shelf when their
   * case's workflow is gone, else left taken for a later look to tell their case again).
   * Throws only when the look itself fails, or Temporal is away (what it took stays taken: a later look tells its case).
   */
  async takeIn(limit = 100): Promise<{ taken: Taken[]; failed: Array<{ heldParcelId: string; caseId: string; error: string }> }> {
    const { repos } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const taken: Taken[] = [];
    const failed: Array<{ heldParcelId: string; caseId: string; error: string }> = [];
    const untold = await repos.heldParcels.takenInUnheard(SHELF_TAKEN_IN_AT, new Date(now - TOLD_AGAIN_AFTER_MS), limit);
    for (const held of untold) await this.tell(held, held.case.stage, taken, failed);
    const seen = new Set<string>();
    for (const held of await repos.heldParcels.toTakeIn(SHELF_TAKEN_IN_AT, limit, [...this.refused])) {
      if (seen.has(held.caseId) || !shelfTakesIn(held.case, held)) continue;
      seen.add(held.caseId);
      const [ended] = await repos.heldParcels.end({ id: held.id }, { outcome: 'SCANNED_IN', by: held.heldBy, note: TAKEN_IN_BY_ITSELF });
      // Taken off by a clerk's scan, or another API process, since the list was read.
      if (!ended) continue;
      await this.tell(ended, held.case.stage, taken, failed);
    }
    return { taken, failed };
  }

  /** The case hears the scan that held the parcel; it is told to the customer and recorded for the what-if once the case has it. */
  private async tell(held: HeldParcel, stage: string, taken: Taken[], failed: Array<{ heldParcelId: string; caseId: string; error: string }>): Promise<void> {
    const { repos, temporal } = this.deps;
    // The scan that held it, as the case would have taken it: by its label's number, else by its return code (the case's id).
    const scan: ArrivalScan = { ...(held.trackingNumber ? { trackingNumber: held.trackingNumber } : { returnCode: held.caseId }), scannedAt: held.heldAt.getTime(), scannedBy: held.heldBy };
    const workflowId = caseWorkflowId(held.caseId);
    try {
      await temporal.workflow.getHandle(workflowId).signal(arrivalScanned, scan);
    } catch (err) {
      // Temporal away: the hold stays taken, and a later look tells the case again.
      if (unavailableService(err)) throw err;
      failed.push({ heldParcelId: held.id, caseId: held.caseId, error: err instanceof Error ? err.message : String(err) });
      // Any other failure may have reached the case (an answer lost): it stays taken, told again later.
      if (!(err instanceof WorkflowNotFoundError)) return;
      // The case's workflow is gone: back on the shelf, for a clerk.
      await repos.heldParcels.backOnShelf(held);
      if (this.refused.size >= REMEMBERED) this.refused.clear();
      this.refused.add(held.id);
      return;
    }
    const reason = (err: unknown) => (err instanceof Error ? err.message : String(err));
    // The customer was just asked to send the goods (the approval's message): told they need not. At
    // the other stages they sent nothing more (an intercepted parcel) or told us what they sent.
    const notTold = stage === 'AWAITING_RETURN_SHIPMENT' ? await repos.heldParcels.takenIn(held).then(() => undefined, reason) : undefined;
    // For the policy what-if, as a clerk's scan is recorded: the clerk who scanned it sent it. The
    // case has taken the scan whatever becomes of the record (the history holds the signal).
    const inputNotRecorded = await recordCaseInput(repos.db, { caseId: held.caseId, via: 'SIGNAL', kind: arrivalScanned.name, workflowId, arg: scan, at: new Date(this.deps.now?.() ?? Date.now()), sender: { role: 'WAREHOUSE', id: held.heldBy }, outcome: 'ACCEPTED' }).then(() => undefined, reason);
    taken.push({ heldParcelId: held.id, caseId: held.caseId, ...(notTold ? { notTold } : {}), ...(inputNotRecorded ? { inputNotRecorded } : {}) });
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
