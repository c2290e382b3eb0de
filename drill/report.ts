/** The drill's result: one object (for the test and --json) and the table a person reads. */
import type { ClientStats } from './client.js';
import type { KillRecord } from './chaos.js';
import type { Provider } from './stubs.js';
import type { Finding, Verification } from './verify.js';

export interface ProcessFigures {
  name: string;
  kills: number;
  /** Kills at a trigger's moment (worker: refund in flight; API: opening in flight) rather than at random. */
  targetedKills: number;
  starts: number;
  unexpectedExits: number;
  /** Longest time from a kill until the process was ready again. */
  maxDownMs: number;
}

export interface DrillSummary extends Verification {
  ok: boolean;
  seed: number;
  cases: number;
  concurrency: number;
  withReference: boolean;
  killsPlanned: number;
  wallMs: number;
  processes: ProcessFigures[];
  kills: KillRecord[];
  providers: { requests: Record<string, number>; replays: Record<Provider, number>; keyConflicts: number; badSignatures: number; messages: number };
  client: ClientStats;
  duplicates: number;
  losses: number;
  notEnded: number;
  protocol: number;
  /** Set when the drill itself could not run (setup failed, kills not carried out): not a platform finding. */
  drillError?: string;
  /** Where the processes' logs are (kept when the drill failed). */
  logsDir?: string;
}

export function tally(findings: Finding[]) {
  const count = (k: Finding['kind']) => findings.filter((f) => f.kind === k).length;
  return { duplicates: count('DUPLICATE'), losses: count('LOSS'), notEnded: count('NOT_ENDED'), protocol: count('PROTOCOL') };
}

function table(head: string[], rows: Array<Array<string | number>>): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n');
}

const money = (minor: number) => (minor / 100).toFixed(2);

export function formatSummary(s: DrillSummary): string {
  const out: string[] = [];
  out.push(`crash drill: ${s.cases} cases, concurrency ${s.concurrency}, ${s.killsPlanned} kills planned per process, seed ${s.seed}, openings ${s.withReference ? 'with reference + ' : ''}Idempotency-Key, wall time ${(s.wallMs / 1000).toFixed(1)} s`);
  out.push('');
  out.push(
    table(
      ['case type', 'cases', 'ended', 'refunds due', 'provider', 'ledger', 'claims due', 'provider', 'ledger'],
      [
        ...s.types.map((t) => [t.type, t.cases, t.ended, t.refundsDue, t.providerRefunds, t.ledgerRefunds, t.claimsDue, t.providerClaims, t.ledgerRecoveries]),
        [
          'total',
          ...(['cases', 'ended', 'refundsDue', 'providerRefunds', 'ledgerRefunds', 'claimsDue', 'providerClaims', 'ledgerRecoveries'] as const).map((k) => s.types.reduce((n, t) => n + t[k], 0)),
        ],
      ],
    ),
  );
  out.push('');
  out.push(
    table(
      ['process', 'SIGKILLs', 'at its dangerous moment', 'starts', 'exits on its own', 'longest down (s)'],
      s.processes.map((p) => [p.name, p.kills, p.targetedKills, p.starts, p.unexpectedExits, (p.maxDownMs / 1000).toFixed(1)]),
    ),
  );
  out.push(`kills (at share of client calls done): ${s.kills.map((k) => `${k.process} ${Math.round(k.progress * 100)} %${k.moment === 'random' ? '' : ` (${k.moment})`}`).join(', ') || 'none'}`);
  out.push('');
  out.push(`end states: ${Object.entries(s.endStates).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const m = s.money;
  out.push(`refunds: provider ${m.providerRefunds} (${money(m.providerRefundedMinor)}), ledger ${m.ledgerRefunds} (${money(m.ledgerRefundedMinor)}) — ${m.agree ? 'agree' : 'DISAGREE'}`);
  out.push(`claims: filed ${m.providerClaims} (${money(m.claimedMinor)}), recoveries booked ${m.ledgerRecoveries} (${money(m.recoveredMinor)})`);
  const r = s.providers.replays;
  out.push(`providers: ${Object.entries(s.providers.requests).map(([k, v]) => `${k} ${v}`).join(', ')} requests; idempotent replays payment ${r.payment}, courier ${r.courier}, notifier ${r.notifier}, warehouse ${r.warehouse}; key conflicts ${s.providers.keyConflicts}; bad signatures ${s.providers.badSignatures}`);
  const c = s.client;
  out.push(`clients: ${c.requests} requests, ${c.retries} retried with the same Idempotency-Key (${c.connectionErrors} connection errors, ${c.http5xx} 5xx, ${c.http429} 429, ${c.inProgress} 409 in progress), ${c.replayed} answered from the API's idempotency record, ${c.takenEarlier} commands found already taken (409/404 after a retry)`);
  out.push('');
  out.push(`duplicates ${s.duplicates}   losses ${s.losses}   not ended ${s.notEnded}   protocol ${s.protocol}`);
  for (const f of s.findings.slice(0, 50)) out.push(`  ${f.kind.padEnd(9)} ${f.type ?? ''} ${f.caseId ? `case ${f.caseId}` : ''} ${f.step ? `[${f.step}]` : ''} ${f.detail}`.replace(/ +/g, ' '));
  if (s.findings.length > 50) out.push(`  … and ${s.findings.length - 50} more (--json lists all)`);
  if (s.drillError) out.push(`drill error: ${s.drillError}`);
  if (s.logsDir) out.push(`process logs: ${s.logsDir}`);
  out.push(s.ok ? 'RESULT: PASS — every case ended, every refund and claim exactly once on both sides' : 'RESULT: FAIL');
  return out.join('\n');
}
