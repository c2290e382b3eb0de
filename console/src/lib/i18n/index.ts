/**
 * Everything a person reads goes through here: t(key) for the console's own words, label(kind,
 * code) for the platform's codes (type, stage, status, step, rootCause, …) — never a raw code on
 * screen — and Intl formatting of dates, durations and money in the reader's language and zone.
 * Both read the language state, so text re-renders when the language is switched.
 *
 * Dictionaries are flat: `'queue.title': 'Work queue'`; codes live under `kind.CODE`
 * (`'step.REFUND_ISSUED': 'Refund issued'`), and the platform's own names for types, stages,
 * statuses, documents and root causes come from domain/ (domain-names.ts).
 */
import { currencyDigits, exampleAmount, formatMinor } from '../money';
import { DOMAIN_NAMES } from './domain-names';
import { en } from './en';
import { currentLang, LANGS, setLang, type Lang } from './lang.svelte';
import { zh } from './zh';

export { currentLang, LANGS, setLang, type Lang };

const DICTS: Record<Lang, Record<string, string>> = { en, 'zh-CN': zh };

/** What a code says when nobody has named it yet: words, not SHOUTING_SNAKE (`WAITING_FOR_X` → `Waiting for x`). */
export function humanize(code: string): string {
  // camelCase too (`refundReceivedGoods` → `Refund received goods`), not one run-together word.
  const words = code.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_.]+/g, ' ').trim().toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Codes and field names that reached the screen without words of their own (shown humanized, in
 * English whatever the language): kept in window.__consoleUnlabelled so that tests can name them.
 */
export function unlabelled(what: string): void {
  if (typeof window === 'undefined') return;
  const seen = ((window as unknown as { __consoleUnlabelled?: string[] }).__consoleUnlabelled ??= []);
  if (!seen.includes(what)) seen.push(what);
}

/** The console's words for `key`, with `{name}` placeholders filled from `params`. */
export function t(key: string, params?: Record<string, string | number>): string {
  const lang = currentLang();
  let text = DICTS[lang][key] ?? DICTS.en[key] ?? key;
  if (params) for (const [name, value] of Object.entries(params)) text = text.replaceAll(`{${name}}`, String(value));
  return text;
}

/** The console's words for `key` where it has them (the reader's language, else English); undefined where it has none. */
export function knownText(key: string): string | undefined {
  return key in DICTS[currentLang()] || key in DICTS.en ? t(key) : undefined;
}

/** Words for a text the platform says in English (a decision's `reason`, a check's `why`), where the dictionary has them; else the text. */
export function platformText(text: string): string {
  const dict = DICTS[currentLang()];
  const own = dict[`text.${text}`];
  if (own !== undefined) return own;
  // A sentence with a figure in it ("more than 7 days since delivery"): its entry names the figure
  // (`text.more than {days} days since delivery`), and the words carry it over.
  for (const [key, words] of Object.entries(dict)) {
    if (!key.startsWith('text.') || !key.includes('{')) continue;
    const { pattern, names } = sentencePattern(key.slice('text.'.length));
    const found = pattern.exec(text);
    if (found) return names.reduce((out, name, i) => out.replaceAll(`{${name}}`, found[i + 1]!), words);
  }
  return text;
}

const patterns = new Map<string, { pattern: RegExp; names: string[] }>();
/** `more than {days} days since delivery` → /^more than (.+?) days since delivery$/ and ['days']. */
function sentencePattern(sentence: string): { pattern: RegExp; names: string[] } {
  let known = patterns.get(sentence);
  if (!known) {
    const names: string[] = [];
    const source = sentence
      .split(/(\{[a-zA-Z]+\})/)
      .map((part) => (/^\{[a-zA-Z]+\}$/.test(part) ? (names.push(part.slice(1, -1)), '(.+?)') : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
      .join('');
    known = { pattern: new RegExp(`^${source}$`), names };
    patterns.set(sentence, known);
  }
  return known;
}

/** Whether the dictionaries or the platform name `code` of `kind`. */
export function hasLabel(kind: string, code: string): boolean {
  return `${kind}.${code}` in DICTS[currentLang()] || !!DOMAIN_NAMES[kind]?.[code];
}

/** A code of the platform in words of the reader's language (the console's dictionary first, then domain/'s names). */
export function label(kind: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—';
  const lang = currentLang();
  const own = DICTS[lang][`${kind}.${code}`];
  if (own) return own;
  const names = DOMAIN_NAMES[kind]?.[code];
  if (names) return names[lang];
  // A code met in the values of a decision may be any of the platform's: try the shared names.
  const shared = DICTS[lang][`value.${code}`] ?? Object.values(DOMAIN_NAMES).find((table) => table[code])?.[code]?.[lang];
  if (shared) return shared;
  const english = DICTS.en[`${kind}.${code}`];
  if (english && lang === 'en') return english;
  unlabelled(`${kind}.${code}`);
  return english ?? humanize(code);
}

export const locale = () => (currentLang() === 'zh-CN' ? 'zh-CN' : 'en-GB');

/** tzdata's other names of China's one zone (a browser may report any of them). */
const SAME_ZONE: Record<string, string> = { 'Asia/Chongqing': 'Asia/Shanghai', 'Asia/Chungking': 'Asia/Shanghai', 'Asia/Harbin': 'Asia/Shanghai', PRC: 'Asia/Shanghai' };

/**
 * What the reader calls a time zone (`Asia/Shanghai` → 北京时间 on Chinese screens), where the
 * dictionary has a name for it (`zone.<IANA name>`); undefined otherwise (Intl's own name stays).
 */
export function zoneName(zone: string): string | undefined {
  return DICTS[currentLang()][`zone.${SAME_ZONE[zone] ?? zone}`];
}

/** The reader's time zone (the browser's), in which the console shows every time. */
export const readerZone = (): string => new Intl.DateTimeFormat().resolvedOptions().timeZone;

/** Whether two IANA names are the same zone (China's old aliases are Asia/Shanghai). */
export const sameZone = (a: string, b: string): boolean => (SAME_ZONE[a] ?? a) === (SAME_ZONE[b] ?? b);

/**
 * A date and time with its zone: the reader's, or `zone` (an IANA name: the shop's, in which a
 * deadline is explained). Either way the zone is named, so the two are never confused.
 */
export function formatDateTime(iso: string | null | undefined, zone?: string): string {
  if (!iso) return '—';
  const format = new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZoneName: 'short', ...(zone ? { timeZone: zone } : {}) });
  const named = zoneName(format.resolvedOptions().timeZone);
  // Intl names China's zone "GMT+8" in Chinese; a Chinese reader says 北京时间.
  if (!named) return format.format(new Date(iso));
  return format
    .formatToParts(new Date(iso))
    .map((part) => (part.type === 'timeZoneName' ? named : part.value))
    .join('');
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium' }).format(new Date(iso));
}

/** Money in minor units (fen, cents; yen have none) with its currency code, in the currency's own decimals. */
export function formatMoney(minor: number | null | undefined, currency = 'CNY'): string {
  if (minor === null || minor === undefined) return '—';
  return formatMinor(minor, currency, locale());
}

/**
 * What is wrong with an amount typed for `currency` (`moneyFault` of lib/form-values), in words
 * that name the currency's decimals and show an amount as it should be typed.
 */
export function moneyProblemText(fault: 'decimals' | 'invalid' | undefined, currency: string): string {
  const n = currencyDigits(currency);
  const example = exampleAmount(currency);
  if (fault === 'decimals') return n === 0 ? t('form.moneyNoDecimals', { currency, example }) : t('form.moneyDecimals', { currency, n, example });
  return n === 0 ? t('form.moneyWhole', { currency, example }) : t('form.money', { currency, n, example });
}

/** `2 h 05 min` / `2小时05分`: what is left until (or past) a deadline, from milliseconds. */
export function formatDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86400);
  const h = Math.floor((total % 86400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  // Under a minute: the seconds alone ("40 s ago", not "0 min 40 s ago").
  if (currentLang() === 'zh-CN') return d ? `${d}天${h}小时` : h ? `${h}小时${pad(m)}分` : m ? `${m}分${pad(s)}秒` : `${s}秒`;
  return d ? `${d} d ${h} h` : h ? `${h} h ${pad(m)} min` : m ? `${m} min ${pad(s)} s` : `${s} s`;
}
