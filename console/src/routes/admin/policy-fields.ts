/**
 * A policy version (GET /v1/admin/merchants/:id/policy[ies/:version]) as a flat list of fields —
 * `rules.noReasonReturnDays`, `businessHours.close`, `fulfilment.carriers.SF.claimWindowDays` —
 * the paths the API names in its field errors. Viewing, diffing and editing work on these;
 * validation is the server's (its problems are shown next to the field they name). Pure.
 */
import { decimalToMinor, minorToDecimal } from '../../lib/money.js';

export interface PolicyView {
  merchantId: string;
  version: number;
  rules: Record<string, unknown>;
  businessHours: Record<string, unknown>;
  fulfilment: Record<string, unknown>;
}

export type LeafValue = string | number | boolean | null | Array<string | number>;

export interface Leaf {
  path: string;
  value: LeafValue;
}

export const SECTIONS = ['rules', 'businessHours', 'fulfilment'] as const;
export type Section = (typeof SECTIONS)[number];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Every leaf of a version, in the server's key order per section. Arrays are one leaf. */
export function flatten(view: Pick<PolicyView, Section>): Leaf[] {
  const out: Leaf[] = [];
  const walk = (prefix: string, v: unknown) => {
    if (isObject(v)) for (const [k, x] of Object.entries(v)) walk(`${prefix}.${k}`, x);
    else out.push({ path: prefix, value: (Array.isArray(v) ? [...v] : v) as LeafValue });
  };
  for (const s of SECTIONS) walk(s, view[s] ?? {});
  return out;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface Difference {
  path: string;
  /** undefined: the field is not in that version (an optional rule, a carrier contract added later). */
  a: LeafValue | undefined;
  b: LeafValue | undefined;
}

/** The fields whose values differ between two versions, in the order of `a` then fields only in `b`. */
export function diff(a: Pick<PolicyView, Section>, b: Pick<PolicyView, Section>): Difference[] {
  const la = new Map(flatten(a).map((l) => [l.path, l.value]));
  const lb = new Map(flatten(b).map((l) => [l.path, l.value]));
  const paths = [...la.keys(), ...[...lb.keys()].filter((p) => !la.has(p))];
  return paths.filter((p) => !same(la.get(p), lb.get(p))).map((p) => ({ path: p, a: la.get(p), b: lb.get(p) }));
}

/** Whether a field holds money in minor units (fen, cents: `…Minor`): shown and typed in yuan/dollars/yen (the merchant's currency), as every money field of the console. */
export const isMoney = (path: string) => /Minor$/.test(path);

/** A leaf's value as the edit form shows it in a text box (money of `path` in major units of `currency`: 3000 CNY → `30.00`, 5000 JPY → `5000`). */
export function toText(v: LeafValue | undefined, path = '', currency = 'CNY'): string {
  if (v === undefined || v === null) return '';
  if (Array.isArray(v)) return v.join(', ');
  if (isMoney(path) && typeof v === 'number') return minorToDecimal(v, currency);
  return String(v);
}

/** Whether `text`, typed into the money field `path`, has more decimals than `currency` has (`12.5` JPY): refused before sending. */
export const tooManyDecimals = (text: string, path: string, currency: string) => {
  if (!isMoney(path)) return false;
  const read = decimalToMinor(text, currency, { negative: true });
  return 'problem' in read && read.problem === 'decimals';
};

/**
 * What the admin typed, as the JSON to send: a number where the field holds a number and the text
 * reads as one, a list where it holds a list; otherwise the text itself, so that the server names
 * the field and says what it expects.
 */
export function fromText(text: string, like: LeafValue | undefined, path = '', currency = 'CNY'): unknown {
  const t = text.trim();
  const asNumber = (s: string) => (s !== '' && Number.isFinite(Number(s)) ? Number(s) : s);
  // Money typed in the currency's major units goes out in minor units (`30` / `30.00` CNY → 3000,
  // `5000` JPY → 5000); a negative amount too, for the server to refuse by its field. More decimals
  // than the currency has is sent as typed (the form refuses it first: `tooManyDecimals`).
  if (isMoney(path) && (typeof like === 'number' || like === null)) {
    const read = decimalToMinor(t, currency, { negative: true });
    return 'minor' in read ? read.minor : t;
  }
  if (typeof like === 'number') return asNumber(t);
  if (typeof like === 'boolean') return t === 'true' ? true : t === 'false' ? false : t;
  if (Array.isArray(like)) {
    const items = t === '' ? [] : t.split(/[,，\s]+/).filter(Boolean);
    return like.length > 0 && like.every((x) => typeof x === 'number') ? items.map(asNumber) : items;
  }
  return t;
}

/**
 * The body of POST /v1/admin/merchants/:id/policies for the edited fields (path → value to send).
 * Rules and calendar fields change one by one; in `fulfilment` a nested object (the default
 * contract, a carrier's contract) is sent whole, since the server replaces it whole.
 */
export function changeBody(current: Pick<PolicyView, Section>, edits: Record<string, unknown>): { rules?: Record<string, unknown>; businessHours?: Record<string, unknown>; fulfilment?: Record<string, unknown> } {
  const body: Record<Section, Record<string, unknown>> = { rules: {}, businessHours: {}, fulfilment: {} };
  for (const [path, value] of Object.entries(edits)) {
    const [section, ...rest] = path.split('.') as [Section, ...string[]];
    if (!SECTIONS.includes(section) || rest.length === 0) continue;
    if (section !== 'fulfilment' || rest.length === 1) {
      body[section][rest[0]!] = value;
      continue;
    }
    // fulfilment.defaultCarrier.x or fulfilment.carriers.SF.x: copy the object around the field once, then set the field.
    const top = rest[0]!;
    if (top === 'carriers') {
      const code = rest[1]!;
      const carriers = (body.fulfilment.carriers ??= {}) as Record<string, Record<string, unknown>>;
      const currentCarriers = (current.fulfilment.carriers ?? {}) as Record<string, Record<string, unknown>>;
      carriers[code] ??= { ...(currentCarriers[code] ?? {}) };
      if (rest[2]) carriers[code][rest[2]] = value;
    } else {
      const obj = (body.fulfilment[top] ??= { ...((current.fulfilment[top] as Record<string, unknown>) ?? {}) }) as Record<string, unknown>;
      obj[rest.slice(1).join('.')] = value;
    }
  }
  const out: ReturnType<typeof changeBody> = {};
  for (const s of SECTIONS) if (Object.keys(body[s]).length) out[s] = body[s];
  return out;
}

/**
 * The form field an API problem belongs to: its `field` without the `body.` prefix, matched to the
 * longest field path that is it or contains it (`businessHours.holidays[2]` → `businessHours.holidays`).
 * undefined: no field of the form (shown with the form's summary).
 */
export function fieldOfProblem(problemField: string | undefined, paths: string[]): string | undefined {
  if (!problemField) return undefined;
  // A what-if names the change's fields under `body.changes.` (the same change, inside its request).
  const f = problemField.replace(/^body\.(changes\.)?/, '');
  let best: string | undefined;
  for (const p of paths) {
    if ((f === p || f.startsWith(`${p}.`) || f.startsWith(`${p}[`)) && (!best || p.length > best.length)) best = p;
  }
  return best;
}

/** A field path as a DOM id (paths hold dots; ids keep them readable for tests: `field-rules.noReasonReturnDays`). */
export const fieldId = (path: string) => `field-${path}`;

/** The choices of the fields that take one of a few values (by the field's name; domain/policy.ts, domain/fulfilment/rules.ts). */
export const CHOICES: Record<string, readonly string[]> = {
  outsideWindowAction: ['AGENT', 'REJECT'],
  sameDayMeans: ['BUSINESS_DAY', 'CALENDAR_DAY'],
  wrongItemValueBasis: ['COST', 'PRICE'],
  minorDamageCap: ['ORDER_PROFIT', 'RETURN_SHIPPING', 'LOWER_OF_BOTH'],
};

/** Optional rules a version may lack; the form offers them empty (empty = not set; emptied = removed). */
export const OPTIONAL_RULES = ['rules.autoApproveReturnMaxAmountMinor', 'rules.satisfactionTargetPct', 'rules.resolutionTargetPct', 'rules.onTimeTargetPct', 'rules.complaintTargetPermille'] as const;

export const fieldName = (path: string) => path.slice(path.lastIndexOf('.') + 1);
