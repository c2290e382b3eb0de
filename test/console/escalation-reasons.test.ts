/**
 * Why an escalated case is escalated, as its page says it (console/src/lib/escalations.ts): a case
 * escalated a second time has two ESCALATED steps, and the page showed only the newer reason (the
 * case view's `escalation` names one step). Every reason since the escalation was last cleared is
 * listed, oldest first, each with when and by whom. Pure console module, imported directly.
 */
import { describe, expect, it, vi } from 'vitest';
import { escalationReasons, type Step } from '../../console/src/lib/escalations.js';

// The reader's language, switched per test (the console keeps it in a Svelte state module).
const lang = vi.hoisted(() => ({ current: 'en' as 'en' | 'zh-CN' }));
vi.mock('../../console/src/lib/i18n/lang.svelte.ts', () => ({ LANGS: ['zh-CN', 'en'], currentLang: () => lang.current, setLang: (l: 'en' | 'zh-CN') => (lang.current = l) }));

const at = (minute: number) => new Date(Date.UTC(2026, 11, 7, 9, minute)).toISOString();
const step = (kind: string, minute: number, actor: string | null, data: unknown = {}): Step => ({ kind, at: at(minute), actor, data });

describe('the reasons an escalated case is escalated', () => {
  it('lists every escalation since the last clearing, oldest first, with when and by whom', () => {
    const timeline = [
      step('OPENED', 0, 'storefront:k-1'),
      step('ESCALATED', 1, 'agent:k-a', { reason: 'cleared long ago' }),
      step('ESCALATION_CLEARED', 2, 'supervisor:k-s', { note: 'dealt with' }),
      step('ESCALATED', 3, 'agent:k-a', { reason: 'The customer called twice' }),
      step('NOTE_ADDED', 4, 'agent:k-b', { text: 'x' }),
      step('ESCALATED', 5, 'agent:k-b', { reason: 'Still no refund' }),
    ];
    // The view names the latest person's step only.
    const view = { kind: 'ESCALATED', at: at(5), actor: 'agent:k-b', reason: 'Still no refund', rule: null, outcome: null };
    const reasons = escalationReasons(timeline, view);
    expect(reasons.map((r) => [r.reason, r.at, r.actor])).toEqual([
      ['The customer called twice', at(3), 'agent:k-a'],
      ['Still no refund', at(5), 'agent:k-b'],
    ]);
  });

  it('keeps the step that escalated it first (a hand-over to an agent) before the people who escalated it after', () => {
    const timeline = [step('OPENED', 0, null), step('COUNT_MISMATCH', 1, null), step('ESCALATED', 3, 'agent:k-a', { reason: 'agent:k-a: asked twice already' })];
    const view = { kind: 'COUNT_MISMATCH', at: at(1), actor: null, reason: null, rule: null, outcome: null };
    expect(escalationReasons(timeline, view).map((r) => [r.kind, r.reason])).toEqual([
      ['COUNT_MISMATCH', null],
      // An older step's reason carries its actor in front: the reason as written.
      ['ESCALATED', 'asked twice already'],
    ]);
  });

  it('says a person gave no reason as none (null), not as their step', () => {
    const reasons = escalationReasons([step('ESCALATED', 1, 'agent:k-a', {})], { kind: 'ESCALATED', at: at(1), actor: 'agent:k-a', reason: null, rule: null, outcome: null });
    expect(reasons).toEqual([{ kind: 'ESCALATED', at: at(1), actor: 'agent:k-a', reason: null, rule: null, outcome: null }]);
  });

  it('says a courier’s report from its data, in the reader’s language and time, not in the English reason', async () => {
    const deliveredAt = Date.UTC(2026, 11, 7, 9, 30);
    const about = { code: 'LOST_PARCEL_DELIVERED', carrier: 'ZTO', trackingNumber: 'ZT100', deliveredAt, done: 'NOTHING_YET', chose: 'REFUND' };
    const timeline = [step('OPENED', 0, null), step('ESCALATED', 40, 'courier:ZTO', { reason: 'the parcel given up as lost (ZTO ZT100) was delivered after all, at 2026-12-07T09:30:00.000Z: …', about })];
    const DESCRIBE = '../../console/src/lib/describe.js';
    const { aboutText } = (await import(/* @vite-ignore */ DESCRIBE)) as { aboutText: (about: unknown) => string | null };
    lang.current = 'zh-CN';
    try {
      const [zh] = escalationReasons(timeline, null, aboutText);
      expect(zh!.reason).toContain('已认定丢失的包裹（中通快递 ZT100）');
      expect(zh!.reason).toContain('尚未补发或退款（顾客已选择退款）');
      expect(zh!.reason).not.toContain('2026-12-07T09:30');
    } finally {
      lang.current = 'en';
    }
    const [en] = escalationReasons(timeline, null, aboutText);
    expect(en!.reason).toMatch(/^The parcel given up as lost \(ZTO Express ZT100\) was delivered after all, at .+: nothing was sent again or refunded yet \(the customer chose the refund\): confirm/);
    // Without data of its own (a person's, or one from before): the reason as written.
    expect(escalationReasons([step('ESCALATED', 1, 'courier:ZTO', { reason: 'as written', about: { code: 'UNKNOWN' } })], null, aboutText)[0]!.reason).toBe('as written');
  });
});

