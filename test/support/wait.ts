/**
 * Tests wait for conditions, never for wall-clock time: a workflow task, an activity or a
 * visibility update can take seconds on a loaded 2-core machine, and no fixed sleep is ever right.
 * `waitUntil` polls a probe until it returns something truthy, with one generous overall limit
 * (`PATIENCE_MS`, 90 s unless TEST_PATIENCE_MS says otherwise) that only a broken test reaches;
 * its error names what never happened, the probe's last answer and its last error. A probe that
 * throws is asked again (the thing may not exist yet), unless it throws `GiveUp`.
 */

/** How long any condition may take before a test gives up on it. */
export const PATIENCE_MS = Number(process.env.TEST_PATIENCE_MS ?? 90_000);

/** Vitest's per-test limit must stay above the patience of a wait, or the wait's message is lost. */
export const TEST_TIMEOUT_MS = PATIENCE_MS + 60_000;

/** Thrown by a probe when waiting longer cannot help (e.g. the process it waits for has exited). */
export class GiveUp extends Error {}

export interface WaitOptions {
  /** Overall limit (default PATIENCE_MS). */
  timeoutMs?: number;
  /** Pause between probes (default 25 ms). */
  intervalMs?: number;
  /** Describes the state when giving up (e.g. the steps seen so far). */
  state?: () => unknown;
}

export async function waitUntil<T>(
  what: string,
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  options: WaitOptions = {},
): Promise<T> {
  const timeoutMs = options.timeoutMs ?? PATIENCE_MS;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await answerBy(deadline, probe, what);
      if (value) return value;
      last = value;
      lastError = undefined;
    } catch (err) {
      if (err instanceof GiveUp) throw err;
      lastError = err;
    }
    if (Date.now() >= deadline) {
      let state = '';
      try {
        const describe = options.state;
        state = describe ? `; ${String(await answerBy(Date.now() + 4000, describe, 'the state'))}` : '';
      } catch (err) {
        state = `; state unavailable: ${String(err)}`;
      }
      const why = lastError ? `last error: ${lastError instanceof Error ? lastError.message : String(lastError)}` : `last answer: ${JSON.stringify(last)}`;
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${why}${state})`);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** The probe's answer, or GiveUp once the deadline passes with the probe still pending (e.g. a query nobody answers). */
async function answerBy<T>(deadline: number, probe: () => T | Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new GiveUp(`timed out waiting for ${what}: the last probe itself never answered (a request that got no reply)`)),
      Math.max(0, deadline - Date.now()) + 1000,
    );
  });
  try {
    return await Promise.race([Promise.resolve().then(probe), late]);
  } finally {
    clearTimeout(timer);
  }
}
