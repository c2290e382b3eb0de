/**
 * The clients: `concurrency` of them, each taking the next case and driving it through its
 * scenario to its end — waiting for the stage the next command needs (read from the API, as a
 * storefront or an agent desk would), then sending it. What each case went through is recorded for
 * the checks: its id, where it stopped if it did, the commands answered "already taken".
 */
import type { ApiClient } from './client.js';
import type { CaseDriver, CaseFacts, Expected, Role, Scenario } from './scenarios.js';
import { errorText, pause } from './util.js';

export interface CaseRecord {
  index: number;
  type: string;
  facts: CaseFacts;
  expected: Expected;
  caseId?: string;
  outcome: 'pending' | 'driven' | 'failed';
  /** Where a case the client gave up on stopped, and why. */
  failure?: { step: string; message: string };
  lastStage?: string;
  /** Commands a retry found already taken (409/404 after a lost answer). */
  takenEarlier: string[];
}

export interface DriveOptions {
  runId: string;
  concurrency: number;
  keys: Record<Role, string>;
  /** Openings also carry the client's own `reference` (the order id), not only an Idempotency-Key. */
  withReference: boolean;
  /** Bound of one wait for a stage: longer than a worker restart plus an activity's 30 s timeout. */
  stagePatienceMs: number;
  pollMs: number;
  stopped: () => boolean;
  /** Called after every client call that moved a case on (the chaos kills by progress). */
  onStep: () => void;
  /** Called as an opening is sent (the chaos may kill the API while it is in flight), and with how long one took. */
  onOpenSent: () => void;
  onOpenAnswered: (ms: number) => void;
}

class StepFailed extends Error {}

function driverFor(record: CaseRecord, client: ApiClient, o: DriveOptions, step: { name: string }): CaseDriver {
  const key = (role: Role) => o.keys[role];
  let commands = 0;
  return {
    async open(path, role, body) {
      step.name = `open ${path}`;
      o.onOpenSent();
      const sentAt = Date.now();
      const sent = o.withReference ? { ...(body as object), reference: record.facts.orderId } : body;
      const res = await client.call('POST', path, key(role), sent, `${o.runId}-${record.index}-open`);
      o.onOpenAnswered(Date.now() - sentAt);
      if (res.status !== 201 && res.status !== 200) throw new StepFailed(`POST ${path} → ${res.status} ${JSON.stringify(res.body)}`);
      record.caseId = String(res.body.caseId);
      o.onStep();
      return record.caseId;
    },
    async command(path, role, body) {
      commands += 1;
      const full = path.startsWith('/v1/') ? path : `/v1/cases/${record.caseId}${path}`;
      step.name = `POST ${path}`;
      const res = await client.call('POST', full, key(role), body, `${o.runId}-${record.index}-${commands}-${path.replace(/\W+/g, '')}`);
      if (res.takenEarlier) record.takenEarlier.push(path);
      else if (res.status !== 200 && res.status !== 202) throw new StepFailed(`POST ${full} → ${res.status} ${JSON.stringify(res.body)}`);
      o.onStep();
    },
    async stage(...stages) {
      step.name = `wait for ${stages.join('|')}`;
      const until = Date.now() + o.stagePatienceMs;
      for (;;) {
        const res = await client.call('GET', `/v1/cases/${record.caseId}`, key('agent'));
        if (res.status !== 200) throw new StepFailed(`GET /v1/cases/${record.caseId} → ${res.status} ${JSON.stringify(res.body)}`);
        record.lastStage = res.body.stage;
        if (stages.includes(res.body.stage)) return;
        if (res.body.stage === 'CLOSED') throw new StepFailed(`closed early (${res.body.closeReason}) instead of reaching ${stages.join('|')}`);
        if (Date.now() > until) throw new StepFailed(`still at ${res.body.stage} after ${Math.round(o.stagePatienceMs / 1000)} s`);
        await pause(o.pollMs + Math.floor(Math.random() * o.pollMs));
      }
    },
  };
}

/** Drives every case; never throws (a case that fails is recorded as failed and the others go on). */
export async function driveCases(records: CaseRecord[], scenarios: Map<string, Scenario>, client: ApiClient, o: DriveOptions): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < records.length && !o.stopped()) {
      const record = records[next++]!;
      const step = { name: 'start' };
      try {
        await scenarios.get(record.type)!.drive(driverFor(record, client, o, step), record.facts);
        record.outcome = 'driven';
      } catch (err) {
        record.outcome = 'failed';
        record.failure = { step: step.name, message: errorText(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, o.concurrency) }, lane));
}
