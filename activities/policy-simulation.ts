/**
 * The policy what-if job's activities, built from injected ports: the job table, the recorded
 * cases, the policy versions and a simulator (simulation/). The run writes only its job's row;
 * the simulated cases live in the simulator's memory (docs/policy-simulation.md).
 *
 * Idempotent: a retried attempt starts the job's progress again from nothing and overwrites the
 * report; a job already DONE is answered from its report.
 */
import { Context } from '@temporalio/activity';
import { parsePolicyVersion, type PolicyChange } from '../domain/policy-change.js';
import type { PolicySimulations } from '../db/policy-simulations.js';
import { compareRuns, type SimulationReport } from '../simulation/report.js';
import { actualResult } from '../simulation/result.js';
import type { RecordedCase } from '../simulation/recorded.js';
import type { SimulationPolicies, Simulator } from '../simulation/engine.js';
import type { PolicySimulationActivities } from './contract.js';

export interface PolicySimulationPorts {
  jobs: Pick<PolicySimulations, 'byId' | 'started' | 'progress' | 'finished' | 'failed' | 'attemptFailed' | 'actualCases'>;
  /** The merchant's recorded cases opened in [from, to), with the stages each went through. */
  recordedCases(q: { merchantId: string; from: Date; to: Date }): Promise<RecordedCase[]>;
  /** A stored policy version with its fulfilment rules. */
  policyVersion(merchantId: string, version: number): Promise<SimulationPolicies | null>;
  startSimulator(): Promise<Simulator>;
  /** Cases simulated together (default: the engine's). */
  concurrency?: number;
}

/** How often a running job writes its progress and heartbeats. */
const PROGRESS_EVERY_MS = 1_000;
const HEARTBEAT_EVERY_MS = 10_000;

export function createPolicySimulationActivities(ports: PolicySimulationPorts): PolicySimulationActivities {
  return {
    async simulatePolicy({ simulationId }) {
      const job = await ports.jobs.byId(simulationId);
      if (!job) throw new Error(`no policy simulation ${simulationId}`);
      if (job.status === 'DONE') {
        const report = job.result as SimulationReport;
        return { cases: report.cases, changed: report.counts.changed };
      }
      const baseline = await ports.policyVersion(job.merchantId, job.baseVersion);
      if (!baseline) throw new Error(`merchant ${job.merchantId} has no policy version ${job.baseVersion}`);
      const stored = job.candidate as { rules: unknown; businessHours: unknown; fulfilment: unknown };
      const candidate = parsePolicyVersion(stored, job.baseVersion + 1);
      if (!candidate.policy) throw new Error(`the stored candidate is not a valid policy: ${candidate.problems.map((p) => `${p.field} ${p.reason}`).join('; ')}`);

      const cases = await ports.recordedCases({ merchantId: job.merchantId, from: job.from, to: job.to });
      const attempt = attemptNumber();
      // A retry keeps saying why the attempt before it failed: never RUNNING 0/N with no word.
      await ports.jobs.started(simulationId, 2 * cases.length, attempt > 1 && job.error ? `${job.error}; retrying (attempt ${attempt})` : null);
      const beat = setInterval(() => heartbeat(), HEARTBEAT_EVERY_MS);
      // A cancelled attempt (the job's timeout reported through a heartbeat, the worker stopping)
      // ends its simulator at once, whatever it is doing: a retry starts another, and two would
      // share the machine's cores and memory.
      const cancelled = cancellationSignal();
      let simulator: Simulator | undefined;
      let closing: Promise<void> | undefined;
      const close = () => (closing ??= simulator?.close().catch(() => undefined) ?? Promise.resolve());
      cancelled?.addEventListener('abort', close, { once: true });
      try {
        simulator = await ports.startSimulator();
        if (cancelled?.aborted) void close();
        let written = 0;
        const progress = (done: number) => {
          heartbeat(done);
          if (Date.now() - written < PROGRESS_EVERY_MS && done < 2 * cases.length) return;
          written = Date.now();
          void ports.jobs.progress(simulationId, done).catch(() => undefined); // progress is best effort; the report is not
        };
        const options = (offset: number) => ({ ...(ports.concurrency ? { concurrency: ports.concurrency } : {}), onProgress: (done: number) => progress(offset + done) });
        const before = await simulator.run(cases, baseline, options(0));
        const after = await simulator.run(cases, { policy: candidate.policy, ...(candidate.fulfilment ? { fulfilment: candidate.fulfilment } : {}) }, options(cases.length));
        // The cases as they really went, which also give each case's type for the report.
        const facts = await ports.jobs.actualCases(cases.map((c) => c.caseId));
        const types = new Map(facts.map((f) => [f.caseId, f.workflowType]));
        const report = compareRuns(before, after, job.changes as PolicyChange, types, new Map(facts.map((f) => [f.caseId, actualResult(f)])));
        await ports.jobs.progress(simulationId, 2 * cases.length);
        await ports.jobs.finished(simulationId, report);
        return { cases: report.cases, changed: report.counts.changed };
      } catch (err) {
        // A run ended by the cancellation fails as cancelled, not as a broken simulator.
        const failure = cancelled?.aborted ? (cancelled.reason ?? err) : err;
        // Said on the job at once: the workflow marks it FAILED only after the last attempt.
        await ports.jobs.attemptFailed(simulationId, `attempt ${attempt} failed: ${reasonOf(failure)}`).catch(() => undefined);
        throw failure;
      } finally {
        clearInterval(beat);
        cancelled?.removeEventListener('abort', close);
        if (simulator) await close();
      }
    },

    async markPolicySimulationFailed({ simulationId, error }) {
      await ports.jobs.failed(simulationId, error);
    },
  };
}

/** Which attempt of the activity this is; 1 outside an activity. */
function attemptNumber(): number {
  try {
    return Context.current().info.attempt;
  } catch {
    return 1;
  }
}

/** An error's message, or what else was thrown, in words (never "{}"). */
function reasonOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return typeof err === 'string' ? err : JSON.stringify(err) ?? String(err);
}

/** The activity's cancellation; none outside an activity (a direct call in a test or a bench). */
function cancellationSignal(): AbortSignal | undefined {
  try {
    return Context.current().cancellationSignal;
  } catch {
    return undefined;
  }
}

/** Outside an activity (a direct call in a test or a bench) there is nothing to heartbeat. */
function heartbeat(details?: unknown): void {
  try {
    Context.current().heartbeat(details);
  } catch {
    /* not in an activity */
  }
}
