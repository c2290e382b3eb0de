/**
 * Checks a provider's success body before it reaches a workflow: a refund id that is not a string
 * or a status we do not know would otherwise be recorded in history for good. A malformed answer
 * is TRANSIENT — asking again is safe because the call is idempotent.
 */
import { AdapterError } from '../errors.js';

export function reader(provider: string, what: string, body: unknown) {
  const obj = (body && typeof body === 'object' ? body : {}) as Record<string, unknown>;
  const bad = (field: string, expected: string) =>
    new AdapterError('TRANSIENT', provider, `malformed ${what} response: ${field} must be ${expected}`, { code: 'BAD_RESPONSE' });
  return {
    obj,
    string(field: string): string {
      const v = obj[field];
      if (typeof v !== 'string' || v === '') throw bad(field, 'a non-empty string');
      return v;
    },
    int(field: string): number {
      const v = obj[field];
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw bad(field, 'a whole number');
      return v;
    },
    optionalInt(field: string): number | undefined {
      return obj[field] === undefined || obj[field] === null ? undefined : this.int(field);
    },
    optionalString(field: string): string | undefined {
      return obj[field] === undefined || obj[field] === null ? undefined : this.string(field);
    },
    oneOf<T extends string>(field: string, allowed: readonly T[]): T {
      const v = obj[field];
      if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) throw bad(field, `one of ${allowed.join(', ')}`);
      return v as T;
    },
  };
}
