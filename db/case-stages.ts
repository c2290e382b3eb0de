/**
 * The stages recorded cases went through (table CaseEvent, the workflow's own steps), for the
 * policy what-if: a simulated wait that ends by silence at a stage the real case never reached
 * rests on an assumption (simulation/result.ts); and the steps that say what a provider told them
 * (the warehouse's answers, simulation/recorded.ts). Read only.
 */
import { sqlOf } from './client.js';

/** Each case's stages in step order (consecutive repeats once); cases without steps are absent. */
export async function caseStages(db: object, caseIds: readonly string[]): Promise<Map<string, string[]>> {
  const rows = await sqlOf(db).query<{ caseId: string; stage: string }>(
    `SELECT e."caseId", e."stage"
       FROM "CaseEvent" e
      WHERE e."caseId" = ANY($1::text[]) AND e."stage" IS NOT NULL AND e."stepKey" ~ '^[0-9]+:'
      ORDER BY e."caseId", split_part(e."stepKey", ':', 1)::int`,
    [[...caseIds]],
  );
  const stages = new Map<string, string[]>();
  for (const r of rows) {
    const own = stages.get(r.caseId) ?? [];
    if (own.at(-1) !== r.stage) own.push(r.stage);
    stages.set(r.caseId, own);
  }
  return stages;
}

/** A step as `caseStepsOfKinds` reads it; the policy what-if reads a real case's answers from these (simulation/recorded.ts). */
export interface CaseStepOfKind {
  kind: string;
  /** Its number in the case (the step key's). */
  version: number;
  /** When it was written, epoch ms. */
  at: number;
  data: Record<string, unknown>;
  decision: { outcome?: string; values?: Record<string, unknown> } | null;
}

/**
 * Each case's steps of the given kinds in step order (kind, number, time, data, decision), for rules
 * that read what a real case learned from its steps and when (simulation/recorded.ts `warehouseAnswers`).
 */
export async function caseStepsOfKinds(db: object, caseIds: readonly string[], kinds: readonly string[]): Promise<Map<string, CaseStepOfKind[]>> {
  const rows = await sqlOf(db).query<{ caseId: string; kind: string; version: number; at: Date | string; data: Record<string, unknown> | null; decision: CaseStepOfKind['decision'] }>(
    `SELECT e."caseId", e."kind", split_part(e."stepKey", ':', 1)::int AS "version", e."at", e."data", e."decision"
       FROM "CaseEvent" e
      WHERE e."caseId" = ANY($1::text[]) AND e."kind" = ANY($2::text[]) AND e."stepKey" ~ '^[0-9]+:'
      ORDER BY e."caseId", split_part(e."stepKey", ':', 1)::int`,
    [[...caseIds], [...kinds]],
  );
  const steps = new Map<string, CaseStepOfKind[]>();
  for (const r of rows) steps.set(r.caseId, [...(steps.get(r.caseId) ?? []), { kind: r.kind, version: r.version, at: new Date(r.at).getTime(), data: r.data ?? {}, decision: r.decision }]);
  return steps;
}
