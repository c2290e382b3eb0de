/**
 * In-process notification service: sends once per idempotency key and renders every message, so
 * tests can read what the customer would read (`sent[i].text`).
 */
import { invalid } from '../errors.js';
import { renderNotification, type NotificationRequest, type NotificationResult, type Notifier } from '../notifier.js';
import type { RenderOptions } from '../templates.js';
import { requireKey, Simulator, type SimulatorOptions } from './base.js';

export interface SentMessage extends NotificationRequest {
  messageId: string;
  sentAt: number;
  subject?: string;
  text?: string;
  /** Non-strict mode only: why the template did not render (the message is still "sent"). */
  renderError?: string;
}

export interface NotifierSimulatorOptions extends SimulatorOptions {
  /**
   * Refuse (INVALID_REQUEST, code TEMPLATE) a message whose template does not render, as the HTTP
   * notifier does. On by default, so a missing parameter fails in tests, not in production;
   * `false` records the render error on the sent message instead.
   */
  strictTemplates?: boolean;
  renderOptions?: RenderOptions;
}

const LOCALES = ['zh-CN', 'en'];
const CHANNELS = ['SMS', 'EMAIL', 'APP', 'CHAT'];

export class NotifierSimulator extends Simulator implements Notifier {
  readonly sent: SentMessage[] = [];
  private readonly strict: boolean;
  private readonly renderOptions: RenderOptions;

  constructor(options: NotifierSimulatorOptions = {}) {
    super('notifier-simulator', options);
    this.strict = options.strictTemplates ?? true;
    this.renderOptions = options.renderOptions ?? {};
  }

  send(m: NotificationRequest): Promise<NotificationResult> {
    return this.call('send', m, () => {
      requireKey(this.provider, m.idempotencyKey);
      if (!m.to?.customerId) throw invalid(this.provider, 'to.customerId is required');
      if (!CHANNELS.includes(m.to.channel)) throw invalid(this.provider, `unknown channel ${String(m.to.channel)}`);
      if (!LOCALES.includes(m.locale)) throw invalid(this.provider, `unknown locale ${String(m.locale)}`);
      let rendered: { subject?: string; text?: string; renderError?: string };
      try {
        rendered = renderNotification(this.provider, m, this.renderOptions);
      } catch (err) {
        if (this.strict) throw err;
        rendered = { renderError: (err as Error).message };
      }
      const messageId = `msg_${this.sent.length + 1}`;
      this.sent.push({ ...structuredClone(m), messageId, sentAt: this.now(), ...rendered });
      return { messageId };
    });
  }

  override reset(): void {
    super.reset();
    this.sent.length = 0;
  }
}
