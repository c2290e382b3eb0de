/**
 * How the values inside a timeline entry or an automatic decision read to a person: times as dates,
 * `…Minor` amounts as money, codes through label() (never SHOUTING_SNAKE on screen), lines as
 * "SKU × quantity", field names in words.
 */
import { currentLang, formatDateTime, formatMoney, humanize, knownText, label, platformText, t, unlabelled } from './i18n';

const CODE = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Identifiers shown as they are, even when they look like a code (`SFLOST99`, `MUG`): tracking numbers, SKUs (alone or in a list: `shopFaultSkus`), barcodes, claim ids. */
const VERBATIM = /^(trackingNo|trackingNumber|previousTrackingNumber|outboundTracking|sentBackAs|sku|orderedSku|arrivedSku|replacementSku|orderedBarcode|arrivedBarcode|barcode|claimId|claimWorkflowId|interceptId|paymentId|reversedOutboundId|relatedCaseId|returnCode|serialNumbers|partNo|by|signer|currency|customerHandle|[a-zA-Z]*Skus|skus)$/;

/** A field name in words: the dictionary's `field.<name>`, else the camelCase split (`requestValueMinor` → "Request value"). */
export function fieldName(key: string): string {
  const own = knownText(`field.${key}`);
  if (own) return own;
  unlabelled(`field.${key}`);
  return humanize(key.replace(/Minor$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2'));
}

/**
 * An agent wait's `refunds`: what each of its actions would pay (REFUND_RECEIVED, REFUND_REQUESTED:
 * amounts in minor units), shown as the action in words and the money, not "Refund requested: 0".
 */
const AMOUNTS_BY_ACTION = new Set(['refunds']);

/** Keys whose values name fields (the checks a unit failed before going out: `failed: ['undamaged']`), shown by the fields' names. */
const NAMES_FIELDS = new Set(['failed']);

/**
 * Values of a decision that say nothing when they are 0: a refund cut by 0 (`cappedMinor`, the
 * amount cut because it was more than what is refundable) is a refund not cut at all.
 */
const SILENT_WHEN_ZERO = new Set(['cappedMinor']);

/** A decision's values to show, in their order: those that say nothing when 0 left out. */
export const decisionEntries = (values: Record<string, unknown> | null | undefined): Array<[string, unknown]> =>
  Object.entries(values ?? {}).filter(([k, v]) => !(SILENT_WHEN_ZERO.has(k) && v === 0));

export function describeValue(key: string, value: unknown, currency = 'CNY'): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string' && NAMES_FIELDS.has(key)) return fieldName(value);
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') {
    if (/Minor$/.test(key)) return formatMoney(value, currency);
    if (/(At|Deadline|deadline|Due)$/.test(key) || (value > 1e12 && value < 1e13)) return formatDateTime(new Date(value).toISOString());
    // A change is signed (a reversal's line −1 puts one back: "stock change +1", not "1").
    if (/Delta$/.test(key)) return new Intl.NumberFormat(undefined, { signDisplay: 'exceptZero' }).format(value);
    return new Intl.NumberFormat().format(value);
  }
  if (typeof value === 'string') {
    if (ISO.test(value)) return formatDateTime(value);
    if (CODE.test(value) && value.length > 1 && !VERBATIM.test(key)) return label(kindOf(key), value);
    return platformText(value);
  }
  if (Array.isArray(value)) {
    if (!value.length) return t('common.none');
    // A pair or tuple ([a, b]): its parts in words, side by side.
    const part = (v: unknown): string => (Array.isArray(v) ? `(${v.map(part).join(', ')})` : v && typeof v === 'object' && 'sku' in v ? describeLine(v as Record<string, unknown>, currency) : describeValue(key, v, currency));
    return value.map(part).join('; ');
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    if (!entries.length) return t('common.none');
    // The platform's names of a thing in both languages ({ en, zh-CN }): the reader's.
    if (entries.length && entries.every(([k, v]) => (k === 'en' || k === 'zh-CN') && typeof v === 'string')) return String((value as Record<string, string>)[currentLang()] ?? (value as Record<string, string>).en);
    if (AMOUNTS_BY_ACTION.has(key)) return entries.map(([k, v]) => `${label('resolution', k)}: ${typeof v === 'number' ? formatMoney(v, currency) : describeValue(k, v, currency)}`).join(', ');
    // Objects inside objects (a decision's checks, each with its values): one per part, each part labelled.
    const nested = entries.some(([, v]) => v && typeof v === 'object' && !Array.isArray(v));
    return entries.map(([k, v]) => `${fieldName(k)}: ${describeValue(k, v, currency)}`).join(nested ? '; ' : ', ');
  }
  return String(value);
}

/** `MUG × 2 (Defective)` */
/**
 * The name of a line's field: a goods-back problem of the customer's damage (domain/exchange.ts
 * returnedNotAsAsked) counts in `received` the units damaged, not all that came back — named so (a
 * trial read "expected 2, received 1" of two units back, one damaged).
 */
const damagedCount = (line: Record<string, unknown>, key: string) => (key === 'received' && line.kind === 'DAMAGED_BY_CUSTOMER' ? 'damagedQuantity' : key);

export function describeLine(line: Record<string, unknown>, currency = 'CNY'): string {
  const qty = line.quantity ?? line.receivedQuantity;
  // A line that is no goods (a refund's shipping or cap line carries its kind as its SKU: `SHIPPING`; a paid
  // difference returned, PRICE_DIFFERENCE as its SKU: domain/exchange.ts differenceReturnedLine): named by its kind, in words.
  const byKind = typeof line.kind === 'string' && (line.sku === line.kind || line.sku === 'PRICE_DIFFERENCE');
  // Every other value with its name (`claimed: 1, surplus: 1`), but the reason, condition or kind, which say what they are
  // (`MUG (Expected: 2, Received: 1, Fewer than expected)`, not "Kind: short").
  const rest = Object.entries(line)
    .filter(([k]) => !['sku', 'quantity', 'receivedQuantity', 'name', ...(byKind ? ['kind'] : [])].includes(k))
    .map(([k, v]) => (k === 'reason' || k === 'condition' || k === 'kind' ? describeValue(k, v, currency) : `${fieldName(damagedCount(line, k))}: ${describeValue(k, v, currency)}`));
  const what = byKind ? describeValue('kind', line.kind, currency) : String(line.sku);
  return `${line.name ? `${String(line.name)} ` : ''}${what}${qty !== undefined ? ` × ${String(qty)}` : ''}${rest.length ? ` (${rest.join(', ')})` : ''}`;
}

/** Which catalogue a code found under `key` belongs to. */
function kindOf(key: string): string {
  if (key === 'outcome') return 'outcome';
  if (key === 'stage') return 'stage';
  if (key === 'status') return 'status';
  if (key === 'type') return 'type';
  if (key === 'reason') return 'reason';
  if (key === 'condition') return 'condition';
  // What sort of thing a line is (a count that differs: SHORT, OVER…; a refund line: SHIPPING…): `kind.*`, else the shared words.
  if (key === 'kind') return 'kind';
  if (key === 'category') return 'rootCauseCategory';
  if (key === 'subCause') return 'rootCause';
  if (key === 'degree') return 'degree';
  if (key === 'finding') return 'finding';
  if (key === 'cause') return 'cause';
  if (key === 'task') return 'task';
  if (key === 'trace' || key === 'latestKind') return 'trace';
  if (key === 'class' || key === 'bearer') return 'outcome';
  if (key === 'action') return 'resolution';
  // A carrier by the name people know it by (顺丰速运), as the page's headings and actors say it.
  if (/carrier$/i.test(key)) return 'carrier';
  // Who pays for the parcel back (the approval's and a take-back's step: domain/return-postage.ts).
  if (key === 'postage') return 'postage';
  return 'value';
}

/**
 * Who did it: the system, an agent (by name when `labels` — GET /v1/agents — has their key id, else
 * by the id's start), a customer, the warehouse, a process with a name of its own (the courier claim)…
 */
export function describeActor(actor: string | null | undefined, me?: string, labels?: ReadonlyMap<string, string>): string {
  if (!actor || actor === 'system') return t('actor.system');
  const whole = knownText(`actor.${actor}`);
  if (whole) return whole;
  const [who, id] = actor.includes(':') ? [actor.slice(0, actor.indexOf(':')), actor.slice(actor.indexOf(':') + 1)] : [actor, ''];
  if (me && id === me) return t('actor.you');
  // A courier by its name (中通快递, ZTO Express), not "Courier ZTO".
  if (who === 'courier' && id) return knownText(`carrier.${id}`) ?? `${t('actor.courier')} ${id}`;
  const role = knownText(`actor.${who}`);
  return !role ? actor : id ? `${role} ${labels?.get(id) ?? shortId(id)}` : role;
}

/** Who a case is assigned to: "Me", the agent's label (GET /v1/agents), else the id as it is; nobody: "Unassigned". */
export function describeAssignee(id: string | null | undefined, labels: ReadonlyMap<string, string>, me?: string): string {
  if (!id) return t('queue.unassigned');
  if (id === me) return t('queue.me');
  return labels.get(id) ?? id;
}

/** A key's UUID by its first 8 characters (enough to tell keys apart); a clerk's or customer's own id in full. */
function shortId(id: string): string {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(id) ? id.slice(0, 8) : id;
}

/**
 * An escalation the platform raised, said from its data (`about`: workflows/contract.ts,
 * EscalationAbout) in the reader's language, its time in theirs; null for one without (a person's
 * reason reads as written, in English the platform's own of before).
 */
export function aboutText(about: unknown): string | null {
  const a = about as { code?: unknown; carrier?: unknown; trackingNumber?: unknown; deliveredAt?: unknown; done?: unknown; chose?: unknown } | null | undefined;
  if (a?.code !== 'LOST_PARCEL_DELIVERED' || typeof a.deliveredAt !== 'number' || typeof a.carrier !== 'string') return null;
  const chose = a.done === 'NOTHING_YET' && (a.chose === 'RESHIP' || a.chose === 'REFUND') ? t(`escalation.chose.${a.chose}`) : '';
  const done = knownText(`escalation.done.${String(a.done)}`);
  if (!done) return null;
  return t('escalation.lostParcelDelivered', {
    carrier: knownText(`carrier.${a.carrier}`) ?? a.carrier,
    trackingNumber: String(a.trackingNumber ?? ''),
    at: formatDateTime(new Date(a.deliveredAt).toISOString()),
    done: done.replace('{chose}', chose),
  });
}
