/**
 * The customer as storefronts send it, made one spelling before the schema reads it:
 *
 * - Their language: the browser's or app's language tag, in whatever case and detail it comes
 *   (`zh-cn`, `zh-Hans-CN`, `zh`, `en-US`). Language tags are case-insensitive, and the platform
 *   writes to customers in two languages: Simplified Chinese (`zh-CN`) and English (`en`). A tag of
 *   Simplified Chinese becomes `zh-CN` and any English tag `en`; anything else (a Traditional
 *   Chinese tag such as zh-TW or zh-Hant, which the messages are not written in) stays as sent and
 *   is refused with the two the API takes.
 * - Their id, without white space around it: a token issued for "cust-1 " listed none of the
 *   cases opened for "cust-1" (a trial's storefront padded it). In the body (`customer.id`,
 *   `customerId`) and the query string (`customerId`).
 */
import type { FastifyInstance, FastifyRequest, preValidationHookHandler } from 'fastify';
import { addToEveryRoute } from './input-safety.js';

const SIMPLIFIED_CHINESE = /^zh(-hans)?(-(cn|sg|my))?$/i;
const ENGLISH = /^en(-[a-z0-9]{1,8})*$/i;

/** `tag` as the API takes it, when it names one of the customer languages; otherwise as given. */
export function customerLocaleOf(tag: string): string {
  const t = tag.trim().replace(/_/g, '-');
  if (SIMPLIFIED_CHINESE.test(t)) return 'zh-CN';
  if (ENGLISH.test(t)) return 'en';
  return tag;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function trimCustomerId(o: unknown, key: string): void {
  if (isRecord(o) && typeof o[key] === 'string') o[key] = o[key].trim();
}

const normaliseCustomer: preValidationHookHandler = async function (request: FastifyRequest) {
  const body = request.body as { customer?: unknown } | undefined;
  const customer = body?.customer;
  if (isRecord(customer) && typeof customer.locale === 'string') customer.locale = customerLocaleOf(customer.locale);
  trimCustomerId(customer, 'id');
  trimCustomerId(body, 'customerId');
  trimCustomerId(request.query, 'customerId');
};

/** On every route (after authentication, before the schema). Call before the routes are declared. */
export const installCustomerFields = (app: FastifyInstance) => addToEveryRoute(app, normaliseCustomer);
