import { describe, expect, it } from 'vitest';
import { defaultPolicy, endOfBusinessDay, explainSolutionDeadline, solutionDeadline, type BusinessCalendar, type Policy, type SameDayMeans } from '../../domain/index.js';

// National Day 2026 (国庆): 1, 2 and 5–7 October off; Sunday 20 September is worked (调休).
const shanghai: BusinessCalendar = {
  timeZone: 'Asia/Shanghai',
  workingDays: [1, 2, 3, 4, 5],
  open: '09:00',
  close: '18:00',
  holidays: ['2026-10-01', '2026-10-02', '2026-10-05', '2026-10-06', '2026-10-07'],
  extraWorkingDays: ['2026-09-20'],
};
const policy = (sameDayMeans?: SameDayMeans, businessHours = shanghai): Policy => {
  const p = defaultPolicy(2);
  const rules = { ...p.rules };
  if (sameDayMeans) rules.sameDayMeans = sameDayMeans;
  else delete rules.sameDayMeans; // as in a version published before the rule
  return { ...p, rules, businessHours };
};
const at = (iso: string) => Date.parse(iso);
const iso = (t: number) => new Date(t).toISOString();

describe('solutionDeadline, BUSINESS_DAY: what every workflow computed before the rule', () => {
  it('is endOfBusinessDay exactly, with the rule absent or set, at every hour of three weeks and the holidays', () => {
    const instants: number[] = [];
    for (let t = at('2026-09-18T00:00:00+08:00'); t < at('2026-10-10T00:00:00+08:00'); t += 60 * 60_000) instants.push(t, t + 1, t - 1);
    for (const t of instants) {
      const before = endOfBusinessDay(shanghai, t);
      expect(solutionDeadline(policy(undefined), t)).toBe(before);
      expect(solutionDeadline(policy('BUSINESS_DAY'), t)).toBe(before);
    }
  });
  it('after closing on Friday: Monday at closing time, said so', () => {
    const e = explainSolutionDeadline(policy(undefined), at('2026-11-27T20:00:00+08:00'));
    expect(e).toEqual({
      sameDayMeans: 'BUSINESS_DAY',
      situation: 'AFTER_CLOSING',
      dueAt: at('2026-11-30T18:00:00+08:00'),
      text: 'opened after closing time (18:00) on Friday 2026-11-27 20:00: due at the end of the next business day, Monday 2026-11-30 18:00 (Asia/Shanghai; policy: same day means business day)',
    });
  });
  it('on a holiday: the next business day, past the rest of the holidays and the weekend', () => {
    const e = explainSolutionDeadline(policy('BUSINESS_DAY'), at('2026-10-01T10:00:00+08:00'));
    expect(e).toMatchObject({ situation: 'DAY_OFF', dueAt: at('2026-10-08T18:00:00+08:00') });
    expect(e.text).toBe('opened on Thursday 2026-10-01 10:00, not a business day: due at the end of the next business day, Thursday 2026-10-08 18:00 (Asia/Shanghai; policy: same day means business day)');
  });
});

describe('solutionDeadline, CALENDAR_DAY: the end of the day the customer asked', () => {
  const due = (t: string) => iso(solutionDeadline(policy('CALENDAR_DAY'), at(t)));
  it('before closing on a business day (also before opening): closing time, as under BUSINESS_DAY', () => {
    expect(due('2026-11-27T10:00:00+08:00')).toBe(iso(at('2026-11-27T18:00:00+08:00')));
    expect(due('2026-11-27T07:00:00+08:00')).toBe(iso(at('2026-11-27T18:00:00+08:00')));
    expect(due('2026-11-27T17:59:59.999+08:00')).toBe(iso(at('2026-11-27T18:00:00+08:00')));
    // A make-up Sunday is a business day.
    expect(due('2026-09-20T11:00:00+08:00')).toBe(iso(at('2026-09-20T18:00:00+08:00')));
  });
  it('at or after closing: local midnight that day, never a deadline already past', () => {
    expect(due('2026-11-27T18:00:00.000+08:00')).toBe(iso(at('2026-11-28T00:00:00+08:00')));
    expect(due('2026-11-27T20:00:00+08:00')).toBe(iso(at('2026-11-28T00:00:00+08:00')));
    // One millisecond before midnight: due one millisecond later, still on time when it opens.
    expect(due('2026-11-27T23:59:59.999+08:00')).toBe(iso(at('2026-11-28T00:00:00+08:00')));
  });
  it('weekends and holidays: midnight of that very day, not the next business day', () => {
    expect(due('2026-11-28T11:00:00+08:00')).toBe(iso(at('2026-11-29T00:00:00+08:00'))); // Saturday
    expect(due('2026-10-06T09:30:00+08:00')).toBe(iso(at('2026-10-07T00:00:00+08:00'))); // holiday
    expect(due('2026-11-29T00:00:00+08:00')).toBe(iso(at('2026-11-30T00:00:00+08:00'))); // Sunday, its first moment
  });
  it('midnight is local and DST-correct (America/New_York: spring forward 8 March, fall back 1 November 2026)', () => {
    const ny = (t: string) => iso(solutionDeadline(policy('CALENDAR_DAY', { ...shanghai, timeZone: 'America/New_York', holidays: [], extraWorkingDays: [] }), at(t)));
    expect(ny('2026-03-08T12:00:00-04:00')).toBe('2026-03-09T04:00:00.000Z'); // Sunday, a 23-hour day
    expect(ny('2026-11-01T12:00:00-05:00')).toBe('2026-11-02T05:00:00.000Z'); // Sunday, a 25-hour day
    expect(ny('2026-11-06T19:00:00-05:00')).toBe('2026-11-07T05:00:00.000Z'); // Friday after closing
  });
  it('explains which reading applied', () => {
    expect(explainSolutionDeadline(policy('CALENDAR_DAY'), at('2026-11-27T20:00:00+08:00'))).toEqual({
      sameDayMeans: 'CALENDAR_DAY',
      situation: 'AFTER_CLOSING',
      dueAt: at('2026-11-28T00:00:00+08:00'),
      text: 'opened after closing time (18:00) on Friday 2026-11-27 20:00: due by the end of the same calendar day, Friday 2026-11-27 24:00 (Asia/Shanghai; policy: same day means calendar day)',
    });
    expect(explainSolutionDeadline(policy('CALENDAR_DAY'), at('2026-11-28T11:00:00+08:00')).text).toBe(
      'opened on Saturday 2026-11-28 11:00, not a business day: due by the end of the same calendar day, Saturday 2026-11-28 24:00 (Asia/Shanghai; policy: same day means calendar day)',
    );
    expect(explainSolutionDeadline(policy('CALENDAR_DAY'), at('2026-11-27T08:15:00+08:00'))).toMatchObject({
      situation: 'BEFORE_CLOSING',
      text: 'opened on Friday 2026-11-27 08:15, a business day before closing time (18:00): due at closing time the same day, Friday 2026-11-27 18:00 (Asia/Shanghai; policy: same day means calendar day)',
    });
  });
  it('the explanation always names the deadline solutionDeadline gives', () => {
    for (const reading of ['BUSINESS_DAY', 'CALENDAR_DAY'] as const) {
      for (let t = at('2026-09-28T00:00:00+08:00'); t < at('2026-10-09T00:00:00+08:00'); t += 37 * 60_000) {
        expect(explainSolutionDeadline(policy(reading), t).dueAt).toBe(solutionDeadline(policy(reading), t));
      }
    }
  });
});

describe('explainSolutionDeadline in Chinese: what a zh-CN customer reads of their case', () => {
  const zh = (reading: SameDayMeans | undefined, t: string, businessHours = shanghai) => explainSolutionDeadline(policy(reading, businessHours), at(t), 'zh-CN');
  it('after closing on Friday, business day: Monday at closing time, in 北京时间', () => {
    expect(zh(undefined, '2026-11-27T20:00:00+08:00')).toEqual({
      sameDayMeans: 'BUSINESS_DAY',
      situation: 'AFTER_CLOSING',
      dueAt: at('2026-11-30T18:00:00+08:00'),
      text: '您于北京时间2026年11月27日 周五 20:00提交申请，已过当天下班时间（18:00），解决方案的答复时限为下一个工作日下班前（2026年11月30日 周一 18:00）。',
    });
  });
  it('before closing on a business day: that day at closing time, under either reading', () => {
    for (const reading of ['BUSINESS_DAY', 'CALENDAR_DAY'] as const) {
      expect(zh(reading, '2026-11-27T08:15:00+08:00').text).toBe('您于北京时间2026年11月27日 周五 08:15提交申请，当天是工作日，解决方案的答复时限为当天下班前（2026年11月27日 周五 18:00）。');
    }
  });
  it('on a holiday: the next business day after the rest of the holidays', () => {
    expect(zh('BUSINESS_DAY', '2026-10-01T10:00:00+08:00').text).toBe('您于北京时间2026年10月1日 周四 10:00提交申请，当天不是工作日，解决方案的答复时限为下一个工作日下班前（2026年10月8日 周四 18:00）。');
  });
  it('calendar day: the end of the day it was asked, after closing and on a weekend', () => {
    expect(zh('CALENDAR_DAY', '2026-11-27T20:00:00+08:00').text).toBe('您于北京时间2026年11月27日 周五 20:00提交申请，已过当天下班时间（18:00），解决方案的答复时限仍为当天结束前（2026年11月27日 周五 24:00）。');
    expect(zh('CALENDAR_DAY', '2026-11-28T11:00:00+08:00').text).toBe('您于北京时间2026年11月28日 周六 11:00提交申请，当天不是工作日，解决方案的答复时限仍为当天结束前（2026年11月28日 周六 24:00）。');
  });
  it('a shop in another zone: its local times, the zone named', () => {
    const ny = { ...shanghai, timeZone: 'America/New_York', holidays: [], extraWorkingDays: [] };
    expect(zh('BUSINESS_DAY', '2026-11-06T19:00:00-05:00', ny).text).toBe('您于America/New_York 当地时间2026年11月6日 周五 19:00提交申请，已过当天下班时间（18:00），解决方案的答复时限为下一个工作日下班前（2026年11月9日 周一 18:00）。');
  });
  it('the same deadline, reading and situation for every reader; the staff’s English stays the default', () => {
    for (const reading of ['BUSINESS_DAY', 'CALENDAR_DAY'] as const) {
      for (let t = at('2026-09-28T00:00:00+08:00'); t < at('2026-10-09T00:00:00+08:00'); t += 97 * 60_000) {
        const { text: staff, ...facts } = explainSolutionDeadline(policy(reading), t);
        const { text: zhText, ...zhFacts } = explainSolutionDeadline(policy(reading), t, 'zh-CN');
        const { text: enText, ...enFacts } = explainSolutionDeadline(policy(reading), t, 'en');
        expect(zhFacts).toEqual(facts);
        expect(enFacts).toEqual(facts);
        expect(explainSolutionDeadline(policy(reading), t, 'staff').text).toBe(staff);
        expect(staff).toMatch(/policy: same day means/);
        expect(zhText).toMatch(/^您于北京时间.*答复时限.*。$/);
        expect(zhText).not.toMatch(/[A-Za-z]/);
        // An English-reading customer: their own sentence, Beijing time by name, no rule.
        expect(enText).toMatch(/^You asked .*\(Beijing time\).*the solution is .*due by .*\.$/);
        expect(enText).not.toMatch(/policy|Asia\/Shanghai/);
      }
    }
  });
  it('in English for a customer: after closing on Friday, Monday at closing time', () => {
    expect(explainSolutionDeadline(policy(undefined), at('2026-11-27T20:00:00+08:00'), 'en').text).toBe(
      'You asked after closing time (18:00) on Friday 2026-11-27 20:00 (Beijing time): the solution is due by closing time on the next business day, Monday 2026-11-30 18:00.',
    );
  });
});
