/** Customer notifications: one template, rendered in the customer's language, sent once per idempotency key. */
import { AdapterError } from './errors.js';
import type { Locale } from './money.js';
import { render, TemplateError, type RenderedMessage, type RenderOptions, type TemplateName } from './templates.js';

export type Channel = 'SMS' | 'EMAIL' | 'APP' | 'CHAT';

export interface Recipient {
  customerId: string;
  channel: Channel;
  /** Phone / e-mail when the caller knows it; otherwise the notification service resolves it from customerId. */
  address?: string;
}

export interface NotificationRequest {
  /** Derived from the case and the step: a retried activity never messages the customer twice. */
  idempotencyKey: string;
  to: Recipient;
  /** A name from `templates.ts`; typed loosely because it arrives from workflow input. */
  template: TemplateName | (string & {});
  locale: Locale;
  params: Record<string, unknown>;
  /** The order's item names by SKU, for the goods the message lists (RenderOptions.itemNames). */
  itemNames?: Readonly<Record<string, string>> | null;
}

export interface NotificationResult {
  messageId: string;
}

export interface Notifier {
  send(m: NotificationRequest): Promise<NotificationResult>;
}

/**
 * Renders a request's template; a template bug is INVALID_REQUEST (code TEMPLATE) because it will not
 * fix itself on retry. A template name this build does not know is TRANSIENT (TEMPLATE_UNKNOWN): during
 * a rolling upgrade a newer worker queues messages an older process may claim first, and the retry
 * lets a newer one send it. Should it be a real bug, the case is marked stuck once retries run long.
 */
export function renderNotification(provider: string, m: NotificationRequest, options: RenderOptions = {}): RenderedMessage {
  try {
    return render(m.template, m.locale, m.params, m.itemNames ? { ...options, itemNames: m.itemNames } : options);
  } catch (err) {
    if (err instanceof TemplateError && err.unknown) {
      throw new AdapterError('TRANSIENT', provider, `${err.message} to this version of the platform (a newer one may have queued it): retried, for a process that knows it`, { code: 'TEMPLATE_UNKNOWN', cause: err });
    }
    if (err instanceof TemplateError) throw new AdapterError('INVALID_REQUEST', provider, err.message, { code: 'TEMPLATE', cause: err });
    throw err;
  }
}
