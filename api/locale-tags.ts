/**
 * A customer's language as storefronts send it: the browser's or app's language tag, in whatever
 * case and detail it comes (`zh-cn`, `zh-Hans-CN`, `zh`, `en-US`). Language tags are
 * case-insensitive, and the platform writes to customers in two languages: Simplified Chinese
 * (`zh-CN`) and English (`en`). So before the schema checks `customer.locale`, a tag of Simplified
 * Chinese becomes `zh-CN` and any English tag `en`; anything else (a Traditional Chinese tag such
 * as zh-TW or zh-Hant, which the messages are not written in) stays as sent and is refused with the
 * two the API takes.
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

const normaliseCustomerLocale: preValidationHookHandler = async function (request: FastifyRequest) {
  const customer = (request.body as { customer?: unknown } | undefined)?.customer;
  if (customer && typeof customer === 'object' && typeof (customer as { locale?: unknown }).locale === 'string') {
    const c = customer as { locale: string };
    c.locale = customerLocaleOf(c.locale);
  }
};

/** On every route (after authentication, before the schema). Call before the routes are declared. */
export const installLocaleTags = (app: FastifyInstance) => addToEveryRoute(app, normaliseCustomerLocale);
