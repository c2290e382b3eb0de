/**
 * A look the API takes by itself every `everyMs` (api/unstarted-openings.ts, api/held-parcel-intake.ts):
 * from when it listens until it closes, one look at a time — a look still under way when the next
 * is due is not started twice —, and the API's close waits for the look under way. A look that
 * throws is the look's own business: it logs and the next one tries again.
 */
import type { FastifyInstance } from 'fastify';

export function lookEvery(app: FastifyInstance, o: { everyMs: number; look: () => Promise<void>; onClose?: () => void }): void {
  let looking: Promise<void> | undefined;
  const look = () => {
    looking ??= o.look().finally(() => (looking = undefined));
  };
  let timer: NodeJS.Timeout | undefined;
  app.addHook('onReady', async () => {
    timer = setInterval(look, o.everyMs);
    timer.unref();
    look();
  });
  app.addHook('onClose', async () => {
    clearInterval(timer);
    o.onClose?.();
    await looking;
  });
}
