/**
 * `npm run drill`, short: 12 cases of every type the drill drives, each of the worker, the API and
 * the dev server SIGKILLed once while the clients work, and the summary must show every case ended
 * with no duplicate and no loss of money. A few minutes on a busy 2-core machine: the drill's own
 * waits are bounded (`--patience-seconds`), and whatever happens the drill kills what it started
 * and drops its database (run() cleans up; afterAll aborts a drill a timeout left running).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { parseDrillArgs } from '../../drill/main.js';
import { formatSummary } from '../../drill/report.js';
import { Drill } from '../../drill/run.js';

const lines: string[] = [];
const options = { ...parseDrillArgs(['--cases', '12', '--concurrency', '4', '--kills', '1', '--patience-seconds', '150']), log: (l: string) => void lines.push(l) };
let drill: Drill | undefined;

afterAll(async () => {
  await drill?.abort();
}, 120_000);

describe('the crash drill (short)', () => {
  it('kills each process once mid-run: every case ends, every refund and claim happens exactly once at the provider and in the ledger', async () => {
    drill = new Drill(options);
    const summary = await drill.run();
    const report = `${formatSummary(summary)}\n${lines.join('\n')}`;
    expect({ duplicates: summary.duplicates, losses: summary.losses, notEnded: summary.notEnded, protocol: summary.protocol, drillError: summary.drillError }, report).toEqual({
      duplicates: 0,
      losses: 0,
      notEnded: 0,
      protocol: 0,
      drillError: undefined,
    });
    expect(summary.ok, report).toBe(true);
    expect(summary.processes.map((p) => [p.name, p.kills]), report).toEqual([
      ['devserver', 1],
      ['worker', 1],
      ['api', 1],
    ]);
    expect(summary.types.length).toBeGreaterThanOrEqual(5);
    expect(summary.types.reduce((n, t) => n + t.ended, 0)).toBe(12);
    expect(summary.money.agree).toBe(true);
    expect(summary.money.providerRefunds).toBe(summary.types.reduce((n, t) => n + t.refundsDue, 0));
    expect(summary.money.ledgerRecoveries).toBe(summary.types.reduce((n, t) => n + t.claimsDue, 0));
  }, 15 * 60_000);
});
