/**
 * An opening writes the case row, records the opening, then starts the workflow. When Temporal is
 * away the start fails and the client hears 503; retried with its reference or Idempotency-Key the
 * opening is finished (api/open-case.ts finishOpening). A client that never retries, or retries
 * without either, left a case row no workflow served: listed first in the agents' queue, counted as
 * open, answering 404 to every command, and holding the order's goods, so no other return of the
 * order could open (found by an ops drill). Such openings are started here from what was recorded,
 * as they would have been; the API looks every minute (buildApp's `unstartedOpenings`).
 *
 * A case no workflow step has reached yet (projectionVersion 0) a minute after it was opened is
 * asked after in Temporal: a workflow that exists (a worker behind, under load) is left alone and
 * not asked after again; one that does not is started with the recorded input and the merchant's
 * policy of that version.
 */
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { FastifyInstance } from 'fastify';
import { openingInput } from '../domain/case-inputs.js';
import { CASE_TYPE_NAMES } from '../domain/case-types.js';
import { unstartedOpenings } from '../db/case-inputs.js';
import type { Repositories } from '../db/repositories.js';
import { startCaseWorkflow } from './case-start.js';
import { lookEvery } from './periodic-look.js';
import { unavailableService } from './unavailable.js';

/**
 * Openings older than this are not looked at: a workflow ops ended before its first step, whose
 * history the namespace's retention has since removed, would otherwise look never started and be
 * started again. Well under Temporal's retention (7 days by default); an outage longer than a day
 * leaves its openings to ops (docs/operations.md).
 */
export const UNSTARTED_LOOK_BACK_MS = 24 * 3_600_000;

/** At most this many cases are remembered as started (a worker far behind); beyond, they are asked after again. */
const REMEMBERED = 10_000;

export class UnstartedOpenings {
  /** Cases found with a workflow: not asked after again. */
  private readonly started = new Set<string>();

  constructor(private readonly deps: { repos: Repositories; temporal: Client; now?: () => number }) {}

  /** Set when the API stops: a look under way ends after the case in hand. */
  stopping = false;

  /**
   * Starts the workflows of openings older than `olderThanMs` (and younger than
   * UNSTARTED_LOOK_BACK_MS) that have none. Answers the cases started, and those that could not be
   * (each with why: one case that cannot start does not hold up the others). Throws only when the
   * look itself fails (the database, or Temporal, away).
   */
  async startOlderThan(olderThanMs: number, limit = 200): Promise<{ started: string[]; failed: Array<{ caseId: string; error: string }> }> {
    const { repos, temporal } = this.deps;
    const now = this.deps.now?.() ?? Date.now();
    const rows = await unstartedOpenings(repos.db, { openedBefore: new Date(now - olderThanMs), openedFrom: new Date(now - UNSTARTED_LOOK_BACK_MS), excluding: [...this.started], limit });
    const started: string[] = [];
    const failed: Array<{ caseId: string; error: string }> = [];
    for (const c of rows) {
      if (this.stopping) break;
      if (await hasWorkflow(temporal, c.workflowId)) {
        if (this.started.size >= REMEMBERED) this.started.clear();
        this.started.add(c.id);
        continue;
      }
      try {
        const policy = await repos.policyVersion(c.merchantId, c.policyVersion);
        if (!policy) throw new Error(`policy ${c.merchantId} v${c.policyVersion} is missing`);
        const fulfilment = 'fulfilment' in c.arg ? await repos.fulfilmentPolicy(c.merchantId, c.policyVersion) : undefined;
        const input = openingInput(c.arg, { policy, fulfilment });
        await startCaseWorkflow(temporal, { caseId: c.id, workflow: c.kind, input, type: c.type, merchantId: c.merchantId, orderId: c.orderId, customerId: c.customerId, summary: CASE_TYPE_NAMES[c.type]?.en ?? c.type });
        started.push(c.id);
      } catch (err) {
        // Temporal away again: the next look tries them all.
        if (unavailableService(err)) throw err;
        failed.push({ caseId: c.id, error: err instanceof Error ? err.message : String(err) });
      }
    }
    return { started, failed };
  }
}

async function hasWorkflow(temporal: Client, workflowId: string): Promise<boolean> {
  try {
    await temporal.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** How often the API looks (`everyMs`), at openings how old (`olderThanMs`). */
export interface UnstartedOpeningsLook {
  everyMs: number;
  olderThanMs: number;
}

/** How the platform's API looks: every minute, for openings a minute old or more. */
export const UNSTARTED_OPENINGS_LOOK: UnstartedOpeningsLook = { everyMs: 60_000, olderThanMs: 60_000 };

/** Every `everyMs` (api/periodic-look.ts), from when the API listens until it closes; what it finds is logged. */
export function lookForUnstartedOpenings(app: FastifyInstance, deps: ConstructorParameters<typeof UnstartedOpenings>[0], o: UnstartedOpeningsLook): void {
  const openings = new UnstartedOpenings(deps);
  lookEvery(app, {
    everyMs: o.everyMs,
    onClose: () => (openings.stopping = true),
    look: () =>
      openings
        .startOlderThan(o.olderThanMs)
        .then(({ started, failed }) => {
          if (started.length) app.log.warn({ cases: started }, `started the workflows of ${started.length} case(s) whose opening could not start them (Temporal was away)`);
          // Each minute again, until someone looks: a case that cannot start is a bug or a lost policy version.
          if (failed.length) app.log.error({ failed }, `${failed.length} case(s) whose opening could not start their workflow cannot be started: see docs/operations.md`);
        })
        // Temporal or the database away still: the next look tries again.
        .catch((err: unknown) => app.log.warn(`looking for openings whose workflow did not start failed (the next look tries again): ${err instanceof Error ? err.message : String(err)}`)),
  });
}
