/**
 * What came into a case from outside (table CaseInput): the opening and every update and signal
 * the API sent to a case's workflows, with the argument exactly as sent, who sent it and whether
 * the workflow took it. Written by the API (api/commands.ts, api/open-case.ts), one INSERT per
 * input, in plain SQL (db/client.ts): every command runs it. Read back as a case's timeline of
 * inputs (domain/case-inputs.ts) for the policy what-if, which sends them again.
 */
import type { InputOutcome, InputVia, RecordedInput } from '../domain/case-inputs.js';
import type { CaseType } from '../domain/case-types.js';
import { sqlOf } from './client.js';

export interface NewCaseInput {
  caseId: string;
  via: InputVia;
  kind: string;
  workflowId: string;
  arg: unknown;
  at: Date;
  sender: { role: string; id: string | null };
  requestId?: string;
  outcome: InputOutcome;
  reason?: string;
}

/**
 * The opening is seq 0, once however often it is sent (an opening retried with its reference
 * starts the same workflow again: USE_EXISTING). Every other input takes the case's next number;
 * two commands on one case recorded at the same instant may pick the same one, and the loser of
 * the primary key takes the next (ON CONFLICT DO NOTHING + try again: no error, no lock held).
 * The merchant comes from the case row, in the same statement.
 */
const INSERT_INPUT = `
  INSERT INTO "CaseInput" ("caseId", "seq", "merchantId", "at", "via", "kind", "workflowId", "arg", "senderRole", "senderId", "requestId", "outcome", "reason")
  SELECT c."id",
         CASE WHEN $2::text = 'START' THEN 0 ELSE (SELECT COALESCE(max(i."seq"), 0) + 1 FROM "CaseInput" i WHERE i."caseId" = c."id") END,
         c."merchantId", $3::timestamptz, $2::text, $4::text, $5::text, $6::jsonb, $7::text, $8::text, $9::text, $10::text, $11::text
    FROM "Case" c
   WHERE c."id" = $1::text
  ON CONFLICT ("caseId", "seq") DO NOTHING
  RETURNING "seq"`;

/** How often a command tries for a number another command of the same case took at the same instant. */
const SEQUENCE_ATTEMPTS = 5;

/**
 * Records one input; answers its seq, or null when there is nothing to record: the opening was
 * recorded before, or the case row does not exist. Throws on a database failure (the caller
 * decides what a failure means: api/commands.ts).
 */
export async function recordCaseInput(db: object, input: NewCaseInput): Promise<number | null> {
  const sql = sqlOf(db);
  const values = [
    input.caseId,
    input.via,
    input.at.toISOString(),
    input.kind,
    input.workflowId,
    JSON.stringify(input.arg ?? null),
    input.sender.role,
    input.sender.id,
    input.requestId ?? null,
    input.outcome,
    input.reason ?? null,
  ];
  for (let attempt = 1; ; attempt++) {
    const [row] = await sql.query<{ seq: number }>(INSERT_INPUT, values);
    if (row) return row.seq;
    if (input.via === 'START' || attempt >= SEQUENCE_ATTEMPTS) return null;
    const [known] = await sql.query<{ id: string }>('SELECT "id" FROM "Case" WHERE "id" = $1', [input.caseId]);
    if (!known) return null;
  }
}

export interface StoredCaseInput extends RecordedInput {
  caseId: string;
  sender: { role: string; id: string | null };
  requestId: string | null;
}

type Row = Omit<StoredCaseInput, 'at' | 'sender'> & { at: Date | string; senderRole: string; senderId: string | null };

const COLUMNS = `i."caseId", i."seq", i."at", i."via", i."kind", i."workflowId", i."arg", i."senderRole", i."senderId", i."requestId", i."outcome", i."reason"`;

const stored = (r: Row): StoredCaseInput => ({
  caseId: r.caseId,
  seq: r.seq,
  at: new Date(r.at).getTime(),
  via: r.via,
  kind: r.kind,
  workflowId: r.workflowId,
  arg: r.arg,
  sender: { role: r.senderRole, id: r.senderId },
  requestId: r.requestId,
  outcome: r.outcome,
  reason: r.reason,
});

/** A case's inputs in the order they were recorded (the opening first). */
export async function caseInputs(db: object, caseId: string): Promise<StoredCaseInput[]> {
  const rows = await sqlOf(db).query<Row>(`SELECT ${COLUMNS} FROM "CaseInput" i WHERE i."caseId" = $1 ORDER BY i."seq"`, [caseId]);
  return rows.map(stored);
}

/**
 * The inputs of a merchant's cases opened in [from, to) — the cases a what-if replays: their
 * openings through the (merchantId, at) index, then each case's inputs through its primary key.
 * A case whose opening was not recorded has nothing to replay from and is left out. Ordered by
 * opening, then case, then seq.
 */
export async function merchantCaseInputs(db: object, q: { merchantId: string; from: Date; to: Date }): Promise<StoredCaseInput[]> {
  const rows = await sqlOf(db).query<Row>(
    `SELECT ${COLUMNS}
       FROM "CaseInput" o JOIN "CaseInput" i ON i."caseId" = o."caseId"
      WHERE o."merchantId" = $1 AND o."at" >= $2::timestamptz AND o."at" < $3::timestamptz AND o."seq" = 0
      ORDER BY o."at", i."caseId", i."seq"`,
    [q.merchantId, q.from.toISOString(), q.to.toISOString()],
  );
  return rows.map(stored);
}

/** A case opened with its opening recorded that no workflow step has reached (api/unstarted-openings.ts). */
export interface UnstartedOpening {
  id: string;
  type: CaseType;
  merchantId: string;
  orderId: string;
  customerId: string;
  policyVersion: number;
  workflowId: string;
  /** The workflow type and its input, as the opening recorded them. */
  kind: string;
  arg: Record<string, unknown>;
}

/**
 * Open cases opened in [openedFrom, openedBefore) that no workflow step has reached
 * (projectionVersion 0), with their recorded opening, oldest first, but those `excluding`: through
 * the partial index Case_unprojected_idx.
 */
export async function unstartedOpenings(db: object, q: { openedBefore: Date; openedFrom: Date; excluding: string[]; limit: number }): Promise<UnstartedOpening[]> {
  return sqlOf(db).query<UnstartedOpening>(
    `SELECT c."id", c."type"::text AS "type", c."merchantId", c."orderId", c."customerId", c."policyVersion", c."workflowId", i."kind", i."arg"
       FROM "Case" c
       JOIN "CaseInput" i ON i."caseId" = c."id" AND i."seq" = 0 AND i."via" = 'START'
      WHERE c."projectionVersion" = 0 AND c."createdAt" < $1::timestamptz AND c."createdAt" >= $2::timestamptz
        AND c."status" = 'OPEN' AND NOT (c."id" = ANY($3::text[]))
      ORDER BY c."createdAt"
      LIMIT $4`,
    [q.openedBefore.toISOString(), q.openedFrom.toISOString(), q.excluding, q.limit],
  );
}
