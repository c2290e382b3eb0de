/**
 * The ports `npm start` listens on, checked before anything starts: a port another program holds
 * used to surface only after Postgres, the dev server and the worker were up (8 s and more), as a
 * stack trace. Now the start stops at once and says which setting to change.
 */
import net from 'node:net';
import { ConfigError } from './config.js';

export interface WantedPort {
  /** The setting that chooses it (PORT, TEMPORAL_PORT, TEMPORAL_UI_PORT). */
  setting: string;
  host: string;
  port: number;
}

/** Whether `host:port` can be listened on now (port 0 always can). */
export function portIsFree(host: string, port: number): Promise<boolean> {
  if (port === 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** Throws a ConfigError naming every wanted port that is taken, and the setting to change. */
export async function assertPortsFree(wanted: WantedPort[]): Promise<void> {
  const free = await Promise.all(wanted.map((w) => portIsFree(w.host, w.port)));
  const taken = wanted.filter((_, i) => !free[i]);
  if (!taken.length) return;
  const lines = taken.map((w) => `${w.host}:${w.port} is in use by another program: set ${w.setting} to another port (0 = any free one)`);
  throw new ConfigError(`cannot start:\n  - ${lines.join('\n  - ')}`);
}
