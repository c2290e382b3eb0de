/** Policy fields and their values in words of the reader's language. */
import { formatMoney, humanize, t } from '$lib/i18n';
import type { LeafValue } from './policy-fields';
import { fieldName, isMoney } from './policy-fields';

const named = (key: string): string | undefined => {
  const s = t(key);
  return s === key ? undefined : s;
};

/** A carrier code in words where the console knows it. */
export const carrierName = (code: string) => named(`carrier.${code}`) ?? code;

/** `rules.noReasonReturnDays` → "No-reason return window …"; a carrier contract's term names its carrier. */
export function fieldLabel(path: string): string {
  const parts = path.split('.');
  if (parts[0] === 'fulfilment' && parts[1] === 'carriers' && parts.length >= 4) {
    return t('admin.contract', { carrier: carrierName(parts[2]!), term: named(`policy.contract.${parts[3]}`) ?? humanize(parts[3]!) });
  }
  // A whole contract (a version history names one added, changed or removed).
  if (parts[0] === 'fulfilment' && parts[1] === 'carriers' && parts.length === 3) return t('admin.carrierContract', { carrier: carrierName(parts[2]!) });
  if (parts[0] === 'fulfilment' && parts[1] === 'defaultCarrier' && parts.length >= 3) {
    return t('admin.contract', { carrier: t('admin.defaultCarrier'), term: named(`policy.contract.${parts[2]}`) ?? humanize(parts[2]!) });
  }
  return named(`policy.${path}`) ?? humanize(fieldName(path));
}

export const sectionLabel = (path: string) => t(`admin.section.${path.split('.')[0]}`);

/** A value as a person reads it: yes/no, a choice's words, carriers by name, money as money, lists joined. */
export function valueText(path: string, v: LeafValue | undefined, currency = 'CNY'): string {
  if (v === undefined || v === null || v === '') return t('admin.notSet');
  if (typeof v === 'boolean') return v ? t('common.yes') : t('common.no');
  const name = fieldName(path);
  if (typeof v === 'string') {
    const choice = named(`policyValue.${name}.${v}`);
    if (choice) return choice;
    if (name === 'preferredCarrier' || name === 'backupCarrier') return carrierName(v);
    return v;
  }
  if (Array.isArray(v)) return v.length ? v.join(', ') : t('common.none');
  if (isMoney(path)) return formatMoney(v, currency);
  return String(v);
}
