/**
 * The notification service over HTTP: POST /v1/messages (Idempotency-Key). We render the text
 * here, so the provider only delivers it and a message with a missing parameter never leaves.
 */
import { invalid } from '../errors.js';
import { renderNotification, type NotificationRequest, type NotificationResult, type Notifier } from '../notifier.js';
import type { RenderOptions } from '../templates.js';
import { createHttpClient, type HttpAdapterConfig } from './client.js';
import { reader } from './response.js';

const PROVIDER = 'notifier';

export class HttpNotifier implements Notifier {
  private readonly http;
  constructor(
    config: HttpAdapterConfig,
    private readonly renderOptions: RenderOptions = {},
  ) {
    this.http = createHttpClient(PROVIDER, config);
  }

  async send(m: NotificationRequest): Promise<NotificationResult> {
    if (!m.idempotencyKey) throw invalid(PROVIDER, 'a message needs an idempotency key');
    const message = renderNotification(PROVIDER, m, this.renderOptions);
    const body = { to: m.to, template: m.template, locale: m.locale, subject: message.subject, text: message.text };
    const res = reader(PROVIDER, 'message', await this.http.request({ method: 'POST', path: '/v1/messages', body, idempotencyKey: m.idempotencyKey }));
    return { messageId: res.string('messageId') };
  }
}
