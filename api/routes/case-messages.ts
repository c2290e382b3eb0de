/**
 * The messages a case sent its customer (the outbox: SMS, e-mail, app, chat), as the customer got
 * them. A storefront shows them beside the case; an agent reads what the customer was told, and
 * whether it went out.
 */
import type { ApiApp } from '../typed-app.js';
import { render, TemplateError, type RenderOptions } from '../../adapters/templates.js';
import { displayLocaleOf } from '../../domain/money.js';
import { principalOf } from '../auth.js';
import { visibleCase, type ApiDeps } from '../context.js';
import { isCustomerFacing } from '../customer-view.js';
import { CaseMessages } from '../responses.js';
import { CaseParams } from '../schemas.js';

/** As the customer got it; null when a message's template or its parameters no longer render (written by an older build). */
function rendered(m: { template: string; locale: string; params: unknown }, options: RenderOptions): { subject: string | null; text: string | null } {
  try {
    const r = render(m.template, displayLocaleOf(m.locale), (m.params ?? {}) as Record<string, unknown>, options);
    return { subject: r.subject, text: r.text };
  } catch (err) {
    if (err instanceof TemplateError) return { subject: null, text: null };
    throw err;
  }
}

export function caseMessageRoutes(app: ApiApp, deps: ApiDeps): void {
  app.get('/v1/cases/:caseId/messages', { config: { roles: ['CUSTOMER', 'STOREFRONT', 'AGENT', 'SUPERVISOR', 'ADMIN'] }, schema: { response: { 200: CaseMessages }, tags: ['cases'], summary: 'The messages the case sent its customer, as they got them, and whether each went out', description: 'Oldest first, in the language each was written in (the case’s customer locale), times in the shop’s time zone. Staff also read failed sends (attempts, lastError).', params: CaseParams } }, async (request) => {
    const c = await visibleCase(deps, request, request.params.caseId);
    const [{ messages, itemNames }, policy] = await Promise.all([deps.repos.messages(c.id), deps.repos.policyVersion(c.merchantId, c.policyVersion)]);
    // The shop's time zone (render's default, Beijing time, for a version no longer readable).
    const options = { timeZone: policy?.businessHours.timeZone, itemNames };
    const staff = !isCustomerFacing(principalOf(request).role);
    return {
      caseId: c.id,
      messages: messages.map((m) => ({
        template: m.template,
        locale: m.locale,
        channel: m.channel,
        ...rendered(m, options),
        createdAt: m.createdAt.toISOString(),
        sentAt: m.sentAt ? m.sentAt.toISOString() : null,
        status: m.sentAt ? ('SENT' as const) : m.attempts > 0 ? ('RETRYING' as const) : ('QUEUED' as const),
        ...(staff ? { attempts: m.attempts, lastError: m.lastError } : {}),
      })),
    };
  });
}
