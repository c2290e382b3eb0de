/**
 * The notification outbox sender. Case workflows queue their messages in the `Notification` table
 * together with the step that caused them (`recordSteps`); this loop, running in every worker
 * process, sends what is queued: at once when a batch was written here (`kick`), and by polling for
 * what another process queued or a crash left behind. A case never waits for a notifier.
 *
 * Rows are claimed with a lease (FOR UPDATE SKIP LOCKED, then `notBefore` pushed out), so two
 * workers never send the same message at once and a worker that dies mid-send leaves it to be
 * retried after the lease; the notifier dedupes by idempotency key, so a retry after a send that
 * was not marked sends nothing twice. A case's messages go out in the order it queued them. A failing
 * message is retried with backoff (a final refusal is not retried); after the stuck limits its case
 * is marked stuck (as a failing activity would be), and cleared once it goes out.
 */
import { createPollingLoop, type PollingLoop } from './polling-loop.js';
import type { StuckLimits, StuckPort } from './stuck-watch.js';

/** Where the outbox's messages go out: the customer messaging provider's adapter. */
export interface NotifierPort {
  send(m: { idempotencyKey: string; to: { customerId: string; channel: 'APP' }; template: string; locale: 'zh-CN' | 'en'; params: Record<string, unknown>; itemNames?: Readonly<Record<string, string>> | null }): Promise<{ messageId: string }>;
}

export interface QueuedNotification {
  id: bigint;
  caseId: string;
  idempotencyKey: string;
  template: string;
  locale: 'zh-CN' | 'en';
  params: Record<string, unknown>;
  customerId: string;
  /** The case's order item names by SKU, when the message lists goods. */
  itemNames?: Record<string, string> | null;
  /** Failed sends so far. */
  attempts: number;
  createdAt: Date;
}

export interface OutboxPort extends StuckPort {
  /** Up to `limit` unsent messages whose time has come, leased for `leaseMs`. */
  claimNotifications(limit: number, leaseMs: number): Promise<QueuedNotification[]>;
  /** Marks the messages of one pass sent, in one statement. */
  markNotificationsSent(sent: Array<{ idempotencyKey: string; providerId: string }>): Promise<void>;
  /** Records a failed send; the message is offered again after `retryInMs` (null: never, a final refusal). */
  notificationFailed(id: bigint, error: string, retryInMs: number | null): Promise<void>;
}

export interface OutboxOptions {
  store: OutboxPort;
  notifier: NotifierPort;
  stuckLimits: StuckLimits;
  /** How often to look for messages queued elsewhere (ms). */
  pollMs?: number;
  /** How long a claimed message is left to its sender before another may take it (ms). */
  leaseMs?: number;
  batchSize?: number;
  onError?: (err: unknown) => void;
}

const describe = (err: unknown) => (err instanceof Error ? `${err.name}: ${err.message}` : String(err)).split('\n')[0]!.slice(0, 500);
/** 1 s, doubling, at most a minute: as the case activities retry. */
const backoffMs = (attempts: number) => Math.min(60_000, 1000 * 2 ** Math.max(0, attempts - 1));

export interface NotificationOutbox extends PollingLoop {
  /** One pass until nothing is due; for tests. */
  drain(): Promise<void>;
}

export function createNotificationOutbox(o: OutboxOptions): NotificationOutbox {
  const pollMs = o.pollMs ?? 1000;
  const leaseMs = o.leaseMs ?? 180_000;
  const batchSize = o.batchSize ?? 50;

  /** Sends one message; its provider id when it went out (marked sent by the caller, with the rest of its pass). */
  async function sendOne(n: QueuedNotification): Promise<string | undefined> {
    try {
      const sent = await o.notifier.send({ idempotencyKey: n.idempotencyKey, to: { customerId: n.customerId, channel: 'APP' }, template: n.template, locale: n.locale, params: n.params, itemNames: n.itemNames });
      return sent.messageId;
    } catch (err) {
      const attempts = n.attempts + 1;
      // A refusal the provider marks final (a template it cannot render, an unknown customer) is not
      // retried: the case is marked stuck at once, with the reason, for an agent to see.
      const final = (err as { retryable?: boolean }).retryable === false;
      await o.store.notificationFailed(n.id, describe(err), final ? null : backoffMs(attempts)).catch((e: unknown) => o.onError?.(e));
      const overdue = final || attempts >= o.stuckLimits.attempts || Date.now() - n.createdAt.getTime() >= o.stuckLimits.afterMs;
      if (overdue) await o.store.markStuck({ caseId: n.caseId, stepKey: n.idempotencyKey, activity: 'notifyCustomer', attempt: attempts, error: describe(err) }).catch(() => undefined);
      return undefined;
    }
  }

  async function drain(): Promise<void> {
    for (;;) {
      const due = await o.store.claimNotifications(batchSize, leaseMs);
      if (!due.length) return;
      const ids = await Promise.all(due.map(sendOne));
      // One UPDATE for the pass instead of one per message. Should it fail, the messages stay
      // leased and are sent again after the lease: the notifier dedupes them by idempotency key.
      const sent = due.flatMap((n, i) => (ids[i] !== undefined ? [{ n, providerId: ids[i] }] : []));
      if (sent.length) await o.store.markNotificationsSent(sent.map(({ n, providerId }) => ({ idempotencyKey: n.idempotencyKey, providerId })));
      for (const { n } of sent) {
        if (n.attempts > 0) await o.store.clearStuck({ caseId: n.caseId, stepKey: n.idempotencyKey, activity: 'notifyCustomer', attempt: n.attempts + 1 }).catch(() => undefined);
      }
      // Claimed again until nothing is due: a case's next message becomes due once this one is sent.
    }
  }

  const loop = createPollingLoop({ drain, pollMs, onError: o.onError });
  return { ...loop, drain };
}
