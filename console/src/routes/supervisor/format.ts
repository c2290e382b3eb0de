/** How the dashboard writes periods, figures, money and breakdown keys in the reader's language. */
import { knownText, label, locale, t } from '$lib/i18n';
import type { Grain } from '$lib/charts/dates';
import { formatMinor } from '$lib/money';

const utc = (day: string) => new Date(`${day}T00:00:00Z`);

/** A period's first local day ('YYYY-MM-DD') as the axis shows it. */
export function periodLabel(period: string, grain: Grain): string {
  if (grain === 'month') return new Intl.DateTimeFormat(locale(), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(utc(period.length === 7 ? `${period}-01` : period));
  const day = new Intl.DateTimeFormat(locale(), { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(utc(period));
  return grain === 'week' ? t('supervisor.weekOf', { date: day }) : day;
}

/** A day in full ('YYYY-MM-DD' → the locale's date). */
export const dayLabel = (day: string) => new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeZone: 'UTC' }).format(utc(day));

export const decimal = (v: number) => new Intl.NumberFormat(locale(), { maximumFractionDigits: 2 }).format(v);

/** A figure's value with its unit. */
export const figureValue = (v: number | null, unit: '%' | '‰') => (v === null ? '—' : `${decimal(v)} ${unit}`);

/** Minor units as a short amount for an axis (¥12K / ¥1.2万). */
export function compactMoney(minor: number, currency: string): string {
  return formatMinor(minor, currency, locale(), { notation: 'compact', minimumFractionDigits: 0, maximumFractionDigits: 1 });
}

export type Breakdown = 'none' | 'type' | 'agent' | 'carrier' | 'merchant';

/** A breakdown key in words: case types, carriers and agents (`agents`: GET /v1/agents' labels by id) by name; merchant ids as they are. */
export function breakdownKey(by: Breakdown, key: string | null, agents?: ReadonlyMap<string, string>): string {
  if (by === 'none') return t('supervisor.allCases');
  if (key === null) return by === 'agent' ? t('supervisor.unassigned') : by === 'carrier' ? t('supervisor.noCarrier') : t('supervisor.unknown');
  if (by === 'type') return label('type', key);
  if (by === 'carrier') return carrierName(key);
  if (by === 'agent') return agents?.get(key) ?? key;
  return key;
}

/** A carrier code in words where the console knows the carrier; its code otherwise (codes are the merchant's own). */
export function carrierName(code: string): string {
  return knownText(`carrier.${code}`) ?? code;
}

export type RootCauseBy = 'category' | 'subCause' | 'warehouse' | 'sku' | 'carrier';

export function rootCauseKey(by: RootCauseBy, key: string | null): string {
  if (key === null) return t('supervisor.unknown');
  if (by === 'category') return label('rootCauseCategory', key);
  if (by === 'subCause') return label('rootCause', key);
  if (by === 'carrier') return carrierName(key);
  return key;
}
