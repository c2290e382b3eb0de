/**
 * The policy what-if engine: runs recorded cases' real workflows from the start under a given
 * policy on an in-process time-skipping dev server, with a worker of its own whose activities
 * write nowhere real (simulation/in-memory-activities.ts), and sends every recorded input again at
 * its recorded offset from the opening (simulation/recorded.ts explains the clock).
 *
 * An input the workflow refuses now (its update validator, or the case has closed) is dropped and
 * the case marked diverged; a recorded refusal that is taken now is delivered and counted; waits
 * history has no answer for run on to the policy's default and the case is marked assumed
 * (simulation/result.ts). Cases run in batches of `concurrency`, each batch on the same clock.
 */
import { fileURLToPath } from 'node:url';
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { InternalConnectionOptionsSymbol } from '@temporalio/client/lib/connection.js';
import { NativeConnection, Worker, type InjectedSinks, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { registerCaseSearchAttributes } from '../app/search-attributes.js';
import { startDevServer, type DevServer } from '../devserver/src/index.js';
import { openingInput, type TimedInput } from '../domain/case-inputs.js';
import type { FulfilmentPolicy } from '../domain/fulfilment/index.js';
import type { Policy } from '../domain/policy.js';
import { caseWorkflowBundle } from '../worker/workflow-bundle.js';
import { caseWorkflowId } from '../workflows/contract.js';
import { InMemoryCaseActivities, routedActivities, runAt, simulatedTimeInterceptor } from './in-memory-activities.js';
import { DAY_MS, shiftInstants, shiftPolicyCalendar, simulatedWorkflowId, weekShift, type RecordedCase } from './recorded.js';
import { inProcessConnection } from './in-process-connection.js';
import { caseResult, type CaseResult, type DroppedInput } from './result.js';
import type { SimulationSinks } from './simulated-time.js';

export interface SimulationPolicies {
  policy: Policy;
  /** The fulfilment rules of the same version, for the case types that take them. */
  fulfilment?: FulfilmentPolicy;
}

export interface SimulationOptions {
  /** Cases simulated together (one batch on the clock at a time). Default 50. */
  concurrency?: number;
  /** How long after its last recorded input a case may run on before it counts as unfinished. Default 120 days. */
  runOnDays?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * Called each time a batch's clock has moved (an input's instant reached, a run-on step done):
   * the run is alive even while no batch finishes (simulation/process.ts ends one that stops moving).
   */
  onClockMoved?: () => void;
}

export interface Simulator {
  run(cases: readonly RecordedCase[], policies: SimulationPolicies, options?: SimulationOptions): Promise<CaseResult[]>;
  /** Stops the worker and the dev server. */
  close(): Promise<void>;
}

/** Time left between reading the clock and the first opening of a batch (starting a workflow takes a moment). */
const START_MARGIN_MS = 60_000;
const RUN_ON_STEP_MS = 7 * DAY_MS;

let bundled: Promise<WorkflowBundleWithSourceMap> | undefined;
/** The case workflows, bundled once per process, with stack traces off (worker/no-stack-traces.ts). */
function simulatedCaseWorkflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  // Activities run as local activities or sink calls: no dev-server round trip per in-memory call.
  bundled ??= caseWorkflowBundle({ stackTraces: false, interceptorModules: [fileURLToPath(new URL('./local-activities.ts', import.meta.url))] });
  return bundled;
}

export interface SimulatorOptions {
  /**
   * Dev servers (each with its own clock and worker) that run batches side by side. A batch moves
   * its one clock from input to input and waits for the workflows at every step, so a single
   * clock leaves the machine mostly waiting; independent clocks overlap those waits. Default 1.
   */
  shards?: number;
  /**
   * Runs the workflow sandbox without the SDK's deadlock timeout. Node starts a watchdog thread for
   * every timed call into a sandbox, about a tenth of a simulation's time; but without it a
   * workflow caught in a loop is never stopped. Only where the whole process can be killed from
   * outside when cases stop moving: the simulator's own process (simulation/process.ts).
   */
  unguardedSandbox?: boolean;
}

/**
 * A worker whose workflow sandbox runs without the deadlock timeout (`unguardedSandbox`): the SDK
 * hands `isolateExecutionTimeoutMs` to `vm` as each call's `timeout`, where undefined means none
 * (its option type says number, so the cast).
 */
class UnguardedWorker extends Worker {
  protected static override createWorkflowCreator(...[bundle, options, logger]: Parameters<typeof Worker.createWorkflowCreator>) {
    return super.createWorkflowCreator(bundle, { ...options, isolateExecutionTimeoutMs: undefined as unknown as number }, logger);
  }
}

/** Starts dev servers and workers for simulations; reuse the simulator for several runs (baseline and candidate), then close it. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  // Every shard routes to the same stores: what other cases of a run refunded on an order is seen across shards.
  const stores = new Map<string, InMemoryCaseActivities>();
  // Parcels and orders of the run's cases, so a provider's answer is charged to the case it was for.
  const providerKeys = new Map<string, string>();
  const shards: Shard[] = [];
  try {
    for (let n = 0; n < Math.max(1, options.shards ?? 1); n++) shards.push(await startShard(stores, (key) => stores.get(providerKeys.get(key) ?? ''), options.unguardedSandbox ? UnguardedWorker : Worker));
  } catch (err) {
    await Promise.all(shards.map((s) => s.close()));
    throw err;
  }
  let runs = 0;
  return {
    async run(cases, policies, runOptions = {}) {
      const run = ++runs;
      // A run sees only its own cases (what other cases refunded on an order: routedActivities).
      stores.clear();
      providerKeys.clear();
      const size = Math.max(1, runOptions.concurrency ?? 50);
      const batches: Array<Array<{ recorded: RecordedCase; simulatedCaseId: string }>> = [];
      for (let from = 0; from < cases.length; from += size) batches.push(cases.slice(from, from + size).map((c, n) => ({ recorded: c, simulatedCaseId: `sim${run}-${from + n}-${c.caseId}` })));
      for (const batch of batches) {
        for (const b of batch) {
          const store = new InMemoryCaseActivities();
          // From the start of the run: a case of the same order in an earlier batch may borrow them.
          store.recordedDispatch = b.recorded.warehouseAnswers ?? [];
          store.recordedTraces = b.recorded.courierAnswers ?? [];
          store.recordedCorrections = b.recorded.parcelCorrections ?? {};
          stores.set(b.simulatedCaseId, store);
          for (const key of providerKeysOf(b.recorded)) providerKeys.set(key, b.simulatedCaseId);
        }
      }
      const results: CaseResult[][] = [];
      let next = 0;
      let done = 0;
      // Each shard takes the next batch when it is free; results keep the cases' order.
      await Promise.all(
        shards.map(async (shard) => {
          while (next < batches.length) {
            const index = next++;
            results[index] = await runBatch({ ...shard, batch: batches[index]!, policies, stores, runOnMs: (runOptions.runOnDays ?? 120) * DAY_MS, onClockMoved: runOptions.onClockMoved });
            done += batches[index]!.length;
            runOptions.onProgress?.(done, cases.length);
          }
        }),
      );
      return results.flat();
    },
    async close() {
      await Promise.all(shards.map((s) => s.close()));
    },
  };
}

/** The parcels (every tracking number in its opening and inputs) and the order a recorded case names. */
function providerKeysOf(c: RecordedCase): string[] {
  const keys: string[] = [];
  const order = c.opening.order as { orderId?: unknown } | undefined;
  if (typeof order?.orderId === 'string') keys.push(`dispatch:${order.orderId}`);
  const visit = (v: unknown, name = ''): void => {
    if (typeof v === 'string' && /tracking/i.test(name)) keys.push(`trace:${v}`);
    else if (Array.isArray(v)) v.forEach((x) => visit(x, name));
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) visit(x, k);
  };
  visit(c.opening);
  for (const i of c.timeline) visit(i.arg);
  return keys;
}

interface Shard {
  client: Client;
  clock: TestClock;
  taskQueue: string;
  close(): Promise<void>;
}

/** One dev server with its worker, whose activities write to the case's store in `stores`. */
async function startShard(
  stores: Map<string, InMemoryCaseActivities>,
  caseOfProvider: (key: string) => InMemoryCaseActivities | undefined,
  WorkerClass: typeof Worker,
): Promise<Shard> {
  // Frozen time: every case sees exactly the instants it is driven to, however loaded the machine.
  const server: DevServer = await startDevServer({ port: 0, timeSkipping: true, frozenTime: true, logLevel: 'error' });
  const internal = { [InternalConnectionOptionsSymbol]: { supportsTestService: true } };
  let native: NativeConnection | undefined;
  let connection: Connection | undefined;
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  try {
    native = await NativeConnection.connect({ address: server.address, ...internal });
    connection = inProcessConnection(server);
    await registerCaseSearchAttributes(connection, 'default');
    const taskQueue = 'policy-simulation';
    // Every case of the current run has its store. A workflow of an earlier run still going (a case
    // left unfinished, a claim that outlives its case) writes to a store of its own that no one
    // reads: kept in `stores`, its refunds would count as this run's on the same order.
    const caseOf = (caseId: string) => stores.get(caseId) ?? new InMemoryCaseActivities();
    const activities = routedActivities(caseOf, () => stores.values(), caseOfProvider);
    worker = await WorkerClass.create({
      connection: native,
      taskQueue,
      workflowBundle: await simulatedCaseWorkflowBundle(),
      activities,
      interceptors: { activity: [simulatedTimeInterceptor] },
      sinks: writeSinks(activities),
    });
    running = worker.run();
    return { client: new Client({ connection }), clock: testClock(connection), taskQueue, close: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }

  async function stopAll() {
    if (worker?.getState() === 'RUNNING') worker.shutdown();
    await running?.catch(() => undefined);
    await connection?.close().catch(() => undefined);
    await native?.close().catch(() => undefined);
    await server.stop();
  }
}

/**
 * The write-only activities, reached as sink calls (simulation/local-activities.ts). The worker
 * starts an activation's sink calls all at once; chaining them per run keeps a case's writes in the
 * order its workflow made them, as activities awaited one after another would.
 */
function writeSinks(activities: ReturnType<typeof routedActivities>): InjectedSinks<SimulationSinks> {
  const lastWrite = new Map<string, Promise<unknown>>();
  return {
    simulation: {
      write: {
        async fn(info, activityType, at, args) {
          const write = (activities as unknown as Record<string, (...a: unknown[]) => Promise<void>>)[activityType]!;
          const previous = lastWrite.get(info.runId) ?? Promise.resolve();
          // A failed write is the worker's to log (it logs what a sink throws); the next one still runs.
          const done = previous.then(() => runAt(at, () => write(...args)));
          const settled = done.catch(() => undefined);
          lastWrite.set(info.runId, settled);
          try {
            await done;
          } finally {
            if (lastWrite.get(info.runId) === settled) lastWrite.delete(info.runId);
          }
        },
      },
    },
  };
}

interface TestClock {
  now(): Promise<number>;
  /** Lets virtual time run to `at` (timers fire on the way); returns at once if it is there already. */
  runTo(at: number): Promise<void>;
}

function testClock(connection: Connection): TestClock {
  // The shard's server runs frozen and locked (startShard): its clock moves only inside our
  // sleeps, and a sleep ends exactly at its instant. So after the first reading the time is known
  // here, which saves a round trip per step.
  let known: number | undefined;
  const now = async () => {
    if (known !== undefined) return known;
    const { time } = await connection.testService!.getCurrentTime({});
    return (known = Number(time?.seconds ?? 0) * 1000 + Math.floor((time?.nanos ?? 0) / 1e6));
  };
  return {
    now,
    async runTo(at) {
      const ms = at - (await now());
      if (ms <= 0) return;
      known = undefined; // if the sleep fails half way, read the clock again
      await connection.testService!.unlockTimeSkippingWithSleep({ duration: { seconds: Math.floor(ms / 1000) as never, nanos: (ms % 1000) * 1e6 } });
      known = at;
    },
  };
}

interface CaseRun {
  recorded: RecordedCase;
  simulatedCaseId: string;
  outcome: string;
  error?: string;
  settled: boolean;
  dropped: DroppedInput[];
  formerlyRefusedAccepted: Array<{ afterMs: number; kind: string }>;
}

type Delivery = { at: number; run: CaseRun; input?: TimedInput };

async function runBatch(ctx: {
  client: Client;
  clock: TestClock;
  taskQueue: string;
  batch: Array<{ recorded: RecordedCase; simulatedCaseId: string }>;
  policies: SimulationPolicies;
  stores: Map<string, InMemoryCaseActivities>;
  runOnMs: number;
  onClockMoved?: (() => void) | undefined;
}): Promise<CaseResult[]> {
  const { client, clock, batch } = ctx;
  const shift = weekShift(
    batch.map((b) => b.recorded.openedAt),
    (await clock.now()) + START_MARGIN_MS,
  );
  const policies = { policy: shiftPolicyCalendar(ctx.policies.policy, shift), ...(ctx.policies.fulfilment ? { fulfilment: ctx.policies.fulfilment } : {}) };
  const runs: CaseRun[] = batch.map((b) => ({ ...b, outcome: 'UNFINISHED', settled: false, dropped: [], formerlyRefusedAccepted: [] }));
  // Each case's clock shift: what the warehouse told a real case (its store's `recordedDispatch`, on
  // the recorded clock) is heard by time and moved with the clock as the inputs are.
  for (const b of batch) ctx.stores.get(b.simulatedCaseId)!.clockShift = shift;
  // Every opening and input of the batch on one schedule, in recorded order (stable sort).
  const deliveries: Delivery[] = runs
    .flatMap((run): Delivery[] => [
      { at: run.recorded.openedAt + shift, run },
      ...run.recorded.timeline.map((input) => ({ at: run.recorded.openedAt + input.afterMs + shift, run, input })),
    ])
    .sort((a, b) => a.at - b.at);

  for (const d of deliveries) {
    await clock.runTo(d.at);
    ctx.onClockMoved?.();
    if (d.input) await deliver(d.run, d.input);
    else await open(d.run);
  }
  // After history: each case runs on by its deadlines until it ends.
  const lastAt = deliveries.at(-1)?.at ?? 0;
  while (!runs.every((r) => r.settled) && (await clock.now()) < lastAt + ctx.runOnMs) {
    await clock.runTo((await clock.now()) + RUN_ON_STEP_MS);
    ctx.onClockMoved?.();
  }

  return runs.map((run) =>
    caseResult({
      caseId: run.recorded.caseId,
      simulatedCaseId: run.simulatedCaseId,
      workflowType: run.recorded.workflowType,
      openedAt: run.recorded.openedAt + shift,
      opening: run.recorded.opening,
      outcome: run.outcome,
      error: run.error,
      store: ctx.stores.get(run.simulatedCaseId)!,
      dropped: run.dropped,
      formerlyRefusedAccepted: run.formerlyRefusedAccepted,
      recordedKinds: new Set(run.recorded.timeline.map((i) => i.kind)),
      recordedStages: run.recorded.recordedStages,
    }),
  );

  async function open(run: CaseRun): Promise<void> {
    const workflowId = caseWorkflowId(run.simulatedCaseId);
    const input = openingInput(shiftInstants({ ...run.recorded.opening, caseId: run.simulatedCaseId }, shift), policies);
    try {
      const handle = await client.workflow.start(run.recorded.workflowType, { taskQueue: ctx.taskQueue, workflowId, args: [input] });
      void handle
        .result()
        .then(
          (outcome) => void (run.outcome = String(outcome)),
          (err: Error) => {
            run.outcome = 'FAILED';
            run.error = (err.cause as Error | undefined)?.message ?? err.message;
          },
        )
        .finally(() => (run.settled = true));
    } catch (err) {
      Object.assign(run, { outcome: 'FAILED', error: (err as Error).message, settled: true });
    }
  }

  /** The stage the simulated case is at (its latest step's). */
  function stageOf(run: CaseRun): string {
    return [...(ctx.stores.get(run.simulatedCaseId)?.transitions ?? [])].sort((a, b) => a.version - b.version).at(-1)?.stage ?? 'OPENED';
  }

  async function deliver(run: CaseRun, input: TimedInput): Promise<void> {
    const workflowId = simulatedWorkflowId(input.workflowId, run.recorded.caseId, run.simulatedCaseId);
    const arg = shiftInstants(input.arg, shift);
    let refusal: string | undefined;
    try {
      const handle = client.workflow.getHandle(workflowId);
      if (input.via === 'UPDATE') await handle.executeUpdate(input.kind, { args: [arg] });
      else if (input.via === 'SIGNAL') await handle.signal(input.kind, arg);
      else refusal = `not sent: ${input.via} inputs are not replayed`;
    } catch (err) {
      refusal = refusalReason(err, workflowId === caseWorkflowId(run.simulatedCaseId) || run.settled, input.kind, stageOf(run));
    }
    if (refusal !== undefined && input.outcome === 'ACCEPTED') run.dropped.push({ afterMs: input.afterMs, kind: input.kind, reason: refusal, stage: stageOf(run) });
    if (refusal === undefined && input.outcome === 'REFUSED') run.formerlyRefusedAccepted.push({ afterMs: input.afterMs, kind: input.kind });
  }
}

/**
 * What an input a stage takes no handler for says when refused: the SDK's own words ("No registered
 * handler for update: …") name its machinery, not the case. By input; others say the stage.
 */
const NO_HANDLER_REASONS: Record<string, (stage: string) => string> = {
  correctFollowedParcel: (stage) => `the case does not follow a parcel at stage ${stage}: nothing to correct`,
  courierEvent: (stage) => `the case does not follow a parcel at stage ${stage}`,
};

/** Why the workflow did not take an input, in the API's words where it has some, else the stage it was at. */
export function refusalReason(err: unknown, caseWorkflow: boolean, kind: string, stage: string): string {
  const e = err as Error & { cause?: Error };
  const message = e.cause?.message ?? e.message;
  if (err instanceof WorkflowNotFoundError || /already completed|not found/i.test(message)) {
    return caseWorkflow ? 'the case is closed' : 'the process it was for does not exist on this path';
  }
  // The workflow never set a handler for it on this path, or not yet, or no more.
  if (/no registered handler for (update|signal)/i.test(message)) return NO_HANDLER_REASONS[kind]?.(stage) ?? `the case takes no ${kind} at stage ${stage}`;
  return message;
}
