/**
 * Kills the worker, the API and the dev server with SIGKILL while the clients drive cases, each
 * `kills` times, and restarts each after a short pause (the dev server on the same port and file).
 *
 * When: each kill has a random point of the drill's progress (share of client calls done, between
 * 10 % and 85 %), so kills land while cases are in every stage, spread over the run whatever its
 * speed; at that point a random jitter, then the kill — of a process that is up (killing one that is
 * still starting proves less). One kill in three of a process with a trigger waits (briefly) for
 * its most dangerous moment instead: the worker while a refund call is in flight at the payment
 * stub (the provider has paid, the worker dies before it hears so), the API while an opening is in
 * flight (the case may be started and the answer never sent) — the windows exactly-once must survive.
 */
import type { ManagedProcess, ProcessName } from './processes.js';
import { between, pause, type Rng } from './util.js';

export interface KillRecord {
  process: ProcessName;
  /** Share of client calls done when it was killed. */
  progress: number;
  at: number;
  /** 'random', or the trigger's moment it waited for (e.g. 'refund-in-flight'). */
  moment: string;
  /** From the kill until the process was ready again. */
  downMs?: number;
}

interface PlannedKill {
  process: ProcessName;
  atProgress: number;
  targeted: boolean;
  done: boolean;
}

/** A dangerous moment of one process: `arm` calls `fire` when it comes (once) and returns a disarm function. */
export interface KillTrigger {
  moment: string;
  arm(fire: () => void): () => void;
  /** How long after the moment to kill (ms): e.g. to let a request get inside the handler. */
  delayMs?: () => number;
}

export class Chaos {
  readonly kills: KillRecord[] = [];
  private readonly plan: PlannedKill[] = [];
  private readonly busy = new Set<ProcessName>();
  private running = false;
  /** Set once the clients are done: kills still owed happen at once (claims and revisits still run). */
  private force = false;
  private loop: Promise<void> = Promise.resolve();

  constructor(
    private readonly processes: ManagedProcess[],
    killsEach: number,
    private readonly rng: Rng,
    private readonly progress: () => number,
    private readonly triggers: Partial<Record<ProcessName, KillTrigger>>,
  ) {
    for (const p of processes) {
      const points = Array.from({ length: killsEach }, () => 0.1 + rng() * 0.75).sort((a, b) => a - b);
      points.forEach((atProgress, i) => this.plan.push({ process: p.name, atProgress, targeted: !!triggers[p.name] && i % 3 === 0, done: false }));
    }
  }

  get pendingKills(): number {
    return this.plan.filter((k) => !k.done).length;
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        for (const k of this.plan) {
          const p = this.processes.find((x) => x.name === k.process)!;
          if (!k.done && !this.busy.has(k.process) && p.state === 'ready' && (this.force || this.progress() >= k.atProgress)) {
            k.done = true;
            this.busy.add(k.process);
            void this.killAndRestart(p, k).finally(() => this.busy.delete(k.process));
          }
        }
        await pause(100);
      }
    })();
  }

  /** Carries out the kills still owed (bounded by `timeoutMs`) and waits until every process is back. */
  async finish(timeoutMs: number): Promise<void> {
    this.force = true;
    const until = Date.now() + timeoutMs;
    while ((this.pendingKills > 0 || this.busy.size > 0) && Date.now() < until) await pause(100);
  }

  /** Stops planning kills and waits for restarts under way (processes end up running). */
  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    while (this.busy.size) await pause(100);
  }

  private async killAndRestart(p: ManagedProcess, k: PlannedKill): Promise<void> {
    await pause(between(this.rng, 0, 1_500));
    // It may have died on its own meanwhile (a supervisor restart): kill it once it is up again.
    while (p.state !== 'ready' && this.running) await pause(100);
    let moment = 'random';
    const trigger = this.triggers[p.name];
    if (k.targeted && trigger) {
      // Up to 5 s for the moment to come; otherwise the kill stays a random one.
      let disarm = () => {};
      const came = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), 5_000);
        disarm = trigger.arm(() => {
          clearTimeout(timer);
          resolve(true);
        });
      });
      disarm();
      if (came) {
        moment = trigger.moment;
        const delay = trigger.delayMs?.() ?? 0;
        if (delay > 0) await pause(delay);
      }
    }
    const record: KillRecord = { process: p.name, progress: this.progress(), at: Date.now(), moment };
    this.kills.push(record);
    await p.kill();
    await pause(between(this.rng, 300, 2_000));
    p.start();
    while (p.state !== 'ready' && this.running) await pause(100);
    if (p.state === 'ready') record.downMs = Date.now() - record.at;
  }
}
