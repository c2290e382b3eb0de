/**
 * What a merchant tells customers: where returns go. Kept on the merchant and copied into each
 * return case when it opens, so the address a customer was told stays the one in the case.
 */
export interface ReturnAddress {
  /** Recipient, e.g. '售后部 王先生'. */
  name: string;
  phone: string;
  /** Full postal address, one line: '浙江省杭州市余杭区文一西路 969 号 3 号仓'. */
  address: string;
}

export interface AddressProblem {
  field: string;
  reason: string;
}

const LIMITS: Record<keyof ReturnAddress, number> = { name: 100, phone: 40, address: 300 };
/** A phone number as people write it: digits with spaces, dashes and parentheses, a leading + for a country code; at least 5 digits (the length limit is the field's). */
const PHONE_REASON = 'must be a phone number: at least 5 digits, written with spaces, -, parentheses and a leading + as you like';
const isPhone = (v: string) => /^\+?[0-9 ()-]+$/.test(v) && (v.match(/[0-9]/g)?.length ?? 0) >= 5;

export function validateReturnAddress(value: unknown, path = 'returnAddress'): AddressProblem[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [{ field: path, reason: 'must be an object with name, phone and address' }];
  const v = value as Record<string, unknown>;
  const problems: AddressProblem[] = [];
  for (const key of Object.keys(v)) if (!(key in LIMITS)) problems.push({ field: `${path}.${key}`, reason: 'is not an address field (name, phone, address)' });
  for (const [key, max] of Object.entries(LIMITS)) {
    const s = v[key];
    if (typeof s !== 'string' || !s.trim()) problems.push({ field: `${path}.${key}`, reason: 'is required' });
    else if (s.length > max) problems.push({ field: `${path}.${key}`, reason: `must be at most ${max} characters` });
  }
  if (typeof v.phone === 'string' && v.phone.trim() && !isPhone(v.phone.trim())) problems.push({ field: `${path}.phone`, reason: PHONE_REASON });
  return problems;
}

/** One line for a message: 'address (name, phone)'. */
export function formatReturnAddress(a: ReturnAddress): string {
  return `${a.address.trim()} (${a.name.trim()}, ${a.phone.trim()})`;
}

/** The return address as the return's message and step carry it: nothing when the merchant has none. */
export const returnAddressField = (a: ReturnAddress | undefined): { returnAddress?: string } => (a ? { returnAddress: formatReturnAddress(a) } : {});
