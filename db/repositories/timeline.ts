/**
 * The case timeline: append-only, one row per (case, stepKey), so that an activity retried by
 * Temporal records its step once.
 */
import type { Prisma } from '../../generated/prisma/client.js';
import type { Db, Json } from './shared.js';

const timelineEvent = {
  id: true,
  caseId: true,
  stepKey: true,
  at: true,
  kind: true,
  actor: true,
  data: true,
  decision: true,
} satisfies Prisma.CaseEventSelect;

export type TimelineEvent = Prisma.CaseEventGetPayload<{ select: typeof timelineEvent }>;

export interface NewTimelineEvent {
  caseId: string;
  /** Unique within the case (e.g. `return:arrived`): the same step appended twice is one row. */
  stepKey: string;
  kind: string;
  /** system, customer, agent:<id>, warehouse, courier:<carrier>, … */
  actor?: string;
  at?: Date;
  data?: Json;
  /** Which rule, values and policy version decided an automatic step. */
  decision?: Json;
}

export function createTimelineRepository(db: Db) {
  return {
    /** Appends the step, or returns the row an earlier attempt wrote (`created: false`). */
    async append(e: NewTimelineEvent): Promise<{ event: TimelineEvent; created: boolean }> {
      const [event] = await db.caseEvent.createManyAndReturn({
        data: [{ caseId: e.caseId, stepKey: e.stepKey, kind: e.kind, actor: e.actor ?? 'system', at: e.at, data: e.data ?? {}, decision: e.decision }],
        skipDuplicates: true,
        select: timelineEvent,
      });
      if (event) return { event, created: true };
      const existing = await db.caseEvent.findUniqueOrThrow({ where: { caseId_stepKey: { caseId: e.caseId, stepKey: e.stepKey } }, select: timelineEvent });
      return { event: existing, created: false };
    },

    /** The case's timeline in the order it happened. */
    async list(caseId: string): Promise<TimelineEvent[]> {
      return db.caseEvent.findMany({ where: { caseId }, orderBy: [{ at: 'asc' }, { id: 'asc' }], select: timelineEvent });
    },
  };
}

export type TimelineRepository = ReturnType<typeof createTimelineRepository>;
