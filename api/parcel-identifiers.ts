/**
 * A parcel is found by its tracking number: the warehouse's scanner, a courier's event and the
 * customer's form must write it the same way. Pasted from a courier's app it often carries spaces
 * around it, and " SF555666777 " never matched the scan of "SF555666777" — the case waited for a
 * parcel that had arrived. So the identifiers of a parcel (carrier, tracking number, return code)
 * lose their surrounding white space wherever a request body carries them, before validation (a
 * return code all its white space); a
 * tracking number is normalised altogether (domain/tracking-number.ts): "sf 1400 0000 0009" from an
 * SMS is the label's SF140000000009, for the customer's return, the warehouse's scan and reports and
 * the couriers' events alike — so workflows and the read model only ever see that spelling. A
 * carrier becomes its code (domain/carriers.ts): "顺丰" or "sf" is SF, as SF's callbacks name it.
 */
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { carrierCodeOf } from '../domain/carriers.js';
import { normaliseTrackingNumber } from '../domain/tracking-number.js';
import { addToEveryRoute } from './input-safety.js';

const CARRIERS = new Set(['carrier']);
const TRACKING_NUMBERS = new Set(['trackingNumber', 'trackingNo', 'previousTrackingNumber']);
/** A return code is the case id (hex): white space inside it is a slip copied in groups ("2d2b d32e …"), never part of it. */
const RETURN_CODES = new Set(['returnCode']);

/** Trims the parcel identifiers in `value` in place, normalises its tracking numbers and carriers, however deep (iterative: a deep body cannot overflow the stack). */
export function trimParcelIdentifiers(value: unknown): void {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (Array.isArray(v)) stack.push(...v);
    else if (v !== null && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const [key, child] of Object.entries(o)) {
        if (typeof child === 'string' && TRACKING_NUMBERS.has(key)) o[key] = normaliseTrackingNumber(child);
        else if (typeof child === 'string' && CARRIERS.has(key)) o[key] = carrierCodeOf(child);
        else if (typeof child === 'string' && RETURN_CODES.has(key)) o[key] = child.replace(/\s+/gu, '');
        else if (child !== null && typeof child === 'object') stack.push(child);
      }
    }
  }
}

const trimBody: preValidationHookHandler = async function (request: FastifyRequest) {
  trimParcelIdentifiers(request.body);
};

/** Trims and normalises on every route (after authentication, before the schema). Call before the routes are declared. */
export const installParcelIdentifiers = (app: FastifyInstance) => addToEveryRoute(app, trimBody);

/**
 * A body's schema as a client may send it, for the OpenAPI page: the identifiers normalised above
 * are checked against their pattern only once normalised ("顺丰" becomes SF, "sf 1400 0000 0009"
 * SF140000000009), so the page names the pattern in the field's description instead of requiring
 * it — a client validating against the page would refuse what the server takes. Returns a copy.
 */
export function bodyAsSent(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(bodyAsSent);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    out[key] = key === 'properties' && value && typeof value === 'object' ? propertiesAsSent(value as Record<string, unknown>) : bodyAsSent(value);
  }
  return out;
}

function propertiesAsSent(properties: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, property] of Object.entries(properties)) {
    const p = bodyAsSent(property) as Record<string, unknown>;
    const normalised = TRACKING_NUMBERS.has(name) || CARRIERS.has(name) || RETURN_CODES.has(name);
    if (normalised && typeof p.pattern === 'string') {
      // The lengths too are the normalised value's ("sf 1400 0000 0009" is 14 characters, not 17).
      const { pattern, minLength, maxLength, ...rest } = p;
      const length = typeof maxLength === 'number' ? `, ${typeof minLength === 'number' ? `${minLength} to ` : 'at most '}${maxLength} characters` : '';
      const how = TRACKING_NUMBERS.has(name) ? 'white space and invisible marks removed, full-width characters folded, letters upper-cased' : CARRIERS.has(name) ? 'a carrier’s name or code, in any case and with white space around it, read as its code' : 'white space removed';
      out[name] = { ...rest, description: `${rest.description ? `${String(rest.description)}. ` : ''}Checked against ${pattern}${length} once normalised (${how})` };
    } else out[name] = p;
  }
  return out;
}
