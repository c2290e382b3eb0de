/**
 * The same-day solution deadline (003 §8 所有售后问题必须当天给出顾客解决方案) of every case, and
 * the sentence that tells an agent or a customer why it is what it is — in English, or in Chinese
 * for a customer whose case is in zh-CN (a Chinese shop's customer reads their case in Chinese).
 *
 * "The same day" is the merchant's choice for a case opened when the shop is closed (after closing
 * time, or on a weekend or holiday), `rules.sameDayMeans`:
 * - BUSINESS_DAY (the default, and what every policy published before the rule means): closing
 *   time of the next business day.
 * - CALENDAR_DAY: the end of that calendar day in the shop's time zone, i.e. local midnight.
 *
 * Why midnight and not that day's closing time: after hours the closing time has already passed,
 * so every such case would be born late — escalated to a supervisor at once, with nobody able to
 * have prevented it. A merchant who picks CALENDAR_DAY promises "an answer on the day you asked",
 * which ends at midnight. (A case opened at 23:50 then has ten minutes: that is the promise.)
 *
 * A case opened on a business day before closing time (also before opening) is due at that day's
 * closing time under both readings: the choice is only about the hours the shop is closed, so it
 * never loosens the daytime promise the team works to.
 */
import { endOfBusinessDay, isBusinessDay, localDate, startOfLocalDate } from './business-calendar.js';
import type { Reader } from './money.js';
import { zoneNameEn, zoneNameZh } from './time-zone-names.js';
import type { Policy, SameDayMeans } from './policy.js';

/** Where the opening fell: before closing time of a business day, after it, or on a day off. */
export type OpeningSituation = 'BEFORE_CLOSING' | 'AFTER_CLOSING' | 'DAY_OFF';

export interface SolutionDeadlineExplanation {
  /** The reading that applied (a policy without the rule reads BUSINESS_DAY). */
  sameDayMeans: SameDayMeans;
  situation: OpeningSituation;
  /** Epoch ms: the same instant `solutionDeadline` gives. */
  dueAt: number;
  /**
   * One sentence with local days and times in the locale asked for: "opened after closing time
   * (18:00) on Friday …" in English (what the staff read), "您于北京时间2026年11月27日 周五 20:00提交申请，…"
   * in Chinese.
   */
  text: string;
}

type DeadlinePolicy = Pick<Policy, 'rules' | 'businessHours'>;

const DAY = 86_400_000;
const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + DAY).toISOString().slice(0, 10);

/**
 * The case's solution deadline. For BUSINESS_DAY (or no value) it is exactly
 * `endOfBusinessDay(businessHours, openedAt)`, the computation every workflow made before the
 * rule existed, so replaying a running case gives the same timer.
 */
export function solutionDeadline(policy: DeadlinePolicy, openedAt: number): number {
  const cal = policy.businessHours;
  const businessDue = endOfBusinessDay(cal, openedAt);
  if (policy.rules.sameDayMeans !== 'CALENDAR_DAY') return businessDue;
  const opened = localDate(cal, openedAt);
  // Due the day it opened: the shop is still to close that day, closing time stays the deadline.
  if (localDate(cal, businessDue) === opened) return businessDue;
  return startOfLocalDate(cal, nextDate(opened));
}

/**
 * Who reads the explanation: the staff (English, naming the policy's rule and the zone's id), or a
 * customer in their locale (the case's customer locale: what they asked and by when they get an
 * answer, the zone as a customer knows it, no rule names).
 */
export type DeadlineReader = Reader;

/** The deadline with the reading that applied and a sentence saying why (the case view shows it). */
export function explainSolutionDeadline(policy: DeadlinePolicy, openedAt: number, reader: DeadlineReader = 'staff'): SolutionDeadlineExplanation {
  const cal = policy.businessHours;
  const sameDayMeans: SameDayMeans = policy.rules.sameDayMeans ?? 'BUSINESS_DAY';
  const dueAt = solutionDeadline(policy, openedAt);
  const opened = localDate(cal, openedAt);
  const situation: OpeningSituation = !isBusinessDay(cal, opened) ? 'DAY_OFF' : localDate(cal, endOfBusinessDay(cal, openedAt)) === opened ? 'BEFORE_CLOSING' : 'AFTER_CLOSING';
  const text = { staff: sentenceStaff, 'zh-CN': sentenceZh, en: sentenceEn }[reader]({ cal, sameDayMeans, situation, openedAt, opened, dueAt });
  return { sameDayMeans, situation, dueAt, text };
}

/**
 * A complaint is answered by the earlier of its priority's handling time and the solution deadline
 * (workflows/complaint.ts `answerBy`), and its customer was told that time: said after the
 * explanation when it comes sooner, so the case view and the message name the same time.
 */
export function earlierAnswerSentence(policy: DeadlinePolicy, answerBy: number, reader: DeadlineReader = 'staff'): string {
  const cal = policy.businessHours;
  if (reader === 'zh-CN') return `您的投诉按其优先级处理，我们会在${zoneNameZh(cal.timeZone)}${dateZh(localDate(cal, answerBy))} ${hhmm(cal.timeZone, answerBy)}前给您答复。`;
  const when = `${weekday(localDate(cal, answerBy))} ${localDate(cal, answerBy)} ${hhmm(cal.timeZone, answerBy)}`;
  if (reader === 'en') return `Your complaint is handled according to its priority: we will answer you sooner, by ${when} (${zoneNameEn(cal.timeZone)}).`;
  return `The complaint's priority answers it sooner: by ${when} (${cal.timeZone}), the policy's handling time for that priority from opening.`;
}

interface Facts {
  cal: DeadlinePolicy['businessHours'];
  sameDayMeans: SameDayMeans;
  situation: OpeningSituation;
  openedAt: number;
  /** The local date it opened, 'YYYY-MM-DD'. */
  opened: string;
  dueAt: number;
}

function sentenceStaff({ cal, sameDayMeans, situation, openedAt, opened, dueAt }: Facts): string {
  const when = (t: number) => `${weekday(localDate(cal, t))} ${localDate(cal, t)} ${hhmm(cal.timeZone, t)}`;
  const how =
    situation === 'BEFORE_CLOSING'
      ? `opened on ${when(openedAt)}, a business day before closing time (${cal.close})`
      : situation === 'AFTER_CLOSING'
        ? `opened after closing time (${cal.close}) on ${when(openedAt)}`
        : `opened on ${when(openedAt)}, not a business day`;
  const due =
    situation === 'BEFORE_CLOSING'
      ? `due at closing time the same day, ${when(dueAt)}`
      : sameDayMeans === 'CALENDAR_DAY'
        ? `due by the end of the same calendar day, ${weekday(opened)} ${opened} 24:00`
        : `due at the end of the next business day, ${when(dueAt)}`;
  const reading = sameDayMeans === 'CALENDAR_DAY' ? 'calendar day' : 'business day';
  return `${how}: ${due} (${cal.timeZone}; policy: same day means ${reading})`;
}

/**
 * What a shop tells its Chinese customer: when they asked, and by when they get a solution, in
 * the shop's local time named as a customer knows it (北京时间 for Asia/Shanghai). The policy's
 * reading shows in the promise itself — 下一个工作日下班前 (business day) or 当天结束前 (calendar day) —
 * so the sentence does not name the rule as the staff's English does. It names the time limit
 * rather than promising in the future tense: the customer reads it on a case long solved too.
 */
function sentenceZh({ cal, sameDayMeans, situation, openedAt, opened, dueAt }: Facts): string {
  const when = (t: number) => `${dateZh(localDate(cal, t))} ${hhmm(cal.timeZone, t)}`;
  const asked = `您于${zoneNameZh(cal.timeZone)}${when(openedAt)}提交申请`;
  if (situation === 'BEFORE_CLOSING') return `${asked}，当天是工作日，解决方案的答复时限为当天下班前（${when(dueAt)}）。`;
  const how = situation === 'AFTER_CLOSING' ? `已过当天下班时间（${cal.close}）` : '当天不是工作日';
  const due = sameDayMeans === 'CALENDAR_DAY' ? `解决方案的答复时限仍为当天结束前（${dateZh(opened)} 24:00）` : `解决方案的答复时限为下一个工作日下班前（${when(dueAt)}）`;
  return `${asked}，${how}，${due}。`;
}

/** The same for an English-reading customer: their words, not the staff's (no rule, no zone id for Beijing). */
function sentenceEn({ cal, sameDayMeans, situation, openedAt, opened, dueAt }: Facts): string {
  const when = (t: number) => `${weekday(localDate(cal, t))} ${localDate(cal, t)} ${hhmm(cal.timeZone, t)}`;
  const zone = zoneNameEn(cal.timeZone);
  const asked =
    situation === 'BEFORE_CLOSING'
      ? `You asked on ${when(openedAt)} (${zone}), a business day before closing time (${cal.close})`
      : situation === 'AFTER_CLOSING'
        ? `You asked after closing time (${cal.close}) on ${when(openedAt)} (${zone})`
        : `You asked on ${when(openedAt)} (${zone}), not a business day`;
  const due =
    situation === 'BEFORE_CLOSING'
      ? `the solution is due by closing time that day, ${when(dueAt)}`
      : sameDayMeans === 'CALENDAR_DAY'
        ? `the solution is still due by the end of that day, ${weekday(opened)} ${opened} 24:00`
        : `the solution is due by closing time on the next business day, ${when(dueAt)}`;
  return `${asked}: ${due}.`;
}


const WEEKDAYS_ZH = ['周日', '周一', '周二', '周三', '周四', '周五', '周六'];
/** '2026-11-27' → '2026年11月27日 周五'. */
function dateZh(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return `${y}年${m}月${d}日 ${WEEKDAYS_ZH[new Date(`${date}T00:00:00Z`).getUTCDay()]!}`;
}

const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const weekday = (date: string) => WEEKDAYS[new Date(`${date}T00:00:00Z`).getUTCDay()]!;

const clocks = new Map<string, Intl.DateTimeFormat>();
/** Local wall-clock time 'HH:MM' of instant `t` in `timeZone`. */
function hhmm(timeZone: string, t: number): string {
  let f = clocks.get(timeZone);
  if (!f) clocks.set(timeZone, (f = new Intl.DateTimeFormat('en-GB', { timeZone, hourCycle: 'h23', hour: '2-digit', minute: '2-digit' })));
  return f.format(t);
}
